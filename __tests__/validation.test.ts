import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { z } from 'zod';
import { SchedulerError, type SchedulerErrorCode } from '../src/errors.js';
import { DEFAULTS, LIMITS } from '../src/limits.js';
import type { Schedule } from '../src/schedule.js';
import { DEFAULT_POLICY, OVERLAP_POLICIES, type ResolvedPolicy, type SchedulePolicy } from '../src/policy.js';
import type { Job, JobDescription, JobFilter, JobRequest, JobSpec, JobSpecField, JobStatus, JsonValue } from '../src/types.js';
import {
  JobFilterSchema,
  JobIdSchema,
  JobNameSchema,
  JobRequestSchema,
  JobSpecSchema,
  JOB_SPEC_FIELDS,
  MASK_LIMIT,
  PayloadSchema,
  SPEC_FIELD_PROTO_NAMES,
  TIMESTAMP_RANGE,
  ScheduleSchema,
  checkIntegerArgument,
  codePointLength,
  isIanaTimeZone,
  parseJobChanges,
  parseJobRequest,
  parseJobSpec,
  validateExecutionId,
  validateExpectedRevision,
  validateFlag,
  validateJobFilter,
  validateJobKey,
  validateJobRef,
  validateJobId,
  validateJobRequest,
  validateNote,
  validateOverlap,
  validateUpcoming,
  type ValidatedJobRequest,
} from '../src/validation.js';
import { specChanges } from '../src/spec.js';
import { decodeMessage, encodeMessage } from '../src/wire/proto.js';
import {
  WireFormatError,
  executionToWire,
  jobDescriptionFromWire,
  jobDescriptionToWire,
  jobFromWire,
  jobRequestFromWire,
  jobRequestToWire,
  jobSpecFromWire,
  jobSpecToWire,
  jobToWire,
  overlapFromWire,
  overlapToWire,
  policyToWire,
  requestOverlapFromWire,
  upcomingRunsFromWire,
  upcomingRunsToWire,
} from '../src/wire/convert.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const ctx = { operation: 'createJob', now: NOW };

type Request = Record<string, unknown>;

function validRequest(): Request {
  return { name: 'nightly-report', schedule: { type: 'interval', intervalMs: 60_000 }, payload: { region: 'eu' } };
}

function withPatch(patch: Request): Request {
  return { ...validRequest(), ...patch };
}

function rejectionOf(run: () => unknown): SchedulerError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error('expected a SchedulerError, but the call succeeded');
  expect(thrown).toBeInstanceOf(SchedulerError);
  return thrown as SchedulerError;
}

const reject = (request: unknown): SchedulerError => rejectionOf(() => validateJobRequest(request, ctx));

// A value nested `levels` arrays deep around a scalar (a scalar is depth 0, `[1]` depth 1).
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

// A string payload whose compact JSON is exactly `bytes` bytes of UTF-8: 3-byte characters, then ASCII.
function payloadOfBytes(bytes: number): string {
  const body = bytes - 2; // the quotes
  const euros = Math.floor(body / 3) - 1;
  return '€'.repeat(euros) + 'x'.repeat(body - euros * 3);
}

interface LimitCase {
  /** What the limit is, for the test name. */
  limit: string;
  /** The ErrorInfo `field`: the proto field path, with a JSON Pointer inside the payload. */
  field: string;
  /** How the message names the field (TypeScript names). */
  named: string;
  code: SchedulerErrorCode;
  /** A request exactly at the limit. */
  atLimit: Request;
  /** A request one step past it. */
  pastLimit: Request;
  /** Text that the limit (in `limit` and in the message) must contain. */
  bound: string;
}

const cron = (expression: string, timezone?: string) => ({ schedule: { type: 'cron', expression, ...(timezone ? { timezone } : {}) } });
const oneShotAt = (ms: number) => ({ schedule: { type: 'one_shot', runAt: new Date(ms) } });
const every = (intervalMs: number) => ({ schedule: { type: 'interval', intervalMs } });

// Every limit of SPEC §6, with the values of the spec (not of the implementation's constants).
const LIMIT_CASES: LimitCase[] = [
  { limit: 'name at most 128 characters', field: 'name', named: 'name', code: 'INVALID_ARGUMENT', atLimit: { name: 'n'.repeat(128) }, pastLimit: { name: 'n'.repeat(129) }, bound: '128' },
  { limit: 'name at least 1 character', field: 'name', named: 'name', code: 'INVALID_ARGUMENT', atLimit: { name: 'n' }, pastLimit: { name: '' }, bound: '1' },
  { limit: 'name not blank', field: 'name', named: 'name', code: 'INVALID_ARGUMENT', atLimit: { name: ' n ' }, pastLimit: { name: ' \t ' }, bound: 'blank' },
  { limit: 'cron with 5 fields', field: 'schedule.cron.expression', named: 'schedule.expression', code: 'INVALID_SCHEDULE', atLimit: cron('0 9 * * *'), pastLimit: cron('0 9 * *'), bound: '5' },
  { limit: 'cron with 6 fields (seconds first)', field: 'schedule.cron.expression', named: 'schedule.expression', code: 'INVALID_SCHEDULE', atLimit: cron('0 0 9 * * *'), pastLimit: cron('0 0 9 * * * *'), bound: '6' },
  { limit: 'cron nickname', field: 'schedule.cron.expression', named: 'schedule.expression', code: 'INVALID_SCHEDULE', atLimit: cron('@weekly'), pastLimit: cron('@reboot'), bound: '@weekly' },
  { limit: 'cron with at least one future run', field: 'schedule.cron.expression', named: 'schedule.expression', code: 'INVALID_SCHEDULE', atLimit: cron('0 0 29 2 *'), pastLimit: cron('0 0 30 2 *'), bound: 'future run' },
  { limit: 'cron values in range', field: 'schedule.cron.expression', named: 'schedule.expression', code: 'INVALID_SCHEDULE', atLimit: cron('59 23 * * *'), pastLimit: cron('60 23 * * *'), bound: '0..59' },
  { limit: 'timezone an IANA name', field: 'schedule.cron.timezone', named: 'schedule.timezone', code: 'INVALID_SCHEDULE', atLimit: cron('0 9 * * *', 'Europe/Berlin'), pastLimit: cron('0 9 * * *', 'Europe/Atlantis'), bound: 'IANA' },
  { limit: 'timezone not a bare offset', field: 'schedule.cron.timezone', named: 'schedule.timezone', code: 'INVALID_SCHEDULE', atLimit: cron('0 9 * * *', 'Etc/GMT-9'), pastLimit: cron('0 9 * * *', '+09:00'), bound: 'IANA' },
  { limit: 'runAt at most 1 s in the past', field: 'schedule.one_shot.run_at', named: 'schedule.runAt', code: 'INVALID_SCHEDULE', atLimit: oneShotAt(NOW - 1000), pastLimit: oneShotAt(NOW - 1001), bound: '1 s' },
  { limit: 'runAt a valid Date', field: 'schedule.one_shot.run_at', named: 'schedule.runAt', code: 'INVALID_SCHEDULE', atLimit: oneShotAt(NOW), pastLimit: { schedule: { type: 'one_shot', runAt: new Date(Number.NaN) } }, bound: '9999-12-31T23:59:59.999Z' },
  { limit: 'intervalMs at least 1000', field: 'schedule.interval.every', named: 'schedule.intervalMs', code: 'INVALID_SCHEDULE', atLimit: every(1000), pastLimit: every(999), bound: '1000' },
  { limit: 'intervalMs an integer', field: 'schedule.interval.every', named: 'schedule.intervalMs', code: 'INVALID_SCHEDULE', atLimit: every(1001), pastLimit: every(1000.5), bound: 'whole number of milliseconds' },
  { limit: 'maxRetries at least 0', field: 'max_retries', named: 'maxRetries', code: 'INVALID_ARGUMENT', atLimit: { maxRetries: 0 }, pastLimit: { maxRetries: -1 }, bound: '0' },
  { limit: 'maxRetries at most 100', field: 'max_retries', named: 'maxRetries', code: 'INVALID_ARGUMENT', atLimit: { maxRetries: 100 }, pastLimit: { maxRetries: 101 }, bound: '100' },
  { limit: 'maxRetries an integer', field: 'max_retries', named: 'maxRetries', code: 'INVALID_ARGUMENT', atLimit: { maxRetries: 2 }, pastLimit: { maxRetries: 2.5 }, bound: '100' },
  { limit: 'timeoutSecs at least 1', field: 'timeout_secs', named: 'timeoutSecs', code: 'INVALID_ARGUMENT', atLimit: { timeoutSecs: 1 }, pastLimit: { timeoutSecs: 0 }, bound: '1' },
  { limit: 'timeoutSecs at most 86400', field: 'timeout_secs', named: 'timeoutSecs', code: 'INVALID_ARGUMENT', atLimit: { timeoutSecs: 86_400 }, pastLimit: { timeoutSecs: 86_401 }, bound: '86400' },
  { limit: 'payload at most 1 MiB serialized', field: 'payload', named: 'payload', code: 'INVALID_ARGUMENT', atLimit: { payload: payloadOfBytes(1_048_576) }, pastLimit: { payload: payloadOfBytes(1_048_577) }, bound: '1048576 bytes' },
  { limit: 'payload at most 32 levels deep', field: 'payload' + '/0'.repeat(32), named: 'payload' + '[0]'.repeat(32), code: 'INVALID_ARGUMENT', atLimit: { payload: nested(32) }, pastLimit: { payload: nested(33) }, bound: '32' },
  { limit: 'payload numbers finite', field: 'payload/a/2', named: 'payload.a[2]', code: 'INVALID_ARGUMENT', atLimit: { payload: { a: [1, 2, Number.MAX_VALUE] } }, pastLimit: { payload: { a: [1, 2, Number.POSITIVE_INFINITY] } }, bound: 'finite' },
  { limit: 'requestId at most 128 characters', field: 'request_id', named: 'requestId', code: 'INVALID_ARGUMENT', atLimit: { requestId: 'r'.repeat(128) }, pastLimit: { requestId: 'r'.repeat(129) }, bound: '128' },
];

