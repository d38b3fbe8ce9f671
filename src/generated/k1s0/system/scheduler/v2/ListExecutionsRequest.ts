// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto


/**
 * The request of ListExecutions. Exactly one of job_id and key is set.
 */
export interface ListExecutionsRequest {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId'?: (string);
  /**
   * The most executions to return in one page: 0 to 1,000; 0 means 100. A page may hold fewer.
   */
  'pageSize'?: (number);
  /**
   * The next_page_token of the previous page, unchanged, for the same job_id (or key); empty for
   * the first page.
   */
  'pageToken'?: (string);
  /**
   * The job's key, instead of job_id.
   */
  'key'?: (string);
}

/**
 * The request of ListExecutions. Exactly one of job_id and key is set.
 */
export interface ListExecutionsRequest__Output {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId': (string);
  /**
   * The most executions to return in one page: 0 to 1,000; 0 means 100. A page may hold fewer.
   */
  'pageSize': (number);
  /**
   * The next_page_token of the previous page, unchanged, for the same job_id (or key); empty for
   * the first page.
   */
  'pageToken': (string);
  /**
   * The job's key, instead of job_id.
   */
  'key': (string);
}
