// Fault scenarios for KafkaJobCompletedSubscriber on a dedicated broker (scripts/kafka.sh), shared
// by __tests__/kafka.faults.test.ts (which asserts on them) and bench/kafka-faults.ts (which
// repeats them and tabulates the numbers).
//
// Every scenario runs against a steady stream of events: a background producer sends a few events
// every 100 ms, round-robin over the topic's partitions, and records each executionId the broker
// acknowledged. A scenario injects its fault, measures, lets the subscriber catch up, and returns
// what was produced and handled, the lost ids (must be none) and the duplicates, with the
// scenario's own timings. Each one cleans up after itself and leaves the broker running, so that
// several can share one broker. Waits are bounded: a bound that is hit throws with what was seen.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from 'kafkajs';
import { KafkaJobCompletedSubscriber, type KafkaSubscriberOptions } from '../../src/index.js';
import { encodeEvent } from '../../src/kafka/codec.js';
import { spawnConsumerChild, type ConsumerChild } from './kafka-child.js';
import { checkNothingLost, createTopic, endOffsets, kafkaClient, makeEvent, unique, within, type DedicatedBroker } from './kafka.js';

/** The group settings every scenario's subscribers use. */
export const SCENARIO_GROUP = { sessionTimeout: 10_000, heartbeatInterval: 1_000 } as const;

/** Events per second the background producer aims at (when the broker answers). */
export const STREAM_RATE = 30;
const TICK_MS = 100;

/** The broker answers again: how long a scenario waits at most for the first event after it. */
const RECOVERY_BOUND_MS = 120_000;
/** How long a scenario waits at most for the subscriber to catch up with everything produced. */
const CATCH_UP_BOUND_MS = 120_000;
/** How many events of the other partitions the slow handler waits to see handled before it ends. */
export const WATCHED_OTHERS = 20;
/** A failure detector: the slow handler ends by then even if the other partitions stalled. */
const STALL_BOUND_MS = 60_000;

// ---- the stream ------------------------------------------------------------------------------

/** One event the broker acknowledged. */
export interface StreamEvent {
  id: string;
  partition: number;
  /** Its sequence number within its partition (so, its order there). */
  seq: number;
  /** When the send that carried it was acknowledged (epoch ms). */
  ackedAt: number;
}

/** The partition and sequence number a stream's executionId carries (`<tag>-exec-p<P>-<N>`). */
export function placeOf(executionId: string): { partition: number; seq: number } | undefined {
  const m = /-exec-p(\d+)-(\d+)$/.exec(executionId);
  return m === null ? undefined : { partition: Number(m[1]), seq: Number(m[2]) };
}

/** An event on its way to the broker: where it goes and its place in the stream. */
interface Outgoing {
  partition: number;
  seq: number;
  id: string;
  message: { partition: number; key: string; value: Buffer; headers: Record<string, string> };
}

/**
 * A background producer: every 100 ms it sends `ratePerSecond / 10` events (SPEC §7 messages, as
 * `produce` writes them) round-robin over the partitions, one send at a time. A tick that comes
 * while a send is still waiting (the broker is down or paused) sends nothing: the stream resumes at
 * its rate once the broker answers, without a burst. A failed send is counted and its producer
 * replaced; its events are not recorded as produced (they may still have been written: the
 * subscriber may then handle ids the stream does not list, which is no loss).
 */
