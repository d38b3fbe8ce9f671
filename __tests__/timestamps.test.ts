// Timestamps as text, by the proto's "Timestamps" rule: the TypeScript reader and writer against
// proto/testdata/timestamps/rfc3339.json, and the Python, Go and Rust readers of conformance/ against
// the same file (skipped locally without the parity tools, failing under CI=true).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp, readTimestamp, timestampFromMillis, timestampToMillis, exactOf } from '../src/timestamp.js';
import { SchedulerError } from '../src/errors.js';
import { decodeEvent, InvalidEventError } from '../src/kafka/codec.js';
import { startSchedulerServer } from '../src/testing.js';
import { scheduleFromWire, WireFormatError } from '../src/wire/convert.js';
import { rawClient } from './support/raw-client.js';
import { GO_BIN, PYTHON, ROOT, RUST_BIN, RUST_TOOLS, cargoBuild, cargoTest, goBuild, requireTools, run, skipWithout, type Tool } from './support/conformance-tools.js';

const FILE = join(ROOT, 'proto/testdata/timestamps/rfc3339.json');
interface Vectors {
  valid: { text: string; seconds: number; nanos: number; utc: string }[];
  invalid: { text: string; why: string }[];
}
const vectors = JSON.parse(readFileSync(FILE, 'utf8')) as Vectors;

describe('timestamps as text (proto/testdata/timestamps/rfc3339.json)', () => {
  it('covers 0 to 9 fraction digits, offsets, the range ends, leap days and every kind of refusal', () => {
    expect(vectors.valid.length).toBeGreaterThanOrEqual(40);
    expect(vectors.invalid.length).toBeGreaterThanOrEqual(40);
    const digits = new Set(vectors.valid.map((v) => /(?:\.(\d+))?(?:Z|[+-]\d\d:\d\d)$/.exec(v.text)![1]?.length ?? 0));
    expect([...digits].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const text of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999999999Z']) expect(vectors.valid.map((v) => v.text)).toContain(text);
    for (const text of ['2026-02-30T00:00:00Z', '2025-02-29T00:00:00Z', '2026-01-01T24:00:00Z', '2016-12-31T23:59:60Z', '2026-11-22 10:00:00Z']) {
      expect(vectors.invalid.map((v) => v.text)).toContain(text);
    }
  });

  it('TypeScript reads every valid text exactly and writes it back as its utc text', () => {
    const wrong = vectors.valid.filter((v) => {
      const t = readTimestamp(v.text);
      return typeof t === 'string' || t.seconds !== v.seconds || t.nanos !== v.nanos || formatTimestamp(t) !== v.utc;
    });
    expect(wrong).toEqual([]);
    // The written text is itself valid and reads back to the same value.
    for (const v of vectors.valid) expect(parseTimestamp(v.utc)).toEqual({ seconds: v.seconds, nanos: v.nanos });
  });

  it('TypeScript refuses every invalid text, saying why', () => {
    expect(vectors.invalid.filter((v) => typeof readTimestamp(v.text) !== 'string')).toEqual([]);
    expect(() => parseTimestamp('2026-02-30T00:00:00Z')).toThrow(/"2026-02-30T00:00:00Z" has day 30, but 2026-02 has days 01 to 28/);
    let thrown: unknown;
    try {
      parseTimestamp('2026-01-01T24:00:00Z');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SchedulerError);
    expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT', limit: 'YYYY-MM-DDTHH:MM:SS[.fraction of 1 to 9 digits](Z|+HH:MM|-HH:MM)' });
  });

  it('writes a millisecond value exactly as Date.toISOString() does, across the whole range', () => {
    const wrong: string[] = [];
    let checked = 0;
    const step = 86_400_000 * 97 + 3_600_000 * 7 + 60_001;
    for (let ms = Date.parse('0001-01-01T00:00:00.000Z'); ms <= Date.parse('9999-12-31T23:59:59.999Z'); ms += step) {
      const t = timestampFromMillis(ms);
      if (formatTimestamp(t) !== new Date(ms).toISOString() || timestampToMillis(t) !== ms) wrong.push(new Date(ms).toISOString());
      checked++;
    }
    expect(checked).toBeGreaterThan(30_000);
    expect(wrong).toEqual([]);
    expect(formatTimestamp({ seconds: 0, nanos: 0 }, 0)).toBe('1970-01-01T00:00:00Z');
    expect(formatTimestamp({ seconds: -1, nanos: 999_999_999 })).toBe('1969-12-31T23:59:59.999999999Z');
  });

  it('exactOf takes an exact value that agrees with its Date, and refuses one that does not', () => {
    const date = new Date('2026-11-22T10:00:00.123Z');
    expect(exactOf(date, undefined, 'completedAtExact')).toEqual({ seconds: date.getTime() / 1000 - 0.123, nanos: 123_000_000 });
    expect(exactOf(date, { seconds: 1795341600, nanos: 123_999_999 }, 'completedAtExact')).toEqual({ seconds: 1795341600, nanos: 123_999_999 });
    for (const exact of [
      { seconds: 1795341600, nanos: 124_000_000 },
      { seconds: 1795341601, nanos: 123_000_000 },
      { seconds: 1795341600, nanos: 1_000_000_000 },
      { seconds: 1795341600, nanos: -1 },
      { seconds: 1795341600.5, nanos: 0 },
    ]) {
      expect(() => exactOf(date, exact, 'completedAtExact'), JSON.stringify(exact)).toThrow(SchedulerError);
    }
  });
});

describe('one-shot run_at is whole milliseconds: a finer one is refused, never cut', () => {
  it('scheduleFromWire refuses nanos that are not a multiple of 1,000,000, naming schedule.one_shot.run_at', () => {
    const at = (nanos: number) => scheduleFromWire({ kind: 'oneShot', oneShot: { runAt: { seconds: '1795341600', nanos } } } as never);
    expect(at(250_000_000)).toEqual({ type: 'one_shot', runAt: new Date('2026-11-22T10:00:00.250Z') });
    for (const nanos of [1, 999_999, 250_000_001]) {
      expect(() => at(nanos)).toThrow(WireFormatError);
      expect(() => at(nanos)).toThrow(`schedule.one_shot.run_at must be a whole number of milliseconds, got nanos ${nanos}`);
    }
  });

  it('the reference server answers INVALID_SCHEDULE with field schedule.one_shot.run_at', async () => {
    const server = await startSchedulerServer();
    const raw = rawClient(server.address);
    try {
      const seconds = String(Math.floor(Date.now() / 1000) + 3600);
      const r = await raw.call('CreateJob', { name: 'finer', schedule: { oneShot: { runAt: { seconds, nanos: 1 } } } });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.code).toBe(3);
      expect(r.details).toBe('CreateJob: schedule.one_shot.run_at must be a whole number of milliseconds, got nanos 1');
      expect(r.status?.errorInfo).toMatchObject({ reason: 'INVALID_SCHEDULE', metadata: { field: 'schedule.one_shot.run_at', operation: 'CreateJob' } });
    } finally {
      raw.close();
      await server.close({ graceMs: 100 });
    }
  });
});

