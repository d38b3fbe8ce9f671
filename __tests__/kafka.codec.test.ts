// The Kafka event codec without a broker: the fast path of decodeEvent must give exactly what the
// zod schema gives, and reject what it rejects.
import { describe, expect, it } from 'vitest';
import { jobCompletedEventJsonSchema, decodeEvent, encodeEvent, eventToSnakeJson } from '../src/kafka/codec.js';
import type { JobCompletedEvent } from '../src/index.js';

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
    ['lower-case t and z', { ...base, completed_at: '2026-11-22t10:00:00.5z' }],
    ['space separator', { ...base, completed_at: '2026-11-22 10:00:00Z' }],
    ['day 31', { ...base, completed_at: '2026-12-31T23:59:59.999Z' }],
    ['29 February', { ...base, completed_at: '2028-02-29T00:00:00.000Z' }],
    ['year 0050', { ...base, completed_at: '0050-06-01T00:00:00.000Z' }],
    ['hour 24 (Date.parse accepts it)', { ...base, completed_at: '2026-01-01T24:00:00.000Z' }],
    // Rejected, by both:
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
  for (const [name, json] of variants) {
    it(`the fast path agrees with the zod schema: ${name}`, () => {
      const { fast, schema } = both(json);
      expect(fast).toEqual(schema);
    });
  }

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
    const event: JobCompletedEvent = { jobId: 'job-1', executionId: 'exec-1', completedAt: new Date('2026-11-22T10:00:00.000Z'), result: 'succeeded' };
    const json = Buffer.from(eventToSnakeJson(event));
    for (const headers of [undefined, {}, { 'content-type': 'application/json' }, { 'Content-Type': Buffer.from('Application/JSON; charset=utf-8') }, { 'content-type': [Buffer.from('application/json')] }]) {
      expect(decodeEvent(json, headers)).toEqual(event);
    }
    const proto = encodeEvent(event, 'protobuf');
    expect(decodeEvent(proto.value, { 'CONTENT-TYPE': Buffer.from('application/x-protobuf') })).toEqual(event);
    expect(() => decodeEvent(json, { 'content-type': 'text/plain' })).toThrow(/unknown content-type 'text\/plain'/);
  });

  it('rejects a protobuf event cut short inside a string, instead of decoding the cut string', () => {
    const event: JobCompletedEvent = { jobId: 'job-1', executionId: 'exec-1', completedAt: new Date('2026-11-22T10:00:00.000Z'), result: 'failed', error: 'the downstream service timed out' };
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
});
