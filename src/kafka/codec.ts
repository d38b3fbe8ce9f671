// The Kafka wire format of JobCompletedEvent (proto `JobCompletedEvent`): snake_case JSON, proto3
// JSON with lowerCamelCase names, or binary protobuf, chosen by the content-type header. The only
// place that converts Kafka messages to and from events.
import { z } from 'zod';
import type { JobCompletedEvent__Output as EventWireOut } from '../generated/k1s0/system/scheduler/v2/JobCompletedEvent';
import type { JobCompletedEvent } from '../types.js';
import { WireFormatError, eventFromWire, eventToWire } from '../wire/convert.js';
import { decodeMessage, encodeMessage } from '../wire/proto.js';

/** The content types a subscriber understands. */
export const CONTENT_TYPE_JSON = 'application/json';
/** Binary protobuf of `k1s0.system.scheduler.v2.JobCompletedEvent`. */
export const CONTENT_TYPE_PROTOBUF = 'application/x-protobuf';

const EVENT_TYPE = 'k1s0.system.scheduler.v2.JobCompletedEvent';
const RFC3339 = /^(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const RESULTS: Record<string, JobCompletedEvent['result']> = {
  succeeded: 'succeeded',
  failed: 'failed',
  timed_out: 'timed_out',
  EXECUTION_RESULT_SUCCEEDED: 'succeeded',
  EXECUTION_RESULT_FAILED: 'failed',
  EXECUTION_RESULT_TIMED_OUT: 'timed_out',
  '2': 'succeeded',
  '3': 'failed',
  '4': 'timed_out',
};

const nonEmpty = (what: string) => z.string({ error: `${what} must be a string` }).min(1, { error: `${what} must not be empty` });

/**
 * A JobCompletedEvent in JSON: the snake_case names of the Rust and Go siblings, or proto3 JSON's
 * lowerCamelCase names. Unknown fields are ignored; `completed_at` is RFC 3339 with any offset.
 */
export const JobCompletedEventJsonSchema = z
  .looseObject({}, { error: 'must be a JSON object' })
  .transform((o, ctx) => {
    const pick = (snake: string, camel: string): unknown => (o[snake] !== undefined ? o[snake] : o[camel]);
    const shape = z.object({
      jobId: nonEmpty('job_id'),
      executionId: nonEmpty('execution_id'),
      completedAt: z.string({ error: 'completed_at must be an RFC 3339 string' }).transform((s, c) => {
        const m = RFC3339.exec(s);
        const ms = m === null ? Number.NaN : Date.parse(`${m[1]!.replace(/[t ]/, 'T')}${(m[2] ?? '').slice(0, 4)}${m[3]!.toUpperCase()}`);
        if (Number.isNaN(ms)) {
          c.addIssue({ code: 'custom', message: `completed_at must be an RFC 3339 timestamp, got ${JSON.stringify(s)}` });
          return z.NEVER;
        }
        return new Date(ms);
      }),
      result: z.union([z.string(), z.number()], { error: 'result must be a string' }).transform((r, c) => {
        const result = RESULTS[String(r)];
        if (result === undefined) {
          c.addIssue({ code: 'custom', message: `result must be succeeded, failed or timed_out, got ${JSON.stringify(r)}` });
          return z.NEVER;
        }
        return result;
      }),
      error: z.string({ error: 'error must be a string' }).nullish(),
      attempt: z
        .union([z.number(), z.string().regex(/^\d+$/)], { error: 'attempt must be an integer' })
        .transform(Number)
        .pipe(z.number().int({ error: 'attempt must be an integer' }).min(0, { error: 'attempt must be >= 0' }))
        .nullish(),
    });
    const parsed = shape.safeParse({
      jobId: pick('job_id', 'jobId'),
      executionId: pick('execution_id', 'executionId'),
      completedAt: pick('completed_at', 'completedAt'),
      result: pick('result', 'result'),
      error: pick('error', 'error'),
      attempt: pick('attempt', 'attempt'),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    }
    const { error, attempt, ...rest } = parsed.data;
    const event: JobCompletedEvent = rest;
    if (error !== undefined && error !== null) event.error = error;
    if (attempt !== undefined && attempt !== null && attempt !== 0) event.attempt = attempt;
    return event;
  });

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

/**
 * Decodes a Kafka message value by its `content-type` header: JSON (snake_case or proto3 JSON) for
 * `application/json` or no header, binary protobuf for `application/x-protobuf`.
 *
 * @throws {InvalidEventError} for an empty value, bad JSON, a schema mismatch or an unknown type.
 */
export function decodeEvent(value: Buffer | null, headers?: KafkaHeaders): JobCompletedEvent {
  const contentType = (headerText(headers, 'content-type') ?? CONTENT_TYPE_JSON).split(';')[0]!.trim().toLowerCase();
  if (value === null || value.length === 0) throw new InvalidEventError('the message has no value');
  if (contentType === CONTENT_TYPE_PROTOBUF || contentType === 'application/protobuf') {
    let wire: EventWireOut;
    try {
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
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    throw new InvalidEventError(`not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = JobCompletedEventJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new InvalidEventError(`invalid JobCompletedEvent: ${parsed.error.issues.map((i) => i.message).join('; ')}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** The snake_case JSON form of an event (SPEC §7), with `completed_at` in UTC with milliseconds. */
export function eventToSnakeJson(e: JobCompletedEvent): string {
  const out: Record<string, unknown> = {
    job_id: e.jobId,
    execution_id: e.executionId,
    completed_at: e.completedAt.toISOString(),
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
