// KafkaJobCompletedSubscriber against a raw kafkajs eachBatch loop and kcat (librdkafka), all
// reading the same pre-produced topic in the same run, and the end-to-end latency from a job's due
// time to the handler through the reference server and a real broker.
//
// The broker is KAFKA_BROKERS, or one this benchmark starts with `scripts/kafka.sh start --name
// bench-…` and stops afterwards.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { GrpcSchedulerClient, KafkaJobCompletedSubscriber, Schedule, type JobCompletedEvent } from '../src/index.js';
import { startSchedulerServer } from '../src/testing.js';
import { createIdGenerator } from '../src/engine/ids.js';
import { encodeEvent } from '../src/kafka/codec.js';
import { broker, client, createTopic, unique } from './kafka-broker.js';
import { formatBytes, formatCount, formatMs, markdownTable, median, nowMs, percentile, targetsTable, type BenchSection, type BenchTarget } from './lib.js';

const EVENTS = 200_000;
const PARTITIONS = 3;
const ROUNDS = 7;
/** Passes of (a) and (b) before timing: they warm up this process and the broker (a fresh JVM). */
const WARMUP_PASSES = 2;
const LATENCY_JOBS = 200;
const LATENCY_SPREAD_MS = 4_000;
const TARGET_RATIO_RAW = 0.9;
const CONCURRENCY = 4; // the subscriber's default partitionsConsumedConcurrently, for both loops

/** Produces EVENTS SPEC §7 events (key = job id, JSON value); returns the mean value size. */
async function produceEvents(brokers: string[], topic: string): Promise<number> {
  const producer = client(brokers).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const id = createIdGenerator();
  const t0 = Date.UTC(2026, 10, 22, 10, 0, 0);
  const jobs = Array.from({ length: 500 }, (_, i) => id(t0 + i));
  let bytes = 0;
  for (let start = 0; start < EVENTS; start += 10_000) {
    const messages = [];
    for (let i = start; i < Math.min(start + 10_000, EVENTS); i++) {
      const event: JobCompletedEvent = { jobId: jobs[i % jobs.length]!, executionId: id(t0 + 1_000 + i), completedAt: new Date(t0 + 1_000 + i), result: i % 10 === 0 ? 'failed' : 'succeeded', attempt: 1 };
      const m = encodeEvent(event);
      bytes += m.value.length;
      messages.push({ key: m.key, value: m.value, headers: m.headers });
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  return bytes / EVENTS;
}

// ---- the three consumers ---------------------------------------------------------------------

interface Run {
  /** From the first event handled to the last, ms. */
  ms: number;
  eventsPerSecond: number;
}

/** Resolves when `count()` reaches EVENTS; the time is taken from the first event to the last. */
function counter(): { seen: () => void; done: Promise<Run> } {
  let n = 0;
  let first = 0;
  let finish!: (r: Run) => void;
  const done = new Promise<Run>((resolve) => (finish = resolve));
  return {
    seen: () => {
      if (n === 0) first = nowMs();
      if (++n === EVENTS) {
        const ms = nowMs() - first;
        finish({ ms, eventsPerSecond: (EVENTS - 1) / (ms / 1000) });
      }
    },
    done,
  };
}

// (a) The subscriber with a no-op handler; (d) with an async one (a promise per event).
async function viaSubscriber(brokers: string[], topic: string, async = false): Promise<Run> {
  const c = counter();
  const sub = new KafkaJobCompletedSubscriber({ brokers, topic, groupId: unique('bench-sdk'), fromBeginning: true });
  await sub.run(async ? async () => c.seen() : () => c.seen());
  const result = await c.done;
  await sub.close();
  return result;
}

// (b) A raw kafkajs eachBatch loop that JSON.parses each value, resolves its offset and commits.
async function viaRawKafkajs(brokers: string[], topic: string): Promise<Run> {
  const c = counter();
  const consumer = client(brokers).consumer({ groupId: unique('bench-raw'), maxWaitTimeInMs: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: CONCURRENCY,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning }) => {
      for (const message of batch.messages) {
        if (!isRunning()) break;
        JSON.parse(message.value!.toString('utf8'));
        resolveOffset(message.offset);
        c.seen();
      }
      await commitOffsetsIfNecessary();
      await heartbeat();
    },
  });
  const result = await c.done;
  await consumer.disconnect();
  return result;
}