export class EventStream {
  /** Acknowledged events by executionId, in the order they were acknowledged. */
  readonly produced = new Map<string, StreamEvent>();
  failedSends = 0;
  private readonly tag = unique('f');
  private readonly next: number[];
  private producer: Producer | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private readonly perTick: number;
  private carry = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private readonly brokers: string[],
    private readonly topic: string,
    private readonly partitions: number,
    ratePerSecond = STREAM_RATE,
  ) {
    this.next = Array.from({ length: partitions }, () => 0);
    this.perTick = (ratePerSecond * TICK_MS) / 1000;
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Stops producing; resolves once the send in flight settled and the producer disconnected. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sending;
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => {});
  }

  /** Resolves once `count` events in all have been acknowledged. */
  untilProduced(count: number): Promise<void> {
    if (this.produced.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** The ids acknowledged so far. */
  ids(): string[] {
    return [...this.produced.keys()];
  }

  private tick(): void {
    if (this.sending !== undefined) return;
    this.carry += this.perTick;
    const n = Math.floor(this.carry);
    if (n === 0) return;
    this.carry -= n;
    const batch: Outgoing[] = [];
    for (let i = 0; i < n; i++) {
      // The partition with the fewest events so far: round-robin that carries over ticks.
      let p = 0;
      for (let q = 1; q < this.partitions; q++) if (this.next[q]! < this.next[p]!) p = q;
      const seq = this.next[p]!++;
      const event = makeEvent(this.tag, p, seq);
      const m = encodeEvent(event, 'json');
      batch.push({ partition: p, seq, id: event.executionId, message: { partition: p, key: m.key, value: m.value, headers: m.headers } });
    }
    this.sending = this.send(batch).finally(() => (this.sending = undefined));
  }

  private async send(batch: Outgoing[]): Promise<void> {
    try {
      if (this.producer === undefined) {
        const producer = kafkaClient(this.brokers, 'k1s0-faults-stream').producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
        this.producer = producer;
        await producer.connect();
      }
      await this.producer.send({ topic: this.topic, acks: -1, messages: batch.map((b) => b.message) });
      const ackedAt = Date.now();
      for (const b of batch) this.produced.set(b.id, { id: b.id, partition: b.partition, seq: b.seq, ackedAt });
      this.waiters = this.waiters.filter((w) => (this.produced.size >= w.count ? (w.resolve(), false) : true));
    } catch {
      // The sequence numbers of a failed send are used up: each id is sent once, so a handled id
      // appears at most once in the topic unless the subscriber delivers it twice.
      this.failedSends++;
      const producer = this.producer;
      this.producer = undefined;
      await producer?.disconnect().catch(() => {});
    }
  }
}

// ---- what was handled ------------------------------------------------------------------------

/** Ids as handlers finished with them, with the time (epoch ms); waits are event-driven. */
export class HandledLog {
  readonly ids: string[] = [];
  readonly at: number[] = [];
  /** When each id was first handled. */
  readonly first = new Map<string, number>();
  private waiters: { check: () => boolean; resolve: () => void }[] = [];

  record(id: string): void {
    const now = Date.now();
    this.ids.push(id);
    this.at.push(now);
    if (!this.first.has(id)) this.first.set(id, now);
    if (this.waiters.length > 0) this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }

  /** Resolves once `check` holds (checked now and after each handled event). */
  when(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }

  /** The time of the first event handled at or after `t`. */
  async firstAtOrAfter(t: number): Promise<number> {
    await this.when(() => this.ids.length > 0 && this.at[this.at.length - 1]! >= t);
    return this.at.find((x) => x >= t)!;
  }

  /** Resolves once every id in `ids` has been handled. */
  all(ids: Iterable<string>): Promise<void> {
    const left = new Set([...ids].filter((id) => !this.first.has(id)));
    return this.when(() => {
      for (const id of left) if (this.first.has(id)) left.delete(id);
      return left.size === 0;
    });
  }

  /** How many of `ids` are not handled yet. */
  missing(ids: Iterable<string>): string[] {
    return [...ids].filter((id) => !this.first.has(id));
  }
}

// ---- results ---------------------------------------------------------------------------------

/** What every scenario reports. */
export interface ScenarioResult {
  scenario: string;
  produced: number;
  /** Handler completions, duplicates included. */
  handled: number;
  lost: string[];
  duplicates: number;
  /** Sends of the background producer that failed (during the fault). */
  failedSends: number;
  /** One line with every number, for the test's output and the benchmark's log. */
  summary: string;
}

/**
 * Creates a topic and waits until each partition answers ListOffsets too: right after its leader
 * shows in the metadata, a partition may still answer NOT_LEADER_FOR_PARTITION, and a consumer
 * that meets that at its first join rejoins, which a scenario would count as a rebalance.
 */
async function readyTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  await createTopic(brokers, topic, partitions);
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await endOffsets(brokers, topic);
      return;
    } catch (error) {
      if ((error as { retriable?: unknown }).retriable !== true || Date.now() > deadline) throw error;
    }
    await sleep(100); // the broker has no event to wait for: ask again
  }
}

const ms = (n: number | undefined): string => (n === undefined ? 'n/a' : `${Math.round(n)} ms`);

