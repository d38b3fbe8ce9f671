import { z } from 'zod';
import { SchedulerError, type SchedulerErrorCode } from './errors.js';
import { DEFAULTS, LIMITS } from './limits.js';
import { CRON_NICKNAMES, compileCron, type Schedule } from './schedule.js';
import { JOB_STATUSES, type JobFilter, type JobRequest, type JsonValue } from './types.js';

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

function boundedText(min: number, max: number) {
  return z.string({ error: 'must be a string' }).superRefine((value, ctx) => {
    const length = codePointLength(value);
    if (length < min || length > max) {
      fail(ctx, `must be ${min} to ${max} characters, got ${length}`, `${min}..${max} characters`);
    } else if (!value.isWellFormed()) {
      fail(ctx, 'must be well-formed Unicode (it has a lone surrogate)', 'well-formed Unicode');
    }
  });
}

function integerIn(min: number, max: number) {
  return z.unknown().superRefine((value, ctx) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      fail(ctx, `must be an integer from ${min} to ${max}, got ${describe(value)}`, `${min}..${max}`);
    }
  });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `a string of ${codePointLength(value)} characters`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') return `${value}n (a BigInt)`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : 'a Date';
  return Array.isArray(value) ? 'an array' : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

/** A job name: 1 to 128 code points, not only white space. */
export const JobNameSchema = boundedText(1, LIMITS.nameMaxChars).superRefine((value, ctx) => {
  if (value.trim() === '') fail(ctx, 'must not be blank', 'not blank');
});

/** A job id: 1 to 128 code points. */
export const JobIdSchema = boundedText(1, LIMITS.idMaxChars);

const TimezoneSchema = z.string({ error: 'must be a string' }).superRefine((tz, ctx) => {
  if (!isIanaTimeZone(tz)) fail(ctx, `'${tz}' is not an IANA time zone name`, 'an IANA time zone name');
});

/** True for a time zone name the IANA database knows, such as `Europe/Berlin` or `UTC`. */
export function isIanaTimeZone(tz: string): boolean {
  // Offsets such as "+09:00" are not IANA names even where Intl accepts them.
  if (tz === '' || !/^[A-Za-z]/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const CronScheduleSchema = z
  .strictObject({
    type: z.literal('cron'),
    expression: z.string({ error: 'must be a string' }),
    timezone: TimezoneSchema.optional(),
  })
  .superRefine((s, ctx) => {
    const expr = s.expression.trim();
    const fields = expr === '' ? 0 : expr.split(/\s+/).length;
    if (expr.startsWith('@')) {
      if (!(expr in CRON_NICKNAMES)) {
        const names = Object.keys(CRON_NICKNAMES).join(', ');
        return fail(ctx, `'${expr}' is not one of ${names}`, names, ['expression']);
      }
    } else if (fields !== 5 && fields !== 6) {
      return fail(ctx, `must have 5 fields, or 6 with seconds first; got ${fields}`, '5 or 6 fields', ['expression']);
    }
    const timezone = s.timezone ?? DEFAULTS.timezone;
    if (!isIanaTimeZone(timezone)) return; // reported by the timezone field
    let next: Date | null;
    try {
      next = compileCron(expr, timezone).nextRun(new Date());
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
      return fail(ctx, `'${expr}' is not a valid cron expression: ${reason}`, 'a valid cron expression', ['expression']);
    }
    if (next === null) fail(ctx, `'${expr}' never fires`, 'at least one future run', ['expression']);
  });

const OneShotScheduleSchema = z.strictObject({
  type: z.literal('one_shot'),
  runAt: z.unknown().superRefine((d, ctx) => {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) fail(ctx, `must be a valid Date, got ${describe(d)}`, 'a valid Date');
  }),
});

const IntervalScheduleSchema = z.strictObject({
  type: z.literal('interval'),
  intervalMs: z.unknown().superRefine((ms, ctx) => {
    if (typeof ms === 'number' && Number.isInteger(ms) && ms > LIMITS.intervalMsMax) {
      fail(ctx, `must be at most ${LIMITS.intervalMsMax} ms (the largest google.protobuf.Duration), got ${ms}`, `integer <= ${LIMITS.intervalMsMax}`);
    } else if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < LIMITS.intervalMsMin) {
      fail(
        ctx,
        `must be an integer number of milliseconds, at least ${LIMITS.intervalMsMin} (1 s), got ${describe(ms)}`,
        `integer >= ${LIMITS.intervalMsMin}`,
      );
    }
  }),
});

