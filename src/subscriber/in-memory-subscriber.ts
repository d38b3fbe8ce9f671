import type { DeliveryOptions, JobCompletedHandler } from '../events.js';
import type { JobCompletedEvent } from '../types.js';
import { SubscriberBase } from './base.js';
import { deliver, resolveDeliveryPolicy, type DeliveryPolicy } from './delivery.js';

/** Where in-memory events come from: anything with an `onCompleted` listener registry. */
export interface CompletionSource {
  /** Calls `listener` for every event from now on; returns a function that stops it. */
  onCompleted(listener: (event: JobCompletedEvent) => void): () => void;
}

/** Options of an {@link InMemoryJobCompletedSubscriber}. */
export interface InMemorySubscriberOptions extends DeliveryOptions {
  /**
   * Where an event goes when the handler gave up on it after `maxAttempts`; the subscriber then
   * carries on with the next event. Without it the subscriber pauses on such an event, as the
   * Kafka subscriber does without a dead-letter topic, and never skips it.
   */
  onDeadLetter?: (event: JobCompletedEvent, error: Error) => Promise<void> | void;
}

/**
 * Completion events of an in-memory scheduler, with the same interface and semantics as the Kafka
 * subscriber: events are delivered in order, one at a time; a failing handler is retried with
 * backoff; after `maxAttempts` the event is dead-lettered (`onDeadLetter`) or the subscriber pauses.
 *
 * Events are buffered from the moment the subscriber is created, so none is missed between
 * `completions()` and `run()`.
 */
export class InMemoryJobCompletedSubscriber extends SubscriberBase {
  private readonly queue: JobCompletedEvent[] = [];
  private readonly policy: DeliveryPolicy;
  private readonly onDeadLetter: InMemorySubscriberOptions['onDeadLetter'];
  private unsubscribe: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private pump: Promise<void> | undefined;
  private busy = false;
  private idleWaiters: (() => void)[] = [];

  /**
   * @param source the scheduler whose events to deliver.
   * @param options retries, dead-lettering, dedupe and error reporting.
   */
  constructor(source: CompletionSource, options: InMemorySubscriberOptions = {}) {
    super('InMemoryJobCompletedSubscriber', options.onError);
    this.policy = resolveDeliveryPolicy(options, 'InMemoryJobCompletedSubscriber');
    this.onDeadLetter = options.onDeadLetter;
    this.unsubscribe = source.onCompleted((event) => {
      if (this.closing.signal.aborted) return;
      this.queue.push(event);
      this.wake?.();
    });
  }

  /** How many events wait to be handled. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Resolves when every event received so far has been dealt with (handled, dead-lettered), or the
   * subscriber is paused or stopped. Useful in tests after `advanceTime()`.
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
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.wake?.();
    await this.pump;
    this.notifyIdle();
  }

  private async consume(handler: JobCompletedHandler): Promise<void> {
    while (!this.closing.signal.aborted) {
      const event = this.queue[0];
      if (event === undefined) {
        this.notifyIdle();
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.busy = true;
      const outcome = await deliver(event, handler, this.policy, this.closing.signal);
      this.busy = false;
      if (outcome.kind === 'stopped') return;
      if (outcome.kind === 'exhausted') {
        if (this.onDeadLetter === undefined) {
          // Never skip: keep the event at the head and stop delivering until closed.
          this.pause();
          this.report(outcome.error, { event, attempts: outcome.attempts, action: 'paused' });
          this.notifyIdle();
          return;
        }
        try {
          await this.onDeadLetter(event, outcome.error);
        } catch {
          this.pause();
          this.report(outcome.error, { event, attempts: outcome.attempts, action: 'paused' });
          this.notifyIdle();
          return;
        }
        this.report(outcome.error, { event, attempts: outcome.attempts, action: 'dead-lettered' });
      }
      this.queue.shift();
    }
  }
}