describe('validateJobRequest: every SPEC §6 limit, on both sides', () => {
  for (const c of LIMIT_CASES) {
    it(`accepts a request exactly at the limit: ${c.limit}`, () => {
      expect(() => validateJobRequest(withPatch(c.atLimit), ctx)).not.toThrow();
    });

    it(`rejects one step past the limit with ${c.code} on ${c.named}: ${c.limit}`, () => {
      const error = reject(withPatch(c.pastLimit));
      expect(error.code).toBe(c.code);
      expect(error.field).toBe(c.field);
      expect(error.operation).toBe('createJob');
      expect(error.limit).toContain(c.bound);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('createJob');
      expect(error.message).toContain(c.named);
    });
  }

  it('names the numeric bound in the message of each numeric limit', () => {
    const cases: [Request, string][] = [
      [{ name: 'n'.repeat(129) }, '128'],
      [every(999), '1000'],
      [{ maxRetries: 101 }, '100'],
      [{ timeoutSecs: 86_401 }, '86400'],
      [{ payload: payloadOfBytes(1_048_577) }, '1048576'],
      [{ payload: nested(33) }, '32'],
    ];
    for (const [patch, bound] of cases) expect(reject(withPatch(patch)).message).toContain(bound);
  });

  it('leaves the runAt rule to the scheduler when no now is given', () => {
    expect(() => validateJobRequest(withPatch(oneShotAt(0)), { operation: 'createJob' })).not.toThrow();
    expect(reject(withPatch(oneShotAt(0))).code).toBe('INVALID_SCHEDULE');
    // Every other schedule rule still applies.
    expect(rejectionOf(() => validateJobRequest(withPatch(every(999)), { operation: 'createJob' })).code).toBe('INVALID_SCHEDULE');
  });

  it('words an integer argument checked alone as it words the integer limits of a request', () => {
    const inRequest = reject(withPatch({ maxRetries: 101 }));
    const alone = rejectionOf(() => checkIntegerArgument(101, LIMITS.maxRetriesMin, LIMITS.maxRetriesMax, { operation: 'createJob', field: 'maxRetries' }));
    expect(alone.message).toBe(inRequest.message);
    expect(alone.limit).toBe(inRequest.limit);
    expect(alone.code).toBe('INVALID_ARGUMENT');
    expect(checkIntegerArgument(100, 0, 100, { operation: 'createJob', field: 'maxRetries' })).toBe(100);
  });

  it('judges the one-shot runAt against the injected now, not the machine clock', () => {
    const farFuture = NOW + 10 * 365 * 24 * 3600_000;
    expect(() => validateJobRequest(withPatch(oneShotAt(farFuture - 1000)), { operation: 'createJob', now: farFuture })).not.toThrow();
    const error = rejectionOf(() => validateJobRequest(withPatch(oneShotAt(farFuture - 1001)), { operation: 'createJob', now: farFuture }));
    expect(error.code).toBe('INVALID_SCHEDULE');
    expect(error.message).toContain('1001');
  });

  it('names the upper bound of intervalMs when that is the bound broken', () => {
    // 100 years of 365.25 days, in ms.
    const max = 3_155_760_000_000;
    expect(() => validateJobRequest(withPatch(every(max)), ctx)).not.toThrow();
    const error = reject(withPatch(every(max + 1)));
    expect(error.code).toBe('INVALID_SCHEDULE');
    expect(error.field).toBe('schedule.interval.every');
    expect(error.limit).toBe('1000..3155760000000 ms');
    expect(error.message).toContain(String(max));
    // The old bound, the largest google.protobuf.Duration, is refused.
    expect(reject(withPatch(every(315_576_000_000_000))).code).toBe('INVALID_SCHEDULE');
  });

  it('rejects a non-number intervalMs, maxRetries and timeoutSecs', () => {
    expect(reject(withPatch(every('1000' as unknown as number))).code).toBe('INVALID_SCHEDULE');
    expect(reject(withPatch({ maxRetries: '3' })).field).toBe('max_retries');
    expect(reject(withPatch({ timeoutSecs: null })).field).toBe('timeout_secs');
  });
});

