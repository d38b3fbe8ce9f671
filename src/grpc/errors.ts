import type { ServiceError } from '@grpc/grpc-js';
import { SchedulerError, type SchedulerErrorCode } from '../errors.js';
import { describeCall, type CallContext } from './call-context.js';
import { GrpcCode, codeOfGrpc, decodeStatus, isRetryableGrpc, isSchedulerErrorCode } from '../wire/status.js';


const STATUS_NAMES = Object.fromEntries(Object.entries(GrpcCode).map(([name, n]) => [n, name])) as Record<number, string>;

/**
 * Turns a grpc-js ServiceError into a SchedulerError: the code comes from the
 * google.rpc.ErrorInfo in the status details when the server sent one, otherwise from the gRPC
 * status (proto "Errors" table). The message names the RPC, the job and the server address.
 */
export function fromServiceError(error: ServiceError, ctx: CallContext): SchedulerError {
  const raw = error.metadata?.get('grpc-status-details-bin')[0];
  const status = raw instanceof Buffer ? decodeStatus(raw) : undefined;
  const reason = status?.errorInfo?.reason;
  const code: SchedulerErrorCode = reason !== undefined && isSchedulerErrorCode(reason) ? reason : codeOfGrpc(error.code);
  const info = status?.errorInfo?.metadata ?? {};
  return new SchedulerError(code, `${describeCall(ctx)}: ${describe(error, code)}`, {
    operation: ctx.rpc,
    jobId: ctx.jobId ?? info.job_id,
    field: info.field,
    limit: info.limit,
    retryable: code === 'SERVER_ERROR' && isRetryableGrpc(error.code),
    grpcCode: error.code,
    cause: error,
  });
}

function describe(error: ServiceError, code: SchedulerErrorCode): string {
  const details = error.details || STATUS_NAMES[error.code] || 'unknown error';
  switch (error.code) {
    case GrpcCode.UNAVAILABLE:
      return `server unavailable (${details})`;
    case GrpcCode.UNIMPLEMENTED:
      return `the server does not implement this method; is it a k1s0 scheduler v2 server? (${details})`;
    case GrpcCode.DEADLINE_EXCEEDED:
      return `deadline exceeded (${details})`;
    case GrpcCode.CANCELLED:
      return `cancelled (${details})`;
    case GrpcCode.UNAUTHENTICATED:
    case GrpcCode.PERMISSION_DENIED:
      return `${STATUS_NAMES[error.code]!.toLowerCase().replace('_', ' ')} (${details})`;
  }
  return code === 'SERVER_ERROR' ? `${STATUS_NAMES[error.code] ?? error.code}: ${details}` : details;
}
