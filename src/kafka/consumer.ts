// The kafkajs side of KafkaJobCompletedSubscriber. Loaded only by `run()`.
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type KafkaMessage, type LogEntry, type Producer } from 'kafkajs';
import { SchedulerError } from '../errors.js';
import type { DeliveryErrorContext, JobCompletedHandler } from '../events.js';
import { ITERATION_STOPPED, sleep, type DeliveryPolicy } from '../subscriber/delivery.js';
import type { JobCompletedEvent } from '../types.js';
import { decodeEvent } from './codec.js';
import { DLQ_HEADERS } from './dead-letter.js';
import type { RawKafkaMessage, ResolvedKafkaOptions } from './options.js';

/** What a KafkaJobCompletedSubscriber reports about its consumer, for health checks. */
export interface KafkaSubscriberHealth {
  /** How many times the member joined the group (1 after a clean start; more after rebalances). */
  groupJoins: number;
  /** The member id from the last join. */
  memberId: string | undefined;
  /** The partitions assigned at the last join. */
  partitions: number[];
  /** Partitions paused for good because an event exhausted its attempts (no dead-letter topic). */
  parkedPartitions: number[];
  /** Crashes that kafkajs restarted from. */
  restarts: number;
  /** Events handled successfully, and messages set aside as invalid. */
  handled: number;
  invalid: number;
  deadLettered: number;
}

/** What the loop tells the subscriber. */
export interface LoopHooks {
  report(error: SchedulerError, context: DeliveryErrorContext): void;
  pause(): void;
  resume(): void;
  fail(error: SchedulerError): void;
}

/** Retry waits up to this long happen in place, heartbeating; longer ones pause the partition. */
const INLINE_RETRY_MAX_MS = 1_000;
const CONNECT_RETRY_MAX_MS = 5_000;

type Outcome = 'handled' | 'stop';

/**
 * Runs the kafkajs consumer: manual offset resolution in `eachBatch`, commits only after the
 * handler, non-blocking retries, dead-lettering, and crash detection.
 */
export class KafkaConsumerLoop {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  /** Failed attempts so far, by `partition:offset`, across redeliveries of the same message. */
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly parked = new Set<number>();
  private stopping = false;
  private readonly stats: KafkaSubscriberHealth = {
    groupJoins: 0,
    memberId: undefined,
    partitions: [],
    parkedPartitions: [],
    restarts: 0,
    handled: 0,
    invalid: 0,
    deadLettered: 0,
  };

  constructor(
    private readonly o: ResolvedKafkaOptions,
    private readonly policy: DeliveryPolicy,
    private readonly handler: JobCompletedHandler,
    private readonly closing: AbortSignal,
    private readonly hooks: LoopHooks,
  ) {}

