// The request schemas, and the validation every client and server runs with them. The schemas are
// the one source of the request types: `JobRequest`, `JobFilter` and `Schedule` are their
// `z.input`, and `ValidatedJobRequest` is their `z.output` with the defaults applied.
//
// zod is loaded, and the schemas built, on first use rather than on import: loading zod is most of
// what importing this package would otherwise cost.
import { createRequire } from 'node:module';
import type { z } from 'zod';
import { SchedulerError, type SchedulerErrorCode } from './errors.js';
import { DEFAULTS, LIMITS } from './limits.js';
import { compileCron, cronDialectProblem } from './cron.js';
import { JOB_STATUSES, jsonPointerToken, type JobStatus, type JsonValue } from './primitives.js';
import { timeZoneNames } from './time-zones.js';
import { DEFAULT_RETRY_BACKOFF, OVERLAP_POLICIES, POLICY_FIELDS as POLICY_MEMBERS, RETRY_BACKOFF_FIELDS, resolvePolicy, type OverlapPolicy, type ResolvedPolicy, type SchedulePolicy } from './policy.js';

// ---- the types of the schemas ------------------------------------------------------------------------
// Written out so that the declaration files name each field with its documentation; every schema
// built below is checked against them. The value types are derived from these, never written twice.

/** A schema whose input and output are `T`. */
type Checked<T> = z.ZodType<T, T>;

/** The fields of a cron schedule, each with its schema. */
type CronScheduleShape = {
  /** `'cron'`: runs on a cron expression. */
  type: z.ZodLiteral<'cron'>;
  /** 5 fields, 6 with seconds first, or one of `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`; it must fire at least once more. */
  expression: z.ZodString;
  /**
   * The IANA time zone the expression is read in, such as `'Europe/Berlin'`: a Zone or Link name of
   * the tz database spelt exactly (case-sensitive). @default 'UTC'
   */
  timezone: z.ZodOptional<z.ZodString>;
};

/** The fields of a one-shot schedule, each with its schema. */
type OneShotScheduleShape = {
  /** `'one_shot'`: runs once. */
  type: z.ZodLiteral<'one_shot'>;
  /**
   * When it runs: a valid Date from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, no more than
   * 1 s in the past when the job is created.
   */
  runAt: Checked<Date>;
};

/** The fields of an interval schedule, each with its schema. */
type IntervalScheduleShape = {
  /** `'interval'`: runs again and again. */
  type: z.ZodLiteral<'interval'>;
  /** Milliseconds from one run to the next: an integer from 1000 (1 s) to 3,155,760,000,000 (100 years of 365.25 days). */
  intervalMs: Checked<number>;
};

/** The fields of a {@link JobRequest}, each with its schema. */
type JobRequestShape = {
  /** 1 to 128 Unicode code points, not only white space (see {@link isBlank}). Need not be unique. */
  name: z.ZodString;
  /** When the job runs; build it with `Schedule.cron`, `Schedule.oneShot` or `Schedule.interval`. */
  schedule: typeof ScheduleSchema;
  /**
   * Any JSON value, up to 1 MiB (1,048,576 bytes) as `JSON.stringify` writes it in UTF-8, and 32
   * levels deep (`[1]` is 1 level); handed to every run. @default null
   */
  payload: z.ZodOptional<typeof PayloadSchema>;
  /** How many times a failed or timed-out attempt is retried, 0 to 100. @default 3 */
  maxRetries: z.ZodOptional<Checked<number>>;
  /** How long one attempt may run, 1 to 86,400 seconds. @default 60 */
  timeoutSecs: z.ZodOptional<Checked<number>>;
  /**
   * Idempotency key, at most 128 characters. A create repeated with the same key and the same
   * request returns the first job instead of making a second one. The gRPC client picks a fresh
   * key per call when this is unset, and reuses it on its own retries.
   */
  requestId: z.ZodOptional<z.ZodString>;
  /**
   * A key of your choosing, unique among the jobs that exist: 1 to 128 Unicode code points, not
   * only white space (`''` means none). The job can then be named by `{ key }` wherever a job is
   * named, and `applyJob` finds it by it. A key that another job has is a `CONFLICT`.
   */
  key: z.ZodOptional<z.ZodString>;
  /**
   * Labels: at most 64; each key 1 to 63 characters of `a-z 0-9 _ - .` starting with `a-z`; each
   * value 0 to 128 code points. `listJobs({ labels })` selects by them. @default {}
   */
  labels: z.ZodOptional<Checked<Record<string, string>>>;
  /**
   * What the job's fires do: overlap, catch-up window, start and end, most runs, jitter, retry
   * backoff, pause on failure. Every field is optional; every default keeps the behaviour of a job
   * without a policy. @default {}
   */
  policy: z.ZodOptional<Checked<SchedulePolicy>>;
};

/** The fields of a {@link JobFilter}, each with its schema. */
type JobFilterShape = {
  /** Only jobs in this status. */
  status: z.ZodOptional<z.ZodEnum<{ [S in JobStatus]: S }>>;
  /** Only jobs whose name starts with this (case-sensitive, at most 128 characters). */
  namePrefix: z.ZodOptional<z.ZodString>;
  /** Only jobs that have every one of these labels with exactly this value. */
  labels: z.ZodOptional<Checked<Record<string, string>>>;
};

/** The fields of a {@link JobSpec}, each with its schema. */
type JobSpecShape = Omit<JobRequestShape, 'requestId' | 'key'>;

type CronScheduleSchema = z.ZodObject<CronScheduleShape, z.core.$strict>;
type OneShotScheduleSchema = z.ZodObject<OneShotScheduleShape, z.core.$strict>;
type IntervalScheduleSchema = z.ZodObject<IntervalScheduleShape, z.core.$strict>;

// ---- loading zod ---------------------------------------------------------------------------------

type Zod = typeof z;
let zod: Zod | undefined;

/**
 * zod, loaded on first use. Validation is synchronous, so zod is required rather than imported,
 * which gives its CommonJS build in both builds of this package.
 */
export function loadZod(): Zod {
  return (zod ??= (createRequire(import.meta.url)('zod') as typeof import('zod')).z);
}

/**
 * A stand-in for a schema that is built on first use: every operation on it (a method call, a
 * property, `instanceof`, use inside another schema) builds the schema and goes to it.
 */
function lazySchema<T extends object>(get: () => T): T {
  const handler: ProxyHandler<object> = {
    get: (_, key) => Reflect.get(get(), key),
    set: (_, key, value) => Reflect.set(get(), key, value),
    has: (_, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    // Reported as configurable, because the stand-in itself has none of these properties.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(get(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(get(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(get(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
  };
  // util.inspect (console.log) looks at the target of a proxy, not through it: point it at the schema.
  const target = { [Symbol.for('nodejs.util.inspect.custom')]: (_depth: number, options: object, inspect: (value: unknown, options: object) => string) => inspect(get(), options) };
  return new Proxy<object>(target, handler) as T;
}

// ---- messages ------------------------------------------------------------------------------------

// Every issue carries the limit it broke in `params.limit`, so that the SchedulerError can name it.
type Ctx = z.core.$RefinementCtx;
function fail(ctx: Ctx, message: string, limit?: string, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: 'custom', message, path, params: limit === undefined ? {} : { limit } });
}

