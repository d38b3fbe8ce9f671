// Exact timestamps and strict JSON through a real broker (see support/kafka.ts for where it comes
// from): KafkaJobCompletedSubscriber hands over every nanosecond a producer wrote, and refuses (reports
// and dead-letters) what the proto's JobCompletedEvent rules refuse.
import { afterEach, expect, it } from 'vitest';
import { KafkaJobCompletedSubscriber, SchedulerError, type JobCompletedEvent, type RawKafkaMessage } from '../src/index.js';
import { encodeEvent, eventToSnakeJson } from '../src/kafka/codec.js';
import { formatTimestamp } from '../src/timestamp.js';
import { asAnnounced } from './support/announced.js';
import { PYTHON, missingOf, requireTools, run, type Tool } from './support/conformance-tools.js';
import { KAFKA_39, createTopic, describeKafka, produce, readTopic, unique, until, type KafkaTarget } from './support/kafka.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const T = Date.UTC(2026, 10, 22, 10, 0, 0) / 1000;
const JSON_HEADERS = { 'content-type': 'application/json' };

/** A subscriber that records what it handles and what it refuses, closed after the test. */
async function subscribe(kafka: KafkaTarget, topic: string, deadLetterTopic: string) {
  const events: JobCompletedEvent[] = [];
  const invalid: { raw: RawKafkaMessage; error: SchedulerError }[] = [];
  const sub = new KafkaJobCompletedSubscriber({
    brokers: kafka.brokers,
    topic,
    groupId: unique('g-exact'),
    deadLetterTopic,
    fromBeginning: true,
    sessionTimeout: 6_000,
    heartbeatInterval: 1_000,
    closeTimeoutMs: 20_000,
    onInvalid: (raw, error) => void invalid.push({ raw, error }),
  });
  cleanups.push(() => sub.close());
  await sub.run(async (event) => void events.push(event));
  return { events, invalid };
}

