// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto


/**
 * The request of WatchExecutions. Exactly one of job_id, key and execution_id is set.
 */
export interface WatchExecutionsRequest {
  /**
   * The job whose executions to stream; 1 to 128 characters.
   */
  'jobId'?: (string);
  /**
   * The job's key, instead of job_id.
   */
  'key'?: (string);
  /**
   * One execution to stream (a JobExecution.id), instead of a job; 1 to 128 characters.
   */
  'executionId'?: (string);
}

/**
 * The request of WatchExecutions. Exactly one of job_id, key and execution_id is set.
 */
export interface WatchExecutionsRequest__Output {
  /**
   * The job whose executions to stream; 1 to 128 characters.
   */
  'jobId': (string);
  /**
   * The job's key, instead of job_id.
   */
  'key': (string);
  /**
   * One execution to stream (a JobExecution.id), instead of a job; 1 to 128 characters.
   */
  'executionId': (string);
}