function subscriberOptions(brokers: string[], topic: string, groupId: string, extra: Partial<KafkaSubscriberOptions> = {}): KafkaSubscriberOptions {
  return { brokers, topic, groupId, fromBeginning: true, ...SCENARIO_GROUP, closeTimeoutMs: 10_000, ...extra };
}

/** Runs `body`; on the way out (also on failure) runs the cleanups, last first, each bounded. */
async function withCleanups<T>(body: (cleanup: (what: string, fn: () => Promise<unknown>) => void) => Promise<T>): Promise<T> {
  const cleanups: { what: string; fn: () => Promise<unknown> }[] = [];
  try {
    return await body((what, fn) => cleanups.push({ what, fn }));
  } finally {
    for (const { what, fn } of cleanups.reverse()) {
      await within(fn(), 60_000, `cleanup: ${what}`).catch((error: unknown) => console.warn(`[faults] ${String(error)}`));
    }
  }
}

/** Wraps a bounded wait so that its failure says what the scenario had seen. */
async function bounded<T>(promise: Promise<T>, limitMs: number, what: string, seen: () => string): Promise<T> {
  try {
    return await within(promise, limitMs, what);
  } catch (error) {
    throw new Error(`${(error as Error).message}; ${seen()}`);
  }
}

// ---- broker outages: stopped, killed, paused ---------------------------------------------------

/** Whether something accepts a TCP connection at `host:port` within 500 ms. */
function accepts(address: string): Promise<boolean> {
  const at = address.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect({ host: address.slice(0, at), port: Number(address.slice(at + 1)) });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 500);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls `address` every 50 ms until it accepts a connection (or `stop` is called); resolves with
 * when it first did. `resume()` returns only once the broker also answers a metadata request, a
 * few seconds later, and a client may reconnect in between.
 */
function watchPort(address: string): { opened: Promise<number | undefined>; stop: () => void } {
  let stopped = false;
  const opened = (async () => {
    while (!stopped) {
      const t = Date.now();
      if (await accepts(address)) return t;
      await sleep(50);
    }
    return undefined;
  })();
  return { opened, stop: () => (stopped = true) };
}

export type OutageKind = 'stopped' | 'killed' | 'paused';

export interface OutageResult extends ScenarioResult {
  kind: OutageKind;
  /** How long the broker was stopped, killed or paused, ms (from the fault to resume()/cont() returning). */
  downMs: number;
  /** From resume()/cont() returning (the broker answers again) to the first event handled after it. */
  recoveryMs: number;
  /**
   * Stopped and killed: from the broker's port accepting connections again to the first event
   * handled after that (the broker's own start-up between the two included).
   */
  sincePortMs: number | undefined;
  groupJoins: number;
  restarts: number;
  errorReports: number;
}

/** How long each kind of outage lasts, ms (the broker's own start-up comes on top for stopped and killed). */
export const OUTAGE_MS: Record<OutageKind, number> = { stopped: 20_000, killed: 5_000, paused: 15_000 };

/**
 * One subscriber (3 partitions) consuming the stream; the broker is stopped (`halt`, SIGTERM) for
 * 20 s, killed (SIGKILL) and restarted 5 s later, or paused (SIGSTOP) for 15 s and continued.
 * recoveryMs runs from resume()/cont() returning to the first event handled after that.
 */
