// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Job as _k1s0_system_scheduler_v2_Job, Job__Output as _k1s0_system_scheduler_v2_Job__Output } from '../../../../k1s0/system/scheduler/v2/Job';

/**
 * The response of DeleteJob.
 */
export interface DeleteJobResponse {
  /**
   * The job as it was when it was deleted (after its attempt in flight, if any, was recorded).
   */
  'job'?: (_k1s0_system_scheduler_v2_Job | null);
}

/**
 * The response of DeleteJob.
 */
export interface DeleteJobResponse__Output {
  /**
   * The job as it was when it was deleted (after its attempt in flight, if any, was recorded).
   */
  'job': (_k1s0_system_scheduler_v2_Job__Output | null);
}
