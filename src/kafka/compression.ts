// Kafka's compression codecs for kafkajs, which brings only gzip: snappy, lz4 and zstd. Producers
// in other languages compress their batches with any of the four (the proto's JobCompletedEvent
// comment), and kafkajs stops a consumer that meets a codec it lacks.
//
// Imported only by the Kafka consumer loop and the reference server's publisher (both loaded
// lazily); the codec packages themselves are loaded on the first batch that needs them:
//   snappy  snappyjs (pure JavaScript), in Kafka's xerial framing or raw;
//   lz4     the LZ4 frame format (KIP-57), read and framed below (the decoder checks every checksum
//           and bound); lz4js (pure JavaScript) compresses the blocks;
//   zstd    fzstd (pure JavaScript) reads; @bokuweb/zstd-wasm (a WebAssembly build shipped inside
//           the package: nothing is downloaded or compiled at install) writes.
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';

// kafkajs is CommonJS, and Node's ESM loader does not see these two among its named exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;
type CompressionTypes = kafkajs.CompressionTypes;

/** The compressions the reference server's publisher can write. */
export const PUBLISHER_COMPRESSIONS = Object.freeze(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const);

/** One of {@link PUBLISHER_COMPRESSIONS}. */
export type PublisherCompression = (typeof PUBLISHER_COMPRESSIONS)[number];

/** kafkajs's compression type for a publisher's `compression` option. */
export function compressionType(compression: PublisherCompression): CompressionTypes {
  switch (compression) {
    case 'none':
      return CompressionTypes.None;
    case 'gzip':
      return CompressionTypes.GZIP;
    case 'snappy':
      return CompressionTypes.Snappy;
    case 'lz4':
      return CompressionTypes.LZ4;
    case 'zstd':
      return CompressionTypes.ZSTD;
  }
}

import { DECOMPRESSION_ERROR_HEADER } from './codec.js';

export { DECOMPRESSION_ERROR_HEADER };

/** What kafkajs expects of a codec. */
interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const codecs: Record<number, (() => KafkaCodec) | undefined> = CompressionCodecs as unknown as Record<number, (() => KafkaCodec) | undefined>;

/**
 * Registers the snappy, lz4 and zstd codecs in kafkajs's global `CompressionCodecs`, except where
 * a codec is registered already: one the application registered itself (kafkajs-snappy, say) is
 * kept and used instead. kafkajs's own gzip codec is never replaced. Loads no codec package; each
 * is loaded on the first batch that needs it. Safe to call any number of times.
 *
 * @returns the codecs registered by this call (empty once they are in place).
 */
export function registerCompressionCodecs(): ('snappy' | 'lz4' | 'zstd')[] {
  const registered: ('snappy' | 'lz4' | 'zstd')[] = [];
  for (const [type, name, codec] of [
    [CompressionTypes.Snappy, 'snappy', SNAPPY],
    [CompressionTypes.LZ4, 'lz4', LZ4],
    [CompressionTypes.ZSTD, 'zstd', ZSTD],
  ] as const) {
    if (!isMissing(type)) continue;
    codecs[type] = () => codec;
    registered.push(name);
  }
  return registered;
}

/** Whether kafkajs still has its placeholder for `type`, which throws KafkaJSNotImplemented. */
function isMissing(type: CompressionTypes): boolean {
  const factory = codecs[type];
  if (typeof factory !== 'function') return true;
  try {
    factory();
    return false;
  } catch (error) {
    return (error as Error | undefined)?.name === 'KafkaJSNotImplemented';
  }
}

// ---- loading the packages --------------------------------------------------------------------------

interface SnappyJs {
  compress(input: Uint8Array): Uint8Array;
  uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
}
interface Lz4Js {
  compressBound(size: number): number;
  compressBlock(src: Uint8Array, dst: Uint8Array, start: number, length: number, hashTable: Uint32Array): number;
}
interface Xxh32 {
  hash(seed: number, src: Uint8Array, start: number, length: number): number;
}
interface Fzstd {
  decompress(input: Uint8Array): Uint8Array;
}
interface ZstdWasm {
  init(): Promise<void>;
  compress(input: Uint8Array, level?: number): Uint8Array;
}

