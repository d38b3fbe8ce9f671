import { readFileSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import type { CallOptions } from '../call-options.js';
import { backoffDelay } from '../backoff.js';
import { SchedulerError } from '../errors.js';
import { sleep } from '../sleep.js';
import { decodeMessage } from '../wire/proto.js';
import { GrpcCode } from '../wire/status.js';
import { callError, clientClosed, type CallContext } from './call-context.js';
import { fromServiceError } from './errors.js';
import type { ResolvedClientOptions } from './options.js';
import {
  grpc,
  MAX_MESSAGE_BYTES,
  SCHEDULER_PACKAGE,
  SCHEDULER_SERVICE,
  schedulerMethods,
  type RpcName,
  type RpcRequest,
  type RpcResponse,
  type SchedulerMethods,
  type StreamingRpcName,
} from './service.js';

/** What a call needs besides its request. */
export interface UnaryContext {
  /** The SDK method making the call (`getExecutions`), for errors. */
  operation: string;
  /** Safe to repeat after UNAVAILABLE: reads, pause/resume/cancel, creates with a request_id, and applies and updates without an expected revision. */
  idempotent: boolean;
  /** The job the call is about, for error messages. */
  jobId?: string;
  options?: CallOptions;
}

/** What a server-streaming call needs besides its request. */
export interface StreamContext {
  /** The SDK method making the call (`waitForExecution`), for errors. */
  operation: string;
  /** The job the call is about, for error messages. */
  jobId?: string;
  /** Cancels the call; the stream then fails with `CANCELLED`. */
  signal?: AbortSignal;
  /** When the call ends with `TIMEOUT`, in epoch ms; `Infinity` for no deadline. */
  deadline: number;
  /** The timeout the deadline came from, for the message. */
  timeoutMs: number;
}

// A client stream holds at most this many received messages before it stops reading (HTTP/2 flow
// control then holds the server back), and reads again when it is down to half.
const STREAM_BUFFER = 16;

/**
 * One grpc-js channel to the scheduler and the policy of every call on it: deadline, cancellation,
 * metadata, and retries with exponential backoff and jitter on UNAVAILABLE. Loaded only when a
 * GrpcSchedulerClient makes its first call.
 *
 * Calls go through the typed stub ({@link SchedulerMethods}): `unary('GetJob', request)` takes a
 * generated `GetJobRequest` and resolves to a `GetJobResponse__Output`.
 */
export class GrpcTransport {
  private readonly client: grpc.Client;
  private readonly methods: SchedulerMethods;
  private readonly staticMetadata: grpc.Metadata | undefined;
  private readonly streams = new Set<grpc.ClientReadableStream<Buffer>>();
  private closed = false;

  constructor(private readonly options: ResolvedClientOptions) {
    this.methods = schedulerMethods();
    const o = options;
    const channelOptions: grpc.ClientOptions = {
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
    this.client = new grpc.Client(o.target, channelCredentials(o), channelOptions);
    if (o.metadata !== undefined && typeof o.metadata !== 'function') this.staticMetadata = toMetadata(o.metadata);
  }

  /** Makes one logical call, retrying it when that is safe, within one deadline. */
  /** The wait before retry `attempt` (from 1) of a call, under the client's retry options. */
  retryWait(attempt: number): number {
    const retry = this.options.retry;
    return backoffDelay({ initialMs: retry.initialBackoffMs, maxMs: retry.maxBackoffMs, multiplier: retry.multiplier, jitter: retry.jitter }, attempt);
  }

  async unary<R extends RpcName>(rpc: R, request: RpcRequest<R>, ctx: UnaryContext): Promise<RpcResponse<R>> {
    const callCtx: CallContext = { operation: ctx.operation, rpc, address: this.options.address, jobId: ctx.jobId };
    const signal = ctx.options?.signal;
    const timeoutMs = ctx.options?.timeoutMs ?? this.options.defaultTimeoutMs;
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    const retry = this.options.retry;
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw clientClosed(callCtx);
      if (signal?.aborted) throw cancelled(callCtx, signal.reason);
      try {
        return await this.once(rpc, request, deadline, timeoutMs, signal, callCtx);
      } catch (error) {
        const failure = SchedulerError.from(error, ctx.operation);
        if (!ctx.idempotent || failure.grpcCode !== GrpcCode.UNAVAILABLE || attempt >= retry.maxAttempts || this.closed) throw failure;
        const wait = this.retryWait(attempt);
        if (Date.now() + wait >= deadline) throw failure;
        this.options.logger.debug?.(`${ctx.operation}: retrying after UNAVAILABLE`, { rpc, attempt, waitMs: wait, address: this.options.address });
        await sleep(wait, signal);
      }
    }
  }

  private async once<R extends RpcName>(
    rpc: R,
    request: RpcRequest<R>,
    deadline: number,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    callCtx: CallContext,
  ): Promise<RpcResponse<R>> {
    const source = this.options.metadata;
    const metadata = typeof source === 'function' ? await this.metadataFor(source, callCtx) : (this.staticMetadata?.clone() ?? new grpc.Metadata());
    const method = this.methods[rpc];
    // A call whose deadline has passed (say, while the metadata provider ran) is not sent.
    if (Date.now() >= deadline) throw callError('TIMEOUT', callCtx, `deadline of ${timeoutMs} ms exceeded before the call was sent`, { grpcCode: GrpcCode.DEADLINE_EXCEEDED });
    return new Promise<RpcResponse<R>>((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      const callOptions: grpc.CallOptions = Number.isFinite(deadline) ? { deadline } : {};
      // The response comes as bytes and is decoded strictly here: grpc-js would turn a deserializer
      // failure into INTERNAL, and protobufjs alone reads some malformed bytes as other values.
      const call = this.client.makeUnaryRequest(method.path, method.requestSerialize, rawBytes, request, metadata, callOptions, (error, bytes) => {
        if (onAbort !== undefined) signal!.removeEventListener('abort', onAbort);
        if (error === null && bytes !== undefined) {
          try {
            return resolve(decodeMessage<RpcResponse<R>>(`${SCHEDULER_PACKAGE}.${rpc}Response`, bytes));
          } catch (failure) {
            const text = failure instanceof Error ? failure.message : String(failure);
            return reject(callError('SERVER_ERROR', callCtx, `malformed ${rpc} response: ${text}`, { cause: failure }));
          }
        }
        if (error === null) return reject(callError('SERVER_ERROR', callCtx, 'the server sent no response message'));
        if (error.code === GrpcCode.CANCELLED && signal?.aborted) return reject(cancelled(callCtx, signal.reason, error));
        if (error.code === GrpcCode.DEADLINE_EXCEEDED) {
          return reject(callError('TIMEOUT', callCtx, `deadline of ${timeoutMs} ms exceeded`, { grpcCode: error.code, cause: error }));
        }
        reject(fromServiceError(error, callCtx, this.options.tls));
      });
      if (signal !== undefined) {
        onAbort = () => call.cancel();
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }

  /**
   * Opens one server-streaming call and yields its messages, decoded strictly, as the loop asks
   * for them: while the loop does not ask, at most a few messages are held and the server is held
   * back by flow control. The generator returns when the stream ends with OK and throws a
   * SchedulerError when it fails (`TIMEOUT` at the deadline, `CANCELLED` when `signal` aborts,
   * `SERVER_ERROR` "the client is closed" when the transport closes, otherwise the server's error).
   * Breaking out of the loop cancels the call. Never retried here.
   */
  async *serverStream<R extends StreamingRpcName>(rpc: R, request: RpcRequest<R>, ctx: StreamContext): AsyncGenerator<RpcResponse<R>, void, undefined> {
    const callCtx: CallContext = { operation: ctx.operation, rpc, address: this.options.address, jobId: ctx.jobId };
    const { signal, deadline, timeoutMs } = ctx;
    if (this.closed) throw clientClosed(callCtx);
    if (signal?.aborted) throw cancelled(callCtx, signal.reason);
    const source = this.options.metadata;
    const metadata = typeof source === 'function' ? await this.metadataFor(source, callCtx) : (this.staticMetadata?.clone() ?? new grpc.Metadata());
    if (this.closed) throw clientClosed(callCtx);
    if (signal?.aborted) throw cancelled(callCtx, signal.reason);
    if (Date.now() >= deadline) throw callError('TIMEOUT', callCtx, `deadline of ${timeoutMs} ms exceeded before the call was sent`, { grpcCode: GrpcCode.DEADLINE_EXCEEDED });
    const method = this.methods[rpc];
    const callOptions: grpc.CallOptions = Number.isFinite(deadline) ? { deadline } : {};
    const call = this.client.makeServerStreamRequest(method.path, method.requestSerialize, rawBytes, request, metadata, callOptions);
    const queue: Buffer[] = [];
    let failure: grpc.ServiceError | undefined;
    let finished = false;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    call.on('data', (bytes: Buffer) => {
      queue.push(bytes);
      if (queue.length >= STREAM_BUFFER) call.pause();
      notify();
    });
    // grpc-js reports a failed status as 'error' after the messages before it; the stream still
    // ends ('end', then 'close') once they are read, so they are yielded before the failure.
    call.on('error', (error: grpc.ServiceError) => {
      failure ??= error;
      notify();
    });
    const end = (): void => {
      finished = true;
      notify();
    };
    call.on('end', end);
    call.on('close', end);
    const onAbort = (): void => call.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.streams.add(call);
    try {
      for (;;) {
        const bytes = queue.shift();
        if (bytes !== undefined) {
          if (queue.length <= STREAM_BUFFER / 2 && call.isPaused()) call.resume();
          yield this.decodeStreamed(rpc, bytes, callCtx);
          continue;
        }
        if (finished) {
          if (failure !== undefined) throw this.streamFailure(failure, callCtx, ctx);
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.streams.delete(call);
      // A no-op when the call has ended; otherwise (the loop stopped early) it frees the server's side.
      call.cancel();
    }
  }

  private decodeStreamed<R extends StreamingRpcName>(rpc: R, bytes: Buffer, callCtx: CallContext): RpcResponse<R> {
    try {
      return decodeMessage<RpcResponse<R>>(`${SCHEDULER_PACKAGE}.${rpc}Response`, bytes);
    } catch (failure) {
      const text = failure instanceof Error ? failure.message : String(failure);
      throw callError('SERVER_ERROR', callCtx, `malformed ${rpc} message: ${text}`, { cause: failure });
    }
  }

  private streamFailure(error: grpc.ServiceError, callCtx: CallContext, ctx: StreamContext): SchedulerError {
    if (error.code === GrpcCode.CANCELLED && ctx.signal?.aborted) return cancelled(callCtx, ctx.signal.reason, error);
    if (error.code === GrpcCode.CANCELLED && this.closed) return callError('SERVER_ERROR', callCtx, 'the client is closed', { grpcCode: error.code, cause: error });
    if (error.code === GrpcCode.DEADLINE_EXCEEDED) {
      return callError('TIMEOUT', callCtx, `deadline of ${ctx.timeoutMs} ms exceeded`, { grpcCode: error.code, cause: error });
    }
    return fromServiceError(error, callCtx, this.options.tls);
  }

  private async metadataFor(source: Extract<ResolvedClientOptions['metadata'], Function>, callCtx: CallContext): Promise<grpc.Metadata> {
    try {
      return toMetadata(await source({ method: `/${SCHEDULER_SERVICE}/${callCtx.rpc}` }));
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw callError('SERVER_ERROR', callCtx, `the metadata provider failed: ${text}`, { cause: error });
    }
  }

  /** Closes the channel; calls in flight and open streams are cancelled, later calls fail. */
  close(): void {
    this.closed = true;
    for (const call of [...this.streams]) call.cancel();
    this.client.close();
  }
}

const rawBytes = (bytes: Buffer): Buffer => bytes;

function cancelled(ctx: CallContext, reason: unknown, cause?: unknown): SchedulerError {
  return callError('CANCELLED', ctx, 'cancelled by the caller', { grpcCode: GrpcCode.CANCELLED, cause: cause ?? reason });
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

/** The host of a `host:port` target, without the brackets of an IPv6 literal. */
function hostOf(target: string): string {
  return target.slice(0, target.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1');
}

function channelCredentials(o: ResolvedClientOptions): grpc.ChannelCredentials {
  if (!o.tls) return grpc.credentials.createInsecure();
  const ca = toBuffer(o.credentials?.ca);
  const key = toBuffer(o.credentials?.key);
  const cert = toBuffer(o.credentials?.cert);
  const host = hostOf(o.target);
  // grpc-js sends the target host as the TLS server name (SNI). For an IP address that is against
  // RFC 6066 and makes Node print DEP0123, so an IP target gets a connector that sends no server
  // name and still checks the certificate against the IP address.
  const nameOverridden = Boolean(o.credentials?.serverName || o.channelOptions['grpc.ssl_target_name_override']);
  if (isIP(host) !== 0 && !nameOverridden && IpTlsCredentials.supported()) return new IpTlsCredentials(host, { ca, key, cert });
  return grpc.credentials.createSsl(ca, key, cert);
}

/**
 * TLS to an IP address: the same handshake as grpc-js's own credentials (ALPN h2, the server
 * certificate checked against the address, grpc-js's GRPC_DEFAULT_SSL_ROOTS_FILE_PATH and
 * GRPC_SSL_CIPHER_SUITES honoured), without an SNI server name.
 */
class IpTlsCredentials extends grpc.ChannelCredentials {
  private readonly context: tls.SecureContext;

  private static hookFound: boolean | undefined;

  /**
   * True when grpc-js builds TLS connections through `_createSecureConnector`, as this class
   * expects; otherwise the channel uses grpc-js's own credentials.
   */
  static supported(): boolean {
    IpTlsCredentials.hookFound ??= typeof Reflect.get(grpc.credentials.createInsecure(), '_createSecureConnector') === 'function';
    return IpTlsCredentials.hookFound;
  }

  constructor(
    private readonly host: string,
    material: { ca: Buffer | null; key: Buffer | null; cert: Buffer | null },
  ) {
    super();
    const rootsFile = process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH;
    this.context = tls.createSecureContext({
      ca: material.ca ?? (rootsFile ? readFileSync(rootsFile) : undefined),
      key: material.key ?? undefined,
      cert: material.cert ?? undefined,
      ciphers: process.env.GRPC_SSL_CIPHER_SUITES,
    });
  }

  _isSecure(): boolean {
    return true;
  }

  _equals(other: grpc.ChannelCredentials): boolean {
    return other === this;
  }

  _createSecureConnector(_target: unknown, _options: unknown, callCredentials?: grpc.CallCredentials) {
    const credentials = callCredentials ?? grpc.credentials.createEmpty();
    return {
      connect: (socket: Socket) =>
        new Promise<{ socket: Socket; secure: boolean }>((resolve, reject) => {
          const secure = tls.connect({ socket, secureContext: this.context, host: this.host, ALPNProtocols: ['h2'] }, () => {
            if (!secure.authorized) return reject(secure.authorizationError);
            resolve({ socket: secure, secure: true });
          });
          secure.on('error', reject);
        }),
      waitForReady: () => Promise.resolve(),
      getCallCredentials: () => credentials,
      destroy: () => {},
    };
  }
}
