// The kafkajs adapter of KafkaJobCompletedSubscriber: fetching, committing, pausing, reconnecting
// and sending to the dead-letter topic. What happens to an event after each handler outcome is
// decided by the delivery core (src/subscriber/core.ts), shared with the in-memory subscriber.
// Loaded only by `run()`.
//
// Each assigned partition is a lane: kafkajs's fetch loop hands a partition's batch to its lane
// and goes on; the lane calls the handler on one event at a time, in offset order, and its handled
// offsets are committed as it goes. A lane that is busy for longer than a moment has its partition
// paused (with one batch fetched ahead), so one slow handler holds up only its own partition.
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type KafkaMessage, type LogEntry, type Producer, type ConsumerRunConfig } from 'kafkajs';
import { backoffDelay, type Backoff } from '../backoff.js';
import { SchedulerError } from '../errors.js';
import type { DeliveryErrorContext, JobCompletedHandler } from '../events.js';
import { sleep } from '../sleep.js';
import { DeliveryCore, type DeliveryPolicy, type GiveUp, type OutcomeSink } from '../subscriber/core.js';
import type { JobCompletedEvent } from '../types.js';
import { decodeEvent } from './codec.js';
import { registerCompressionCodecs } from './compression.js';
import { KafkaConnections } from './connections.js';
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
 * Retries of one event wait in place (the lane keeps the event in hand) up to this much in all;
 * a longer wait is reported as `paused`: the lane lets the slot go and its partition is paused.
 */
const INLINE_RETRY_BUDGET_MS = 1_000;
/**
 * How long a fetch round waits for a lane to finish the batch it was just handed. Within it, the
 * round goes on as kafkajs's own loop would (no pause, the next fetch right after); past it, the
 * lane goes on by itself and the round ends, so the other partitions are held up at most this
 * long by a slow handler, once.
 */
const LANE_HOLD_MS = 1_000;
/** Within a long lane, handled offsets are committed at least this often (and when it drains). */
const COMMIT_EVERY_MS = 1_000;
/**
 * How long a fetch waits for data on an idle topic. It bounds how soon `close()` returns and how
 * soon a resumed partition is fetched again. kafkajs's default is 5 s.
 */
const FETCH_MAX_WAIT_MS = 1_000;
/** After close() ran out of time and let go of the sockets, how long kafkajs may take to wind down. */
const ABANDON_SETTLE_MS = 5_000;

/** What became of an event: handled (acknowledge it), stop (leave it unacknowledged), or try it again after this many ms. */
type Outcome = 'handled' | 'stop' | number;

/** A batch handed to a lane. */
interface Queued {
  messages: KafkaMessage[];
  /** The next message to handle. */
  index: number;
  /** kafkajs's last offset of the batch (beyond its last message when records were filtered out). */
  lastOffset: string;
}

