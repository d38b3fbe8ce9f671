// Writes proto/testdata/jitter/delays.json and proto/testdata/jitter/backoff.json: the jitter delays
// and retry waits of the proto's "Schedule policies" section, for every language to reproduce.
//
//   npm run gen:jitter        (npx tsx scripts/gen-jitter-vectors.ts)
//
// Deterministic: every case is listed below or derived from listed values, never from the current
// time or a random source. The values are computed here from the proto's formulas, on purpose
// without src/policy.ts (node:crypto and BigInt for the jitter, IEEE 754 doubles for the waits), so
// that __tests__/policy-vectors.test.ts checks src/policy.ts against an independent computation; the
// Python and Go checkers in conformance/ (python/jitter.py, go/jitter) compute everything a third
// and a fourth time.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { protoRoot } from '../src/wire/proto-files.js';
import type { BackoffCase as Backoff, CappedDelayCase as Capped, JitterDelayCase as Delay } from './lib/jitter-vectors.js';

const out = join(protoRoot(), 'testdata', 'jitter');

const TWO_63 = 1n << 63n;
const DAY_MS = 86_400_000;

/** H of the proto: the first 8 bytes of SHA-256(UTF-8 of `jobId + "\n" + M`), unsigned big-endian. */
function hashOf(jobId: string, scheduledMs: number): bigint {
  if (!Number.isSafeInteger(scheduledMs)) throw new Error(`${scheduledMs} is not a whole number of milliseconds`);
  // M: ASCII decimal, "-" before a negative value, no leading zeros, "0" for zero (String(-0) is "0").
  const text = `${jobId}\n${BigInt(scheduledMs).toString(10)}`;
  const digest = createHash('sha256').update(Buffer.from(text, 'utf8')).digest();
  let h = 0n;
  for (let i = 0; i < 8; i++) h = (h << 8n) | BigInt(digest[i]!);
  return h;
}

