// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { OverlapPolicy as _k1s0_system_scheduler_v2_OverlapPolicy, OverlapPolicy__Output as _k1s0_system_scheduler_v2_OverlapPolicy__Output } from '../../../../k1s0/system/scheduler/v2/OverlapPolicy';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../../google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';
import type { RetryBackoff as _k1s0_system_scheduler_v2_RetryBackoff, RetryBackoff__Output as _k1s0_system_scheduler_v2_RetryBackoff__Output } from '../../../../k1s0/system/scheduler/v2/RetryBackoff';

/**
 * What a job's fires do (see "Schedule policies"). Every field is optional.
 */
export interface SchedulePolicy {
  /**
   * What a fire does while a run is in progress. Unspecified means BUFFER_ONE.
   */
  'overlap'?: (_k1s0_system_scheduler_v2_OverlapPolicy);
  /**
   * Fires later than this are not run (counted in stats.missed). 1 s to 3,155,760,000 s, whole
   * milliseconds. Unset means no limit.
   */
  'catchupWindow'?: (_google_protobuf_Duration | null);
  /**
   * No fire has a scheduled instant before this. Whole milliseconds.
   */
  'startAt'?: (_google_protobuf_Timestamp | null);
  /**
   * No fire has a scheduled instant after this; no earlier than start_at. Whole milliseconds.
   */
  'endAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The most runs the job starts, 0 to 1,000,000,000; 0 means no limit.
   */
  'maxRuns'?: (number);
  /**
   * Each fire falls due up to this long after its scheduled instant, by the delay defined under
   * "Schedule policies" (Jitter). 0 to 86,400 s, whole milliseconds; unset or 0 means none.
   */
  'jitter'?: (_google_protobuf_Duration | null);
  /**
   * The waits between the attempts of a run. Unset fields have their defaults.
   */
  'retryBackoff'?: (_k1s0_system_scheduler_v2_RetryBackoff | null);
  /**
   * When true, a recurring job whose run ends failed or timed out is paused (see "Schedule
   * policies", Pause on failure).
   */
  'pauseOnFailure'?: (boolean);
}

/**
 * What a job's fires do (see "Schedule policies"). Every field is optional.
 */
export interface SchedulePolicy__Output {
  /**
   * What a fire does while a run is in progress. Unspecified means BUFFER_ONE.
   */
  'overlap': (_k1s0_system_scheduler_v2_OverlapPolicy__Output);
  /**
   * Fires later than this are not run (counted in stats.missed). 1 s to 3,155,760,000 s, whole
   * milliseconds. Unset means no limit.
   */
  'catchupWindow': (_google_protobuf_Duration__Output | null);
  /**
   * No fire has a scheduled instant before this. Whole milliseconds.
   */
  'startAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * No fire has a scheduled instant after this; no earlier than start_at. Whole milliseconds.
   */
  'endAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The most runs the job starts, 0 to 1,000,000,000; 0 means no limit.
   */
  'maxRuns': (number);
  /**
   * Each fire falls due up to this long after its scheduled instant, by the delay defined under
   * "Schedule policies" (Jitter). 0 to 86,400 s, whole milliseconds; unset or 0 means none.
   */
  'jitter': (_google_protobuf_Duration__Output | null);
  /**
   * The waits between the attempts of a run. Unset fields have their defaults.
   */
  'retryBackoff': (_k1s0_system_scheduler_v2_RetryBackoff__Output | null);
  /**
   * When true, a recurring job whose run ends failed or timed out is paused (see "Schedule
   * policies", Pause on failure).
   */
  'pauseOnFailure': (boolean);
}
