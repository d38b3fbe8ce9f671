// Conversions between the domain types of this package and the wire objects of the proto (the
// shape @grpc/proto-loader and protobufjs produce with WIRE_OBJECT_OPTIONS). Every transport
// converts here and nowhere else, so the rest of the code never sees a wire type.
import type { CreateJobRequest as CreateJobRequestWire } from '../generated/k1s0/system/scheduler/v2/CreateJobRequest';
import type { Duration, Duration__Output } from '../generated/google/protobuf/Duration';
import type { Job as JobWire, Job__Output as JobOut } from '../generated/k1s0/system/scheduler/v2/Job';
import type { JobCompletedEvent as EventWire, JobCompletedEvent__Output as EventOut } from '../generated/k1s0/system/scheduler/v2/JobCompletedEvent';
import type { JobExecution as ExecutionWire, JobExecution__Output as ExecutionOut } from '../generated/k1s0/system/scheduler/v2/JobExecution';
import type { Schedule as ScheduleWire, Schedule__Output as ScheduleOut } from '../generated/k1s0/system/scheduler/v2/Schedule';
import type { CreateJobRequest__Output as CreateJobRequestOut } from '../generated/k1s0/system/scheduler/v2/CreateJobRequest';
import type { JobSpec as JobSpecWire, JobSpec__Output as JobSpecOut } from '../generated/k1s0/system/scheduler/v2/JobSpec';
import type { ApplyAction__Output as ApplyActionWire } from '../generated/k1s0/system/scheduler/v2/ApplyAction';
import type { Timestamp as TimestampWire, Timestamp__Output } from '../generated/google/protobuf/Timestamp';
import type { Value, Value__Output } from '../generated/google/protobuf/Value';
import type { SchedulePolicy as PolicyWire, SchedulePolicy__Output as PolicyOut } from '../generated/k1s0/system/scheduler/v2/SchedulePolicy';
import type { RetryBackoff as BackoffWire } from '../generated/k1s0/system/scheduler/v2/RetryBackoff';
import type { OverlapPolicy as OverlapWire } from '../generated/k1s0/system/scheduler/v2/OverlapPolicy';
import type { JobStats as StatsWire, JobStats__Output as StatsOut } from '../generated/k1s0/system/scheduler/v2/JobStats';
import type { DescribeJobResponse as DescribeWire, DescribeJobResponse__Output as DescribeOut } from '../generated/k1s0/system/scheduler/v2/DescribeJobResponse';
import { OVERLAP_POLICIES, jobPolicyOf, type JobPolicy, type OverlapPolicy, type ResolvedPolicy, type RetryBackoffPolicy, type SchedulePolicy } from '../policy.js';
import {
  INTERVAL_RANGE,
  JOB_SPEC_FIELDS,
  OVERLAP_LIMIT,
  WHOLE_MS_LIMIT,
  SPEC_FIELD_PROTO_NAMES,
  TIMESTAMP_RANGE,
  checkScheduleTiming,
  parseJobRequest,
  parseJobSpec,
  protoFieldPath,
  type JobSpec,
  type JobSpecField,
} from '../validation.js';
import { SchedulerError } from '../errors.js';
import { LIMITS } from '../limits.js';
import type { Schedule } from '../schedule.js';
import { TIMESTAMP_MAX_SECONDS, TIMESTAMP_MIN_SECONDS, exactOf, timestampToMillis, type Timestamp } from '../timestamp.js';
import { jsonPointerToken } from '../primitives.js';
import {
  EXECUTION_RESULTS,
  JOB_STATUSES,
  type ApplyJobResult,
  type ExecutionResult,
  type Job,
  type JobCompletedEvent,
  type JobDescription,
  type JobExecution,
  type JobStats,
  type JobRequest,
  type JobStatus,
  type JsonValue,
} from '../types.js';

/**
 * A wire object that does not fit the proto's rules. `field` is the path of the field: dotted names,
 * then a JSON Pointer inside a google.protobuf.Value (`payload/a/0`).
 */
export class WireFormatError extends Error {
  /**
   * @param field the path of the field.
   * @param message what is wrong, after the field's name.
   * @param limit the rule broken, in the proto's "limit" format, when known.
   */
  constructor(
    readonly field: string,
    message: string,
    readonly limit?: string,
  ) {
    super(`${field} ${message}`);
    this.name = 'WireFormatError';
  }
}

// Payload nesting beyond this is refused while converting, before validation, so that a hostile
// message cannot exhaust the stack. Validation then applies the real limit of 32.
const MAX_VALUE_DEPTH = 64;

// ---- well-known types ------------------------------------------------------------------------------

/**
 * A Date, with its exact form when there is one, to a wire Timestamp: the exact value when given
 * (it must agree with the Date to the millisecond), else the Date's milliseconds.
 *
 * @param field the name of the exact field (`completedAtExact`), for the error when they disagree.
 * @throws {SchedulerError} `INVALID_ARGUMENT` when the exact value disagrees with the Date.
 */
export function toTimestamp(date: Date, exact: Timestamp | undefined, field: string): TimestampWire {
  const t = exactOf(date, exact, field);
  return { seconds: String(t.seconds), nanos: t.nanos };
}

/** A wire Timestamp to its exact value and the Date of its milliseconds (finer digits dropped from the Date only). */
// The field's path is `field` + `suffix`, joined only for an error.
function readTimestamp(ts: Timestamp__Output | null | undefined, field: string, suffix = ''): [Date, Timestamp] {
  const exact = fromTimestamp(ts, field, suffix);
  return [new Date(timestampToMillis(exact)), exact];
}

/** A wire Timestamp to its exact value, checked against the range of the years 0001-9999. */
export function fromTimestamp(ts: Timestamp__Output | null | undefined, field: string, suffix = ''): Timestamp {
  if (ts === null || ts === undefined) throw new WireFormatError(field + suffix, 'is required');
  const seconds = Number(ts.seconds);
  const nanos = ts.nanos;
  if (!Number.isInteger(seconds) || seconds < TIMESTAMP_MIN_SECONDS || seconds > TIMESTAMP_MAX_SECONDS) {
    throw new WireFormatError(field + suffix, `has seconds ${String(ts.seconds)} outside 0001-01-01..9999-12-31`);
  }
  if (!Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) throw new WireFormatError(field + suffix, `has nanos ${nanos} outside 0..999999999`);
  return { seconds, nanos };
}

