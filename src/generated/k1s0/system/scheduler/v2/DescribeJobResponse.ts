// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Job as _k1s0_system_scheduler_v2_Job, Job__Output as _k1s0_system_scheduler_v2_Job__Output } from '../../../../k1s0/system/scheduler/v2/Job';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';

/**
 * The response of DescribeJob.
 */
export interface DescribeJobResponse {
  /**
   * The job.
   */
  'job'?: (_k1s0_system_scheduler_v2_Job | null);
  /**
   * The due times of the job's next fires, earliest first; at most `upcoming`, fewer when fewer
   * are left, none for a PAUSED job or one that has ended.
   */
  'upcomingRuns'?: (_google_protobuf_Timestamp)[];
}

/**
 * The response of DescribeJob.
 */
export interface DescribeJobResponse__Output {
  /**
   * The job.
   */
  'job': (_k1s0_system_scheduler_v2_Job__Output | null);
  /**
   * The due times of the job's next fires, earliest first; at most `upcoming`, fewer when fewer
   * are left, none for a PAUSED job or one that has ended.
   */
  'upcomingRuns': (_google_protobuf_Timestamp__Output)[];
}