let load: NodeRequire | undefined;
const req = <T>(id: string): T => (load ??= createRequire(import.meta.url))(id) as T;
let snappyjs: SnappyJs | undefined;
let lz4js: Lz4Js | undefined;
let xxh32: Xxh32 | undefined;
let fzstd: Fzstd | undefined;
let zstdWasm: Promise<ZstdWasm> | undefined;

const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** Thrown for bytes that are not a valid stream of the codec. */
class CorruptCompressionError extends Error {
  override name = 'CorruptCompressionError';
}

/**
 * Wraps a decoder: a batch whose bytes cannot be decompressed, or decompress to something other
 * than its records (snappy carries no checksum), is replaced by records that say so (see
 * {@link undecodableRecords}), so that the consumer reports each of its records as an invalid
 * event and moves on, instead of failing on the same fetch for good.
 */
function decoding(codec: string, decode: (input: Buffer) => Buffer | Promise<Buffer>): (input: Buffer) => Promise<Buffer> {
  return async (input) => {
    let output: Buffer;
    try {
      output = await decode(input);
    } catch (error) {
      const replacement = undecodableRecords(input, `${codec}: ${(error as Error).message}`);
      if (replacement === undefined) throw error;
      return replacement;
    }
    const count = recordCount(input);
    if (count !== undefined && !holdsRecords(output, count)) {
      return undecodableRecords(input, `${codec}: the decompressed bytes do not hold the batch's ${count} records`) ?? output;
    }
    return output;
  };
}

// ---- snappy ----------------------------------------------------------------------------------------

/** The xerial (snappy-java) stream header: magic, version 1, minimum compatible version 1. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER = Buffer.concat([XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])]);
/** Uncompressed bytes per xerial block, as snappy-java writes them. */
const XERIAL_BLOCK = 32 * 1024;

/**
 * Raw snappy expands at most about 21 times (a 3-byte copy writes 64 bytes): a declared length
 * beyond this bound is corrupt, and is refused before anything is allocated for it.
 */
const snappyBound = (compressed: number): number => compressed * 22 + 64;

function snappyUncompress(block: Uint8Array): Buffer {
  snappyjs ??= req<SnappyJs>('snappyjs');
  return asBuffer(snappyjs.uncompress(block, snappyBound(block.length)));
}

function snappyDecode(input: Buffer): Buffer {
  if (input.length < XERIAL_HEADER.length || !input.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) return snappyUncompress(input);
  const parts: Buffer[] = [];
  for (let at = XERIAL_HEADER.length; at < input.length; ) {
    if (at + 4 > input.length) throw new CorruptCompressionError(`xerial block length cut short at byte ${at}`);
    const size = input.readInt32BE(at);
    at += 4;
    if (size < 0 || at + size > input.length) throw new CorruptCompressionError(`xerial block of ${size} bytes at byte ${at - 4} runs past the end (${input.length} bytes)`);
    parts.push(snappyUncompress(input.subarray(at, at + size)));
    at += size;
  }
  return Buffer.concat(parts);
}

/** The xerial framing that Kafka's Java client writes (and every client reads), in 32 KiB blocks. */
function snappyEncode(input: Buffer): Buffer {
  snappyjs ??= req<SnappyJs>('snappyjs');
  const parts: Buffer[] = [XERIAL_HEADER];
  for (let at = 0; at < input.length; at += XERIAL_BLOCK) {
    const block = asBuffer(snappyjs.compress(input.subarray(at, at + XERIAL_BLOCK)));
    const size = Buffer.alloc(4);
    size.writeInt32BE(block.length);
    parts.push(size, block);
  }
  return Buffer.concat(parts);
}

const SNAPPY: KafkaCodec = {
  compress: async ({ buffer }) => snappyEncode(buffer),
  decompress: decoding('snappy', snappyDecode),
};

// ---- lz4 -------------------------------------------------------------------------------------------

const LZ4_MAGIC = 0x184d2204;
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

function hash32(bytes: Uint8Array, start: number, length: number): number {
  xxh32 ??= req<Xxh32>('lz4js/xxh32.js');
  return xxh32.hash(0, bytes, start, length) >>> 0;
}

