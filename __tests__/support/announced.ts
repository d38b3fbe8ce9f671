// The event a foreign producer (conformance/python/produce_events.py, conformance/rust produce_events)
// announces on stdout for each message it sends, and the same shape made from a decoded event, so
// that tests compare the two as values.
import type { JobCompletedEvent } from '../../src/types.js';
import { formatTimestamp } from '../../src/timestamp.js';

/** An event as a foreign producer prints it: `completedAt` is the exact instant (UTC, 3, 6 or 9 fraction digits); `null` for none. */
export interface AnnouncedEvent {
  jobId: string;
  executionId: string;
  completedAt: string;
  result: string;
  error: string | null;
  attempt: number | null;
}

/** A decoded event in the shape a foreign producer announces. */
export function asAnnounced(e: JobCompletedEvent): AnnouncedEvent {
  return {
    jobId: e.jobId,
    executionId: e.executionId,
    completedAt: formatTimestamp(e.completedAtExact!),
    result: e.result,
    error: e.error ?? null,
    attempt: e.attempt ?? null,
  };
}