export async function brokerOutage(broker: DedicatedBroker, kind: OutageKind, options: { downMs?: number } = {}): Promise<OutageResult> {
  const downFor = options.downMs ?? OUTAGE_MS[kind];
  const brokers = broker.brokers;
  const topic = unique(`faults-${kind}`);
  const groupId = unique(`g-${kind}`);
  await readyTopic(brokers, topic, 3);
  return withCleanups(async (cleanup) => {
    const log = new HandledLog();
    const errors: string[] = [];
    const stream = new EventStream(brokers, topic, 3);
    const sub = new KafkaJobCompletedSubscriber(subscriberOptions(brokers, topic, groupId, { onError: (e, c) => errors.push(`${c.action}: ${e.message}`) }));
    cleanup('closing the subscriber', () => sub.close());
    cleanup('stopping the stream', () => stream.stop());
    const seen = () => `produced ${stream.produced.size}, handled ${log.first.size} (${log.ids.length}); health ${JSON.stringify(sub.health())}; last reports: ${errors.slice(-3).join(' | ')}`;
    stream.start();
    await sub.run((e) => log.record(e.executionId));
    await bounded(log.when(() => log.first.size >= STREAM_RATE), 60_000, 'a second of the stream handled before the fault', seen);

    let restore: (() => Promise<void>) | undefined;
    cleanup('restoring the broker', async () => {
      if (restore !== undefined) await restore();
    });
    const t0 = Date.now();
    if (kind === 'paused') {
      await broker.pause();
      restore = () => broker.cont();
    } else {
      await (kind === 'stopped' ? broker.halt() : broker.kill());
      restore = () => broker.resume();
    }
    await sleep(Math.max(0, t0 + downFor - Date.now())); // the outage itself
    const port = kind === 'paused' ? undefined : watchPort(brokers[0]!);
    try {
      await restore();
    } finally {
      port?.stop();
    }
    restore = undefined;
    const back = Date.now();
    const portOpen = await port?.opened;
    const firstAfter = await bounded(log.firstAtOrAfter(back), RECOVERY_BOUND_MS, `the first event handled after the broker came back (${kind})`, seen);
    const recoveryMs = firstAfter - back;
    const sincePortMs = portOpen === undefined ? undefined : (await log.firstAtOrAfter(portOpen)) - portOpen;
    // A few more seconds of the stream after recovery, then everything produced must be handled.
    const more = stream.produced.size + 3 * STREAM_RATE;
    await bounded(stream.untilProduced(more), 60_000, 'the stream going on after recovery', seen);
    await stream.stop();
    const produced = stream.ids();
    await bounded(log.all(produced), CATCH_UP_BOUND_MS, 'every produced event handled', () => `missing ${log.missing(produced).length}; ${seen()}`);
    const health = sub.health();
    await sub.close();
    const report = await checkNothingLost({ label: `faults: broker ${kind}`, produced, handled: log.ids });
    const result: OutageResult = {
      scenario: `broker ${kind}`,
      kind,
      produced: report.produced,
      handled: report.handled,
      lost: report.lost,
      duplicates: report.duplicates,
      failedSends: stream.failedSends,
      downMs: back - t0,
      recoveryMs,
      sincePortMs,
      groupJoins: health.groupJoins ?? 0,
      restarts: health.restarts ?? 0,
      errorReports: errors.length,
      summary: '',
    };
    result.summary = `broker ${kind}: down ${ms(result.downMs)}, recovery ${ms(recoveryMs)} after the broker answered again${sincePortMs === undefined ? '' : ` (${ms(sincePortMs)} after its port accepted connections)`}; produced ${result.produced}, handled ${result.handled}, duplicates ${result.duplicates}, lost ${result.lost.length}; ${result.groupJoins} join(s), ${result.restarts} restart(s), ${result.errorReports} error report(s), ${result.failedSends} failed send(s)`;
    return result;
  });
}

// ---- a group of three: one member killed, one closed -------------------------------------------

export interface GroupResult extends ScenarioResult {
  /** From the kill (and the close right after it) until the survivor handled events of every partition. */
  takeoverMs: number;
  /** From the kill until every event acknowledged by the takeover had been handled. */
  caughtUpMs: number;
  /** How long the closed member's close() took. */
  closeMs: number;
  /** The survivor's partitions once it took over. */
  survivorPartitions: number[];
  /** Events each member handled (child, closed, survivor). */
  perMember: { killed: number; closed: number; survivor: number };
}

/**
 * Three members of one group on 6 partitions: one in a child process (killed with SIGKILL: it
 * leaves no LeaveGroup, so its partitions move once its session times out), one closed with
 * close(), and a survivor that takes over all partitions.
 */
