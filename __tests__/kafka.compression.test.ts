// Compressed batches: the subscriber reads gzip, snappy, lz4 and zstd batches written by a producer
// that is not kafkajs (kafka-python, conformance/python/produce_compressed.py), the reference
// server's publisher writes each of them, and a batch that cannot be decompressed does not stop
// the subscriber.
//
// The Python producer comes from `bash conformance/setup.sh`, the broker from KAFKA_BROKERS (see
// support/kafka.ts). Without them the tests that need them are skipped locally and fail under
// CI=true.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { DLQ_HEADERS, KafkaJobCompletedSubscriber, SchedulerError, type JobCompletedEvent, type KafkaSubscriberOptions, type RawKafkaMessage } from '../src/index.js';
import { DECOMPRESSION_ERROR_HEADER, PUBLISHER_COMPRESSIONS, registerCompressionCodecs } from '../src/kafka/compression.js';
import { KafkaEventPublisher } from '../src/server/kafka-publisher.js';
import { startSchedulerServer } from '../src/testing.js';
import { CODEC_TYPES, KAFKA_39, committedToEnd, createTopic, describeKafka, makeEvent, readTopic, kafkajsCodecs, unique, until, within, type KafkaTarget, type KafkajsCodec } from './support/kafka.js';
import { PYTHON, ROOT, requireTools, run, skipWithout, type Tool } from './support/conformance-tools.js';

const { CompressionTypes } = kafkajs;
const codec = (name: 'snappy' | 'lz4' | 'zstd'): KafkajsCodec => kafkajsCodecs[CODEC_TYPES[name]]!();

const PRODUCER = join(ROOT, 'conformance/python/produce_compressed.py');
const TOOLS: Tool[] = [
  [PYTHON, 'the Python venv conformance/.venv'],
  [join(ROOT, 'conformance/gen/python/k1s0/system/scheduler/v2/scheduler_pb2.py'), 'the Python stubs in conformance/gen/python'],
];
const skipPython = skipWithout("compression: the Python producer's tests", TOOLS);

/** Fails the test (so, under CI) when the Python tools are missing. */
const requirePython = (): void => requireTools('compression', TOOLS);

/** What produce_compressed.py prints. */
interface Produced {
  events: { jobId: string; executionId: string; completedAt: string; result: string; error: string | null; attempt: number | null }[];
  summary: { compression: string; batches: number; records: number; uncompressedBytes: number; compressedBytes: number };
}

async function producePython(brokers: string[], topic: string, compression: string, count: number, extra: string[] = []): Promise<Produced> {
  requirePython();
  const out = await run(PYTHON, [PRODUCER, '--brokers', brokers.join(','), '--topic', topic, '--compression', compression, '--count', String(count), '--tag', unique(compression), ...extra], { timeoutMs: 120_000 });
  expect(out.code, `produce_compressed.py failed:\n${out.stderr}`).toBe(0);
  const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
  return { events: lines.slice(0, -1) as Produced['events'], summary: lines.at(-1) as Produced['summary'] };
}

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The group id each subscriber of this file was made with. */
const groups = new WeakMap<KafkaJobCompletedSubscriber, string>();

function subscriber(kafka: KafkaTarget, options: Partial<KafkaSubscriberOptions> & { topic: string }): KafkaJobCompletedSubscriber {
  const groupId = unique('g-compressed');
  const sub = new KafkaJobCompletedSubscriber({
    brokers: kafka.brokers,
    groupId,
    fromBeginning: true,
    sessionTimeout: 6_000,
    heartbeatInterval: 1_000,
    closeTimeoutMs: 20_000,
    ...options,
  });
  groups.set(sub, groupId);
  cleanups.push(() => sub.close());
  return sub;
}

/** Whether the subscriber's group has committed everything up to the end of the topic. */
const committedAll = async (kafka: KafkaTarget, sub: KafkaJobCompletedSubscriber, topic: string) => (await committedToEnd(kafka.brokers, groups.get(sub)!, topic)).done;

/** The event as produce_compressed.py prints it. */
const printed = (e: JobCompletedEvent) => ({
  jobId: e.jobId,
  executionId: e.executionId,
  completedAt: e.completedAt.toISOString(),
  result: e.result,
  error: e.error ?? null,
  attempt: e.attempt ?? null,
});

