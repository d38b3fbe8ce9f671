// Kafka for the tests: finding a real broker (never a stub), unique topics and groups, producing
// SPEC §7 events, reading offsets, and the "nothing lost" check.
//
// Where the broker comes from, in order:
//   1. KAFKA_BROKERS (KAFKA_BROKERS_4_1 for the Kafka 4.1 cases), as CI sets them from
//      `scripts/kafka.sh start`;
//   2. a Docker engine that answers `docker info`: one KRaft container per test file
//      (@testcontainers/kafka), stopped after it;
//   3. otherwise the Kafka tests are skipped, with a message that says how to start a broker; under
//      CI=true they fail instead.
// Tests that must stop a broker start a dedicated one with `scripts/kafka.sh start --name <unique>`.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
// The default import: kafkajs is CommonJS, and plain Node (the benchmarks import these helpers
// through bench/kafka-faults.ts) gives no named exports for it.
import kafkajs, { type Admin, type IHeaders, type Kafka as KafkaClient } from 'kafkajs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { encodeEvent } from '../../src/kafka/codec.js';
import type { JobCompletedEvent } from '../../src/index.js';

const { CompressionCodecs, CompressionTypes, Kafka, logLevel } = kafkajs;
const run = promisify(execFile);

/** A kafkajs compression codec, as its registry holds one. */
export type KafkajsCodec = { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
/** kafkajs's codec registry (`CompressionCodecs`), by compression type; a test may wrap an entry and put it back. */
export const kafkajsCodecs = CompressionCodecs as unknown as Record<number, (() => KafkajsCodec) | undefined>;
/** The compression type of each codec every subscriber must read. */
export const CODEC_TYPES = { gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD } as const;

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KAFKA_SCRIPT = join(ROOT, 'scripts', 'kafka.sh');
export const IN_CI = process.env.CI === 'true';

/** The broker line a developer runs before `npm test`. */
export const START_HINT = 'eval "$(scripts/kafka.sh start)"; export KAFKA_BROKERS; npm test';
const START_HINT_41 =
  'export KAFKA_BROKERS_4_1=$(scripts/kafka.sh start --version 4.1 --name v4.1 | cut -d= -f2); npm test';

/** A broker the tests can use; `brokers` is read after `beforeAll` (a container starts there). */
export interface KafkaTarget {
  /** Short name for test titles and summary lines, for example `3.9` or `4.1`. */
  readonly label: string;
  readonly brokers: string[];
}

/** Which broker a suite wants. */
export interface BrokerWanted {
  label: string;
  /** The variable that holds its address. */
  env: 'KAFKA_BROKERS' | 'KAFKA_BROKERS_4_1';
  /** The image to start when only Docker is at hand. */
  image: string;
  hint: string;
}

export const KAFKA_39: BrokerWanted = { label: '3.9', env: 'KAFKA_BROKERS', image: 'confluentinc/cp-kafka:7.9.0', hint: START_HINT };
export const KAFKA_41: BrokerWanted = { label: '4.1', env: 'KAFKA_BROKERS_4_1', image: 'confluentinc/cp-kafka:8.1.0', hint: START_HINT_41 };

type Source = { kind: 'env'; brokers: string[] } | { kind: 'docker' } | { kind: 'missing'; why: string };

let dockerAnswers: boolean | undefined;
function dockerEngineAnswers(): boolean {
  dockerAnswers ??= spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 15_000 }).status === 0;
  return dockerAnswers;
}

function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
}

function sourceOf(wanted: BrokerWanted): Source {
  const value = process.env[wanted.env];
  if (value !== undefined && value.trim() !== '') return { kind: 'env', brokers: parseBrokers(value) };
  if (dockerEngineAnswers()) return { kind: 'docker' };
  return { kind: 'missing', why: `${wanted.env} is not set and no Docker engine answers \`docker info\`` };
}

/**
 * Why the Kafka tests for `wanted` cannot run here (no broker address and no Docker engine), or
 * undefined. Tests with brokers of their own use it too, so that without a broker every Kafka test
 * skips alike.
 */
export function brokerMissing(wanted: BrokerWanted): string | undefined {
  const source = sourceOf(wanted);
  return source.kind === 'missing' ? source.why : undefined;
}

const warned = new Set<string>();