/**
 * Reads a sequence of LZ4 frames (skippable frames are skipped). Every checksum the frame carries
 * is verified: the header checksum (the one the LZ4 spec defines, or the one Kafka's pre-0.10
 * producers wrote over the magic number too, KIP-57), block checksums, the content checksum and
 * the content size. Linked and independent blocks are both read; dictionaries are refused.
 */
function lz4Decode(input: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > input.length) throw new CorruptCompressionError(`lz4 frame cut short in its ${what} at byte ${at}`);
  };
  while (at < input.length) {
    need(4, 'magic number');
    const magic = input.readUInt32LE(at);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      need(8, 'skippable frame');
      const size = input.readUInt32LE(at + 4);
      at += 8;
      need(size, 'skippable frame');
      at += size;
      continue;
    }
    if (magic !== LZ4_MAGIC) throw new CorruptCompressionError(`not an lz4 frame: magic number 0x${magic.toString(16)} at byte ${at}`);
    const frameStart = at;
    at += 4;
    need(3, 'descriptor');
    const descriptorStart = at;
    const flg = input[at++]!;
    const bd = input[at++]!;
    if (flg >> 6 !== 1) throw new CorruptCompressionError(`lz4 frame version ${flg >> 6} is not 1`);
    if ((flg & 0x02) !== 0 || (bd & 0x8f) !== 0) throw new CorruptCompressionError('lz4 frame descriptor has reserved bits set');
    if ((flg & 0x01) !== 0) throw new CorruptCompressionError('lz4 frames with a dictionary are not supported');
    const independent = (flg & 0x20) !== 0;
    const blockChecksums = (flg & 0x10) !== 0;
    const hasContentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const blockMax = BLOCK_MAX_SIZES[(bd >> 4) & 0x07];
    if (blockMax === undefined) throw new CorruptCompressionError(`lz4 block size code ${(bd >> 4) & 0x07} is not 4 to 7`);
    let contentSize: number | undefined;
    if (hasContentSize) {
      need(9, 'content size');
      const size = input.readBigUInt64LE(at);
      if (size > BigInt(2 ** 31)) throw new CorruptCompressionError(`lz4 content size ${size} is too large`);
      contentSize = Number(size);
      at += 8;
    }
    const hc = input[at]!;
    if (hc !== ((hash32(input, descriptorStart, at - descriptorStart) >>> 8) & 0xff) && hc !== ((hash32(input, frameStart, at - frameStart) >>> 8) & 0xff)) {
      throw new CorruptCompressionError('lz4 frame header checksum does not match');
    }
    at++;
    let out = new Uint8Array(contentSize ?? Math.min(blockMax, input.length * 4 + 64));
    let written = 0;
    for (;;) {
      need(4, 'block size');
      const word = input.readUInt32LE(at);
      at += 4;
      if (word === 0) break;
      const stored = (word & 0x80000000) !== 0;
      const size = word & 0x7fffffff;
      if (size > blockMax) throw new CorruptCompressionError(`lz4 block of ${size} bytes exceeds the frame's maximum of ${blockMax}`);
      need(size + (blockChecksums ? 4 : 0), 'block');
      if (blockChecksums && input.readUInt32LE(at + size) !== hash32(input, at, size)) throw new CorruptCompressionError('lz4 block checksum does not match');
      // No block decodes to more than blockMax bytes, nor a frame to more than its content size.
      const limit = contentSize === undefined ? written + blockMax : Math.min(written + blockMax, contentSize);
      if (out.length < limit) {
        const grown = new Uint8Array(Math.max(out.length * 2, limit));
        grown.set(out.subarray(0, written));
        out = grown;
      }
      if (stored) {
        if (written + size > limit) throw new CorruptCompressionError(`lz4 frame decodes to more than its content size ${String(contentSize)}`);
        out.set(input.subarray(at, at + size), written);
        written += size;
      } else {
        written = lz4Block(input, at, at + size, out, written, limit, independent ? written : 0);
      }
      at += size + (blockChecksums ? 4 : 0);
    }
    if (contentChecksum) {
      need(4, 'content checksum');
      if (input.readUInt32LE(at) !== hash32(out, 0, written)) throw new CorruptCompressionError('lz4 content checksum does not match');
      at += 4;
    }
    if (contentSize !== undefined && written !== contentSize) throw new CorruptCompressionError(`lz4 frame holds ${written} bytes, its header says ${contentSize}`);
    parts.push(Buffer.from(out.buffer, out.byteOffset, written));
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * Decodes one LZ4 block from `src[s, end)` into `dst` at `d`, writing no further than `limit` and
 * copying matches from no earlier than `floor`. Returns the new end of the output.
 */