describe('validateJobRequest: the code is that of the first bad field', () => {
  it('is INVALID_ARGUMENT when name and schedule are both bad, because name comes first', () => {
    const error = reject(withPatch({ name: '', ...every(5) }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('name');
    // The message still names every bad field.
    expect(error.message).toContain('schedule.intervalMs');
  });

  it('follows the order of the request fields, not the order of the keys in the object', () => {
    const error = reject({ schedule: { type: 'interval', intervalMs: 5 }, payload: null, name: '' });
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('name');
  });

  it('is INVALID_SCHEDULE when the schedule comes before another bad field', () => {
    const error = reject(withPatch({ ...every(5), payload: { n: Number.NaN }, maxRetries: -1 }));
    expect(error.code).toBe('INVALID_SCHEDULE');
    expect(error.field).toBe('schedule.interval.every');
    expect(error.message).toContain('payload.n');
    expect(error.message).toContain('maxRetries');
  });

  it('is INVALID_ARGUMENT when only a field after the schedule is bad', () => {
    const error = reject(withPatch({ timeoutSecs: 0 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('validateJobRequest: clock rules in field order', () => {
  const pastOneShot = oneShotAt(NOW - 3_600_000);

  it('reports a one-shot in the past before a bad field after the schedule, given the scheduler\'s now', () => {
    for (const later of [{ payload: { x: Number.NaN } }, { maxRetries: 101 }, { timeoutSecs: 0 }, { requestId: 'r'.repeat(129) }, { colour: 'red' }]) {
      const error = reject(withPatch({ ...pastOneShot, ...later }));
      expect(error.code).toBe('INVALID_SCHEDULE');
      expect(error.field).toBe('schedule.one_shot.run_at');
      expect(error.limit).toBe('at most 1 s in the past');
    }
    // A bad name still comes first.
    expect(reject(withPatch({ ...pastOneShot, name: '', maxRetries: 101 })).field).toBe('name');
  });

  it('uses orderingNow only to order errors: a one-shot in the past alone is left to the scheduler', () => {
    const onlyOrdering = { operation: 'createJob', orderingNow: NOW };
    expect(() => validateJobRequest(withPatch(pastOneShot), onlyOrdering)).not.toThrow();
    const error = rejectionOf(() => validateJobRequest(withPatch({ ...pastOneShot, maxRetries: 101 }), onlyOrdering));
    expect([error.code, error.field]).toEqual(['INVALID_SCHEDULE', 'schedule.one_shot.run_at']);
    // Without any clock, the bad field after the schedule is reported.
    const unordered = rejectionOf(() => validateJobRequest(withPatch({ ...pastOneShot, maxRetries: 101 }), { operation: 'createJob' }));
    expect([unordered.code, unordered.field]).toEqual(['INVALID_ARGUMENT', 'max_retries']);
  });

  it('refuses an interval whose first run would fall after 9999-12-31T23:59:59.999Z', () => {
    const lastMinute = Date.UTC(9999, 11, 31, 23, 59, 0);
    expect(() => validateJobRequest(withPatch(every(59_999)), { operation: 'createJob', now: lastMinute })).not.toThrow();
    const error = rejectionOf(() => validateJobRequest(withPatch(every(60_000)), { operation: 'createJob', now: lastMinute }));
    expect(error).toMatchObject({ code: 'INVALID_SCHEDULE', field: 'schedule.interval.every', limit: 'a first run no later than 9999-12-31T23:59:59.999Z' });
  });

  it('keeps a one-shot runAt inside the Timestamp range', () => {
    const farFuture = { operation: 'createJob', now: Date.UTC(9999, 11, 31, 23, 59, 59, 999) };
    expect(() => validateJobRequest(withPatch(oneShotAt(Date.UTC(9999, 11, 31, 23, 59, 59, 999))), farFuture)).not.toThrow();
    const error = rejectionOf(() => validateJobRequest(withPatch(oneShotAt(Date.UTC(10000, 0, 1))), farFuture));
    expect(error).toMatchObject({ code: 'INVALID_SCHEDULE', field: 'schedule.one_shot.run_at', limit: '0001-01-01T00:00:00Z..9999-12-31T23:59:59.999Z' });
  });

  it('names an unknown schedule kind by the oneof, with its members as the limit', () => {
    expect(reject(withPatch({ schedule: { type: 'weekly' } }))).toMatchObject({ field: 'schedule', limit: 'one of cron, one_shot, interval' });
    expect(reject(withPatch({ schedule: null }))).toMatchObject({ field: 'schedule', limit: 'one of cron, one_shot, interval' });
  });
});

describe('validateJobRequest: shape', () => {
  it('rejects an unknown top-level key, naming it', () => {
    const error = reject(withPatch({ colour: 'red' }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('colour');
    expect(error.field).toContain('colour');
  });

  it('rejects an unknown key inside the schedule as INVALID_SCHEDULE, with its dotted path', () => {
    const error = reject(withPatch({ schedule: { type: 'interval', intervalMs: 1000, every: 5 } }));
    expect(error.code).toBe('INVALID_SCHEDULE');
    expect(error.field).toBe('schedule.every');
  });

  it('rejects a schedule of an unknown type as INVALID_SCHEDULE', () => {
    const error = reject(withPatch({ schedule: { type: 'weekly' } }));
    expect(error.code).toBe('INVALID_SCHEDULE');
    // The proto has no type: the schedule itself (its oneof) is at fault.
    expect(error.field).toBe('schedule');
  });

  it('rejects a request that is not an object', () => {
    for (const request of [null, undefined, 42, 'job', [validRequest()]]) {
      expect(reject(request).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('rejects a missing name, naming the field, and reads a missing payload as null', () => {
    const { name: _name, ...noName } = validRequest();
    expect(reject(noName).field).toBe('name');
    const { payload: _payload, ...noPayload } = validRequest();
    expect(validateJobRequest(noPayload, ctx)).toMatchObject({ payload: null, payloadJson: 'null' });
    expect(validateJobRequest({ ...noPayload, payload: undefined }, ctx)).toMatchObject({ payload: null, payloadJson: 'null' });
  });

  it('names a non-string name once in the message', () => {
    const error = reject(withPatch({ name: 42 }));
    expect(error.field).toBe('name');
    expect(error.message).toContain('createJob');
    expect(error.message).not.toMatch(/\bname name\b/);
  });
});

describe('validateJobRequest: defaults and normalisation', () => {
  it('applies maxRetries 3 and timeoutSecs 60 when unset', () => {
    const v = validateJobRequest(validRequest(), ctx);
    expect(v.maxRetries).toBe(3);
    expect(v.timeoutSecs).toBe(60);
    expect(v.requestId).toBeUndefined();
  });

  it('keeps explicit maxRetries, timeoutSecs and requestId', () => {
    const v = validateJobRequest(withPatch({ maxRetries: 0, timeoutSecs: 5, requestId: 'req-1' }), ctx);
    expect(v).toMatchObject({ maxRetries: 0, timeoutSecs: 5, requestId: 'req-1' });
  });

  it('treats an empty requestId as none', () => {
    expect(validateJobRequest(withPatch({ requestId: '' }), ctx).requestId).toBeUndefined();
  });

  it('makes the cron time zone explicit, UTC by default, and keeps the expression exactly as sent', () => {
    expect(validateJobRequest(withPatch(cron('0  9\t* * *')), ctx).schedule).toEqual({ type: 'cron', expression: '0  9\t* * *', timezone: 'UTC' });
    expect(() => validateJobRequest(withPatch(cron('  0 9 * * *  ')), ctx)).toThrow(/white space before the first or after the last field/);
    expect(validateJobRequest(withPatch(cron('0 9 * * *', 'Asia/Tokyo')), ctx).schedule).toEqual({
      type: 'cron',
      expression: '0 9 * * *',
      timezone: 'Asia/Tokyo',
    });
  });

  it('copies the one-shot runAt, so that the caller cannot change it afterwards', () => {
    const runAt = new Date(NOW + 60_000);
    const v = validateJobRequest(withPatch({ schedule: { type: 'one_shot', runAt } }), ctx);
    runAt.setTime(0);
    expect(v.schedule).toEqual({ type: 'one_shot', runAt: new Date(NOW + 60_000) });
  });

  it('serialises the payload exactly once, and keeps that JSON', () => {
    const payload = { b: [1, 'zwei'], a: { nested: 'ü' } };
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const v = validateJobRequest(withPatch({ payload }), ctx);
      expect(stringify.mock.calls.filter(([value]) => value === payload)).toHaveLength(1);
      expect(v.payloadJson).toBe(stringify.mock.results.find((r, i) => stringify.mock.calls[i]![0] === payload)!.value);
      stringify.mockClear();
      parseJobRequest(withPatch({ payload }), 'CreateJob');
      expect(stringify.mock.calls.filter(([value]) => value === payload)).toHaveLength(1);
    } finally {
      stringify.mockRestore();
    }
  });

  it('serialises the payload once, as compact JSON', () => {
    const payload = { b: [1, 'zwei', null, true], a: { nested: 'ü' } };
    const v = validateJobRequest(withPatch({ payload }), ctx);
    expect(v.payloadJson).toBe(JSON.stringify(payload));
    expect(v.payload).toEqual(payload);
  });

  it('exports the defaults and limits of the spec, frozen', () => {
    expect(DEFAULTS).toMatchObject({ maxRetries: 3, timeoutSecs: 60, timezone: 'UTC' });
    expect(LIMITS).toMatchObject({
      nameMaxChars: 128,
      idMaxChars: 128,
      payloadMaxBytes: 1_048_576,
      maxRetriesMin: 0,
      maxRetriesMax: 100,
      timeoutSecsMin: 1,
      timeoutSecsMax: 86_400,
      intervalMsMin: 1000,
      runAtPastToleranceMs: 1000,
    });
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(Object.isFrozen(LIMITS)).toBe(true);
  });
});

describe('validateJobRequest: payload', () => {
  const payloadError = (payload: unknown) => reject(withPatch({ payload }));

  it('never puts payload contents in the message', () => {
    const secret = 'hunter2-very-secret';
    const cases: unknown[] = [
      { password: secret, list: [1, 2, Number.NaN] },
      { password: secret, when: new Date(NOW) },
      { password: secret, map: new Map([[secret, secret]]) },
      secret + 'x'.repeat(1_048_576),
      [secret, 1n],
    ];
    for (const payload of cases) {
      const error = payloadError(payload);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).not.toContain('hunter2');
    }
  });

  it('accepts every kind of JSON value', () => {
    for (const payload of [null, true, 0, -1.5e-7, '', 'zażółć 🚀', [], {}, [1, 'two', null, { deep: [[]] }], Object.create(null)]) {
      expect(() => validateJobRequest(withPatch({ payload }), ctx)).not.toThrow();
    }
  });

  it('accepts the same object twice in one payload (shared, not a cycle)', () => {
    const shared = { x: 1 };
    const v = validateJobRequest(withPatch({ payload: { a: shared, b: [shared] } }), ctx);
    expect(v.payload).toEqual({ a: { x: 1 }, b: [{ x: 1 }] });
  });

  it('rejects values JSON cannot carry, naming the path', () => {
    const cycle: Record<string, unknown> = { inner: {} };
    (cycle.inner as Record<string, unknown>).back = cycle;
    // The field is a JSON Pointer inside the payload; the message names the path as JavaScript does.
    const cases: [unknown, string, string][] = [
      [{ n: 10n }, 'payload/n', 'payload.n'],
      [{ f: () => 1 }, 'payload/f', 'payload.f'],
      [{ s: Symbol('s') }, 'payload/s', 'payload.s'],
      [{ u: undefined }, 'payload/u', 'payload.u'],
      [{ list: [0, Number.NaN] }, 'payload/list/1', 'payload.list[1]'],
      [{ list: [Number.NEGATIVE_INFINITY] }, 'payload/list/0', 'payload.list[0]'],
      [cycle, 'payload/inner/back', 'payload.inner.back'],
    ];
    for (const [payload, field, named] of cases) {
      const error = payloadError(payload);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe(field);
      expect(error.message).toContain(named);
    }
  });

  it('rejects a string with a lone surrogate, and accepts a surrogate pair', () => {
    expect(payloadError({ s: 'ok\uD83D' }).field).toBe('payload/s');
    expect(payloadError(['\uDE00']).field).toBe('payload/0');
    expect(() => validateJobRequest(withPatch({ payload: { s: '\uD83D\uDE00' } }), ctx)).not.toThrow();
  });

  it('rejects a key with a lone surrogate', () => {
    const error = payloadError({ ['key\uD800']: 1 });
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('payload');
    expect(error.limit).toBe('well-formed UTF-8');
  });

  it('rejects a sparse array at the hole, which JSON would turn into null', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(payloadError({ a: [1, , 3] }).field).toBe('payload/a/1');
    expect(payloadError(new Array(2)).field).toBe('payload/0');
  });

  it('rejects class instances such as Map, Set, Date and a user class', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const cases: [unknown, string][] = [
      [{ m: new Map() }, 'Map'],
      [{ m: new Set([1]) }, 'Set'],
      [{ m: new Date(NOW) }, 'Date'],
      [{ m: new Point(1, 2) }, 'Point'],
    ];
    for (const [payload, kind] of cases) {
      const error = payloadError(payload);
      expect(error.field).toBe('payload/m');
      expect(error.message).toContain(kind);
    }
  });

  it('rejects symbol keys', () => {
    const error = payloadError({ visible: 1, [Symbol('hidden')]: 2 });
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('symbol');
  });

  it('refuses a __proto__ key, which protobuf runtimes in JavaScript would drop, and touches no prototype', () => {
    const payload = JSON.parse('{"a":{"__proto__":{"polluted":true}}}') as object;
    const error = payloadError(payload);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('payload/a');
    expect(error.limit).toBe('no "__proto__" keys');
    expect(error.message).toContain("'__proto__'");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counts the size in UTF-8 bytes, not in characters', () => {
    // 349,524 three-byte characters are 1,048,572 bytes, but only 349,524 characters.
    expect(() => validateJobRequest(withPatch({ payload: '€'.repeat(349_524) + 'xx' }), ctx)).not.toThrow();
    expect(payloadError('€'.repeat(349_524) + 'xxx').limit).toBe('at most 1048576 bytes');
  });
});

describe('code points, not UTF-16 units', () => {
  const astral = '😀'; // one code point, two UTF-16 units

  it('counts a name in code points', () => {
    expect(() => validateJobRequest(withPatch({ name: astral.repeat(128) }), ctx)).not.toThrow();
    const error = reject(withPatch({ name: astral.repeat(129) }));
    expect(error.field).toBe('name');
    expect(error.message).toContain('129');
  });

  it('counts a requestId and a job id in code points', () => {
    expect(() => validateJobRequest(withPatch({ requestId: astral.repeat(128) }), ctx)).not.toThrow();
    expect(reject(withPatch({ requestId: astral.repeat(129) })).field).toBe('request_id');
    expect(validateJobId(astral.repeat(128), 'getJob')).toBe(astral.repeat(128));
    expect(rejectionOf(() => validateJobId(astral.repeat(129), 'getJob')).code).toBe('INVALID_ARGUMENT');
  });

  it('rejects a name with a lone surrogate', () => {
    const error = reject(withPatch({ name: 'job\uDC00' }));
    expect(error.field).toBe('name');
    expect(error.limit).toBe('well-formed UTF-8');
  });

  it('codePointLength counts code points', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength(astral + 'a')).toBe(2);
    expect(codePointLength('e\u0301')).toBe(2); // a combining mark is its own code point
  });
});

describe('isIanaTimeZone', () => {
  it('accepts IANA names and rejects offsets, blanks and unknown names', () => {
    for (const tz of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo']) expect(isIanaTimeZone(tz)).toBe(true);
    for (const tz of ['', '+09:00', '-05:00', 'Mars/Olympus_Mons', 'Not A Zone']) expect(isIanaTimeZone(tz)).toBe(false);
  });
});

describe('validateJobId', () => {
  it('returns an id of 1 to 128 characters as it is', () => {
    expect(validateJobId('a', 'getJob')).toBe('a');
    expect(validateJobId('i'.repeat(128), 'getJob')).toBe('i'.repeat(128));
  });

  it('rejects an empty, over-long or non-string id with INVALID_ARGUMENT on field job_id', () => {
    for (const id of ['', 'i'.repeat(129), 42, undefined, null]) {
      const error = rejectionOf(() => validateJobId(id, 'pauseJob'));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe('job_id');
      expect(error.operation).toBe('pauseJob');
      expect(error.message).toContain('pauseJob');
    }
    expect(rejectionOf(() => validateJobId('i'.repeat(129), 'pauseJob')).limit).toBe('1..128 code points');
  });
});

describe('validateJobFilter', () => {
  it('accepts no filter, a status and a name prefix of up to 128 characters', () => {
    expect(validateJobFilter(undefined, 'listJobs')).toEqual({});
    expect(validateJobFilter({ status: 'paused' }, 'listJobs')).toEqual({ status: 'paused' });
    expect(validateJobFilter({ namePrefix: 'p'.repeat(128) }, 'listJobs')).toEqual({ namePrefix: 'p'.repeat(128) });
    expect(validateJobFilter({ namePrefix: '' }, 'listJobs')).toEqual({ namePrefix: '' });
  });

  it('rejects an unknown status, an over-long prefix, unknown keys and non-objects', () => {
    const cases: [unknown, string | undefined][] = [
      [{ status: 'sleeping' }, 'status'],
      [{ status: 'PAUSED' }, 'status'],
      [{ namePrefix: 'p'.repeat(129) }, 'name_prefix'],
      [{ owner: 'me' }, 'owner'],
    ];
    for (const [filter, field] of cases) {
      const error = rejectionOf(() => validateJobFilter(filter, 'listJobs'));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe(field);
      expect(error.message).toContain('listJobs');
    }
    expect(rejectionOf(() => validateJobFilter('paused', 'listJobs')).code).toBe('INVALID_ARGUMENT');
  });
});

describe('exported zod schemas', () => {
  it('JobRequestSchema reports every issue with its path and limit', () => {
    const result = JobRequestSchema.safeParse({
      name: '',
      schedule: { type: 'interval', intervalMs: 1 },
      payload: { list: [1, Number.NaN] },
      maxRetries: 200,
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'schedule.intervalMs', 'payload.list.1', 'maxRetries']));
    for (const issue of result.error!.issues) {
      expect((issue as { params?: { limit?: string } }).params?.limit).toBeTruthy();
    }
  });

  it('JobRequestSchema accepts a valid request', () => {
    expect(JobRequestSchema.safeParse(validRequest()).success).toBe(true);
  });

  it('PayloadSchema, JobIdSchema and JobFilterSchema check on their own', () => {
    expect(PayloadSchema.safeParse({ a: [1] }).success).toBe(true);
    const payload = PayloadSchema.safeParse({ a: [1, 1n] });
    expect(payload.error?.issues[0]?.path).toEqual(['a', 1]);
    expect(JobIdSchema.safeParse('id-1').success).toBe(true);
    expect(JobIdSchema.safeParse('').success).toBe(false);
    expect(JobFilterSchema.safeParse({ status: 'running' }).success).toBe(true);
    expect(JobFilterSchema.safeParse({ status: 'asleep' }).error?.issues[0]?.path).toEqual(['status']);
  });
});

describe('keys and labels of a request', () => {
  const labels = (n: number): Record<string, string> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, 'x']));

  it("keeps a key, reads '' as no key, and refuses a blank or over-long one on field key", () => {
    expect(validateJobRequest(withPatch({ key: 'report-daily' }), ctx).key).toBe('report-daily');
    expect(validateJobRequest(withPatch({ key: '' }), ctx).key).toBeUndefined();
    expect(validateJobRequest(withPatch({ key: 'k'.repeat(128) }), ctx).key).toBe('k'.repeat(128));
    expect(validateJobRequest(withPatch({ key: '𝄞'.repeat(128) }), ctx).key).toBe('𝄞'.repeat(128));
    expect(reject(withPatch({ key: '  ' }))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'key', limit: 'not blank' });
    expect(reject(withPatch({ key: 'k'.repeat(129) }))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'key', limit: '1..128 code points' });
    expect(reject(withPatch({ key: 7 })).field).toBe('key');
  });

  it('accepts labels at every limit and defaults them to {}', () => {
    expect(validateJobRequest(validRequest(), ctx).labels).toEqual({});
    const sixtyFour = { ...labels(61), ['a'.repeat(63)]: 'v'.repeat(128), 'x.y_z-0': '', b: '𝄞'.repeat(128) };
    expect(Object.keys(sixtyFour)).toHaveLength(64);
    expect(validateJobRequest(withPatch({ labels: sixtyFour }), ctx).labels).toEqual(sixtyFour);
  });

  it('refuses too many labels, a bad key and a long value, with field, limit and the limit in the message', () => {
    const cases: [string, Record<string, unknown>, string, string, string][] = [
      ['65 labels', labels(65), 'labels', 'at most 64 labels', '64'],
      ['a key with a capital', { Team: 'x' }, 'labels', 'a label key', 'Team'],
      ['a key starting with a digit', { '1team': 'x' }, 'labels', 'a label key', 'a-z'],
      ['a key of 64 characters', { ['a'.repeat(64)]: 'x' }, 'labels', 'a label key', '63'],
      ['an empty key', { '': 'x' }, 'labels', 'a label key', 'a-z'],
      ['a value of 129 code points', { team: '𝄞'.repeat(129) }, 'labels.team', '0..128 code points', '128'],
      ['a value that is not a string', { team: 1 }, 'labels.team', 'a string', 'string'],
      ['a value with a lone surrogate', { team: '\uD800' }, 'labels.team', 'well-formed UTF-8', 'surrogate'],
      // Entries in code-unit order of their keys: "a" before "b" whatever the object's order.
      ['two long values', { b: 'v'.repeat(129), a: 'v'.repeat(129) }, 'labels.a', '0..128 code points', '128'],
    ];
    for (const [what, value, field, limit, mention] of cases) {
      const error = reject(withPatch({ labels: value }));
      expect({ code: error.code, field: error.field, limit: error.limit }, what).toEqual({ code: 'INVALID_ARGUMENT', field, limit });
      expect(error.message, what).toContain(mention);
      expect(error.message.startsWith('createJob: '), what).toBe(true);
    }
    expect(reject(withPatch({ labels: ['a'] })).field).toBe('labels');
    expect(reject(withPatch({ labels: new Map([['a', 'b']]) })).field).toBe('labels');
  });

  it('checks the label selector of a filter with the same rules', () => {
    expect(validateJobFilter({ labels: { team: 'billing', 'k1s0.owner': 'svc' } }, 'listJobs')).toEqual({ labels: { team: 'billing', 'k1s0.owner': 'svc' } });
    const bad = rejectionOf(() => validateJobFilter({ labels: { Team: 'x' } }, 'listJobs'));
    expect(bad).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'labels', limit: 'a label key' });
    expect(rejectionOf(() => validateJobFilter({ labels: labels(65) }, 'listJobs')).limit).toBe('at most 64 labels');
  });
});

describe('job specs, changes, refs and revisions', () => {
  const spec = (): Request => ({ name: 'nightly', schedule: { type: 'interval', intervalMs: 60_000 } });

  it('parseJobSpec applies the defaults and names fields under spec.', () => {
    expect(parseJobSpec(spec(), 'applyJob')).toEqual({
      name: 'nightly',
      schedule: { type: 'interval', intervalMs: 60_000 },
      payload: null,
      payloadJson: 'null',
      maxRetries: 3,
      timeoutSecs: 60,
      labels: {},
      policy: DEFAULT_POLICY,
    });
    const cases: [Request, SchedulerErrorCode, string][] = [
      [{ ...spec(), name: '' }, 'INVALID_ARGUMENT', 'spec.name'],
      [{ ...spec(), schedule: { type: 'cron', expression: 'bad' } }, 'INVALID_SCHEDULE', 'spec.schedule.cron.expression'],
      [{ ...spec(), payload: { items: [Number.NaN] } }, 'INVALID_ARGUMENT', 'spec.payload/items/0'],
      [{ ...spec(), maxRetries: 101 }, 'INVALID_ARGUMENT', 'spec.max_retries'],
      [{ ...spec(), labels: { team: 'v'.repeat(129) } }, 'INVALID_ARGUMENT', 'spec.labels.team'],
      [{ ...spec(), labels: { Team: 'v' } }, 'INVALID_ARGUMENT', 'spec.labels'],
      [{ ...spec(), policy: { jitterMs: -1 } }, 'INVALID_ARGUMENT', 'spec.policy.jitter'],
      [{ ...spec(), policy: { retryBackoff: { maxMs: 0 } } }, 'INVALID_ARGUMENT', 'spec.policy.retry_backoff.maximum'],
    ];
    for (const [value, code, field] of cases) {
      const error = rejectionOf(() => parseJobSpec(value, 'applyJob'));
      expect({ code: error.code, field: error.field }, field).toEqual({ code, field });
      expect(error.message.startsWith('applyJob: '), field).toBe(true);
    }
  });

  it('parseJobSpec refuses the fields of a request that are not in a spec', () => {
    for (const field of ['key', 'requestId']) {
      const error = rejectionOf(() => parseJobSpec({ ...spec(), [field]: 'x' }, 'applyJob'));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toContain(field);
    }
  });

  it('parseJobChanges takes the own keys as the mask, in field order, and resets undefined to the default', () => {
    expect(parseJobChanges({ labels: { a: 'b' }, name: 'n2' }, 'updateJob')).toEqual({ fields: ['name', 'labels'], values: { name: 'n2', labels: { a: 'b' } } });
    expect(parseJobChanges({ timeoutSecs: undefined, maxRetries: undefined, payload: undefined, labels: undefined }, 'updateJob')).toEqual({
      fields: ['payload', 'maxRetries', 'timeoutSecs', 'labels'],
      values: { payload: null, payloadJson: 'null', maxRetries: 3, timeoutSecs: 60, labels: {} },
    });
  });

  it('parseJobChanges refuses no field, an unknown field and a non-object on update_mask, and a bad value on its spec. path', () => {
    for (const changes of [{}, { colour: 'red' }, { name: 'n', status: 'paused' }, null, 'name', ['name']]) {
      const error = rejectionOf(() => parseJobChanges(changes, 'updateJob'));
      expect(error, JSON.stringify(changes)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'update_mask', limit: MASK_LIMIT });
    }
    expect(rejectionOf(() => parseJobChanges({ colour: 'red' }, 'updateJob')).message).toContain("'colour'");
    expect(rejectionOf(() => parseJobChanges({ maxRetries: 101 }, 'updateJob'))).toMatchObject({ field: 'spec.max_retries', limit: '0..100' });
    // name and schedule have no default: named, they need a value.
    expect(rejectionOf(() => parseJobChanges({ name: undefined }, 'updateJob')).field).toBe('spec.name');
    expect(rejectionOf(() => parseJobChanges({ schedule: undefined }, 'updateJob')).code).toBe('INVALID_SCHEDULE');
  });

  it('validateJobRef takes an id, { id } or { key }, and refuses both, neither and bad values', () => {
    expect(validateJobRef('j-1', 'getJob')).toEqual({ id: 'j-1' });
    expect(validateJobRef({ id: 'j-1' }, 'getJob')).toEqual({ id: 'j-1' });
    expect(validateJobRef({ key: 'k' }, 'getJob')).toEqual({ key: 'k' });
    expect(rejectionOf(() => validateJobRef({ id: 'j-1', key: 'k' }, 'getJob'))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'key', limit: 'one of job_id, key' });
    expect(rejectionOf(() => validateJobRef({ key: '' }, 'getJob'))).toMatchObject({ field: 'key', limit: '1..128 code points' });
    expect(rejectionOf(() => validateJobRef({ key: ' ' }, 'getJob'))).toMatchObject({ field: 'key', limit: 'not blank' });
    for (const ref of [{}, { name: 'x' }, { key: 'k', extra: 1 }, null, 42, '']) {
      expect(rejectionOf(() => validateJobRef(ref, 'getJob')), JSON.stringify(ref)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'job_id', limit: '1..128 code points' });
    }
  });

  it('validateJobKey requires a key', () => {
    expect(validateJobKey('k', 'applyJob')).toBe('k');
    expect(rejectionOf(() => validateJobKey('', 'applyJob'))).toMatchObject({ field: 'key', limit: '1..128 code points' });
    expect(rejectionOf(() => validateJobKey(undefined, 'applyJob', 'spec.key')).field).toBe('spec.key');
  });

  it('validateExpectedRevision takes unset or a whole number from its minimum', () => {
    expect(validateExpectedRevision(undefined, 'updateJob', 1)).toBeUndefined();
    expect(validateExpectedRevision(0, 'applyJob', 0)).toBe(0);
    expect(validateExpectedRevision(7, 'updateJob', 1)).toBe(7);
    expect(rejectionOf(() => validateExpectedRevision(0, 'updateJob', 1))).toMatchObject({ field: 'expected_revision', limit: '1..9223372036854775807' });
    for (const bad of [-1, 1.5, Number.NaN, '3']) {
      expect(rejectionOf(() => validateExpectedRevision(bad, 'applyJob', 0)), String(bad)).toMatchObject({ field: 'expected_revision', limit: '0..9223372036854775807' });
    }
    // A revision the proto allows but a number cannot hold exactly: refused, never rounded.
    expect(rejectionOf(() => validateExpectedRevision(2 ** 53, 'applyJob', 0))).toMatchObject({ field: 'expected_revision', limit: 'a safe integer (at most 9007199254740991)' });
  });

  it('validateFlag takes true, false or unset, and nothing else', () => {
    expect(validateFlag(undefined, 'applyJob', 'dry_run')).toBe(false);
    expect(validateFlag(true, 'applyJob', 'dry_run')).toBe(true);
    for (const bad of [1, 'yes', null]) {
      expect(rejectionOf(() => validateFlag(bad, 'applyJob', 'dry_run')), String(bad)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'dry_run', limit: 'a boolean' });
    }
  });
});