// One container per image per test file (each file runs in a process of its own), shared by the
// suites that use it and stopped when the last of them is done.
const containers = new Map<string, { acquire(): Promise<string[]>; release(): Promise<void> }>();
function containerFor(image: string): { acquire(): Promise<string[]>; release(): Promise<void> } {
  let entry = containers.get(image);
  if (entry !== undefined) return entry;
  let users = 0;
  let starting: Promise<{ brokers: string[]; stop: () => Promise<unknown> }> | undefined;
  entry = {
    async acquire() {
      users++;
      starting ??= (async () => {
        const { KafkaContainer } = await import('@testcontainers/kafka');
        const container = await new KafkaContainer(image).withKraft().start();
        return { brokers: [`${container.getHost()}:${container.getMappedPort(9093)}`], stop: () => container.stop() };
      })();
      return (await starting).brokers;
    },
    async release() {
      if (--users > 0 || starting === undefined) return;
      const running = starting;
      starting = undefined;
      await (await running).stop();
    },
  };
  containers.set(image, entry);
  return entry;
}

/**
 * Declares a suite that needs a real broker. With one, `body` gets a target whose `brokers` are set
 * by the time tests run. Without one, the suite is skipped with a message (or, under CI=true, one
 * test fails with that message).
 */
export function describeKafka(name: string, wanted: BrokerWanted, body: (kafka: KafkaTarget) => void, mode: 'sequential' | 'concurrent' = 'sequential'): void {
  const source = sourceOf(wanted);
  if (source.kind === 'missing') {
    const message = `Kafka ${wanted.label} tests need a broker: ${source.why}. Start one with:\n  ${wanted.hint}`;
    if (IN_CI) {
      describe(name, () => {
        it(`needs a Kafka ${wanted.label} broker (CI=true)`, () => {
          throw new Error(message);
        });
      });
      return;
    }
    if (!warned.has(message)) {
      warned.add(message);
      console.warn(`[kafka] SKIPPED: ${message}`);
    }
    describe.skip(name, () => body({ label: wanted.label, brokers: [] }));
    return;
  }
  const declare = mode === 'concurrent' ? describe.concurrent : describe.sequential;
  declare(name, () => {
    let brokers: string[] = source.kind === 'env' ? source.brokers : [];
    beforeAll(async () => {
      if (source.kind === 'docker') brokers = await containerFor(wanted.image).acquire();
      await groupsReady(brokers);
    }, 300_000);
    afterAll(async () => {
      if (source.kind === 'docker') await containerFor(wanted.image).release();
    }, 120_000);
    body({
      label: wanted.label,
      get brokers() {
        return brokers;
      },
    });
  });
}

/**
 * Waits until the broker can run consumer groups. A fresh broker (Kafka 4.x especially) answers
 * the first group join with "coordinator is loading" while it creates __consumer_offsets, and
 * kafkajs then restarts its consumer; that is the broker starting up, not part of any test, so a
 * throwaway group joins first.
 */
async function groupsReady(brokers: string[]): Promise<void> {
  const topic = unique('warm-up');
  await createTopic(brokers, topic, 1);
  const consumer = kafkaClient(brokers, 'k1s0-tests-warm-up').consumer({ groupId: unique('warm-up') });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ eachMessage: async () => {} });
    await within(joined, 60_000, 'a warm-up consumer group to join');
  } finally {
    await consumer.disconnect();
  }
}

// ---- names, clients --------------------------------------------------------------------------

/** A name no other test uses: `prefix-<time>-<random>`. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A kafkajs client for the test's own admin, producer and raw consumers; silent unless told. */
export function kafkaClient(brokers: string[], clientId = 'k1s0-tests'): KafkaClient {
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 2_000 } });
}

/** Runs `body` with a connected admin client. */
export async function withAdmin<T>(brokers: string[], body: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    return await body(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates a topic and waits (at most 30 s) until every partition has a leader. kafkajs's own wait
 * (`waitForLeaders`) gives up when the broker answers UNKNOWN_TOPIC_OR_PARTITION, as it may while
 * a new topic's metadata settles on a busy machine; here a retriable answer means ask again.
 */
export async function createTopic(brokers: string[], name: string, partitions: number): Promise<void> {
  await withAdmin(brokers, async (admin) => {
    await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: false });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [name] });
        const found = topics[0]?.partitions ?? [];
        if (found.length === partitions && found.every((p) => p.leader >= 0)) return;
      } catch (error) {
        if ((error as { retriable?: unknown }).retriable !== true) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topic '${name}': not every partition has a leader after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}

// ---- producing -------------------------------------------------------------------------------

/** One event the test produced, and where it landed. */
export interface Produced {
  jobId: string;
  executionId: string;
  partition: number;
  offset: number;
}

