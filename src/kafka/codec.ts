// The Kafka wire format of JobCompletedEvent (proto `JobCompletedEvent`): snake_case JSON, proto3
// JSON with lowerCamelCase names, or binary protobuf, chosen by the content-type header. The only
// place that converts Kafka messages to and from events.
import type { z as Zod } from 'zod';
import type { JobCompletedEvent__Output as EventWireOut } from '../generated/k1s0/system/scheduler/v2/JobCompletedEvent';
import type { JobCompletedEvent } from '../types.js';
import { WireFormatError, eventFromWire, eventToWire } from '../wire/convert.js';
import { decodeMessage, encodeMessage } from '../wire/proto.js';
import { loadZod } from '../validation.js';
import { exactOf, formatTimestamp, readTimestamp, timestampToMillis, type Timestamp } from '../timestamp.js';

/**
 * The header that carries the reason on each record of a batch that could not be decompressed
 * (its records are delivered with no key and no value, and so reported as invalid events).
 */
export const DECOMPRESSION_ERROR_HEADER = 'k1s0-decompression-error';

/** The content types a subscriber understands. */
export const CONTENT_TYPE_JSON = 'application/json';
/** Binary protobuf of `k1s0.system.scheduler.v2.JobCompletedEvent`. */
export const CONTENT_TYPE_PROTOBUF = 'application/x-protobuf';

const EVENT_TYPE = 'k1s0.system.scheduler.v2.JobCompletedEvent';

// The `result` alias table of the proto's JobCompletedEvent comment. Text is matched with ASCII
// letters folded to lower case (so the table holds lower-case keys); numbers are the enum numbers.
// A prototype-free table: `result: "constructor"` must not find Object.prototype's members.
const RESULTS: Readonly<Record<string, JobCompletedEvent['result'] | undefined>> = Object.assign(Object.create(null) as Record<string, JobCompletedEvent['result']>, {
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed_out',
  execution_result_succeeded: 'succeeded',
  execution_result_failed: 'failed',
  execution_result_timed_out: 'timed_out',
  success: 'succeeded',
  failure: 'failed',
  '2': 'succeeded',
  '3': 'failed',
  '4': 'timed_out',
});

/** The result a `result` value stands for, by the alias table; undefined for anything else. */
function resultOf(r: unknown): JobCompletedEvent['result'] | undefined {
  if (typeof r === 'number') return r === 2 || r === 3 || r === 4 ? RESULTS[String(r)] : undefined;
  if (typeof r !== 'string' || r.length > 26) return undefined;
  // The table's keys are lower case: text already in lower case (what producers write) is looked
  // up as it is, anything else once its ASCII letters are folded.
  return RESULTS[r] ?? RESULTS[r.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32))];
}

// No lone surrogate (String.prototype.isWellFormed, ES2024).
const wellFormed = (text: string): boolean => text.isWellFormed();

// Malformed UTF-8 is refused, never replaced with U+FFFD; a byte order mark is kept (and JSON.parse
// then refuses it): JSON text has none.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const pick = (o: Record<string, unknown>, snake: string, camel: string): unknown => (o[snake] !== undefined ? o[snake] : o[camel]);

/**
 * A JobCompletedEvent in JSON: the snake_case names of the Rust and Go siblings, or proto3 JSON's
 * lowerCamelCase names. Unknown fields are ignored; `completed_at` is strict RFC 3339 (the proto's
 * "Timestamps" rule) with any offset; `result` is read by the proto's alias table; the strings
 * must be well-formed (no lone surrogate).
 *
 * Built on first use, with the package's zod (loaded when first needed, as validation does).
 */
export function jobCompletedEventJsonSchema() {
  return (eventJsonSchema ??= buildEventJsonSchema(loadZod()));
}

let eventJsonSchema: ReturnType<typeof buildEventJsonSchema> | undefined;