/** Length in Unicode code points, the unit every k1s0 client counts in. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `a string of ${codePointLength(value)} characters`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n (a BigInt)`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  return Array.isArray(value) ? 'an array' : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

// The rule and the wording of every integer bound.
function integerProblem(value: unknown, min: number, max: number): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  return `must be an integer from ${min} to ${max}, got ${describe(value)}`;
}

const rangeLimit = (min: number, max: number): string => `${min}..${max}`;
/** The `limit` of a one-shot run_at outside google.protobuf.Timestamp (the proto's FROM..TO form). */
export const TIMESTAMP_RANGE = '0001-01-01T00:00:00Z..9999-12-31T23:59:59.999Z';
/** The `limit` of an interval out of range (the proto's MIN..MAX ms form). */
export const INTERVAL_RANGE = `${LIMITS.intervalMsMin}..${LIMITS.intervalMsMax} ms`;

/**
 * Checks an integer argument against its bounds, by the rule and in the words of every integer
 * limit of a request (`maxRetries`, `timeoutSecs`).
 *
 * @returns the value.
 * @throws {SchedulerError} `INVALID_ARGUMENT` naming the field and the bounds (`limit` is `min..max`).
 */
export function checkIntegerArgument(value: unknown, min: number, max: number, where: { operation: string; field: string }): number {
  const problem = integerProblem(value, min, max);
  if (problem === undefined) return value as number;
  const { operation, field } = where;
  throw new SchedulerError('INVALID_ARGUMENT', `${operation}: ${field} ${problem}`, { operation, field, limit: rangeLimit(min, max) });
}

/**
 * True for a time zone name the contract accepts: a Zone or Link name of the IANA tz database
 * (release 2025b, without "Factory"), spelt exactly as there, such as `Europe/Berlin`,
 * `Asia/Calcutta`, `US/Eastern` or `UTC`. The comparison is case-sensitive (`europe/berlin` is
 * refused), and offsets such as `+09:00` are not names. The empty string is not a name; a schedule
 * whose time zone is unset or empty means `UTC`.
 */
export function isIanaTimeZone(tz: string): boolean {
  if (!timeZoneNames().has(tz)) return false;
  let known = runtimeZones.get(tz);
  if (known === undefined) {
    // Every listed name is one the runtime can compute with; a runtime whose own time zone data
    // lacks one refuses it rather than run it in another zone. Asked once per name.
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      known = true;
    } catch {
      known = false;
    }
    runtimeZones.set(tz, known);
  }
  return known;
}

/** Whether the runtime computes with each listed zone name asked about so far (at most 597). */
const runtimeZones = new Map<string, boolean>();

// The Unicode White_Space property (Unicode 15.1 and every version since 6.0): 25 code points.
// U+FEFF and U+180E are not among them, nor U+001C..U+001F.
const WHITE_SPACE_ONLY = /^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$/;

/**
 * True when a string is empty or consists only of white space: the code points with the Unicode
 * White_Space property, U+0009..U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028,
 * U+2029, U+202F, U+205F and U+3000. This is not `trim()`'s set: U+FEFF is not white space here,
 * and U+0085 is.
 */
export function isBlank(s: string): boolean {
  return WHITE_SPACE_ONLY.test(s);
}

// ---- labels --------------------------------------------------------------------------------------

const LABEL_KEY = /^[a-z][a-z0-9_.-]{0,62}$/;

/** The `limit` of a label key that breaks the key rule (the proto's fixed phrase). */
export const LABEL_KEY_LIMIT = 'a label key';

// The first problem of a labels map, checking its entries in code-unit order of their keys.
function labelsProblem(value: unknown): JsonProblem | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) {
    return problem([], `must be a plain object of string values, got ${describe(value)}`, 'a map of strings');
  }
  const keys = Object.keys(value).sort();
  if (keys.length > LIMITS.labelsMax) return problem([], `must have at most ${LIMITS.labelsMax} labels, got ${keys.length}`, `at most ${LIMITS.labelsMax} labels`);
  for (const key of keys) {
    if (!LABEL_KEY.test(key)) {
      return problem([], `has the key ${JSON.stringify(key)}, which is not a label key (1 to ${LIMITS.labelKeyMaxChars} characters of a-z 0-9 _ - . starting with a-z)`, LABEL_KEY_LIMIT);
    }
    const v = (value as Record<string, unknown>)[key];
    if (typeof v !== 'string') return problem([key], `must be a string, got ${describe(v)}`, 'a string');
    if (!v.isWellFormed()) return problem([key], 'must be well-formed Unicode (it has a lone surrogate)', 'well-formed UTF-8');
    const length = codePointLength(v);
    if (length > LIMITS.labelValueMaxChars) return problem([key], `must be 0 to ${LIMITS.labelValueMaxChars} characters, got ${length}`, `0..${LIMITS.labelValueMaxChars} code points`);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) return problem([], 'has symbol keys, which a label map cannot carry');
  return undefined;
}

// ---- schedule policies ---------------------------------------------------------------------------

/** The `limit` of a `policy.endAt` before `policy.startAt` (the proto's fixed phrase). */
export const END_AT_LIMIT = 'no earlier than policy.start_at';
/** The `limit` of a `policy.retryBackoff.maxMs` below `initialMs` (the proto's fixed phrase). */
export const BACKOFF_MAXIMUM_LIMIT = 'no less than policy.retry_backoff.initial';
/** The `limit` of a `policy.retryBackoff.multiplier` out of range (the proto's fixed phrase). */
export const MULTIPLIER_LIMIT = 'a number from 1 to 10';
/** The `limit` of a duration that is not a whole number of milliseconds (the proto's fixed phrase). */
export const WHOLE_MS_LIMIT = 'a whole number of milliseconds';

// One problem of a policy: a bad value (with its limit, if it has one), or keys no field has.
type PolicyIssue = { path: PropertyKey[]; message: string; limit: string | undefined } | { path: PropertyKey[]; unknownKeys: string[] };


function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

// The rule and the wording of a duration in whole milliseconds between two bounds.
function durationProblem(value: unknown, min: number, max: number): { message: string; limit: string } | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && !Number.isInteger(value)) {
    return { message: `must be an integer (a whole number of milliseconds), got ${value}`, limit: WHOLE_MS_LIMIT };
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  return { message: `must be an integer number of milliseconds from ${min} to ${max}, got ${describe(value)}`, limit: `${min}..${max} ms` };
}

// The rule and the wording of an instant: a valid Date in the google.protobuf.Timestamp range.
function dateProblem(d: unknown): { message: string; limit: string } | undefined {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) return { message: `must be a valid Date, got ${describe(d)}`, limit: TIMESTAMP_RANGE };
  const ms = d.getTime();
  if (ms < LIMITS.timestampMinMs || ms > LIMITS.timestampMaxMs) {
    return { message: `must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z (the google.protobuf.Timestamp range), got ${d.toISOString()}`, limit: TIMESTAMP_RANGE };
  }
  return undefined;
}

/**
 * Every problem of a {@link SchedulePolicy}, in field-number order (overlap 1, catchup_window 2,
 * start_at 3, end_at 4, max_runs 5, jitter 6, retry_backoff 7 with initial 1, maximum 2,
 * multiplier 3, pause_on_failure 8); keys no field has come last. Paths are relative to the policy.
 */