describe('the schemas are the one source of the request types', () => {
  it('JobRequest, JobFilter and Schedule are what their schemas take', () => {
    expectTypeOf<JobRequest>().toEqualTypeOf<z.input<typeof JobRequestSchema>>();
    expectTypeOf<JobFilter>().toEqualTypeOf<z.input<typeof JobFilterSchema>>();
    expectTypeOf<Schedule>().toEqualTypeOf<z.input<typeof ScheduleSchema>>();
    expectTypeOf<JobRequest['payload']>().toEqualTypeOf<JsonValue | undefined>();
    expectTypeOf<JobRequest<{ day: string }>['payload']>().toEqualTypeOf<{ day: string } | undefined>();
    expectTypeOf<JobRequest['key']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<JobRequest['labels']>().toEqualTypeOf<Record<string, string> | undefined>();
    expectTypeOf<JobSpec>().toEqualTypeOf<z.input<typeof JobSpecSchema>>();
    expectTypeOf<keyof JobSpec>().toEqualTypeOf<JobSpecField>();
    expectTypeOf<JobFilter['labels']>().toEqualTypeOf<Record<string, string> | undefined>();
    expectTypeOf<JobRequest['maxRetries']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<JobFilter['status']>().toEqualTypeOf<JobStatus | undefined>();
    expectTypeOf<Extract<Schedule, { type: 'one_shot' }>['runAt']>().toEqualTypeOf<Date>();
  });

  it('ValidatedJobRequest is what the schema gives, with the defaults applied and the payload serialized', () => {
    expectTypeOf<ValidatedJobRequest>().toExtend<Required<Omit<z.output<typeof JobRequestSchema>, 'requestId' | 'key'>>>();
    expectTypeOf<ValidatedJobRequest['key']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ValidatedJobRequest['labels']>().toEqualTypeOf<Record<string, string>>();
    expectTypeOf<ValidatedJobRequest['payload']>().toEqualTypeOf<JsonValue>();
    expectTypeOf<ValidatedJobRequest['maxRetries']>().toEqualTypeOf<number>();
    expectTypeOf<ValidatedJobRequest['timeoutSecs']>().toEqualTypeOf<number>();
    expectTypeOf<ValidatedJobRequest['requestId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ValidatedJobRequest['payloadJson']>().toEqualTypeOf<string>();
  });
});

describe('exported zod schemas, as a user holds them', () => {
  it('are zod schemas of the kind their types say', () => {
    expect(JobRequestSchema).toBeInstanceOf(z.ZodObject);
    expect(JobFilterSchema).toBeInstanceOf(z.ZodObject);
    expect(JobNameSchema).toBeInstanceOf(z.ZodString);
    expect(ScheduleSchema).toBeInstanceOf(z.ZodDiscriminatedUnion);
    expect(Object.keys(JobRequestSchema.shape)).toEqual(['name', 'schedule', 'payload', 'maxRetries', 'timeoutSecs', 'requestId', 'key', 'labels', 'policy']);
    expect(Object.keys(JobSpecSchema.shape)).toEqual([...JOB_SPEC_FIELDS]);
  });

  it('work inside a schema of the caller, with paths and limits', () => {
    const Envelope = z.object({ team: z.string(), job: JobRequestSchema, filter: JobFilterSchema.optional() });
    expect(Envelope.safeParse({ team: 'ops', job: validRequest() }).success).toBe(true);
    const result = Envelope.safeParse({ team: 'ops', job: withPatch({ maxRetries: 101 }) });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['job', 'maxRetries']]);
    expect((result.error?.issues[0] as { params?: { limit?: string } }).params?.limit).toBe('0..100');
  });

  it('derive as zod schemas do', () => {
    const Named = JobRequestSchema.pick({ name: true });
    expect(Named.safeParse({ name: 'a' }).success).toBe(true);
    expect(Named.safeParse({ name: '' }).success).toBe(false);
    expect(JobIdSchema.optional().safeParse(undefined).success).toBe(true);
    expect(PayloadSchema.array().safeParse([1, { a: 1n }]).error?.issues[0]?.path).toEqual([1, 'a']);
  });

  it('print as the schemas they are', () => {
    expect(inspect(JobRequestSchema, { depth: 0 })).toMatch(/^ZodObject /);
  });

  it('describe themselves as JSON Schema', () => {
    const schema = z.toJSONSchema(JobRequestSchema) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(['name', 'schedule']);
    expect(Object.keys(schema.properties)).toEqual(['name', 'schedule', 'payload', 'maxRetries', 'timeoutSecs', 'requestId', 'key', 'labels', 'policy']);
  });
});

