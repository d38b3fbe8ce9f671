// The limits every language must compute alike (proto: "Validation", "Payload size and depth",
// "Errors"): the payload vectors of proto/testdata/limits, checked here and by the Python, Go and
// Rust adapters of the parity kit; the time zone list; the white space of "blank"; and the order of
// errors on the reference server when the wire conversion and validation both find bad fields.
//
// The Python, Go and Rust programs come from `bash conformance/setup.sh`; without it they are skipped
// locally and fail under CI=true.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/index.js';
import { LIMITS } from '../src/limits.js';
import { startSchedulerServer, type SchedulerServer } from '../src/testing.js';
import { timeZoneNames } from '../src/time-zones.js';
import { PayloadSchema, isBlank, isIanaTimeZone, protoFieldPath, validateJobRequest } from '../src/validation.js';
import { GO_BIN, PYTHON, ROOT, RUST_BIN, RUST_TOOLS, cargoBuild, goBuild, requireTools, run, skipWithout, type Tool } from './support/conformance-tools.js';
import { rawClient } from './support/raw-client.js';

const VECTORS = join(ROOT, 'proto/testdata/limits/payloads.json');
const ZONES = join(ROOT, 'proto/testdata/limits/time_zones.txt');

interface PayloadCase {
  name: string;
  payload?: unknown;
  build?: unknown;
  canonical?: string;
  bytes: number;
  depth: number;
  accepted: boolean;
}
const doc = JSON.parse(readFileSync(VECTORS, 'utf8')) as { limits: { max_bytes: number; max_depth: number }; cases: PayloadCase[] };

/** A "build" spec of payloads.json: a payload too large, or too exact, to write out (see its README). */
interface BuildSpec {
  number?: string;
  string?: { repeat: string; count: number; suffix?: string };
  nested_arrays?: { depth: number; inner: unknown };
  nested_objects?: { depth: number; key: string; inner: unknown };
  object?: { key: string; value: unknown };
  array?: { repeat: unknown; count: number; suffix?: unknown[] };
}

// Expands a "build" spec; anything else is itself.
function build(spec: unknown): unknown {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return spec;
  const b = spec as BuildSpec;
  if (b.number !== undefined) return Number(b.number);
  if (b.string) return b.string.repeat.repeat(b.string.count) + (b.string.suffix ?? '');
  if (b.nested_arrays) {
    let value = build(b.nested_arrays.inner);
    for (let i = 0; i < b.nested_arrays.depth; i++) value = [value];
    return value;
  }
  if (b.nested_objects) {
    let value = build(b.nested_objects.inner);
    for (let i = 0; i < b.nested_objects.depth; i++) value = { [b.nested_objects.key]: value };
    return value;
  }
  if (b.object) return { [b.object.key]: build(b.object.value) };
  if (b.array) {
    const { repeat, count, suffix = [] } = b.array;
    return [...Array.from({ length: count }, () => build(repeat)), ...suffix.map(build)];
  }
  return spec;
}

const payloadOf = (c: PayloadCase): unknown => ('payload' in c ? c.payload : build(c.build));

function depth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const items = Array.isArray(value) ? value : Object.values(value);
  return 1 + items.reduce<number>((deepest, item) => Math.max(deepest, depth(item)), 0);
}

describe('payload size and depth (proto/testdata/limits/payloads.json)', () => {
  it('states the limits of LIMITS, and covers both sides of each boundary', () => {
    expect(doc.limits).toEqual({ max_bytes: LIMITS.payloadMaxBytes, max_depth: LIMITS.payloadMaxDepth });
    const sizes = new Set(doc.cases.map((c) => c.bytes));
    expect(sizes.has(1_048_576) && sizes.has(1_048_577)).toBe(true);
    const depths = new Set(doc.cases.map((c) => c.depth));
    expect(depths.has(32) && depths.has(33)).toBe(true);
    expect(doc.cases.length).toBeGreaterThanOrEqual(50);
  });

  for (const c of doc.cases) {
    it(`${c.name}: ${c.bytes} bytes, depth ${c.depth}, ${c.accepted ? 'accepted' : 'refused'}`, () => {
      const value = payloadOf(c);
      const text = JSON.stringify(value);
      if (c.canonical !== undefined) expect(text).toBe(c.canonical);
      expect(Buffer.byteLength(text, 'utf8')).toBe(c.bytes);
      expect(depth(value)).toBe(c.depth);
      const result = PayloadSchema.safeParse(value);
      expect(result.success).toBe(c.accepted);
      if (!c.accepted) {
        const limit = c.depth > LIMITS.payloadMaxDepth ? `at most ${LIMITS.payloadMaxDepth} levels` : `at most ${LIMITS.payloadMaxBytes} bytes`;
        const error = (() => {
          try {
            validateJobRequest({ name: 'p', schedule: { type: 'interval', intervalMs: 1000 }, payload: value }, { operation: 'createJob' });
          } catch (e) {
            return e as { field?: string; limit?: string };
          }
          throw new Error('accepted');
        })();
        expect(error.limit).toBe(limit);
        expect(error.field?.startsWith('payload')).toBe(true);
      }
    });
  }
});

