// The kafkajs side of KafkaJobCompletedSubscriber. Loaded only by `run()`.
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type KafkaMessage, type LogEntry, type Producer, type RetryOptions } from 'kafkajs';
import { SchedulerError } from '../errors.js';
import type { DeliveryErrorContext, JobCompletedHandler } from '../events.js';
import { sleep } from '../sleep.js';
import { ITERATION_STOPPED, type DeliveryPolicy } from '../subscriber/delivery.js';
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
  /** Partitions whose current event is being retried (paused until its next attempt, or waiting). */
  retryingPartitions: number[];
  /** Crashes that kafkajs restarted from. */
  restarts: number;
  /** Events handled successfully. */
  handled: number;
  /** Messages that were not valid events (reported to `onInvalid`). */
  invalid: number;
  /** Messages and events sent to the dead-letter topic. */
  deadLettered: number;
}

/** What the loop tells the subscriber. */
export interface LoopHooks {
  report(error: SchedulerError, context: DeliveryErrorContext): void;
  pause(): void;
  resume(): void;
  fail(error: SchedulerError): void;
}

/**
 * Retries of one event wait in place, holding its batch, only up to this much in total; after
 * that its partition is paused between attempts. kafkajs fetches again only when every batch of
 * the previous fetch is done, so a batch held longer would stall every partition on that broker.
 */
const INLINE_RETRY_BUDGET_MS = 1_000;
const CONNECT_RETRY_MAX_MS = 5_000;
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

/** The event a partition is retrying: at most one per partition, so the map stays small. */
interface Retry {
  offset: string;
  attempts: number;
  /** Time spent waiting in place so far, against INLINE_RETRY_BUDGET_MS. */
  inlineMs: number;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';

/**
 * Runs the kafkajs consumer: manual offset resolution in `eachBatch`, commits only after the
 * handler, non-blocking retries, dead-lettering, and crash detection.
 */
export class KafkaConsumerLoop {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private readonly retries = new Map<number, Retry>();
  /** Timers that resume a partition paused between attempts, by partition. */
  private readonly resumeTimers = new Map<number, NodeJS.Timeout>();
  private readonly parked = new Set<number>();
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

  /**
   * Connects (retrying until the broker answers), subscribes, and resolves once the member has
   * joined its group. Resolves early if the subscriber is closed meanwhile; rejects if the consumer
   * crashed for good before it joined.
   */
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
        this.hooks.report(new SchedulerError('SERVER_ERROR', `Kafka consumer of group '${this.o.groupId}' crashed and restarts: ${cause.message}`, { cause, retryable: true }), {
          action: 'retrying',
        });
        return;
      }
      // kafkajs will not restart: stop for good and say so, rather than live without consuming.
      this.failure = new SchedulerError('SERVER_ERROR', `Kafka consumer of group '${this.o.groupId}' crashed and will not restart: ${cause.name}: ${cause.message}`, { cause });
      this.hooks.fail(this.failure);
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