// ---- schedule policies, notes, overlap, upcoming, execution ids ----------------------------------

const policyOf = (policy: unknown): Request => ({ ...validRequest(), policy });
const at = (iso: string) => new Date(iso);

describe('policy: every limit of the proto, on both sides', () => {
  const D = LIMITS;
  // [what, policy, accepted, field, limit]
  const cases: [string, unknown, boolean, string?, string?][] = [
    ['overlap skip', { overlap: 'skip' }, true],
    ['overlap buffer_one', { overlap: 'buffer_one' }, true],
    ['overlap allow_all', { overlap: 'allow_all' }, true],
    ['overlap in upper case', { overlap: 'SKIP' }, false, 'policy.overlap', 'an overlap policy'],
    ['overlap as its enum number', { overlap: 1 }, false, 'policy.overlap', 'an overlap policy'],
    ['catch-up window of 1 s', { catchupWindowMs: D.catchupWindowMsMin }, true],
    ['catch-up window under 1 s', { catchupWindowMs: D.catchupWindowMsMin - 1 }, false, 'policy.catchup_window', '1000..3155760000000 ms'],
    ['catch-up window of 100 years', { catchupWindowMs: D.catchupWindowMsMax }, true],
    ['catch-up window over 100 years', { catchupWindowMs: D.catchupWindowMsMax + 1 }, false, 'policy.catchup_window', '1000..3155760000000 ms'],
    ['catch-up window of 1.5 ms more than 1 s', { catchupWindowMs: 1000.5 }, false, 'policy.catchup_window', 'a whole number of milliseconds'],
    ['catch-up window as a string', { catchupWindowMs: '1000' }, false, 'policy.catchup_window', '1000..3155760000000 ms'],
    ['start_at at the first instant of a Timestamp', { startAt: new Date(D.timestampMinMs) }, true],
    ['start_at before the first instant of a Timestamp', { startAt: new Date(D.timestampMinMs - 1) }, false, 'policy.start_at', TIMESTAMP_RANGE],
    ['end_at at the last millisecond of a Timestamp', { endAt: new Date(D.timestampMaxMs) }, true],
    ['end_at after the last millisecond of a Timestamp', { endAt: new Date(D.timestampMaxMs + 1) }, false, 'policy.end_at', TIMESTAMP_RANGE],
    ['an invalid Date', { startAt: new Date(Number.NaN) }, false, 'policy.start_at', TIMESTAMP_RANGE],
    ['start_at as text', { startAt: '2026-11-23T00:00:00Z' }, false, 'policy.start_at', TIMESTAMP_RANGE],
    ['end_at equal to start_at', { startAt: at('2026-11-23T00:00:00Z'), endAt: at('2026-11-23T00:00:00Z') }, true],
    ['end_at 1 ms before start_at', { startAt: at('2026-11-23T00:00:00Z'), endAt: at('2026-11-22T23:59:59.999Z') }, false, 'policy.end_at', 'no earlier than policy.start_at'],
    ['max_runs 0 (no limit)', { maxRuns: 0 }, true],
    ['max_runs -1', { maxRuns: -1 }, false, 'policy.max_runs', '0..1000000000'],
    ['max_runs 1,000,000,000', { maxRuns: D.maxRunsMax }, true],
    ['max_runs 1,000,000,001', { maxRuns: D.maxRunsMax + 1 }, false, 'policy.max_runs', '0..1000000000'],
    ['max_runs 1.5', { maxRuns: 1.5 }, false, 'policy.max_runs', '0..1000000000'],
    ['jitter 0', { jitterMs: 0 }, true],
    ['jitter -1 ms', { jitterMs: -1 }, false, 'policy.jitter', '0..86400000 ms'],
    ['jitter 24 h', { jitterMs: D.jitterMsMax }, true],
    ['jitter 24 h and 1 ms', { jitterMs: D.jitterMsMax + 1 }, false, 'policy.jitter', '0..86400000 ms'],
    ['jitter of a fraction of a millisecond', { jitterMs: 0.25 }, false, 'policy.jitter', 'a whole number of milliseconds'],
    ['retry backoff initial 1 ms', { retryBackoff: { initialMs: 1 } }, true],
    ['retry backoff initial 0', { retryBackoff: { initialMs: 0 } }, false, 'policy.retry_backoff.initial', '1..3600000 ms'],
    ['retry backoff initial 1 h', { retryBackoff: { initialMs: D.backoffInitialMsMax, maxMs: D.backoffInitialMsMax } }, true],
    ['retry backoff initial 1 h and 1 ms', { retryBackoff: { initialMs: D.backoffInitialMsMax + 1 } }, false, 'policy.retry_backoff.initial', '1..3600000 ms'],
    ['retry backoff maximum 1 ms', { retryBackoff: { initialMs: 1, maxMs: 1 } }, true],
    ['retry backoff maximum 0', { retryBackoff: { maxMs: 0 } }, false, 'policy.retry_backoff.maximum', '1..86400000 ms'],
    ['retry backoff maximum 24 h', { retryBackoff: { maxMs: D.backoffMaxMsMax } }, true],
    ['retry backoff maximum 24 h and 1 ms', { retryBackoff: { maxMs: D.backoffMaxMsMax + 1 } }, false, 'policy.retry_backoff.maximum', '1..86400000 ms'],
    ['retry backoff maximum of a fraction of a millisecond', { retryBackoff: { maxMs: 1.5 } }, false, 'policy.retry_backoff.maximum', 'a whole number of milliseconds'],
    ['retry backoff maximum equal to initial', { retryBackoff: { initialMs: 500, maxMs: 500 } }, true],
    ['retry backoff maximum 1 ms below initial', { retryBackoff: { initialMs: 500, maxMs: 499 } }, false, 'policy.retry_backoff.maximum', 'no less than policy.retry_backoff.initial'],
    // Between the effective values: an unset initial is 1 s, an unset maximum 60 s.
    ['retry backoff maximum alone, 1 s', { retryBackoff: { maxMs: 1000 } }, true],
    ['retry backoff maximum alone, under the default initial', { retryBackoff: { maxMs: 999 } }, false, 'policy.retry_backoff.maximum', 'no less than policy.retry_backoff.initial'],
    ['retry backoff initial alone, 60 s', { retryBackoff: { initialMs: 60_000 } }, true],
    ['retry backoff initial alone, over the default maximum', { retryBackoff: { initialMs: 60_001 } }, false, 'policy.retry_backoff.maximum', 'no less than policy.retry_backoff.initial'],
    ['retry backoff multiplier 1', { retryBackoff: { multiplier: 1 } }, true],
    ['retry backoff multiplier 10', { retryBackoff: { multiplier: 10 } }, true],
    ['retry backoff multiplier 1.5', { retryBackoff: { multiplier: 1.5 } }, true],
    ['retry backoff multiplier just under 1', { retryBackoff: { multiplier: 0.999 } }, false, 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
    ['retry backoff multiplier 0 (the wire\'s unset)', { retryBackoff: { multiplier: 0 } }, false, 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
    ['retry backoff multiplier just over 10', { retryBackoff: { multiplier: 10.001 } }, false, 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
    ['retry backoff multiplier NaN', { retryBackoff: { multiplier: Number.NaN } }, false, 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
    ['retry backoff multiplier Infinity', { retryBackoff: { multiplier: Number.POSITIVE_INFINITY } }, false, 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
    ['pause on failure true', { pauseOnFailure: true }, true],
    ['pause on failure as a string', { pauseOnFailure: 'yes' }, false, 'policy.pause_on_failure', 'a boolean'],
    ['an empty policy', {}, true],
    ['a policy that is not an object', 'skip', false, 'policy', undefined],
    ['a retry backoff that is not an object', { retryBackoff: 2 }, false, 'policy.retry_backoff', undefined],
  ];
  for (const [what, policy, accepted, field, limit] of cases) {
    it(`${what}: ${accepted ? 'accepted' : `refused on ${field}`}`, () => {
      if (accepted) {
        expect(() => validateJobRequest(policyOf(policy), ctx)).not.toThrow();
        expect(() => parseJobSpec({ name: 'n', schedule: { type: 'interval', intervalMs: 60_000 }, policy }, 'applyJob')).not.toThrow();
        return;
      }
      const error = reject(policyOf(policy));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe(field);
      expect(error.limit).toBe(limit);
      expect(error.message).toMatch(/^createJob: policy/);
      // Inside a JobSpec, the same field under spec.
      const inSpec = rejectionOf(() => parseJobSpec({ name: 'n', schedule: { type: 'interval', intervalMs: 60_000 }, policy }, 'applyJob'));
      expect({ field: inSpec.field, limit: inSpec.limit }).toEqual({ field: `spec.${field}`, limit });
    });
  }

  it('names the field and the limit in the message', () => {
    const error = reject(policyOf({ jitterMs: D.jitterMsMax + 1 }));
    expect(error.message).toContain('policy.jitterMs');
    expect(error.message).toContain('86400000');
    expect(reject(policyOf({ retryBackoff: { initialMs: 500, maxMs: 499 } })).message).toContain('no less than initialMs (500)');
    expect(reject(policyOf({ retryBackoff: { initialMs: 60_001 } })).message).toContain('must be no less than initialMs (60001), got 60000, the default of an unset maxMs');
  });

  it('refuses unknown keys of a policy and of its retry backoff, after the known fields', () => {
    const unknown = reject(policyOf({ overlap: 'skip', catchup: 5 }));
    expect(unknown.code).toBe('INVALID_ARGUMENT');
    expect(unknown.field).toBe('policy.catchup');
    expect(unknown.message).toContain("unknown field 'policy.catchup'");
    expect(reject(policyOf({ retryBackoff: { initial: 5 } })).field).toBe('policy.retryBackoff.initial');
    expect(reject(policyOf({ jitterMs: -1, zzz: 1 })).field).toBe('policy.jitter');
  });

  it('reports the first bad field of a policy in field-number order, and every bad field in the message', () => {
    const policy = {
      pauseOnFailure: 1,
      retryBackoff: { multiplier: 11, maxMs: 0, initialMs: 0 },
      jitterMs: -1,
      maxRuns: -1,
      endAt: new Date(Number.NaN),
      startAt: new Date(Number.NaN),
      catchupWindowMs: 1,
      overlap: 'x',
    };
    const order = ['overlap', 'catchupWindowMs', 'startAt', 'endAt', 'maxRuns', 'jitterMs', 'retryBackoff.initialMs', 'retryBackoff.maxMs', 'retryBackoff.multiplier', 'pauseOnFailure'];
    const fields = ['policy.overlap', 'policy.catchup_window', 'policy.start_at', 'policy.end_at', 'policy.max_runs', 'policy.jitter', 'policy.retry_backoff.initial', 'policy.retry_backoff.maximum', 'policy.retry_backoff.multiplier', 'policy.pause_on_failure'];
    let remaining: Record<string, unknown> = structuredClone(policy);
    for (const [i, field] of fields.entries()) {
      const error = reject(policyOf(remaining));
      expect(error.field, order[i]).toBe(field);
      // The message lists the bad fields left, in order.
      const positions = order.slice(i).map((name) => error.message.indexOf(`policy.${name} `));
      expect(positions.every((p) => p >= 0), error.message).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      // Mend the first one, and look again.
      const [head, inner] = order[i]!.split('.');
      if (inner === undefined) delete remaining[head!];
      else delete (remaining[head!] as Record<string, unknown>)[inner];
      remaining = { ...remaining };
    }
    expect(() => validateJobRequest(policyOf(remaining), ctx)).not.toThrow();
  });

  it('a cross-field rule counts at the later field: end_at before start_at comes before a bad max_runs, after a bad catch-up window', () => {
    const backwards = { startAt: at('2026-11-23T00:00:00Z'), endAt: at('2026-11-22T00:00:00Z') };
    expect(reject(policyOf({ ...backwards, maxRuns: -1 })).field).toBe('policy.end_at');
    expect(reject(policyOf({ ...backwards, catchupWindowMs: 5 })).field).toBe('policy.catchup_window');
    expect(reject(policyOf({ retryBackoff: { initialMs: 9, maxMs: 8, multiplier: 0 } })).field).toBe('policy.retry_backoff.maximum');
    // A bad start_at leaves end_at to its own rules.
    expect(reject(policyOf({ startAt: 'x', endAt: at('2026-11-22T00:00:00Z'), maxRuns: -1 })).field).toBe('policy.start_at');
    expect(reject(policyOf({ startAt: 'x', endAt: at('2026-11-22T00:00:00Z'), maxRuns: -1 })).message).not.toContain('no earlier');
  });

  it('comes after every other field of a request (field 9), and before unknown fields', () => {
    expect(reject({ ...policyOf({ jitterMs: -1 }), labels: { Bad: 'x' } }).field).toBe('labels');
    expect(reject({ ...policyOf({ jitterMs: -1 }), maxRetries: 101 }).field).toBe('max_retries');
    const withUnknown = reject({ ...policyOf({ jitterMs: -1 }), extra: 1 });
    expect(withUnknown.field).toBe('policy.jitter');
    expect(withUnknown.message).toContain("unknown field 'extra'");
  });

  it('resolves the policy with its defaults; no policy is DEFAULT_POLICY', () => {
    expect(validateJobRequest(validRequest(), ctx).policy).toBe(DEFAULT_POLICY);
    expect(validateJobRequest(policyOf({}), ctx).policy).toEqual(DEFAULT_POLICY);
    const full = validateJobRequest(
      policyOf({
        overlap: 'allow_all',
        catchupWindowMs: 90_000,
        startAt: at('2026-11-23T00:00:00Z'),
        endAt: at('2027-11-23T00:00:00Z'),
        maxRuns: 5,
        jitterMs: 1500,
        retryBackoff: { initialMs: 250, multiplier: 1.5 },
        pauseOnFailure: true,
      }),
      ctx,
    ).policy;
    expect(full).toEqual({
      overlap: 'allow_all',
      catchupWindowMs: 90_000,
      startAtMs: Date.parse('2026-11-23T00:00:00Z'),
      endAtMs: Date.parse('2027-11-23T00:00:00Z'),
      maxRuns: 5,
      jitterMs: 1500,
      retryBackoff: { initialMs: 250, maxMs: 60_000, multiplier: 1.5 },
      pauseOnFailure: true,
    });
  });

  it('keeps nothing of the caller\'s objects', () => {
    const startAt = at('2026-11-23T00:00:00Z');
    const retryBackoff = { initialMs: 250 };
    const valid = validateJobRequest(policyOf({ startAt, retryBackoff }), ctx);
    startAt.setTime(0);
    retryBackoff.initialMs = 9;
    expect(valid.policy.startAtMs).toBe(Date.parse('2026-11-23T00:00:00Z'));
    expect(valid.policy.retryBackoff.initialMs).toBe(250);
  });

  it('is typed as a SchedulePolicy in a JobRequest and a ResolvedPolicy once validated', () => {
    expectTypeOf<JobRequest['policy']>().toEqualTypeOf<SchedulePolicy | undefined>();
    expectTypeOf<ValidatedJobRequest['policy']>().toEqualTypeOf<ResolvedPolicy>();
  });

  it('is a JobSpec field and an update mask path, last', () => {
    expect(JOB_SPEC_FIELDS.at(-1)).toBe('policy');
    expect(SPEC_FIELD_PROTO_NAMES.policy).toBe('policy');
    expect(MASK_LIMIT).toBe('paths among name, schedule, payload, max_retries, timeout_secs, labels, policy');
    expect(parseJobChanges({ policy: { overlap: 'skip' } }, 'updateJob')).toEqual({ fields: ['policy'], values: { policy: { ...DEFAULT_POLICY, overlap: 'skip' } } });
    // Named with the value undefined: reset to every default.
    expect(parseJobChanges({ policy: undefined, name: 'n' }, 'updateJob')).toEqual({ fields: ['name', 'policy'], values: { name: 'n', policy: DEFAULT_POLICY } });
    expect(rejectionOf(() => parseJobChanges({ policy: { maxRuns: -1 } }, 'updateJob'))).toMatchObject({ field: 'spec.policy.max_runs', limit: '0..1000000000' });
  });
});

describe('specChanges: policies compare with their defaults applied', () => {
  const base = (policy: ResolvedPolicy) => ({
    name: 'n',
    schedule: { type: 'interval' as const, intervalMs: 60_000 },
    payload: null,
    maxRetries: 3,
    timeoutSecs: 60,
    labels: {},
    policy,
  });
  const resolved = (policy: Request | undefined) => parseJobSpec({ name: 'n', schedule: { type: 'interval', intervalMs: 60_000 }, ...(policy === undefined ? {} : { policy }) }, 'applyJob').policy;

  it('an unset policy and one that spells out every default are the same spec', () => {
    const explicit = resolved({ overlap: 'buffer_one', maxRuns: 0, jitterMs: 0, retryBackoff: { initialMs: 1000, maxMs: 60_000, multiplier: 2 }, pauseOnFailure: false });
    expect(specChanges(base(resolved(undefined)), base(explicit))).toEqual([]);
    expect(specChanges(base(resolved({})), { policy: resolved(undefined) })).toEqual([]);
  });

  it('each field of a policy that differs is a change of policy', () => {
    const variants: Request[] = [
      { overlap: 'skip' },
      { catchupWindowMs: 1000 },
      { startAt: at('2026-11-23T00:00:00Z') },
      { endAt: at('2026-11-23T00:00:00Z') },
      { maxRuns: 1 },
      { jitterMs: 1 },
      { retryBackoff: { initialMs: 999 } },
      { retryBackoff: { maxMs: 59_999 } },
      { retryBackoff: { multiplier: 2.5 } },
      { pauseOnFailure: true },
    ];
    for (const v of variants) expect(specChanges(base(DEFAULT_POLICY), base(resolved(v))), JSON.stringify(v)).toEqual(['policy']);
    expect(specChanges(base(DEFAULT_POLICY), { ...base(resolved({ maxRuns: 2 })), maxRetries: 0 })).toEqual(['maxRetries', 'policy']);
  });

  it('instants compare to the millisecond, not by Date identity', () => {
    const a = resolved({ startAt: at('2026-11-23T00:00:00Z') });
    const b = resolved({ startAt: at('2026-11-23T00:00:00.000Z') });
    expect(specChanges(base(a), base(b))).toEqual([]);
  });
});

describe('validateNote, validateOverlap, validateUpcoming, validateExecutionId', () => {
  it('validateNote: undefined is no note; 0 to 512 code points, well-formed', () => {
    expect(validateNote(undefined, 'pauseJob')).toBe('');
    expect(validateNote('', 'pauseJob')).toBe('');
    expect(validateNote('x'.repeat(512), 'pauseJob')).toBe('x'.repeat(512));
    // 512 emoji: 1024 UTF-16 units, 512 code points.
    expect(validateNote('😀'.repeat(512), 'pauseJob')).toHaveLength(1024);
    for (const [value, limit] of [
      ['x'.repeat(513), '0..512 code points'],
      ['😀'.repeat(513), '0..512 code points'],
      [42, '0..512 code points'],
      [null, '0..512 code points'],
      ['a\uD800', 'well-formed UTF-8'],
    ] as const) {
      const error = rejectionOf(() => validateNote(value, 'resumeJob'));
      expect(error, String(value).slice(0, 10)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'note', limit, operation: 'resumeJob' });
      expect(error.message).toMatch(/^resumeJob: note /);
    }
  });

  it('validateOverlap: undefined or one of the three', () => {
    expect(validateOverlap(undefined, 'triggerJob')).toBeUndefined();
    for (const o of OVERLAP_POLICIES) expect(validateOverlap(o, 'triggerJob')).toBe(o);
    for (const value of ['ALLOW_ALL', 'OVERLAP_POLICY_SKIP', '', 1, null, {}]) {
      const error = rejectionOf(() => validateOverlap(value, 'triggerJob'));
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'overlap', limit: 'an overlap policy' });
      expect(error.message).toContain("'skip', 'buffer_one', 'allow_all'");
    }
    expect(rejectionOf(() => validateOverlap('x', 'applyJob', 'policy.overlap')).field).toBe('policy.overlap');
  });

  it('validateUpcoming: undefined is 10; an integer from 1 to 100', () => {
    expect(validateUpcoming(undefined, 'describeJob')).toBe(DEFAULTS.upcoming);
    expect(validateUpcoming(1, 'describeJob')).toBe(1);
    expect(validateUpcoming(100, 'describeJob')).toBe(100);
    for (const value of [0, 101, 1.5, '10', null, Number.NaN]) {
      expect(rejectionOf(() => validateUpcoming(value, 'describeJob')), String(value)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'upcoming', limit: '1..100' });
    }
    expect(rejectionOf(() => validateUpcoming(101, 'describeJob')).message).toBe('describeJob: upcoming must be an integer from 1 to 100, got 101');
  });

  it('validateExecutionId: 1 to 128 code points, well-formed', () => {
    expect(validateExecutionId('e', 'waitForExecution')).toBe('e');
    expect(validateExecutionId('😀'.repeat(128), 'waitForExecution')).toBe('😀'.repeat(128));
    for (const [value, limit] of [
      ['', '1..128 code points'],
      ['e'.repeat(129), '1..128 code points'],
      [undefined, '1..128 code points'],
      [7, '1..128 code points'],
      ['\uDC00', 'well-formed UTF-8'],
    ] as const) {
      const error = rejectionOf(() => validateExecutionId(value, 'waitForExecution'));
      expect(error, String(value)).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'execution_id', limit, operation: 'waitForExecution' });
      expect(error.message).toMatch(/^waitForExecution: execution id /);
    }
  });
});