/** One partition's work. */
interface Lane {
  readonly partition: number;
  readonly queue: Queued[];
  /** The highest offset handed to it; a re-fetch of anything up to it (after a rejoin) is skipped. */
  lastAccepted: bigint;
  /** Offset of the last message handled (or the batch's last offset): the commit is one past it. */
  handled: string | undefined;
  committed: string | undefined;
  /** Working: handling, waiting to retry, or waiting for a slot. */
  running: boolean;
  /** Holds one of the `partitionsConsumedConcurrently` slots. */
  slot: boolean;
  /** Waiting in the slot queue. */
  queuedForSlot: boolean;
  /** Waiting to try an event again, with the slot let go. */
  waitingAgain: boolean;
  /** Its partition is paused by this lane. */
  paused: boolean;
  /** An event exhausted its attempts with nowhere to send it: the lane stays stopped until a rebalance. */
  parked: boolean;
  /** The partition went to another member, or the subscriber closes: finish the handler in hand, nothing more. */
  revoked: boolean;
  readonly abort: AbortController;
  /** Called once when the lane stops working. */
  readonly idle: (() => void)[];
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';

const next = (offset: string): string => (BigInt(offset) + 1n).toString();

/**
 * Runs the kafkajs consumer: per-partition lanes fed by `eachBatch`, commits only after the
 * handler, pauses and dead-letter sends as the delivery core decides, reconnects and restarts on
 * its own timing, and a close that lets go of every socket and timer.
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
  private readonly connections: KafkaConnections;
  private readonly reconnect: Backoff;
  private readonly lanes = new Map<number, Lane>();
  private readonly slotQueue: Lane[] = [];
  private slotsInUse = 0;
  /** The payload kafkajs handed last: commits go through its consumer group. */
  private commitVia: EachBatchPayload | undefined;
  private commitRunning: Promise<void> | undefined;
  private commitAgain: Promise<void> | undefined;
  private lastCommitAt = 0;
  private commitRetryTimer: NodeJS.Timeout | undefined;
  private runConfig: ConsumerRunConfig | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  /** A restart's `consumer.run()` (it resolves once kafkajs joined, or crashed again). */
  private restarting: Promise<void> | undefined;
  private restartAttempts = 0;
  /**
   * Whether the crash kafkajs reports next is to be restarted from (by this loop, not kafkajs), as
   * restartOnFailure decided; undefined when kafkajs did not ask (it asks only for errors it deems retriable).
   */
  private restartVerdict: boolean | undefined;
  /** A connection error was reported and no fetch has succeeded since. */
  private outageReported = false;
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
    this.reconnect = { initialMs: this.o.reconnectInitialMs, maxMs: this.o.reconnectMaxMs };
    this.connections = new KafkaConnections(this.o.kafka?.socketFactory, this.reconnect);
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
    const userRetry = this.o.kafka?.retry;
    const retry = {
      ...this.connections.retry(userRetry),
      // Restarting after a crash is this loop's job (on its own timing, and never once closing has
      // begun): kafkajs is always told no, and learns here whether the loop will.
      restartOnFailure: async (error: Error): Promise<boolean> => {
        this.restartVerdict = !this.stopping && (await this.restartAllowed(error));
        return false;
      },
    };
    const kafka = new Kafka({
      ...this.o.kafka,
      clientId: this.o.clientId,
      brokers: this.o.brokers,
      ...(this.o.ssl === undefined ? {} : { ssl: this.o.ssl }),
      ...(this.o.sasl === undefined ? {} : { sasl: this.o.sasl }),
      retry,
      socketFactory: this.connections.socketFactory,
      // Connection errors are read (to report an outage) even without a logger.
      logLevel: this.o.logger === undefined ? logLevel.ERROR : logLevel.INFO,
      logCreator: () => (entry: LogEntry) => this.log(entry),
    });
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
      this.restartAttempts = 0;
      const assigned = (payload.memberAssignment[this.o.topic] ?? []).slice().sort((a, b) => a - b);
      this.stats.partitions = assigned;
      this.onRebalanced(new Set(assigned));
      joined();
    });
    // Before a rejoin, commit what was handled, so that a partition that moves is not handled again from further back.
    consumer.on(consumer.events.REBALANCING, () => void this.commit());
    consumer.on(consumer.events.FETCH, () => this.contact());
    consumer.on(consumer.events.CRASH, ({ payload }) => this.crashed(payload.error));
    if (this.o.deadLetterTopic !== undefined) {
      this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true, retry: this.connections.producerRetry(userRetry) });
    }

    if (!(await this.connect())) return;
    this.connections.enter('running');
    this.runConfig = {
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.eachBatch(payload),
    };
    await consumer.run(this.runConfig);
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
          // kafkajs retries a connect a few times on its own; close() and the deadline must not wait for that.
          result = await Promise.race([connecting, outcome]);
        } catch (error) {
          lastError = error;
          if (this.closing.aborted) return false;
          const wait = backoffDelay(this.reconnect, attempt);
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
        this.connections.enter('abandoned');
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

  // ---- crashes and restarts -------------------------------------------------------------------

  private crashed(cause: Error): void {
    if (this.stopping) return;
    // Whatever the lanes hold belongs to the consumer that crashed; its partitions are fetched
    // afresh (from the committed offsets) once the new one joins.
    for (const lane of [...this.lanes.values()]) this.revoke(lane);
    const verdict = this.restartVerdict;
    this.restartVerdict = undefined;
    if (verdict !== undefined) return verdict ? this.restart(cause) : this.failFor(cause);
    // kafkajs deems it fatal. One caused by the network (a retry loop that ended while a broker
    // went away, a connection or a request that timed out) is restarted all the same, if the
    // application's restartOnFailure agrees; anything else (authentication, a bug) is fatal.
    if (!transient(cause)) return this.failFor(cause);
    void this.restartAllowed(cause).then((allowed) => {
      if (this.stopping) return;
      if (allowed) this.restart(cause);
      else this.failFor(cause);
    });
  }

  /** Whether the application's `kafka.retry.restartOnFailure` (if any) lets the consumer restart. */
  private async restartAllowed(error: Error): Promise<boolean> {
    const user = this.o.kafka?.retry?.restartOnFailure;
    return user === undefined || (await user(error).catch(() => true));
  }

  private restart(cause: Error): void {
    this.stats.restarts++;
    const delay = backoffDelay(this.reconnect, ++this.restartAttempts);
    const error = new SchedulerError('SERVER_ERROR', `Kafka consumer of group '${this.o.groupId}' crashed and restarts in ${delay} ms: ${cause.name}: ${cause.message}`, { cause, retryable: true });
    this.outcomes.crash({ error, restart: true });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      // kafkajs reports a failed start as another crash; close() waits for a start in progress.
      this.restarting = this.consumer!.run(this.runConfig!).catch((runError: unknown) => this.crashed(runError as Error));
    }, delay);
  }

  /** Not to be restarted: stop for good and say so, rather than live without consuming. */
  private failFor(cause: Error): void {
    this.failure = new SchedulerError('SERVER_ERROR', `Kafka consumer of group '${this.o.groupId}' crashed and will not restart: ${cause.name}: ${cause.message}`, { cause });
    this.outcomes.crash({ error: this.failure, restart: false });
    void this.stop();
  }

  /** A fetch succeeded: the brokers answer. */
  private contact(): void {
    if (!this.outageReported) return;
    this.outageReported = false;
    this.o.logger?.info?.(`Kafka at ${this.o.brokers.join(',')} answers again; consuming goes on`);
  }

  // ---- rebalances -----------------------------------------------------------------------------

  /**
   * After a (re)join: lanes of partitions that went away stop (the handler in hand finishes, and
   * is not committed: the new owner handles the event again); parked lanes start afresh at the
   * committed offset. The lane of a partition this member keeps goes on: kafkajs fetches it again
   * from the committed offset, and what the lane already has (or handled) is skipped, not handled
   * twice; what it handled is committed by its next commit.
   */
  private onRebalanced(assigned: Set<number>): void {
    const unparked = this.core.rebalanced(assigned);
    for (const lane of [...this.lanes.values()]) {
      if (!assigned.has(lane.partition) || lane.parked) this.revoke(lane);
      else if (lane.paused) this.pausePartition(lane.partition);
    }
    if (unparked.length > 0) this.resumePartitions(unparked);
    // A commit that failed while the group rebalanced is made now, in the new generation.
    void this.commit();
    this.hooks.resume();
  }

  private revoke(lane: Lane): void {
    lane.revoked = true;
    lane.abort.abort();
    lane.queue.length = 0;
    if (this.lanes.get(lane.partition) === lane) this.lanes.delete(lane.partition);
    // A later owner (this member again, maybe) starts with the partition fetching.
    if (lane.paused || lane.parked) this.resumePartitions([lane.partition]);
    lane.paused = false;
    if (lane.queuedForSlot) {
      this.slotQueue.splice(this.slotQueue.indexOf(lane), 1);
      lane.queuedForSlot = false;
      this.settle(lane);
    }
    // A lane waiting to retry wakes at once (aborted) and settles; one in a handler settles after it.
  }

  private pausePartition(partition: number): void {
    try {
      this.consumer?.pause([{ topic: this.o.topic, partitions: [partition] }]);
    } catch {
      // Not running (a restart in progress): the new consumer group starts with what it fetches.
    }
  }

  private resumePartitions(partitions: number[]): void {
    try {
      this.consumer?.resume([{ topic: this.o.topic, partitions }]);
    } catch {
      // Not running (a restart in progress): the new consumer group starts unpaused anyway.
    }
  }

  // ---- fetching: batches into lanes -----------------------------------------------------------

  private async eachBatch(p: EachBatchPayload): Promise<void> {
    this.commitVia = p;
    if (this.closing.aborted || !p.isRunning()) return;
    const { partition, messages } = p.batch;
    if (messages.length === 0) return;
    let lane = this.lanes.get(partition);
    if (lane === undefined) this.lanes.set(partition, (lane = newLane(partition)));
    if (lane.parked) return; // fetched before the pause took effect: it comes again after a rebalance
    const last = messages[messages.length - 1]!;
    const from = firstNew(messages, lane.lastAccepted);
    // What the lane now holds is not fetched again (kafkajs fetches from the resolved offset);
    // it is committed only once handled.
    p.resolveOffset(last.offset);
    if (from === messages.length) return;
    lane.queue.push({ messages, index: from, lastOffset: p.batch.lastOffset() });
    lane.lastAccepted = BigInt(last.offset);
    if (lane.running) {
      // Busy: this batch waits in the lane, and the partition pauses until the lane reaches it.
      this.flow(lane);
      return;
    }
    this.kick(lane);
    if (lane.running && !(await this.waitIdle(lane, LANE_HOLD_MS))) {
      // Still busy: it goes on by itself; the fetch loop goes on with the other partitions.
      this.flow(lane);
      return;
    }
    // The lane's settling started (or queued) the commit of what it handled: wait for it.
    await (this.commitAgain ?? this.commitRunning);
  }

  /** Starts a lane that has work, when a slot is free (else it queues for one). */
  private kick(lane: Lane): void {
    if (lane.running) return;
    lane.running = true;
    this.acquire(lane);
  }

  private acquire(lane: Lane): void {
    if (this.slotsInUse < this.o.partitionsConsumedConcurrently) {
      this.slotsInUse++;
      lane.slot = true;
      this.pump(lane);
    } else {
      lane.queuedForSlot = true;
      this.slotQueue.push(lane);
    }
  }

  private release(lane: Lane): void {
    if (!lane.slot) return;
    lane.slot = false;
    this.slotsInUse--;
    const waiting = this.slotQueue.shift();
    if (waiting === undefined) return;
    waiting.queuedForSlot = false;
    this.slotsInUse++;
    waiting.slot = true;
    queueMicrotask(() => this.pump(waiting));
  }

  /**
   * Handles the lane's events in order until it runs dry, an event needs to wait (a promise, a
   * retry), or it must stop. Synchronous while the handler is: most events cost no await.
   */
  private pump(lane: Lane): void {
    for (;;) {
      if (lane.revoked || lane.parked || this.closing.aborted) return this.settle(lane);
      const q = lane.queue[0];
      if (q === undefined) return this.settle(lane);
      if (q.index === q.messages.length) {
        lane.queue.shift();
        lane.handled = q.lastOffset;
        this.flow(lane);
        continue;
      }
      const message = q.messages[q.index]!;
      const outcome = this.process(lane, message);
      if (outcome === 'handled') {
        q.index++;
        lane.handled = message.offset;
        continue;
      }
      if (outcome === 'stop') return this.settle(lane);
      if (typeof outcome === 'number') return this.again(lane, outcome);
      outcome.then(
        (result) => this.after(lane, q, message, result),
        (error: unknown) => {
          // Not expected (handler errors are outcomes): report, and stop the lane unacknowledged.
          this.o.logger?.error?.('internal error in a partition lane', { partition: lane.partition, error: String(error) });
          this.settle(lane);
        },
      );
      return;
    }
  }

  /** An event's outcome arrived after a wait. */
  private after(lane: Lane, q: Queued, message: KafkaMessage, result: Outcome): void {
    if (result === 'stop' || lane.revoked) return this.settle(lane);
    if (typeof result === 'number') return this.again(lane, result);
    q.index++;
    lane.handled = message.offset;
    if (Date.now() - this.lastCommitAt >= COMMIT_EVERY_MS) void this.commit();
    this.pump(lane);
  }

  /** The event in hand is tried again in `ms`; the slot and the partition are let go meanwhile. */
  private again(lane: Lane, ms: number): void {
    lane.waitingAgain = true;
    this.release(lane);
    this.flow(lane);
    void sleep(ms, lane.abort.signal).then(() => {
      lane.waitingAgain = false;
      if (lane.revoked || this.closing.aborted) return this.settle(lane);
      this.flow(lane);
      this.acquire(lane);
    });
  }

  /** The lane stops working (ran dry, or stopped): frees its slot and tells whoever waits. */
  private settle(lane: Lane): void {
    lane.running = false;
    this.release(lane);
    this.flow(lane);
    for (const done of lane.idle.splice(0)) done();
    if (!lane.revoked && lane.handled !== lane.committed) void this.commit();
  }

  /**
   * Pauses the lane's partition while it holds a batch beyond the one in hand, waits to retry, or
   * is parked; resumes it otherwise (one batch is fetched ahead, so a busy lane does not run dry).
   */
  private flow(lane: Lane): void {
    if (lane.revoked) return;
    const hold = lane.parked || lane.waitingAgain || lane.queue.length >= 2;
    if (hold && !lane.paused) {
      lane.paused = true;
      this.pausePartition(lane.partition);
    } else if (!hold && lane.paused) {
      lane.paused = false;
      this.resumePartitions([lane.partition]);
    }
  }

  /** Resolves once the lane stops working. */
  private whenIdle(lane: Lane): Promise<void> {
    return lane.running ? new Promise((resolve) => lane.idle.push(resolve)) : Promise.resolve();
  }

  /** Resolves true once the lane stops working, or false after `ms`. */
  private waitIdle(lane: Lane, ms: number): Promise<boolean> {
    if (!lane.running) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        const i = lane.idle.indexOf(done);
        if (i >= 0) lane.idle.splice(i, 1);
        resolve(false);
      }, ms);
      lane.idle.push(done);
    });
  }

  // ---- committing -----------------------------------------------------------------------------

  /**
   * Commits every lane's handled offsets in one request. One commit runs at a time; a call while
   * one runs is served by the next, which starts when it ends and covers everything up to then.
   */
  private commit(): Promise<void> {
    if (this.commitAgain !== undefined) return this.commitAgain;
    if (this.commitRunning === undefined) {
      this.commitRunning = this.commitOnce().finally(() => (this.commitRunning = undefined));
      return this.commitRunning;
    }
    this.commitAgain = this.commitRunning.then(() => {
      this.commitAgain = undefined;
      return this.commit();
    });
    return this.commitAgain;
  }

  private async commitOnce(): Promise<void> {
    const via = this.commitVia;
    if (via === undefined) return;
    const due: [Lane, string][] = [];
    for (const lane of this.lanes.values()) if (!lane.revoked && lane.handled !== undefined && lane.handled !== lane.committed) due.push([lane, lane.handled]);
    if (due.length === 0) return;
    this.lastCommitAt = Date.now();
    const partitions = due.map(([lane, handled]) => ({ partition: lane.partition, offset: next(handled) }));
    try {
      await via.commitOffsetsIfNecessary({ topics: [{ topic: this.o.topic, partitions }] });
    } catch (error) {
      this.o.logger?.warn?.('commit failed; it is tried again, and uncommitted events may be delivered again', { partitions, error: String(error) });
      if (!this.stopping && this.commitRetryTimer === undefined) {
        this.commitRetryTimer = setTimeout(() => {
          this.commitRetryTimer = undefined;
          void this.commit();
        }, this.reconnect.maxMs);
      }
      return;
    }
    for (const [lane, handled] of due) lane.committed = handled;
  }

  // ---- one event ------------------------------------------------------------------------------

  private process(lane: Lane, message: KafkaMessage): Outcome | Promise<Outcome> {
    let event: JobCompletedEvent;
    try {
      event = decodeEvent(message.value, message.headers);
    } catch (error) {
      return this.setAsideInvalid(lane, message, error as Error);
    }
    if (this.core.isDuplicate(event)) return 'handled';
    let result: unknown;
    try {
      result = this.handler(event);
    } catch (error) {
      return this.failed(lane, message, event, error ?? new Error('handler threw'));
    }
    if (isThenable(result)) return this.settleHandler(lane, message, event, result);
    this.core.handled(lane.partition, event);
    return 'handled';
  }

  private async settleHandler(lane: Lane, message: KafkaMessage, event: JobCompletedEvent, result: PromiseLike<unknown>): Promise<Outcome> {
    try {
      await result;
    } catch (error) {
      return this.failed(lane, message, event, error ?? new Error('handler rejected'));
    }
    this.core.handled(lane.partition, event);
    return 'handled';
  }

  /** The handler failed on `event`: do what the core decides, until the event is dealt with or let go of. */
  private async failed(lane: Lane, message: KafkaMessage, event: JobCompletedEvent, firstFailure: unknown): Promise<Outcome> {
    const partition = lane.partition;
    let failure = firstFailure;
    for (;;) {
      const decision = this.core.failed(partition, message.offset, event, failure, lane.revoked || this.closing.aborted);
      switch (decision.kind) {
        case 'stop':
          return 'stop';
        case 'park':
          // Reported by the core; the partition stays paused until a rebalance hands it out afresh.
          lane.parked = true;
          return 'stop';
        case 'pause':
          // A long wait: let the slot go and pause the partition; the same event comes next.
          return decision.delayMs;
        case 'dead-letter':
          return this.giveUp(lane, message, decision);
        case 'retry':
          break;
      }
      await sleep(decision.delayMs, lane.abort.signal);
      if (lane.revoked || this.closing.aborted) return 'stop';
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

  private async giveUp(lane: Lane, message: KafkaMessage, gaveUp: GiveUp): Promise<Outcome> {
    const sent = await this.deadLetter(lane.partition, message, 'handler-failed', gaveUp.error, gaveUp.attempts);
    if (sent === true) {
      this.core.deadLettered(lane.partition, gaveUp);
      return 'handled';
    }
    const decision = this.core.deadLetterFailed(lane.partition, message.offset, sent.failure, gaveUp);
    if (decision.kind === 'pause') return decision.delayMs;
    lane.parked = true;
    return 'stop';
  }

  private async setAsideInvalid(lane: Lane, message: KafkaMessage, cause: Error): Promise<Outcome> {
    const { partition } = lane;
    const topic = this.o.topic;
    const error = new SchedulerError('INVALID_ARGUMENT', `invalid JobCompletedEvent at ${topic}/${partition}@${message.offset}: ${cause.message}`, {
      operation: 'decodeJobCompleted',
      cause,
    });
    if (this.producer !== undefined) {
      const sent = await this.deadLetter(partition, message, 'invalid', error, 1);
      if (sent !== true) {
        const decision = this.core.deadLetterFailed(partition, message.offset, sent.failure);
        return decision.kind === 'pause' ? decision.delayMs : 'stop';
      }
    }
    // Counted and reported once, when it is set aside for good (not on each try to dead-letter it).
    this.core.invalid(partition, rawMessage(topic, partition, message), error, this.producer !== undefined);
    return 'handled';
  }

  /** Publishes a message to the dead-letter topic: true, or (reported) why it failed. */
  private async deadLetter(partition: number, message: KafkaMessage, reason: string, error: SchedulerError, attempts: number): Promise<true | { failure: unknown }> {
    const topic = this.o.topic;
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

  // ---- stopping -------------------------------------------------------------------------------

  /**
   * Stops consuming: lets the handlers in progress finish, commits, leaves the group. Past
   * `closeTimeoutMs` it lets go of every connection instead. Once it resolves, nothing of the
   * consumer is left: no socket, no timer. Concurrent and later calls share one stop; it never
   * rejects (a failure is reported).
   */
  stop(): Promise<void> {
    this.stopPromise ??= this.stopOnce();
    return this.stopPromise;
  }

  private async stopOnce(): Promise<void> {
    this.stopping = true;
    const started = this.connections.current !== 'connecting';
    this.connections.enter('closing');
    clearTimeout(this.restartTimer);
    clearTimeout(this.commitRetryTimer);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.o.closeTimeoutMs)));
    // Lanes finish the event in hand (their retry waits end now), then what they handled is committed.
    const lanes = [...this.lanes.values()];
    for (const lane of lanes) lane.abort.abort();
    for (const lane of [...this.slotQueue]) this.revoke(lane);
    let result = await Promise.race([Promise.all(lanes.map((lane) => this.whenIdle(lane))).then(() => 'done' as const), timeout]);
    if (result === 'done' && started) result = await Promise.race([this.commit().then(() => 'done' as const), timeout]);
    if (!started) this.connections.abandon(); // never joined: nothing to leave
    const work = this.disconnectAll();
    if (result === 'done') result = await Promise.race([work.then(() => 'done' as const), timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.hooks.report(new SchedulerError('TIMEOUT', `close: the Kafka consumer did not stop within ${this.o.closeTimeoutMs} ms; its connections were closed`), { action: 'stopped' });
    }
    // Whatever kafkajs still has open or is still trying (a request to a broker that does not
    // answer, a reconnect) is let go of now, and waited for, so that nothing outlives close().
    this.connections.abandon();
    let settleTimer: NodeJS.Timeout | undefined;
    const settled = await Promise.race([
      Promise.all([work, this.restarting]).then(() => this.connections.closed(ABANDON_SETTLE_MS)),
      new Promise<false>((resolve) => (settleTimer = setTimeout(() => resolve(false), ABANDON_SETTLE_MS))),
    ]);
    clearTimeout(settleTimer);
    if (!settled) this.o.logger?.warn?.(`close: kafkajs had not wound down ${ABANDON_SETTLE_MS} ms after its connections were closed`);
    clearTimeout(this.commitRetryTimer);
  }

  private disconnecting: Promise<void> | undefined;
  private disconnectAll(): Promise<void> {
    this.disconnecting ??= (async () => {
      try {
        await this.consumer?.disconnect();
        await this.producer?.disconnect();
      } catch (error) {
        this.hooks.report(new SchedulerError('SERVER_ERROR', `close: disconnecting from Kafka failed: ${(error as Error).message}`, { cause: error }), { action: 'stopped' });
      }
    })();
    return this.disconnecting;
  }

  private log(entry: LogEntry): void {
    const { message, ...context } = entry.log;
    // kafkajs logs a connection it lost or could not open at ERROR, from its Connection: report
    // the outage once (it reconnects by itself), until a fetch succeeds again.
    if (entry.level === logLevel.ERROR && entry.namespace === 'Connection' && !this.stopping && !this.outageReported && this.connections.current === 'running') {
      this.outageReported = true;
      this.hooks.report(
        new SchedulerError('SERVER_ERROR', `lost contact with Kafka at ${this.o.brokers.join(',')} (${message}); reconnecting every ${this.o.reconnectInitialMs}-${this.o.reconnectMaxMs} ms, keeping the group membership`, {
          retryable: true,
        }),
        { action: 'retrying' },
      );
    }
    const logger = this.o.logger;
    if (logger === undefined) return;
    const text = `[kafkajs ${entry.namespace}] ${message}`;
    if (entry.level === logLevel.ERROR) logger.error?.(text, context);
    else if (entry.level === logLevel.WARN) logger.warn?.(text, context);
    else if (entry.level === logLevel.INFO) logger.info?.(text, context);
    else logger.debug?.(text, context);
  }
}