const PYTHON_TOOL: Tool[] = [[PYTHON, 'the Python venv conformance/.venv']];
const GO_TOOL: Tool[] = [['go', 'go on PATH']];

/** The lines a checker prints, as { name: [bytes, depth, accepted] }. */
function verdicts(stdout: string): Record<string, [number, number, boolean]> {
  const out: Record<string, [number, number, boolean]> = {};
  for (const line of stdout.trim().split('\n')) {
    const v = JSON.parse(line) as { name: string; bytes: number; depth: number; accepted: boolean };
    out[v.name] = [v.bytes, v.depth, v.accepted];
  }
  return out;
}
const expected = Object.fromEntries(doc.cases.map((c) => [c.name, [c.bytes, c.depth, c.accepted]]));

describe.skipIf(skipWithout('payload limits (Python)', PYTHON_TOOL))('payload size and depth in Python', () => {
  it('conformance/python/payload_limits.py computes every size, depth and verdict of the vectors', async () => {
    requireTools('payload limits (Python)', PYTHON_TOOL);
    const out = await run(PYTHON, ['conformance/python/payload_limits.py', VECTORS]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(verdicts(out.stdout)).toEqual(expected);
  });
});

describe.skipIf(skipWithout('payload limits (Go)', GO_TOOL))('payload size and depth in Go', () => {
  it('conformance/go/payloadlimits computes every size, depth and verdict of the vectors', async () => {
    requireTools('payload limits (Go)', GO_TOOL);
    await goBuild('./payloadlimits');
    const out = await run(join(GO_BIN, 'payloadlimits'), [VECTORS]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(verdicts(out.stdout)).toEqual(expected);
  }, 180_000);
});

describe.skipIf(skipWithout('payload limits (Rust)', RUST_TOOLS))('payload size and depth in Rust', () => {
  const RUST = join(RUST_BIN, 'payload_limits');
  beforeAll(async () => {
    requireTools('payload limits (Rust)', RUST_TOOLS);
    await cargoBuild('payload_limits');
  }, 600_000);

  it('conformance/rust payload_limits computes every size, depth and verdict of the vectors', async () => {
    const out = await run(RUST, [VECTORS]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(verdicts(out.stdout)).toEqual(expected);
  });

  it('reports the cases whose size, depth or canonical text do not match', async () => {
    // A copy with one size, one depth and one canonical text broken on purpose.
    const dir = mkdtempSync(join(tmpdir(), 'k1s0-limits-'));
    const file = join(dir, 'payloads.json');
    const broken = structuredClone(doc);
    const edit = (name: string, change: (c: PayloadCase) => void) => change(broken.cases.find((c) => c.name === name)!);
    edit('ASCII string', (c) => (c.bytes += 1));
    edit('[[1]], depth 2', (c) => (c.depth = 3));
    // The same size and depth, another text: only the comparison of the text finds it.
    edit('0.1', (c) => (c.canonical = '0.2'));
    writeFileSync(file, JSON.stringify(broken));
    const out = await run(RUST, [file]).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(out.code).toBe(1);
    expect(out.stderr.trim().split('\n')).toEqual([
      'MISMATCH 0.1: got 3 bytes, depth 0, accepted true, text "0.1"; expected 3, 0, true',
      'MISMATCH ASCII string: got 7 bytes, depth 0, accepted true, text "\\"hello\\""; expected 8, 0, true',
      'MISMATCH [[1]], depth 2: got 5 bytes, depth 2, accepted true, text "[[1]]"; expected 5, 3, true',
    ]);
    expect(Object.keys(verdicts(out.stdout))).toHaveLength(doc.cases.length);
  });
});

describe('time zones: exact tz database names', () => {
  const listed = readFileSync(ZONES, 'utf8').split('\n').filter((line) => line !== '');

  it('the list in proto/testdata/limits/time_zones.txt is the one the package checks against', () => {
    expect([...timeZoneNames()].sort()).toEqual(listed);
    expect(listed.length).toBe(597);
    expect(listed).toEqual([...listed].sort());
  });

  it('accepts every listed name, links included, and refuses it in any other case', () => {
    for (const tz of listed) expect(isIanaTimeZone(tz), tz).toBe(true);
    for (const tz of ['Asia/Calcutta', 'US/Eastern', 'Europe/Kiev', 'Etc/GMT+5', 'GMT', 'UTC', 'Zulu']) expect(isIanaTimeZone(tz), tz).toBe(true);
    const lower = new Set(listed.map((tz) => tz.toLowerCase()));
    for (const tz of listed) {
      for (const variant of [tz.toLowerCase(), tz.toUpperCase()]) {
        if (!listed.includes(variant)) expect(isIanaTimeZone(variant), variant).toBe(false);
      }
    }
    expect(lower.size).toBe(listed.length); // no two names differ in case only
  });

  it('refuses what Intl would take but the database does not list', () => {
    for (const tz of ['europe/berlin', 'Factory', 'US/Pacific-New', 'Canada/East-Saskatchewan', '+09:00', 'UTC+1', '', ' UTC', 'UTC ']) {
      expect(isIanaTimeZone(tz), JSON.stringify(tz)).toBe(false);
    }
  });
});

describe('blank: the 25 code points of Unicode White_Space', () => {
  const WHITE_SPACE = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000];

  it('lists 25 code points, the same as the engine\'s \\p{White_Space}', () => {
    expect(WHITE_SPACE.length).toBe(25);
    const byProperty: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) if (/^\p{White_Space}$/u.test(String.fromCodePoint(cp))) byProperty.push(cp);
    expect(byProperty).toEqual(WHITE_SPACE);
  });

  it('calls a string blank exactly when every code point is one of them', () => {
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const blank = isBlank(String.fromCodePoint(cp));
      if (blank !== WHITE_SPACE.includes(cp)) throw new Error(`U+${cp.toString(16).toUpperCase()}: isBlank ${blank}`);
    }
    expect(isBlank(String.fromCodePoint(...WHITE_SPACE))).toBe(true);
    // Not trim()'s set: U+FEFF is not white space, U+0085 is.
    expect(isBlank('\uFEFF')).toBe(false);
    expect(isBlank('\u0085')).toBe(true);
    expect(isBlank('\u200B')).toBe(false);
    expect(isBlank('\u001C')).toBe(false);
    expect(isBlank(' a ')).toBe(false);
  });
});