/** A JobCompletedEvent for partition `p`, sequence `n`; `tag` keeps ids unique across tests. */
export function makeEvent(tag: string, p: number, n: number, jobsPerPartition = 10): JobCompletedEvent {
  return {
    jobId: `${tag}-job-p${p}-${n % jobsPerPartition}`,
    executionId: `${tag}-exec-p${p}-${n}`,
    completedAt: new Date(Date.UTC(2026, 10, 22, 10, 0, 0) + n),
    result: n % 7 === 0 ? 'failed' : 'succeeded',
  };
}

/** A message to put among the events: anything, on a chosen partition. */
export interface RawOut {
  partition: number;
  key?: string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
  /** Kept in the result so the test can find it again. */
  label?: string;
}

/** What {@link produce} wrote, in offset order per partition. */
export interface ProduceResult {
  events: Produced[];
  raws: (RawOut & { offset: number })[];
  /** Every event by executionId. */
  byId: Map<string, Produced>;
}

/**
 * Sends SPEC §7 messages: key = job id, header `content-type: application/json`, value the
 * snake_case JSON of `encodeEvent`. Items are events (spread round-robin over `partitions`, one
 * job always on one partition) or raw messages; each send is acknowledged by all replicas.
 */
export async function produce(
  brokers: string[],
  topic: string,
  items: ({ event: JobCompletedEvent; partition: number; format?: 'json' | 'protobuf' } | { raw: RawOut })[],
  chunk = 2_000,
): Promise<ProduceResult> {
  const producer = kafkaClient(brokers, 'k1s0-tests-producer').producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const result: ProduceResult = { events: [], raws: [], byId: new Map() };
  try {
    for (let start = 0; start < items.length; start += chunk) {
      const slice = items.slice(start, start + chunk);
      const byPartition = new Map<number, typeof slice>();
      for (const item of slice) {
        const p = 'raw' in item ? item.raw.partition : item.partition;
        let list = byPartition.get(p);
        if (list === undefined) byPartition.set(p, (list = []));
        list.push(item);
      }
      const partitions = [...byPartition.keys()];
      const metadata = await producer.send({
        topic,
        acks: -1,
        messages: partitions.flatMap((p) =>
          byPartition.get(p)!.map((item) => {
            if ('raw' in item) return { partition: p, key: item.raw.key ?? null, value: item.raw.value, headers: item.raw.headers ?? {} };
            const m = encodeEvent(item.event, item.format ?? 'json');
            return { partition: p, key: m.key, value: m.value, headers: m.headers };
          }),
        ),
      });
      for (const p of partitions) {
        const meta = metadata.find((m) => m.partition === p);
        if (meta?.baseOffset === undefined) throw new Error(`no base offset for partition ${p}`);
        let offset = Number(meta.baseOffset);
        for (const item of byPartition.get(p)!) {
          if ('raw' in item) {
            result.raws.push({ ...item.raw, offset });
          } else {
            const produced: Produced = { jobId: item.event.jobId, executionId: item.event.executionId, partition: p, offset };
            result.events.push(produced);
            result.byId.set(produced.executionId, produced);
          }
          offset++;
        }
      }
    }
  } finally {
    await producer.disconnect();
  }
  return result;
}

/** Produces `count` events spread round-robin over `partitions` partitions. */
export function produceEvents(brokers: string[], topic: string, count: number, partitions: number, tag = unique('t')): Promise<ProduceResult> {
  const items = Array.from({ length: count }, (_, i) => {
    const p = i % partitions;
    return { event: makeEvent(tag, p, Math.floor(i / partitions)), partition: p };
  });
  return produce(brokers, topic, items);
}

// ---- offsets ---------------------------------------------------------------------------------

/** Committed offsets of a group on a topic, by partition (-1 when nothing is committed). */
export async function committedOffsets(brokers: string[], groupId: string, topic: string): Promise<Record<number, number>> {
  return withAdmin(brokers, async (admin) => {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const out: Record<number, number> = {};
    for (const { partition, offset } of entry?.partitions ?? []) out[partition] = Number(offset);
    return out;
  });
}

/** End offsets (high watermarks) of a topic, by partition. */
export async function endOffsets(brokers: string[], topic: string): Promise<Record<number, number>> {
  return withAdmin(brokers, async (admin) => {
    const out: Record<number, number> = {};
    for (const { partition, high } of await admin.fetchTopicOffsets(topic)) out[partition] = Number(high);
    return out;
  });
}

/** Whether the group has committed everything up to the end of the topic. */
export async function committedToEnd(brokers: string[], groupId: string, topic: string): Promise<{ committed: Record<number, number>; end: Record<number, number>; done: boolean }> {
  const [committed, end] = await Promise.all([committedOffsets(brokers, groupId, topic), endOffsets(brokers, topic)]);
  const done = Object.entries(end).every(([p, high]) => committed[Number(p)] === high);
  return { committed, end, done };
}

