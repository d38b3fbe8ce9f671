// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Job as _k1s0_system_scheduler_v2_Job, Job__Output as _k1s0_system_scheduler_v2_Job__Output } from '../../../../k1s0/system/scheduler/v2/Job';

/**
 * The response of ListJobs.
 */
export interface ListJobsResponse {
  /**
   * The jobs of this page, ordered by created_at, then id.
   */
  'jobs'?: (_k1s0_system_scheduler_v2_Job)[];
  /**
   * Pass as page_token to get the next page. Opaque. Empty on the last page, and only there.
   */
  'nextPageToken'?: (string);
}

/**
 * The response of ListJobs.
 */
export interface ListJobsResponse__Output {
  /**
   * The jobs of this page, ordered by created_at, then id.
   */
  'jobs': (_k1s0_system_scheduler_v2_Job__Output)[];
  /**
   * Pass as page_token to get the next page. Opaque. Empty on the last page, and only there.
   */
  'nextPageToken': (string);
}
