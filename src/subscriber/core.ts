// The delivery core both subscribers share: after each handler outcome, it decides what happens to
// the event (acknowledge, retry in place, pause and come back, dead-letter, park, skip a duplicate,
// set an invalid message aside) and reports the outcome once. It knows nothing of Kafka or of
// queues: a transport calls the handler, asks the core, and does what the decision says.
import { backoffDelay, type Backoff } from '../backoff.js';
import { SchedulerError, optionError } from '../errors.js';
import type { DeliveryOptions } from '../events.js';
import type { JobCompletedEvent } from '../types.js';
import type { CrashNotice, DeadLetteredNotice, InvalidNotice, ParkedNotice, RawEventMessage, RetryNotice } from './types.js';

/** Thrown into a handler's promise when a `for await` loop is left: stop, acknowledge nothing. */
export const ITERATION_STOPPED: unique symbol = Symbol('iteration stopped');

/** Delivery options with defaults applied. */
export interface DeliveryPolicy {
  maxAttempts: number;
  /** The waits between attempts. */
  backoff: Backoff;
  dedupe: RecentIds | undefined;
}

/** Applies defaults and checks the options once, at construction. */
export function resolveDeliveryPolicy(options: DeliveryOptions, owner: string): DeliveryPolicy {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryInitialMs = options.retryInitialMs ?? 200;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const check = (ok: boolean, field: string, limit: string, value: unknown): void => {
    if (!ok) throw optionError(owner, field, limit, value);
  };
  check(Number.isInteger(maxAttempts) && maxAttempts >= 1, 'maxAttempts', 'an integer >= 1', maxAttempts);
  check(Number.isFinite(retryInitialMs) && retryInitialMs >= 0, 'retryInitialMs', 'a number >= 0', retryInitialMs);
  check(Number.isFinite(retryMaxMs) && retryMaxMs >= retryInitialMs, 'retryMaxMs', 'a number >= retryInitialMs', retryMaxMs);
  const dedupeSize = options.dedupe === true ? 10_000 : options.dedupe === false || options.dedupe === undefined ? 0 : options.dedupe;
  check(Number.isInteger(dedupeSize) && dedupeSize >= 0, 'dedupe', 'a boolean or an integer >= 0', options.dedupe);
  return { maxAttempts, backoff: { initialMs: retryInitialMs, maxMs: retryMaxMs }, dedupe: dedupeSize > 0 ? new RecentIds(dedupeSize) : undefined };
}

/** A bounded set of recently seen ids; the oldest is forgotten first. */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }
}

/** Where the core reports outcomes; the subscriber routes each to its event and callbacks. */
export interface OutcomeSink<Raw extends RawEventMessage> {
  retry(notice: RetryNotice): void;
  invalid(notice: InvalidNotice<Raw>): void;
  deadLettered(notice: DeadLetteredNotice): void;
  parked(notice: ParkedNotice): void;
  crash(notice: CrashNotice): void;
}

/** The handler gave up on an event: what the transport passes back once it tried to dead-letter it. */
export interface GiveUp {
  event: JobCompletedEvent;
  error: SchedulerError;
  attempts: number;
}

/** What the transport does next with the event in hand, after a failed attempt. */
export type Decision =
  /** Wait `delayMs` holding the event's place, then call the handler on it again. */
  | { kind: 'retry'; delayMs: number }
  /** Let go of the event unacknowledged, pause its lane for `delayMs`; it comes again after. */
  | { kind: 'pause'; delayMs: number }
  /** Send it to the dead-letter destination, then call `deadLettered()` or `deadLetterFailed()`. */
  | ({ kind: 'dead-letter' } & GiveUp)
  /** Stop the lane, holding the event unacknowledged (already reported). */
  | ({ kind: 'park' } & GiveUp)
  /** Closing or interrupted: let go of the event unacknowledged, report nothing. */
  | { kind: 'stop' };

