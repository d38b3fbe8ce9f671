import type { JobCompletedHandler, SubscriberState } from './events.js';
import { SubscriberBase } from './subscriber/base.js';
import { resolveDeliveryPolicy, type DeliveryPolicy } from './subscriber/delivery.js';
import type { KafkaConsumerLoop, KafkaSubscriberHealth } from './kafka/consumer.js';
import { resolveKafkaOptions, type KafkaSubscriberOptions, type ResolvedKafkaOptions } from './kafka/options.js';

/**
 * Consumes the scheduler's job-completion events from Kafka (topic
 * `k1s0.system.scheduler.job_completed.v1`) with at-least-once delivery.
 *
 * - An offset is committed only after the handler has finished with its message; order is kept per
 *   partition (the key is the job id, so per job). Handled offsets are committed at the end of
 *   every fetched batch, at least once a second within a long one, and on `close()`, so a crash
 *   delivers again at most that uncommitted tail.
 * - A failing handler is retried with exponential backoff. The first retries of an event wait in
 *   place (about a second in all, heartbeating); after that its partition is paused between
 *   attempts, so the other partitions keep flowing. After `maxAttempts` the event goes to
 *   `deadLetterTopic`, or, without one, its partition stays paused (until a rebalance hands it out
 *   afresh) and `onError` is told: an event is never skipped.
 * - A handler slower than `sessionTimeout` is fine: the member heartbeats while it runs. It does
 *   hold back the next fetch of the partitions that share its broker until it is done.
 * - A message that is not a valid event is reported to `onInvalid`, dead-lettered if a topic is
 *   set, and committed, so a poison message never stops the partition.
 * - A crash that kafkajs will not restart rejects `stopped`, sets `state` to `failed` and is
 *   reported to `onError`: the subscriber is never alive without consuming.
 *
 * kafkajs is loaded by `run()`, so importing this class costs nothing.
 *
 * @example
 * const sub = new KafkaJobCompletedSubscriber({ brokers: ['kafka:9092'], groupId: 'billing' });
 * await sub.run(async (event) => { await settle(event.jobId, event.result); });
 * // ... on shutdown:
 * await sub.close();
 */
export class KafkaJobCompletedSubscriber extends SubscriberBase {
  private readonly options: ResolvedKafkaOptions;
  private readonly policy: DeliveryPolicy;
  private loop: KafkaConsumerLoop | undefined;

  /** @throws {SchedulerError} `INVALID_ARGUMENT` for bad options. */
  constructor(options: KafkaSubscriberOptions) {
    const resolved = resolveKafkaOptions(options);
    super('KafkaJobCompletedSubscriber', resolved.onError);
    this.options = resolved;
    this.policy = resolveDeliveryPolicy(resolved, 'KafkaJobCompletedSubscriber');
    if (resolved.signal !== undefined) {
      if (resolved.signal.aborted) void this.close();
      else resolved.signal.addEventListener('abort', () => void this.close(), { once: true });
    }
  }

  /** The topic consumed. */
  get topic(): string {
    return this.options.topic;
  }

  /**
   * The subscriber's health: its `state` and, once `run()` was called, its consumer's counters
   * (group joins, assigned, parked and retrying partitions, restarts, events handled, invalid and
   * dead-lettered). Healthy means `state === 'running'`; `restarts` or `groupJoins` that keep
   * growing mean the consumer crashes or rebalances over and over.
   */
  health(): { state: SubscriberState } & Partial<KafkaSubscriberHealth> {
    return { state: this.state, ...this.loop?.health() };
  }

  protected async start(handler: JobCompletedHandler): Promise<void> {
    const { KafkaConsumerLoop } = await import('./kafka/consumer.js');
    this.loop = new KafkaConsumerLoop(this.options, this.policy, handler, this.closing.signal, {
      report: (error, context) => this.report(error, context),
      pause: () => this.pause(),
      resume: () => this.markRunning(),
      fail: (error) => this.fail(error),
    });
    await this.loop.start();
  }

  protected async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /**
   * Lets the running handler finish, commits what was handled, leaves the group and disconnects.
   * Idempotent. After a fatal error it resolves once the consumer has let go of its connections.
   */
  override async close(): Promise<void> {
    await super.close();
    // After a crash the subscriber failed without close(); the loop stops on its own, and close()
    // waits for that rather than return while connections are still open.
    await this.loop?.stop();
  }
}

export type { KafkaSubscriberOptions, RawKafkaMessage } from './kafka/options.js';
export type { KafkaSubscriberHealth } from './kafka/consumer.js';