export async function groupOfThree(broker: DedicatedBroker): Promise<GroupResult> {
  const brokers = broker.brokers;
  const partitions = 6;
  const topic = unique('faults-group');
  const groupId = unique('g-group');
  await readyTopic(brokers, topic, partitions);
  return withCleanups(async (cleanup) => {
    const survivorLog = new HandledLog();
    const closedLog = new HandledLog();
    const stream = new EventStream(brokers, topic, partitions);
    const survivor = new KafkaJobCompletedSubscriber(subscriberOptions(brokers, topic, groupId));
    const closed = new KafkaJobCompletedSubscriber(subscriberOptions(brokers, topic, groupId));
    cleanup('closing the survivor', () => survivor.close());
    cleanup('closing the second member', () => closed.close());
    cleanup('stopping the stream', () => stream.stop());
    let child: ConsumerChild | undefined;
    cleanup('killing the child', async () => {
      if (child !== undefined && child.process.exitCode === null && child.process.signalCode === null) {
        child.kill('SIGKILL');
        await child.exited;
      }
    });
    const seen = () =>
      `produced ${stream.produced.size}; handled: child ${child?.handled.length ?? 0}, closed ${closedLog.ids.length}, survivor ${survivorLog.ids.length}; survivor ${JSON.stringify(survivor.health())}; child's last lines: ${child?.lines.slice(-3).join(' | ')}`;
    stream.start();
    await survivor.run((e) => survivorLog.record(e.executionId));
    await closed.run((e) => closedLog.record(e.executionId));
    child = spawnConsumerChild({ brokers, topic, groupId, ...SCENARIO_GROUP, closeTimeoutMs: 10_000 });
    await child.waitFor(() => child!.lines.includes('READY'), 90_000, 'the child member joining');
    // Each member handles events only with the assignment of the last join, so once all three
    // have handled some after the child joined, the group is settled with three members.
    const fromChildJoin = { survivor: survivorLog.ids.length, closed: closedLog.ids.length };
    await bounded(
      Promise.all([
        child.waitFor(() => child!.handled.length >= 5, 90_000, 'the child handling events'),
        survivorLog.when(() => survivorLog.ids.length >= fromChildJoin.survivor + 5),
        closedLog.when(() => closedLog.ids.length >= fromChildJoin.closed + 5),
      ]),
      90_000,
      'all three members handling events',
      seen,
    );
    const t0 = Date.now();
    child.kill('SIGKILL');
    const closeStart = Date.now();
    await closed.close();
    const closeMs = Date.now() - closeStart;
    await child.exited;
    // Taken over: the survivor has handled events of every partition since the kill (the killed
    // member's partitions move once its session times out: it sent no LeaveGroup).
    const servedSince = (from: number) => {
      const seen = new Set<number>();
      for (let i = survivorLog.at.length - 1; i >= 0 && survivorLog.at[i]! >= from; i--) {
        const p = placeOf(survivorLog.ids[i]!)?.partition;
        if (p !== undefined) seen.add(p);
      }
      return seen.size;
    };
    await bounded(survivorLog.when(() => servedSince(t0) === partitions), CATCH_UP_BOUND_MS, 'the survivor handling events of every partition', seen);
    const takeoverMs = Date.now() - t0;
    const byOthers = new Set([...child.handled, ...closedLog.ids]);
    // Caught up: every event acknowledged by then (the backlog of the killed member's partitions
    // included) has been handled.
    const backlog = stream.ids().filter((id) => !byOthers.has(id));
    await bounded(survivorLog.all(backlog), CATCH_UP_BOUND_MS, 'the survivor catching up', seen);
    const caughtUpMs = Date.now() - t0;
    const survivorPartitions = survivor.health().partitions ?? [];
    // The stream goes on a little with the survivor alone, then everything must be handled.
    await bounded(stream.untilProduced(stream.produced.size + 2 * STREAM_RATE), 60_000, 'the stream going on after the takeover', seen);
    await stream.stop();
    const produced = stream.ids();
    await bounded(
      survivorLog.all(produced.filter((id) => !byOthers.has(id))),
      CATCH_UP_BOUND_MS,
      'every produced event handled',
      () => `missing ${produced.filter((id) => !byOthers.has(id) && !survivorLog.first.has(id)).length}; ${seen()}`,
    );
    await survivor.close();
    const handled = [...child.handled, ...closedLog.ids, ...survivorLog.ids];
    const report = await checkNothingLost({ label: 'faults: group of three (one killed, one closed)', produced, handled });
    const result: GroupResult = {
      scenario: 'group of three',
      produced: report.produced,
      handled: report.handled,
      lost: report.lost,
      duplicates: report.duplicates,
      failedSends: stream.failedSends,
      takeoverMs,
      caughtUpMs,
      closeMs,
      survivorPartitions,
      perMember: { killed: child.handled.length, closed: closedLog.ids.length, survivor: survivorLog.ids.length },
      summary: '',
    };
    result.summary = `group of three: takeover ${ms(takeoverMs)} (from the kill and close until the survivor handled events of all ${partitions} partitions), caught up ${ms(caughtUpMs)} after the kill, close() ${ms(closeMs)}; survivor's partitions [${survivorPartitions.join(',')}]; handled by killed/closed/survivor ${result.perMember.killed}/${result.perMember.closed}/${result.perMember.survivor}; produced ${result.produced}, duplicates ${result.duplicates}, lost ${result.lost.length}`;
    return result;
  });
}