function policyProblems(value: unknown): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  if (!isPlainObject(value)) return [{ path: [], message: `must be an object, got ${describe(value)}`, limit: undefined }];
  const add = (path: PropertyKey[], found: { message: string; limit: string } | undefined): boolean => {
    if (found !== undefined) issues.push({ path, ...found });
    return found === undefined;
  };
  const p = value;
  if (p.overlap !== undefined) add(['overlap'], overlapProblem(p.overlap));
  if (p.catchupWindowMs !== undefined) add(['catchupWindowMs'], durationProblem(p.catchupWindowMs, LIMITS.catchupWindowMsMin, LIMITS.catchupWindowMsMax));
  const startOk = p.startAt !== undefined && add(['startAt'], dateProblem(p.startAt));
  const endOk = p.endAt !== undefined && add(['endAt'], dateProblem(p.endAt));
  if (startOk && endOk && (p.endAt as Date).getTime() < (p.startAt as Date).getTime()) {
    add(['endAt'], { message: `must be no earlier than startAt (${(p.startAt as Date).toISOString()}), got ${(p.endAt as Date).toISOString()}`, limit: END_AT_LIMIT });
  }
  if (p.maxRuns !== undefined) {
    const found = integerProblem(p.maxRuns, 0, LIMITS.maxRunsMax);
    if (found !== undefined) add(['maxRuns'], { message: found, limit: rangeLimit(0, LIMITS.maxRunsMax) });
  }
  if (p.jitterMs !== undefined) add(['jitterMs'], durationProblem(p.jitterMs, 0, LIMITS.jitterMsMax));
  const b = p.retryBackoff;
  if (b !== undefined) {
    if (!isPlainObject(b)) {
      issues.push({ path: ['retryBackoff'], message: `must be an object, got ${describe(b)}`, limit: undefined });
    } else {
      const initialOk = b.initialMs === undefined || add(['retryBackoff', 'initialMs'], durationProblem(b.initialMs, LIMITS.backoffInitialMsMin, LIMITS.backoffInitialMsMax));
      const maxOk = b.maxMs === undefined || add(['retryBackoff', 'maxMs'], durationProblem(b.maxMs, LIMITS.backoffMaxMsMin, LIMITS.backoffMaxMsMax));
      // The rule holds between the effective values: an unset one is its default (1 s, 60 s).
      const initial = (b.initialMs as number | undefined) ?? DEFAULT_RETRY_BACKOFF.initialMs;
      const maximum = (b.maxMs as number | undefined) ?? DEFAULT_RETRY_BACKOFF.maxMs;
      if (initialOk && maxOk && maximum < initial) {
        const initialText = b.initialMs === undefined ? `${initial}, the default of an unset initialMs` : String(initial);
        const got = b.maxMs === undefined ? `${maximum}, the default of an unset maxMs` : String(maximum);
        add(['retryBackoff', 'maxMs'], { message: `must be no less than initialMs (${initialText}), got ${got}`, limit: BACKOFF_MAXIMUM_LIMIT });
      }
      const m = b.multiplier;
      if (m !== undefined && !(typeof m === 'number' && m >= LIMITS.backoffMultiplierMin && m <= LIMITS.backoffMultiplierMax)) {
        add(['retryBackoff', 'multiplier'], { message: `must be a number from ${LIMITS.backoffMultiplierMin} to ${LIMITS.backoffMultiplierMax}, got ${describe(m)}`, limit: MULTIPLIER_LIMIT });
      }
      const unknown = unknownKeys(b, RETRY_BACKOFF_FIELDS);
      if (unknown.length > 0) issues.push({ path: ['retryBackoff'], unknownKeys: unknown });
    }
  }
  if (p.pauseOnFailure !== undefined && typeof p.pauseOnFailure !== 'boolean') {
    add(['pauseOnFailure'], { message: `must be true or false, got ${describe(p.pauseOnFailure)}`, limit: 'a boolean' });
  }
  const unknown = unknownKeys(p, POLICY_MEMBERS);
  if (unknown.length > 0) issues.push({ path: [], unknownKeys: unknown });
  return issues;
}

// The own keys of an object that are not among `known` (symbol keys as their description).
function unknownKeys(value: object, known: readonly string[]): string[] {
  const keys = Object.keys(value).filter((k) => !known.includes(k));
  for (const symbol of Object.getOwnPropertySymbols(value)) keys.push(String(symbol));
  return keys;
}

// ---- payloads ------------------------------------------------------------------------------------

interface JsonProblem {
  message: string;
  limit: string;
  path: PropertyKey[];
}

/**
 * Checks a payload and serializes it, once: the compact JSON is both what the size limit is measured
 * on and what a scheduler stores.
 */
function serializePayload(value: unknown): { json: string } | JsonProblem {
  const found = checkJson(value);
  if (found !== undefined) return found;
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > LIMITS.payloadMaxBytes) {
    return problem([], `must be at most ${LIMITS.payloadMaxBytes} bytes (1 MiB) as JSON, got ${bytes}`, `at most ${LIMITS.payloadMaxBytes} bytes`);
  }
  return { json };
}

// Walks a value and reports the first thing JSON cannot carry unchanged: JSON.stringify would
// silently drop or rewrite these, and a scheduler must never lose data.
function checkJson(value: unknown, path: PropertyKey[] = [], ancestors: object[] = []): JsonProblem | undefined {
  switch (typeof value) {
    case 'string':
      return value.isWellFormed() ? undefined : problem(path, 'is a string that is not well-formed Unicode', 'well-formed UTF-8');
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : problem(path, `is ${value}, which JSON cannot represent`, 'a finite number');
    case 'undefined':
      return problem(path, 'is undefined, which JSON cannot represent (use null)');
    case 'bigint':
      return problem(path, 'is a BigInt, which JSON cannot represent (use a string or a number)');
    case 'function':
    case 'symbol':
      return problem(path, `is a ${typeof value}, which JSON cannot represent`);
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.includes(object)) return problem(path, 'refers to itself (a cycle), which JSON cannot represent', 'no cycles');
  if (ancestors.length >= LIMITS.payloadMaxDepth) {
    return problem(path, `is nested deeper than ${LIMITS.payloadMaxDepth} levels`, `at most ${LIMITS.payloadMaxDepth} levels`);
  }
  ancestors.push(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        if (!(i in object)) return problem([...path, i], 'has a hole, which JSON would turn into null');
        const found = checkJson(object[i], [...path, i], ancestors);
        if (found) return found;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      const hint = object instanceof Date ? ' (use toISOString())' : '';
      return problem(path, `is a ${kind}, not a plain object, which JSON would not keep as it is${hint}`);
    }
    for (const key of Object.keys(object)) {
      if (!key.isWellFormed()) return problem(path, 'has a key that is not well-formed Unicode', 'well-formed UTF-8');
      // JavaScript protobuf runtimes decode a map key "__proto__" by assigning it, losing it.
      if (key === '__proto__') return problem(path, "has a key named '__proto__', which protobuf cannot carry to every language (rename it)", 'no "__proto__" keys');
      const found = checkJson((object as Record<string, unknown>)[key], [...path, key], ancestors);
      if (found) return found;
    }
    if (Object.getOwnPropertySymbols(object).length > 0) return problem(path, 'has symbol keys, which JSON cannot represent');
    return undefined;
  } finally {
    ancestors.pop();
  }
}

function problem(path: PropertyKey[], message: string, limit = 'a JSON value'): JsonProblem {
  return { message, limit, path };
}

// ---- the schemas ---------------------------------------------------------------------------------

