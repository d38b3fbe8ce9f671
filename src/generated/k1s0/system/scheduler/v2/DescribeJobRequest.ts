// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto


/**
 * The request of DescribeJob. Exactly one of job_id and key is set.
 */
export interface DescribeJobRequest {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId'?: (string);
  /**
   * The job's key, instead of job_id.
   */
  'key'?: (string);
  /**
   * How many upcoming fires to list: 0 to 100; 0 means 10.
   */
  'upcoming'?: (number);
}

/**
 * The request of DescribeJob. Exactly one of job_id and key is set.
 */
export interface DescribeJobRequest__Output {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId': (string);
  /**
   * The job's key, instead of job_id.
   */
  'key': (string);
  /**
   * How many upcoming fires to list: 0 to 100; 0 means 10.
   */
  'upcoming': (number);
}
