import { SchedulerError } from '../errors.js';
import type { DeliveryErrorContext, DeliveryOptions, JobCompletedHandler, JobCompletedSubscriber, SubscriberState } from '../events.js';
import type { JobCompletedEvent } from '../types.js';
import { ITERATION_STOPPED, type OutcomeSink } from './core.js';
import type { RawEventMessage, SubscriberEventName, SubscriberEvents } from './types.js';

const EVENT_NAMES: ReadonlySet<string> = new Set<SubscriberEventName>(['retry', 'invalid', 'deadLettered', 'parked', 'crash']);

interface Pending {
  event: JobCompletedEvent;
  ack: () => void;
  nack: (reason: unknown) => void;
}

/** The callbacks every subscriber takes. */
export interface ReportingOptions<Raw extends RawEventMessage> {
  onError?: DeliveryOptions['onError'];
  onInvalid?: ((raw: Raw, error: SchedulerError) => void) | undefined;
}

type Listener = (notice: never) => void;

/**
 * What every subscriber shares: the state machine, `stopped`, one shared `close()`, the outcome
 * events and the routing of each outcome to them and to the callbacks, and `for await` built on
 * `run()`. Transports implement `start` and `stop`.
 */
export abstract class SubscriberBase<Raw extends RawEventMessage = RawEventMessage> implements JobCompletedSubscriber<Raw> {
  /** @inheritDoc */
  readonly stopped: Promise<void>;
  private currentState: SubscriberState = 'idle';
  private resolveStopped!: () => void;
  private rejectStopped!: (error: unknown) => void;
  private closePromise: Promise<void> | undefined;
  /** Aborted as soon as closing starts, so that waits end early. */
  protected readonly closing = new AbortController();
  private readonly listeners = new Map<SubscriberEventName, Set<Listener>>();
  private readonly onErrorOption: DeliveryOptions['onError'];
  private readonly onInvalidOption: ReportingOptions<Raw>['onInvalid'];

  /**
   * Where the delivery core and the transport report outcomes. Each outcome is emitted once as its
   * event, and reaches at most one callback:
   *
   * | outcome | event | callback |
   * | --- | --- | --- |
   * | a failed attempt that will be retried | `retry` | none |
   * | an invalid message set aside | `invalid` | `onInvalid`, or `onError` (action `reported` or `dead-lettered`) without one |
   * | an event given up on, dead-lettered | `deadLettered` | `onError`, action `dead-lettered` |
   * | an event given up on, parked | `parked` | `onError`, action `paused` |
   * | a consumer crash that restarts | `crash` | `onError`, action `retrying` |
   * | a consumer crash that does not | `crash` | `onError`, action `stopped` (and `stopped` rejects) |
   */
  protected readonly outcomes: OutcomeSink<Raw> = {
    retry: (notice) => this.emit('retry', notice),
    invalid: (notice) => {
      this.emit('invalid', notice);
      if (this.onInvalidOption === undefined) {
        this.report(notice.error, { action: notice.deadLettered ? 'dead-lettered' : 'reported' });
        return;
      }
      try {
        this.onInvalidOption(notice.raw, notice.error);
      } catch {
        // onInvalid must not throw; if it does, the message is set aside all the same.
      }
    },
    deadLettered: (notice) => {
      this.emit('deadLettered', notice);
      this.report(notice.error, { event: notice.event, attempts: notice.attempts, action: 'dead-lettered' });
    },
    parked: (notice) => {
      this.pause();
      this.emit('parked', notice);
      this.report(notice.error, { event: notice.event, attempts: notice.attempts, action: 'paused' });
    },
    crash: (notice) => {
      this.emit('crash', notice);
      if (notice.restart) this.report(notice.error, { action: 'retrying' });
      else this.fail(notice.error);
    },
  };

  protected constructor(
    protected readonly owner: string,
    options: ReportingOptions<Raw>,
  ) {
    this.onErrorOption = options.onError;
    this.onInvalidOption = options.onInvalid;
    this.stopped = new Promise<void>((resolve, reject) => {
      this.resolveStopped = resolve;
      this.rejectStopped = reject;
    });
    // A rejection nobody awaits must not crash the process; callers who await still see it.
    this.stopped.catch(() => {});
  }

  /** @inheritDoc */
  get state(): SubscriberState {
    return this.currentState;
  }

  /** @inheritDoc */
  on<K extends SubscriberEventName>(name: K, listener: (notice: SubscriberEvents<Raw>[K]) => void): () => void {
    if (typeof listener !== 'function') {
      throw new SchedulerError('INVALID_ARGUMENT', `${this.owner}.on: listener must be a function`, { operation: 'on', field: 'listener' });
    }
    let set = this.listeners.get(name);
    if (set === undefined) {
      if (!EVENT_NAMES.has(name)) {
        throw new SchedulerError('INVALID_ARGUMENT', `${this.owner}.on: unknown event '${String(name)}'; known: ${[...EVENT_NAMES].join(', ')}`, { operation: 'on', field: 'name' });
      }
      this.listeners.set(name, (set = new Set()));
    }
    // A wrapper per call, so that the same function added twice is called twice and removed once.
    const entry: Listener = (notice) => listener(notice);
    set.add(entry);
    return () => void set.delete(entry);
  }

