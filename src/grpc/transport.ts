import type { CallOptions } from '../call-options.js';
import { backoffDelay } from '../backoff.js';
import { SchedulerError } from '../errors.js';
import type { SchedulerServiceClient } from '../generated/k1s0/system/scheduler/v2/SchedulerService';
import { sleep } from '../sleep.js';
import { GrpcCode } from '../wire/status.js';
import { clientClosed, describeCall, type CallContext } from './call-context.js';
import { fromServiceError } from './errors.js';
import type { ResolvedClientOptions } from './options.js';
import { grpc, MAX_MESSAGE_BYTES, services, type RpcName } from './service.js';

type Callback = (error: grpc.ServiceError | null, response?: unknown) => void;
type UnaryMethod = (request: unknown, metadata: grpc.Metadata, options: grpc.CallOptions, callback: Callback) => grpc.ClientUnaryCall;

/** What a call needs besides its request. */
export interface UnaryContext {
  /** Safe to repeat after UNAVAILABLE (reads, pause/resume/cancel, and creates with a request_id). */
  idempotent: boolean;
  /** The job the call is about, for error messages. */
  jobId?: string;
  options?: CallOptions;
}

/**
 * One grpc-js channel to the scheduler and the policy of every call on it: deadline, cancellation,
 * metadata, and retries with exponential backoff and jitter on UNAVAILABLE. Loaded only when a
 * GrpcSchedulerClient makes its first call.
 */
export class GrpcTransport {
  private readonly client: SchedulerServiceClient;
  private readonly staticMetadata: grpc.Metadata | undefined;
  private closed = false;

  constructor(private readonly options: ResolvedClientOptions) {
    const { scheduler } = services();
    const o = options;
    const channelOptions: grpc.ChannelOptions = {
      'grpc.keepalive_time_ms': o.keepalive.timeMs,
      'grpc.keepalive_timeout_ms': o.keepalive.timeoutMs,
      'grpc.keepalive_permit_without_calls': o.keepalive.permitWithoutCalls ? 1 : 0,
      // Reconnect soon after a server restart; the default first wait is 1 s.
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2000,
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      ...(o.credentials?.serverName ? { 'grpc.ssl_target_name_override': o.credentials.serverName, 'grpc.default_authority': o.credentials.serverName } : {}),
      ...o.channelOptions,
      // An empty list would still route every call through the interceptor machinery.
      ...(o.interceptors.length > 0 ? { interceptors: o.interceptors } : {}),
    };
    const credentials = o.tls
      ? grpc.credentials.createSsl(toBuffer(o.credentials?.ca), toBuffer(o.credentials?.key), toBuffer(o.credentials?.cert))
      : grpc.credentials.createInsecure();
    this.client = new scheduler.SchedulerService(o.target, credentials, channelOptions);
    if (o.metadata !== undefined && typeof o.metadata !== 'function') this.staticMetadata = toMetadata(o.metadata);
  }

  /** Makes one logical call, retrying it when that is safe, within one deadline. */
  async unary<T>(rpc: RpcName, request: unknown, ctx: UnaryContext): Promise<T> {
    const callCtx: CallContext = { rpc, address: this.options.address, jobId: ctx.jobId };
    const signal = ctx.options?.signal;
    const timeoutMs = ctx.options?.timeoutMs ?? this.options.defaultTimeoutMs;
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    const retry = this.options.retry;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw clientClosed(callCtx);
      if (signal?.aborted) throw cancelled(callCtx, signal.reason);
      try {
        return await this.once<T>(rpc, request, deadline, timeoutMs, signal, callCtx);
      } catch (error) {
        const failure = SchedulerError.from(error, rpc);
        if (!ctx.idempotent || failure.grpcCode !== GrpcCode.UNAVAILABLE || attempt >= retry.maxAttempts || this.closed) throw failure;
        const wait = backoffDelay({ initialMs: retry.initialBackoffMs, maxMs: retry.maxBackoffMs, multiplier: retry.multiplier, jitter: retry.jitter }, attempt);
        if (Date.now() + wait >= deadline) throw failure;
        this.options.logger.debug?.(`${rpc}: retrying after UNAVAILABLE`, { attempt, waitMs: wait, address: this.options.address });
        await sleep(wait, signal);
      }
    }
  }

  private async once<T>(
    rpc: RpcName,
    request: unknown,
    deadline: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    callCtx: CallContext,
  ): Promise<T> {
    const source = this.options.metadata;
    const metadata = typeof source === 'function' ? await this.metadataFor(rpc, source) : (this.staticMetadata?.clone() ?? new grpc.Metadata());
    return new Promise<T>((resolve, reject) => {
      const method = (this.client as unknown as Record<string, UnaryMethod>)[rpc]!;
      let onAbort: (() => void) | undefined;
      const call = method.call(this.client, request, metadata, Number.isFinite(deadline) ? { deadline } : {}, (error, response) => {
        if (onAbort !== undefined) signal!.removeEventListener('abort', onAbort);
        if (error === null) return resolve(response as T);
        if (error.code === GrpcCode.CANCELLED && signal?.aborted) return reject(cancelled(callCtx, signal.reason, error));
        const mapped = fromServiceError(error, callCtx);
        if (error.code === GrpcCode.DEADLINE_EXCEEDED) {
          return reject(
            new SchedulerError('TIMEOUT', `${describeCall(callCtx)}: deadline of ${timeoutMs} ms exceeded`, {
              operation: rpc,
              jobId: callCtx.jobId,
              grpcCode: error.code,
              cause: error,
            }),
          );
        }
        reject(mapped);
      });
      if (signal !== undefined) {
        onAbort = () => call.cancel();
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  private async metadataFor(rpc: RpcName, source: Extract<ResolvedClientOptions['metadata'], Function>): Promise<grpc.Metadata> {
    try {
      return toMetadata(await source({ method: `/k1s0.system.scheduler.v2.SchedulerService/${rpc}` }));
    } catch (error) {
      throw new SchedulerError('SERVER_ERROR', `${rpc} on ${this.options.address}: the metadata provider failed: ${(error as Error)?.message ?? String(error)}`, {
        operation: rpc,
        cause: error,
      });
    }
  }

  /** Closes the channel; calls in flight are cancelled, later calls fail. */
  close(): void {
    this.closed = true;
    this.client.close();
  }
}

function cancelled(ctx: CallContext, reason: unknown, cause?: unknown): SchedulerError {
  return new SchedulerError('CANCELLED', `${describeCall(ctx)}: cancelled by the caller`, {
    operation: ctx.rpc,
    jobId: ctx.jobId,
    grpcCode: GrpcCode.CANCELLED,
    cause: cause ?? reason,
  });
}

function toMetadata(headers: Record<string, string | string[]>): grpc.Metadata {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) metadata.add(key.toLowerCase(), v);
  }
  return metadata;
}

function toBuffer(value: string | Buffer | undefined): Buffer | null {
  return value === undefined ? null : typeof value === 'string' ? Buffer.from(value) : value;
}