/** kafkajs errors that come from the network or from a retry loop that ran out, never from the request itself. */
const TRANSIENT_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSLockTimeout',
  'KafkaJSBrokerNotFound',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSNoBrokerAvailableError',
]);

/**
 * Whether a kafkajs crash is worth restarting from: `error`, or an error that caused it, is a
 * network failure, a retry loop that ran out, or marked retriable.
 */
export function transient(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e instanceof Error && depth < 16; depth++, e = (e as { cause?: unknown }).cause) {
    if (TRANSIENT_ERRORS.has(e.name) || (e as { retriable?: unknown }).retriable === true) return true;
  }
  return false;
}

function newLane(partition: number): Lane {
  return {
    partition,
    queue: [],
    lastAccepted: -1n,
    handled: undefined,
    committed: undefined,
    running: false,
    slot: false,
    queuedForSlot: false,
    waitingAgain: false,
    paused: false,
    parked: false,
    revoked: false,
    abort: new AbortController(),
    idle: [],
  };
}

/** The index of the first message past `lastAccepted` (offsets ascend within a batch). */
function firstNew(messages: KafkaMessage[], lastAccepted: bigint): number {
  if (lastAccepted < 0n) return 0;
  let i = 0;
  while (i < messages.length && BigInt(messages[i]!.offset) <= lastAccepted) i++;
  return i;
}

function rawMessage(topic: string, partition: number, m: KafkaMessage): RawKafkaMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers, timestamp: m.timestamp };
}