/** Milliseconds to a Duration. */
export function toDuration(ms: number): Duration {
  const seconds = Math.trunc(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** A Duration to whole milliseconds; a finer remainder is an error (intervals are whole ms). */
export function fromDuration(d: Duration__Output | null | undefined, field: string): number {
  if (d === null || d === undefined) throw new WireFormatError(field, 'is required');
  const seconds = Number(d.seconds);
  if (!Number.isSafeInteger(seconds)) throw new WireFormatError(field, `has seconds ${String(d.seconds)} out of range`);
  if (!Number.isInteger(d.nanos) || Math.abs(d.nanos) > 999_999_999) throw new WireFormatError(field, `has nanos ${d.nanos} outside -999999999..999999999`);
  if (d.nanos % 1_000_000 !== 0) throw new WireFormatError(field, 'must be a whole number of milliseconds');
  return seconds * 1000 + d.nanos / 1_000_000;
}

/** A JSON value to a google.protobuf.Value (the value must already be valid JSON). */
export function toValue(value: JsonValue): Value {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  switch (typeof value) {
    case 'number':
      return { numberValue: value };
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
  }
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  const fields: Record<string, Value> = {};
  for (const [k, v] of Object.entries(value)) fields[k] = toValue(v);
  return { structValue: { fields } };
}

/**
 * A google.protobuf.Value to JSON; an unset Value is JSON null.
 *
 * @param field where the value is: errors inside it name `field` followed by a JSON Pointer
 *   (RFC 6901), such as `payload/items/0/name`.
 * @throws {WireFormatError} for a number JSON cannot carry (NaN, an infinity), or nesting beyond 64 levels.
 */
export function fromValue(value: Value__Output | null | undefined, field: string, depth = 0): JsonValue {
  return valueAt(value, { field }, depth);
}

// Where a value lies in a payload: the field, or a member or item of its parent. The path is
// written out only for an error.
type ValuePath = { field: string } | { parent: ValuePath; token: string | number };

function pathText(path: ValuePath): string {
  return 'field' in path ? path.field : `${pathText(path.parent)}/${typeof path.token === 'number' ? path.token : jsonPointerToken(path.token)}`;
}

function valueAt(value: Value__Output | null | undefined, path: ValuePath, depth: number): JsonValue {
  if (depth > MAX_VALUE_DEPTH) throw new WireFormatError(pathText(path), `is nested deeper than ${MAX_VALUE_DEPTH} levels`, `at most ${LIMITS.payloadMaxDepth} levels`);
  if (value === null || value === undefined) return null;
  switch (value.kind) {
    case undefined:
    case 'nullValue':
      return null;
    case 'numberValue': {
      const n = value.numberValue!;
      if (!Number.isFinite(n)) throw new WireFormatError(pathText(path), `is ${n}, which JSON cannot represent`, 'a finite number');
      return n;
    }
    case 'stringValue':
      return value.stringValue!;
    case 'boolValue':
      return value.boolValue!;
    case 'listValue':
      return (value.listValue?.values ?? []).map((v, i) => valueAt(v, { parent: path, token: i }, depth + 1));
    case 'structValue': {
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value.structValue?.fields ?? {})) {
        const item = valueAt(v, { parent: path, token: k }, depth + 1);
        // A "__proto__" key stays data, as JSON.parse keeps it, instead of setting the prototype.
        if (k === '__proto__') Object.defineProperty(out, k, { value: item, enumerable: true, writable: true, configurable: true });
        else out[k] = item;
      }
      return out;
    }
  }
}

// ---- enums -----------------------------------------------------------------------------------------

const STATUS_PREFIX = 'JOB_STATUS_';
const RESULT_PREFIX = 'EXECUTION_RESULT_';

/** `'paused'` to `'JOB_STATUS_PAUSED'`. */
export function toStatusWire(status: JobStatus): `JOB_STATUS_${Uppercase<JobStatus>}` {
  return `${STATUS_PREFIX}${status.toUpperCase()}` as `JOB_STATUS_${Uppercase<JobStatus>}`;
}

/** `'JOB_STATUS_PAUSED'` to `'paused'`; `JOB_STATUS_UNSPECIFIED` to undefined. */
const STATUS_OF_WIRE: ReadonlyMap<unknown, JobStatus> = new Map(JOB_STATUSES.map((st) => [`JOB_STATUS_${st.toUpperCase()}`, st]));

export function fromStatusWire(status: string | number, field: string): JobStatus | undefined {
  const known = STATUS_OF_WIRE.get(status);
  if (known !== undefined) return known;
  if (status === 'JOB_STATUS_UNSPECIFIED' || status === 0) return undefined;
  const name = typeof status === 'string' && status.startsWith(STATUS_PREFIX) ? status.slice(STATUS_PREFIX.length).toLowerCase() : '';
  if (!(JOB_STATUSES as readonly string[]).includes(name)) throw new WireFormatError(field, `is not a known JobStatus: ${String(status)}`);
  return name as JobStatus;
}

/** `'timed_out'` to `'EXECUTION_RESULT_TIMED_OUT'`. */
export function toResultWire(result: ExecutionResult): `EXECUTION_RESULT_${Uppercase<ExecutionResult>}` {
  return `${RESULT_PREFIX}${result.toUpperCase()}` as `EXECUTION_RESULT_${Uppercase<ExecutionResult>}`;
}

/** `'EXECUTION_RESULT_TIMED_OUT'` (or `'timed_out'`) to `'timed_out'`. */
export function fromResultWire(result: string | number, field: string): ExecutionResult {
  const text = typeof result === 'string' ? result : '';
  const name = text.startsWith(RESULT_PREFIX) ? text.slice(RESULT_PREFIX.length).toLowerCase() : text;
  if (!(EXECUTION_RESULTS as readonly string[]).includes(name)) throw new WireFormatError(field, `is not a known ExecutionResult: ${String(result)}`);
  return name as ExecutionResult;
}

// ---- schedule policies -----------------------------------------------------------------------------

