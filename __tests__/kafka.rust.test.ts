// Kafka both ways between Rust (rdkafka, with librdkafka built in) and this package, on a real broker:
//   - conformance/rust/src/bin/consume_events.rs, an rdkafka consumer with manual commit, reads what
//     the reference server publishes (JSON and protobuf), and every field equals what getExecutions
//     reports, the timestamps to the nanosecond; a message that is not a valid event stops it
//     without committing that message's offset;
//   - conformance/rust/src/bin/produce_events.rs, an rdkafka producer, sends events with librdkafka's
//     default settings and with each codec, and KafkaJobCompletedSubscriber receives every one with
//     its fields, none invalid; kafkajs's codec registry shows the batches arrived compressed.
//
// The Rust programs come from `bash conformance/setup.sh` (cargo, and the package built once so that
// cargoBuild here is quick), the broker from KAFKA_BROKERS (see support/kafka.ts). Without them the
// tests are skipped locally and fail under CI=true.
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GrpcSchedulerClient, KafkaJobCompletedSubscriber, Schedule, VirtualClock, type JobCompletedEvent, type JobExecution, type RawKafkaMessage, type SchedulerError } from '../src/index.js';
import { registerCompressionCodecs } from '../src/kafka/compression.js';
import { KafkaEventPublisher } from '../src/server/kafka-publisher.js';
import { startSchedulerServer } from '../src/testing.js';
import { formatTimestamp, timestampFromMillis } from '../src/timestamp.js';
import { CODEC_TYPES, KAFKA_39, committedOffsets, committedToEnd, createTopic, describeKafka, kafkajsCodecs, makeEvent, produce, readTopic, unique, until, within, type KafkaTarget } from './support/kafka.js';
import { asAnnounced, type AnnouncedEvent } from './support/announced.js';
import { PYTHON, ROOT, RUST_BIN, RUST_TOOLS, cargoBuild, requireTools, run, skipWithout, type Tool } from './support/conformance-tools.js';

const CONSUMER = join(RUST_BIN, 'consume_events');
const PRODUCER = join(RUST_BIN, 'produce_events');
const skipRust = skipWithout('kafka (Rust)', RUST_TOOLS);
/** What the check against the Python producer's edge cases needs besides. */
const PYTHON_TOOLS: Tool[] = [
  [PYTHON, 'the Python venv conformance/.venv'],
  [join(ROOT, 'conformance/gen/python/k1s0/system/scheduler/v2/scheduler_pb2.py'), 'the Python stubs in conformance/gen/python'],
];
const skipPython = skipWithout("kafka (Rust): the check against the Python producer's edge cases", PYTHON_TOOLS);

/** A line of consume_events. */
interface Consumed {
  job_id: string;
  execution_id: string;
  completed_at: string;
  completed_at_seconds: number;
  completed_at_nanos: number;
  result: string;
  error: string | null;
  attempt: number;
  ignored_fields: string[];
  format: 'json' | 'protobuf';
  key: string | null;
  partition: number;
  offset: number;
}