function lz4Block(src: Uint8Array, s: number, end: number, dst: Uint8Array, d: number, limit: number, floor: number): number {
  const corrupt = (what: string) => new CorruptCompressionError(`lz4 block is corrupt: ${what}`);
  for (;;) {
    if (s >= end) throw corrupt('it ends without a final literal run');
    const token = src[s++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      for (let b = 255; b === 255; ) {
        if (s >= end) throw corrupt('a literal length runs past the end');
        b = src[s++]!;
        literals += b;
      }
    }
    if (s + literals > end) throw corrupt('literals run past the end of the block');
    if (d + literals > limit) throw corrupt('it decodes to more than the block size');
    dst.set(src.subarray(s, s + literals), d);
    s += literals;
    d += literals;
    if (s === end) return d;
    if (s + 2 > end) throw corrupt('a match offset runs past the end');
    const offset = src[s]! | (src[s + 1]! << 8);
    s += 2;
    if (offset === 0 || d - offset < floor) throw corrupt(`a match offset of ${offset} points before the start of the data`);
    let length = token & 15;
    if (length === 15) {
      for (let b = 255; b === 255; ) {
        if (s >= end) throw corrupt('a match length runs past the end');
        b = src[s++]!;
        length += b;
      }
    }
    length += 4;
    if (d + length > limit) throw corrupt('it decodes to more than the block size');
    let m = d - offset;
    if (offset >= length) {
      dst.copyWithin(d, m, m + length);
      d += length;
    } else {
      for (const stop = d + length; d < stop; ) dst[d++] = dst[m++]!;
    }
  }
}

/** Uncompressed bytes per LZ4 block, as Kafka's Java client writes them. */
const LZ4_BLOCK = 64 * 1024;
let lz4HashTable: Uint32Array | undefined;

/**
 * One LZ4 frame of independent 64 KiB blocks (Kafka's Java client refuses linked blocks), with
 * the header checksum of the LZ4 spec (KIP-57) and no content checksum, as the Java client writes
 * it. lz4js compresses each block, with its match table cleared so no block refers to another.
 */
function lz4Encode(input: Buffer): Buffer {
  lz4js ??= req<Lz4Js>('lz4js');
  // Magic, FLG (version 1, independent blocks), BD (64 KiB blocks), header checksum.
  const header = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0]);
  header[6] = (hash32(header, 4, 2) >>> 8) & 0xff;
  const parts: Buffer[] = [header];
  const table = (lz4HashTable ??= new Uint32Array(1 << 16));
  const scratch = new Uint8Array(lz4js.compressBound(LZ4_BLOCK));
  for (let at = 0; at < input.length; at += LZ4_BLOCK) {
    const size = Math.min(LZ4_BLOCK, input.length - at);
    table.fill(0);
    const packed = lz4js.compressBlock(input, scratch, at, size, table);
    const word = Buffer.alloc(4);
    if (packed === 0 || packed >= size) {
      // Stored as is: the high bit marks an uncompressed block.
      word.writeUInt32LE((0x80000000 | size) >>> 0);
      parts.push(word, input.subarray(at, at + size));
    } else {
      word.writeUInt32LE(packed);
      parts.push(word, Buffer.from(scratch.subarray(0, packed)));
    }
  }
  parts.push(Buffer.alloc(4)); // the end mark
  return Buffer.concat(parts);
}

const LZ4: KafkaCodec = {
  compress: async ({ buffer }) => lz4Encode(buffer),
  decompress: decoding('lz4', lz4Decode),
};

// ---- zstd ------------------------------------------------------------------------------------------