const OVERLAP_PREFIX = 'OVERLAP_POLICY_';

/** An overlap policy to its wire enum (`'skip'` to `'OVERLAP_POLICY_SKIP'`); undefined to `'OVERLAP_POLICY_UNSPECIFIED'`. */
export function overlapToWire(overlap: OverlapPolicy | undefined): `OVERLAP_POLICY_${Uppercase<OverlapPolicy> | 'UNSPECIFIED'}` {
  return `${OVERLAP_PREFIX}${overlap === undefined ? 'UNSPECIFIED' : (overlap.toUpperCase() as Uppercase<OverlapPolicy>)}`;
}

/**
 * A wire OverlapPolicy (its name, or its number when the value is not listed) to an overlap
 * policy; `OVERLAP_POLICY_UNSPECIFIED` (0) to undefined.
 *
 * @throws {WireFormatError} for a value not listed, with the limit `an overlap policy`.
 */
export function overlapFromWire(value: OverlapWire | string | number | null | undefined, field: string): OverlapPolicy | undefined {
  if (value === null || value === undefined || value === 0 || value === `${OVERLAP_PREFIX}UNSPECIFIED`) return undefined;
  const name = typeof value === 'string' && value.startsWith(OVERLAP_PREFIX) ? value.slice(OVERLAP_PREFIX.length).toLowerCase() : '';
  if (!(OVERLAP_POLICIES as readonly string[]).includes(name)) throw new WireFormatError(field, `is not a listed OverlapPolicy: ${String(value)}`, OVERLAP_LIMIT);
  return name as OverlapPolicy;
}

/**
 * The `overlap` of a request (TriggerJobRequest.overlap) to an overlap policy, as a server reads
 * it: unspecified is undefined (the job's own policy).
 *
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `overlap`, limit `an overlap policy`, for a value not listed.
 */
export function requestOverlapFromWire(value: OverlapWire | string | number | null | undefined, operation: string): OverlapPolicy | undefined {
  try {
    return overlapFromWire(value, 'overlap');
  } catch (error) {
    if (!(error instanceof WireFormatError)) throw error;
    throw new SchedulerError('INVALID_ARGUMENT', `${operation}: ${error.message}`, { operation, field: 'overlap', limit: OVERLAP_LIMIT, cause: error });
  }
}

// A policy as the engine keeps it, back to the fields a caller sets (defaults explicit where the
// engine resolved them).
function policyInput(p: SchedulePolicy | ResolvedPolicy): SchedulePolicy {
  return 'startAtMs' in p ? jobPolicyOf(p) : p;
}

/**
 * A schedule policy to its wire form: only the fields that are set (a JobSpec's or a request's
 * policy), or every field of a job's policy. Durations as google.protobuf.Duration, instants as
 * google.protobuf.Timestamp, the overlap policy by its enum name. The policy must already be
 * valid. A resolved policy (a validated spec's) is written with every default explicit.
 */
export function policyToWire(policy: SchedulePolicy | ResolvedPolicy): PolicyWire {
  const p = policyInput(policy);
  const out: PolicyWire = {};
  if (p.overlap !== undefined) out.overlap = overlapToWire(p.overlap);
  if (p.catchupWindowMs !== undefined) out.catchupWindow = toDuration(p.catchupWindowMs);
  if (p.startAt !== undefined) out.startAt = toTimestamp(p.startAt, undefined, 'policy.startAt');
  if (p.endAt !== undefined) out.endAt = toTimestamp(p.endAt, undefined, 'policy.endAt');
  if (p.maxRuns !== undefined) out.maxRuns = p.maxRuns;
  if (p.jitterMs !== undefined) out.jitter = toDuration(p.jitterMs);
  if (p.retryBackoff !== undefined) {
    const b = p.retryBackoff;
    const backoff: BackoffWire = {};
    if (b.initialMs !== undefined) backoff.initial = toDuration(b.initialMs);
    if (b.maxMs !== undefined) backoff.maximum = toDuration(b.maxMs);
    if (b.multiplier !== undefined) backoff.multiplier = b.multiplier;
    out.retryBackoff = backoff;
  }
  if (p.pauseOnFailure !== undefined) out.pauseOnFailure = p.pauseOnFailure;
  return out;
}