// ---- reading a topic to its end ---------------------------------------------------------------

/** A message read back, with its headers as text. */
export interface ReadMessage {
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reads a whole topic (every partition up to its current end) with a throwaway group. */
export async function readTopic(brokers: string[], topic: string, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const end = await endOffsets(brokers, topic);
  const total = Object.values(end).reduce((a, b) => a + b, 0);
  const out: ReadMessage[] = [];
  if (total === 0) return out;
  const consumer = kafkaClient(brokers, 'k1s0-tests-reader').consumer({ groupId: unique('reader'), sessionTimeout: 6_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0] : v)!.toString();
        out.push({ partition, offset: Number(message.offset), key: message.key?.toString() ?? null, value: message.value, headers });
        if (out.length >= total) done();
      },
    });
    await within(finished, timeoutMs, `reading ${total} messages of ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

// ---- nothing lost ----------------------------------------------------------------------------

/** The outcome of {@link checkNothingLost}. */
export interface LossReport {
  produced: number;
  handled: number;
  unique: number;
  duplicates: number;
  deadLettered: number;
  lost: string[];
}

/**
 * Every produced executionId was handled successfully at least once or sits in the dead-letter
 * topic. Duplicates are allowed (at-least-once) and counted; a summary line is printed.
 */
export async function checkNothingLost(options: {
  label: string;
  produced: Iterable<string>;
  /** Ids handled successfully, in order, duplicates included. */
  handled: readonly string[];
  brokers?: string[];
  deadLetterTopic?: string;
}): Promise<LossReport> {
  const counts = new Map<string, number>();
  for (const id of options.handled) counts.set(id, (counts.get(id) ?? 0) + 1);
  const deadLettered = new Set<string>();
  let deadMessages = 0;
  if (options.deadLetterTopic !== undefined && options.brokers !== undefined) {
    const dead = await readTopic(options.brokers, options.deadLetterTopic);
    deadMessages = dead.length;
    for (const m of dead) {
      try {
        const id = (JSON.parse(m.value?.toString() ?? '') as { execution_id?: unknown }).execution_id;
        if (typeof id === 'string') deadLettered.add(id);
      } catch {
        // A poison message in the dead-letter topic carries no id.
      }
    }
  }
  const produced = [...options.produced];
  const producedSet = new Set(produced);
  for (const id of deadLettered) if (!producedSet.has(id)) deadLettered.delete(id);
  const lost = produced.filter((id) => !counts.has(id) && !deadLettered.has(id));
  let duplicates = 0;
  for (const n of counts.values()) duplicates += n - 1;
  const report: LossReport = { produced: produced.length, handled: options.handled.length, unique: counts.size, duplicates, deadLettered: deadLettered.size, lost };
  console.log(
    `[kafka] ${options.label}: produced ${report.produced}, handled ${report.handled} (unique ${report.unique}), duplicates ${report.duplicates}, dead-lettered ${report.deadLettered}${options.deadLetterTopic === undefined ? '' : ` (${deadMessages} message(s) in the dead-letter topic)`}, lost ${report.lost.length}`,
  );
  return report;
}

// ---- dedicated brokers (scripts/kafka.sh) ----------------------------------------------------

/** Whether `scripts/kafka.sh start` can work here: java, and mvn or cached jars. */
export function dedicatedBrokerSupport(version: '3.9' | '4.1'): { ok: true } | { ok: false; why: string } {
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  if (process.platform === 'win32') return { ok: false, why: 'scripts/kafka.sh needs a POSIX shell' };
  if (!has('java')) return { ok: false, why: 'java (17 or newer) is not on PATH' };
  if (!has('python3')) return { ok: false, why: 'python3 is not on PATH' };
  const full = version === '3.9' ? '3.9.2' : '4.1.2';
  const cache = process.env.K1S0_KAFKA_CACHE ?? join(homedir(), '.cache', 'k1s0-kafka');
  if (!existsSync(join(cache, full, '.complete')) && !has('mvn')) return { ok: false, why: `mvn is not on PATH and Kafka ${full} jars are not cached in ${cache}` };
  return { ok: true };
}

/** A Kafka version whose cases run on brokers of their own, and why they cannot run here, if they cannot. */
export interface DedicatedVersion {
  label: '3.9' | '4.1';
  missing: string | undefined;
  hint: string;
}

function dedicatedVersion(label: '3.9' | '4.1'): DedicatedVersion {
  // Like every Kafka test, these run where a broker of that version was provided (CI starts both);
  // they also need scripts/kafka.sh to work here.
  const wanted = label === '3.9' ? KAFKA_39 : KAFKA_41;
  const support = dedicatedBrokerSupport(label);
  const missing = brokerMissing(wanted) ?? (support.ok ? undefined : `scripts/kafka.sh cannot start a broker: ${support.why}`);
  const hint = support.ok ? wanted.hint : 'install Java 17+ and Maven (scripts/kafka.sh fetches the Kafka jars), then npm test';
  return { label, missing, hint };
}

/**
 * Registers `cases` for Kafka 3.9 and 4.1, each on brokers of its own, the two versions at the
 * same time. A version that cannot run here is skipped with a message, or fails under CI=true.
 */
export function describeDedicated(title: string, what: string, cases: (version: DedicatedVersion) => void): void {
  describe.concurrent(title, () => {
    for (const version of [dedicatedVersion('3.9'), dedicatedVersion('4.1')]) {
      if (version.missing === undefined) {
        describe(`Kafka ${version.label}`, () => cases(version));
        continue;
      }
      const message = `the Kafka ${version.label} ${what} need their own broker: ${version.missing}. To run them: ${version.hint}`;
      if (IN_CI) {
        it(`needs a dedicated Kafka ${version.label} broker (CI=true)`, () => {
          throw new Error(message);
        });
      } else {
        console.warn(`[kafka] SKIPPED: ${message}`);
        describe.skip(`Kafka ${version.label}`, () => cases(version));
      }
    }
  });
}

/**
 * A broker of the test's own, started by scripts/kafka.sh: it can be halted (SIGTERM) or killed
 * (SIGKILL) and then resumed on the same port and data, or paused (SIGSTOP) and continued.
 */
export interface DedicatedBroker {
  readonly name: string;
  readonly brokers: string[];
  /** Stops the broker process cleanly; data, port and config stay. */
  halt(): Promise<void>;
  /** Starts a halted or killed broker again; resolves once it answers a metadata request. */
  resume(): Promise<void>;
  /** SIGKILLs the broker process (a crash); data, port and config stay, `resume()` restarts it. */
  kill(): Promise<void>;
  /** SIGSTOPs the broker: its sockets stay open and nothing answers until `cont()`. */
  pause(): Promise<void>;
  /** SIGCONTs a paused broker. */
  cont(): Promise<void>;
  /** Stops the broker (a paused one too) and deletes its data. */
  stop(): Promise<void>;
}

const started = new Set<string>();
process.on('exit', () => {
  // Last resort if a test process ends without its afterAll: never leave a broker behind. `stop`
  // continues a paused broker after its SIGTERM, so a paused one goes too.
  for (const name of started) spawnSync(KAFKA_SCRIPT, ['stop', '--name', name], { stdio: 'ignore', timeout: 30_000 });
});

async function script(...args: string[]): Promise<string> {
  const { stdout } = await run(KAFKA_SCRIPT, args, { cwd: ROOT, timeout: 180_000, maxBuffer: 1 << 20 });
  return stdout;
}

/** Starts a dedicated broker (about 6-10 s). Stop it in afterAll. */
export async function startDedicatedBroker(version: '3.9' | '4.1', prefix = 'test'): Promise<DedicatedBroker> {
  const name = `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
  started.add(name);
  let stdout: string;
  try {
    stdout = await script('start', '--version', version, '--name', name);
  } catch (error) {
    await script('stop', '--name', name).catch(() => '');
    started.delete(name);
    throw error;
  }
  const line = stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
  if (line === undefined) throw new Error(`scripts/kafka.sh start printed no KAFKA_BROKERS line: ${stdout}`);
  const brokers = parseBrokers(line.slice('KAFKA_BROKERS='.length));
  return {
    name,
    brokers,
    halt: async () => void (await script('halt', '--name', name)),
    resume: async () => void (await script('resume', '--name', name)),
    kill: async () => void (await script('kill', '--name', name)),
    pause: async () => void (await script('pause', '--name', name)),
    cont: async () => void (await script('cont', '--name', name)),
    stop: async () => {
      if (!started.has(name)) return;
      await script('stop', '--name', name);
      started.delete(name);
    },
  };
}

/** Stops a dedicated broker synchronously (for a cleanup that must not be skipped). */
export function stopDedicatedBrokerSync(name: string): void {
  execFileSync(KAFKA_SCRIPT, ['stop', '--name', name], { stdio: 'ignore', timeout: 60_000 });
  started.delete(name);
}

// ---- waiting ---------------------------------------------------------------------------------

/** Resolves or rejects with `promise`, or rejects once `ms` have passed without it settling. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Polls `check` every `everyMs` until it returns true; rejects after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string, everyMs = 50): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