// ---- the codecs, without a broker --------------------------------------------------------------

describe('compression codecs', () => {
  it('are registered only where kafkajs has none: a codec the application registered is kept, and no codec package is loaded before a batch needs one', async () => {
    const cache = createRequire(import.meta.url).cache;
    const loaded = () => Object.keys(cache).filter((path) => /node_modules\/(snappyjs|lz4js|fzstd|@bokuweb\/zstd-wasm)\//.test(path));
    expect(loaded()).toEqual([]);
    const placeholders = { snappy: kafkajsCodecs[CompressionTypes.Snappy]!, lz4: kafkajsCodecs[CompressionTypes.LZ4]!, zstd: kafkajsCodecs[CompressionTypes.ZSTD]! };
    expect(() => placeholders.snappy()).toThrow(/not implemented/);
    const mine: KafkajsCodec = { compress: async () => Buffer.from('mine'), decompress: async () => Buffer.from('mine') };
    const myFactory = () => mine;
    kafkajsCodecs[CompressionTypes.Snappy] = myFactory;
    try {
      expect(registerCompressionCodecs()).toEqual(['lz4', 'zstd']);
      expect(kafkajsCodecs[CompressionTypes.Snappy]).toBe(myFactory);
      expect(registerCompressionCodecs()).toEqual([]);
      expect(loaded()).toEqual([]);
      const frame = await codec('lz4').compress({ buffer: Buffer.from('hello hello hello hello') });
      expect(loaded().some((path) => path.includes('/lz4js/'))).toBe(true);
      expect((await codec('lz4').decompress(frame)).toString()).toBe('hello hello hello hello');
    } finally {
      kafkajsCodecs[CompressionTypes.Snappy] = placeholders.snappy;
      kafkajsCodecs[CompressionTypes.LZ4] = placeholders.lz4;
      kafkajsCodecs[CompressionTypes.ZSTD] = placeholders.zstd;
    }
    expect(registerCompressionCodecs()).toEqual(['snappy', 'lz4', 'zstd']);
  });

  it('round-trip what they write, for every codec', async () => {
    registerCompressionCodecs();
    const text = Buffer.from(Array.from({ length: 3_000 }, (_, i) => `{"job_id":"job-${i % 17}","execution_id":"exec-${i}","result":"succeeded"}`).join(''));
    for (const name of ['snappy', 'lz4', 'zstd'] as const) {
      const packed = await codec(name).compress({ buffer: text });
      expect(packed.length, name).toBeLessThan(text.length / 3);
      expect((await codec(name).decompress(packed)).equals(text), name).toBe(true);
    }
  });

  describe.skipIf(skipPython)("read every variant that Python's codec libraries write", () => {
    it('snappy (xerial-framed and raw), lz4 (linked and independent blocks, checksums, content size, two frames), zstd (no content size, two frames)', { timeout: 60_000 }, async () => {
      requirePython();
      registerCompressionCodecs();
      const script = `
import base64, io, json, os, random, sys
import lz4.frame, zstandard
from kafka import codec
random.seed(7)
data = b"".join(b'{"job_id":"j%d","execution_id":"e%d","result":"succeeded"}' % (i % 13, i) for i in range(4000)) + bytes(random.getrandbits(8) for _ in range(3000))
z = io.BytesIO()
w = zstandard.ZstdCompressor(write_content_size=False, write_checksum=True).stream_writer(z, closefd=False)
w.write(data[:9000]); w.flush(zstandard.FLUSH_FRAME); w.write(data[9000:]); w.flush(zstandard.FLUSH_FRAME)
samples = {
  "snappy xerial (Kafka's Java framing)": ("snappy", codec.snappy_encode(data)),
  "snappy raw": ("snappy", codec.snappy_encode(data, xerial_compatible=False)),
  "lz4 as kafka-python writes it": ("lz4", codec.lz4_encode(data)),
  "lz4 linked 64 KiB blocks, block and content checksums, no size": ("lz4", lz4.frame.compress(data, block_linked=True, block_size=lz4.frame.BLOCKSIZE_MAX64KB, block_checksum=True, content_checksum=True, store_size=False)),
  "lz4 two frames": ("lz4", lz4.frame.compress(data[:5000]) + lz4.frame.compress(data[5000:])),
  "zstd as kafka-python writes it": ("zstd", codec.zstd_encode(data)),
  "zstd streamed, no content size, two frames": ("zstd", z.getvalue()),
}
print(json.dumps({"data": base64.b64encode(data).decode(), "samples": {k: [c, base64.b64encode(v).decode()] for k, (c, v) in samples.items()}}))
`;
      const out = await run(PYTHON, ['-c', script], { timeoutMs: 120_000 });
      expect(out.code, out.stderr).toBe(0);
      const { data, samples } = JSON.parse(out.stdout) as { data: string; samples: Record<string, ['snappy' | 'lz4' | 'zstd', string]> };
      const original = Buffer.from(data, 'base64');
      expect(Object.keys(samples)).toHaveLength(7);
      for (const [what, [name, packed]] of Object.entries(samples)) {
        const decoded = await codec(name).decompress(Buffer.from(packed, 'base64'));
        expect(decoded.equals(original), what).toBe(true);
      }
      // And Python reads what the codecs write.
      const ours: Record<string, string> = {};
      for (const name of ['snappy', 'lz4', 'zstd'] as const) ours[name] = (await codec(name).compress({ buffer: original })).toString('base64');
      const back = await run(
        PYTHON,
        ['-c', 'import base64, json, sys\nfrom kafka import codec\nfor k, v in json.load(sys.stdin).items():\n    print(k, base64.b64encode(getattr(codec, k + "_decode")(base64.b64decode(v))).decode())'],
        { input: JSON.stringify(ours), timeoutMs: 120_000 },
      );
      expect(back.code, back.stderr).toBe(0);
      const lines = back.stdout.trim().split('\n');
      expect(lines.map((l) => l.split(' ')[0])).toEqual(['snappy', 'lz4', 'zstd']);
      for (const line of lines) expect(Buffer.from(line.split(' ')[1]!, 'base64').equals(original), line.split(' ')[0]).toBe(true);
    });
  });

  it("write LZ4 frames as Kafka's Java client does: independent 64 KiB blocks, the spec's header checksum", async () => {
    registerCompressionCodecs();
    const text = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `event-${i % 300};`).join(''));
    const frame = await codec('lz4').compress({ buffer: text });
    expect([...frame.subarray(0, 6)]).toEqual([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40]);
    const xxh32 = createRequire(import.meta.url)('lz4js/xxh32.js') as { hash(seed: number, src: Uint8Array, start: number, length: number): number };
    expect(frame[6]).toBe((xxh32.hash(0, frame, 4, 2) >>> 8) & 0xff);
    expect(text.length).toBeGreaterThan(2 * 64 * 1024);
    // Each block decodes on its own: decode the frame cut after its first block, with an end mark.
    const first = frame.readUInt32LE(7) & 0x7fffffff;
    const oneBlock = Buffer.concat([frame.subarray(0, 7 + 4 + first), Buffer.alloc(4)]);
    expect((await codec('lz4').decompress(oneBlock)).equals(text.subarray(0, 64 * 1024))).toBe(true);
    expect((await codec('lz4').decompress(frame)).equals(text)).toBe(true);
    // Kafka's producers before 0.10 computed the header checksum over the magic number too (KIP-57).
    const legacy = Buffer.from(frame);
    legacy[6] = (xxh32.hash(0, legacy, 0, 6) >>> 8) & 0xff;
    expect(legacy[6]).not.toBe(frame[6]);
    expect((await codec('lz4').decompress(legacy)).equals(text)).toBe(true);
  });

  it('refuse an LZ4 frame whose checksums, sizes or blocks do not hold (outside a record batch the error is thrown)', async () => {
    registerCompressionCodecs();
    const text = Buffer.from('abcdefgh'.repeat(200));
    const good = await codec('lz4').compress({ buffer: text });
    const flip = (at: number) => {
      const copy = Buffer.from(good);
      copy[at < 0 ? copy.length + at : at]! ^= 0x01;
      return copy;
    };
    await expect(codec('lz4').decompress(flip(6))).rejects.toThrow(/header checksum does not match/);
    await expect(codec('lz4').decompress(flip(0))).rejects.toThrow(/not an lz4 frame/);
    await expect(codec('lz4').decompress(good.subarray(0, good.length - 6))).rejects.toThrow(/cut short|corrupt/);
    // A match offset pointing before the start of the output (first token's offset bytes).
    const badOffset = Buffer.from(good);
    const blockStart = 7 + 4;
    const literals = badOffset[blockStart]! >>> 4;
    badOffset.writeUInt16LE(0xffff, blockStart + 1 + literals);
    await expect(codec('lz4').decompress(badOffset)).rejects.toThrow(/lz4 block is corrupt/);
  });
});

