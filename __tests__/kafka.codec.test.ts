// The Kafka event codec without a broker: the fast path of decodeEvent must give exactly what the
// zod schema gives, and reject what it rejects.
import { describe, expect, it } from 'vitest';
import { jobCompletedEventJsonSchema, decodeEvent, encodeEvent, eventToSnakeJson, InvalidEventError, DECOMPRESSION_ERROR_HEADER } from '../src/kafka/codec.js';
import { SchedulerError, type JobCompletedEvent } from '../src/index.js';

const base = { job_id: 'job-1', execution_id: 'exec-1', completed_at: '2026-11-22T10:00:00.000Z', result: 'succeeded' };
const bytes = (json: unknown) => Buffer.from(JSON.stringify(json), 'utf8');

/** The decoder's answer and the schema's answer for the same JSON, as comparable values. */
function both(json: unknown): { fast: unknown; schema: unknown } {
  let fast: unknown;
  try {
    fast = decodeEvent(bytes(json), { 'content-type': Buffer.from('application/json') });
  } catch (error) {
    fast = `rejected: ${(error as Error).message}`;
  }
  const parsed = jobCompletedEventJsonSchema().safeParse(json);
  const schema = parsed.success ? parsed.data : `rejected: invalid JobCompletedEvent: ${parsed.error.issues.map((i) => i.message).join('; ')}`;
  return { fast, schema };
}

