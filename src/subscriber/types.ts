// The public types of the subscribers' outcome events, shared by the Kafka and in-memory ones.
import type { SchedulerError } from '../errors.js';
import type { JobCompletedEvent } from '../types.js';

/**
 * A message that could not be read as a JobCompletedEvent: what the `invalid` event and the
 * `onInvalid` option receive. The Kafka subscriber passes a {@link RawKafkaMessage}, which adds
 * where the message was (topic, partition, offset).
 */
export interface RawEventMessage {
  /** The message key (the job id, for a well-formed message). */
  key: Buffer | null;
  /** The message value as received; `null` for a Kafka tombstone. */
  value: Buffer | null;
  /** The headers as text (`content-type` chooses the format). */
  headers: Record<string, string>;
}

/** `retry`: the handler failed on an event, and the event will be tried again after `delayMs`. */
export interface RetryNotice {
  /** The event the handler failed on. */
  event: JobCompletedEvent;
  /** What the handler threw or rejected with, as it was. */
  error: unknown;
  /** The attempt that failed, from 1; it is always below `maxAttempts`. */
  attempt: number;
  /** How many attempts an event gets in all (the `maxAttempts` option). */
  maxAttempts: number;
  /** The wait before the next attempt, in ms (exponential backoff from `retryInitialMs` to `retryMaxMs`). */
  delayMs: number;
  /**
   * `in-place`: the subscriber waits holding the event's place, then tries again. `paused` (Kafka
   * only): the event's partition is paused for `delayMs` while the other partitions flow, and the
   * event is fetched and tried again after that.
   */
  mode: 'in-place' | 'paused';
  /** The Kafka partition of the event; undefined for the in-memory subscriber. */
  partition?: number;
}

/** `invalid`: a message that is not a valid event was set aside; the handler never saw it. */
export interface InvalidNotice<Raw extends RawEventMessage = RawEventMessage> {
  /** The message as received. */
  raw: Raw;
  /** `INVALID_ARGUMENT`, saying what is wrong with it. */
  error: SchedulerError;
  /** Whether a copy went to the dead-letter topic (Kafka with `deadLetterTopic`); else it was only skipped. */
  deadLettered: boolean;
}

/** `deadLettered`: the handler gave up on an event after `maxAttempts`; it went to the dead-letter destination. */
export interface DeadLetteredNotice {
  /** The event given up on. */
  event: JobCompletedEvent;
  /** `SERVER_ERROR` naming the event and the handler's last error (its `cause`). */
  error: SchedulerError;
  /** How many times the handler was tried on it. */
  attempts: number;
  /** The Kafka partition of the event; undefined for the in-memory subscriber. */
  partition?: number;
}

/**
 * `parked`: the handler gave up on an event and it could not be dead-lettered (no destination, or
 * the in-memory `onDeadLetter` threw). Its partition (Kafka) or the whole subscriber (in-memory)
 * stops delivering, holding the event: it is never skipped. `state` becomes `paused`.
 */
export interface ParkedNotice {
  /** The event given up on, which stays unacknowledged. */
  event: JobCompletedEvent;
  /** `SERVER_ERROR` naming the event and the handler's last error (its `cause`). */
  error: SchedulerError;
  /** How many times the handler was tried on it. */
  attempts: number;
  /** The Kafka partition now paused; undefined for the in-memory subscriber. */
  partition?: number;
  /** What the in-memory `onDeadLetter` threw, when that is why the event was parked. */
  deadLetterError?: unknown;
}

/**
 * `crash` (Kafka only): the kafkajs consumer crashed. With `restart` it starts again by itself;
 * without, the subscriber fails for good (`state` is `failed`, `stopped` rejects with `error`).
 */
export interface CrashNotice {
  /** `SERVER_ERROR` describing the crash, with kafkajs's error as `cause`. */
  error: SchedulerError;
  /** Whether kafkajs restarts the consumer. */
  restart: boolean;
}

/**
 * The outcome events of a subscriber, by name, and what each listener receives. Each outcome is
 * emitted once, when it happens; see {@link JobCompletedSubscriber.on} for which outcome also
 * reaches `onError` or `onInvalid`.
 */
export interface SubscriberEvents<Raw extends RawEventMessage = RawEventMessage> {
  /** A failed attempt that will be retried. */
  retry: RetryNotice;
  /** A message set aside because it is not a valid event. */
  invalid: InvalidNotice<Raw>;
  /** An event given up on and dead-lettered. */
  deadLettered: DeadLetteredNotice;
  /** An event given up on and held, its partition or subscriber paused. */
  parked: ParkedNotice;
  /** A crash of the Kafka consumer (never emitted by the in-memory subscriber). */
  crash: CrashNotice;
}

/** The name of an outcome event: `retry`, `invalid`, `deadLettered`, `parked` or `crash`. */
export type SubscriberEventName = keyof SubscriberEvents;
