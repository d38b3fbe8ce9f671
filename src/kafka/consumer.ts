// The kafkajs adapter of KafkaJobCompletedSubscriber: fetching, committing, pausing, heartbeating
// and sending to the dead-letter topic. What happens to an event after each handler outcome is
// decided by the delivery core (src/subscriber/core.ts), shared with the in-memory subscriber.
// Loaded only by `run()`.
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type KafkaMessage, type LogEntry, type Producer, type RetryOptions } from 'kafkajs';
import { backoffDelay } from '../backoff.js';
import { SchedulerError } from '../errors.js';
import type { DeliveryErrorContext, JobCompletedHandler } from '../events.js';
import { sleep } from '../sleep.js';
import { DeliveryCore, type DeliveryPolicy, type GiveUp, type OutcomeSink } from '../subscriber/core.js';
import type { JobCompletedEvent } from '../types.js';
import { decodeEvent } from './codec.js';
import { registerCompressionCodecs } from './compression.js';
import { DLQ_HEADERS } from './dead-letter.js';
import type { KafkaSubscriberHealth, RawKafkaMessage, ResolvedKafkaOptions } from './options.js';

/** What the loop tells the subscriber besides the outcomes. */
export interface LoopHooks {
  /** Troubles of the transport (a broker it cannot reach, a failed send or disconnect). */
  report(error: SchedulerError, context: DeliveryErrorContext): void;
  /** Parked partitions were resumed or revoked: the subscriber is no longer paused. */
  resume(): void;
}

/** What a {@link KafkaConsumerLoop} is made with. */
export interface KafkaLoopOptions {
  options: ResolvedKafkaOptions;
  policy: DeliveryPolicy;
  handler: JobCompletedHandler;
  /** Aborted when the subscriber closes or fails. */
  closing: AbortSignal;
  /** Where the delivery core and the crash handler report outcomes. */
  outcomes: OutcomeSink<RawKafkaMessage>;
  hooks: LoopHooks;
}

/**
 * Retries of one event wait in place, holding its batch, only up to this much in total; after
 * that its partition is paused between attempts. kafkajs fetches again only when every batch of
 * the previous fetch is done, so a batch held longer would stall every partition on that broker.
 */
const INLINE_RETRY_BUDGET_MS = 1_000;
/** The waits between connect attempts while the brokers cannot be reached. */
const CONNECT_BACKOFF = Object.freeze({ initialMs: 250, maxMs: 5_000 });
/** Within a long batch, handled offsets are committed at least this often (and at its end). */
const COMMIT_EVERY_MS = 1_000;
/**
 * How long a fetch waits for data on an idle topic. It bounds how soon `close()` returns and how
 * soon a partition resumed after a retry pause is fetched again. kafkajs's default is 5 s.
 */
const FETCH_MAX_WAIT_MS = 1_000;

type Outcome = 'handled' | 'stop';

/** One eachBatch call in progress. */
interface BatchRun {
  p: EachBatchPayload;
  /** An error the background heartbeat met (a rebalance, mostly); the batch ends with it. */
  interrupt: unknown;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';

/**
 * Runs the kafkajs consumer: manual offset resolution in `eachBatch`, commits only after the
 * handler, pauses and dead-letter sends as the delivery core decides, and crash detection.
 */
export class KafkaConsumerLoop {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private readonly core: DeliveryCore<RawKafkaMessage>;
  private readonly o: ResolvedKafkaOptions;
  private readonly handler: JobCompletedHandler;
  private readonly closing: AbortSignal;
  private readonly outcomes: OutcomeSink<RawKafkaMessage>;
  private readonly hooks: LoopHooks;
  /** Timers that resume a partition paused between attempts, by partition. */
  private readonly resumeTimers = new Map<number, NodeJS.Timeout>();
  private readonly active = new Set<BatchRun>();
  private ticker: NodeJS.Timeout | undefined;
  private stopping = false;
  private stopPromise: Promise<void> | undefined;
  private failure: SchedulerError | undefined;
  private readonly stats = {
    groupJoins: 0,
    memberId: undefined as string | undefined,
    partitions: [] as number[],
    restarts: 0,
  };