// Builds every schema; run once, on first use.
function buildSchemas(z: Zod) {
  // A schema that takes any value and leaves every check to `check`, so that each message can say
  // what it got; typed as what `check` lets through.
  const checked = <T>(check: (value: unknown, ctx: Ctx) => void): Checked<T> => z.unknown().superRefine(check) as Checked<T>;

  const boundedText = (min: number, max: number): z.ZodString =>
    z.string({ error: 'must be a string' }).superRefine((value, ctx) => {
      const length = codePointLength(value);
      if (length < min || length > max) {
        fail(ctx, `must be ${min} to ${max} characters, got ${length}`, `${min}..${max} code points`);
      } else if (!value.isWellFormed()) {
        fail(ctx, 'must be well-formed Unicode (it has a lone surrogate)', 'well-formed UTF-8');
      }
    });

  const integerIn = (min: number, max: number): Checked<number> =>
    checked<number>((value, ctx) => {
      const found = integerProblem(value, min, max);
      if (found !== undefined) fail(ctx, found, rangeLimit(min, max));
    });

  const objectError = { error: (issue: z.core.$ZodRawIssue) => (issue.code === 'invalid_type' ? 'must be an object' : undefined) };

  const JobName = boundedText(1, LIMITS.nameMaxChars).superRefine((value, ctx) => {
    if (isBlank(value)) fail(ctx, 'must not be blank (only white space)', 'not blank');
  });
  const JobId = boundedText(1, LIMITS.idMaxChars);
  const JobKey = boundedText(1, LIMITS.idMaxChars).superRefine((value, ctx) => {
    if (isBlank(value)) fail(ctx, 'must not be blank (only white space)', 'not blank');
  });
  // In a create, '' means "no key", as on the wire.
  const OptionalJobKey = z.string({ error: 'must be a string' }).superRefine((value, ctx) => {
    if (value === '') return;
    const result = JobKey.safeParse(value);
    if (!result.success) fail(ctx, result.error.issues[0]!.message, limitOf(result.error.issues[0]!));
  });
  const Labels = checked<Record<string, string>>((value, ctx) => {
    const found = labelsProblem(value);
    if (found !== undefined) fail(ctx, found.message, found.limit, found.path);
  });

  const Timezone = z.string({ error: 'must be a string' }).superRefine((tz, ctx) => {
    if (!isIanaTimeZone(tz)) fail(ctx, `'${tz}' is not an IANA time zone name (a tz database name, spelt exactly, case-sensitive)`, 'an IANA time zone name');
  });

  const CronSchedule: CronScheduleSchema = z
    .strictObject({ type: z.literal('cron'), expression: z.string({ error: 'must be a string' }), timezone: Timezone.optional() })
    .superRefine((s, ctx) => {
      // The expression is checked exactly as sent (nothing is trimmed); croner never sees
      // anything outside the dialect.
      const expr = s.expression;
      const problem = cronDialectProblem(expr);
      if (problem !== undefined) return fail(ctx, `${JSON.stringify(expr)} ${problem.message}`, problem.limit, ['expression']);
      const timezone = s.timezone ?? DEFAULTS.timezone;
      if (!isIanaTimeZone(timezone)) return; // reported by the timezone field
      // Whether it can fire is the dialect's rule, checked above without a clock; compiling only
      // confirms that croner reads it (compiled forms are cached, so a repeated expression is free).
      try {
        compileCron(expr, timezone);
      } catch (error) {
        const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
        fail(ctx, `'${expr}' is not a valid cron expression: ${reason}`, 'a valid cron expression', ['expression']);
      }
    });

  const OneShotSchedule: OneShotScheduleSchema = z.strictObject({
    type: z.literal('one_shot'),
    runAt: checked<Date>((d, ctx) => {
      const found = dateProblem(d);
      if (found !== undefined) fail(ctx, found.message, found.limit);
    }),
  });

  const IntervalSchedule: IntervalScheduleSchema = z.strictObject({
    type: z.literal('interval'),
    intervalMs: checked<number>((ms, ctx) => {
      if (typeof ms === 'number' && Number.isFinite(ms) && !Number.isInteger(ms)) {
        fail(ctx, `must be an integer (a whole number of milliseconds), got ${ms}`, 'a whole number of milliseconds');
      } else if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < LIMITS.intervalMsMin || ms > LIMITS.intervalMsMax) {
        fail(
          ctx,
          `must be an integer number of milliseconds from ${LIMITS.intervalMsMin} (1 s) to ${LIMITS.intervalMsMax} (100 years of 365.25 days), got ${describe(ms)}`,
          INTERVAL_RANGE,
        );
      }
    }),
  });

  const Schedule: typeof ScheduleSchema = z.discriminatedUnion('type', [CronSchedule, OneShotSchedule, IntervalSchedule], {
    error: "must be a Schedule: { type: 'cron' | 'one_shot' | 'interval', ... }",
  });

  const Payload: typeof PayloadSchema = checked<JsonValue>((value, ctx) => {
    const result = serializePayload(value);
    if (!('json' in result)) fail(ctx, result.message, result.limit, result.path);
  });

  // Checked field by field in field-number order, with the rules that join two fields (end_at and
  // start_at, maximum and initial) at the later field, so that issues come in field-number order.
  const Policy = checked<SchedulePolicy>((value, ctx) => {
    for (const issue of policyProblems(value)) {
      if ('unknownKeys' in issue) ctx.addIssue({ code: 'unrecognized_keys', keys: issue.unknownKeys, path: issue.path, input: value as Record<string, unknown> });
      else fail(ctx, issue.message, issue.limit, issue.path);
    }
  });

  // In field-number order (CreateJobRequest: name 1 … request_id 6, key 7, labels 8, policy 9): zod
  // reports issues in the order of the shape.
  const fields = {
    name: JobName,
    schedule: Schedule,
    payload: Payload.optional(),
    maxRetries: integerIn(LIMITS.maxRetriesMin, LIMITS.maxRetriesMax).optional(),
    timeoutSecs: integerIn(LIMITS.timeoutSecsMin, LIMITS.timeoutSecsMax).optional(),
    requestId: boundedText(0, LIMITS.idMaxChars).optional(),
    key: OptionalJobKey.optional(),
    labels: Labels.optional(),
    policy: Policy.optional(),
  } satisfies JobRequestShape;

  const JobRequest: typeof JobRequestSchema = z.strictObject(fields, objectError);

  // The payload comes out serialized, so that the JSON measured for the size limit is the JSON that
  // is kept; unset is null.
  const serializedPayload = z.unknown().optional().transform((value, ctx) => {
    if (value === undefined) return { value: null as JsonValue, json: 'null' };
    const result = serializePayload(value);
    if ('json' in result) return { value: value as JsonValue, json: result.json };
    fail(ctx, result.message, result.limit, result.path);
    return z.NEVER;
  });
  // What validation runs: the same fields and checks, with the payload serialized.
  const SerializingJobRequest = z.strictObject({ ...fields, payload: serializedPayload }, objectError);
  // A JobSpec (ApplyJob, UpdateJob): the fields of a request but the request id and the key.
  const { requestId: _requestId, key: _key, ...specFields } = fields;
  const JobSpec: typeof JobSpecSchema = z.strictObject(specFields, objectError);
  const SerializingJobSpec = z.strictObject({ ...specFields, payload: serializedPayload }, objectError);

  const JobFilter: typeof JobFilterSchema = z.strictObject(
    {
      status: z.enum(JOB_STATUSES, { error: `must be one of ${JOB_STATUSES.join(', ')}` }).optional(),
      namePrefix: boundedText(0, LIMITS.idMaxChars).optional(),
      labels: Labels.optional(),
    },
    objectError,
  );

  return { JobName, JobId, JobKey, Schedule, Payload, Labels, Policy, JobRequest, JobSpec, JobFilter, SerializingJobRequest, SerializingJobSpec };
}

