// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto


/**
 * The request of CancelJob.
 */
export interface CancelJobRequest {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId'?: (string);
}

/**
 * The request of CancelJob.
 */
export interface CancelJobRequest__Output {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId': (string);
}
