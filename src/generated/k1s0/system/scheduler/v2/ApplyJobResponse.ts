// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Job as _k1s0_system_scheduler_v2_Job, Job__Output as _k1s0_system_scheduler_v2_Job__Output } from '../../../../k1s0/system/scheduler/v2/Job';
import type { ApplyAction as _k1s0_system_scheduler_v2_ApplyAction, ApplyAction__Output as _k1s0_system_scheduler_v2_ApplyAction__Output } from '../../../../k1s0/system/scheduler/v2/ApplyAction';

/**
 * The response of ApplyJob.
 */
export interface ApplyJobResponse {
  /**
   * The job after the call. With dry_run, the job as it is now (unset when it would be created).
   */
  'job'?: (_k1s0_system_scheduler_v2_Job | null);
  /**
   * What the call did, or would do with dry_run.
   */
  'action'?: (_k1s0_system_scheduler_v2_ApplyAction);
  /**
   * For UPDATED, the JobSpec fields whose values differ ("name", "schedule", "payload",
   * "max_retries", "timeout_secs", "labels", "policy"), in field-number order. Empty otherwise.
   */
  'changedFields'?: (string)[];
}

/**
 * The response of ApplyJob.
 */
export interface ApplyJobResponse__Output {
  /**
   * The job after the call. With dry_run, the job as it is now (unset when it would be created).
   */
  'job': (_k1s0_system_scheduler_v2_Job__Output | null);
  /**
   * What the call did, or would do with dry_run.
   */
  'action': (_k1s0_system_scheduler_v2_ApplyAction__Output);
  /**
   * For UPDATED, the JobSpec fields whose values differ ("name", "schedule", "payload",
   * "max_retries", "timeout_secs", "labels", "policy"), in field-number order. Empty otherwise.
   */
  'changedFields': (string)[];
}