describe('ErrorInfo field paths', () => {
  it('are proto field paths, with a JSON Pointer inside the payload', () => {
    const cases: [PropertyKey[], string][] = [
      [['name'], 'name'],
      [['schedule'], 'schedule'],
      [['schedule', 'type'], 'schedule'],
      [['schedule', 'runAt'], 'schedule.one_shot.run_at'],
      [['schedule', 'intervalMs'], 'schedule.interval.every'],
      [['schedule', 'expression'], 'schedule.cron.expression'],
      [['schedule', 'timezone'], 'schedule.cron.timezone'],
      [['maxRetries'], 'max_retries'],
      [['timeoutSecs'], 'timeout_secs'],
      [['requestId'], 'request_id'],
      [['namePrefix'], 'name_prefix'],
      [['payload'], 'payload'],
      [['payload', 'items', 0, 'name'], 'payload/items/0/name'],
      [['payload', 'a/b', '~c', ''], 'payload/a~1b/~0c/'],
      [['payload', '~1'], 'payload/~01'],
      [['policy'], 'policy'],
      [['policy', 'overlap'], 'policy.overlap'],
      [['policy', 'catchupWindowMs'], 'policy.catchup_window'],
      [['policy', 'startAt'], 'policy.start_at'],
      [['policy', 'endAt'], 'policy.end_at'],
      [['policy', 'maxRuns'], 'policy.max_runs'],
      [['policy', 'jitterMs'], 'policy.jitter'],
      [['policy', 'retryBackoff'], 'policy.retry_backoff'],
      [['policy', 'retryBackoff', 'initialMs'], 'policy.retry_backoff.initial'],
      [['policy', 'retryBackoff', 'maxMs'], 'policy.retry_backoff.maximum'],
      [['policy', 'retryBackoff', 'multiplier'], 'policy.retry_backoff.multiplier'],
      [['policy', 'pauseOnFailure'], 'policy.pause_on_failure'],
      [['spec', 'policy', 'jitterMs'], 'spec.policy.jitter'],
      [['spec', 'policy', 'retryBackoff', 'maxMs'], 'spec.policy.retry_backoff.maximum'],
    ];
    for (const [path, field] of cases) expect(protoFieldPath(path), path.join(' ')).toBe(field);
  });
});