// ---- a slow handler --------------------------------------------------------------------------

export interface SlowHandlerResult extends ScenarioResult {
  /** The event whose handler was slow (partition 0). */
  slowId: string;
  slowMs: number;
  /** The other partitions' handling rate in the window before the slow handler, events/s. */
  rateBefore: number;
  /** Their rate while it ran, events/s. */
  rateDuring: number;
  /** rateDuring / rateBefore. */
  ratio: number;
  /** The first events of the other partitions acknowledged after the slow handler started (it waits for them). */
  producedDuring: number;
  /** Of those, the ones not handled by the time the slow handler finished (should be none). */
  notHandledInTime: string[];
  /** Partition 0 events whose handler started while the slow one ran (must be none). */
  startedDuringSlow: string[];
  /** Whether partition 0's events were handled in their order (first handlings). */
  partition0InOrder: boolean;
  /** Partition 0 events after the slow one that were handled before it finished (must be none). */
  handledBeforeSlowEnded: string[];
  /** Group joins in all, and before the slow handler started (a rejoin during it means heartbeats stopped). */
  groupJoins: number;
  joinsBeforeSlow: number;
}

/**
 * One member on 4 partitions; after a window of normal handling, the handler of the next event on
 * partition 0 blocks for 15 s (longer than the 10 s session timeout). Measures the other
 * partitions' rate during it against the window before it.
 */
