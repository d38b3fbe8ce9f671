// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The request of DeleteJob. Exactly one of job_id and key is set.
 */
export interface DeleteJobRequest {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId'?: (string);
  /**
   * The job's key, instead of job_id.
   */
  'key'?: (string);
  /**
   * When set, the revision the job must have. Otherwise CONFLICT. 0 or less is an INVALID_ARGUMENT
   * ("1..9223372036854775807").
   */
  'expectedRevision'?: (number | string | Long);
  '_expectedRevision'?: "expectedRevision";
}

/**
 * The request of DeleteJob. Exactly one of job_id and key is set.
 */
export interface DeleteJobRequest__Output {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId': (string);
  /**
   * The job's key, instead of job_id.
   */
  'key': (string);
  /**
   * When set, the revision the job must have. Otherwise CONFLICT. 0 or less is an INVALID_ARGUMENT
   * ("1..9223372036854775807").
   */
  'expectedRevision'?: (string);
  '_expectedRevision'?: "expectedRevision";
}
