import type { ServiceError } from '@grpc/grpc-js';
import type { SchedulerError, SchedulerErrorCode } from '../errors.js';
import { GrpcCode, codeOfGrpc, decodeStatus, isRetryableGrpc, isSchedulerErrorCode } from '../wire/status.js';
import { callError, type CallContext } from './call-context.js';

const STATUS_NAMES = Object.fromEntries(Object.entries(GrpcCode).map(([name, n]) => [n, name])) as Record<number, string>;

/**
 * Turns a grpc-js ServiceError into a SchedulerError: the code comes from the
 * google.rpc.ErrorInfo in the status details when the server sent one, otherwise from the gRPC
 * status (proto "Errors" table). The message is one sentence naming the SDK operation, the job
 * and the server address; a server's own `Operation: ` prefix is not repeated, and a failure to
 * connect is summarised for people (the raw grpc-js text stays in `cause`).
 *
 * @param tls whether the channel uses TLS, to word connection failures.
 */
export function fromServiceError(error: ServiceError, ctx: CallContext, tls: boolean): SchedulerError {
  const raw = error.metadata?.get('grpc-status-details-bin')[0];
  const status = raw instanceof Buffer ? decodeStatus(raw) : undefined;
  const reason = status?.errorInfo?.reason;
  const code: SchedulerErrorCode = reason !== undefined && isSchedulerErrorCode(reason) ? reason : codeOfGrpc(error.code);
  const info = status?.errorInfo?.metadata ?? {};
  const text = status?.errorInfo !== undefined ? withoutPrefix(error.details, [ctx.rpc, info.operation]) : describe(error, code, ctx, tls);
  return callError(code, ctx, text, {
    jobId: ctx.jobId ?? info.job_id,
    field: info.field,
    limit: info.limit,
    retryable: code === 'SERVER_ERROR' && isRetryableGrpc(error.code),
    grpcCode: error.code,
    cause: error,
  });
}

/** A scheduler server starts its messages with the RPC name; the SDK names the operation itself. */
function withoutPrefix(message: string, names: (string | undefined)[]): string {
  for (const name of names) {
    if (name !== undefined && name !== '' && message.toLowerCase().startsWith(`${name.toLowerCase()}: `)) return message.slice(name.length + 2);
  }
  return message;
}

function describe(error: ServiceError, code: SchedulerErrorCode, ctx: CallContext, tls: boolean): string {
  const details = error.details || STATUS_NAMES[error.code] || 'unknown error';
  switch (error.code) {
    case GrpcCode.UNAVAILABLE:
      return connectionFailure(details, ctx.address, tls) ?? `server unavailable: ${withoutPrefix(details, [ctx.rpc])}`;
    case GrpcCode.UNIMPLEMENTED:
      return `the server does not implement this method; is it a k1s0 scheduler v2 server? (${details})`;
    case GrpcCode.DEADLINE_EXCEEDED:
      return `deadline exceeded (${details})`;
    case GrpcCode.CANCELLED:
      return `cancelled (${details})`;
    case GrpcCode.UNAUTHENTICATED:
    case GrpcCode.PERMISSION_DENIED:
      return `${STATUS_NAMES[error.code]!.toLowerCase().replace('_', ' ')}: ${details}`;
  }
  const text = withoutPrefix(details, [ctx.rpc]);
  return code === 'SERVER_ERROR' ? `${STATUS_NAMES[error.code] ?? error.code}: ${text}` : text;
}

// What grpc-js reports when no connection could be made, as the errno or the OpenSSL reason it
// quotes, and how to say it. The first match wins.
const SOCKET_FAILURES: [RegExp, string][] = [
  [/ECONNREFUSED/, 'connection refused'],
  [/ENOTFOUND|EAI_AGAIN|Name resolution failed/i, 'cannot resolve the host name'],
  [/ETIMEDOUT/, 'connection timed out'],
  [/EHOSTUNREACH/, 'host unreachable'],
  [/ENETUNREACH/, 'network unreachable'],
  [/ECONNRESET/, 'connection reset by the server'],
];
const TLS_FAILURES: [RegExp, string][] = [
  [/wrong version number|packet length too long|http request|unknown protocol/i, 'the server does not speak TLS'],
  [/alert certificate required|SSL alert number 116/i, 'the server requires a client certificate'],
  [/alert (bad certificate|unknown ca|certificate unknown|decrypt error)|SSL alert number (42|46|48|51)\b/i, 'the server refused the client certificate'],
  [/certificate has expired|CERT_HAS_EXPIRED/i, 'the server certificate has expired'],
  [/certificate is not yet valid|CERT_NOT_YET_VALID/i, 'the server certificate is not yet valid'],
  [/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/i, "the server certificate does not name this host"],
  [
    /unable to verify|self[- ]signed certificate|unable to get (local )?issuer|UNABLE_TO_VERIFY|DEPTH_ZERO_SELF_SIGNED|SELF_SIGNED_CERT/i,
    'certificate not trusted',
  ],
];

/**
 * A failure to connect, said for people: `cannot connect to host:port: connection refused`,
 * `TLS handshake with host:port failed: certificate not trusted`. Undefined when `details` is
 * not such a failure (a server that answered UNAVAILABLE itself).
 */
export function connectionFailure(details: string, address: string, tls: boolean): string | undefined {
  const connecting = /No connection established|Name resolution failed|Failed to connect|Connection dropped|connect E[A-Z]+/i.test(details);
  if (!connecting) return undefined;
  for (const [pattern, said] of TLS_FAILURES) if (pattern.test(details)) return `TLS handshake with ${address} failed: ${said}`;
  const openssl = /SSL routines:[^:]*:([^:]+):/.exec(details);
  if (openssl !== null) return `TLS handshake with ${address} failed: ${openssl[1]}`;
  for (const [pattern, said] of SOCKET_FAILURES) if (pattern.test(details)) return `cannot connect to ${address}: ${said}`;
  if (/Connection dropped/i.test(details)) return `the connection to ${address} was lost`;
  if (/Failed to connect/i.test(details)) {
    return `cannot connect to ${address}: the server closed the connection while it was being set up${tls ? '' : '; does it expect TLS?'}`;
  }
  const last = /Last error: (?:Error(?: \[[A-Z_]+\])?: )?(.*?)(?: \(\d{4}-\d\d-\d\dT[^)]*\))?\.? Resolution note:/s.exec(details)?.[1]?.trim();
  return `cannot connect to ${address}${last ? `: ${last}` : ''}`;
}
