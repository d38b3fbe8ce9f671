import { SchedulerError } from '../errors.js';

/** Where a call was going, for the messages of its errors. */
export interface CallContext {
  rpc: string;
  address: string;
  jobId?: string | undefined;
}

/** `GetJob (job '0193…') on host:port`: how every gRPC error message begins. */
export function describeCall(ctx: CallContext): string {
  return `${ctx.rpc}${ctx.jobId === undefined ? '' : ` (job '${ctx.jobId}')`} on ${ctx.address}`;
}

/** The error of a call made on a closed client. */
export function clientClosed(ctx: CallContext): SchedulerError {
  return new SchedulerError('SERVER_ERROR', `${describeCall(ctx)}: the client is closed`, { operation: ctx.rpc, jobId: ctx.jobId });
}