export async function slowHandler(broker: DedicatedBroker, options: { slowMs?: number; windowMs?: number } = {}): Promise<SlowHandlerResult> {
  const slowMs = options.slowMs ?? 15_000;
  const windowMs = options.windowMs ?? 5_000;
  const brokers = broker.brokers;
  const topic = unique('faults-slow');
  const groupId = unique('g-slow');
  await readyTopic(brokers, topic, 4);
  return withCleanups(async (cleanup) => {
    const log = new HandledLog();
    const stream = new EventStream(brokers, topic, 4);
    const sub = new KafkaJobCompletedSubscriber(subscriberOptions(brokers, topic, groupId, { closeTimeoutMs: slowMs + 10_000 }));
    cleanup('closing the subscriber', () => sub.close());
    cleanup('stopping the stream', () => stream.stop());
    let armed = false;
    let joinsBeforeSlow = 0;
    let slow: { id: string; seq: number; start: number; end?: number } | undefined;
    const firstOthersAfter = (t: number) => [...stream.produced.values()].filter((p) => p.partition !== 0 && p.ackedAt >= t).slice(0, WATCHED_OTHERS);
    let slowDone!: () => void;
    const slowFinished = new Promise<void>((resolve) => (slowDone = resolve));
    const startedDuringSlow: string[] = [];
    const seen = () => `produced ${stream.produced.size}, handled ${log.first.size}; slow ${JSON.stringify(slow)}; health ${JSON.stringify(sub.health())}`;
    stream.start();
    await sub.run(async (e) => {
      const place = placeOf(e.executionId);
      if (place?.partition === 0) {
        if (slow !== undefined && slow.end === undefined) startedDuringSlow.push(e.executionId);
        if (armed && slow === undefined) {
          slow = { id: e.executionId, seq: place.seq, start: Date.now() };
          joinsBeforeSlow = sub.health().groupJoins ?? 0;
          await sleep(slowMs); // the deliberately slow handler
          // Nor does it end before the first WATCHED_OTHERS events of the other partitions
          // acknowledged after it started are handled, so that "the others went on meanwhile" needs
          // no margin of time: where they stall behind it, it ends only at the failure detector's
          // bound, with those events unhandled.
          const started = slow.start;
          const othersHandled = (): boolean => {
            const watched = firstOthersAfter(started);
            return watched.length === WATCHED_OTHERS && watched.every((p) => log.first.has(p.id));
          };
          await within(log.when(othersHandled), STALL_BOUND_MS, 'the watched events of the other partitions').catch(() => {});
          slow.end = Date.now();
          log.record(e.executionId);
          slowDone();
          return;
        }
      }
      log.record(e.executionId);
    });
    await bounded(log.when(() => log.first.size >= STREAM_RATE), 60_000, 'the stream handled before the slow handler', seen);
    await sleep(windowMs); // the window of normal handling the rate during the slow handler is compared with
    armed = true;
    await bounded(slowFinished, slowMs + 60_000, 'the slow handler', seen);
    const s = slow!;
    const end = s.end!;
    const other = (id: string) => placeOf(id)?.partition !== 0;
    let before = 0;
    let during = 0;
    for (const [id, at] of log.first) {
      if (!other(id)) continue;
      if (at >= s.start - windowMs && at < s.start) before++;
      else if (at >= s.start && at <= end) during++;
    }
    const rateBefore = before / (windowMs / 1000);
    const rateDuring = during / ((end - s.start) / 1000);
    const early = firstOthersAfter(s.start);
    const notHandledInTime = early.filter((e) => !((log.first.get(e.id) ?? Infinity) <= end)).map((e) => e.id);
    await stream.stop();
    const produced = stream.ids();
    await bounded(log.all(produced), CATCH_UP_BOUND_MS, 'every produced event handled', () => `missing ${log.missing(produced).length}; ${seen()}`);
    const groupJoins = sub.health().groupJoins ?? 0;
    await sub.close();
    const p0 = [...log.first.keys()].filter((id) => placeOf(id)?.partition === 0).map((id) => placeOf(id)!.seq);
    const partition0InOrder = p0.every((seq, i) => i === 0 || seq > p0[i - 1]!);
    const handledBeforeSlowEnded = [...log.first].filter(([id, at]) => {
      const place = placeOf(id);
      return place?.partition === 0 && place.seq > s.seq && at < end;
    }).map(([id]) => id);
    const report = await checkNothingLost({ label: 'faults: slow handler', produced, handled: log.ids });
    const result: SlowHandlerResult = {
      scenario: 'slow handler',
      produced: report.produced,
      handled: report.handled,
      lost: report.lost,
      duplicates: report.duplicates,
      failedSends: stream.failedSends,
      slowId: s.id,
      slowMs: end - s.start,
      rateBefore,
      rateDuring,
      ratio: rateBefore > 0 ? rateDuring / rateBefore : 0,
      producedDuring: early.length,
      notHandledInTime,
      startedDuringSlow,
      partition0InOrder,
      handledBeforeSlowEnded,
      groupJoins,
      joinsBeforeSlow,
      summary: '',
    };
    result.summary = `slow handler (${ms(result.slowMs)} on partition 0): other partitions ${rateBefore.toFixed(1)}/s before, ${rateDuring.toFixed(1)}/s during (ratio ${result.ratio.toFixed(2)}); of the first ${early.length} events of the other partitions produced after it started, ${notHandledInTime.length} not handled before it ended; ${groupJoins} join(s) (${joinsBeforeSlow} before the slow handler); partition 0 in order: ${partition0InOrder}, started during it: ${startedDuringSlow.length}; produced ${result.produced}, duplicates ${result.duplicates}, lost ${result.lost.length}`;
    return result;
  });
}

// ---- close during an outage ------------------------------------------------------------------

export interface CloseExitResult extends ScenarioResult {
  outage: 'paused' | 'stopped';
  /** close() in the child, from the call to its settling. */
  closeMs: number;
  /** Whether the child exited by itself within the bound after close() settled. */
  exitedByItself: boolean;
  /** From close() settling to the child's exit, ms; undefined if it did not exit within the bound. */
  exitMs: number | undefined;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Active resources after close() settled beyond the baseline taken before the subscriber existed. */
  leftover: string[];
  /** TCPSocketWrap and Timeout among the leftovers. */
  leftoverHandles: string[];
}

/** How long the child may take to exit after close() settled before it counts as hanging. */
export const EXIT_BOUND_MS = 20_000;

function beyond(baseline: readonly string[], now: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const r of baseline) left.set(r, (left.get(r) ?? 0) + 1);
  const extra: string[] = [];
  for (const r of now) {
    const n = left.get(r) ?? 0;
    if (n > 0) left.set(r, n - 1);
    else extra.push(r);
  }
  return extra;
}