/** How a transport sets up its core. */
export interface DeliveryCoreOptions<Raw extends RawEventMessage> {
  policy: DeliveryPolicy;
  sink: OutcomeSink<Raw>;
  /** Whether a given-up event goes to a dead-letter destination; without one, its lane is parked. */
  deadLetter: boolean;
  /**
   * After a dead-letter attempt failed: pause the lane and come back (true; a broker may answer
   * again), or park it (false).
   */
  retryDeadLetter: boolean;
  /**
   * How long, in all, the retries of one event may wait in place; a retry that would wait longer
   * pauses the lane instead. `Infinity` when waiting in place holds nothing else back.
   */
  inlineRetryBudgetMs: number;
  /** Whether lanes are Kafka partitions (then notices carry `partition`). */
  partitioned: boolean;
  /** Where an event is, for error messages, such as `topic/2@1041`; none when omitted. */
  where?: (lane: number, key: unknown) => string;
}

/** The event a lane is retrying: at most one per lane, so the map stays small. */
interface Retry {
  key: unknown;
  attempts: number;
  /** Time spent waiting in place so far, against the inline budget. */
  inlineMs: number;
  /** Failed dead-letter attempts for this event. */
  deadLetterFailures: number;
}

/** Counters of a core, for health reports. */
export interface DeliveryStats {
  handled: number;
  invalid: number;
  deadLettered: number;
  parkedLanes: number[];
  retryingLanes: number[];
}

const STOP: Decision = Object.freeze({ kind: 'stop' });
const byNumber = (a: number, b: number): number => a - b;

/**
 * The delivery state machine. Events flow in lanes (a Kafka partition; the in-memory queue is lane
 * 0), one event in hand per lane, identified by a key (its offset, or a sequence number), so that a
 * retry state survives the event being fetched again after a pause.
 *
 * For each event: `isDuplicate()` first; after the handler, `handled()` or `failed()`; for a
 * message that cannot be decoded, `invalid()`. The hot path (`isDuplicate` and `handled` on a
 * success) does no allocation.
 */
export class DeliveryCore<Raw extends RawEventMessage = RawEventMessage> {
  private readonly retries = new Map<number, Retry>();
  private readonly parked = new Set<number>();
  private handledCount = 0;
  private invalidCount = 0;
  private deadLetteredCount = 0;
  private readonly policy: DeliveryPolicy;
  private readonly sink: OutcomeSink<Raw>;

  constructor(private readonly o: DeliveryCoreOptions<Raw>) {
    this.policy = o.policy;
    this.sink = o.sink;
  }

  /** Whether `event` was handled recently (with `dedupe` on): skip it and acknowledge it. */
  isDuplicate(event: JobCompletedEvent): boolean {
    return this.policy.dedupe !== undefined && this.policy.dedupe.has(event.executionId);
  }

  /** The handler finished with `event`: acknowledge it. */
  handled(lane: number, event: JobCompletedEvent): void {
    this.policy.dedupe?.add(event.executionId);
    if (this.retries.size > 0) this.retries.delete(lane);
    this.handledCount++;
  }

  /**
   * The handler failed on `event` (at `key` in `lane`) with `failure`. Decides what follows and
   * reports it: `retry` or `pause` (emits `retry`), `dead-letter` (reported once confirmed),
   * `park` (reports `parked`), or `stop` when `stopping` (closing, or the lane was taken away)
   * or the failure is the end of a `for await` loop.
   */
  failed(lane: number, key: unknown, event: JobCompletedEvent, failure: unknown, stopping: boolean): Decision {
    if (failure === ITERATION_STOPPED) return STOP;
    let state = this.retries.get(lane);
    if (state === undefined || state.key !== key) this.retries.set(lane, (state = { key, attempts: 0, inlineMs: 0, deadLetterFailures: 0 }));
    state.attempts++;
    if (state.attempts >= this.policy.maxAttempts) return this.giveUp(lane, key, event, failure, state.attempts);
    if (stopping) return STOP;
    const delayMs = backoffDelay(this.policy.backoff, state.attempts);
    const inPlace = state.inlineMs + delayMs <= this.o.inlineRetryBudgetMs;
    if (inPlace) state.inlineMs += delayMs;
    const notice: RetryNotice = { event, error: failure, attempt: state.attempts, maxAttempts: this.policy.maxAttempts, delayMs, mode: inPlace ? 'in-place' : 'paused' };
    if (this.o.partitioned) notice.partition = lane;
    this.sink.retry(notice);
    return { kind: inPlace ? 'retry' : 'pause', delayMs };
  }