async function consume(kafka: KafkaTarget, topic: string, group: string, count: number): Promise<{ code: number | null; lines: Consumed[]; stderr: string }> {
  // The idle bound only ends a run that would otherwise wait for ever; a passing run stops at --count.
  const out = await run(CONSUMER, ['--brokers', kafka.brokers.join(','), '--topic', topic, '--group', group, '--count', String(count), '--timeout-ms', '60000'], { timeoutMs: 120_000 });
  const lines = out.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Consumed);
  return { code: out.code, lines, stderr: out.stderr };
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describeKafka('Kafka between rdkafka (Rust) and this package', KAFKA_39, (kafka) => {
  describe.skipIf(skipRust)('with the Rust programs', () => {
    beforeAll(async () => {
      requireTools('kafka (Rust)', RUST_TOOLS);
      await cargoBuild('consume_events', 'produce_events');
    }, 600_000);

    describe("the rdkafka consumer (manual commit) reads the reference server's events", () => {
      for (const format of ['json', 'protobuf'] as const) {
        it(`${format}: every field equals what getExecutions reports, completed_at to the nanosecond, and every offset is committed`, { timeout: 120_000 }, async () => {
          const topic = unique(`rust-consume-${format}`);
          await createTopic(kafka.brokers, topic, 2);
          // The client checks a one-shot's run_at against the real clock, so the virtual one starts
          // ahead of it; 123 ms past a second, so that the instants have milliseconds.
          const t0 = Math.ceil(Date.now() / 1000) * 1000 + 123;
          const server = await startSchedulerServer({
            clock: new VirtualClock(t0),
            kafka: { brokers: kafka.brokers, topic, format },
            executor: (job, attempt, signal) => {
              if (job.name === 'fails') throw new Error('接続できません: upstream returned 503 ☔');
              if (job.name === 'flaky' && attempt === 1) throw new Error(`attempt ${attempt} failed`);
              if (job.name !== 'hangs') return undefined;
              // Outlives timeout_secs: the scheduler times it out (TIMED_OUT) and aborts it.
              return new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
            },
          });
          cleanups.push(() => server.close({ graceMs: 100 }));
          const client = new GrpcSchedulerClient(server.address);
          cleanups.push(() => client.close());
          const specs = [
            { name: 'succeeds', maxRetries: 0 },
            { name: 'fails', maxRetries: 0 },
            { name: 'flaky', maxRetries: 2 },
            { name: 'hangs', maxRetries: 1, timeoutSecs: 1 },
          ];
          const jobs = [];
          for (const [i, spec] of specs.entries()) {
            jobs.push(await client.createJob({ ...spec, schedule: Schedule.oneShot(t0 + 1_000 + 7 * i), payload: { n: i } }));
          }
          // Runs, the flaky job's retry 1 s later, and the hanging job's two timeouts of 1 s.
          await server.advanceTime(10_000);
          const executions: JobExecution[] = [];
          for (const job of jobs) executions.push(...(await client.getExecutions(job.id)));
          await client.close();
          await server.close({ graceMs: 100 }); // flushes the publisher
          expect(executions.map((e) => [e.result, e.attempt])).toEqual([
            ['succeeded', 1],
            ['failed', 1],
            ['failed', 1],
            ['succeeded', 2],
            ['timed_out', 1],
            ['timed_out', 2],
          ]);

          const group = unique('g-rust');
          const out = await consume(kafka, topic, group, executions.length);
          expect(out.code, out.stderr).toBe(0);
          expect(out.lines).toHaveLength(executions.length);
          const byId = new Map(out.lines.map((l) => [l.execution_id, l]));
          for (const e of executions) {
            const exact = e.finishedAtExact!;
            expect(byId.get(e.id), e.id).toEqual({
              job_id: e.jobId,
              execution_id: e.id,
              completed_at: formatTimestamp(exact),
              completed_at_seconds: exact.seconds,
              completed_at_nanos: exact.nanos,
              result: `EXECUTION_RESULT_${e.result.toUpperCase()}`,
              error: e.error ?? null,
              attempt: e.attempt,
              ignored_fields: [],
              format,
              key: e.jobId,
              partition: expect.any(Number),
              offset: expect.any(Number),
            });
            expect(exact).toEqual(timestampFromMillis(e.finishedAt!.getTime()));
          }
          // Manual commit: with auto commit off, the group's offsets are at the end of every
          // partition that has events only because each event was committed after it was printed
          // (a partition that no job's key chose has nothing to commit).
          const { committed, end } = await committedToEnd(kafka.brokers, group, topic);
          expect(Object.values(end).reduce((a, b) => a + b, 0)).toBe(executions.length);
          for (const [p, high] of Object.entries(end)) if (high > 0) expect(committed[Number(p)], `partition ${p}`).toBe(high);
        });
      }

      it("reads instants finer than a millisecond, in JSON and in protobuf, as this package's encoder writes them", { timeout: 120_000 }, async () => {
        const topic = unique('rust-nanos');
        await createTopic(kafka.brokers, topic, 1);
        const tag = unique('nanos');
        const instants = [
          { seconds: 1_795_341_600, nanos: 1 },
          { seconds: 1_795_341_600, nanos: 123_456_789 },
          { seconds: 1_795_341_601, nanos: 500 },
          { seconds: 1_795_341_602, nanos: 999_999_000 },
          { seconds: -1, nanos: 999_999_999 },
          { seconds: 253_402_300_799, nanos: 999_999_999 },
        ];
        const items = instants.flatMap((exact, i) =>
          (['json', 'protobuf'] as const).map((format) => {
            const event: JobCompletedEvent = {
              ...makeEvent(tag, 0, 2 * i + (format === 'json' ? 0 : 1)),
              completedAt: new Date(exact.seconds * 1000 + Math.floor(exact.nanos / 1e6)),
              completedAtExact: exact,
              result: 'timed_out',
              error: `${format} ${i}`,
              attempt: i + 1,
            };
            return { event, partition: 0, format };
          }),
        );
        await produce(kafka.brokers, topic, items);
        const out = await consume(kafka, topic, unique('g-rust-nanos'), items.length);
        expect(out.code, out.stderr).toBe(0);
        expect(out.lines.map((l) => [l.execution_id, l.format, l.completed_at_seconds, l.completed_at_nanos, l.completed_at, l.result, l.error, l.attempt])).toEqual(
          items.map(({ event, format }) => [event.executionId, format, event.completedAtExact!.seconds, event.completedAtExact!.nanos, formatTimestamp(event.completedAtExact!), 'EXECUTION_RESULT_TIMED_OUT', event.error, event.attempt]),
        );
        expect(out.lines.map((l) => l.completed_at)).toContain('1969-12-31T23:59:59.999999999Z');
      });

      it('a message that is not a valid event stops it with a non-zero exit, and its offset is not committed: the group meets it again', { timeout: 120_000 }, async () => {
        const bad: Record<string, { value: Buffer; headers: Record<string, string> }> = {
          'unknown result': { value: Buffer.from('{"job_id":"j","execution_id":"e","completed_at":"2026-11-22T10:00:00.000Z","result":"timeout"}'), headers: { 'content-type': 'application/json' } },
          '30 February': { value: Buffer.from('{"job_id":"j","execution_id":"e","completed_at":"2026-02-30T10:00:00.000Z","result":"succeeded"}'), headers: { 'content-type': 'application/json' } },
          'malformed UTF-8': {
            value: Buffer.concat([Buffer.from('{"job_id":"j-ok'), Buffer.from([0xc3]), Buffer.from('","execution_id":"e","completed_at":"2026-11-22T10:00:00.000Z","result":"succeeded"}')]),
            headers: { 'content-type': 'application/json' },
          },
          'a lone surrogate in an ignored field': {
            value: Buffer.from('{"job_id":"j","execution_id":"e","completed_at":"2026-11-22T10:00:00.000Z","result":"succeeded","note":"\\ud800"}'),
            headers: { 'content-type': 'application/json' },
          },
          'truncated protobuf': { value: Buffer.from([0x0a, 0x05, 0x6a]), headers: { 'content-type': 'application/x-protobuf' } },
          'unknown content-type': { value: Buffer.from('{}'), headers: { 'content-type': 'text/plain' } },
        };
        await Promise.all(
          Object.entries(bad).map(async ([what, raw]) => {
            const topic = unique('rust-invalid');
            const group = unique('g-rust-invalid');
            await createTopic(kafka.brokers, topic, 1);
            const tag = unique('inv');
            const [before, after] = [makeEvent(tag, 0, 0), makeEvent(tag, 0, 1)];
            await produce(kafka.brokers, topic, [{ event: before, partition: 0 }, { raw: { partition: 0, key: 'j', ...raw } }, { event: after, partition: 0 }]);
            const first = await consume(kafka, topic, group, 3);
            expect(first.code, `${what}: ${first.stderr}`).toBe(1);
            expect(first.lines.map((l) => l.execution_id), what).toEqual([before.executionId]);
            expect(first.stderr, what).toContain(`${topic}/0@1: not a valid JobCompletedEvent`);
            expect(await committedOffsets(kafka.brokers, group, topic), what).toEqual({ 0: 1 });
            const again = await consume(kafka, topic, group, 2);
            expect(again.code, what).toBe(1);
            expect(again.lines, what).toEqual([]);
            expect(await committedOffsets(kafka.brokers, group, topic), what).toEqual({ 0: 1 });
          }),
        );
      });

      it.skipIf(skipPython)("reads every valid message of the Python producer's edge cases as it expects", { timeout: 120_000 }, async () => {
        requireTools('kafka (Rust)', PYTHON_TOOLS);
        const dry = await run(PYTHON, [join(ROOT, 'conformance/python/produce_events.py'), '--dry-run'], { timeoutMs: 60_000 });
        expect(dry.code, dry.stderr).toBe(0);
        const cases = dry.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { what: string; key: string; headers: Record<string, string>; value_base64: string; expected: AnnouncedEvent | null })
          .filter((c) => c.expected !== null);
        expect(cases.length).toBeGreaterThanOrEqual(10);
        const topic = unique('rust-python-cases');
        await createTopic(kafka.brokers, topic, 1);
        await produce(
          kafka.brokers,
          topic,
          cases.map((c) => ({ raw: { partition: 0, key: c.key, value: Buffer.from(c.value_base64, 'base64'), headers: c.headers } })),
        );
        const out = await consume(kafka, topic, unique('g-rust-python'), cases.length);
        expect(out.code, out.stderr).toBe(0);
        expect(out.lines.map((l) => [l.job_id, l.execution_id, l.completed_at, l.result, l.error, l.attempt === 0 ? null : l.attempt])).toEqual(
          cases.map((c) => [c.expected!.jobId, c.expected!.executionId, c.expected!.completedAt, `EXECUTION_RESULT_${c.expected!.result.toUpperCase()}`, c.expected!.error, c.expected!.attempt]),
        );
      });
    });

    describe('KafkaJobCompletedSubscriber reads what the rdkafka producer sends', () => {
      /** The records in a decompressed batch: each is a zigzag varint length and that many bytes. */
      function recordsIn(records: Buffer): number {
        let at = 0;
        let n = 0;
        while (at < records.length) {
          let raw = 0;
          for (let shift = 0; ; shift += 7) {
            const byte = records[at++]!;
            raw += (byte & 0x7f) * 2 ** shift;
            if ((byte & 0x80) === 0) break;
          }
          at += raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
          n++;
        }
        return n;
      }

      /** Counts, by codec, the batches that kafkajs decompresses and the records in them. */
      function countDecompressed(): Record<keyof typeof CODEC_TYPES, { batches: number; records: number }> {
        registerCompressionCodecs();
        const counts = { gzip: { batches: 0, records: 0 }, snappy: { batches: 0, records: 0 }, lz4: { batches: 0, records: 0 }, zstd: { batches: 0, records: 0 } };
        for (const [name, type] of Object.entries(CODEC_TYPES) as [keyof typeof CODEC_TYPES, number][]) {
          const original = kafkajsCodecs[type]!;
          kafkajsCodecs[type] = () => {
            const inner = original();
            return {
              compress: (encoder) => inner.compress(encoder),
              decompress: async (buffer) => {
                const out = await inner.decompress(buffer);
                counts[name].batches++;
                counts[name].records += recordsIn(out);
                return out;
              },
            };
          };
          cleanups.push(() => (kafkajsCodecs[type] = original));
        }
        return counts;
      }

      for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
        it(`${compression === 'none' ? "librdkafka's default settings" : `compression.type ${compression}`}: every event arrives with its fields, none invalid, all committed`, { timeout: 120_000 }, async () => {
          const counts = countDecompressed();
          // One partition: the producer's batch holds every event then (see produce_events.rs).
          const topic = unique(`rust-produce-${compression}`);
          await createTopic(kafka.brokers, topic, 1);
          const out = await run(PRODUCER, ['--brokers', kafka.brokers.join(','), '--topic', topic, '--compression', compression, '--count', '200', '--tag', unique(compression)], { timeoutMs: 120_000 });
          expect(out.code, out.stderr).toBe(0);
          const sent = out.stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as AnnouncedEvent);
          expect(sent.length).toBeGreaterThan(200);

          const handled: JobCompletedEvent[] = [];
          const invalid: RawKafkaMessage[] = [];
          const errors: SchedulerError[] = [];
          const groupId = unique('g-rust-produced');
          const sub = new KafkaJobCompletedSubscriber({
            brokers: kafka.brokers,
            topic,
            groupId,
            fromBeginning: true,
            sessionTimeout: 6_000,
            heartbeatInterval: 1_000,
            closeTimeoutMs: 20_000,
            onInvalid: (raw) => invalid.push(raw),
            onError: (e) => errors.push(e),
          });
          cleanups.push(() => sub.close());
          await sub.run((event) => void handled.push(event));
          await until(() => handled.length + invalid.length >= sent.length || sub.state !== 'running', 60_000, `handling the ${sent.length} events of the Rust producer`);
          expect(sub.state).toBe('running');
          expect(invalid).toEqual([]);
          expect(errors).toEqual([]);
          // One partition, so the order is the order sent.
          expect(handled.map(asAnnounced)).toEqual(sent);
          await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
          expect(sub.health()).toMatchObject({ invalid: 0, handled: sent.length });

          // Every record reached the subscriber in a batch of the asked codec (or uncompressed).
          for (const [name, count] of Object.entries(counts)) {
            if (name === compression) expect(count.records, name).toBe(sent.length);
            else expect(count, name).toEqual({ batches: 0, records: 0 });
          }
          if (compression !== 'none') expect(counts[compression].batches).toBeGreaterThanOrEqual(1);
        });
      }

      it("a job's events share a partition with the reference server's only when rdkafka's partitioner is murmur2_random: its default (consistent_random, CRC32) places keys elsewhere than kafkajs's murmur2", { timeout: 120_000 }, async () => {
        const partitionsByKey = async (partitioner: string[]): Promise<Map<string, Set<number>>> => {
          const topic = unique('rust-partitioner');
          await createTopic(kafka.brokers, topic, 8);
          const out = await run(PRODUCER, ['--brokers', kafka.brokers.join(','), '--topic', topic, '--count', '40', '--tag', unique('part'), ...partitioner], { timeoutMs: 120_000 });
          expect(out.code, out.stderr).toBe(0);
          const jobIds = [...new Set(out.stdout.trim().split('\n').map((l) => (JSON.parse(l) as AnnouncedEvent).jobId))];
          expect(jobIds.length).toBeGreaterThanOrEqual(15);
          // One more event of each job, from the reference server's publisher.
          const publisher = new KafkaEventPublisher({ brokers: kafka.brokers, topic });
          for (const [i, jobId] of jobIds.entries()) publisher.publish({ jobId, executionId: `server-${i}`, completedAt: new Date(Date.UTC(2026, 10, 22, 11)), result: 'succeeded', attempt: 1 });
          await within(publisher.close(), 45_000, "the reference server's publisher flushing");
          const byKey = new Map<string, Set<number>>();
          for (const m of await readTopic(kafka.brokers, topic)) {
            if (!byKey.has(m.key!)) byKey.set(m.key!, new Set());
            byKey.get(m.key!)!.add(m.partition);
          }
          expect([...byKey.keys()].sort()).toEqual([...jobIds].sort());
          return byKey;
        };
        const split = (byKey: Map<string, Set<number>>) => [...byKey].filter(([, partitions]) => partitions.size > 1).map(([key]) => key);
        // By default most keys (7 in 8) land on two partitions; the chance that none of 15 does is 8^-15.
        expect(split(await partitionsByKey([]))).not.toEqual([]);
        expect(split(await partitionsByKey(['--partitioner', 'murmur2_random']))).toEqual([]);
      });
    });
  });
});