function buildEventJsonSchema(z: typeof Zod) {
  const text = (what: string) =>
    z.string({ error: `${what} must be a string` }).refine(wellFormed, { error: `${what} must be well-formed Unicode (it has a lone surrogate)` });
  const nonEmpty = (what: string) => text(what).min(1, { error: `${what} must not be empty` });

  // The fields once picked from snake_case or lowerCamelCase names. Built once per process: a zod schema built
  // per message costs far more than the rest of consuming it.
  const EventFieldsSchema = z.object({
    jobId: nonEmpty('job_id'),
    executionId: nonEmpty('execution_id'),
    completedAt: z.string({ error: 'completed_at must be an RFC 3339 string' }).transform((s, c): Timestamp => {
      const t = readTimestamp(s);
      if (typeof t === 'string') {
        c.addIssue({ code: 'custom', message: `completed_at must be an RFC 3339 timestamp: ${JSON.stringify(s)} ${t}` });
        return z.NEVER;
      }
      return t;
    }),
    result: z.union([z.string(), z.number()], { error: 'result must be a string' }).transform((r, c) => {
      const result = resultOf(r);
      if (result === undefined) {
        c.addIssue({
          code: 'custom',
          message: `result must be succeeded, failed or timed_out (or an alias of the proto's table: success, failure, the enum names or numbers 2, 3, 4), got ${JSON.stringify(r)}`,
        });
        return z.NEVER;
      }
      return result;
    }),
    error: text('error').nullish(),
    attempt: z
      .union([z.number(), z.string().regex(/^\d+$/)], { error: 'attempt must be an integer' })
      .transform(Number)
      .pipe(z.number().int({ error: 'attempt must be an integer' }).min(0, { error: 'attempt must be >= 0' }))
      .nullish(),
  });

  return z
    .looseObject({}, { error: 'must be a JSON object' })
    .transform((o, ctx) => {
      const parsed = EventFieldsSchema.safeParse({
        jobId: pick(o, 'job_id', 'jobId'),
        executionId: pick(o, 'execution_id', 'executionId'),
        completedAt: pick(o, 'completed_at', 'completedAt'),
        result: o.result,
        error: o.error,
        attempt: o.attempt,
      });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
        return z.NEVER;
      }
      const { error, attempt, completedAt, ...rest } = parsed.data;
      const event: JobCompletedEvent = { ...rest, completedAt: new Date(timestampToMillis(completedAt)), completedAtExact: completedAt };
      if (error !== undefined && error !== null) event.error = error;
      if (attempt !== undefined && attempt !== null && attempt !== 0) event.attempt = attempt;
      return event;
    });
}

/**
 * The common case without zod: a well-formed event gives the same value the schema gives, and
 * anything unusual gives `undefined`, so that the schema decides (and words the error).
 */
function fastEvent(json: unknown): JobCompletedEvent | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const jobId = pick(o, 'job_id', 'jobId');
  const executionId = pick(o, 'execution_id', 'executionId');
  const completedAt = pick(o, 'completed_at', 'completedAt');
  const r = o.result;
  if (typeof jobId !== 'string' || jobId === '' || typeof executionId !== 'string' || executionId === '' || typeof completedAt !== 'string') return undefined;
  if (!wellFormed(jobId) || !wellFormed(executionId)) return undefined;
  const result = resultOf(r);
  const exact = readTimestamp(completedAt);
  if (result === undefined || typeof exact === 'string') return undefined;
  const event: JobCompletedEvent = { jobId, executionId, completedAt: new Date(timestampToMillis(exact)), completedAtExact: exact, result };
  const error = o.error;
  if (typeof error === 'string') {
    if (!wellFormed(error)) return undefined;
    event.error = error;
  } else if (error !== undefined && error !== null) return undefined;
  const a = o.attempt;
  if (a === undefined || a === null) return event;
  const attempt = typeof a === 'number' ? a : typeof a === 'string' && /^\d{1,15}$/.test(a) ? Number(a) : Number.NaN;
  if (!Number.isSafeInteger(attempt) || attempt < 0) return undefined;
  if (attempt !== 0) event.attempt = attempt;
  return event;
}

/** Why a Kafka message is not a JobCompletedEvent. */
export class InvalidEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

/** The headers of a Kafka message, as kafkajs gives them. */
export type KafkaHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** Reads a header as text, case-insensitively; the first value when it repeats. */
export function headerText(headers: KafkaHeaders | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  }
  return undefined;
}

const JSON_BYTES = Buffer.from(CONTENT_TYPE_JSON, 'latin1');

/** The media type of the `content-type` header, lower case, without parameters; JSON if absent. */
function contentTypeOf(headers: KafkaHeaders | undefined): string {
  // The common case first: the exact header the producers write, as the bytes kafkajs hands over.
  const exact = headers?.['content-type'];
  if (exact instanceof Uint8Array && exact.length === JSON_BYTES.length) {
    let same = true;
    for (let i = 0; i < JSON_BYTES.length && same; i++) same = exact[i] === JSON_BYTES[i];
    if (same) return CONTENT_TYPE_JSON;
  } else if (exact === CONTENT_TYPE_JSON) {
    return CONTENT_TYPE_JSON;
  }
  return (headerText(headers, 'content-type') ?? CONTENT_TYPE_JSON).split(';')[0]!.trim().toLowerCase();
}

/**
 * Decodes a Kafka message value by its `content-type` header: JSON (snake_case or proto3 JSON) for
 * `application/json` or no header, binary protobuf for `application/x-protobuf`.
 *
 * @throws {InvalidEventError} for an empty value, bad JSON, a schema mismatch or an unknown type.
 */
