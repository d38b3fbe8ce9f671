import type { SchedulerError } from './errors.js';
import type { RawEventMessage, SubscriberEventName, SubscriberEvents } from './subscriber/types.js';
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
 * and these semantics (one delivery core decides retries, dead-lettering, parking, dedupe and
 * invalid messages for both), so a worker's code does not change between its unit tests and
 * production.
 *
 * Consume it with `run(handler)` or with `for await (const event of subscriber)`, not both.
 * Leaving a `for await` loop early (break, return or throw) closes the subscriber; the event in
 * hand at that moment is not acknowledged and will be delivered again.
 *
 * @typeParam Raw what an invalid message looks like (the Kafka subscriber's carries its offset).
 */
export interface JobCompletedSubscriber<Raw extends RawEventMessage = RawEventMessage> extends AsyncIterable<JobCompletedEvent>, AsyncDisposable {
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
  /**
   * Listens to one kind of outcome; returns a function that stops listening. Listeners are called
   * synchronously, once per outcome, and must not throw (what they throw is ignored).
   *
   * - `retry` ({@link RetryNotice}): an attempt failed and the event will be tried again.
   * - `invalid` ({@link InvalidNotice}): a message that is not a valid event was set aside.
   * - `deadLettered` ({@link DeadLetteredNotice}): the handler gave up; the event was dead-lettered.
   * - `parked` ({@link ParkedNotice}): the handler gave up and there was nowhere to put the event:
   *   its partition (or the in-memory subscriber) pauses, holding it.
   * - `crash` ({@link CrashNotice}): the Kafka consumer crashed (restarting, or for good).
   *
   * Each outcome also reaches at most one callback: `invalid` goes to `onInvalid` (to `onError`
   * when there is no `onInvalid`); `deadLettered`, `parked` and `crash` go to `onError` (actions
   * `dead-lettered`, `paused`, and `retrying` or `stopped`); `retry` goes to no callback.
   *
   * @param name the outcome: `retry`, `invalid`, `deadLettered`, `parked` or `crash`.
   * @param listener receives the outcome's notice.
   * @returns a function that removes this listener.
   */
  on<K extends SubscriberEventName>(name: K, listener: (notice: SubscriberEvents<Raw>[K]) => void): () => void;
}

/** What an {@link DeliveryOptions.onError} callback is told besides the error. */
export interface DeliveryErrorContext {
  /** The event whose handling failed, when the error is about one event. */
  event?: JobCompletedEvent;
  /** How many times the handler was tried on it. */
  attempts?: number;
  /**
   * What the subscriber did next: `dead-lettered` the event (or an invalid message), `paused` on
   * it, `stopped` for good, is `retrying` (a broker it cannot reach, a consumer crash it restarts
   * from, a dead-letter send that failed), or only `reported` it (an invalid message, when there is
   * no `onInvalid` and no dead-letter topic).
   */
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
  /**
   * Told of every failure that needs attention, once each: an event given up on (dead-lettered or
   * paused on), a broker it cannot reach, a consumer crash, a fatal error, and an invalid message
   * when there is no `onInvalid`. A failed attempt that will be retried is not a failure yet: it is
   * the `retry` event (see {@link JobCompletedSubscriber.on}). Must not throw.
   */
  onError?: (error: SchedulerError, context: DeliveryErrorContext) => void;
}

/** Receives every finished attempt's JobCompletedEvent, for example to publish it to Kafka. */
export interface EventSink {
  /** Called synchronously for each event; must not throw (queue and report instead). */
  publish(event: JobCompletedEvent): void;
  /** Flushes what is queued and releases resources. */
  close(): Promise<void>;
}