// ---- wire conversion of policies and of the new Job fields ---------------------------------------

const PKG_NAME = 'k1s0.system.scheduler.v2';
// Through the bytes, as a server or a client gets them.
const viaBytes = <T>(message: string, wire: object): T => decodeMessage<T>(`${PKG_NAME}.${message}`, encodeMessage(`${PKG_NAME}.${message}`, wire as Record<string, unknown>));
const FULL_POLICY: SchedulePolicy = {
  overlap: 'allow_all',
  catchupWindowMs: 90_000,
  startAt: at('2026-11-23T00:00:00.250Z'),
  endAt: at('2027-11-23T00:00:00Z'),
  maxRuns: 1000,
  jitterMs: 1500,
  retryBackoff: { initialMs: 250, maxMs: 30_000, multiplier: 1.5 },
  pauseOnFailure: true,
};
const createWire = (policy: object, extra: object = {}) => viaBytes<never>('CreateJobRequest', { name: 'n', schedule: { interval: { every: { seconds: '60', nanos: 0 } } }, requestId: 'r', policy, ...extra });
const dur = (seconds: number, nanos = 0) => ({ seconds: String(seconds), nanos });

describe('wire: a policy in CreateJob, ApplyJob and UpdateJob', () => {
  it('goes to the wire and back unchanged, every field set', () => {
    const wire = jobRequestToWire({ name: 'n', schedule: { type: 'interval', intervalMs: 60_000 }, policy: FULL_POLICY }, 'r');
    expect(wire.policy).toEqual({
      overlap: 'OVERLAP_POLICY_ALLOW_ALL',
      catchupWindow: { seconds: '90', nanos: 0 },
      startAt: { seconds: String(Date.parse('2026-11-23T00:00:00Z') / 1000), nanos: 250_000_000 },
      endAt: { seconds: String(Date.parse('2027-11-23T00:00:00Z') / 1000), nanos: 0 },
      maxRuns: 1000,
      jitter: { seconds: '1', nanos: 500_000_000 },
      retryBackoff: { initial: { seconds: '0', nanos: 250_000_000 }, maximum: { seconds: '30', nanos: 0 }, multiplier: 1.5 },
      pauseOnFailure: true,
    });
    expect(jobRequestFromWire(viaBytes('CreateJobRequest', wire)).policy).toEqual(FULL_POLICY);
    const spec = jobSpecFromWire(viaBytes('JobSpec', jobSpecToWire({ policy: FULL_POLICY })), { operation: 'ApplyJob', fields: ['policy'] });
    expect(spec).toEqual({ policy: FULL_POLICY });
  });

  it('sends only the fields set; a policy unset on the wire is undefined, an empty one {}', () => {
    expect(policyToWire({ jitterMs: 0 })).toEqual({ jitter: { seconds: '0', nanos: 0 } });
    expect(jobRequestFromWire(createWire({ jitter: dur(0) })).policy).toEqual({ jitterMs: 0 });
    expect(jobRequestFromWire(viaBytes('CreateJobRequest', { name: 'n', schedule: { interval: { every: dur(60) } }, requestId: 'r' })).policy).toBeUndefined();
    expect(jobRequestFromWire(createWire({})).policy).toEqual({});
    // Fields at their wire default are left out: unspecified overlap, max_runs 0, multiplier 0, false.
    expect(jobRequestFromWire(createWire({ overlap: 'OVERLAP_POLICY_UNSPECIFIED', maxRuns: 0, retryBackoff: { multiplier: 0 }, pauseOnFailure: false })).policy).toEqual({ retryBackoff: {} });
  });

  it('a multiplier of 0 is unset, so the default 2', () => {
    const request = jobRequestFromWire(createWire({ retryBackoff: { initial: dur(1), multiplier: 0 } }));
    expect(request.policy).toEqual({ retryBackoff: { initialMs: 1000 } });
    expect(parseJobRequest(request, 'CreateJob').policy.retryBackoff).toEqual({ initialMs: 1000, maxMs: 60_000, multiplier: 2 });
  });

  it('a resolved policy (of a validated spec) goes with every default explicit, and means the same', () => {
    const resolved = parseJobSpec({ name: 'n', schedule: { type: 'interval', intervalMs: 60_000 }, policy: { overlap: 'skip' } }, 'updateJob').policy;
    const wire = jobSpecToWire({ policy: resolved });
    expect(wire.policy).toEqual({ overlap: 'OVERLAP_POLICY_SKIP', retryBackoff: { initial: dur(1), maximum: dur(60), multiplier: 2 }, pauseOnFailure: false });
    const back = jobSpecFromWire(viaBytes('JobSpec', wire), { operation: 'UpdateJob', fields: ['policy'] });
    expect(parseJobChanges(back, 'UpdateJob').values.policy).toEqual(resolved);
  });

  const refusals: [string, object, string, string][] = [
    ['jitter of 1.5 ms (nanos not whole ms)', { jitter: dur(0, 1_500_000) }, 'policy.jitter', 'a whole number of milliseconds'],
    ['catch-up window of 1 ns more than 1 s', { catchupWindow: dur(1, 1) }, 'policy.catchup_window', 'a whole number of milliseconds'],
    ['a negative catch-up window', { catchupWindow: dur(-5) }, 'policy.catchup_window', '1000..3155760000000 ms'],
    ['a negative jitter of -0.5 s', { jitter: dur(0, -500_000_000) }, 'policy.jitter', '0..86400000 ms'],
    ['a Duration beyond its range', { jitter: dur(315_576_000_001) }, 'policy.jitter', '0..86400000 ms'],
    ['a Duration with seconds and nanos of opposite signs', { retryBackoff: { initial: dur(1, -1_000_000) } }, 'policy.retry_backoff.initial', '1..3600000 ms'],
    ['a retry backoff maximum of 0.5 ms', { retryBackoff: { maximum: dur(0, 500_000) } }, 'policy.retry_backoff.maximum', 'a whole number of milliseconds'],
    ['start_at with microseconds', { startAt: { seconds: '1795392000', nanos: 1000 } }, 'policy.start_at', 'a whole number of milliseconds'],
    ['end_at after the year 9999', { endAt: { seconds: '253402300800', nanos: 0 } }, 'policy.end_at', TIMESTAMP_RANGE],
    ['an overlap policy not listed', { overlap: 7 }, 'policy.overlap', 'an overlap policy'],
    // Converted, then refused by validation.
    ['a catch-up window of 0', { catchupWindow: dur(0) }, 'policy.catchup_window', '1000..3155760000000 ms'],
    ['a NaN multiplier', { retryBackoff: { multiplier: Number.NaN } }, 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
    ['max_runs -1', { maxRuns: -1 }, 'policy.max_runs', '0..1000000000'],
    ['end_at before start_at', { startAt: { seconds: '1795392000', nanos: 0 }, endAt: { seconds: '1795391999', nanos: 0 } }, 'policy.end_at', 'no earlier than policy.start_at'],
  ];
  for (const [what, policy, field, limit] of refusals) {
    it(`refuses ${what}: INVALID_ARGUMENT on ${field}`, () => {
      const error = rejectionOf(() => parseJobRequest(jobRequestFromWire(createWire(policy)), 'CreateJob'));
      expect({ code: error.code, field: error.field, limit: error.limit }).toEqual({ code: 'INVALID_ARGUMENT', field, limit });
      expect(error.message).toMatch(/^CreateJob: policy\./);
      // In a JobSpec, under spec.
      const spec = viaBytes<never>('JobSpec', { name: 'n', schedule: { interval: { every: dur(60) } }, policy });
      const inSpec = rejectionOf(() => parseJobSpec(jobSpecFromWire(spec, { operation: 'ApplyJob' }), 'ApplyJob'));
      expect({ code: inSpec.code, field: inSpec.field, limit: inSpec.limit }).toEqual({ code: 'INVALID_ARGUMENT', field: `spec.${field}`, limit });
    });
  }

  it('reports the first bad field in field-number order when a conversion fails after it', () => {
    // A bad value before the policy wins over a policy that cannot be converted.
    expect(rejectionOf(() => jobRequestFromWire(createWire({ jitter: dur(0, 1) }, { maxRetries: 101 })))).toMatchObject({ field: 'max_retries', limit: '0..100' });
    expect(rejectionOf(() => jobRequestFromWire(createWire({ overlap: 9 }, { name: '' })))).toMatchObject({ field: 'name' });
    // Inside the policy too: a bad catch-up window (field 2) before a jitter that cannot be converted (field 6).
    expect(rejectionOf(() => jobRequestFromWire(createWire({ catchupWindow: dur(0, 5_000_000), jitter: dur(0, 1) })))).toMatchObject({ field: 'policy.catchup_window', limit: '1000..3155760000000 ms' });
    expect(rejectionOf(() => jobRequestFromWire(createWire({ maxRuns: -1, jitter: dur(0, 1) })))).toMatchObject({ field: 'policy.max_runs' });
    // ...and after it, the conversion error.
    expect(rejectionOf(() => jobRequestFromWire(createWire({ jitter: dur(0, 1), maxRuns: 5 })))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'policy.jitter', limit: 'a whole number of milliseconds' });
    const spec = viaBytes<never>('JobSpec', { name: 'n', schedule: { interval: { every: dur(60) } }, maxRetries: 200, policy: { startAt: { seconds: '1', nanos: 1 } } });
    expect(rejectionOf(() => jobSpecFromWire(spec, { operation: 'ApplyJob' }))).toMatchObject({ field: 'spec.max_retries' });
    // An UpdateJob that does not name the policy ignores it.
    expect(jobSpecFromWire(spec, { operation: 'UpdateJob', fields: ['name'] })).toEqual({ name: 'n' });
  });
});