/**
 * A subscriber in a child process consumes the stream (3 partitions); the broker is paused (or
 * stopped); the child calls close() (closeTimeoutMs 3000) and must then exit by itself. Afterwards
 * the broker is restored and another member of the group handles the rest, so that nothing is
 * lost.
 */
export async function closeDuringOutage(broker: DedicatedBroker, outage: 'paused' | 'stopped', options: { closeTimeoutMs?: number } = {}): Promise<CloseExitResult> {
  const closeTimeoutMs = options.closeTimeoutMs ?? 3_000;
  const brokers = broker.brokers;
  const topic = unique(`faults-close-${outage}`);
  const groupId = unique(`g-close-${outage}`);
  await readyTopic(brokers, topic, 3);
  return withCleanups(async (cleanup) => {
    const stream = new EventStream(brokers, topic, 3);
    cleanup('stopping the stream', () => stream.stop());
    let restore: (() => Promise<void>) | undefined;
    cleanup('restoring the broker', async () => {
      if (restore !== undefined) await restore();
    });
    const child = spawnConsumerChild({ brokers, topic, groupId, ...SCENARIO_GROUP, closeTimeoutMs, closeOnSignal: true });
    cleanup('killing the child', async () => {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.kill('SIGKILL');
        await child.exited;
      }
    });
    stream.start();
    await child.waitFor(() => child.handled.length >= STREAM_RATE, 90_000, 'the child handling the stream');
    if (outage === 'paused') {
      await broker.pause();
      restore = () => broker.cont();
    } else {
      await broker.halt();
      restore = () => broker.resume();
    }
    child.kill('SIGUSR2');
    await child.waitFor(() => child.closeSettled !== undefined, closeTimeoutMs + 30_000, 'close() settling in the child');
    const settled = child.closeSettled!;
    // A failure detector, not a margin: the child should exit within about a second.
    const exit = await within(child.exited, EXIT_BOUND_MS, 'the child exiting').catch(() => undefined);
    const leftover = beyond(child.baseline ?? [], settled.resources);
    const leftoverHandles = leftover.filter((r) => r === 'TCPSocketWrap' || r === 'Timeout');
    if (exit === undefined) {
      child.kill('SIGKILL');
      await child.exited;
    }
    await restore();
    restore = undefined;
    // Another member handles the rest (it waits for the closed member's session to end if that
    // member could not leave the group).
    const log = new HandledLog();
    const drain = new KafkaJobCompletedSubscriber(subscriberOptions(brokers, topic, groupId));
    cleanup('closing the draining subscriber', () => drain.close());
    await drain.run((e) => log.record(e.executionId));
    await bounded(stream.untilProduced(stream.produced.size + STREAM_RATE), 60_000, 'the stream going on after the broker came back', () => `produced ${stream.produced.size}`);
    await stream.stop();
    const produced = stream.ids();
    const byChild = new Set(child.handled);
    await bounded(log.all(produced.filter((id) => !byChild.has(id))), CATCH_UP_BOUND_MS, 'every produced event handled', () => `produced ${produced.length}, child ${child.handled.length}, drain ${log.ids.length}`);
    await drain.close();
    const report = await checkNothingLost({ label: `faults: close with the broker ${outage}`, produced, handled: [...child.handled, ...log.ids] });
    const result: CloseExitResult = {
      scenario: `close with the broker ${outage}`,
      outage,
      produced: report.produced,
      handled: report.handled,
      lost: report.lost,
      duplicates: report.duplicates,
      failedSends: stream.failedSends,
      closeMs: settled.closeMs,
      exitedByItself: exit !== undefined && exit.signal === null,
      exitMs: exit === undefined ? undefined : exit.at - settled.at,
      exit: exit === undefined ? undefined : { code: exit.code, signal: exit.signal },
      leftover,
      leftoverHandles,
      summary: '',
    };
    result.summary = `close with the broker ${outage}: close() took ${ms(result.closeMs)}, the child ${result.exitedByItself ? `exited by itself ${ms(result.exitMs)} after it (code ${exit?.code})` : `had not exited ${EXIT_BOUND_MS} ms after it`}; left after close(): ${leftover.length === 0 ? 'nothing' : leftover.join(', ')}; produced ${result.produced}, duplicates ${result.duplicates}, lost ${result.lost.length}`;
    return result;
  });
}
