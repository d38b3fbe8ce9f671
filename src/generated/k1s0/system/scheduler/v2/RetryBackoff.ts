// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../../../google/protobuf/Duration';

/**
 * The waits between attempts: w(1) = initial, w(n+1) = min(floor(w(n) x multiplier), maximum).
 */
export interface RetryBackoff {
  /**
   * 1 ms to 3,600 s, whole milliseconds. Unset means 1 s.
   */
  'initial'?: (_google_protobuf_Duration | null);
  /**
   * 1 ms to 86,400 s, whole milliseconds, no less than initial (an unset initial is 1 s). Unset
   * means 60 s, so an initial above 60 s needs a maximum.
   */
  'maximum'?: (_google_protobuf_Duration | null);
  /**
   * 1 to 10, finite. 0 (unset) means 2.
   */
  'multiplier'?: (number | string);
}

/**
 * The waits between attempts: w(1) = initial, w(n+1) = min(floor(w(n) x multiplier), maximum).
 */
export interface RetryBackoff__Output {
  /**
   * 1 ms to 3,600 s, whole milliseconds. Unset means 1 s.
   */
  'initial': (_google_protobuf_Duration__Output | null);
  /**
   * 1 ms to 86,400 s, whole milliseconds, no less than initial (an unset initial is 1 s). Unset
   * means 60 s, so an initial above 60 s needs a maximum.
   */
  'maximum': (_google_protobuf_Duration__Output | null);
  /**
   * 1 to 10, finite. 0 (unset) means 2.
   */
  'multiplier': (number);
}