describe('wire: the overlap of TriggerJob', () => {
  it('names each overlap policy by its enum name; unspecified is undefined', () => {
    expect(OVERLAP_POLICIES.map((o) => overlapToWire(o))).toEqual(['OVERLAP_POLICY_SKIP', 'OVERLAP_POLICY_BUFFER_ONE', 'OVERLAP_POLICY_ALLOW_ALL']);
    expect(overlapToWire(undefined)).toBe('OVERLAP_POLICY_UNSPECIFIED');
    for (const o of OVERLAP_POLICIES) expect(overlapFromWire(overlapToWire(o), 'overlap')).toBe(o);
    expect(overlapFromWire('OVERLAP_POLICY_UNSPECIFIED', 'overlap')).toBeUndefined();
    expect(overlapFromWire(0, 'overlap')).toBeUndefined();
  });

  it('refuses a value not listed: INVALID_ARGUMENT on overlap', () => {
    const wire = viaBytes<{ overlap: string | number }>('TriggerJobRequest', { jobId: 'j', overlap: 4 });
    expect(wire.overlap).toBe(4);
    expect(rejectionOf(() => requestOverlapFromWire(wire.overlap, 'TriggerJob'))).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'overlap', limit: 'an overlap policy', operation: 'TriggerJob' });
    expect(() => overlapFromWire('OVERLAP_POLICY_SOMETIMES', 'overlap')).toThrow(WireFormatError);
    expect(requestOverlapFromWire('OVERLAP_POLICY_SKIP', 'TriggerJob')).toBe('skip');
  });
});