const ZSTD: KafkaCodec = {
  compress: async ({ buffer }) => {
    zstdWasm ??= (async () => {
      const wasm = req<ZstdWasm>('@bokuweb/zstd-wasm');
      await wasm.init();
      return wasm;
    })();
    // Level 3, zstd's default (and Kafka's).
    return asBuffer((await zstdWasm).compress(buffer, 3));
  },
  decompress: decoding('zstd', (input) => asBuffer((fzstd ??= req<Fzstd>('fzstd')).decompress(input))),
};

// ---- a batch that cannot be decompressed ------------------------------------------------------------

// The v2 record batch header, counted back from the start of its (compressed) records.
const BATCH = { magic: -45, crc: -44, attributes: -40, lastOffsetDelta: -38, count: -4 } as const;

/**
 * kafkajs hands a codec the records of a batch as a view into the fetched bytes, right after the
 * batch header. When the header is there (its CRC-32C, which covers everything from the
 * attributes to the end of the records, matches), this returns `count` records in its place, each
 * with no key and no value and the reason in the {@link DECOMPRESSION_ERROR_HEADER} header, at the
 * offsets of the batch's records: the subscriber reports each as an invalid event (and
 * dead-letters it, if it has a dead-letter topic) and commits past the batch, as it does for any
 * other message it cannot read. Otherwise undefined (the error is rethrown).
 */
export function undecodableRecords(records: Buffer, reason: string): Buffer | undefined {
  const start = records.byteOffset;
  if (start + BATCH.magic < 0) return undefined;
  const whole = Buffer.from(records.buffer, start + BATCH.magic, -BATCH.magic + records.length);
  const at = (field: number) => field - BATCH.magic;
  if (whole.readInt8(at(BATCH.magic)) !== 2) return undefined;
  if (whole.readUInt32BE(at(BATCH.crc)) !== crc32c(whole, at(BATCH.attributes), whole.length)) return undefined;
  const count = whole.readInt32BE(at(BATCH.count));
  const lastOffsetDelta = whole.readInt32BE(at(BATCH.lastOffsetDelta));
  if (count <= 0 || lastOffsetDelta < count - 1) return undefined;
  const key = Buffer.from(DECOMPRESSION_ERROR_HEADER);
  const value = Buffer.from(reason.slice(0, 1000));
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const offsetDelta = i === count - 1 ? lastOffsetDelta : i;
    const body = Buffer.concat([
      Buffer.from([0]), // attributes
      varint(0), // timestamp delta
      varint(offsetDelta),
      varint(-1), // no key
      varint(-1), // no value
      varint(1), // one header
      varint(key.length),
      key,
      varint(value.length),
      value,
    ]);
    out.push(varint(body.length), body);
  }
  return Buffer.concat(out);
}

/** The record count in the v2 batch header before `records`, if one seems to be there (not verified). */
function recordCount(records: Buffer): number | undefined {
  if (records.byteOffset + BATCH.magic < 0) return undefined;
  const header = new DataView(records.buffer, records.byteOffset + BATCH.magic, -BATCH.magic);
  return header.getInt8(0) === 2 ? header.getInt32(BATCH.count - BATCH.magic) : undefined;
}

/** Whether `bytes` starts with `count` length-prefixed records (each a zigzag varint length and that many bytes). */
function holdsRecords(bytes: Buffer, count: number): boolean {
  let at = 0;
  for (let i = 0; i < count; i++) {
    let raw = 0;
    let shift = 0;
    for (;;) {
      if (at >= bytes.length || shift > 28) return false;
      const b = bytes[at++]!;
      raw |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    const length = (raw >>> 1) ^ -(raw & 1);
    if (length < 0 || at + length > bytes.length) return false;
    at += length;
  }
  return true;
}

/** A zigzag varint, as Kafka's records encode their lengths and deltas. */
function varint(n: number): Buffer {
  let v = ((n << 1) ^ (n >> 31)) >>> 0;
  const bytes: number[] = [];
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

let CRC32C_TABLE: Uint32Array | undefined;

/** CRC-32C (Castagnoli), as record batches carry it. */
function crc32c(bytes: Uint8Array, start: number, end: number): number {
  let table = CRC32C_TABLE;
  if (table === undefined) {
    table = CRC32C_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = start; i < end; i++) crc = table[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