// A policy Duration to whole milliseconds; `range` is the limit of the field. A negative
// duration, one beyond the range of a Duration, and one with a finer remainder are refused.
// The field's path is `base` + `name`, joined only when there is an error to report.
function policyDuration(d: { seconds: string | number | { toString(): string }; nanos: number } | null | undefined, base: string, name: string, range: string): number | undefined {
  if (d === null || d === undefined) return undefined;
  const text = String(d.seconds);
  const seconds = Number(text);
  const nanos = d.nanos;
  if (!/^-?[0-9]+$/.test(text) || !Number.isSafeInteger(seconds) || Math.abs(seconds) > 315_576_000_000 || !Number.isInteger(nanos) || Math.abs(nanos) > 999_999_999 || (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
    throw new WireFormatError(base + name, `is not a valid google.protobuf.Duration (seconds ${text}, nanos ${nanos})`, range);
  }
  if (seconds < 0 || nanos < 0) throw new WireFormatError(base + name, `must not be negative, got seconds ${text}, nanos ${nanos}`, range);
  if (nanos % 1_000_000 !== 0) throw new WireFormatError(base + name, `must be a whole number of milliseconds, got nanos ${nanos}`, WHOLE_MS_LIMIT);
  return seconds * 1000 + nanos / 1_000_000;
}

// A policy Timestamp to a Date: in the Timestamp range and whole milliseconds.
function policyInstant(ts: Timestamp__Output | null | undefined, base: string, name: string): Date | undefined {
  if (ts === null || ts === undefined) return undefined;
  const field = base + name;
  let exact: Timestamp;
  try {
    exact = fromTimestamp(ts, field);
  } catch (error) {
    if (error instanceof WireFormatError) throw new WireFormatError(field, error.message.slice(field.length + 1), TIMESTAMP_RANGE);
    throw error;
  }
  if (exact.nanos % 1_000_000 !== 0) throw new WireFormatError(field, `must be a whole number of milliseconds, got nanos ${exact.nanos}`, WHOLE_MS_LIMIT);
  return new Date(timestampToMillis(exact));
}

const ms = (min: number, max: number): string => `${min}..${max} ms`;
const CATCHUP_RANGE = ms(LIMITS.catchupWindowMsMin, LIMITS.catchupWindowMsMax);
const JITTER_RANGE = ms(0, LIMITS.jitterMsMax);
const INITIAL_RANGE = ms(LIMITS.backoffInitialMsMin, LIMITS.backoffInitialMsMax);
const MAXIMUM_RANGE = ms(LIMITS.backoffMaxMsMin, LIMITS.backoffMaxMsMax);

/**
 * A wire SchedulePolicy (of a CreateJobRequest or a JobSpec) to the policy a caller would have
 * given, for validation: a field at its default (unspecified overlap, 0 max_runs, 0 multiplier,
 * false pause_on_failure, an unset message) is left out. An unset policy is undefined. What
 * cannot be converted exactly is refused: a Duration or Timestamp that is not a whole number of
 * milliseconds (limit `a whole number of milliseconds`), a negative Duration or one beyond the
 * Duration range (the field's range), a Timestamp outside 0001..9999, an overlap not listed
 * (`an overlap policy`).
 *
 * @param field the path of the policy in TypeScript names (`policy`), for errors.
 * @param before called with the fields read so far, in field-number order, when a field cannot be
 *   converted, before the error is thrown: so that a bad field before it is reported instead.
 * @throws {WireFormatError} naming the field as `policy.catchupWindowMs`, with its limit.
 */
export function policyFromWire(w: PolicyOut | null | undefined, field = 'policy', before: (read: SchedulePolicy) => void = () => {}): SchedulePolicy | undefined {
  if (w === null || w === undefined) return undefined;
  const out: SchedulePolicy = {};
  // Fields are read in field-number order, so `out` holds the fields read before the one at fault.
  try {
    const overlap = overlapFromWire(w.overlap, field + '.overlap');
    if (overlap !== undefined) out.overlap = overlap;
    const catchup = policyDuration(w.catchupWindow, field, '.catchupWindowMs', CATCHUP_RANGE);
    if (catchup !== undefined) out.catchupWindowMs = catchup;
    const startAt = policyInstant(w.startAt, field, '.startAt');
    if (startAt !== undefined) out.startAt = startAt;
    const endAt = policyInstant(w.endAt, field, '.endAt');
    if (endAt !== undefined) out.endAt = endAt;
    if (w.maxRuns !== 0 && w.maxRuns !== undefined && w.maxRuns !== null) out.maxRuns = w.maxRuns;
    const jitter = policyDuration(w.jitter, field, '.jitterMs', JITTER_RANGE);
    if (jitter !== undefined) out.jitterMs = jitter;
    const b = w.retryBackoff;
    if (b !== null && b !== undefined) {
      const backoff: RetryBackoffPolicy = {};
      out.retryBackoff = backoff;
      const initial = policyDuration(b.initial, field, '.retryBackoff.initialMs', INITIAL_RANGE);
      if (initial !== undefined) backoff.initialMs = initial;
      const maximum = policyDuration(b.maximum, field, '.retryBackoff.maxMs', MAXIMUM_RANGE);
      if (maximum !== undefined) backoff.maxMs = maximum;
      // 0 is the unset value of a double: the default, 2. Any other value is validated as it is.
      const multiplier = Number(b.multiplier);
      if (multiplier !== 0) backoff.multiplier = multiplier;
    }
  } catch (error) {
    if (error instanceof WireFormatError) before({ ...out, ...(out.retryBackoff === undefined ? {} : { retryBackoff: { ...out.retryBackoff } }) });
    throw error;
  }
  if (w.pauseOnFailure === true) out.pauseOnFailure = true;
  return out;
}

/**
 * A job's policy (`Job.policy`) to its wire form: every field the job shows, `overlap` and
 * `retry_backoff` always filled in.
 */
export function jobPolicyToWire(p: JobPolicy): PolicyWire {
  return policyToWire(p);
}

/**
 * A wire `Job.policy` to a job's policy, as a client reads it. The server fills in overlap and
 * retry_backoff: an unset policy, an unspecified overlap, an unset retry_backoff, initial or
 * maximum, or a multiplier of 0 is refused, as is anything that is not a whole number of
 * milliseconds or not a listed value.
 *
 * @throws {WireFormatError}
 */
export function jobPolicyFromWire(w: PolicyOut | null | undefined, field: string): JobPolicy {
  if (w === null || w === undefined) throw new WireFormatError(field, 'is required (a server fills in overlap and retry_backoff)');
  const read = policyFromWire(w, field)!;
  if (read.overlap === undefined) throw new WireFormatError(`${field}.overlap`, 'must be set: a server fills in the effective overlap policy', OVERLAP_LIMIT);
  const b = w.retryBackoff;
  const backoff = read.retryBackoff;
  if (b === null || b === undefined || backoff === undefined) throw new WireFormatError(`${field}.retryBackoff`, 'is required: a server fills in the effective retry backoff');
  if (backoff.initialMs === undefined) throw new WireFormatError(`${field}.retryBackoff.initialMs`, 'is required: a server fills in the effective retry backoff');
  if (backoff.maxMs === undefined) throw new WireFormatError(`${field}.retryBackoff.maxMs`, 'is required: a server fills in the effective retry backoff');
  const multiplier = backoff.multiplier;
  if (multiplier === undefined || !Number.isFinite(multiplier)) {
    throw new WireFormatError(`${field}.retryBackoff.multiplier`, `must be a number from 1 to 10: a server fills in the effective multiplier, got ${String(b.multiplier)}`, 'a number from 1 to 10');
  }
  read.retryBackoff = { initialMs: backoff.initialMs, maxMs: backoff.maxMs, multiplier };
  read.pauseOnFailure ??= false;
  return read as JobPolicy;
}

// ---- messages --------------------------------------------------------------------------------------

/** A Schedule to its wire form. */
export function scheduleToWire(s: Schedule): ScheduleWire {
  switch (s.type) {
    case 'cron':
      return { cron: { expression: s.expression, timezone: s.timezone ?? '' } };
    case 'one_shot':
      return { oneShot: { runAt: toTimestamp(s.runAt, undefined, 'schedule.runAt') } };
    case 'interval':
      return { interval: { every: toDuration(s.intervalMs) } };
  }
}

/** A wire Schedule to a Schedule. An empty time zone stays unset (it means UTC). */
export function scheduleFromWire(w: ScheduleOut | null | undefined, field = 'schedule'): Schedule {
  switch (w?.kind) {
    case 'cron': {
      const { expression, timezone } = w.cron!;
      return timezone === '' ? { type: 'cron', expression } : { type: 'cron', expression, timezone };
    }
    case 'oneShot': {
      // A Date holds milliseconds: a finer run_at is refused rather than cut.
      const runAt = fromTimestamp(w.oneShot!.runAt, `${field}.one_shot.run_at`);
      if (runAt.nanos % 1_000_000 !== 0) throw new WireFormatError(`${field}.one_shot.run_at`, `must be a whole number of milliseconds, got nanos ${runAt.nanos}`);
      return { type: 'one_shot', runAt: new Date(timestampToMillis(runAt)) };
    }
    case 'interval':
      return { type: 'interval', intervalMs: fromDuration(w.interval!.every, `${field}.intervalMs`) };
    default:
      throw new WireFormatError(field, 'must set one of cron, one_shot or interval');
  }
}

/** A Job to its wire form. */
export function jobToWire(job: Job): JobWire {
  const out: JobWire = {
    id: job.id,
    name: job.name,
    schedule: scheduleToWire(job.schedule),
    status: toStatusWire(job.status),
    payload: toValue(job.payload),
    maxRetries: job.maxRetries,
    timeoutSecs: job.timeoutSecs,
    createdAt: toTimestamp(job.createdAt, job.createdAtExact, 'createdAtExact'),
    key: job.key ?? '',
    labels: copyLabels(job.labels),
    revision: String(job.revision),
    updatedAt: toTimestamp(job.updatedAt, job.updatedAtExact, 'updatedAtExact'),
    policy: jobPolicyToWire(job.policy),
    statusNote: job.statusNote ?? '',
    stats: statsToWire(job.stats),
    runningExecutions: job.runningExecutions.map(executionToWire),
    remainingRuns: job.remainingRuns ?? 0,
  };
  if (job.nextRunAt !== undefined) out.nextRunAt = toTimestamp(job.nextRunAt, job.nextRunAtExact, 'nextRunAtExact');
  if (job.lastRunAt !== undefined) out.lastRunAt = toTimestamp(job.lastRunAt, job.lastRunAtExact, 'lastRunAtExact');
  if (job.lastResult !== undefined) out.lastResult = toResultWire(job.lastResult);
  return out;
}

const STAT_FIELDS = ['runs', 'succeeded', 'failed', 'timedOut', 'skipped', 'missed'] as const;

/** A job's counters to their wire form (int64s as decimal strings). */
export function statsToWire(stats: JobStats): StatsWire {
  const out: StatsWire = {};
  for (const f of STAT_FIELDS) out[f] = String(stats[f]);
  return out;
}

/**
 * Wire counters to a job's counters: each an integer from 0 to Number.MAX_SAFE_INTEGER (an int64
 * above it cannot be held exactly, and is refused rather than rounded). Unset counters are 0.
 *
 * @throws {WireFormatError}
 */
export function statsFromWire(w: StatsOut | null | undefined, field: string): JobStats {
  const out = { runs: 0, succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0 };
  if (w === null || w === undefined) return out;
  for (const f of STAT_FIELDS) out[f] = counterFromWire(w[f], field, f);
  return out;
}

const COUNTER = /^(0|[1-9][0-9]*)$/;

// An int64 counter (a decimal string) to a number from 0 to Number.MAX_SAFE_INTEGER.
function counterFromWire(value: string | number | null | undefined, base: string, name: string): number {
  if (value === '0' || value === 0 || value === null || value === undefined) return 0;
  const text = String(value);
  const n = Number(text);
  if (!COUNTER.test(text) || !Number.isSafeInteger(n)) {
    throw new WireFormatError(`${base}.${name}`, `must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${text}`, `0..${Number.MAX_SAFE_INTEGER}`);
  }
  return n;
}

/**
 * Due times (epoch milliseconds, or Dates) to the `upcoming_runs` of a DescribeJobResponse.
 */
export function upcomingRunsToWire(times: readonly (number | Date)[]): TimestampWire[] {
  return times.map((t) => toTimestamp(typeof t === 'number' ? new Date(t) : t, undefined, 'upcomingRuns'));
}

/**
 * The `upcoming_runs` of a DescribeJobResponse to Dates. Due times are whole milliseconds: a finer
 * one cannot be held exactly by a Date and is refused, as is a list that is not strictly increasing.
 *
 * @throws {WireFormatError}
 */
export function upcomingRunsFromWire(list: readonly Timestamp__Output[] | null | undefined, field = 'upcomingRuns'): Date[] {
  const out: Date[] = [];
  for (const [i, ts] of (list ?? []).entries()) {
    const exact = fromTimestamp(ts, `${field}[${i}]`);
    if (exact.nanos % 1_000_000 !== 0) throw new WireFormatError(`${field}[${i}]`, `must be a whole number of milliseconds, got nanos ${exact.nanos}`, WHOLE_MS_LIMIT);
    const date = new Date(timestampToMillis(exact));
    if (i > 0 && date.getTime() <= out[i - 1]!.getTime()) throw new WireFormatError(`${field}[${i}]`, 'must be later than the one before it (earliest first)');
    out.push(date);
  }
  return out;
}

/** A job and its upcoming due times (epoch ms or Dates) to a DescribeJobResponse. */
export function jobDescriptionToWire(job: Job, upcoming: readonly (number | Date)[]): DescribeWire {
  return { job: jobToWire(job), upcomingRuns: upcomingRunsToWire(upcoming) };
}

/**
 * A DescribeJobResponse to a JobDescription.
 * @throws {WireFormatError}
 */
export function jobDescriptionFromWire(w: DescribeOut): JobDescription {
  return { job: jobFromWire(w.job), upcomingRuns: upcomingRunsFromWire(w.upcomingRuns) };
}

/** A wire Job to a Job. */
export function jobFromWire(w: JobOut | null | undefined, field = 'job'): Job {
  if (w === null || w === undefined) throw new WireFormatError(field, 'is required');
  const status = fromStatusWire(w.status, field + '.status');
  if (status === undefined) throw new WireFormatError(`${field}.status`, 'must be set');
  const schedule = scheduleFromWire(w.schedule, `${field}.schedule`);
  const payload = fromValue(w.payload, `${field}.payload`);
  const [createdAt, createdAtExact] = readTimestamp(w.createdAt, field, '.createdAt');
  const revision = revisionFromWire(w.revision, `${field}.revision`);
  const [updatedAt, updatedAtExact] = readTimestamp(w.updatedAt, field, '.updatedAt');
  const policy = jobPolicyFromWire(w.policy, `${field}.policy`);
  const job: Job = {
    id: w.id,
    name: w.name,
    schedule,
    status,
    payload,
    maxRetries: w.maxRetries,
    timeoutSecs: w.timeoutSecs,
    createdAt,
    createdAtExact,
    labels: copyLabels(w.labels),
    revision,
    updatedAt,
    updatedAtExact,
    policy,
    stats: statsFromWire(w.stats, `${field}.stats`),
    runningExecutions: (w.runningExecutions ?? []).map((e, i) => {
      const execution = executionFromWire(e, `${field}.runningExecutions[${i}]`);
      if (execution.result !== 'running') throw new WireFormatError(`${field}.runningExecutions[${i}].result`, `must be running (an attempt in flight), got ${execution.result}`);
      return execution;
    }),
  };
  if (w.nextRunAt) [job.nextRunAt, job.nextRunAtExact] = readTimestamp(w.nextRunAt, field, '.nextRunAt');
  if (w.key !== '') job.key = w.key;
  if (w.statusNote !== '' && w.statusNote !== undefined && w.statusNote !== null) job.statusNote = w.statusNote;
  if (w.lastRunAt) [job.lastRunAt, job.lastRunAtExact] = readTimestamp(w.lastRunAt, field, '.lastRunAt');
  const lastResult = w.lastResult as string | number | null | undefined;
  if (lastResult !== undefined && lastResult !== null && lastResult !== 0 && lastResult !== 'EXECUTION_RESULT_UNSPECIFIED') {
    const result = fromResultWire(lastResult, `${field}.lastResult`);
    if (result === 'running') throw new WireFormatError(`${field}.lastResult`, 'must be succeeded, failed or timed_out (the result of a run that ended)');
    job.lastResult = result;
  }
  const remaining = w.remainingRuns ?? 0;
  if (policy.maxRuns !== undefined) {
    if (!Number.isInteger(remaining) || remaining < 0 || remaining > policy.maxRuns) {
      throw new WireFormatError(`${field}.remainingRuns`, `must be an integer from 0 to policy.maxRuns (${policy.maxRuns}), got ${remaining}`);
    }
    job.remainingRuns = remaining;
  } else if (remaining !== 0) {
    throw new WireFormatError(`${field}.remainingRuns`, `must be 0 for a job without policy.maxRuns, got ${remaining}`);
  }
  return job;
}

/**
 * A job's revision as the wire carries it (an int64, as a decimal string) to a number: an integer
 * from 1 to Number.MAX_SAFE_INTEGER. Anything else is refused, never rounded.
 *
 * @throws {WireFormatError}
 */
export function revisionFromWire(revision: string | number | null | undefined, field: string): number {
  const text = String(revision);
  const n = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(n)) {
    throw new WireFormatError(field, `must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}, got ${text}`, `1..${Number.MAX_SAFE_INTEGER}`);
  }
  return n;
}

