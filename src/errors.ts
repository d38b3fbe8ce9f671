/**
 * The code of a {@link SchedulerError}. Identical in every k1s0 scheduler client; the server sends
 * it as `google.rpc.ErrorInfo.reason`.
 *
 * - `JOB_NOT_FOUND`: no job has the given id.
 * - `INVALID_SCHEDULE`: bad cron expression or time zone, a one-shot in the past, an interval under 1 s.
 * - `INVALID_ARGUMENT`: any other bad field (name, payload, maxRetries, timeoutSecs, job id, ...).
 * - `INVALID_STATE`: a lifecycle transition that the job's status forbids.
 * - `CONFLICT`: a key another job has, or an `expectedRevision` that is no longer the job's
 *   revision; never retryable (read the job again first).
 * - `TIMEOUT`: the call's deadline passed.
 * - `CANCELLED`: the caller aborted the call.
 * - `SERVER_ERROR`: anything else; see {@link SchedulerError.retryable}.
 */
export type SchedulerErrorCode =
  | 'JOB_NOT_FOUND'
  | 'INVALID_SCHEDULE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_STATE'
  | 'CONFLICT'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'SERVER_ERROR';

/** Every {@link SchedulerErrorCode}, in the order of the error table. */
export const SCHEDULER_ERROR_CODES: readonly SchedulerErrorCode[] = Object.freeze([
  'JOB_NOT_FOUND',
  'INVALID_SCHEDULE',
  'INVALID_ARGUMENT',
  'INVALID_STATE',
  'CONFLICT',
  'TIMEOUT',
  'CANCELLED',
  'SERVER_ERROR',
]);

/** Context that a {@link SchedulerError} carries besides its code. */
export interface SchedulerErrorDetails {
  /** The operation that failed: the SDK method name, for example `createJob` or `getExecutions`. */
  operation?: string;
  /** The job the operation was about, if any. */
  jobId?: string;
  /**
   * The request field at fault, as the proto names it (ErrorInfo `field`): proto field names joined
   * by dots, such as `schedule.cron.expression` or `max_retries`, and inside the payload `payload`
   * and a JSON Pointer, such as `payload/items/0/name`.
   */
  field?: string;
  /** The bound that was broken, in the proto's `limit` format, for example `1..128 code points`. */
  limit?: string;
  /** Whether repeating the same call may succeed. Defaults to false. */
  retryable?: boolean;
  /** The underlying error. */
  cause?: unknown;
  /** The gRPC status code, when the error came from a gRPC call. */
  grpcCode?: number;
}

const MARKER = Symbol.for('@k1s0/scheduler-client/SchedulerError');

/**
 * The one error type of this package. Every method of every client rejects with it, and every
 * thrown thing is turned into it at the boundary, with the original kept as `cause`. Switch on
 * {@link SchedulerError.code}, never on the message.
 *
 * `instanceof SchedulerError` works even when both the ESM and the CJS build of the package are
 * loaded in one process.
 */
export class SchedulerError extends Error {
  /** What went wrong; stable across versions and languages. */
  readonly code: SchedulerErrorCode;
  /**
   * True when the same call may succeed if repeated later: a `SERVER_ERROR` that came from gRPC
   * `UNAVAILABLE`, `RESOURCE_EXHAUSTED` or `ABORTED`. Always false for the other codes.
   */
  readonly retryable: boolean;
  /**
   * The operation that failed: the name of the SDK method that was called (`createJob`,
   * `getExecutions`, `iterateJobs`, ...), whichever client or transport produced the error.
   */
  readonly operation: string | undefined;
  /** The job the failed operation was about. */
  readonly jobId: string | undefined;
  /**
   * The request field at fault, for validation errors: the proto field path (`schedule.one_shot.run_at`,
   * `max_retries`, `job_id`, `page_size`), with a JSON Pointer inside the payload
   * (`payload/items/0/name`). The same in every client, whichever found the fault.
   */
  readonly field: string | undefined;
  /**
   * The limit that was broken, for validation errors, in the proto's format: `0..100`,
   * `1..128 code points`, `1000..3155760000000 ms`, `at most 1048576 bytes`, `at most 32 levels`,
   * or a fixed phrase such as `not blank`.
   */
  readonly limit: string | undefined;
  /** The gRPC status code, when the error came from a gRPC call. */
  readonly grpcCode: number | undefined;
  declare readonly cause?: unknown;

