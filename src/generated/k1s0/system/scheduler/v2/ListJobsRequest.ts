// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { JobStatus as _k1s0_system_scheduler_v2_JobStatus, JobStatus__Output as _k1s0_system_scheduler_v2_JobStatus__Output } from '../../../../k1s0/system/scheduler/v2/JobStatus';

/**
 * The request of ListJobs. All filters combine with AND.
 */
export interface ListJobsRequest {
  /**
   * Only jobs in this status. JOB_STATUS_UNSPECIFIED means any status.
   */
  'status'?: (_k1s0_system_scheduler_v2_JobStatus);
  /**
   * Only jobs whose name starts with this prefix (case-sensitive, at most 128 characters). Empty
   * means any name.
   */
  'namePrefix'?: (string);
  /**
   * The most jobs to return in one page: 0 to 1,000; 0 means 100. A page may hold fewer.
   */
  'pageSize'?: (number);
  /**
   * The next_page_token of the previous page, unchanged, with the same filters; empty for the
   * first page.
   */
  'pageToken'?: (string);
  /**
   * A label selector: only jobs that have every one of these labels with exactly this value. Empty
   * means any labels. Same limits as a job's labels.
   */
  'labels'?: ({[key: string]: string});
}

/**
 * The request of ListJobs. All filters combine with AND.
 */
export interface ListJobsRequest__Output {
  /**
   * Only jobs in this status. JOB_STATUS_UNSPECIFIED means any status.
   */
  'status': (_k1s0_system_scheduler_v2_JobStatus__Output);
  /**
   * Only jobs whose name starts with this prefix (case-sensitive, at most 128 characters). Empty
   * means any name.
   */
  'namePrefix': (string);
  /**
   * The most jobs to return in one page: 0 to 1,000; 0 means 100. A page may hold fewer.
   */
  'pageSize': (number);
  /**
   * The next_page_token of the previous page, unchanged, with the same filters; empty for the
   * first page.
   */
  'pageToken': (string);
  /**
   * A label selector: only jobs that have every one of these labels with exactly this value. Empty
   * means any labels. Same limits as a job's labels.
   */
  'labels': ({[key: string]: string});
}
