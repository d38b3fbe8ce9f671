// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Job as _k1s0_system_scheduler_v2_Job, Job__Output as _k1s0_system_scheduler_v2_Job__Output } from '../../../../k1s0/system/scheduler/v2/Job';

/**
 * The response of UpdateJob.
 */
export interface UpdateJobResponse {
  /**
   * The job after the call.
   */
  'job'?: (_k1s0_system_scheduler_v2_Job | null);
}

/**
 * The response of UpdateJob.
 */
export interface UpdateJobResponse__Output {
  /**
   * The job after the call.
   */
  'job': (_k1s0_system_scheduler_v2_Job__Output | null);
}