// kafkajs's own record batch encoder and decoder, which hand the codecs their bytes.
type DecodedRecord = { offset: string; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> };
const internal = createRequire(import.meta.url);
const { RecordBatch } = internal('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch(options: object): Promise<{ buffer: Buffer }> };
const makeRecord = internal('kafkajs/src/protocol/recordBatch/record/v0') as (options: object) => unknown;
const decodeRecordBatch = internal('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{ records: DecodedRecord[] }>;
const KafkaDecoder = internal('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
const crc32c = internal('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;

/** Where a v2 batch's records start (after its 61-byte header). */
const RECORDS_AT = 61;

async function recordBatch(compression: number, values: string[]): Promise<Buffer> {
  const records = values.map((value, i) => makeRecord({ offsetDelta: i, key: Buffer.from(`key-${i}`), value: Buffer.from(value) }));
  return (await RecordBatch({ compression, lastOffsetDelta: values.length - 1, records })).buffer;
}

/** The batch with other bytes in place of its (compressed) records, its length and CRC set to match. */
function withRecordBytes(batch: Buffer, records: Buffer, fixCrc = true): Buffer {
  const out = Buffer.concat([batch.subarray(0, RECORDS_AT), records]);
  out.writeInt32BE(out.length - 12, 8);
  out.writeUInt32BE(fixCrc ? crc32c(out.subarray(21)) : batch.readUInt32BE(17), 17);
  return out;
}

/** Decodes a batch as a fetch does, inside a larger buffer (as the fetch response is). */
async function decodeBatch(batch: Buffer): Promise<DecodedRecord[]> {
  const fetched = Buffer.concat([Buffer.from('other partitions before this batch'), batch]);
  return (await decodeRecordBatch(new KafkaDecoder(fetched.subarray(34)))).records;
}

describe('a record batch that cannot be decompressed', () => {
  const values = ['first event', 'second event', 'third event'];

  it("reads a good batch through kafkajs's decoder", async () => {
    registerCompressionCodecs();
    for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD]) {
      const records = await decodeBatch(await recordBatch(type, values));
      expect(records.map((r) => r.value?.toString())).toEqual(values);
      expect(records.map((r) => r.offset)).toEqual(['0', '1', '2']);
    }
  });

  it('becomes one record per record of the batch, at its offsets, with no key or value and the reason in a header', async () => {
    registerCompressionCodecs();
    const lz4 = await recordBatch(CompressionTypes.LZ4, values);
    // The frame without its end mark.
    const cut = withRecordBytes(lz4, lz4.subarray(RECORDS_AT, lz4.length - 4));
    const records = await decodeBatch(cut);
    expect(records.map((r) => r.offset)).toEqual(['0', '1', '2']);
    for (const r of records) {
      expect(r.key).toBeNull();
      expect(r.value).toBeNull();
      expect(Object.keys(r.headers)).toEqual([DECOMPRESSION_ERROR_HEADER]);
      expect(r.headers[DECOMPRESSION_ERROR_HEADER]!.toString()).toMatch(/^lz4: lz4 frame cut short in its block size at byte \d+$/);
    }
  });

  it('and so does a snappy batch that decompresses to something other than its records (snappy has no checksum)', async () => {
    registerCompressionCodecs();
    const snappy = await recordBatch(CompressionTypes.Snappy, values);
    const other = await codec('snappy').compress({ buffer: Buffer.from('\u007f not three records') });
    const records = await decodeBatch(withRecordBytes(snappy, other));
    expect(records.map((r) => [r.offset, r.value, r.headers[DECOMPRESSION_ERROR_HEADER]?.toString()])).toEqual(
      ['0', '1', '2'].map((offset) => [offset, null, "snappy: the decompressed bytes do not hold the batch's 3 records"]),
    );
  });

  it("is left to fail as before when the batch header's CRC does not match (the bytes before the records are not known to be its header)", async () => {
    registerCompressionCodecs();
    const lz4 = await recordBatch(CompressionTypes.LZ4, values);
    await expect(decodeBatch(withRecordBytes(lz4, lz4.subarray(RECORDS_AT, lz4.length - 4), false))).rejects.toThrow(/lz4 frame cut short/);
  });
});

// ---- the publisher's option --------------------------------------------------------------------

describe("the reference server's compression option", () => {
  it('refuses anything but none, gzip, snappy, lz4 and zstd, naming the option and the values', async () => {
    expect(PUBLISHER_COMPRESSIONS).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    for (const bad of ['brotli', 'LZ4', '', 3, null]) {
      let thrown: unknown;
      try {
        new KafkaEventPublisher({ brokers: ['127.0.0.1:9'], compression: bad as never });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SchedulerError);
      expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'kafka.compression' });
      expect((thrown as Error).message).toContain("kafka.compression must be one of 'none', 'gzip', 'snappy', 'lz4', 'zstd'");
    }
    await expect(startSchedulerServer({ kafka: { brokers: ['127.0.0.1:9'], compression: 'brotli' as never } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      field: 'kafka.compression',
    });
  });
});

// ---- on a broker ---------------------------------------------------------------------------------

describeKafka('compressed batches on a broker', KAFKA_39, (kafka) => {
  describe.skipIf(skipPython)('written by kafka-python', () => {
    for (const compression of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      it(`${compression}: every event arrives with its fields, none invalid, all committed`, { timeout: 120_000 }, async () => {
        const topic = unique(`py-${compression}`);
        await createTopic(kafka.brokers, topic, 2);
        const produced = await producePython(kafka.brokers, topic, compression, 300);
        // Several events share each batch, and every batch went out compressed.
        expect(produced.summary).toMatchObject({ compression, records: 300 });
        expect(produced.summary.batches).toBeGreaterThanOrEqual(1);
        expect(produced.summary.batches).toBeLessThanOrEqual(20);
        expect(produced.summary.compressedBytes).toBeLessThan(produced.summary.uncompressedBytes);

        const handled: JobCompletedEvent[] = [];
        const invalid: RawKafkaMessage[] = [];
        const errors: SchedulerError[] = [];
        const sub = subscriber(kafka, { topic, onInvalid: (raw) => invalid.push(raw), onError: (e) => errors.push(e) });
        await sub.run((event) => void handled.push(event));
        await until(() => handled.length >= 300 || sub.state !== 'running', 60_000, `handling 300 ${compression} events`);
        expect(sub.state).toBe('running');
        expect(invalid).toEqual([]);
        expect(new Set(handled.map((e) => e.executionId)).size).toBe(300);
        const byId = new Map(handled.map((e) => [e.executionId, printed(e)]));
        for (const want of produced.events) expect(byId.get(want.executionId), want.executionId).toEqual(want);
        await expect.poll(() => committedAll(kafka, sub, topic), { timeout: 15_000, interval: 200 }).toBe(true);
        expect(sub.health()).toMatchObject({ restarts: 0, invalid: 0, handled: 300 });
        expect(errors).toEqual([]);
      });
    }

    it('a batch whose compressed bytes are corrupt (an LZ4 frame with a wrong content checksum, which the broker stores) is reported record by record as invalid and dead-lettered, and the events after it are handled', { timeout: 120_000 }, async () => {
      const topic = unique('py-corrupt');
      const dlq = `${topic}.dlq`;
      await createTopic(kafka.brokers, topic, 1);
      await createTopic(kafka.brokers, dlq, 1);
      const before = await producePython(kafka.brokers, topic, 'lz4', 20);
      const corrupt = await producePython(kafka.brokers, topic, 'lz4', 15, ['--corrupt']);
      const after = await producePython(kafka.brokers, topic, 'lz4', 20);
      expect(corrupt.summary.batches).toBe(1);

      const handled: string[] = [];
      const invalid: { raw: RawKafkaMessage; error: SchedulerError }[] = [];
      const sub = subscriber(kafka, { topic, deadLetterTopic: dlq, onInvalid: (raw, error) => invalid.push({ raw, error }) });
      await sub.run((event) => void handled.push(event.executionId));
      await until(() => handled.length >= 40 || sub.state !== 'running', 60_000, 'handling the events around the corrupt batch');
      expect(sub.state).toBe('running');
      expect(handled).toEqual([...before.events, ...after.events].map((e) => e.executionId));
      // Offsets 20..34 are the corrupt batch's records, each reported once, in order.
      expect(invalid.map((i) => i.raw.offset)).toEqual(Array.from({ length: 15 }, (_, i) => String(20 + i)));
      for (const { raw, error } of invalid) {
        expect(raw.value).toBeNull();
        expect(raw.key).toBeNull();
        expect(raw.headers[DECOMPRESSION_ERROR_HEADER]).toBe('lz4: lz4 content checksum does not match');
        expect(error.code).toBe('INVALID_ARGUMENT');
        expect(error.message).toContain(`${topic}/0@${raw.offset}`);
      }
      await expect.poll(() => committedAll(kafka, sub, topic), { timeout: 15_000, interval: 200 }).toBe(true);
      const dead = await readTopic(kafka.brokers, dlq);
      expect(dead.map((m) => m.headers[DLQ_HEADERS.offset])).toEqual(invalid.map((i) => i.raw.offset));
      expect(dead.every((m) => m.headers[DECOMPRESSION_ERROR_HEADER] === 'lz4: lz4 content checksum does not match')).toBe(true);
      expect(sub.health()).toMatchObject({ restarts: 0, invalid: 15, deadLettered: 15, handled: 40 });
    });
  });

  describe("the reference server's publisher", () => {
    for (const compression of PUBLISHER_COMPRESSIONS) {
      it(`compression '${compression}': the subscriber reads back every event it publishes`, { timeout: 60_000 }, async () => {
        const topic = unique(`pub-${compression}`);
        await createTopic(kafka.brokers, topic, 1);
        registerCompressionCodecs();
        // Count what the codec of the batches compresses, through kafkajs's registry.
        const type = { none: CompressionTypes.None, ...CODEC_TYPES }[compression];
        const original = kafkajsCodecs[type];
        let compressed = 0;
        if (original !== undefined) {
          kafkajsCodecs[type] = () => {
            const inner = original();
            return { compress: (encoder) => ((compressed += 1), inner.compress(encoder)), decompress: (buffer) => inner.decompress(buffer) };
          };
          cleanups.push(() => (kafkajsCodecs[type] = original));
        }
        const publisher = new KafkaEventPublisher({ brokers: kafka.brokers, topic, compression });
        const tag = unique('pub');
        const events = Array.from({ length: 120 }, (_, i): JobCompletedEvent => ({ ...makeEvent(tag, 0, i), error: i % 5 === 0 ? `failure ${i}` : undefined, attempt: 1 + (i % 4) }));
        for (const event of events) publisher.publish(event);
        await within(publisher.close(), 45_000, `the publisher flushing 120 events with ${compression}`);
        expect(publisher.sent).toBe(120);
        if (compression === 'none') expect(original).toBeUndefined();
        else expect(compressed).toBeGreaterThanOrEqual(1);

        const handled: JobCompletedEvent[] = [];
        const invalid: RawKafkaMessage[] = [];
        const sub = subscriber(kafka, { topic, onInvalid: (raw) => invalid.push(raw) });
        await sub.run((event) => void handled.push(event));
        await until(() => handled.length >= 120 || sub.state !== 'running', 30_000, `reading 120 events published with ${compression}`);
        expect(invalid).toEqual([]);
        expect(handled.map(printed)).toEqual(events.map(printed));
      });
    }
  });
});
