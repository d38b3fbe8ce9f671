import { SchedulerError, failureMessage, type SchedulerErrorCode, type SchedulerErrorDetails } from '../errors.js';
import type { AnyRpcName } from './service.js';

/** Where a call was going, for the messages of its errors. */
export interface CallContext {
  /** The SDK method that made the call (`getExecutions`); errors carry this as `operation`. */
  operation: string;
  /** The RPC on the wire (`ListExecutions`). */
  rpc: AnyRpcName;
  /** The server, `host:port`. */
  address: string;
  jobId?: string | undefined;
}

/**
 * The SchedulerError of a gRPC call: its message is `failureMessage` of the SDK operation, the job
 * and the server address, and its `operation` and `jobId` come from the context.
 */
export function callError(code: SchedulerErrorCode, ctx: CallContext, text: string, details: Omit<SchedulerErrorDetails, 'operation'> = {}): SchedulerError {
  return new SchedulerError(code, failureMessage(ctx, text), { jobId: ctx.jobId, ...details, operation: ctx.operation });
}

/** The error of a call made on a closed client. */
export function clientClosed(ctx: CallContext): SchedulerError {
  return callError('SERVER_ERROR', ctx, 'the client is closed');
}