function kcatPath(): string | undefined {
  const found = () => spawnSync('sh', ['-c', 'command -v kcat'], { encoding: 'utf8' }).stdout.trim() || undefined;
  let path = found();
  if (path === undefined && process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
    console.log('   kcat is missing; installing the Debian package (apt-get install -y kcat)');
    try {
      execFileSync('apt-get', ['install', '-y', '-qq', 'kcat'], { stdio: 'ignore', timeout: 300_000 });
    } catch {
      try {
        execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq kcat'], { stdio: 'ignore', timeout: 600_000 });
      } catch {
        // Reported as not measured.
      }
    }
    path = found();
  }
  return path;
}

// (c) kcat (librdkafka) reading every partition to its end, the native ceiling. Wall time of the
// process, start-up included (it is small next to 200,000 events); the lines are counted.
async function viaKcat(kcat: string, brokers: string[], topic: string): Promise<Run> {
  const t0 = nowMs();
  const child = spawn(kcat, ['-C', '-b', brokers.join(','), '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let lines = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const ms = nowMs() - t0;
  if (code !== 0 || lines !== EVENTS) throw new Error(`kcat exited with ${code} after ${lines} of ${EVENTS} events`);
  return { ms, eventsPerSecond: EVENTS / (ms / 1000) };
}

// ---- end-to-end latency ----------------------------------------------------------------------

async function latency(brokers: string[]): Promise<number[]> {
  const topic = unique('bench-e2e');
  await createTopic(brokers, topic, PARTITIONS);
  const server = await startSchedulerServer({ kafka: { brokers, topic } });
  const grpc = new GrpcSchedulerClient(server.address);
  const due = new Map<string, number>();
  const delays: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const sub = new KafkaJobCompletedSubscriber({ brokers, topic, groupId: unique('bench-e2e'), fromBeginning: true });
  try {
    await sub.run((event) => {
      const at = due.get(event.jobId);
      if (at === undefined) return;
      due.delete(event.jobId);
      delays.push(Date.now() - at);
      if (delays.length === LATENCY_JOBS) done();
    });
    const start = Date.now() + 1_500;
    const jobs = [];
    for (let i = 0; i < LATENCY_JOBS; i++) {
      const runAt = start + Math.round((i * LATENCY_SPREAD_MS) / LATENCY_JOBS);
      jobs.push(grpc.createJob({ name: `e2e-${i}`, schedule: Schedule.oneShot(runAt), payload: { i } }).then((job) => due.set(job.id, runAt)));
    }
    await Promise.all(jobs);
    const timeout = setTimeout(() => done(), LATENCY_SPREAD_MS + 30_000);
    await all;
    clearTimeout(timeout);
    if (delays.length < LATENCY_JOBS) throw new Error(`only ${delays.length} of ${LATENCY_JOBS} completions arrived`);
    return delays;
  } finally {
    await sub.close();
    await grpc.close();
    await server.close({ graceMs: 100 });
  }
}

// ---- the section -----------------------------------------------------------------------------

export async function run(): Promise<BenchSection> {
  const b = await broker();
  try {
    const topic = unique('bench-consume');
    await createTopic(b.brokers, topic, PARTITIONS);
    const size = await produceEvents(b.brokers, topic);
    console.log(`   produced ${formatCount(EVENTS)} events of ${size.toFixed(0)} B on average to ${topic}`);
    const kcat = kcatPath();

    // Warm-up passes of each Node consumer, then ROUNDS rounds, the order turning each round.
    for (let i = 0; i < WARMUP_PASSES; i++) {
      await viaSubscriber(b.brokers, topic);
      await viaRawKafkajs(b.brokers, topic);
    }
    const runs: { sdk: Run[]; raw: Run[]; kcat: Run[]; async: Run[] } = { sdk: [], raw: [], kcat: [], async: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['sdk', 'raw', 'kcat', 'async'] as const) : (['async', 'kcat', 'raw', 'sdk'] as const);
      for (const who of order) {
        if (who === 'sdk') runs.sdk.push(await viaSubscriber(b.brokers, topic));
        else if (who === 'async') runs.async.push(await viaSubscriber(b.brokers, topic, true));
        else if (who === 'raw') runs.raw.push(await viaRawKafkajs(b.brokers, topic));
        else if (kcat !== undefined) runs.kcat.push(await viaKcat(kcat, b.brokers, topic));
      }
      console.log(`   round ${round + 1}: ${['sdk', 'raw', 'kcat', 'async'].map((w) => `${w} ${formatCount(runs[w as 'sdk'].at(-1)?.eventsPerSecond ?? 0)}/s`).join(', ')}`);
    }
    const rate = (list: Run[]) => median(list.map((r) => r.eventsPerSecond));
    const sdk = rate(runs.sdk);
    const raw = rate(runs.raw);
    const native = runs.kcat.length > 0 ? rate(runs.kcat) : undefined;
    const promised = rate(runs.async);
    const delays = await latency(b.brokers);
    const p50 = percentile(delays, 50);
    const p99 = percentile(delays, 99);

    const targets: BenchTarget[] = [
      { name: `Throughput, subscriber (no-op handler) / raw kafkajs eachBatch`, value: `${(sdk / raw).toFixed(2)}×`, target: `≥ ${TARGET_RATIO_RAW.toFixed(2)}×`, met: sdk / raw >= TARGET_RATIO_RAW },
    ];
    const rows = [
      ['(a) KafkaJobCompletedSubscriber, no-op handler', formatCount(sdk), runs.sdk.map((r) => formatCount(r.eventsPerSecond)).join(' / '), '1.00×'],
      ['(b) raw kafkajs eachBatch: JSON.parse, resolveOffset, commit', formatCount(raw), runs.raw.map((r) => formatCount(r.eventsPerSecond)).join(' / '), `${(sdk / raw).toFixed(2)}×`],
      native === undefined
        ? ['(c) kcat -C -e (librdkafka)', 'not measured: kcat is not installed', '', '']
        : ['(c) kcat -C -e (librdkafka)', formatCount(native), runs.kcat.map((r) => formatCount(r.eventsPerSecond)).join(' / '), `${(sdk / native).toFixed(2)}×`],
      ['(d) KafkaJobCompletedSubscriber, async no-op handler', formatCount(promised), runs.async.map((r) => formatCount(r.eventsPerSecond)).join(' / '), `${(sdk / promised).toFixed(2)}×`],
    ];
    const markdown = [
      targetsTable(targets),
      '',
      markdownTable(['Consumer', 'events/s (median)', `each of ${ROUNDS} runs`, '(a) ÷ this'], rows),
      '',
      markdownTable(
        ['End to end, due time → handler', 'p50', 'p99', 'min', 'max'],
        [[`${LATENCY_JOBS} one-shot jobs over ${LATENCY_SPREAD_MS / 1000} s`, formatMs(p50), formatMs(p99), formatMs(Math.min(...delays)), formatMs(Math.max(...delays))]],
      ),
      '',
      'How it is measured:',
      '',
      `- Broker: ${b.where}, on the same machine, over loopback. One topic of ${PARTITIONS} partitions holds ${formatCount(EVENTS)} SPEC §7 events produced beforehand (key = job id, header \`content-type: application/json\`, snake_case JSON values of ${size.toFixed(0)} B on average, UUIDv7 ids as the scheduler makes them; ${formatBytes(size * EVENTS)} in all).`,
      `- Each run reads the whole topic from the beginning with a fresh consumer group, in the same process, after ${WARMUP_PASSES} warm-up passes of (a) and (b) (they warm up the broker's JVM too); ${ROUNDS} rounds, the order turning each round, median events/s.`,
      `- (a) and (b) are timed from the first event handled to the ${formatCount(EVENTS)}th, so the group join is not counted. Both use partitionsConsumedConcurrently ${CONCURRENCY} and a fetch wait of 1 s. (a) decodes and validates every event (the SPEC's JSON, proto3 JSON or protobuf), calls the handler, commits after it; (b) only parses the JSON, with kafkajs's default commit policy.`,
      `- (c) is the wall time of \`kcat -C -o beginning -e\` (no group; start-up included), printing each value to a pipe that the benchmark counts. On this machine the broker's JVM shares the same cores with whichever client runs, so (c) is a ceiling of this setup rather than of librdkafka.`,
      `- (d) is (a) with \`async () => {}\` as the handler: every event then waits for a promise in its partition's lane, which is what most real handlers do.`,
      `- Latency: the reference server (real clock) with \`kafka: { brokers, topic }\`, ${LATENCY_JOBS} one-shot jobs created over gRPC with runAt spread over ${LATENCY_SPREAD_MS / 1000} s; the delay is the handler's Date.now() minus the job's runAt, so it covers the timer, the run, the idempotent producer (acks=all), the broker and the consumer's fetch.`,
    ].join('\n');
    return { id: 'kafka', title: 'Kafka subscriber against raw kafkajs and kcat', command: 'npm run bench -- kafka', markdown, targets };
  } finally {
    await b.stop();
  }
}