let built: ReturnType<typeof buildSchemas> | undefined;
const schemas = (): ReturnType<typeof buildSchemas> => (built ??= buildSchemas(loadZod()));

// The exported schemas are zod 4 schemas (zod's CommonJS build, loaded on first use): use them like
// any other, alone or inside your own schemas.

/**
 * A job name: 1 to 128 code points, not only white space. A zod 4 schema, built on first use.
 */
export const JobNameSchema: z.ZodString = lazySchema(() => schemas().JobName);

/** A job id: 1 to 128 code points. A zod 4 schema, built on first use. */
export const JobIdSchema: z.ZodString = lazySchema(() => schemas().JobId);

/**
 * A {@link Schedule}. Checks everything but the one-shot "not in the past" rule, which depends on
 * the scheduler's clock and is checked by {@link validateJobRequest}. A zod 4 schema, built on first
 * use.
 */
export const ScheduleSchema: z.ZodDiscriminatedUnion<[CronScheduleSchema, OneShotScheduleSchema, IntervalScheduleSchema], 'type'> = lazySchema(
  () => schemas().Schedule,
);

/**
 * A payload: any JSON value of at most 1 MiB serialized and 32 levels of nesting. A zod 4 schema,
 * built on first use.
 */
export const PayloadSchema: Checked<JsonValue> = lazySchema(() => schemas().Payload);

/**
 * The shape of a {@link JobRequest}, with every limit of the proto's validation table. A zod 4
 * schema, built on first use; `z.input<typeof JobRequestSchema>` is `JobRequest`. It applies no
 * defaults: {@link validateJobRequest} does.
 */
export const JobRequestSchema: z.ZodObject<JobRequestShape, z.core.$strict> = lazySchema(() => schemas().JobRequest);

/**
 * The shape of a {@link JobFilter}. A zod 4 schema, built on first use; `z.input<typeof
 * JobFilterSchema>` is `JobFilter`.
 */
export const JobFilterSchema: z.ZodObject<JobFilterShape, z.core.$strict> = lazySchema(() => schemas().JobFilter);

/**
 * The shape of a {@link JobSpec}: the fields of a {@link JobRequest} that `applyJob` applies and
 * `updateJob` changes (all but `requestId` and `key`). A zod 4 schema, built on first use.
 */
export const JobSpecSchema: z.ZodObject<JobSpecShape, z.core.$strict> = lazySchema(() => schemas().JobSpec);

/** A job key: 1 to 128 code points, not only white space. A zod 4 schema, built on first use. */
export const JobKeySchema: z.ZodString = lazySchema(() => schemas().JobKey);

/** A label map: at most 64 labels, keys and values within their limits. A zod 4 schema, built on first use. */
export const LabelsSchema: Checked<Record<string, string>> = lazySchema(() => schemas().Labels);

/**
 * A {@link SchedulePolicy}, with every limit of the proto's `policy` row; unknown keys are refused.
 * A zod 4 schema, built on first use.
 */
export const SchedulePolicySchema: Checked<SchedulePolicy> = lazySchema(() => schemas().Policy);

// ---- validation ----------------------------------------------------------------------------------

/**
 * A JobRequest after validation: `z.output<typeof JobRequestSchema>` with the defaults applied, the
 * schedule normalized, and the payload serialized once.
 */
export interface ValidatedJobRequest extends ValidatedJobSpec {
  /** The idempotency key; undefined when the request has none, or an empty one. */
  requestId: string | undefined;
  /** The job's key; undefined when the request has none, or an empty one. */
  key: string | undefined;
}

/** A {@link JobSpec} after validation, with the defaults applied and the payload serialized once. */
export interface ValidatedJobSpec extends Required<Omit<z.output<typeof JobSpecSchema>, 'policy'>> {
  /** The payload as compact JSON, exactly as it will be stored and compared: the one serialization of the payload. */
  payloadJson: string;
  /** The policy with every default applied (`DEFAULT_POLICY` when the spec has none). */
  policy: ResolvedPolicy;
}

/** Where a validation runs: the operation name for messages, and the clock the rules read. */
export interface ValidationContext {
  /** The operation, for messages (`createJob`). */
  operation: string;
  /**
   * The current time in epoch ms, by the clock of whoever validates. Without it the one-shot "not
   * in the past" rule is left to the scheduler, whose clock decides.
   */
  now?: number;
  /**
   * The current time in epoch ms by the validator's own clock, used only to order errors when
   * `now` is not given: a schedule that breaks a clock rule by this clock is reported instead of
   * bad fields after it, but is not refused on its own (the scheduler's clock decides that).
   */
  orderingNow?: number;
}

/**
 * Checks a job request's shape and every limit except the rules that depend on the scheduler's
 * clock ({@link checkScheduleTiming}), and applies defaults.
 *
 * When several fields are bad, the error is that of the first in field-number order (name 1,
 * schedule 2, payload 3, max_retries 4, timeout_secs 5, request_id 6, key 7, labels 8, policy 9,
 * inside the policy by its own field numbers; unknown fields last). With
 * `now`, a schedule that is well-formed but breaks a clock rule counts as bad in that order too:
 * it is reported when the only other bad fields come after it. Without a bad field, the clock
 * rules are left to the caller, which checks them once it knows the request is not a repeat.
 *
 * @param request the request to check.
 * @param operation the operation, for messages.
 * @param now the scheduler's current time in epoch ms, for the order of errors only.
 * @throws {SchedulerError} `INVALID_SCHEDULE` when the first bad field is the schedule,
 *   `INVALID_ARGUMENT` otherwise; the message names every bad field and its limit.
 */
export function parseJobRequest(request: unknown, operation: string, now?: number): ValidatedJobRequest {
  const parsed = parseWithClockOrder(schemas().SerializingJobRequest, request, operation, now, undefined);
  const valid = validatedSpec(parsed) as ValidatedJobRequest;
  valid.requestId = parsed.requestId === '' ? undefined : parsed.requestId;
  valid.key = parsed.key === '' ? undefined : parsed.key;
  return valid;
}

/**
 * Checks a {@link JobSpec} (the `spec` of ApplyJob) as {@link parseJobRequest} checks a request, and
 * applies the defaults. Error fields are the proto paths inside the request: `spec.name`,
 * `spec.schedule.cron.expression`, `spec.payload/items/0`.
 *
 * @param now the scheduler's current time, for the order of errors only (see parseJobRequest).
 * @throws {SchedulerError} `INVALID_SCHEDULE` or `INVALID_ARGUMENT`.
 */
export function parseJobSpec(spec: unknown, operation: string, now?: number): ValidatedJobSpec {
  return validatedSpec(parseWithClockOrder(schemas().SerializingJobSpec, spec, operation, now, 'spec'));
}

// Parses a request or a spec; on failure, a schedule that breaks a clock rule is reported before bad
// fields after it (see parseJobRequest), and error fields carry `prefix`.
function parseWithClockOrder<T>(schema: z.ZodType<T>, input: unknown, operation: string, now: number | undefined, prefix: 'spec' | undefined): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const first = result.error.issues[0]!;
  const head = first.path[0];
  // A bad field after the schedule: a schedule that breaks a clock rule comes first.
  const afterSchedule = first.code === 'unrecognized_keys' || (head !== undefined && head !== 'name' && head !== 'schedule');
  if (now !== undefined && afterSchedule) {
    const schedule = schemas().Schedule.safeParse((input as { schedule?: unknown }).schedule);
    if (schedule.success) checkScheduleTiming(normalizeSchedule(schedule.data), { operation, now, prefix: prefix === undefined ? '' : `${prefix}.` });
  }
  throw toSchedulerError(result.error.issues, operation, prefix === undefined ? [] : [prefix]);
}