describe('reference server: the first bad field in field-number order, whichever check finds it', () => {
  let server: SchedulerServer;
  let raw: ReturnType<typeof rawClient>;
  const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
  beforeAll(async () => {
    server = await startSchedulerServer({ clock: new VirtualClock(NOW) });
    raw = rawClient(server.address);
  });
  afterAll(async () => {
    raw.close();
    await server.close();
  });

  const interval = (seconds: number, nanos = 0) => ({ interval: { every: { seconds: String(seconds), nanos } } });
  const nan = { numberValue: Number.NaN };
  const pastRunAt = { oneShot: { runAt: { seconds: String(NOW / 1000 - 3600), nanos: 0 } } };
  const timestampRange = '0001-01-01T00:00:00Z..9999-12-31T23:59:59.999Z';
  const intervalRange = '1000..3155760000000 ms';
  const cases: [string, object, string, string, string][] = [
    ['empty name and a NaN payload', { name: '', schedule: interval(60), payload: nan }, 'INVALID_ARGUMENT', 'name', '1..128 code points'],
    ['blank name and a schedule with no kind', { name: '\u3000', schedule: {}, payload: nan }, 'INVALID_ARGUMENT', 'name', 'not blank'],
    ['a schedule with no kind and a NaN payload', { name: 'n', schedule: {}, payload: nan }, 'INVALID_SCHEDULE', 'schedule', 'one of cron, one_shot, interval'],
    ['interval under 1 s and a NaN payload', { name: 'n', schedule: interval(0, 5_000_000), payload: nan }, 'INVALID_SCHEDULE', 'schedule.interval.every', intervalRange],
    ['run_at after 9999 and a NaN payload', { name: 'n', schedule: { oneShot: { runAt: { seconds: '253402300800', nanos: 0 } } }, payload: nan }, 'INVALID_SCHEDULE', 'schedule.one_shot.run_at', timestampRange],
    ['run_at in the past and a NaN payload', { name: 'n', schedule: pastRunAt, payload: nan }, 'INVALID_SCHEDULE', 'schedule.one_shot.run_at', 'at most 1 s in the past'],
    ['run_at in the past and max_retries 101', { name: 'n', schedule: pastRunAt, maxRetries: 101 }, 'INVALID_SCHEDULE', 'schedule.one_shot.run_at', 'at most 1 s in the past'],
    ['interval of the largest Duration', { name: 'n', schedule: interval(315_576_000_000), payload: null }, 'INVALID_SCHEDULE', 'schedule.interval.every', intervalRange],
    ['a NaN deep in the payload and timeout_secs 0', { name: 'n', schedule: interval(60), payload: { structValue: { fields: { 'a/b': { listValue: { values: [{ boolValue: true }, nan] } } } } }, timeoutSecs: 0 }, 'INVALID_ARGUMENT', 'payload/a~1b/1', 'a finite number'],
    ['a NaN payload and timeout_secs 0', { name: 'n', schedule: interval(60), payload: nan, timeoutSecs: 0 }, 'INVALID_ARGUMENT', 'payload', 'a finite number'],
    ['a __proto__ key and timeout_secs 0', { name: 'n', schedule: interval(60), payload: { structValue: { fields: { a: { structValue: { fields: JSON.parse('{"__proto__":{"boolValue":true}}') as object } } } } }, timeoutSecs: 0 }, 'INVALID_ARGUMENT', 'payload/a', 'no "__proto__" keys'],
    ['a time zone in the wrong case and a NaN payload', { name: 'n', schedule: { cron: { expression: '0 9 * * *', timezone: 'europe/berlin' } }, payload: nan }, 'INVALID_SCHEDULE', 'schedule.cron.timezone', 'an IANA time zone name'],
    ['labels with a bad key and a jitter of a fraction of a millisecond', { name: 'n', schedule: interval(60), labels: { Team: 'x' }, policy: { jitter: { seconds: '0', nanos: 1 } } }, 'INVALID_ARGUMENT', 'labels', 'a label key'],
    ['a jitter of a fraction of a millisecond', { name: 'n', schedule: interval(60), policy: { jitter: { seconds: '1', nanos: 500_000 } } }, 'INVALID_ARGUMENT', 'policy.jitter', 'a whole number of milliseconds'],
    ['a catch-up window under 1 s and a jitter that cannot be converted', { name: 'n', schedule: interval(60), policy: { catchupWindow: { seconds: '0', nanos: 999_000_000 }, jitter: { seconds: '-1', nanos: 0 } } }, 'INVALID_ARGUMENT', 'policy.catchup_window', '1000..3155760000000 ms'],
    ['a negative jitter and max_runs -1', { name: 'n', schedule: interval(60), policy: { maxRuns: -1, jitter: { seconds: '-1', nanos: 0 } } }, 'INVALID_ARGUMENT', 'policy.max_runs', '0..1000000000'],
    ['an overlap policy not listed and a bad end_at', { name: 'n', schedule: interval(60), policy: { overlap: 9, endAt: { seconds: '1', nanos: 1 } } }, 'INVALID_ARGUMENT', 'policy.overlap', 'an overlap policy'],
    ['start_at with microseconds', { name: 'n', schedule: interval(60), policy: { startAt: { seconds: String(NOW / 1000), nanos: 1000 } } }, 'INVALID_ARGUMENT', 'policy.start_at', 'a whole number of milliseconds'],
    ['end_at before start_at and a NaN multiplier', { name: 'n', schedule: interval(60), policy: { startAt: { seconds: String(NOW / 1000), nanos: 0 }, endAt: { seconds: String(NOW / 1000 - 1), nanos: 0 }, retryBackoff: { multiplier: Number.NaN } } }, 'INVALID_ARGUMENT', 'policy.end_at', 'no earlier than policy.start_at'],
    ['a retry backoff maximum below initial', { name: 'n', schedule: interval(60), policy: { retryBackoff: { initial: { seconds: '2', nanos: 0 }, maximum: { seconds: '1', nanos: 0 } } } }, 'INVALID_ARGUMENT', 'policy.retry_backoff.maximum', 'no less than policy.retry_backoff.initial'],
    ['a multiplier of 11', { name: 'n', schedule: interval(60), policy: { retryBackoff: { multiplier: 11 } } }, 'INVALID_ARGUMENT', 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
    ['an interval whose first run is after 9999', { name: 'n', schedule: interval(60), payload: null }, 'INVALID_SCHEDULE', 'schedule.interval.every', 'a first run no later than 9999-12-31T23:59:59.999Z'],
  ];
  for (const [what, request, reason, field, limit] of cases) {
    it(`${what}: ${reason} on ${field}`, async () => {
      // Last: the server's clock moves to the last minute of the year 9999.
      if (what === 'an interval whose first run is after 9999') await server.advanceTime(Date.UTC(9999, 11, 31, 23, 59, 30) - server.now().getTime());
      const result = await raw.call('CreateJob', request);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.status?.errorInfo?.reason).toBe(reason);
      expect(result.status?.errorInfo?.metadata).toMatchObject({ operation: 'CreateJob', field, limit });
    });
  }

  it('creates nothing for any of them', async () => {
    const listed = await raw.call('ListJobs', {});
    expect(listed.ok && listed.response.jobs).toEqual([]);
  });
});