/** The RFC 3339 text of an instant: UTC, exactly 3 fraction digits, `Z` (years 0001 to 9999). */
function textOf(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < 1 || year > 9999) throw new Error(`${ms} lies outside the years 0001 to 9999`);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(year, 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}Z`;
}

function delayCase(jobId: string, scheduledMs: number, jitterMs: number): Delay {
  if (!Number.isInteger(jitterMs) || jitterMs < 1 || jitterMs > DAY_MS) throw new Error(`jitter ${jitterMs} is outside 1..86,400,000`);
  const h = hashOf(jobId, scheduledMs);
  const delay = Number(h % BigInt(jitterMs));
  return { job_id: jobId, scheduled_at: textOf(scheduledMs), scheduled_ms: scheduledMs, jitter_ms: jitterMs, hash_u64: h.toString(10), delay_ms: delay };
}

function cappedCase(jobId: string, scheduledMs: number, jitterMs: number, nextMs: number): Capped {
  if (nextMs <= scheduledMs) throw new Error('the next scheduled instant lies after the scheduled one');
  const base = delayCase(jobId, scheduledMs, jitterMs);
  const due = scheduledMs + Math.min(base.delay_ms, nextMs - scheduledMs - 1);
  return { ...base, next_scheduled_at: textOf(nextMs), next_scheduled_ms: nextMs, due_at: textOf(due), due_ms: due };
}

// --- Delays (before the cap) -------------------------------------------------------------------------

const IDS = [
  'job-1',
  '01JD3Z6Q8K4Y7V2N5M9P0R1S2T', // the reference server's ids look like this
  'parity-cron-日次', // CJK
  'ジョブ🕐', // an emoji: 4 UTF-8 bytes, 2 UTF-16 code units
  'caf\u00e9', // é precomposed (NFC) ...
  'cafe\u0301', // ... and decomposed (NFD): another text, another delay (no normalisation)
  'Ωmega \u00a0tab\tend', // a no-break space and a tab inside the id
  'x'.repeat(128), // the longest id (128 code points)
];
const INSTANTS = [
  0, // the epoch: M is "0"
  1, // the smallest positive
  -1, // 1969-12-31T23:59:59.999Z: M is "-1"
  -86_400_000 * 365 - 123, // before 1970
  -62_135_596_800_000, // 0001-01-01T00:00:00.000Z
  1_795_341_600_000, // 2026-11-22T10:00:00.000Z
  4_102_444_800_000, // 2100-01-01T00:00:00.000Z, the parity server's clock
  253_402_300_799_999, // 9999-12-31T23:59:59.999Z
];
const JITTERS = [1, 2, 7, 1_000, 60_000, 999_983, DAY_MS];

const delays: Delay[] = [];
for (const id of IDS) for (const ms of INSTANTS) for (const jitter of JITTERS) delays.push(delayCase(id, ms, jitter));
// A run of consecutive seconds of one job, as an interval of 1 s fires them.
for (let i = 0; i < 10; i++) delays.push(delayCase('interval-1s', 4_102_444_800_000 + i * 1_000, 1_000));

// The traps the file must hold, each in at least one case with a jitter above 1 and a delay that shows it.
const traps: [string, (d: Delay) => boolean][] = [
  ['H >= 2^63 (a signed 64-bit read gives another delay)', (d) => BigInt(d.hash_u64) >= TWO_63 && Number(BigInt.asIntN(64, BigInt(d.hash_u64)) % BigInt(d.jitter_ms)) !== d.delay_ms],
  ['H above 2^53 (H as a double gives another delay)', (d) => Number(BigInt(d.hash_u64)) % d.jitter_ms !== d.delay_ms],
  ['jitter 86,400,000 with a delay above 2^26', (d) => d.jitter_ms === DAY_MS && d.delay_ms > 2 ** 26],
  ['a negative instant', (d) => d.scheduled_ms < 0 && d.jitter_ms > 1],
  ['NFC and NFD ids with different delays', (d) => d.job_id === 'caf\u00e9' && delays.some((e) => e.job_id === 'cafe\u0301' && e.scheduled_ms === d.scheduled_ms && e.jitter_ms === d.jitter_ms && e.delay_ms !== d.delay_ms)],
];
for (const [what, holds] of traps) if (!delays.some(holds)) throw new Error(`no case shows: ${what}`);

// --- Cap cases ---------------------------------------------------------------------------------------

const capped: Capped[] = [];
for (const [id, ms, jitter] of [
  ['job-1', 4_102_444_800_000, 60_000],
  ['parity-cron-日次', 1_795_341_600_000, DAY_MS],
  ['ジョブ🕐', -1, 1_000],
  ['01JD3Z6Q8K4Y7V2N5M9P0R1S2T', 0, 999_983],
] as const) {
  const d = delayCase(id, ms, jitter).delay_ms;
  if (d < 2) throw new Error(`${id} ${ms} ${jitter}: pick an instant with a delay of 2 or more`);
  capped.push(cappedCase(id, ms, jitter, ms + d + 1)); // the largest delay that stays before next: not capped
  capped.push(cappedCase(id, ms, jitter, ms + d + 2)); // not capped
  capped.push(cappedCase(id, ms, jitter, ms + d)); // capped to d - 1
  capped.push(cappedCase(id, ms, jitter, ms + 1)); // next 1 ms later: the fire falls due at its instant
  capped.push(cappedCase(id, ms, jitter, ms + Math.floor(d / 2))); // capped
}
// An interval of 1 s with a jitter of 1 day: every delay is capped to 999 ms unless it is smaller.
for (let i = 0; i < 5; i++) capped.push(cappedCase('interval-1s', 4_102_444_800_000 + i * 1_000, DAY_MS, 4_102_444_800_000 + (i + 1) * 1_000));
// A cron schedule's next match 1 minute later, jitter 1 hour.
for (const id of IDS.slice(0, 4)) capped.push(cappedCase(id, 1_795_341_600_000, 3_600_000, 1_795_341_660_000));
if (!capped.some((c) => c.due_ms - c.scheduled_ms < c.delay_ms) || !capped.some((c) => c.due_ms - c.scheduled_ms === c.delay_ms)) {
  throw new Error('the cap cases must hold capped and uncapped delays');
}

// --- Retry backoff -----------------------------------------------------------------------------------

function backoff(description: string, initialMs: number, maxMs: number, multiplier: number, k: number): Backoff {
  const waits = [initialMs];
  // w(n+1) = min(floor(w(n) x multiplier), maximum), the product a double.
  while (waits.length < k) waits.push(Math.min(Math.floor(waits[waits.length - 1]! * multiplier), maxMs));
  return { description, initial_ms: initialMs, max_ms: maxMs, multiplier, waits_ms: waits };
}

const backoffs: Backoff[] = [
  backoff('the default, min(2^(n-1) s, 60 s)', 1_000, 60_000, 2, 10),
  backoff('multiplier 3', 500, 4_000, 3, 6),
  backoff('the widest range: 1 ms growing tenfold to 1 day', 1, DAY_MS, 10, 10),
  backoff('multiplier 1.1: 1000 x 1.1 is 1100.0000000000002 as a double', 1_000, 60_000, 1.1, 50),
  backoff('multiplier 1.5 from 7 ms', 7, 100, 1.5, 10),
  backoff('multiplier 1.15: 100 x 1.15 is 114.99999999999999 as a double, so w(2) is 114, not 115', 100, 100_000, 1.15, 12),
  backoff('multiplier 1: every wait is the initial one', 250, 1_000, 1, 5),
  backoff('initial equal to maximum', 3_600_000, 3_600_000, 2, 4),
];
// Check the traps that make a case worth having.
if (backoffs[5]!.waits_ms[1] !== 114) throw new Error('1.15 trap lost');
if (backoffs[3]!.waits_ms[backoffs[3]!.waits_ms.length - 1] !== 60_000) throw new Error('1.1 should reach its maximum');

// --- Write -------------------------------------------------------------------------------------------

const lines = (items: unknown[]) => items.map((i) => `    ${JSON.stringify(i)}`).join(',\n');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'delays.json'),
  `{
  "description": "Jitter delays of k1s0.system.scheduler.v2 (scheduler.proto, \\"Schedule policies\\", Jitter; see README.md in proto/testdata): delays[] give delay_ms = H mod jitter_ms before the cap, H being the first 8 bytes, unsigned big-endian, of SHA-256 of the UTF-8 text job_id + \\"\\\\n\\" + scheduled_ms in decimal (hash_u64 is H in decimal); capped[] add the next scheduled instant and due_ms = scheduled_ms + min(delay_ms, next_scheduled_ms - scheduled_ms - 1).",
  "delays": [
${lines(delays)}
  ],
  "capped": [
${lines(capped)}
  ]
}
`,
);
writeFileSync(
  join(out, 'backoff.json'),
  `{
  "description": "Retry waits of k1s0.system.scheduler.v2 (scheduler.proto, \\"Schedule policies\\", Retry backoff): waits_ms[n-1] is w(n), the wait before retry n: w(1) = initial_ms, w(n+1) = min(floor(w(n) x multiplier), max_ms), the product in IEEE 754 double precision.",
  "backoffs": [
${lines(backoffs)}
  ]
}
`,
);
process.stdout.write(`wrote ${delays.length} delays and ${capped.length} capped cases to ${join(out, 'delays.json')}, ${backoffs.length} backoffs to ${join(out, 'backoff.json')}\n`);