  constructor(init: KafkaLoopOptions) {
    this.o = init.options;
    this.handler = init.handler;
    this.closing = init.closing;
    this.outcomes = init.outcomes;
    this.hooks = init.hooks;
    const topic = this.o.topic;
    this.core = new DeliveryCore({
      policy: init.policy,
      sink: init.outcomes,
      deadLetter: this.o.deadLetterTopic !== undefined,
      // A broker that refused a dead letter may take it later: pause and come back.
      retryDeadLetter: true,
      inlineRetryBudgetMs: INLINE_RETRY_BUDGET_MS,
      partitioned: true,
      where: (partition, offset) => `${topic}/${partition}@${String(offset)}`,
    });
  }

  /**
   * Connects (retrying until the broker answers, for up to `connectTimeoutMs`), subscribes, and
   * resolves once the member has joined its group. Resolves early if the subscriber is closed
   * meanwhile; rejects if the brokers cannot be reached in time, or the consumer crashed for good
   * before it joined.
   */
  async start(): Promise<void> {
    // Batches compressed with snappy, lz4 or zstd (kafkajs brings only gzip); a codec the
    // application registered in kafkajs's CompressionCodecs itself is kept.
    registerCompressionCodecs();
    const kafka = new Kafka({
      ...this.o.kafka,
      clientId: this.o.clientId,
      brokers: this.o.brokers,
      ...(this.o.ssl === undefined ? {} : { ssl: this.o.ssl }),
      ...(this.o.sasl === undefined ? {} : { sasl: this.o.sasl }),
      logLevel: this.o.logger === undefined ? logLevel.NOTHING : logLevel.INFO,
      logCreator: () => (entry: LogEntry) => this.log(entry),
    });
    const userRestart = this.o.kafka?.retry?.restartOnFailure;
    const retry: RetryOptions = {
      ...this.o.kafka?.retry,
      // kafkajs restarts a crashed consumer on a timer, even one that is being stopped (its stop()
      // clears only a timer set before): never restart once closing has begun.
      restartOnFailure: async (error) => !this.stopping && (userRestart === undefined || (await userRestart(error))),
    };
    const consumer = kafka.consumer({
      groupId: this.o.groupId,
      sessionTimeout: this.o.sessionTimeout,
      heartbeatInterval: this.o.heartbeatInterval,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      allowAutoTopicCreation: true,
      retry,
    });
    this.consumer = consumer;
    let joined!: () => void;
    const joinedOnce = new Promise<void>((resolve) => (joined = resolve));
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.stats.groupJoins++;
      this.stats.memberId = payload.memberId;
      const assigned = (payload.memberAssignment[this.o.topic] ?? []).slice().sort((a, b) => a - b);
      this.stats.partitions = assigned;
      this.onRebalanced(consumer, new Set(assigned));
      joined();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.stopping) return;
      const cause = payload.error;
      if (payload.restart) {
        this.stats.restarts++;
        const error = new SchedulerError('SERVER_ERROR', `Kafka consumer of group '${this.o.groupId}' crashed and restarts: ${cause.message}`, { cause, retryable: true });
        this.outcomes.crash({ error, restart: true });
        return;
      }
      // kafkajs will not restart: stop for good and say so, rather than live without consuming.
      this.failure = new SchedulerError('SERVER_ERROR', `Kafka consumer of group '${this.o.groupId}' crashed and will not restart: ${cause.name}: ${cause.message}`, { cause });
      this.outcomes.crash({ error: this.failure, restart: false });
      void this.stop();
    });
    if (this.o.deadLetterTopic !== undefined) this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });

    if (!(await this.connect())) return;
    this.startTicker();
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    let onAbort!: () => void;
    const aborted = new Promise<void>((resolve) => (onAbort = resolve));
    this.closing.addEventListener('abort', onAbort, { once: true });
    await Promise.race([joinedOnce, aborted]);
    this.closing.removeEventListener('abort', onAbort);
    if (this.failure !== undefined) throw this.failure;
  }

  // Starting before the broker is normal (a deployment order is not guaranteed): keep trying, and
  // report each failure, until it answers, the subscriber is closed (false), or connectTimeoutMs
  // has passed (rejects with a retryable SERVER_ERROR).
  private async connect(): Promise<boolean> {
    const deadline = Date.now() + this.o.connectTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const outcome = new Promise<'closed' | 'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.o.connectTimeoutMs);
      if (this.closing.aborted) resolve('closed');
      else this.closing.addEventListener('abort', () => resolve('closed'), { once: true });
    });
    // One signal that ends the waits between attempts, at the deadline or on close.
    const giveUp = new AbortController();
    void outcome.then(() => giveUp.abort());
    let lastError: unknown;
    try {
      for (let attempt = 1; ; attempt++) {
        if (this.closing.aborted) return false;
        if (giveUp.signal.aborted) throw this.unreachable(lastError);
        const connecting = (async () => {
          await this.consumer!.connect();
          await this.producer?.connect();
          await this.consumer!.subscribe({ topics: [this.o.topic], fromBeginning: this.o.fromBeginning });
          return 'connected' as const;
        })();
        let result: 'connected' | 'closed' | 'timeout';
        try {
          // kafkajs retries a connect for seconds on its own; close() and the deadline must not wait for that.
          result = await Promise.race([connecting, outcome]);
        } catch (error) {
          lastError = error;
          if (this.closing.aborted) return false;
          const wait = backoffDelay(CONNECT_BACKOFF, attempt);
          const left = deadline - Date.now();
          if (left <= 0) throw this.unreachable(error);
          this.hooks.report(
            new SchedulerError('SERVER_ERROR', `cannot reach Kafka at ${this.o.brokers.join(',')} (attempt ${attempt}, next in ${Math.min(wait, left)} ms): ${(error as Error).message}`, {
              cause: error,
              retryable: true,
            }),
            { action: 'retrying' },
          );
          await sleep(Math.min(wait, left), giveUp.signal);
          continue;
        }
        if (result === 'connected' && !this.closing.aborted) return true;
        // Closed or out of time meanwhile: whatever this attempt still connects is let go of.
        connecting.then(
          () => this.disconnectAll(),
          () => {},
        );
        if (result === 'timeout' && !this.closing.aborted) throw this.unreachable(lastError);
        return false;
      }
    } finally {
      clearTimeout(timer);
      giveUp.abort();
    }
  }

  private unreachable(lastError: unknown): SchedulerError {
    const last = lastError === undefined ? '' : `; last error: ${(lastError as Error).message}`;
    return new SchedulerError('SERVER_ERROR', `cannot reach Kafka at ${this.o.brokers.join(',')} within connectTimeoutMs (${this.o.connectTimeoutMs} ms)${last}`, {
      operation: 'run',
      cause: lastError,
      retryable: true,
    });
  }

  /** After a (re)join: forget retries of partitions that went away, and un-park what was parked. */
  private onRebalanced(consumer: Consumer, assigned: Set<number>): void {
    const partitions = this.core.rebalanced(assigned);
    if (partitions.length > 0) {
      // The owner of a parked partition (maybe this member again) starts afresh at its committed
      // offset. kafkajs keeps a partition paused across a rebalance, so resume it explicitly.
      try {
        consumer.resume([{ topic: this.o.topic, partitions }]);
      } catch {
        // Not running (a restart in progress): the new consumer group starts unpaused anyway.
      }
    }
    this.hooks.resume();
  }

  /** Heartbeats while any batch runs, so that a slow handler or a retry wait keeps the membership. */
  private startTicker(): void {
    let beating = false;
    this.ticker = setInterval(
      () => {
        const first = this.active.values().next();
        if (first.done === true || beating) return;
        beating = true;
        first.value.p
          .heartbeat()
          .catch((error: unknown) => {
            for (const run of this.active) run.interrupt ??= error;
          })
          .finally(() => (beating = false));
      },
      Math.max(100, Math.floor(this.o.heartbeatInterval / 2)),
    );
    this.ticker.unref();
  }

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    const { topic, partition } = p.batch;
    const run: BatchRun = { p, interrupt: undefined };
    this.active.add(run);
    // Offsets are resolved lazily (before a commit and at the end): resolving is not free in
    // kafkajs, and nothing reads the resolved offset in between.
    let handled: string | undefined;
    let committedAt = Date.now();
    let n = 0;
    try {
      for (const message of p.batch.messages) {
        if (run.interrupt !== undefined) throw run.interrupt;
        // isStale() (a seek since the fetch) costs a string key and two map lookups in kafkajs, and
        // nothing here seeks: look every 64 messages, and after any await (below).
        if (!p.isRunning() || this.closing.aborted || ((n++ & 63) === 0 && p.isStale())) break;
        // Synchronous unless the handler returns a promise (or the message needs more work): an
        // await per message would cost more than the rest of consuming a small event.
        const outcome = this.process(run, message);
        if (outcome !== 'handled') {
          if (outcome === 'stop' || (await outcome) === 'stop') break;
          n = 0;
        }
        handled = message.offset;
        if (Date.now() - committedAt >= COMMIT_EVERY_MS) {
          p.resolveOffset(handled);
          await this.commit(p);
          committedAt = Date.now();
        }
      }
      // A rebalance seen during the last handler: commit (below), then let kafkajs rejoin.
      if (run.interrupt !== undefined) throw run.interrupt;
    } finally {
      this.active.delete(run);
      // What was handled is committed now, even when the batch ends early or with an error.
      if (handled !== undefined) p.resolveOffset(handled);
      await this.commit(p).catch((error: unknown) => {
        this.o.logger?.warn?.('commit failed; the uncommitted events will be delivered again', { topic, partition, error: String(error) });
      });
    }
  }

  /** Commits what this member resolved, on every partition (not only this batch's). */
  private async commit(p: EachBatchPayload): Promise<void> {
    const offsets = p.uncommittedOffsets();
    if (offsets.topics.length > 0) await p.commitOffsetsIfNecessary(offsets);
  }

  private process(run: BatchRun, message: KafkaMessage): Outcome | Promise<Outcome> {
    let event: JobCompletedEvent;
    try {
      event = decodeEvent(message.value, message.headers);
    } catch (error) {
      return this.setAsideInvalid(run.p, message, error as Error);
    }
    if (this.core.isDuplicate(event)) return 'handled';
    let result: unknown;
    try {
      result = this.handler(event);
    } catch (error) {
      return this.failed(run, message, event, error ?? new Error('handler threw'));
    }
    if (isThenable(result)) return this.settle(run, message, event, result);
    this.core.handled(run.p.batch.partition, event);
    return 'handled';
  }

  private async settle(run: BatchRun, message: KafkaMessage, event: JobCompletedEvent, result: PromiseLike<unknown>): Promise<Outcome> {
    try {
      await result;
    } catch (error) {
      return this.failed(run, message, event, error ?? new Error('handler rejected'));
    }
    this.core.handled(run.p.batch.partition, event);
    return 'handled';
  }

  /** The handler failed on `event`: do what the core decides, until the event is dealt with or let go of. */
  private async failed(run: BatchRun, message: KafkaMessage, event: JobCompletedEvent, firstFailure: unknown): Promise<Outcome> {
    const { p } = run;
    const partition = p.batch.partition;
    let failure = firstFailure;
    for (;;) {
      const decision = this.core.failed(partition, message.offset, event, failure, run.interrupt !== undefined || this.closing.aborted);
      switch (decision.kind) {
        case 'stop':
          return 'stop';
        case 'park':
          // Reported by the core; the partition stays paused until a rebalance hands it out afresh.
          p.pause();
          return 'stop';
        case 'pause':
          // A long wait must not hold the fetch loop (that would stall every partition): pause just
          // this one and come back for the same offset later.
          this.pauseFor(p, decision.delayMs);
          return 'stop';
        case 'dead-letter':
          return this.giveUp(p, message, decision);
        case 'retry':
          break;
      }
      await sleep(decision.delayMs, this.closing);
      if (this.closing.aborted || run.interrupt !== undefined) return 'stop';
      try {
        await this.handler(event);
      } catch (error) {
        failure = error ?? new Error('handler rejected');
        continue;
      }
      this.core.handled(partition, event);
      return 'handled';
    }
  }

  private async giveUp(p: EachBatchPayload, message: KafkaMessage, gaveUp: GiveUp): Promise<Outcome> {
    const partition = p.batch.partition;
    const sent = await this.deadLetter(p, message, 'handler-failed', gaveUp.error, gaveUp.attempts);
    if (sent === true) {
      this.core.deadLettered(partition, gaveUp);
      return 'handled';
    }
    const next = this.core.deadLetterFailed(partition, message.offset, sent.failure, gaveUp);
    if (next.kind === 'pause') this.pauseFor(p, next.delayMs);
    else p.pause(); // parked
    return 'stop';
  }

  private async setAsideInvalid(p: EachBatchPayload, message: KafkaMessage, cause: Error): Promise<Outcome> {
    const { topic, partition } = p.batch;
    const error = new SchedulerError('INVALID_ARGUMENT', `invalid JobCompletedEvent at ${topic}/${partition}@${message.offset}: ${cause.message}`, {
      operation: 'decodeJobCompleted',
      cause,
    });
    if (this.producer !== undefined) {
      const sent = await this.deadLetter(p, message, 'invalid', error, 1);
      if (sent !== true) {
        const next = this.core.deadLetterFailed(partition, message.offset, sent.failure);
        if (next.kind === 'pause') this.pauseFor(p, next.delayMs);
        return 'stop';
      }
    }
    // Counted and reported once, when it is set aside for good (not on each try to dead-letter it).
    this.core.invalid(partition, rawMessage(topic, partition, message), error, this.producer !== undefined);
    return 'handled';
  }

  /** Publishes a message to the dead-letter topic: true, or (reported) why it failed. */
  private async deadLetter(p: EachBatchPayload, message: KafkaMessage, reason: string, error: SchedulerError, attempts: number): Promise<true | { failure: unknown }> {
    const { topic, partition } = p.batch;
    try {
      await this.producer!.send({
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
      });
      return true;
    } catch (publishError) {
      this.hooks.report(
        new SchedulerError('SERVER_ERROR', `could not dead-letter ${topic}/${partition}@${message.offset} to '${this.o.deadLetterTopic}'; it stays uncommitted and is retried: ${(publishError as Error).message}`, {
          cause: publishError,
          retryable: true,
        }),
        { action: 'retrying' },
      );
      return { failure: publishError };
    }
  }

  private pauseFor(p: EachBatchPayload, ms: number): void {
    const partition = p.batch.partition;
    const resume = p.pause();
    clearTimeout(this.resumeTimers.get(partition));
    const timer = setTimeout(() => {
      this.resumeTimers.delete(partition);
      if (!this.closing.aborted) resume();
    }, ms);
    this.resumeTimers.set(partition, timer);
  }

  /** A snapshot of the consumer's health counters. */
  health(): KafkaSubscriberHealth {
    const { handled, invalid, deadLettered, parkedLanes, retryingLanes } = this.core.stats();
    return {
      ...this.stats,
      partitions: [...this.stats.partitions],
      parkedPartitions: parkedLanes,
      retryingPartitions: retryingLanes,
      handled,
      invalid,
      deadLettered,
    };
  }

  /**
   * Stops consuming: lets the handler in progress finish, commits, leaves the group. Concurrent and
   * later calls share one stop; it never rejects (a failure is reported).
   */
  stop(): Promise<void> {
    this.stopPromise ??= this.stopOnce();
    return this.stopPromise;
  }

  private async stopOnce(): Promise<void> {
    this.stopping = true;
    for (const timer of this.resumeTimers.values()) clearTimeout(timer);
    this.resumeTimers.clear();
    // The ticker keeps heartbeating until the handler in progress is done and committed.
    const work = this.disconnectAll();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.o.closeTimeoutMs)));
    const result = await Promise.race([work.then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.hooks.report(new SchedulerError('TIMEOUT', `close: the Kafka consumer did not stop within ${this.o.closeTimeoutMs} ms`), { action: 'stopped' });
    }
  }

  private async disconnectAll(): Promise<void> {
    try {
      await this.consumer?.disconnect();
      await this.producer?.disconnect();
    } catch (error) {
      this.hooks.report(new SchedulerError('SERVER_ERROR', `close: disconnecting from Kafka failed: ${(error as Error).message}`, { cause: error }), { action: 'stopped' });
    } finally {
      clearInterval(this.ticker);
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
