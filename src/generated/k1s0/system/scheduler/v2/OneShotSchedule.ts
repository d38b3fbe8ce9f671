// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';

/**
 * A schedule that runs once.
 */
export interface OneShotSchedule {
  /**
   * When to run. At most 1 s before the server's current time, otherwise INVALID_SCHEDULE.
   * Precision is one millisecond: a run_at with a finer part (nanos not a multiple of 1,000,000) is
   * an INVALID_SCHEDULE with field "schedule.one_shot.run_at" ("a whole number of milliseconds"),
   * never cut.
   */
  'runAt'?: (_google_protobuf_Timestamp | null);
}

/**
 * A schedule that runs once.
 */
export interface OneShotSchedule__Output {
  /**
   * When to run. At most 1 s before the server's current time, otherwise INVALID_SCHEDULE.
   * Precision is one millisecond: a run_at with a finer part (nanos not a multiple of 1,000,000) is
   * an INVALID_SCHEDULE with field "schedule.one_shot.run_at" ("a whole number of milliseconds"),
   * never cut.
   */
  'runAt': (_google_protobuf_Timestamp__Output | null);
}