describe('wire: a Job with its policy, status note, counters, last run and runs in flight', () => {
  const execution = { id: 'e1', jobId: 'j1', startedAt: at('2026-11-23T10:00:01.175Z'), startedAtExact: { seconds: Date.parse('2026-11-23T10:00:01Z') / 1000, nanos: 175_000_000 }, result: 'running' as const, attempt: 1 };
  const job = (patch: Partial<Job> = {}): Job => ({
    id: 'j1',
    name: 'n',
    schedule: { type: 'interval', intervalMs: 60_000 },
    status: 'running',
    payload: null,
    maxRetries: 3,
    timeoutSecs: 60,
    createdAt: at('2026-11-23T00:00:00Z'),
    createdAtExact: { seconds: Date.parse('2026-11-23T00:00:00Z') / 1000, nanos: 0 },
    labels: {},
    revision: 2,
    updatedAt: at('2026-11-23T00:00:00Z'),
    updatedAtExact: { seconds: Date.parse('2026-11-23T00:00:00Z') / 1000, nanos: 0 },
    policy: { ...FULL_POLICY, overlap: 'allow_all', retryBackoff: { initialMs: 250, maxMs: 30_000, multiplier: 1.5 }, pauseOnFailure: true },
    statusNote: 'resumed',
    stats: { runs: 2 ** 53 - 1, succeeded: 5, failed: 4, timedOut: 3, skipped: 2, missed: 1 },
    lastRunAt: at('2026-11-23T09:59:00.123Z'),
    lastRunAtExact: { seconds: Date.parse('2026-11-23T09:59:00Z') / 1000, nanos: 123_456_789 },
    lastResult: 'timed_out',
    runningExecutions: [execution, { ...execution, id: 'e2' }],
    remainingRuns: 998,
    ...patch,
  });
  const jobWire = (patch: Record<string, unknown> = {}) => ({ ...viaBytes<Record<string, unknown>>('Job', jobToWire(job())), ...patch }) as never;

  it('goes to the wire and back unchanged, to the nanosecond', () => {
    const wire = jobToWire(job());
    expect(wire.stats).toEqual({ runs: '9007199254740991', succeeded: '5', failed: '4', timedOut: '3', skipped: '2', missed: '1' });
    expect(wire.lastResult).toBe('EXECUTION_RESULT_TIMED_OUT');
    expect(jobFromWire(viaBytes('Job', wire))).toEqual(job());
  });

  it('a job without a policy of its own shows overlap and retry backoff filled in', () => {
    const plain = job({ policy: { overlap: 'buffer_one', retryBackoff: { initialMs: 1000, maxMs: 60_000, multiplier: 2 }, pauseOnFailure: false }, remainingRuns: undefined });
    delete plain.remainingRuns;
    const wire = viaBytes<{ policy: object }>('Job', jobToWire(plain));
    expect(wire.policy).toMatchObject({ overlap: 'OVERLAP_POLICY_BUFFER_ONE', retryBackoff: { initial: dur(1), maximum: dur(60), multiplier: 2 }, maxRuns: 0, catchupWindow: null });
    expect(jobFromWire(wire as never)).toEqual(plain);
  });

  it('leaves out what is unset: no status note, no last run, no remaining runs without max_runs', () => {
    const bare = job({ policy: { overlap: 'skip', retryBackoff: { initialMs: 1, maxMs: 1, multiplier: 1 }, pauseOnFailure: false }, runningExecutions: [] });
    for (const k of ['statusNote', 'lastRunAt', 'lastRunAtExact', 'lastResult', 'remainingRuns'] as const) delete bare[k];
    const read = jobFromWire(viaBytes('Job', jobToWire(bare)));
    expect(read).toEqual(bare);
    for (const k of ['statusNote', 'lastRunAt', 'lastRunAtExact', 'lastResult', 'remainingRuns']) expect(Object.hasOwn(read, k), k).toBe(false);
    // With max_runs, remaining_runs is there even at 0.
    const used = job({ remainingRuns: 0 });
    expect(jobFromWire(viaBytes('Job', jobToWire(used))).remainingRuns).toBe(0);
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['a counter above 2^53', { stats: { runs: '9007199254740992', succeeded: '0', failed: '0', timedOut: '0', skipped: '0', missed: '0' } }, /job\.stats\.runs must be an integer from 0 to 9007199254740991/],
    ['a negative counter', { stats: { runs: '0', succeeded: '-1', failed: '0', timedOut: '0', skipped: '0', missed: '0' } }, /job\.stats\.succeeded/],
    ['last_result RUNNING', { lastResult: 'EXECUTION_RESULT_RUNNING' }, /job\.lastResult must be succeeded, failed or timed_out/],
    ['an attempt in flight that has ended', { runningExecutions: [{ ...executionToWire({ ...execution, result: 'failed' }), finishedAt: null, error: null }] }, /job\.runningExecutions\[0\]\.result must be running/],
    ['remaining_runs above max_runs', { remainingRuns: 1001 }, /job\.remainingRuns/],
    ['no policy', { policy: null }, /job\.policy is required/],
  ];
  for (const [what, patch, message] of refused) {
    it(`refuses ${what}`, () => {
      const error = (() => {
        try {
          jobFromWire(jobWire(patch));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(WireFormatError);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('refuses a policy a server did not fill in, and remaining runs without max_runs', () => {
    const policy = viaBytes<Record<string, unknown>>('Job', jobToWire(job())).policy as Record<string, unknown>;
    expect(() => jobFromWire(jobWire({ policy: { ...policy, overlap: 'OVERLAP_POLICY_UNSPECIFIED' } }))).toThrow(/job\.policy\.overlap must be set/);
    expect(() => jobFromWire(jobWire({ policy: { ...policy, retryBackoff: null } }))).toThrow(/job\.policy\.retryBackoff is required/);
    expect(() => jobFromWire(jobWire({ policy: { ...policy, retryBackoff: { ...(policy.retryBackoff as object), multiplier: 0 } } }))).toThrow(/multiplier/);
    expect(() => jobFromWire(jobWire({ policy: { ...policy, jitter: dur(0, 1) } }))).toThrow(/job\.policy\.jitterMs must be a whole number of milliseconds/);
    expect(() => jobFromWire(jobWire({ policy: { ...policy, maxRuns: 0 } }))).toThrow(/job\.remainingRuns must be 0 for a job without policy\.maxRuns/);
  });
});

describe('wire: DescribeJob and WatchExecutions', () => {
  it('upcoming runs go as Timestamps and come back as Dates, earliest first', () => {
    const times = [Date.parse('2026-11-23T10:05:01.074Z'), Date.parse('2026-11-23T10:10:00.399Z')];
    const wire = upcomingRunsToWire(times);
    expect(wire).toEqual([
      { seconds: String(Math.floor(times[0]! / 1000)), nanos: 74_000_000 },
      { seconds: String(Math.floor(times[1]! / 1000)), nanos: 399_000_000 },
    ]);
    expect(upcomingRunsFromWire(wire as never)).toEqual(times.map((t) => new Date(t)));
    expect(upcomingRunsFromWire([])).toEqual([]);
  });

  it('refuses an upcoming run that is not whole milliseconds, or out of order', () => {
    expect(() => upcomingRunsFromWire([{ seconds: '1', nanos: 1 }] as never)).toThrow(/upcomingRuns\[0\] must be a whole number of milliseconds/);
    expect(() => upcomingRunsFromWire([{ seconds: '2', nanos: 0 }, { seconds: '2', nanos: 0 }] as never)).toThrow(/upcomingRuns\[1\] must be later/);
  });

  it('a description goes to the wire and back', () => {
    const description = describeJobFixture();
    const wire = viaBytes<never>('DescribeJobResponse', jobDescriptionToWire(description.job, description.upcomingRuns));
    expect(jobDescriptionFromWire(wire)).toEqual(description);
  });
});

function describeJobFixture(): JobDescription {
  const job = jobFromWire(viaBytes('Job', jobToWire(validatedJobFixture())));
  return { job, upcomingRuns: [new Date('2026-11-23T10:05:00.000Z'), new Date('2026-11-23T10:10:00.500Z')] };
}

function validatedJobFixture(): Job {
  const created = { seconds: Date.parse('2026-11-23T00:00:00Z') / 1000, nanos: 1 };
  return {
    id: 'j',
    name: 'n',
    schedule: { type: 'cron', expression: '*/5 * * * *' },
    status: 'pending',
    payload: { a: [1] },
    maxRetries: 3,
    timeoutSecs: 60,
    createdAt: new Date(created.seconds * 1000),
    createdAtExact: created,
    labels: { team: 'ops' },
    revision: 1,
    updatedAt: new Date(created.seconds * 1000),
    updatedAtExact: created,
    policy: { overlap: 'skip', jitterMs: 500, retryBackoff: { initialMs: 1000, maxMs: 60_000, multiplier: 2 }, pauseOnFailure: false },
    stats: { runs: 0, succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0 },
    runningExecutions: [],
  };
}