  /** Calls the listeners of `name`; a listener that throws is ignored. */
  private emit<K extends SubscriberEventName>(name: K, notice: SubscriberEvents<Raw>[K]): void {
    const set = this.listeners.get(name);
    if (set === undefined || set.size === 0) return;
    for (const listener of [...set]) {
      try {
        (listener as (notice: SubscriberEvents<Raw>[K]) => void)(notice);
      } catch {
        // Listeners must not throw; if one does, the subscriber carries on regardless.
      }
    }
  }

  /** Connects and starts handing events to `handler`. */
  protected abstract start(handler: JobCompletedHandler): Promise<void>;
  /** Lets the handler in progress finish, acknowledges, disconnects. */
  protected abstract stop(): Promise<void>;

  /** @inheritDoc */
  async run(handler: JobCompletedHandler): Promise<void> {
    if (typeof handler !== 'function') {
      throw new SchedulerError('INVALID_ARGUMENT', `${this.owner}.run: handler must be a function`, { operation: 'run', field: 'handler' });
    }
    if (this.currentState !== 'idle') {
      throw new SchedulerError('INVALID_STATE', `${this.owner}.run: the subscriber is ${this.currentState}; run() can be called once`, {
        operation: 'run',
      });
    }
    this.currentState = 'starting';
    try {
      await this.start(handler);
    } catch (error) {
      const failure = SchedulerError.from(error, `${this.owner}.run`);
      this.fail(failure);
      throw failure;
    }
    if (this.currentState === 'starting') this.currentState = 'running';
  }

  /** @inheritDoc */
  close(): Promise<void> {
    this.closePromise ??= this.closeOnce();
    return this.closePromise;
  }

  private async closeOnce(): Promise<void> {
    if (this.currentState === 'closed' || this.currentState === 'failed') return;
    const wasIdle = this.currentState === 'idle';
    this.currentState = 'closing';
    this.closing.abort();
    try {
      if (!wasIdle) await this.stop();
    } finally {
      if (this.currentState === 'closing') {
        this.currentState = 'closed';
        this.resolveStopped();
      }
    }
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Marks the subscriber paused (a handler gave up and there is no dead-letter destination). */
  protected pause(): void {
    // A subscriber can give up on an event queued before run() returned, while still 'starting'.
    if (this.currentState === 'running' || this.currentState === 'starting') this.currentState = 'paused';
  }

  /** Marks a paused subscriber running again (its paused partitions were resumed or revoked). */
  protected markRunning(): void {
    if (this.currentState === 'paused') this.currentState = 'running';
  }

  /** A fatal error: the subscriber stops consuming, `state` becomes `failed`, `stopped` rejects. */
  protected fail(error: SchedulerError): void {
    if (this.currentState === 'closed' || this.currentState === 'failed') return;
    this.currentState = 'failed';
    this.closing.abort();
    this.report(error, { action: 'stopped' });
    this.rejectStopped(error);
  }

  /** Passes an error to the `onError` option; an `onError` that throws is ignored. */
  protected report(error: SchedulerError, context: DeliveryErrorContext): void {
    try {
      this.onErrorOption?.(error, context);
    } catch {
      // onError must not throw; if it does, the subscriber carries on regardless.
    }
  }

  /**
   * Iterates over events. Each event is acknowledged when the loop asks for the next one. Leaving
   * the loop early closes the subscriber without acknowledging the event in hand.
   */
  [Symbol.asyncIterator](): AsyncIterator<JobCompletedEvent> {
    const ready: Pending[] = [];
    const pulls: { resolve: (r: IteratorResult<JobCompletedEvent>) => void; reject: (e: unknown) => void }[] = [];
    let inHand: Pending | undefined;
    let started = false;
    let finished = false;
    let failure: unknown;

    const finish = (error?: unknown): void => {
      finished = true;
      const waiting = pulls.splice(0);
      if (error !== undefined && waiting.length === 0) failure = error;
      for (const pull of waiting) {
        if (error === undefined) pull.resolve({ value: undefined, done: true });
        else pull.reject(error);
      }
    };
    this.stopped.then(
      () => finish(),
      (error) => finish(error),
    );

    const handler: JobCompletedHandler = (event) =>
      new Promise<void>((ack, nack) => {
        const item: Pending = { event, ack, nack };
        const pull = pulls.shift();
        if (pull === undefined) {
          ready.push(item);
        } else {
          inHand = item;
          pull.resolve({ value: event, done: false });
        }
      });

    return {
      next: async () => {
        inHand?.ack();
        inHand = undefined;
        if (!started) {
          started = true;
          await this.run(handler);
        }
        const item = ready.shift();
        if (item !== undefined) {
          inHand = item;
          return { value: item.event, done: false };
        }
        if (finished) {
          // A failure is thrown once, by the first next() after it; afterwards the loop just ends.
          const error = failure;
          failure = undefined;
          if (error !== undefined) throw error;
          return { value: undefined, done: true };
        }
        return new Promise((resolve, reject) => pulls.push({ resolve, reject }));
      },
      return: async () => {
        inHand?.nack(ITERATION_STOPPED);
        inHand = undefined;
        for (const item of ready.splice(0)) item.nack(ITERATION_STOPPED);
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }
}