const TOOLS: Tool[] = [
  [PYTHON, 'the Python venv conformance/.venv'],
  ['go', 'the go command'],
];
const skip = skipWithout('timestamps parity', TOOLS);
// The Rust reader needs cargo and the build that setup.sh made; without them only the Rust cases skip.
const skipRust = skipWithout('timestamps parity (Rust)', RUST_TOOLS);

describe.skipIf(skip && skipRust)('timestamps as text: Python, Go and Rust read the vectors as TypeScript does', () => {
  // A copy with one valid case given a wrong value and one invalid case moved to the valid ones, to
  // prove that the checkers can fail.
  const tamperedDir = mkdtempSync(join(tmpdir(), 'k1s0-timestamps-'));
  const tampered = join(tamperedDir, 'rfc3339.json');
  const copy = structuredClone(vectors);
  copy.valid[1]!.nanos += 1;
  copy.valid.push({ text: '2026-02-30T00:00:00Z', seconds: 1_772_409_600, nanos: 0, utc: '2026-03-02T00:00:00.000Z' });
  writeFileSync(tampered, JSON.stringify(copy));
  afterAll(() => rmSync(tamperedDir, { recursive: true, force: true }));

  const checkers: [string, Tool[], boolean, () => Promise<[string, string[]]>][] = [
    ['Python', TOOLS, skip, async () => [PYTHON, ['conformance/python/timestamps.py']]],
    [
      'Go',
      TOOLS,
      skip,
      async () => {
        await goBuild('./timestamps');
        return [join(GO_BIN, 'timestamps'), []];
      },
    ],
    [
      'Rust',
      RUST_TOOLS,
      skipRust,
      async () => {
        await cargoBuild('timestamps');
        return [join(RUST_BIN, 'timestamps'), []];
      },
    ],
  ];
  for (const [language, tools, skipLanguage, command] of checkers) {
    it.skipIf(skipLanguage)(`${language} reads every valid text exactly, writes its utc text, and refuses every invalid text`, async () => {
      requireTools('timestamps parity', tools);
      const [cmd, args] = await command();
      const { code, stdout, stderr } = await run(cmd, args);
      expect(code, `${stdout}${stderr}`).toBe(0);
      const total = vectors.valid.length + vectors.invalid.length;
      expect(stdout.split('\n').filter((l) => l.startsWith('ok   ')).length).toBe(total);
      expect(stdout).toContain(`${total} case(s), 0 failed`);
    }, 180_000);

    it.skipIf(skipLanguage)(`${language} reports the cases that do not match`, async () => {
      requireTools('timestamps parity', tools);
      const [cmd, args] = await command();
      const { code, stdout } = await run(cmd, [...args, tampered]);
      expect(code, stdout).toBe(1);
      const failures = stdout.split('\n').filter((l) => l.startsWith('FAIL '));
      expect(failures.length, stdout).toBe(2);
      expect(failures[0]).toMatch(new RegExp(`^FAIL valid "${copy.valid[1]!.text.replace(/[.+]/g, '\\$&')}": read as`));
      expect(failures[1]).toMatch(/^FAIL valid "2026-02-30T00:00:00Z": refused/);
      expect(stdout).toContain(`${copy.valid.length + copy.invalid.length} case(s), 2 failed`);
    }, 180_000);
  }

  // The Rust adapter's reason, kept true: chrono's and prost-types' own readers accept texts that the
  // rule refuses (lower-case t and z, a space, 10 fraction digits, a leap second, year 0000, ...).
  it.skipIf(skipRust)('Rust: chrono and prost-types alone accept more than the rule, and the rfc3339 adapter refuses it', async () => {
    requireTools('timestamps parity', RUST_TOOLS);
    expect(await cargoTest('--lib', 'rfc3339::')).toBe(3);
  }, 600_000);
});