/**
 * A {@link Schedule}. Checks everything but the one-shot "not in the past" rule, which depends on
 * the scheduler's clock and is checked by {@link validateJobRequest}.
 */
export const ScheduleSchema = z.discriminatedUnion('type', [CronScheduleSchema, OneShotScheduleSchema, IntervalScheduleSchema], {
  error: "must be a Schedule: { type: 'cron' | 'one_shot' | 'interval', ... }",
});

/** A payload: any JSON value of at most 1 MiB serialized and 32 levels of nesting. */
export const PayloadSchema = z.unknown().superRefine((value, ctx) => {
  const problem = checkJson(value);
  if (problem !== undefined) return fail(ctx, problem.message, problem.limit, problem.path);
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > LIMITS.payloadMaxBytes) {
    fail(ctx, `must be at most ${LIMITS.payloadMaxBytes} bytes (1 MiB) as JSON, got ${bytes}`, '1 MiB');
  }
});

interface JsonProblem {
  message: string;
  limit: string;
  path: PropertyKey[];
}

// Walks a value and reports the first thing JSON cannot carry unchanged: JSON.stringify would
// silently drop or rewrite these, and a scheduler must never lose data.
function checkJson(value: unknown, path: PropertyKey[] = [], ancestors: object[] = []): JsonProblem | undefined {
  switch (typeof value) {
    case 'string':
      return value.isWellFormed() ? undefined : problem(path, 'is a string that is not well-formed Unicode', 'well-formed Unicode');
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
    return problem(path, `is nested deeper than ${LIMITS.payloadMaxDepth} levels`, `at most ${LIMITS.payloadMaxDepth} levels deep`);
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
      if (!key.isWellFormed()) return problem(path, 'has a key that is not well-formed Unicode', 'well-formed Unicode');
      // JavaScript protobuf runtimes decode a map key "__proto__" by assigning it, losing it.
      if (key === '__proto__') return problem(path, "has a key named '__proto__', which protobuf cannot carry to every language (rename it)", "no '__proto__' keys");
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

/** The shape of a {@link JobRequest}, with every limit of the proto's validation table. */
export const JobRequestSchema = z.strictObject(
  {
    name: JobNameSchema,
    schedule: ScheduleSchema,
    payload: PayloadSchema,
    maxRetries: integerIn(LIMITS.maxRetriesMin, LIMITS.maxRetriesMax).optional(),
    timeoutSecs: integerIn(LIMITS.timeoutSecsMin, LIMITS.timeoutSecsMax).optional(),
    requestId: boundedText(0, LIMITS.idMaxChars).optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object' : undefined) },
);

/** The shape of a {@link JobFilter}. */
export const JobFilterSchema = z.strictObject(
  {
    status: z.enum(JOB_STATUSES as [string, ...string[]], { error: `must be one of ${JOB_STATUSES.join(', ')}` }).optional(),
    namePrefix: boundedText(0, LIMITS.idMaxChars).optional(),
  },
  { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object' : undefined) },
);

/** A JobRequest after validation, with defaults applied and the payload serialized once. */
export interface ValidatedJobRequest {
  name: string;
  schedule: Schedule;
  payload: JsonValue;
  /** The payload as compact JSON, exactly as it will be stored and compared. */
  payloadJson: string;
  maxRetries: number;
  timeoutSecs: number;
  requestId: string | undefined;
}

/** Where a validation runs: the operation name for messages, and the clock the rules read. */
export interface ValidationContext {
  /** The operation, for messages (`createJob`). */
  operation: string;
  /** The current time in epoch ms, by the clock of whoever validates. */
  now: number;
}

/**
 * Checks a job request's shape and every limit except the one-shot "not in the past" rule, and
 * applies defaults.
 *
 * @throws {SchedulerError} `INVALID_SCHEDULE` when the first bad field is the schedule,
 *   `INVALID_ARGUMENT` otherwise; the message names every bad field and its limit.
 */
export function parseJobRequest(request: unknown, operation: string): ValidatedJobRequest {
  const parsed = parseOrThrow(JobRequestSchema, request, operation);
  const payload = parsed.payload as JsonValue;
  return {
    name: parsed.name,
    schedule: normalizeSchedule(parsed.schedule as Schedule),
    payload,
    payloadJson: JSON.stringify(payload),
    maxRetries: (parsed.maxRetries as number | undefined) ?? DEFAULTS.maxRetries,
    timeoutSecs: (parsed.timeoutSecs as number | undefined) ?? DEFAULTS.timeoutSecs,
    requestId: parsed.requestId === '' ? undefined : parsed.requestId,
  };
}

/**
 * Checks the rule that depends on the scheduler's clock: a one-shot `runAt` may be at most 1 s
 * before `ctx.now`.
 *
 * @throws {SchedulerError} `INVALID_SCHEDULE`.
 */
export function checkScheduleTiming(schedule: Schedule, ctx: ValidationContext): void {
  if (schedule.type !== 'one_shot') return;
  const late = ctx.now - schedule.runAt.getTime();
  if (late > LIMITS.runAtPastToleranceMs) {
    throw new SchedulerError(
      'INVALID_SCHEDULE',
      `${ctx.operation}: schedule.runAt must be no more than 1 s in the past, but it is ${late} ms in the past (${schedule.runAt.toISOString()})`,
      { operation: ctx.operation, field: 'schedule.runAt', limit: 'at most 1 s in the past' },
    );
  }
}

/**
 * Validates a job request completely ({@link parseJobRequest}, then {@link checkScheduleTiming}
 * against `ctx.now`), as a client does before sending it.
 */
export function validateJobRequest(request: unknown, ctx: ValidationContext): ValidatedJobRequest {
  const validated = parseJobRequest(request, ctx.operation);
  checkScheduleTiming(validated.schedule, ctx);
  return validated;
}

// A private copy with the default time zone made explicit, so the stored schedule cannot be
// changed through the caller's object.
function normalizeSchedule(s: Schedule): Schedule {
  switch (s.type) {
    case 'cron':
      return { type: 'cron', expression: s.expression.trim(), timezone: s.timezone ?? DEFAULTS.timezone };
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
  // The common case, checked without building a zod result: at most 128 UTF-16 units is at most
  // 128 code points.
  if (typeof id === 'string' && id.length > 0 && id.length <= LIMITS.idMaxChars && id.isWellFormed()) return id;
  const result = JobIdSchema.safeParse(id);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new SchedulerError('INVALID_ARGUMENT', `${operation}: job id ${issue.message}`, {
    operation,
    field: 'id',
    limit: limitOf(issue) ?? `1..${LIMITS.idMaxChars} characters`,
  });
}

/**
 * Validates a list filter.
 * @throws {SchedulerError} `INVALID_ARGUMENT` naming the field and the limit.
 */
export function validateJobFilter(filter: unknown, operation: string): JobFilter {
  return parseOrThrow(JobFilterSchema, filter ?? {}, operation) as JobFilter;
}

/**
 * Validates a schedule alone (as `nextRuns` does), without the one-shot "not in the past" rule.
 * @throws {SchedulerError} `INVALID_SCHEDULE`.
 */
export function validateSchedule(schedule: unknown, operation: string): Schedule {
  const result = ScheduleSchema.safeParse(schedule);
  if (!result.success) throw toSchedulerError(result.error.issues, operation, ['schedule']);
  return normalizeSchedule(result.data as Schedule);
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
      return { path, field: fields.join(', '), message: `unknown field${fields.length > 1 ? 's' : ''} ${fields.map((f) => `'${f}'`).join(', ')}` };
    }
    const field = formatPath(path);
    return { path, field, message: `${field || 'request'} ${issue.message}` };
  });
  const first = described[0]!;
  const code: SchedulerErrorCode = first.path[0] === 'schedule' ? 'INVALID_SCHEDULE' : 'INVALID_ARGUMENT';
  return new SchedulerError(code, `${operation}: ${described.map((d) => d.message).join('; ')}`, {
    operation,
    field: first.field || undefined,
    limit: limitOf(issues[0]!),
  });
}

function formatPath(path: PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