  async start(): Promise<void> {
    const kafka = new Kafka({
      ...this.o.kafka,
      clientId: this.o.clientId,
      brokers: this.o.brokers,
      ...(this.o.ssl === undefined ? {} : { ssl: this.o.ssl }),
      ...(this.o.sasl === undefined ? {} : { sasl: this.o.sasl }),
      logLevel: this.o.logger === undefined ? logLevel.NOTHING : logLevel.INFO,
      logCreator: () => (entry: LogEntry) => this.log(entry),
    });
    const consumer = kafka.consumer({
      groupId: this.o.groupId,
      sessionTimeout: this.o.sessionTimeout,
      heartbeatInterval: this.o.heartbeatInterval,
      allowAutoTopicCreation: true,
    });
    this.consumer = consumer;
    let joined!: () => void;
    const joinedOnce = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.stats.groupJoins++;
      this.stats.memberId = payload.memberId;
      this.stats.partitions = (payload.memberAssignment[this.o.topic] ?? []).slice().sort((a, b) => a - b);
      joined();
      // A rebalance may have taken the parked partitions away; the new owner starts afresh.
      this.parked.clear();
      this.hooks.resume();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopping) return;
      const cause = payload.error;
      if (payload.restart) {
        this.stats.restarts++;
        this.hooks.report(new SchedulerError('SERVER_ERROR', `Kafka consumer of group '${this.o.groupId}' crashed and restarts: ${cause.message}`, { cause, retryable: true }), {
          action: 'retrying',
        });
        return;
      }
      // kafkajs will not restart: stop for good and say so, rather than live without consuming.
      this.hooks.fail(new SchedulerError('SERVER_ERROR', `Kafka consumer of group '${this.o.groupId}' crashed and will not restart: ${cause.name}: ${cause.message}`, { cause }));
      void this.stop();
    });
    if (this.o.deadLetterTopic !== undefined) this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });

    await this.connect();
    await consumer.subscribe({ topics: [this.o.topic], fromBeginning: this.o.fromBeginning });
    await consumer.run({
      autoCommit: false,
      // commitOffsetsIfNecessary() commits what was resolved once a second or every 100 events.
      autoCommitInterval: 1_000,
      autoCommitThreshold: 100,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    await Promise.race([joinedOnce, new Promise<void>((resolve) => this.closing.addEventListener('abort', () => resolve(), { once: true }))]);
  }

  // Starting before the broker is normal (a deployment order is not guaranteed): keep trying until
  // it answers or the subscriber is closed, and report each failure.
  private async connect(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.closing.aborted) throw new SchedulerError('CANCELLED', 'KafkaJobCompletedSubscriber: closed before it could connect');
      try {
        await this.consumer!.connect();
        await this.producer?.connect();
        return;
      } catch (error) {
        const wait = Math.min(250 * 2 ** (attempt - 1), CONNECT_RETRY_MAX_MS);
        this.hooks.report(
          new SchedulerError('SERVER_ERROR', `cannot reach Kafka at ${this.o.brokers.join(',')} (attempt ${attempt}, next in ${wait} ms): ${(error as Error).message}`, {
            cause: error,
            retryable: true,
          }),
          { action: 'retrying' },
        );
        await sleep(wait, this.closing);
      }
    }
  }

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    const { topic, partition } = p.batch;
    try {
      for (const message of p.batch.messages) {
        if (!p.isRunning() || p.isStale() || this.closing.aborted) break;
        if ((await this.process(p, message)) === 'stop') break;
        p.resolveOffset(message.offset);
        this.failures.delete(`${partition}:${message.offset}`);
        await p.commitOffsetsIfNecessary();
        await p.heartbeat();
      }
    } finally {
      // What was handled is committed now, even when the batch ends early or with an error.
      await p.commitOffsetsIfNecessary(p.uncommittedOffsets()).catch((error: unknown) => {
        this.o.logger?.warn?.('commit failed; the uncommitted events will be delivered again', { topic, partition, error: String(error) });
      });
    }
  }

  private async process(p: EachBatchPayload, message: KafkaMessage): Promise<Outcome> {
    let event: JobCompletedEvent;
    try {
      event = decodeEvent(message.value, message.headers);
    } catch (error) {
      return this.setAsideInvalid(p, message, error as Error);
    }
    if (this.policy.dedupe?.has(event.executionId)) return 'handled';
    const outcome = await this.handle(p, message, event);
    if (outcome === 'handled') this.stats.handled++;
    return outcome;
  }

  private async handle(p: EachBatchPayload, message: KafkaMessage, event: JobCompletedEvent): Promise<Outcome> {
    const key = `${p.batch.partition}:${message.offset}`;
    for (;;) {
      let failure: unknown;
      const rebalance = await this.withHeartbeats(p, async () => {
        try {
          await this.handler(event);
        } catch (error) {
          failure = error ?? new Error('handler rejected');
        }
      });
      if (failure === ITERATION_STOPPED) return 'stop';
      if (failure === undefined) {
        this.policy.dedupe?.add(event.executionId);
        if (rebalance !== undefined) {
          // Keep the handled event, then let kafkajs rejoin the group.
          p.resolveOffset(message.offset);
          await p.commitOffsetsIfNecessary(p.uncommittedOffsets()).catch(() => {});
          throw rebalance;
        }
        return 'handled';
      }
      const attempts = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempts);
      if (attempts >= this.policy.maxAttempts) return this.giveUp(p, message, event, failure, attempts);
      const wait = Math.min(this.policy.retryInitialMs * 2 ** (attempts - 1), this.policy.retryMaxMs);
      if (rebalance !== undefined) throw rebalance;
      if (wait <= INLINE_RETRY_MAX_MS) {
        await this.sleepWithHeartbeat(p, wait);
        if (this.closing.aborted) return 'stop';
        continue;
      }
      // A long wait must not hold the fetch loop (that would stall every partition): pause just
      // this one and come back for the same offset later.
      this.pauseFor(p, wait);
      return 'stop';
    }
  }

  private async giveUp(p: EachBatchPayload, message: KafkaMessage, event: JobCompletedEvent, failure: unknown, attempts: number): Promise<Outcome> {
    const text = failure instanceof Error ? failure.message : String(failure);
    const error = new SchedulerError(
      'SERVER_ERROR',
      `handler failed ${attempts} times on execution '${event.executionId}' of job '${event.jobId}' (${p.batch.topic}/${p.batch.partition}@${message.offset}): ${text}`,
      { operation: 'handleJobCompleted', jobId: event.jobId, cause: failure },
    );
    if (this.producer !== undefined) {
      if (await this.deadLetter(p, message, 'handler-failed', error, attempts)) {
        this.stats.deadLettered++;
        this.hooks.report(error, { event, attempts, action: 'dead-lettered' });
        return 'handled';
      }
      this.pauseFor(p, this.policy.retryMaxMs);
      return 'stop';
    }
    this.park(p);
    this.hooks.report(error, { event, attempts, action: 'paused' });
    return 'stop';
  }

  private async setAsideInvalid(p: EachBatchPayload, message: KafkaMessage, cause: Error): Promise<Outcome> {
    const { topic, partition } = p.batch;
    this.stats.invalid++;
    const error = new SchedulerError('INVALID_ARGUMENT', `invalid JobCompletedEvent at ${topic}/${partition}@${message.offset}: ${cause.message}`, {
      operation: 'decodeJobCompleted',
      cause,
    });
    try {
      this.o.onInvalid?.(rawMessage(topic, partition, message), error);
    } catch {
      // onInvalid must not throw; if it does, the message is set aside all the same.
    }
    if (this.producer !== undefined && !(await this.deadLetter(p, message, 'invalid', error, 1))) {
      this.pauseFor(p, this.policy.retryMaxMs);
      return 'stop';
    }
    if (this.producer !== undefined) this.stats.deadLettered++;
    this.hooks.report(error, { action: this.producer === undefined ? 'reported' : 'dead-lettered' });
    return 'handled';
  }

  /** Publishes a message to the dead-letter topic; false (and reported) if that fails. */
  private async deadLetter(p: EachBatchPayload, message: KafkaMessage, reason: string, error: SchedulerError, attempts: number): Promise<boolean> {
    const { topic, partition } = p.batch;
    try {
      await this.withHeartbeats(p, () =>
        this.producer!.send({
          topic: this.o.deadLetterTopic!,
          acks: -1,
          messages: [
            {
              key: message.key,
              value: message.value,
              headers: {
                ...message.headers,
                [DLQ_HEADERS.topic]: topic,
                [DLQ_HEADERS.partition]: String(partition),
                [DLQ_HEADERS.offset]: message.offset,
                [DLQ_HEADERS.error]: error.message.slice(0, 2000),
                [DLQ_HEADERS.reason]: reason,
                [DLQ_HEADERS.attempts]: String(attempts),
              },
            },
          ],
        }).then(() => undefined),
      );
      return true;
    } catch (publishError) {
      this.hooks.report(
        new SchedulerError('SERVER_ERROR', `could not dead-letter ${topic}/${partition}@${message.offset} to '${this.o.deadLetterTopic}'; it stays uncommitted and is retried: ${(publishError as Error).message}`, {
          cause: publishError,
          retryable: true,
        }),
        { action: 'retrying' },
      );
      return false;
    }
  }

  /** Runs `body` while heartbeating in the background; returns a rebalance error seen meanwhile. */
  private async withHeartbeats(p: EachBatchPayload, body: () => Promise<void>): Promise<unknown> {
    let rebalance: unknown;
    const timer = setInterval(() => {
      p.heartbeat().catch((error: unknown) => {
        rebalance ??= error;
      });
    }, this.o.heartbeatInterval);
    try {
      await body();
    } finally {
      clearInterval(timer);
    }
    return rebalance;
  }

  private async sleepWithHeartbeat(p: EachBatchPayload, ms: number): Promise<void> {
    const until = Date.now() + ms;
    for (let left = ms; left > 0 && !this.closing.aborted; left = until - Date.now()) {
      await sleep(Math.min(left, this.o.heartbeatInterval), this.closing);
      await p.heartbeat();
    }
  }

  private pauseFor(p: EachBatchPayload, ms: number): void {
    const resume = p.pause();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closing.aborted) resume();
    }, ms);
    this.timers.add(timer);
  }

  private park(p: EachBatchPayload): void {
    p.pause();
    this.parked.add(p.batch.partition);
    this.hooks.pause();
  }

  /** A snapshot of the consumer's health counters. */
  health(): KafkaSubscriberHealth {
    return { ...this.stats, partitions: [...this.stats.partitions], parkedPartitions: [...this.parked].sort((a, b) => a - b) };
  }

  /** Stops consuming: lets the handler in progress finish, commits, leaves the group. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const work = (async () => {
      await this.consumer?.disconnect();
      await this.producer?.disconnect();
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.o.closeTimeoutMs)));
    const result = await Promise.race([work.then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.hooks.report(new SchedulerError('TIMEOUT', `close: the Kafka consumer did not stop within ${this.o.closeTimeoutMs} ms`), { action: 'stopped' });
    }
  }

  private log(entry: LogEntry): void {
    const logger = this.o.logger;
    if (logger === undefined) return;
    const { message, ...context } = entry.log;
    const text = `[kafkajs ${entry.namespace}] ${message}`;
    if (entry.level === logLevel.ERROR) logger.error?.(text, context);
    else if (entry.level === logLevel.WARN) logger.warn?.(text, context);
    else if (entry.level === logLevel.INFO) logger.info?.(text, context);
    else logger.debug?.(text, context);
  }
}

function rawMessage(topic: string, partition: number, m: KafkaMessage): RawKafkaMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers, timestamp: m.timestamp };
}