  /**
   * @param code what went wrong.
   * @param message a sentence that names the operation, the job id or field, and the limit.
   * @param details context; see {@link SchedulerErrorDetails}.
   */
  constructor(code: SchedulerErrorCode, message: string, details: SchedulerErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SchedulerError';
    this.code = code;
    this.retryable = details.retryable ?? false;
    this.operation = details.operation;
    this.jobId = details.jobId;
    this.field = details.field;
    this.limit = details.limit;
    this.grpcCode = details.grpcCode;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** Recognises a SchedulerError from any copy of this package (ESM or CJS build). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /**
   * Turns anything thrown into a SchedulerError: a SchedulerError is returned as it is; an
   * `AbortError` becomes `CANCELLED`, a `TimeoutError` becomes `TIMEOUT`, anything else becomes a
   * non-retryable `SERVER_ERROR`. The original is kept as `cause`.
   *
   * @param reason the thrown value.
   * @param operation the operation that was running, for the message.
   */
  static from(reason: unknown, operation?: string): SchedulerError {
    if (reason instanceof SchedulerError) return reason;
    const say = (text: string): string => (operation ? failureMessage({ operation }, text) : text);
    const name = typeof reason === 'object' && reason !== null ? (reason as { name?: unknown }).name : undefined;
    if (name === 'AbortError') {
      return new SchedulerError('CANCELLED', say('cancelled by the caller'), { operation, cause: reason });
    }
    if (name === 'TimeoutError') {
      return new SchedulerError('TIMEOUT', say('deadline exceeded'), { operation, cause: reason });
    }
    const text = reason instanceof Error ? reason.message : String(reason);
    return new SchedulerError('SERVER_ERROR', say(text), { operation, cause: reason });
  }
}

/** What a failure was about, for its message: the operation, and where they apply the job and the server. */
export interface FailureContext {
  /** The SDK method name (`getJob`), or on the server the RPC name (`GetJob`). */
  operation: string;
  /** The job the operation was about. */
  jobId?: string | undefined;
  /** The server the call went to, `host:port`. */
  address?: string | undefined;
}

/**
 * The one sentence of every SchedulerError: the operation, what happened, then the job and the
 * server address in parentheses unless the text already names them:
 * `getJob: job '0193…' not found (127.0.0.1:8093)`,
 * `getJob: deadline of 300 ms exceeded (job '0193…', 127.0.0.1:8093)`,
 * `listJobs: cannot connect to 127.0.0.1:1: connection refused`.
 *
 * @param ctx the operation, job and address.
 * @param text what happened, without the operation.
 */
export function failureMessage(ctx: FailureContext, text: string): string {
  const where: string[] = [];
  if (ctx.jobId !== undefined && !text.includes(`'${ctx.jobId}'`)) where.push(`job '${ctx.jobId}'`);
  if (ctx.address !== undefined && !text.includes(ctx.address)) where.push(ctx.address);
  return `${ctx.operation}: ${text}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}

/** Builds the `JOB_NOT_FOUND` error of an operation. */
export function jobNotFound(operation: string, jobId: string): SchedulerError {
  return new SchedulerError('JOB_NOT_FOUND', failureMessage({ operation }, `job '${jobId}' not found`), { operation, jobId });
}

/** The `JOB_NOT_FOUND` of a job named by key (ErrorInfo field `key`, or `spec.key`). */
export function keyNotFound(operation: string, key: string, field = 'key'): SchedulerError {
  return new SchedulerError('JOB_NOT_FOUND', failureMessage({ operation }, `no job has key '${key}'`), { operation, field });
}

/** Builds the `INVALID_ARGUMENT` error of a bad option or argument: `owner: field must be limit, got value`. */
export function optionError(owner: string, field: string, limit: string, got: unknown): SchedulerError {
  const shown = typeof got === 'number' ? String(got) : (JSON.stringify(got) ?? String(got));
  return new SchedulerError('INVALID_ARGUMENT', failureMessage({ operation: owner }, `${field} must be ${limit}, got ${shown}`), { operation: owner, field, limit });
}