describe('decodeEvent', () => {
  const variants: [string, unknown][] = [
    ['snake_case', base],
    ['proto3 JSON names', { jobId: 'job-1', executionId: 'exec-1', completedAt: '2026-11-22T10:00:00Z', result: 'EXECUTION_RESULT_FAILED' }],
    ['snake wins over camel', { ...base, jobId: 'other' }],
    ['numeric result', { ...base, result: 3 }],
    ['numeric string result', { ...base, result: '4' }],
    ['error and attempt', { ...base, result: 'failed', error: 'boom', attempt: 2 }],
    ['attempt as a string', { ...base, attempt: '7' }],
    ['attempt 0 is dropped', { ...base, attempt: 0 }],
    ['null error and attempt', { ...base, error: null, attempt: null }],
    ['empty error', { ...base, error: '' }],
    ['unknown fields', { ...base, extra: { deep: [1, 2] } }],
    ['offset timestamp', { ...base, completed_at: '2026-11-22T12:00:00.123456789+02:00' }],
    ['6 fraction digits', { ...base, completed_at: '2026-11-22T10:00:00.000001Z' }],
    ['day 31', { ...base, completed_at: '2026-12-31T23:59:59.999Z' }],
    ['29 February', { ...base, completed_at: '2028-02-29T00:00:00.000Z' }],
    ['year 0050', { ...base, completed_at: '0050-06-01T00:00:00.000Z' }],
    ['result alias success', { ...base, result: 'success' }],
    ['result alias FAILURE', { ...base, result: 'FAILURE' }],
    ['result Timed_Out', { ...base, result: 'Timed_Out' }],
    ['result execution_result_succeeded', { ...base, result: 'execution_result_succeeded' }],
    // Rejected, by both:
    ['lower-case t and z', { ...base, completed_at: '2026-11-22t10:00:00.5z' }],
    ['space separator', { ...base, completed_at: '2026-11-22 10:00:00Z' }],
    ['hour 24 (Date.parse accepts it)', { ...base, completed_at: '2026-01-01T24:00:00.000Z' }],
    ['30 February (Date.parse rolls it over)', { ...base, completed_at: '2026-02-30T00:00:00.000Z' }],
    ['29 February of a common year', { ...base, completed_at: '2025-02-29T00:00:00Z' }],
    ['10 fraction digits', { ...base, completed_at: '2026-11-22T10:00:00.1234567890Z' }],
    ['result " success" with a space', { ...base, result: ' success' }],
    ['result ok', { ...base, result: 'ok' }],
    ['result 1 (running)', { ...base, result: 1 }],
    ['result "02"', { ...base, result: '02' }],
    ['result with a non-ASCII letter that folds to s', { ...base, result: '\u017Fuccess' }],
    ['job_id with a lone surrogate', { ...base, job_id: 'job-\ud800' }],
    ['execution_id with a lone low surrogate', { ...base, execution_id: '\udc00exec' }],
    ['error with a lone surrogate', { ...base, result: 'failed', error: 'bad \ud83d' }],
    ['result "constructor"', { ...base, result: 'constructor' }],
    ['result "toString"', { ...base, result: 'toString' }],
    ['result "__proto__"', { ...base, result: '__proto__' }],
    ['result running', { ...base, result: 'running' }],
    ['result a boolean', { ...base, result: true }],
    ['empty job_id', { ...base, job_id: '' }],
    ['numeric job_id', { ...base, job_id: 42 }],
    ['missing execution_id', { job_id: 'j', completed_at: base.completed_at, result: 'succeeded' }],
    ['not a timestamp', { ...base, completed_at: 'yesterday' }],
    ['month 13', { ...base, completed_at: '2026-13-01T00:00:00.000Z' }],
    ['leap second', { ...base, completed_at: '2016-12-31T23:59:60.000Z' }],
    ['negative attempt', { ...base, attempt: -1 }],
    ['fractional attempt', { ...base, attempt: 1.5 }],
    ['error a number', { ...base, error: 5 }],
    ['an array', [base]],
    ['a string', 'event'],
    ['null', null],
  ];
  // The variants from 'lower-case t and z' on are rejected; those before it are read.
  const firstRejected = variants.findIndex(([name]) => name === 'lower-case t and z');
  for (const [i, [name, json]] of variants.entries()) {
    it(`the fast path agrees with the zod schema: ${name}`, () => {
      const { fast, schema } = both(json);
      expect(fast).toEqual(schema);
      const rejected = i >= firstRejected;
      expect(typeof fast === 'string' && fast.startsWith('rejected: '), String(fast)).toBe(rejected);
    });
  }

  it('reads result by the alias table, ASCII case-insensitively', () => {
    const cases: [unknown, string][] = [
      ['succeeded', 'succeeded'],
      ['SUCCEEDED', 'succeeded'],
      ['success', 'succeeded'],
      ['Success', 'succeeded'],
      ['failure', 'failed'],
      ['FAILED', 'failed'],
      ['timed_out', 'timed_out'],
      ['EXECUTION_RESULT_SUCCEEDED', 'succeeded'],
      ['Execution_Result_Failed', 'failed'],
      ['EXECUTION_RESULT_TIMED_OUT', 'timed_out'],
      [2, 'succeeded'],
      ['3', 'failed'],
      [4, 'timed_out'],
    ];
    for (const [result, want] of cases) expect(decodeEvent(bytes({ ...base, result })).result, String(result)).toBe(want);
    for (const result of ['timeout', 'successful', 'EXECUTION_RESULT_RUNNING', 'running', 'EXECUTION_RESULT_UNSPECIFIED', 0, 1, 5, '', 'succeeded\n']) {
      expect(() => decodeEvent(bytes({ ...base, result })), String(result)).toThrow(InvalidEventError);
    }
  });

  it('keeps every fraction digit of completed_at in completedAtExact; the Date holds its milliseconds', () => {
    const e = decodeEvent(bytes({ ...base, completed_at: '2026-11-22T19:00:00.123456789+09:00' }));
    expect(e.completedAtExact).toEqual({ seconds: Date.UTC(2026, 10, 22, 10) / 1000, nanos: 123_456_789 });
    expect(e.completedAt).toEqual(new Date('2026-11-22T10:00:00.123Z'));
    expect(eventToSnakeJson(e)).toContain('"completed_at":"2026-11-22T10:00:00.123456789Z"');
    const micro = decodeEvent(bytes({ ...base, completed_at: '2026-11-22T10:00:00.9999990Z' }));
    expect(micro.completedAtExact).toEqual({ seconds: Date.UTC(2026, 10, 22, 10) / 1000, nanos: 999_999_000 });
    expect(eventToSnakeJson(micro)).toContain('"completed_at":"2026-11-22T10:00:00.999999Z"');
    const proto = decodeEvent(encodeEvent(e, 'protobuf').value, { 'content-type': 'application/x-protobuf' });
    expect(proto).toEqual(e);
  });

  it('refuses timestamps that do not exist instead of rolling them over', () => {
    for (const completed_at of [
      '2026-02-30T00:00:00Z',
      '2025-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:60:00Z',
      '2016-12-31T23:59:60Z',
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:00:00+00:01',
      '9999-12-31T23:59:59-00:01',
      '2026-01-01T00:00:00+24:00',
      '2026-01-01T00:00:00+05:60',
      '2026-01-01T00:00:00.Z',
      '2026-01-01T00:00:00',
      '2026-01-01T00:00Z',
      '2026-1-01T00:00:00Z',
      '+2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00+0900',
      '2026-01-01T00:00:00Z ',
    ]) {
      expect(() => decodeEvent(bytes({ ...base, completed_at })), completed_at).toThrow(/completed_at must be an RFC 3339 timestamp/);
    }
    for (const [completed_at, iso] of [
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
      ['9999-12-31T23:59:59.999999999Z', '9999-12-31T23:59:59.999Z'],
      ['0001-01-01T00:59:00+00:59', '0001-01-01T00:00:00.000Z'],
      ['2026-01-01T00:00:00-00:00', '2026-01-01T00:00:00.000Z'],
      ['2026-01-01T23:59:59-23:59', '2026-01-02T23:58:59.000Z'],
    ]) {
      expect(decodeEvent(bytes({ ...base, completed_at })).completedAt.toISOString(), completed_at).toBe(iso);
    }
  });

  it('refuses a JSON value that is not well-formed UTF-8, never reading it with U+FFFD', () => {
    const good = Buffer.from(JSON.stringify({ ...base, job_id: 'ok' }));
    const at = good.indexOf('"ok"') + 3;
    for (const bad of [[0xc3], [0xff], [0xed, 0xa0, 0x80] /* an encoded surrogate */, [0xc0, 0xaf] /* overlong */]) {
      const value = Buffer.concat([good.subarray(0, at), Buffer.from(bad), good.subarray(at)]);
      expect(() => decodeEvent(value), Buffer.from(bad).toString('hex')).toThrow(/not well-formed UTF-8/);
      expect(() => decodeEvent(value)).toThrow(InvalidEventError);
    }
    // A value ending in the bytes 6f 6b c3 ("ok" and a cut two-byte sequence).
    expect(() => decodeEvent(Buffer.from([...Buffer.from('{"job_id":"'), 0x6f, 0x6b, 0xc3]))).toThrow(/not well-formed UTF-8/);
    // The same bytes in a protobuf event: refused too (never read with U+FFFD).
    const proto = encodeEvent({ jobId: 'okX', executionId: 'e', completedAt: new Date(0), result: 'succeeded' }, 'protobuf');
    const cut = Buffer.from(proto.value);
    cut[cut.indexOf(Buffer.from('okX')) + 2] = 0xc3;
    expect(() => decodeEvent(cut, proto.headers)).toThrow(InvalidEventError);
    expect(() => decodeEvent(cut, proto.headers)).toThrow(/not well-formed UTF-8/);
    // A byte order mark is not JSON text.
    expect(() => decodeEvent(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), good]))).toThrow(/not JSON/);
    expect(decodeEvent(Buffer.from(JSON.stringify({ ...base, job_id: 'ジョブ-🚀' }))).jobId).toBe('ジョブ-🚀');
  });

  it('refuses a lone surrogate anywhere in the value, ignored fields and keys included', () => {
    const raw = (text: string) => Buffer.from(text, 'utf8');
    const good = '"job_id":"j","execution_id":"e","completed_at":"2026-11-22T10:00:00Z","result":"succeeded"';
    for (const text of [`{${good},"trace":"\\udfff"}`, `{${good},"meta":{"\\ud800":1}}`, `{${good},"list":[1,["x\\ud83d"]]}`]) {
      expect(() => decodeEvent(raw(text)), text).toThrow(/a string or key of the value has a lone surrogate/);
    }
    // A pair is one character; an escaped backslash before "ud800" is not an escape.
    for (const text of [`{${good},"trace":"\\ud83d\\ude80"}`, `{${good},"trace":"\\\\ud800"}`, `{${good},"deep":${'['.repeat(5000)}"\\u00e9"${']'.repeat(5000)}}`]) {
      expect(decodeEvent(raw(text)).jobId, text.slice(0, 120)).toBe('j');
    }
  });

  it('refuses to encode an event whose completedAtExact disagrees with completedAt', () => {
    const event: JobCompletedEvent = {
      jobId: 'j',
      executionId: 'e',
      completedAt: new Date('2026-11-22T10:00:00.124Z'),
      completedAtExact: { seconds: Date.UTC(2026, 10, 22, 10) / 1000, nanos: 123_999_999 },
      result: 'succeeded',
    };
    for (const encode of [() => eventToSnakeJson(event), () => encodeEvent(event, 'protobuf'), () => encodeEvent(event, 'json')]) {
      let thrown: unknown;
      try {
        encode();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SchedulerError);
      expect(thrown).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'completedAtExact' });
      expect((thrown as Error).message).toContain('completedAtExact (2026-11-22T10:00:00.123999999Z) does not agree with completedAt (2026-11-22T10:00:00.124Z)');
    }
    expect(() => eventToSnakeJson({ ...event, completedAtExact: { seconds: 1.5, nanos: 0 } })).toThrow(/completedAtExact must have integer seconds/);
    expect(eventToSnakeJson({ ...event, completedAtExact: { seconds: Date.UTC(2026, 10, 22, 10) / 1000, nanos: 124_000_001 } })).toContain('"2026-11-22T10:00:00.124000001Z"');
  });

  it('writes completed_at with the fewest of 3, 6 or 9 fraction digits', () => {
    const at = (nanos: number): string => {
      const e: JobCompletedEvent = { jobId: 'j', executionId: 'e', completedAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(nanos / 1e6)), completedAtExact: { seconds: Date.UTC(2026, 0, 1) / 1000, nanos }, result: 'succeeded' };
      return JSON.parse(eventToSnakeJson(e)).completed_at as string;
    };
    expect([0, 5_000_000, 5_000, 5, 120_000_000, 123_400_000].map(at)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:00.005Z',
      '2026-01-01T00:00:00.000005Z',
      '2026-01-01T00:00:00.000000005Z',
      '2026-01-01T00:00:00.120Z',
      '2026-01-01T00:00:00.123400Z',
    ]);
  });

  it('never takes a member of Object.prototype for a result', () => {
    for (const result of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(() => decodeEvent(bytes({ ...base, result }))).toThrow(/result must be succeeded, failed or timed_out/);
    }
  });

  it('reads the canonical UTC timestamps exactly as Date.parse does', () => {
    // One assertion over every instant: an expect() per instant costs more than the decoding.
    const wrong: string[] = [];
    let checked = 0;
    for (let t = Date.UTC(100, 0, 1); t < Date.UTC(2400, 0, 1); t += 86_400_000 * 7 + 3_600_000 * 5 + 61_001) {
      const s = new Date(t).toISOString();
      if (decodeEvent(bytes({ ...base, completed_at: s })).completedAt.getTime() !== t) wrong.push(s);
      checked++;
    }
    expect(checked).toBeGreaterThan(100_000);
    expect(wrong).toEqual([]);
  });

  it('chooses the format by content-type, case-insensitively, with parameters, and JSON without one', () => {
    const completedAt = new Date('2026-11-22T10:00:00.000Z');
    const event: JobCompletedEvent = { jobId: 'job-1', executionId: 'exec-1', completedAt, completedAtExact: { seconds: completedAt.getTime() / 1000, nanos: 0 }, result: 'succeeded' };
    const json = Buffer.from(eventToSnakeJson(event));
    for (const headers of [undefined, {}, { 'content-type': 'application/json' }, { 'Content-Type': Buffer.from('Application/JSON; charset=utf-8') }, { 'content-type': [Buffer.from('application/json')] }]) {
      expect(decodeEvent(json, headers)).toEqual(event);
    }
    const proto = encodeEvent(event, 'protobuf');
    expect(decodeEvent(proto.value, { 'CONTENT-TYPE': Buffer.from('application/x-protobuf') })).toEqual(event);
    expect(() => decodeEvent(json, { 'content-type': 'text/plain' })).toThrow(/unknown content-type 'text\/plain'/);
  });

  it('rejects a protobuf event cut short inside a string, instead of decoding the cut string', () => {
    const completedAt = new Date('2026-11-22T10:00:00.000Z');
    const event: JobCompletedEvent = {
      jobId: 'job-1',
      executionId: 'exec-1',
      completedAt,
      completedAtExact: { seconds: completedAt.getTime() / 1000, nanos: 0 },
      result: 'failed',
      error: 'the downstream service timed out',
    };
    const whole = encodeEvent(event, 'protobuf').value;
    expect(decodeEvent(whole, { 'content-type': 'application/x-protobuf' })).toEqual(event);
    for (const cut of [1, 3, 10]) {
      expect(() => decodeEvent(whole.subarray(0, whole.length - cut), { 'content-type': 'application/x-protobuf' })).toThrow(/not a protobuf JobCompletedEvent/);
    }
  });

  it('rejects an empty or missing value', () => {
    expect(() => decodeEvent(null)).toThrow(/no value/);
    expect(() => decodeEvent(Buffer.alloc(0))).toThrow(/no value/);
  });

  it('names the reason for a record of a batch that could not be decompressed', () => {
    const headers = { [DECOMPRESSION_ERROR_HEADER]: Buffer.from('lz4: lz4 content checksum does not match') };
    expect(() => decodeEvent(null, headers)).toThrow('its batch could not be decompressed: lz4: lz4 content checksum does not match');
  });
});
