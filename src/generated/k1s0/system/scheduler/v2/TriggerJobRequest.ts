// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { OverlapPolicy as _k1s0_system_scheduler_v2_OverlapPolicy, OverlapPolicy__Output as _k1s0_system_scheduler_v2_OverlapPolicy__Output } from '../../../../k1s0/system/scheduler/v2/OverlapPolicy';

/**
 * The request of TriggerJob. Exactly one of job_id and key is set.
 */
export interface TriggerJobRequest {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId'?: (string);
  /**
   * The job's key, instead of job_id.
   */
  'key'?: (string);
  /**
   * The overlap policy for this run alone; unspecified means the job's (see (3) in the lifecycle
   * table). A value not listed is an INVALID_ARGUMENT ("an overlap policy").
   */
  'overlap'?: (_k1s0_system_scheduler_v2_OverlapPolicy);
}

/**
 * The request of TriggerJob. Exactly one of job_id and key is set.
 */
export interface TriggerJobRequest__Output {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId': (string);
  /**
   * The job's key, instead of job_id.
   */
  'key': (string);
  /**
   * The overlap policy for this run alone; unspecified means the job's (see (3) in the lifecycle
   * table). A value not listed is an INVALID_ARGUMENT ("an overlap policy").
   */
  'overlap': (_k1s0_system_scheduler_v2_OverlapPolicy__Output);
}