  // Starting before the broker is normal (a deployment order is not guaranteed): keep trying until
  // it answers or the subscriber is closed, and report each failure. False when closed first.
  private async connect(): Promise<boolean> {
    const closed = new Promise<'closed'>((resolve) => {
      if (this.closing.aborted) resolve('closed');
      else this.closing.addEventListener('abort', () => resolve('closed'), { once: true });
    });
    for (let attempt = 1; ; attempt++) {
      if (this.closing.aborted) return false;
      try {
        const connecting = (async () => {
          await this.consumer!.connect();
          await this.producer?.connect();
          await this.consumer!.subscribe({ topics: [this.o.topic], fromBeginning: this.o.fromBeginning });
          return 'connected' as const;
        })();
        // kafkajs retries a connect for seconds on its own; close() must not wait for that.
        if ((await Promise.race([connecting, closed])) === 'connected' && !this.closing.aborted) return true;
        // Closed meanwhile: whatever this attempt still connects is let go of.
        connecting.then(
          () => this.disconnectAll(),
          () => {},
        );
        return false;
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

  /** After a (re)join: forget retries of partitions that went away, and un-park what was parked. */
  private onRebalanced(consumer: Consumer, assigned: Set<number>): void {
    for (const partition of this.retries.keys()) {
      if (!assigned.has(partition) || this.parked.has(partition)) this.retries.delete(partition);
    }
    if (this.parked.size > 0) {
      // The owner of a parked partition (maybe this member again) starts afresh at its committed
      // offset. kafkajs keeps a partition paused across a rebalance, so resume it explicitly.
      const partitions = [...this.parked];
      this.parked.clear();
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
    if (this.policy.dedupe?.has(event.executionId)) return 'handled';
    let result: unknown;
    try {
      result = this.handler(event);
    } catch (error) {
      return this.retry(run, message, event, error ?? new Error('handler threw'));
    }
    if (isThenable(result)) return this.settle(run, message, event, result);
    this.succeeded(run, event);
    return 'handled';
  }

  private async settle(run: BatchRun, message: KafkaMessage, event: JobCompletedEvent, result: PromiseLike<unknown>): Promise<Outcome> {
    try {
      await result;
    } catch (error) {
      return this.retry(run, message, event, error ?? new Error('handler rejected'));
    }
    this.succeeded(run, event);
    return 'handled';
  }

  private succeeded(run: BatchRun, event: JobCompletedEvent): void {
    this.policy.dedupe?.add(event.executionId);
    if (this.retries.size > 0) this.retries.delete(run.p.batch.partition);
    this.stats.handled++;
  }

  /** The handler failed on `event`: try again (in place, briefly), or pause, or give up. */
  private async retry(run: BatchRun, message: KafkaMessage, event: JobCompletedEvent, firstFailure: unknown): Promise<Outcome> {
    const { p } = run;
    const partition = p.batch.partition;
    let failure = firstFailure;
    for (;;) {
      if (failure === ITERATION_STOPPED) return 'stop';
      let state = this.retries.get(partition);
      if (state?.offset !== message.offset) this.retries.set(partition, (state = { offset: message.offset, attempts: 0, inlineMs: 0 }));
      state.attempts++;
      if (state.attempts >= this.policy.maxAttempts) return this.giveUp(p, message, event, failure, state.attempts);
      if (run.interrupt !== undefined || this.closing.aborted) return 'stop';
      const wait = Math.min(this.policy.retryInitialMs * 2 ** (state.attempts - 1), this.policy.retryMaxMs);
      if (state.inlineMs + wait > INLINE_RETRY_BUDGET_MS) {
        // A long wait must not hold the fetch loop (that would stall every partition): pause just
        // this one and come back for the same offset later.
        this.pauseFor(p, wait);
        return 'stop';
      }
      state.inlineMs += wait;
      await sleep(wait, this.closing);
      if (this.closing.aborted || run.interrupt !== undefined) return 'stop';
      try {
        await this.handler(event);
      } catch (error) {
        failure = error ?? new Error('handler rejected');
        continue;
      }
      this.succeeded(run, event);
      return 'handled';
    }
  }

  private async giveUp(p: EachBatchPayload, message: KafkaMessage, event: JobCompletedEvent, failure: unknown, attempts: number): Promise<Outcome> {
    const text = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    const error = new SchedulerError(
      'SERVER_ERROR',
      `handler failed ${attempts} times on execution '${event.executionId}' of job '${event.jobId}' (${p.batch.topic}/${p.batch.partition}@${message.offset}): ${text}`,
      { operation: 'handleJobCompleted', jobId: event.jobId, cause: failure },
    );
    if (this.producer !== undefined) {
      if (await this.deadLetter(p, message, 'handler-failed', error, attempts)) {
        this.retries.delete(p.batch.partition);
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
    const error = new SchedulerError('INVALID_ARGUMENT', `invalid JobCompletedEvent at ${topic}/${partition}@${message.offset}: ${cause.message}`, {
      operation: 'decodeJobCompleted',
      cause,
    });
    if (this.producer !== undefined && !(await this.deadLetter(p, message, 'invalid', error, 1))) {
      this.pauseFor(p, this.policy.retryMaxMs);
      return 'stop';
    }
    // Counted and reported once, when it is set aside for good (not on each try to dead-letter it).
    this.stats.invalid++;
    try {
      this.o.onInvalid?.(rawMessage(topic, partition, message), error);
    } catch {
      // onInvalid must not throw; if it does, the message is set aside all the same.
    }
    if (this.producer !== undefined) this.stats.deadLettered++;
    this.hooks.report(error, { action: this.producer === undefined ? 'reported' : 'dead-lettered' });
    return 'handled';
  }

  /** Publishes a message to the dead-letter topic; false (and reported) if that fails. */
  private async deadLetter(p: EachBatchPayload, message: KafkaMessage, reason: string, error: SchedulerError, attempts: number): Promise<boolean> {
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
      return false;
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

  private park(p: EachBatchPayload): void {
    p.pause();
    this.parked.add(p.batch.partition);
    this.hooks.pause();
  }

  /** A snapshot of the consumer's health counters. */
  health(): KafkaSubscriberHealth {
    return {
      ...this.stats,
      partitions: [...this.stats.partitions],
      parkedPartitions: [...this.parked].sort((a, b) => a - b),
      retryingPartitions: [...this.retries.keys()].filter((partition) => !this.parked.has(partition)).sort((a, b) => a - b),
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
