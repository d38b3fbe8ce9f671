// KafkaJobCompletedSubscriber reading the same events in batches compressed with each of Kafka's
// codecs, against the same events uncompressed, in the same run on the same broker.
//
// The broker is KAFKA_BROKERS, or one this benchmark starts with `scripts/kafka.sh start --name
// bench-…` and stops afterwards.
import kafkajs from 'kafkajs';
import { KafkaJobCompletedSubscriber, type JobCompletedEvent } from '../src/index.js';
import { createIdGenerator } from '../src/engine/ids.js';
import { encodeEvent } from '../src/kafka/codec.js';
import { registerCompressionCodecs } from '../src/kafka/compression.js';
import { broker, client, createTopic, unique } from './kafka-broker.js';
import { formatBytes, formatCount, markdownTable, median, nowMs, targetsTable, type BenchSection, type BenchTarget } from './lib.js';

const { CompressionTypes } = kafkajs;

const EVENTS = 100_000;
const PARTITIONS = 3;
const ROUNDS = 7;
const WARMUP_PASSES = 1;
/** Events per produce request, spread over the partitions: about 100 events (18 KiB) per batch. */
const PER_SEND = 300;
/** The slowest codec may cost at most half of the uncompressed throughput. */
const TARGET_RATIO = 0.5;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
type Codec = (typeof CODECS)[number];
const TYPES: Record<Codec, number> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** Produces the same EVENTS events to a new topic, in batches compressed with `codec`; returns the topic. */
async function produce(brokers: string[], codec: Codec): Promise<string> {
  const topic = unique(`bench-${codec}`);
  const kafka = client(brokers);
  await createTopic(brokers, topic, PARTITIONS);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const id = createIdGenerator();
  const t0 = Date.UTC(2026, 10, 22, 10, 0, 0);
  const jobs = Array.from({ length: 500 }, (_, i) => id(t0 + i));
  for (let start = 0; start < EVENTS; start += PER_SEND) {
    const messages = [];
    for (let i = start; i < Math.min(start + PER_SEND, EVENTS); i++) {
      const event: JobCompletedEvent = { jobId: jobs[i % jobs.length]!, executionId: id(t0 + 1_000 + i), completedAt: new Date(t0 + 1_000 + i), result: i % 10 === 0 ? 'failed' : 'succeeded', attempt: 1 };
      const m = encodeEvent(event);
      messages.push({ key: m.key, value: m.value, headers: m.headers, partition: i % PARTITIONS });
    }
    await producer.send({ topic, acks: -1, compression: TYPES[codec], messages });
  }
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  if (offsets.reduce((n, o) => n + Number(o.high), 0) !== EVENTS) throw new Error(`${topic} does not hold ${EVENTS} events`);
  return topic;
}

/** One pass of the subscriber (no-op handler) over a topic: events/s from the first event to the last. */
async function pass(brokers: string[], topic: string): Promise<number> {
  let n = 0;
  let first = 0;
  let finish!: (rate: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  const sub = new KafkaJobCompletedSubscriber({ brokers, topic, groupId: unique('bench-sdk'), fromBeginning: true });
  await sub.run(() => {
    if (n === 0) first = nowMs();
    if (++n === EVENTS) finish((EVENTS - 1) / ((nowMs() - first) / 1000));
  });
  const rate = await done;
  await sub.close();
  if (sub.health().invalid !== 0) throw new Error(`${sub.health().invalid} invalid events in ${topic}`);
  return rate;
}

/** Runs the section. */
export async function run(): Promise<BenchSection> {
  registerCompressionCodecs();
  const b = await broker();
  try {
    const topics = {} as Record<Codec, string>;
    for (const codec of CODECS) {
      topics[codec] = await produce(b.brokers, codec);
      console.log(`   produced ${formatCount(EVENTS)} events with ${codec} to ${topics[codec]}`);
    }
    for (let i = 0; i < WARMUP_PASSES; i++) for (const codec of CODECS) await pass(b.brokers, topics[codec]);
    const rates = Object.fromEntries(CODECS.map((c) => [c, [] as number[]])) as Record<Codec, number[]>;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? CODECS : [...CODECS].reverse();
      for (const codec of order) rates[codec].push(await pass(b.brokers, topics[codec]));
      console.log(`   round ${round + 1}: ${CODECS.map((c) => `${c} ${formatCount(rates[c].at(-1)!)}/s`).join(', ')}`);
    }
    const med = Object.fromEntries(CODECS.map((c) => [c, median(rates[c])])) as Record<Codec, number>;
    const compressed = CODECS.filter((c) => c !== 'none');
    const slowest = compressed.reduce((a, c) => (med[c] < med[a] ? c : a));
    const targets: BenchTarget[] = [
      {
        name: `Throughput on compressed batches / uncompressed, slowest codec (${slowest})`,
        value: `${(med[slowest] / med.none).toFixed(2)}×`,
        target: `≥ ${TARGET_RATIO.toFixed(2)}×`,
        met: med[slowest] / med.none >= TARGET_RATIO,
      },
    ];
    const rows = CODECS.map((c) => [c, formatCount(med[c]), rates[c].map(formatCount).join(' / '), `${(med[c] / med.none).toFixed(2)}×`]);
    const size = encodeEvent({ jobId: 'x'.repeat(36), executionId: 'y'.repeat(36), completedAt: new Date(0), result: 'succeeded', attempt: 1 }).value.length;
    const markdown = [
      targetsTable(targets),
      '',
      markdownTable(['Batches compressed with', 'events/s (median)', `each of ${ROUNDS} runs`, '÷ uncompressed'], rows),
      '',
      'How it is measured:',
      '',
      `- Broker: ${b.where}, on the same machine, over loopback. Five topics of ${PARTITIONS} partitions each hold the same ${formatCount(EVENTS)} SPEC §7 events (about ${size} B of JSON each, ${formatBytes(size * EVENTS)} in all), produced beforehand by kafkajs in requests of ${PER_SEND} events, so a record batch holds about ${PER_SEND / PARTITIONS} events (some 18 KiB before compression, as a Java producer's default batch.size of 16 KiB gives), uncompressed or compressed with one codec.`,
      `- The subscriber (no-op handler, default options) reads each topic from the beginning with a fresh consumer group, timed from the first event handled to the last; after ${WARMUP_PASSES} warm-up pass of each topic, ${ROUNDS} rounds, the order turning each round, median events/s. gzip is kafkajs's own codec (node:zlib); snappy, lz4 and zstd are this package's (snappyjs, an LZ4 frame reader over plain arrays, fzstd: all pure JavaScript).`,
      `- kafkajs fetches at most 1 MiB per partition per request by default (maxBytesPerPartition), measured in bytes as stored: a compressed topic brings several times more events per fetch, which is why a codec can read faster than no compression at all.`,
    ].join('\n');
    return { id: 'kafka-compression', title: 'Kafka subscriber on compressed batches', command: 'npm run bench -- kafka-compression', markdown, targets };
  } finally {
    await b.stop();
  }
}
