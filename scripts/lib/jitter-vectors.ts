// The shapes of the jitter and retry-backoff vectors in proto/testdata/jitter/ (proto "Schedule
// policies"), shared by their generator and the test that reads them.

/** A jitter delay before the cap (delays.json, `delays`). */
export interface JitterDelayCase {
  job_id: string;
  scheduled_at: string;
  scheduled_ms: number;
  jitter_ms: number;
  /** H in decimal (a JSON number cannot hold it exactly): for a reader to find where it went wrong. */
  hash_u64: string;
  delay_ms: number;
}

/** A delay capped before the schedule's next instant (delays.json, `capped`). */
export interface CappedDelayCase extends JitterDelayCase {
  next_scheduled_at: string;
  next_scheduled_ms: number;
  due_at: string;
  due_ms: number;
}

/** The waits of one retry backoff (backoff.json, `backoffs`). */
export interface BackoffCase {
  description: string;
  initial_ms: number;
  max_ms: number;
  multiplier: number;
  /** w(1) .. w(k). */
  waits_ms: number[];
}
