// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { JobExecution as _k1s0_system_scheduler_v2_JobExecution, JobExecution__Output as _k1s0_system_scheduler_v2_JobExecution__Output } from '../../../../k1s0/system/scheduler/v2/JobExecution';

/**
 * The response of TriggerJob.
 */
export interface TriggerJobResponse {
  /**
   * The first attempt of the run just started; its result is RUNNING.
   */
  'execution'?: (_k1s0_system_scheduler_v2_JobExecution | null);
}

/**
 * The response of TriggerJob.
 */
export interface TriggerJobResponse__Output {
  /**
   * The first attempt of the run just started; its result is RUNNING.
   */
  'execution': (_k1s0_system_scheduler_v2_JobExecution__Output | null);
}
