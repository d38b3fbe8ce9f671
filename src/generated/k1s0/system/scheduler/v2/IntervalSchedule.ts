// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../../google/protobuf/Duration';

/**
 * A recurring schedule at a fixed interval. The first scheduled instant is one interval after
 * creation (or start_at, see "Schedule policies"); each next one is one interval after the previous
 * scheduled instant, whenever that fire's run actually started.
 */
export interface IntervalSchedule {
  /**
   * At least 1 s, a whole number of milliseconds, at most 3,155,760,000 s (100 years of 365.25
   * days), and the first run (creation time + every) no later than 9999-12-31T23:59:59.999Z.
   * Otherwise INVALID_SCHEDULE. A job whose next run would fall after that instant completes.
   */
  'every'?: (_google_protobuf_Duration | null);
}

/**
 * A recurring schedule at a fixed interval. The first scheduled instant is one interval after
 * creation (or start_at, see "Schedule policies"); each next one is one interval after the previous
 * scheduled instant, whenever that fire's run actually started.
 */
export interface IntervalSchedule__Output {
  /**
   * At least 1 s, a whole number of milliseconds, at most 3,155,760,000 s (100 years of 365.25
   * days), and the first run (creation time + every) no later than 9999-12-31T23:59:59.999Z.
   * Otherwise INVALID_SCHEDULE. A job whose next run would fall after that instant completes.
   */
  'every': (_google_protobuf_Duration__Output | null);
}
