import { SchedulerError } from '../errors.js';
import type { DeliveryOptions, JobCompletedHandler } from '../events.js';
import { sleep } from '../sleep.js';
import type { JobCompletedEvent } from '../types.js';
import { SubscriberBase } from './base.js';
import { DeliveryCore, resolveDeliveryPolicy, type GiveUp } from './core.js';
import type { RawEventMessage } from './types.js';

/** Where in-memory events come from: anything with an `onCompleted` listener registry. */
export interface CompletionSource {
  /** Calls `listener` for every event from now on; returns a function that stops it. */
  onCompleted(listener: (event: JobCompletedEvent) => void): () => void;
  /**
   * Optional: calls `listener` for every message in the Kafka wire format from now on (a value and
   * its headers, as a producer writes them); returns a function that stops it. The subscriber
   * decodes each in its turn exactly as the Kafka subscriber does, so a test can feed it the same
   * bytes, malformed ones included (those are set aside and reported as `invalid`).
   */
  onRawMessage?(listener: (raw: RawEventMessage) => void): () => void;
}

/** Options of an {@link InMemoryJobCompletedSubscriber}. */
export interface InMemorySubscriberOptions extends DeliveryOptions {
  /**
   * Where an event goes when the handler gave up on it after `maxAttempts`; the subscriber then
   * carries on with the next event. Without it, or when it throws, the subscriber parks on such an
   * event (state `paused`, event `parked`), as the Kafka subscriber does without a dead-letter
   * topic, and never skips it.
   */
  onDeadLetter?: (event: JobCompletedEvent, error: Error) => Promise<void> | void;
  /**
   * Told of every raw message (see {@link CompletionSource.onRawMessage}) that is not a valid
   * event; the message is then skipped. Without it, `onError` is told. Must not throw.
   */
  onInvalid?: (raw: RawEventMessage, error: SchedulerError) => void;
}

/** A raw message waiting in the queue, to be decoded in its turn. */
class RawItem {
  constructor(readonly raw: RawEventMessage) {}
}

type Codec = typeof import('../kafka/codec.js');
let codec: Promise<Codec> | undefined;
// Loaded on the first raw message only: the codec brings protobufjs, which plain events never need.
const loadCodec = (): Promise<Codec> => (codec ??= import('../kafka/codec.js'));

/**
 * Completion events of an in-memory scheduler, with the same interface and semantics as the Kafka
 * subscriber, on the same delivery core: events are delivered in order, one at a time; a failing
 * handler is retried with backoff (every wait in place: nothing else is held back); after
 * `maxAttempts` the event is dead-lettered (`onDeadLetter`) or the subscriber parks on it. It
 * emits the same outcome events (`retry`, `invalid`, `deadLettered`, `parked`; never `crash`).
 *
 * Events are buffered from the moment the subscriber is created, so none is missed between
 * `completions()` and `run()`.
 */
export class InMemoryJobCompletedSubscriber extends SubscriberBase {
  private readonly queue: (JobCompletedEvent | RawItem)[] = [];
  private readonly core: DeliveryCore;
  private readonly onDeadLetter: InMemorySubscriberOptions['onDeadLetter'];
  private readonly unsubscribers: (() => void)[] = [];
  /** Identifies the event at the head of the queue for the core's retry state. */
  private headSeq = 0;
  private wake: (() => void) | undefined;
  private pump: Promise<void> | undefined;
  private busy = false;
  private idleWaiters: (() => void)[] = [];

  /**
   * @param source the scheduler whose events to deliver.
   * @param options retries, dead-lettering, dedupe and error reporting.
   */
  constructor(source: CompletionSource, options: InMemorySubscriberOptions = {}) {
    super('InMemoryJobCompletedSubscriber', options);
    this.core = new DeliveryCore({
      policy: resolveDeliveryPolicy(options, 'InMemoryJobCompletedSubscriber'),
      sink: this.outcomes,
      deadLetter: options.onDeadLetter !== undefined,
      retryDeadLetter: false,
      inlineRetryBudgetMs: Number.POSITIVE_INFINITY,
      partitioned: false,
    });
    this.onDeadLetter = options.onDeadLetter;
    this.unsubscribers.push(source.onCompleted((event) => this.enqueue(event)));
    if (typeof source.onRawMessage === 'function') this.unsubscribers.push(source.onRawMessage((raw) => this.enqueue(new RawItem(raw))));
  }

  private enqueue(item: JobCompletedEvent | RawItem): void {
    if (this.closing.signal.aborted) return;
    this.queue.push(item);
    this.wake?.();
  }

  /** How many events wait to be handled. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Resolves when every event received so far has been dealt with (handled, dead-lettered, set
   * aside), or the subscriber is paused or stopped. Useful in tests after `advanceTime()`.
   */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return (!this.busy && this.queue.length === 0) || this.state === 'paused' || this.closing.signal.aborted || this.state === 'idle';
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  protected async start(handler: JobCompletedHandler): Promise<void> {
    this.pump = this.consume(handler);
  }

  protected async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.wake?.();
    await this.pump;
    this.notifyIdle();
  }

  private async consume(handler: JobCompletedHandler): Promise<void> {
    while (!this.closing.signal.aborted) {
      const item = this.queue[0];
      if (item === undefined) {
        this.notifyIdle();
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.busy = true;
      const done = await this.deliver(item, handler);
      this.busy = false;
      if (!done) {
        // Stopped or parked: the item stays at the head, unacknowledged.
        this.notifyIdle();
        return;
      }
      this.queue.shift();
      this.headSeq++;
    }
  }

  /** Delivers the head of the queue; true when it is dealt with and can be dropped. */
  private async deliver(item: JobCompletedEvent | RawItem, handler: JobCompletedHandler): Promise<boolean> {
    let event: JobCompletedEvent;
    if (item instanceof RawItem) {
      const { decodeEvent } = await loadCodec();
      try {
        event = decodeEvent(item.raw.value, item.raw.headers);
      } catch (cause) {
        const error = new SchedulerError('INVALID_ARGUMENT', `invalid JobCompletedEvent: ${(cause as Error).message}`, { operation: 'decodeJobCompleted', cause });
        this.core.invalid(0, item.raw, error, false);
        return true;
      }
    } else {
      event = item;
    }
    if (this.core.isDuplicate(event)) return true;
    for (;;) {
      if (this.closing.signal.aborted) return false;
      try {
        await handler(event);
      } catch (failure) {
        const decision = this.core.failed(0, this.headSeq, event, failure, this.closing.signal.aborted);
        switch (decision.kind) {
          case 'retry':
          case 'pause':
            await sleep(decision.delayMs, this.closing.signal);
            continue;
          case 'dead-letter':
            return this.deadLetter(decision);
          default:
            return false; // 'stop', or 'park' (already reported)
        }
      }
      this.core.handled(0, event);
      return true;
    }
  }

  private async deadLetter(gaveUp: GiveUp): Promise<boolean> {
    try {
      await this.onDeadLetter!(gaveUp.event, gaveUp.error);
    } catch (cause) {
      this.core.deadLetterFailed(0, this.headSeq, cause, gaveUp); // parks
      return false;
    }
    this.core.deadLettered(0, gaveUp);
    return true;
  }
}