function validatedSpec(parsed: z.output<ReturnType<typeof schemas>['SerializingJobSpec']>): ValidatedJobSpec {
  return {
    name: parsed.name,
    schedule: normalizeSchedule(parsed.schedule),
    payload: parsed.payload.value,
    payloadJson: parsed.payload.json,
    maxRetries: parsed.maxRetries ?? DEFAULTS.maxRetries,
    timeoutSecs: parsed.timeoutSecs ?? DEFAULTS.timeoutSecs,
    labels: { ...(parsed.labels ?? {}) },
    policy: resolvePolicy(parsed.policy),
  };
}

/** The fields of a {@link JobSpec}, in proto field-number order. */
export const JOB_SPEC_FIELDS = Object.freeze(['name', 'schedule', 'payload', 'maxRetries', 'timeoutSecs', 'labels', 'policy'] as const);

/** One field of a {@link JobSpec}: what an update changes and a diff lists. */
export type JobSpecField = (typeof JOB_SPEC_FIELDS)[number];

/** The proto name of each {@link JobSpecField} (an UpdateJob mask path, an ApplyJob changed field). */
export const SPEC_FIELD_PROTO_NAMES: Readonly<Record<JobSpecField, string>> = Object.freeze({
  name: 'name',
  schedule: 'schedule',
  payload: 'payload',
  maxRetries: 'max_retries',
  timeoutSecs: 'timeout_secs',
  labels: 'labels',
  policy: 'policy',
});

/** The changes of an `updateJob`: the fields it names, validated, with the defaults of unset ones. */
export interface ValidatedJobChanges {
  /** The fields named, in field-number order. */
  fields: JobSpecField[];
  /** Their new values; a field named with the value `undefined` takes its default. */
  values: Partial<ValidatedJobSpec>;
}

/**
 * Checks the changes of an `updateJob`: an object whose own keys are the fields to change (the
 * update mask; at least one), each with a value valid as in a {@link JobSpec}. A field given as
 * `undefined` is reset to its default (`maxRetries` 3, `timeoutSecs` 60, `payload` null,
 * `labels` {}, `policy` every default); `name` and `schedule` have none.
 *
 * @throws {SchedulerError} `INVALID_ARGUMENT` (field `update_mask` for no or unknown fields, or the
 *   field at fault as `spec.…`) or `INVALID_SCHEDULE`.
 */
export function parseJobChanges(changes: unknown, operation: string, now?: number): ValidatedJobChanges {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    throw new SchedulerError('INVALID_ARGUMENT', `${operation}: the changes must be an object of JobSpec fields, got ${describe(changes)}`, { operation, field: 'update_mask', limit: MASK_LIMIT });
  }
  const named = Object.keys(changes);
  const unknown = named.filter((k) => !(JOB_SPEC_FIELDS as readonly string[]).includes(k));
  if (named.length === 0 || unknown.length > 0) {
    const what = named.length === 0 ? 'name no field' : `name unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}`;
    throw new SchedulerError('INVALID_ARGUMENT', `${operation}: the changes ${what}; change at least one of ${JOB_SPEC_FIELDS.join(', ')}`, {
      operation,
      field: 'update_mask',
      limit: MASK_LIMIT,
    });
  }
  const fields = JOB_SPEC_FIELDS.filter((f) => named.includes(f));
  const record = changes as Record<string, unknown>;
  // name and schedule have no default: named, they must be valid values.
  const probe: Record<string, unknown> = { name: 'x', schedule: { type: 'interval', intervalMs: LIMITS.intervalMsMin } };
  for (const f of fields) probe[f] = record[f];
  const spec = parseJobSpec(probe, operation, now);
  const values: Partial<ValidatedJobSpec> = {};
  for (const f of fields) {
    (values as Record<string, unknown>)[f] = spec[f];
    if (f === 'payload') values.payloadJson = spec.payloadJson;
  }
  return { fields, values };
}

/** The `limit` of an update mask that is empty or names an unknown field. */
export const MASK_LIMIT = 'paths among name, schedule, payload, max_retries, timeout_secs, labels, policy';

/**
 * Names one job: its id (a string, or `{ id }`), or its key (`{ key }`).
 */
export type JobRef = string | { id: string } | { key: string };

/** A validated {@link JobRef}: exactly one of the two is set. */
export type ResolvedJobRef = { id: string; key?: undefined } | { key: string; id?: undefined };

/**
 * Validates a {@link JobRef}.
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `job_id` or `key`.
 */
export function validateJobRef(ref: unknown, operation: string): ResolvedJobRef {
  if (typeof ref === 'string') return { id: validateJobId(ref, operation) };
  if (typeof ref === 'object' && ref !== null && !Array.isArray(ref)) {
    const r = ref as { id?: unknown; key?: unknown };
    const keys = Object.keys(r);
    if (keys.length === 1 && 'id' in r) return { id: validateJobId(r.id, operation) };
    if (keys.length === 1 && 'key' in r) return { key: validateJobKey(r.key, operation) };
    if (keys.length === 2 && 'id' in r && 'key' in r) {
      validateJobId(r.id, operation);
      throw new SchedulerError('INVALID_ARGUMENT', `${operation}: name the job by id or by key, not both`, { operation, field: 'key', limit: 'one of job_id, key' });
    }
  }
  throw new SchedulerError('INVALID_ARGUMENT', `${operation}: a job is named by its id (a string, or { id }) or by { key }, got ${describe(ref)}`, {
    operation,
    field: 'job_id',
    limit: `1..${LIMITS.idMaxChars} code points`,
  });
}

/**
 * Validates a job key (required: 1 to 128 code points, not blank).
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `field`.
 */
export function validateJobKey(key: unknown, operation: string, field = 'key'): string {
  const result = schemas().JobKey.safeParse(key);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new SchedulerError('INVALID_ARGUMENT', `${operation}: ${field} ${issue.message}`, { operation, field, limit: limitOf(issue) ?? `1..${LIMITS.idMaxChars} code points` });
}

const INT64_MAX = 9_223_372_036_854_775_807n;

/**
 * Validates an expected revision: an integer from `min` (0 for ApplyJob, 1 otherwise) to
 * `Number.MAX_SAFE_INTEGER`, or undefined. A `bigint` (an int64 as the wire carries it) may go up
 * to 2^63 − 1; one above `Number.MAX_SAFE_INTEGER` is returned as it is and matches no revision.
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `expected_revision`.
 */
export function validateExpectedRevision(value: unknown, operation: string, min: 0 | 1): number | bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
  if (typeof value === 'bigint' && value >= BigInt(min) && value <= INT64_MAX) return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  // Above 2^53 a number no longer holds every integer: such a revision could not be sent exactly.
  const unsafe = typeof value === 'number' && Number.isInteger(value) && value > Number.MAX_SAFE_INTEGER;
  const got = typeof value === 'bigint' ? String(value) : describe(value);
  throw new SchedulerError('INVALID_ARGUMENT', `${operation}: expectedRevision must be an integer from ${min} to ${Number.MAX_SAFE_INTEGER}, got ${got}`, {
    operation,
    field: 'expected_revision',
    limit: unsafe ? `a safe integer (at most ${Number.MAX_SAFE_INTEGER})` : `${min}..9223372036854775807`,
  });
}

