// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto


/**
 * The request of ResumeJob. Exactly one of job_id and key is set.
 */
export interface ResumeJobRequest {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId'?: (string);
  /**
   * The job's key, instead of job_id.
   */
  'key'?: (string);
  /**
   * Why; 0 to 512 Unicode code points. Shown as Job.status_note when the call changes the status.
   */
  'note'?: (string);
}

/**
 * The request of ResumeJob. Exactly one of job_id and key is set.
 */
export interface ResumeJobRequest__Output {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId': (string);
  /**
   * The job's key, instead of job_id.
   */
  'key': (string);
  /**
   * Why; 0 to 512 Unicode code points. Shown as Job.status_note when the call changes the status.
   */
  'note': (string);
}
