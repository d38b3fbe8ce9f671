// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { JobExecution as _k1s0_system_scheduler_v2_JobExecution, JobExecution__Output as _k1s0_system_scheduler_v2_JobExecution__Output } from '../../../../k1s0/system/scheduler/v2/JobExecution';

/**
 * The response of ListExecutions.
 */
export interface ListExecutionsResponse {
  /**
   * The executions of this page, oldest first (by started_at, then attempt).
   */
  'executions'?: (_k1s0_system_scheduler_v2_JobExecution)[];
  /**
   * Pass as page_token to get the next page. Opaque. Empty on the last page, and only there.
   */
  'nextPageToken'?: (string);
}

/**
 * The response of ListExecutions.
 */
export interface ListExecutionsResponse__Output {
  /**
   * The executions of this page, oldest first (by started_at, then attempt).
   */
  'executions': (_k1s0_system_scheduler_v2_JobExecution__Output)[];
  /**
   * Pass as page_token to get the next page. Opaque. Empty on the last page, and only there.
   */
  'nextPageToken': (string);
}