export function decodeEvent(value: Buffer | null, headers?: KafkaHeaders): JobCompletedEvent {
  const contentType = contentTypeOf(headers);
  if (value === null || value.length === 0) {
    // A record of a batch that could not be decompressed comes with the reason in a header.
    const undecompressed = headerText(headers, DECOMPRESSION_ERROR_HEADER);
    if (undecompressed !== undefined) throw new InvalidEventError(`its batch could not be decompressed: ${undecompressed}`);
    throw new InvalidEventError('the message has no value');
  }
  if (contentType === CONTENT_TYPE_PROTOBUF || contentType === 'application/protobuf') {
    let wire: EventWireOut;
    try {
      // Strict: a truncated message or malformed UTF-8 is refused, never read as another value.
      wire = decodeMessage<EventWireOut>(EVENT_TYPE, value);
    } catch (error) {
      throw new InvalidEventError(`not a protobuf JobCompletedEvent: ${(error as Error).message}`, { cause: error });
    }
    try {
      return eventFromWire(wire);
    } catch (error) {
      const field = error instanceof WireFormatError ? error.message : String(error);
      throw new InvalidEventError(`invalid JobCompletedEvent: ${field}`, { cause: error });
    }
  }
  if (contentType !== CONTENT_TYPE_JSON) throw new InvalidEventError(`unknown content-type '${contentType}'`);
  let json: unknown;
  let text: string;
  try {
    text = UTF8.decode(value);
  } catch (error) {
    throw new InvalidEventError('not well-formed UTF-8: the value has a malformed byte sequence', { cause: error });
  }
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidEventError(`not JSON: ${(error as Error).message}`, { cause: error });
  }
  let event = fastEvent(json);
  if (event === undefined) {
    const parsed = jobCompletedEventJsonSchema().safeParse(json);
    if (!parsed.success) {
      throw new InvalidEventError(`invalid JobCompletedEvent: ${parsed.error.issues.map((i) => i.message).join('; ')}`, { cause: parsed.error });
    }
    event = parsed.data;
  }
  // The fields read are checked above; a lone surrogate elsewhere (an ignored field, a key) can
  // only come from a \u escape in the text, so the value is walked only when the text has one.
  if (text.includes('\\u') && !allWellFormed(json)) {
    throw new InvalidEventError('invalid JobCompletedEvent: a string or key of the value has a lone surrogate (not well-formed Unicode)');
  }
  return event;
}

/** Whether every string and key in a parsed JSON value is well-formed (no lone surrogate). */
function allWellFormed(json: unknown): boolean {
  // Iterative, so that a deeply nested value cannot overflow the stack.
  const pending: unknown[] = [json];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (!wellFormed(item)) return false;
    } else if (Array.isArray(item)) {
      for (const v of item) pending.push(v);
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, v] of Object.entries(item)) {
        if (!wellFormed(key)) return false;
        pending.push(v);
      }
    }
  }
  return true;
}

/**
 * The snake_case JSON form of an event (SPEC §7), with `completed_at` in UTC with the fewest of 3, 6
 * or 9 fraction digits that hold `completedAtExact` (or `completedAt` when it is absent): a
 * millisecond value is written as `Date.toISOString()` writes it.
 *
 * @throws {SchedulerError} `INVALID_ARGUMENT` when `completedAtExact` disagrees with `completedAt`.
 */
export function eventToSnakeJson(e: JobCompletedEvent): string {
  const out: Record<string, unknown> = {
    job_id: e.jobId,
    execution_id: e.executionId,
    completed_at: formatTimestamp(exactOf(e.completedAt, e.completedAtExact, 'completedAtExact')),
    result: e.result,
  };
  if (e.error !== undefined) out.error = e.error;
  if (e.attempt !== undefined) out.attempt = e.attempt;
  return JSON.stringify(out);
}

/** A Kafka message ready to send: key = job id, so one job's events keep their order. */
export interface EncodedEvent {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** Encodes an event for Kafka, as snake_case JSON (the default) or binary protobuf. */
export function encodeEvent(e: JobCompletedEvent, format: 'json' | 'protobuf' = 'json'): EncodedEvent {
  if (format === 'protobuf') {
    return {
      key: e.jobId,
      value: Buffer.from(encodeMessage(EVENT_TYPE, eventToWire(e) as Record<string, unknown>)),
      headers: { 'content-type': CONTENT_TYPE_PROTOBUF },
    };
  }
  return { key: e.jobId, value: Buffer.from(eventToSnakeJson(e), 'utf8'), headers: { 'content-type': CONTENT_TYPE_JSON } };
}
