// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { JobExecution as _k1s0_system_scheduler_v2_JobExecution, JobExecution__Output as _k1s0_system_scheduler_v2_JobExecution__Output } from '../../../../k1s0/system/scheduler/v2/JobExecution';

/**
 * One message of WatchExecutions.
 */
export interface WatchExecutionsResponse {
  /**
   * The execution as it is after the change (or, first, as it is now).
   */
  'execution'?: (_k1s0_system_scheduler_v2_JobExecution | null);
}

/**
 * One message of WatchExecutions.
 */
export interface WatchExecutionsResponse__Output {
  /**
   * The execution as it is after the change (or, first, as it is now).
   */
  'execution': (_k1s0_system_scheduler_v2_JobExecution__Output | null);
}
