import type { JobCompletedHandler, SubscriberState } from './events.js';
import { SubscriberBase } from './subscriber/base.js';
import { resolveDeliveryPolicy, type DeliveryPolicy } from './subscriber/core.js';
import type { KafkaConsumerLoop } from './kafka/consumer.js';
import { resolveKafkaOptions, type KafkaSubscriberHealth, type KafkaSubscriberOptions, type RawKafkaMessage, type ResolvedKafkaOptions } from './kafka/options.js';

/**
 * Consumes the scheduler's job-completion events from Kafka (topic
 * `k1s0.system.scheduler.job_completed.v1`) with at-least-once delivery.
 *
 * - An offset is committed only after the handler has finished with its message; order is kept per
 *   partition (the key is the job id, so per job). Handled offsets are committed at the end of
 *   every fetched batch, at least once a second within a long one, and on `close()`, so a crash
 *   delivers again at most that uncommitted tail.
 * - A failing handler is retried with exponential backoff (each retry is a `retry` event). The
 *   first retries of an event wait in place (about a second in all, heartbeating); after that its
 *   partition is paused between attempts, so the other partitions keep flowing. After
 *   `maxAttempts` the event goes to `deadLetterTopic` (`deadLettered`), or, without one, its
 *   partition stays paused until a rebalance hands it out afresh (`parked`); `onError` is told
 *   either way: an event is never skipped.
 * - A handler slower than `sessionTimeout` is fine: the member heartbeats while it runs. It does
 *   hold back the next fetch of the partitions that share its broker until it is done.
 * - A message that is not a valid event is reported (`invalid`, and `onInvalid`, or `onError`
 *   without one), dead-lettered if a topic is set, and committed, so a poison message never stops
 *   the partition.
 * - A crash that kafkajs will not restart (`crash`) rejects `stopped`, sets `state` to `failed`
 *   and is reported to `onError`: the subscriber is never alive without consuming.
 * - A new consumer group starts at the earliest event of the topic (`fromBeginning`, default
 *   true), so events published before its first join are not lost.
 * - `run()` keeps trying to reach the brokers for `connectTimeoutMs` (30 s by default), then
 *   rejects with a retryable `SERVER_ERROR`.
 *
 * The outcome events (`on('retry' | 'invalid' | 'deadLettered' | 'parked' | 'crash', fn)`) and
 * the callbacks they reach are described at {@link JobCompletedSubscriber.on}.
 *
 * kafkajs is loaded by `run()`, so importing this class costs nothing.
 *
 * @example
 * const sub = new KafkaJobCompletedSubscriber({ brokers: ['kafka:9092'], groupId: 'billing' });
 * await sub.run(async (event) => { await settle(event.jobId, event.result); });
 * // ... on shutdown:
 * await sub.close();
 */
export class KafkaJobCompletedSubscriber extends SubscriberBase<RawKafkaMessage> {
  private readonly options: ResolvedKafkaOptions;
  private readonly policy: DeliveryPolicy;
  private loop: KafkaConsumerLoop | undefined;
  private closed: Promise<void> | undefined;

  /** @throws {SchedulerError} `INVALID_ARGUMENT` for bad options. */
  constructor(options: KafkaSubscriberOptions) {
    const resolved = resolveKafkaOptions(options);
    super('KafkaJobCompletedSubscriber', resolved);
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
    this.loop = new KafkaConsumerLoop({
      options: this.options,
      policy: this.policy,
      handler,
      closing: this.closing.signal,
      outcomes: this.outcomes,
      hooks: {
        report: (error, context) => this.report(error, context),
        resume: () => this.markRunning(),
      },
    });
    await this.loop.start();
  }

  protected async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /**
   * Lets the running handler finish, commits what was handled, leaves the group and disconnects.
   * Idempotent: every call returns the same promise. After a fatal error it resolves once the consumer has let go of its connections.
   */
  override close(): Promise<void> {
    this.closed ??= (async () => {
      await super.close();
      // After a crash the subscriber failed without close(); the loop stops on its own, and close()
      // waits for that rather than return while connections are still open.
      await this.loop?.stop();
    })();
    return this.closed;
  }
}

export type { KafkaSubscriberHealth, KafkaSubscriberOptions, RawKafkaMessage } from './kafka/options.js';