/**
 * A label map, to or from its wire form: a fresh plain object with the same own entries (none for
 * an unset map). Every own entry is kept as data, a key named "__proto__" included
 * (Object.fromEntries defines it rather than setting the prototype), so that validation sees it and
 * refuses it instead of losing it.
 */
export function copyLabels(labels: Readonly<Record<string, string>> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}));
}

/** A JobExecution to its wire form. */
export function executionToWire(e: JobExecution): ExecutionWire {
  const out: ExecutionWire = {
    id: e.id,
    jobId: e.jobId,
    startedAt: toTimestamp(e.startedAt, e.startedAtExact, 'startedAtExact'),
    result: toResultWire(e.result),
    attempt: e.attempt,
  };
  if (e.finishedAt !== undefined) out.finishedAt = toTimestamp(e.finishedAt, e.finishedAtExact, 'finishedAtExact');
  if (e.error !== undefined) out.error = e.error;
  return out;
}

/** A wire JobExecution to a JobExecution. */
export function executionFromWire(w: ExecutionOut | null | undefined, field = 'execution'): JobExecution {
  if (w === null || w === undefined) throw new WireFormatError(field, 'is required');
  const [startedAt, startedAtExact] = readTimestamp(w.startedAt, field, '.startedAt');
  const out: JobExecution = {
    id: w.id,
    jobId: w.jobId,
    startedAt,
    startedAtExact,
    result: fromResultWire(w.result, `${field}.result`),
    attempt: w.attempt,
  };
  if (w.finishedAt) [out.finishedAt, out.finishedAtExact] = readTimestamp(w.finishedAt, field, '.finishedAt');
  if (w.error !== undefined && w.error !== null) out.error = w.error;
  return out;
}