  private giveUp(lane: number, key: unknown, event: JobCompletedEvent, failure: unknown, attempts: number): Decision {
    const text = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    const where = this.o.where === undefined ? '' : ` (${this.o.where(lane, key)})`;
    const error = new SchedulerError(
      'SERVER_ERROR',
      `handler failed ${attempts} time${attempts === 1 ? '' : 's'} on execution '${event.executionId}' of job '${event.jobId}'${where}: ${text}`,
      { operation: 'handleJobCompleted', jobId: event.jobId, cause: failure },
    );
    if (this.o.deadLetter) return { kind: 'dead-letter', event, error, attempts };
    return this.park(lane, { event, error, attempts });
  }

  private park(lane: number, gaveUp: GiveUp, deadLetterError?: unknown): Decision {
    this.retries.delete(lane);
    this.parked.add(lane);
    const notice: ParkedNotice = { event: gaveUp.event, error: gaveUp.error, attempts: gaveUp.attempts };
    if (this.o.partitioned) notice.partition = lane;
    if (deadLetterError !== undefined) notice.deadLetterError = deadLetterError;
    this.sink.parked(notice);
    return { kind: 'park', ...gaveUp };
  }

  /** The event given up on reached the dead-letter destination: acknowledge it. */
  deadLettered(lane: number, gaveUp: GiveUp): void {
    this.retries.delete(lane);
    this.deadLetteredCount++;
    const notice: DeadLetteredNotice = { event: gaveUp.event, error: gaveUp.error, attempts: gaveUp.attempts };
    if (this.o.partitioned) notice.partition = lane;
    this.sink.deadLettered(notice);
  }

  /**
   * Dead-lettering the message at `key` failed (the transport reports why). With
   * `retryDeadLetter`, pause the lane for a backoff that grows with each failure (the event comes
   * again; a handler that still fails sends it straight back here); else park the given-up event.
   */
  deadLetterFailed(lane: number, key: unknown, cause: unknown, gaveUp?: GiveUp): Decision {
    if (!this.o.retryDeadLetter && gaveUp !== undefined) return this.park(lane, gaveUp, cause);
    let state = this.retries.get(lane);
    if (state === undefined || state.key !== key) this.retries.set(lane, (state = { key, attempts: gaveUp?.attempts ?? 0, inlineMs: 0, deadLetterFailures: 0 }));
    state.deadLetterFailures++;
    return { kind: 'pause', delayMs: backoffDelay(this.policy.backoff, state.deadLetterFailures) };
  }

  /** A message in `lane` is not a valid event: it is set aside (acknowledged) and reported. */
  invalid(lane: number, raw: Raw, error: SchedulerError, deadLettered: boolean): void {
    if (this.retries.size > 0) this.retries.delete(lane);
    this.invalidCount++;
    if (deadLettered) this.deadLetteredCount++;
    this.sink.invalid({ raw, error, deadLettered });
  }

  /**
   * The lanes are now `assigned` (after a Kafka rebalance): forgets the retries of lanes that went
   * away, and un-parks every parked lane (its new owner starts afresh at its committed offset).
   * Returns the lanes that were parked, for the transport to resume.
   */
  rebalanced(assigned: ReadonlySet<number>): number[] {
    for (const lane of this.retries.keys()) if (!assigned.has(lane)) this.retries.delete(lane);
    const unparked = [...this.parked];
    this.parked.clear();
    return unparked;
  }

  /** A snapshot of the counters. */
  stats(): DeliveryStats {
    return {
      handled: this.handledCount,
      invalid: this.invalidCount,
      deadLettered: this.deadLetteredCount,
      parkedLanes: [...this.parked].sort(byNumber),
      retryingLanes: [...this.retries.keys()].filter((lane) => !this.parked.has(lane)).sort(byNumber),
    };
  }
}