/**
 * Validates an optional boolean option (`dryRun`): `true`, `false` or undefined (false).
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `field`, limit `a boolean`.
 */
export function validateFlag(value: unknown, operation: string, field: string): boolean {
  if (value === undefined || typeof value === 'boolean') return value === true;
  throw new SchedulerError('INVALID_ARGUMENT', `${operation}: ${field} must be true or false, got ${describe(value)}`, { operation, field, limit: 'a boolean' });
}

/** The `limit` of an overlap policy that is none of the listed ones (the proto's fixed phrase). */
export const OVERLAP_LIMIT = 'an overlap policy';

/**
 * Validates the optional note of a pause or resume: undefined (no note, `''`) or a string of 0 to
 * 512 code points, well-formed Unicode.
 * @returns the note, `''` for none.
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `note`, limit `0..512 code points` (or `well-formed UTF-8`).
 */
export function validateNote(value: unknown, operation: string): string {
  if (value === undefined) return '';
  const limit = `0..${LIMITS.noteMaxChars} code points`;
  if (typeof value !== 'string') {
    throw new SchedulerError('INVALID_ARGUMENT', `${operation}: note must be a string, got ${describe(value)}`, { operation, field: 'note', limit });
  }
  const length = codePointLength(value);
  if (length > LIMITS.noteMaxChars) {
    throw new SchedulerError('INVALID_ARGUMENT', `${operation}: note must be 0 to ${LIMITS.noteMaxChars} characters, got ${length}`, { operation, field: 'note', limit });
  }
  if (!value.isWellFormed()) {
    throw new SchedulerError('INVALID_ARGUMENT', `${operation}: note must be well-formed Unicode (it has a lone surrogate)`, { operation, field: 'note', limit: 'well-formed UTF-8' });
  }
  return value;
}

/**
 * Validates an optional overlap policy (`triggerJob`'s `overlap`, `policy.overlap`): undefined or
 * one of `'skip'`, `'buffer_one'`, `'allow_all'`.
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `field`, limit `an overlap policy`.
 */
export function validateOverlap(value: unknown, operation: string, field = 'overlap'): OverlapPolicy | undefined {
  if (value === undefined) return undefined;
  const found = overlapProblem(value);
  if (found === undefined) return value as OverlapPolicy;
  throw new SchedulerError('INVALID_ARGUMENT', `${operation}: ${field} ${found.message}`, { operation, field, limit: found.limit });
}

// The rule and the wording of an overlap policy: one of OVERLAP_POLICIES.
function overlapProblem(value: unknown): { message: string; limit: string } | undefined {
  if (typeof value === 'string' && (OVERLAP_POLICIES as readonly string[]).includes(value)) return undefined;
  return { message: `must be one of ${OVERLAP_POLICIES.map((o) => `'${o}'`).join(', ')}, got ${describeChoice(value)}`, limit: OVERLAP_LIMIT };
}

// A value offered for one of several strings: a string is quoted, anything else described.
function describeChoice(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describe(value);
}

/**
 * Validates `describeJob`'s `upcoming`: undefined (10) or an integer from 1 to 100.
 * @returns how many upcoming fires to list.
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `upcoming`, limit `1..100`.
 */
export function validateUpcoming(value: unknown, operation: string): number {
  if (value === undefined) return DEFAULTS.upcoming;
  return checkIntegerArgument(value, 1, LIMITS.upcomingMax, { operation, field: 'upcoming' });
}

/**
 * Validates an execution id: a string of 1 to 128 code points, well-formed Unicode.
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `execution_id`, limit `1..128 code points` (or `well-formed UTF-8`).
 */
export function validateExecutionId(value: unknown, operation: string): string {
  if (typeof value === 'string' && value.length > 0 && value.length <= LIMITS.idMaxChars && value.isWellFormed()) return value;
  const limit = `1..${LIMITS.idMaxChars} code points`;
  if (typeof value !== 'string') {
    throw new SchedulerError('INVALID_ARGUMENT', `${operation}: execution id must be a string, got ${describe(value)}`, { operation, field: 'execution_id', limit });
  }
  const length = codePointLength(value);
  if (length < 1 || length > LIMITS.idMaxChars) {
    throw new SchedulerError('INVALID_ARGUMENT', `${operation}: execution id must be 1 to ${LIMITS.idMaxChars} characters, got ${length}`, { operation, field: 'execution_id', limit });
  }
  if (value.isWellFormed()) return value;
  throw new SchedulerError('INVALID_ARGUMENT', `${operation}: execution id must be well-formed Unicode (it has a lone surrogate)`, { operation, field: 'execution_id', limit: 'well-formed UTF-8' });
}

/**
 * Checks the rules that depend on the scheduler's clock: a one-shot `runAt` may be at most 1 s
 * before `now`, and an interval's first run (`now + intervalMs`) must fall no later than
 * 9999-12-31T23:59:59.999Z, the last instant a google.protobuf.Timestamp holds.
 *
 * @throws {SchedulerError} `INVALID_SCHEDULE`.
 */
export function checkScheduleTiming(schedule: ScheduleInput, ctx: { operation: string; now: number; prefix?: string }): void {
  const prefix = ctx.prefix ?? '';
  if (schedule.type === 'interval') {
    const first = ctx.now + schedule.intervalMs;
    if (first > LIMITS.timestampMaxMs) {
      throw new SchedulerError(
        'INVALID_SCHEDULE',
        `${ctx.operation}: schedule.intervalMs ${schedule.intervalMs} puts the first run after 9999-12-31T23:59:59.999Z, the last instant a google.protobuf.Timestamp holds`,
        { operation: ctx.operation, field: `${prefix}schedule.interval.every`, limit: 'a first run no later than 9999-12-31T23:59:59.999Z' },
      );
    }
    return;
  }
  if (schedule.type !== 'one_shot') return;
  const late = ctx.now - schedule.runAt.getTime();
  if (late > LIMITS.runAtPastToleranceMs) {
    throw new SchedulerError(
      'INVALID_SCHEDULE',
      `${ctx.operation}: schedule.runAt must be no more than 1 s in the past, but it is ${late} ms in the past (${schedule.runAt.toISOString()})`,
      { operation: ctx.operation, field: `${prefix}schedule.one_shot.run_at`, limit: 'at most 1 s in the past' },
    );
  }
}

/**
 * Validates a job request completely, as a client does before sending it: {@link parseJobRequest},
 * then, when `ctx.now` is given, {@link checkScheduleTiming} against it.
 *
 * @throws {SchedulerError} `INVALID_SCHEDULE` or `INVALID_ARGUMENT`, naming every bad field.
 */
export function validateJobRequest(request: unknown, ctx: ValidationContext): ValidatedJobRequest {
  const validated = parseJobRequest(request, ctx.operation, ctx.now ?? ctx.orderingNow);
  if (ctx.now !== undefined) checkScheduleTiming(validated.schedule, { operation: ctx.operation, now: ctx.now });
  return validated;
}

// A private copy with the default time zone made explicit, so the stored schedule cannot be
// changed through the caller's object.
function normalizeSchedule(s: ScheduleInput): ScheduleInput {
  switch (s.type) {
    case 'cron':
      return { type: 'cron', expression: s.expression, timezone: s.timezone ?? DEFAULTS.timezone };
    case 'one_shot':
      return { type: 'one_shot', runAt: new Date(s.runAt.getTime()) };
    case 'interval':
      return { type: 'interval', intervalMs: s.intervalMs };
  }
}