/** A JobCompletedEvent to its wire form. */
export function eventToWire(e: JobCompletedEvent): EventWire {
  const out: EventWire = {
    jobId: e.jobId,
    executionId: e.executionId,
    completedAt: toTimestamp(e.completedAt, e.completedAtExact, 'completedAtExact'),
    result: toResultWire(e.result),
  };
  if (e.error !== undefined) out.error = e.error;
  if (e.attempt !== undefined) out.attempt = e.attempt;
  return out;
}

/** A wire JobCompletedEvent to a JobCompletedEvent. */
export function eventFromWire(w: EventOut, field = 'event'): JobCompletedEvent {
  const result = fromResultWire(w.result, `${field}.result`);
  if (result === 'running') throw new WireFormatError(`${field}.result`, 'must be succeeded, failed or timed_out');
  if (w.jobId === '') throw new WireFormatError(`${field}.jobId`, 'must not be empty');
  if (w.executionId === '') throw new WireFormatError(`${field}.executionId`, 'must not be empty');
  const [completedAt, completedAtExact] = readTimestamp(w.completedAt, field, '.completedAt');
  const out: JobCompletedEvent = { jobId: w.jobId, executionId: w.executionId, completedAt, completedAtExact, result };
  if (w.error !== undefined && w.error !== null) out.error = w.error;
  if (w.attempt !== 0) out.attempt = w.attempt;
  return out;
}