describe.skipIf(skipWithout('foreign producer', [TOOLS[0]!]))('the Python foreign producer (conformance/python/produce_events.py --dry-run)', () => {
  it('writes messages that decodeEvent reads exactly as announced, and refuses each one announced as null', async () => {
    requireTools('foreign producer', [TOOLS[0]!]);
    const { code, stdout, stderr } = await run(PYTHON, ['conformance/python/produce_events.py', '--dry-run']);
    expect(code, stderr).toBe(0);
    type Line = { what: string; key: string; headers: Record<string, string>; value: string | null; value_base64: string; expected: Record<string, unknown> | null };
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines.filter((l) => l.expected === null).map((l) => l.what)).toEqual([
      'invalid: not well-formed UTF-8 (job_id ends in the bytes 6f 6b c3), never read with U+FFFD',
      'invalid: 30 February does not exist, never rolled over into March',
      'invalid: hour 24',
      'invalid: a lone surrogate in execution_id',
      'invalid: an unknown result ("timeout")',
    ]);
    for (const { what, key, headers, value, value_base64, expected } of lines) {
      const bytes = Buffer.from(value_base64, 'base64');
      if (value !== null) expect(bytes.toString('utf8'), what).toBe(value);
      if (expected === null) {
        expect(() => decodeEvent(bytes, headers), what).toThrow(InvalidEventError);
        continue;
      }
      const e = decodeEvent(bytes, headers);
      const got = { jobId: e.jobId, executionId: e.executionId, completedAt: formatTimestamp(e.completedAtExact!), result: e.result, error: e.error ?? null, attempt: e.attempt ?? null };
      expect(got, what).toEqual(expected);
      expect(key).toBe(e.jobId);
    }
    // The 6- and 9-digit cases keep every digit.
    const announced = lines.map((l) => l.expected?.completedAt);
    expect(announced).toContain('2026-11-22T10:00:02.123999Z');
    expect(announced).toContain('2026-11-22T10:00:03.987654321Z');
  });
});