/**
 * Validates a job id.
 * @throws {SchedulerError} `INVALID_ARGUMENT` naming the limit.
 */
export function validateJobId(id: unknown, operation: string): string {
  // The common case, checked without zod: at most 128 UTF-16 units is at most 128 code points.
  if (typeof id === 'string' && id.length > 0 && id.length <= LIMITS.idMaxChars && id.isWellFormed()) return id;
  const result = schemas().JobId.safeParse(id);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new SchedulerError('INVALID_ARGUMENT', `${operation}: job id ${issue.message}`, {
    operation,
    field: 'job_id',
    limit: limitOf(issue) ?? `1..${LIMITS.idMaxChars} code points`,
  });
}

/**
 * Validates a list filter.
 * @throws {SchedulerError} `INVALID_ARGUMENT` naming the field and the limit.
 */
export function validateJobFilter(filter: unknown, operation: string): JobFilter {
  return parseOrThrow(schemas().JobFilter, filter ?? {}, operation);
}

/**
 * Validates a schedule alone (as `nextRuns` does), without the one-shot "not in the past" rule.
 * @throws {SchedulerError} `INVALID_SCHEDULE`.
 */
export function validateSchedule(schedule: unknown, operation: string): ScheduleInput {
  const result = schemas().Schedule.safeParse(schedule);
  if (!result.success) throw toSchedulerError(result.error.issues, operation, ['schedule']);
  return normalizeSchedule(result.data);
}

function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, operation: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw toSchedulerError(result.error.issues, operation);
}

function limitOf(issue: z.core.$ZodIssue): string | undefined {
  return (issue as { params?: { limit?: string } }).params?.limit;
}

/** Turns zod issues into one SchedulerError whose code is that of the first bad field. */
function toSchedulerError(issues: z.core.$ZodIssue[], operation: string, prefix: PropertyKey[] = []): SchedulerError {
  const described = issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const fields = issue.keys.map((k) => formatPath([...path, k]));
      return { issue, path, field: fields.join(', '), message: `unknown field${fields.length > 1 ? 's' : ''} ${fields.map((f) => `'${f}'`).join(', ')}` };
    }
    const field = formatPath(path);
    return { issue, path, field, message: `${field || 'request'} ${issue.message}` };
  });
  const first = described[0]!;
  const head = first.path[0] === 'spec' ? first.path[1] : first.path[0];
  const code: SchedulerErrorCode = head === 'schedule' ? 'INVALID_SCHEDULE' : 'INVALID_ARGUMENT';
  return new SchedulerError(code, `${operation}: ${described.map((d) => d.message).join('; ')}`, {
    operation,
    field: first.issue.code === 'unrecognized_keys' ? first.field : protoFieldPath(first.path) || undefined,
    // A schedule that is none of the three kinds: the proto's oneof with no member set.
    limit: limitOf(issues[0]!) ?? (first.issue.code !== 'unrecognized_keys' && /^(spec\.)?schedule$/.test(protoFieldPath(first.path)) ? 'one of cron, one_shot, interval' : undefined),
  });
}

// The proto names of the request fields whose TypeScript name differs, and the oneof member and
// field of each kind of schedule.
const PROTO_NAMES: Record<string, string> = { maxRetries: 'max_retries', timeoutSecs: 'timeout_secs', requestId: 'request_id', namePrefix: 'name_prefix', pageSize: 'page_size', pageToken: 'page_token', jobId: 'job_id' };
const SCHEDULE_FIELDS: Record<string, string> = { runAt: 'one_shot.run_at', intervalMs: 'interval.every', expression: 'cron.expression', timezone: 'cron.timezone' };
// The proto names of the fields of a policy and of its retry backoff.
const POLICY_FIELDS: Record<string, string> = {
  overlap: 'overlap',
  catchupWindowMs: 'catchup_window',
  startAt: 'start_at',
  endAt: 'end_at',
  maxRuns: 'max_runs',
  jitterMs: 'jitter',
  retryBackoff: 'retry_backoff',
  pauseOnFailure: 'pause_on_failure',
};
const BACKOFF_FIELDS: Record<string, string> = { initialMs: 'initial', maxMs: 'maximum', multiplier: 'multiplier' };

/**
 * The ErrorInfo `field` of a path into a request, as the proto names it: proto field names joined
 * by dots, a schedule's field under its oneof member (`schedule.one_shot.run_at`,
 * `schedule.interval.every`, `schedule.cron.expression`, `schedule.cron.timezone`; the schedule
 * itself, or its `type`, is `schedule`), and inside the payload `payload` followed by a JSON
 * Pointer (RFC 6901: each key or index after a `/`, with `~` written `~0` and `/` written `~1`),
 * such as `payload/items/0/name`, and a policy's fields by their proto names
 * (`policy.catchup_window`, `policy.retry_backoff.maximum`).
 *
 * @param path the path of TypeScript property names and array indexes, such as `['schedule', 'runAt']`.
 */
export function protoFieldPath(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  if (head === undefined) return '';
  if (head === 'spec') return rest.length === 0 ? 'spec' : `spec.${protoFieldPath(path.slice(1))}`;
  if (head === 'payload') return ['payload', ...rest.map((key) => jsonPointerToken(key))].join('/');
  if (head === 'schedule') {
    const member = rest[0];
    if (member === undefined || member === 'type') return 'schedule';
    return `schedule.${SCHEDULE_FIELDS[member] ?? rest.join('.')}`;
  }
  if (head === 'policy') {
    const [member, inner, ...more] = rest;
    if (member === undefined) return 'policy';
    const name = POLICY_FIELDS[member] ?? member;
    if (inner === undefined) return `policy.${name}`;
    return ['policy', name, member === 'retryBackoff' ? (BACKOFF_FIELDS[inner] ?? inner) : inner, ...more].join('.');
  }
  return [PROTO_NAMES[head] ?? head, ...rest].join('.');
}

function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

// ---- the request types ---------------------------------------------------------------------------

/**
 * When a job runs (the public name is `Schedule`, beside its builders): the input of
 * {@link ScheduleSchema}, whose fields carry the documentation and the limits.
 */
export type ScheduleInput = z.input<typeof ScheduleSchema>;

/**
 * What to register with `createJob`: the input of {@link JobRequestSchema}, whose fields carry the
 * documentation and the limits. `P` is the type of the payload (any JSON value by default): the
 * job methods give it back on the jobs they return.
 */
export interface JobRequest<P = JsonValue> extends Omit<z.input<typeof JobRequestSchema>, 'payload'> {
  /**
   * Any JSON value, up to 1 MiB (1,048,576 bytes) as `JSON.stringify` writes it in UTF-8, and 32
   * levels deep (`[1]` is 1 level); handed to every run. @default null
   */
  payload?: P;
}

/**
 * What a job is, as its owner chooses it: what `applyJob` applies and `updateJob` changes. The
 * fields of a {@link JobRequest} but `requestId` and `key`; the input of {@link JobSpecSchema}.
 */
export interface JobSpec<P = JsonValue> extends Omit<JobRequest<P>, 'requestId' | 'key'> {}

/** Filters for `listJobs`; all given filters must match. The input of {@link JobFilterSchema}. */
export interface JobFilter extends z.input<typeof JobFilterSchema> {}