/** A JobRequest (already validated) to a CreateJobRequest. */
export function jobRequestToWire(r: Omit<JobRequest, 'policy'> & { policy?: SchedulePolicy | ResolvedPolicy | undefined }, requestId: string): CreateJobRequestWire {
  const out: CreateJobRequestWire = { ...jobSpecToWire({ ...r, payload: r.payload ?? null }), requestId };
  if (r.key !== undefined && r.key !== '') out.key = r.key;
  return out;
}

/** How {@link jobRequestFromWire} reports a field it cannot convert. */
export interface JobRequestFromWireOptions {
  /** The RPC, for messages. @default 'CreateJob' */
  operation?: string;
  /** The scheduler's current time, so that a schedule that breaks a clock rule is reported in field order too. */
  now?: number;
  /** A payload problem found while decoding the bytes, reported as the payload's conversion error. */
  payloadProblem?: WireFormatError;
}

// Stand-ins for a field that could not be converted, valid by every rule, so that validating the
// request finds only the bad fields before it.
const VALID_SCHEDULE: Schedule = { type: 'interval', intervalMs: 1_000 };

// The limit of a schedule field whose wire value could not be converted, by the proto's "limit" format.
const SCHEDULE_LIMITS: Record<string, string> = {
  schedule: 'one of cron, one_shot, interval',
  'schedule.one_shot.run_at': TIMESTAMP_RANGE,
  'schedule.interval.every': INTERVAL_RANGE,
};

// A conversion failure as the SchedulerError of its field: INVALID_SCHEDULE for the schedule,
// INVALID_ARGUMENT for the payload and the policy, named by its proto path (with `prefix` in front: `spec.`), with
// the limit. The failure names the field without the prefix.
function conversionError(failure: WireFormatError, operation: string, prefix = ''): SchedulerError {
  const payload = failure.field.startsWith('payload');
  const local = payload ? failure.field : protoFieldPath(failure.field.split('.'));
  const field = `${prefix}${local}`;
  const text = `${field}${failure.message.slice(failure.field.length)}`;
  const limit = failure.limit ?? SCHEDULE_LIMITS[local];
  return new SchedulerError(failure.field.startsWith('schedule') ? 'INVALID_SCHEDULE' : 'INVALID_ARGUMENT', `${operation}: ${text}`, {
    operation,
    field,
    ...(limit === undefined ? {} : { limit }),
    cause: failure,
  });
}

/**
 * A CreateJobRequest to a JobRequest, for the engine to validate.
 *
 * A field that cannot be converted (a Timestamp or Duration out of range, a NaN in the payload)
 * is an error, but the error reported is that of the first bad field in field-number order: the
 * fields before the one that failed are validated first, and a bad one among them is reported
 * instead.
 *
 * @throws {SchedulerError} of the first bad field: `INVALID_SCHEDULE` or `INVALID_ARGUMENT`,
 *   naming the field by its proto path (`schedule.one_shot.run_at`, `payload/items/0`) and the
 *   limit.
 */
export function jobRequestFromWire(w: CreateJobRequestOut, options: JobRequestFromWireOptions = {}): JobRequest {
  const operation = options.operation ?? 'CreateJob';
  const spec = specFieldsFromWire(w, JOB_SPEC_FIELDS, { operation, prefix: '', payloadProblem: options.payloadProblem }, (read) => {
    // The stand-ins are valid: this throws the error of the name, or of the schedule when the
    // payload failed, if either is bad.
    parseJobRequest({ schedule: VALID_SCHEDULE, ...read }, operation);
    if (read.schedule !== undefined && options.now !== undefined) checkScheduleTiming(read.schedule as Schedule, { operation, now: options.now });
  });
  const out = spec as unknown as JobRequest;
  if (w.requestId !== '') out.requestId = w.requestId;
  // An empty key on the wire is no key.
  if (w.key !== '') out.key = w.key;
  return out;
}

/**
 * Converts the JobSpec fields of a CreateJobRequest or a JobSpec, in field-number order: one own
 * key for each field read, a field unset on the wire as `undefined` (its default). When a field
 * cannot be converted, `before` is called with the fields read before it, to throw the error of a
 * bad one among them (the first bad field in field-number order wins); otherwise the conversion
 * error is thrown, named by its proto path with `prefix` in front.
 */
function specFieldsFromWire(
  w: JobSpecOut | CreateJobRequestOut | null | undefined,
  fields: readonly JobSpecField[],
  options: { operation: string; prefix: string; payloadProblem: WireFormatError | undefined },
  before: (read: Partial<Record<JobSpecField, unknown>>) => void,
): Partial<Record<JobSpecField, unknown>> {
  const out: Partial<Record<JobSpecField, unknown>> = {};
  for (const field of fields) {
    try {
      // A policy field that cannot be converted: a bad policy field before it is reported instead.
      out[field] = field === 'policy' ? policyFromWire(w?.policy, 'policy', (policy) => before({ ...out, policy })) : specFieldFromWire(w, field, options.payloadProblem);
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      before(out);
      throw conversionError(error, options.operation, options.prefix);
    }
  }
  return out;
}

// ---- JobSpec, ApplyJob ---------------------------------------------------------------------------

/**
 * The fields of a JobSpec (as a caller gives them to applyJob, or the changes of updateJob) to a
 * wire JobSpec. Only the fields present are set; an unset optional field (`maxRetries`,
 * `timeoutSecs`, `policy`) stays unset, which means its default. The spec must already be valid;
 * its policy may be the caller's or the resolved one of a validated spec.
 */
