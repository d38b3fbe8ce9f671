// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Job as _k1s0_system_scheduler_v2_Job, Job__Output as _k1s0_system_scheduler_v2_Job__Output } from '../../../../k1s0/system/scheduler/v2/Job';

/**
 * The response of CreateJob.
 */
export interface CreateJobResponse {
  /**
   * The job created (or, for a repeated request_id, the job created first, as it is now).
   */
  'job'?: (_k1s0_system_scheduler_v2_Job | null);
}

/**
 * The response of CreateJob.
 */
export interface CreateJobResponse__Output {
  /**
   * The job created (or, for a repeated request_id, the job created first, as it is now).
   */
  'job': (_k1s0_system_scheduler_v2_Job__Output | null);
}