describeKafka('exact timestamps and strict event JSON through a real Kafka broker', KAFKA_39, (kafka) => {
  it('hands over every fraction digit (JSON and protobuf), reads result aliases, and dead-letters malformed UTF-8 and days that do not exist', { timeout: 60_000 }, async () => {
    const topic = unique('exact');
    const dlq = `${topic}.dlq`;
    await createTopic(kafka.brokers, topic, 1);
    await createTopic(kafka.brokers, dlq, 1);
    const rust = '{"job_id":"job-rust","execution_id":"exec-1","completed_at":"2026-11-22T10:00:00.123456789Z","result":"success"}';
    const protobuf = encodeEvent(
      { jobId: 'job-proto', executionId: 'exec-2', completedAt: new Date(T * 1000 + 987), completedAtExact: { seconds: T, nanos: 987_654_321 }, result: 'failed', error: 'boom' },
      'protobuf',
    );
    const feb30 = '{"job_id":"job-bad","execution_id":"exec-5","completed_at":"2026-02-30T10:00:00Z","result":"succeeded"}';
    const badUtf8 = Buffer.concat([Buffer.from('{"job_id":"job-bad-'), Buffer.from([0x6f, 0x6b, 0xc3]), Buffer.from('","execution_id":"exec-4","completed_at":"2026-11-22T10:00:00Z","result":"succeeded"}')]);
    const items: Parameters<typeof produce>[2] = [
      { raw: { partition: 0, key: 'job-rust', value: rust, headers: JSON_HEADERS, label: 'rust' } },
      { raw: { partition: 0, key: 'job-proto', value: protobuf.value, headers: protobuf.headers, label: 'protobuf' } },
      { raw: { partition: 0, key: 'job-offset', value: '{"job_id":"job-offset","execution_id":"exec-3","completed_at":"2026-11-22T19:00:00.000001+09:00","result":"FAILURE","attempt":2}', headers: JSON_HEADERS, label: 'offset' } },
      { raw: { partition: 0, key: 'job-bad', value: badUtf8, headers: JSON_HEADERS, label: 'bad UTF-8' } },
      { raw: { partition: 0, key: 'job-bad', value: feb30, headers: JSON_HEADERS, label: '30 February' } },
      { raw: { partition: 0, key: 'job-last', value: '{"job_id":"job-last","execution_id":"exec-6","completed_at":"2026-11-22T10:00:00.000000001Z","result":"succeeded"}', headers: JSON_HEADERS, label: 'last' } },
    ];
    const produced = await produce(kafka.brokers, topic, items);
    const { events, invalid } = await subscribe(kafka, topic, dlq);
    await until(() => events.length >= 4 && invalid.length >= 2, 30_000, 'four events handled and two refused');

    expect(events.map((e) => [e.executionId, e.result, e.completedAtExact, e.completedAt.toISOString()])).toEqual([
      ['exec-1', 'succeeded', { seconds: T, nanos: 123_456_789 }, '2026-11-22T10:00:00.123Z'],
      ['exec-2', 'failed', { seconds: T, nanos: 987_654_321 }, '2026-11-22T10:00:00.987Z'],
      ['exec-3', 'failed', { seconds: T, nanos: 1_000 }, '2026-11-22T10:00:00.000Z'],
      ['exec-6', 'succeeded', { seconds: T, nanos: 1 }, '2026-11-22T10:00:00.000Z'],
    ]);
    // Re-encoded, the Rust sibling's event keeps its 9 digits (the result in its canonical spelling).
    expect(JSON.parse(eventToSnakeJson(events[0]!)).completed_at).toBe('2026-11-22T10:00:00.123456789Z');
    expect(formatTimestamp(events[2]!.completedAtExact!)).toBe('2026-11-22T10:00:00.000001Z');

    const offsets = produced.raws.filter((r) => r.label === 'bad UTF-8' || r.label === '30 February').map((r) => r.offset);
    expect(invalid.map((i) => Number(i.raw.offset))).toEqual(offsets);
    expect(invalid[0]!.error.message).toMatch(/not well-formed UTF-8/);
    expect(invalid[1]!.error.message).toMatch(/completed_at must be an RFC 3339 timestamp: "2026-02-30T10:00:00Z" has day 30, but 2026-02 has days 01 to 28/);
    const dead = await readTopic(kafka.brokers, dlq);
    expect(dead.map((d) => d.value)).toEqual([badUtf8, Buffer.from(feb30)]);
  });

  const PYTHON_TOOLS: Tool[] = [[PYTHON, 'the Python venv conformance/.venv']];
  it.skipIf(missingOf(PYTHON_TOOLS).length > 0 && process.env.CI !== 'true')(
    "the Python foreign producer's messages come out as it announces: exact events, and null for each one that must be refused",
    { timeout: 90_000 },
    async () => {
      requireTools('foreign producer', PYTHON_TOOLS);
      const topic = unique('foreign-exact');
      const dlq = `${topic}.dlq`;
      await createTopic(kafka.brokers, topic, 1);
      await createTopic(kafka.brokers, dlq, 1);
      const out = await run(PYTHON, ['conformance/python/produce_events.py', '--brokers', kafka.brokers.join(','), '--topic', topic]);
      expect(out.code, out.stderr).toBe(0);
      const announced = out.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown> | null);
      const good = announced.filter((a) => a !== null);
      const refused = announced.length - good.length;
      expect(refused).toBeGreaterThanOrEqual(2);
      const { events, invalid } = await subscribe(kafka, topic, dlq);
      await until(() => events.length >= good.length && invalid.length >= refused, 30_000, 'every announced event and refusal');
      expect(events.map(asAnnounced)).toEqual(good);
      // One partition: the refusals are at the offsets of the announced nulls.
      expect(invalid.map((i) => Number(i.raw.offset))).toEqual(announced.flatMap((a, offset) => (a === null ? [offset] : [])));
    },
  );
});