export function jobSpecToWire(spec: Partial<Omit<JobSpec, 'policy'>> & { policy?: SchedulePolicy | ResolvedPolicy | undefined }): JobSpecWire {
  const out: JobSpecWire = {};
  if (spec.name !== undefined) out.name = spec.name;
  if (spec.schedule !== undefined) out.schedule = scheduleToWire(spec.schedule);
  if (spec.payload !== undefined) out.payload = toValue(spec.payload);
  if (spec.maxRetries !== undefined) out.maxRetries = spec.maxRetries;
  if (spec.timeoutSecs !== undefined) out.timeoutSecs = spec.timeoutSecs;
  if (spec.labels !== undefined) out.labels = copyLabels(spec.labels);
  if (spec.policy !== undefined) out.policy = policyToWire(spec.policy);
  return out;
}

/** How {@link jobSpecFromWire} reads a JobSpec. */
export interface JobSpecFromWireOptions {
  /** The RPC, for messages. */
  operation: string;
  /**
   * The fields to read, in field-number order (UpdateJob's mask); the others are ignored, neither
   * converted nor checked. @default every field (ApplyJob)
   */
  fields?: readonly JobSpecField[];
  /** A payload problem found while decoding the bytes (a "__proto__" key), with its field as `payload/…`. */
  payloadProblem?: WireFormatError;
}

/**
 * A wire JobSpec (the `spec` of ApplyJob or UpdateJob) to the object the engine validates: one own
 * key for each field read, a field unset on the wire as `undefined` (its default: payload null,
 * max_retries 3, timeout_secs 60). An unset spec reads as an empty one.
 *
 * A field that cannot be converted is an error, but the error reported is that of the first bad
 * field in field-number order, as for CreateJob: the fields read before it are validated first.
 *
 * @throws {SchedulerError} of the first bad field, named `spec.<field>`.
 */
export function jobSpecFromWire(w: JobSpecOut | null | undefined, options: JobSpecFromWireOptions): Partial<Record<JobSpecField, unknown>> {
  const { operation } = options;
  return specFieldsFromWire(w, options.fields ?? JOB_SPEC_FIELDS, { operation, prefix: 'spec.', payloadProblem: options.payloadProblem }, (read) => {
    // Stand-ins for the fields not read, valid by every rule: this throws the error of a field
    // read before this one, if one is bad.
    parseJobSpec({ name: 'x', schedule: VALID_SCHEDULE, ...read }, operation);
  });
}

function specFieldFromWire(w: JobSpecOut | CreateJobRequestOut | null | undefined, field: JobSpecField, payloadProblem: WireFormatError | undefined): unknown {
  switch (field) {
    case 'name':
      return w?.name ?? '';
    case 'schedule':
      return scheduleFromWire(w?.schedule);
    case 'payload':
      if (payloadProblem !== undefined) throw payloadProblem;
      return w?.payload === null || w?.payload === undefined ? undefined : fromValue(w.payload, 'payload');
    case 'maxRetries':
      return w?.maxRetries ?? undefined;
    case 'timeoutSecs':
      return w?.timeoutSecs ?? undefined;
    case 'labels':
      return copyLabels(w?.labels);
    case 'policy':
      return policyFromWire(w?.policy);
  }
}

const PROTO_SPEC_FIELDS = new Map<string, JobSpecField>(JOB_SPEC_FIELDS.map((f) => [SPEC_FIELD_PROTO_NAMES[f], f]));

/** The JobSpec field of a proto field name (`max_retries` -> `maxRetries`); undefined for any other name. */
export function specFieldOfProtoName(name: string): JobSpecField | undefined {
  return PROTO_SPEC_FIELDS.get(name);
}

const ACTIONS = { created: 'APPLY_ACTION_CREATED', updated: 'APPLY_ACTION_UPDATED', unchanged: 'APPLY_ACTION_UNCHANGED' } as const;
const ACTION_OF = new Map<string, ApplyJobResult['action']>(Object.entries(ACTIONS).map(([a, w]) => [w, a as ApplyJobResult['action']]));

/** An apply action to its wire enum: `'created'` to `'APPLY_ACTION_CREATED'`. */
export function applyActionToWire(action: ApplyJobResult['action']): (typeof ACTIONS)[keyof typeof ACTIONS] {
  return ACTIONS[action];
}

/**
 * An ApplyJobResponse to an ApplyJobResult. The action must be CREATED, UPDATED or UNCHANGED;
 * changed_fields must be JobSpec field names, each once, in field-number order, and only for
 * UPDATED; the job is required except for a dry-run create, where it must be unset.
 *
 * @param dryRun whether the request was a dry run.
 * @throws {WireFormatError}
 */
export function applyResultFromWire(w: { job: JobOut | null; action: ApplyActionWire | string | number; changedFields: string[] }, dryRun: boolean): ApplyJobResult {
  const action = typeof w.action === 'string' ? ACTION_OF.get(w.action) : undefined;
  if (action === undefined) throw new WireFormatError('action', `is not CREATED, UPDATED or UNCHANGED: ${String(w.action)}`);
  const changedFields: JobSpecField[] = [];
  for (const [i, name] of w.changedFields.entries()) {
    const field = specFieldOfProtoName(name);
    if (field === undefined) throw new WireFormatError(`changed_fields[${i}]`, `is not a JobSpec field: ${JSON.stringify(name)}`);
    const last = changedFields[changedFields.length - 1];
    if (last !== undefined && JOB_SPEC_FIELDS.indexOf(field) <= JOB_SPEC_FIELDS.indexOf(last)) {
      throw new WireFormatError(`changed_fields[${i}]`, `repeats a field or breaks field-number order: ${JSON.stringify(name)}`);
    }
    changedFields.push(field);
  }
  if (action === 'updated' ? changedFields.length === 0 : changedFields.length > 0) {
    throw new WireFormatError('changed_fields', action === 'updated' ? 'is empty for UPDATED' : `is not empty for ${action.toUpperCase()}`);
  }
  const result: ApplyJobResult = { action, changedFields };
  const absent = dryRun && action === 'created';
  if (absent && w.job !== null && w.job !== undefined) throw new WireFormatError('job', 'is set for a dry-run create, where no job exists');
  if (!absent) result.job = jobFromWire(w.job);
  return result;
}
