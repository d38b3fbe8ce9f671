// SchedulerError <-> google.rpc.Status with one google.rpc.ErrorInfo (AIP-193), and the table that
// maps SchedulerErrorCode to gRPC status codes. No grpc-js here: the numbers are gRPC's own.
import { SCHEDULER_ERROR_CODES, type SchedulerError, type SchedulerErrorCode } from '../errors.js';
import { decodeMessage, encodeMessage } from './proto.js';

/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
export const GrpcCode = Object.freeze({
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
});

/** The ErrorInfo domain of every scheduler error. */
export const ERROR_DOMAIN = 'scheduler.k1s0.system';
const ERROR_INFO_TYPE = 'google.rpc.ErrorInfo';
const TYPE_URL = `type.googleapis.com/${ERROR_INFO_TYPE}`;

const STATUS_OF: Record<SchedulerErrorCode, number> = {
  JOB_NOT_FOUND: GrpcCode.NOT_FOUND,
  INVALID_SCHEDULE: GrpcCode.INVALID_ARGUMENT,
  INVALID_ARGUMENT: GrpcCode.INVALID_ARGUMENT,
  INVALID_STATE: GrpcCode.FAILED_PRECONDITION,
  CONFLICT: GrpcCode.ABORTED,
  TIMEOUT: GrpcCode.DEADLINE_EXCEEDED,
  CANCELLED: GrpcCode.CANCELLED,
  SERVER_ERROR: GrpcCode.INTERNAL,
};

const RETRYABLE = new Set<number>([GrpcCode.UNAVAILABLE, GrpcCode.RESOURCE_EXHAUSTED, GrpcCode.ABORTED]);

/**
 * The gRPC status a server sends for a SchedulerErrorCode: CONFLICT is ALREADY_EXISTS for a key
 * that another job has (field `key`) and ABORTED for an expected revision that is not current.
 */
export function grpcCodeOf(code: SchedulerErrorCode, field?: string): number {
  if (code === 'CONFLICT' && field === 'key') return GrpcCode.ALREADY_EXISTS;
  return STATUS_OF[code];
}

/** The SchedulerErrorCode of a gRPC status, for a failure that carries no ErrorInfo. */
export function codeOfGrpc(status: number): SchedulerErrorCode {
  switch (status) {
    case GrpcCode.NOT_FOUND:
      return 'JOB_NOT_FOUND';
    case GrpcCode.INVALID_ARGUMENT:
      return 'INVALID_ARGUMENT';
    case GrpcCode.FAILED_PRECONDITION:
      return 'INVALID_STATE';
    case GrpcCode.ALREADY_EXISTS:
      return 'CONFLICT';
    case GrpcCode.DEADLINE_EXCEEDED:
      return 'TIMEOUT';
    case GrpcCode.CANCELLED:
      return 'CANCELLED';
    default:
      return 'SERVER_ERROR';
  }
}

/** True when a gRPC status means "try again later". */
export function isRetryableGrpc(status: number): boolean {
  return RETRYABLE.has(status);
}

/** What the ErrorInfo of a failed call says. */
export interface ErrorInfoParts {
  reason: string;
  domain: string;
  metadata: Record<string, string>;
}

/** A google.rpc.Status, decoded. */
export interface DecodedStatus {
  code: number;
  message: string;
  errorInfo: ErrorInfoParts | undefined;
}

/**
 * The google.rpc.Status of a SchedulerError: its gRPC code, its message, and one ErrorInfo whose
 * reason is the SchedulerErrorCode and whose metadata carries the operation, the job id, the field
 * (in proto's snake_case) and the limit.
 *
 * @param grpcCode the gRPC status to send instead of the code's own (a SERVER_ERROR sent as
 *   UNAVAILABLE when a server shuts down). @default {@link grpcCodeOf} the error's code
 */
export function statusOf(error: SchedulerError, grpcCode?: number): { code: number; message: string; bytes: Uint8Array } {
  const metadata: Record<string, string> = {};
  if (error.operation !== undefined) metadata.operation = error.operation;
  if (error.jobId !== undefined) metadata.job_id = error.jobId;
  if (error.field !== undefined) metadata.field = protoFieldPath(error.field);
  if (error.limit !== undefined) metadata.limit = error.limit;
  const code = grpcCode ?? grpcCodeOf(error.code, error.field);
  const info = encodeMessage(ERROR_INFO_TYPE, { reason: error.code, domain: ERROR_DOMAIN, metadata });
  const bytes = encodeMessage('google.rpc.Status', { code, message: error.message, details: [{ type_url: TYPE_URL, value: info }] });
  return { code, message: error.message, bytes };
}

// TS field paths whose proto path is not just the snake_case of the TS one.
const PROTO_PATHS: Record<string, string> = {
  id: 'job_id',
  'schedule.expression': 'schedule.cron.expression',
  'schedule.timezone': 'schedule.cron.timezone',
  'schedule.runAt': 'schedule.one_shot.run_at',
  'schedule.intervalMs': 'schedule.interval.every',
};

/** A TS field path (`schedule.runAt`, `maxRetries`) as the proto names it (`schedule.one_shot.run_at`). */
export function protoFieldPath(field: string): string {
  const head = Object.keys(PROTO_PATHS).find((k) => field === k || field.startsWith(`${k}.`) || field.startsWith(`${k}[`));
  const mapped = head === undefined ? field : PROTO_PATHS[head]! + field.slice(head.length);
  // Payload keys are data, not field names: only the part before them is converted.
  const cut = mapped.search(/^payload/) === 0 ? 'payload'.length : mapped.length;
  return mapped.slice(0, cut).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) + mapped.slice(cut);
}

/** Decodes a `grpc-status-details-bin` value. Returns undefined for bytes that are not a Status. */
export function decodeStatus(bytes: Uint8Array): DecodedStatus | undefined {
  try {
    // The bundled google.protobuf.Any keeps its proto field name, type_url.
    const status = decodeMessage<{ code: number; message: string; details: { type_url: string; value: Uint8Array }[] }>('google.rpc.Status', bytes);
    const detail = status.details.find((d) => d.type_url.endsWith(`/${ERROR_INFO_TYPE}`));
    const errorInfo = detail === undefined ? undefined : decodeMessage<ErrorInfoParts>(ERROR_INFO_TYPE, detail.value);
    return { code: status.code, message: status.message, errorInfo };
  } catch {
    return undefined;
  }
}

/** True for a string that is one of the SchedulerErrorCodes. */
export function isSchedulerErrorCode(reason: string): reason is SchedulerErrorCode {
  return (SCHEDULER_ERROR_CODES as readonly string[]).includes(reason);
}
