import type { SchedulerError } from './errors.js';
import type { JobCompletedEvent } from './types.js';

/** The Kafka topic the scheduler publishes completion events to. */
export const JOB_COMPLETED_TOPIC = 'k1s0.system.scheduler.job_completed.v1';

/** Handles one completion event. Finish (resolve) only when the event is fully dealt with. */
export type JobCompletedHandler = (event: JobCompletedEvent) => Promise<void> | void;

/**
 * Where a subscriber is: `idle` before `run()`, `starting` while it connects, `running` while it
 * consumes, `paused` when a handler failure stopped delivery (no dead-letter destination),
 * `closing`, `closed`, or `failed` after a fatal error (see `stopped`).
 */
export type SubscriberState = 'idle' | 'starting' | 'running' | 'paused' | 'closing' | 'closed' | 'failed';

/**
 * A stream of job-completion events with at-least-once delivery: an event counts as delivered only
 * when its handler has finished. The Kafka subscriber and the in-memory one share this interface
 * and these semantics, so a worker's code does not change between its unit tests and production.
 *
 * Consume it with `run(handler)` or with `for await (const event of subscriber)`, not both.
 * Leaving a `for await` loop early (break, return or throw) closes the subscriber; the event in
 * hand at that moment is not acknowledged and will be delivered again.
 */
export interface JobCompletedSubscriber extends AsyncIterable<JobCompletedEvent>, AsyncDisposable {
  /**
   * Starts consuming and calls `handler` for each event, one at a time per job. Resolves once
   * consuming has begun; rejects if it cannot begin. A failure after that rejects `stopped`.
   */
  run(handler: JobCompletedHandler): Promise<void>;
  /** Resolves after `close()`; rejects with a `SchedulerError` on a fatal error. */
  readonly stopped: Promise<void>;
  /** Where the subscriber is now. */
  readonly state: SubscriberState;
  /** Lets the running handler finish, acknowledges what was handled, and stops. Idempotent. */
  close(): Promise<void>;
}

/** What an {@link DeliveryOptions.onError} callback is told besides the error. */
export interface DeliveryErrorContext {
  /** The event whose handling failed, when the error is about one event. */
  event?: JobCompletedEvent;
  /** How many times the handler was tried on it. */
  attempts?: number;
  /** What the subscriber did next: dead-lettered the event, paused, or stopped for good. */
  action: 'dead-lettered' | 'paused' | 'stopped' | 'retrying' | 'reported';
}

/** How a subscriber retries a failing handler. Shared by the Kafka and in-memory subscribers. */
export interface DeliveryOptions {
  /** How many times the handler is tried on one event before giving up on it. @default 5 */
  maxAttempts?: number;
  /** The wait before the first retry, in ms; it doubles per retry. @default 200 */
  retryInitialMs?: number;
  /** The longest wait between retries, in ms. @default 30000 */
  retryMaxMs?: number;
  /**
   * Skips an event whose `executionId` was handled successfully among the last N events (a
   * redelivery). `true` means N = 10,000. @default false
   */
  dedupe?: boolean | number;
  /** Told of every failure: an event given up on, a pause, a fatal error. Must not throw. */
  onError?: (error: SchedulerError, context: DeliveryErrorContext) => void;
}

/** Receives every finished attempt's JobCompletedEvent, for example to publish it to Kafka. */
export interface EventSink {
  /** Called synchronously for each event; must not throw (queue and report instead). */
  publish(event: JobCompletedEvent): void;
  /** Flushes what is queued and releases resources. */
  close(): Promise<void>;
}
