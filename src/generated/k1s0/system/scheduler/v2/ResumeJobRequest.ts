// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto


/**
 * The request of ResumeJob.
 */
export interface ResumeJobRequest {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId'?: (string);
}

/**
 * The request of ResumeJob.
 */
export interface ResumeJobRequest__Output {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId': (string);
}
