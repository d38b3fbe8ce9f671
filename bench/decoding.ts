// What strict protobuf decoding costs: decoding a CreateJobRequest with the package's strict
// decoder (the schema walk that refuses malformed bytes, then protobufjs) against protobufjs's plain
// decode of the same bytes, for a small request and for requests with a 1 MiB payload.
import { encodeMessage, messageType } from '../src/wire/proto.js';
import { checkStrict, decodeStrict } from '../src/wire/strict.js';
import { formatBytes, formatMs, markdownTable, median, nowMs, percentile, type BenchSection } from './lib.js';

const TYPE = 'k1s0.system.scheduler.v2.CreateJobRequest';
const ROUNDS = 41;
const WARM_UP_ROUNDS = 5;
// Each timing covers enough decodes to last well above the timer's resolution.
const MIN_BATCH_MS = 20;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A google.protobuf.Value wire object of a JSON value. */
function toValue(v: Json): object {
  if (v === null) return { nullValue: 'NULL_VALUE' };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (Array.isArray(v)) return { listValue: { values: v.map(toValue) } };
  return { structValue: { fields: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toValue(x)])) } };
}

/** Records of mixed values (keys, short strings, numbers, booleans, a nested list): as many as fit in `bytes` of UTF-8 JSON. */
function records(bytes: number): Json[] {
  const out: Json[] = [];
  let size = 2;
  for (let i = 0; ; i++) {
    const item: Json = { id: i, name: `item-${i}`, city: i % 3 === 0 ? 'Zürich' : 'Tokyo 東京', active: i % 2 === 0, score: i * 1.25, tags: ['a', 'bb', `t${i % 7}`] };
    const more = Buffer.byteLength(JSON.stringify(item)) + (i > 0 ? 1 : 0);
    if (size + more > bytes) return out;
    size += more;
    out.push(item);
  }
}

interface Case {
  name: string;
  bytes: Uint8Array;
}

function cases(): Case[] {
  const request = (payload: Json) =>
    encodeMessage(TYPE, { name: 'nightly-report', schedule: { cron: { expression: '0 9 * * 1-5', timezone: 'Europe/Berlin' } }, payload: toValue(payload), requestId: 'b3c1f1de-7d5e-4a44-9a53-0c3c1d1a2f10' });
  return [
    { name: 'small request (a payload of 3 keys)', bytes: request({ report: 'sales', region: 'emea', limit: 100 }) },
    { name: '1 MiB payload: records of mixed values', bytes: request(records(1_048_576)) },
    { name: '1 MiB payload: one ASCII string', bytes: request('x'.repeat(1_048_574)) },
    { name: '1 MiB payload: one non-ASCII string', bytes: request('é'.repeat(524_287)) },
  ];
}

/** How many decodes of `fn` last at least MIN_BATCH_MS. */
function batchSize(fn: () => unknown): number {
  for (let n = 1; ; n *= 2) {
    const start = nowMs();
    for (let i = 0; i < n; i++) fn();
    if (nowMs() - start >= MIN_BATCH_MS) return n;
  }
}

/** The time of one call of each function, per round, the order turning from round to round. */
function measure(fns: (() => unknown)[]): number[][] {
  const sizes = fns.map(batchSize);
  const times = fns.map(() => [] as number[]);
  for (let round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
    for (let k = 0; k < fns.length; k++) {
      const i = (k + Math.max(round, 0)) % fns.length;
      const fn = fns[i]!;
      const n = sizes[i]!;
      const start = nowMs();
      for (let j = 0; j < n; j++) fn();
      if (round >= 0) times[i]!.push((nowMs() - start) / n);
    }
  }
  return times;
}

/** Measures and reports the section. */
export async function run(): Promise<BenchSection> {
  const type = messageType(TYPE);
  const rows: string[][] = [];
  for (const c of cases()) {
    // protobufjs's plain decode reads from a plain Uint8Array, as the package passes it.
    const view = new Uint8Array(c.bytes);
    console.log(`   ${c.name}: ${formatBytes(view.length)}`);
    const [plain, strict, walk] = measure([() => type.decode(view), () => decodeStrict(type, view), () => checkStrict(type, view)]);
    const p = median(plain!);
    const s = median(strict!);
    const w = median(walk!);
    rows.push([c.name, formatBytes(view.length), formatMs(p), formatMs(s), formatMs(w), `${(s / p).toFixed(2)}×`, `${formatMs(percentile(strict!, 10))} – ${formatMs(percentile(strict!, 90))}`]);
  }
  const markdown = [
    markdownTable(['CreateJobRequest', 'Bytes', 'protobufjs decode', 'strict decode', 'of which the check', 'strict ÷ plain', 'strict p10 – p90'], rows),
    '',
    'How it is measured:',
    '',
    '- "protobufjs decode" is `Type.decode` of the bytes; "strict decode" is `decodeStrict` (src/wire/strict.ts), what every request on the reference server, every response in the gRPC client and every protobuf Kafka event goes through: the schema walk ("the check": wire types, lengths, field numbers, UTF-8 of every string, nesting) and then the same `Type.decode`. Neither includes `toObject`, which both paths then pay alike.',
    `- Each figure is the median time of one decode over ${ROUNDS} rounds (after ${WARM_UP_ROUNDS} warm-up rounds), each round timing a batch of decodes lasting at least ${MIN_BATCH_MS} ms per function, the order turning from round to round.`,
    '- The payloads are google.protobuf.Value trees: 10,106 small records (objects of six members, with a list and non-ASCII strings) in 1,048,548 bytes of JSON, or one string whose JSON is 1,048,576 bytes; the small request has a payload of three members.',
    '- Other processes on the machine move these times; compare the rows of one run rather than runs.',
  ].join('\n');
  return { id: 'decoding', title: 'Strict protobuf decoding', command: 'npm run bench -- decoding', markdown, targets: [] };
}
