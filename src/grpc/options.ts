import type { ChannelOptions, Interceptor } from '@grpc/grpc-js';
import { optionError, type SchedulerError } from '../errors.js';
import type { Logger } from '../logger.js';

/** TLS material for the connection to the scheduler. */
export interface GrpcTlsCredentials {
  /** PEM of the CA(s) that signed the server's certificate. @default the system's roots */
  ca?: string | Buffer;
  /** PEM client certificate chain, for mutual TLS (needs `key`). */
  cert?: string | Buffer;
  /** PEM client private key, for mutual TLS (needs `cert`). */
  key?: string | Buffer;
  /** The name to check the server certificate against, when it differs from the host. */
  serverName?: string;
}

/** Headers sent with every call: static, or produced per call (for example a fresh token). */
export type MetadataSource =
  | Record<string, string | string[]>
  | ((context: { method: string }) => Record<string, string | string[]> | Promise<Record<string, string | string[]>>);

/** How calls that are safe to repeat are retried when the server is UNAVAILABLE. */
export interface RetryOptions {
  /** Attempts in all, including the first; 1 disables retries. @default 5 */
  maxAttempts?: number;
  /** Wait before the first retry, ms. @default 100 */
  initialBackoffMs?: number;
  /** Longest wait between attempts, ms. @default 2000 */
  maxBackoffMs?: number;
  /** Growth of the wait per retry. @default 2 */
  multiplier?: number;
  /** Random spread of each wait, 0 to 1 (0.2 = ±20 %). @default 0.2 */
  jitter?: number;
}

/** HTTP/2 keepalive pings, to notice a dead connection between calls. */
export interface KeepaliveOptions {
  /** Ping interval, ms. @default 30000 */
  timeMs?: number;
  /** How long to wait for a ping's answer, ms. @default 10000 */
  timeoutMs?: number;
  /** Ping even with no call in flight. @default false */
  permitWithoutCalls?: boolean;
}

/** Options of a GrpcSchedulerClient. */
export interface GrpcSchedulerClientOptions {
  /**
   * The server: `host:port` or `http://host:port` for plaintext, `https://host:port` for TLS (with
   * the system's roots unless `credentials` says otherwise).
   */
  address: string;
  /** TLS with a custom CA, or mutual TLS. Implies TLS; not allowed with an `http://` address. */
  credentials?: GrpcTlsCredentials;
  /**
   * Headers for every call, or a function called before every attempt that returns them, for
   * example `async () => ({ authorization: `Bearer ${await getToken()}` })`.
   */
  metadata?: MetadataSource;
  /** Deadline of every call unless the call sets `timeoutMs`; `<= 0` for none. @default 10000 */
  defaultTimeoutMs?: number;
  /** Retries on UNAVAILABLE for calls that are safe to repeat; `false` disables them. */
  retry?: RetryOptions | false;
  /** HTTP/2 keepalive. */
  keepalive?: KeepaliveOptions;
  /** grpc-js client interceptors, outermost first. */
  interceptors?: Interceptor[];
  /** Receives a debug line for every retry (RPC, attempt, wait, address). @default none */
  logger?: Logger;
  /** Extra grpc-js channel options, passed through as they are. */
  channelOptions?: ChannelOptions;
}

/** Options after defaults, checked once at construction. */
export interface ResolvedClientOptions {
  target: string;
  address: string;
  tls: boolean;
  credentials: GrpcTlsCredentials | undefined;
  metadata: MetadataSource | undefined;
  defaultTimeoutMs: number;
  retry: Required<RetryOptions>;
  keepalive: Required<KeepaliveOptions>;
  interceptors: Interceptor[];
  logger: Logger;
  channelOptions: ChannelOptions;
}

/** The retry defaults. */
export const DEFAULT_RETRY: Readonly<Required<RetryOptions>> = Object.freeze({
  maxAttempts: 5,
  initialBackoffMs: 100,
  maxBackoffMs: 2000,
  multiplier: 2,
  jitter: 0.2,
});

const DEFAULT_KEEPALIVE: Readonly<Required<KeepaliveOptions>> = Object.freeze({ timeMs: 30_000, timeoutMs: 10_000, permitWithoutCalls: false });
const DEFAULT_TIMEOUT_MS = 10_000;

const invalid = (field: string, limit: string, got: unknown): SchedulerError => optionError('GrpcSchedulerClient', field, limit, got);

/**
 * Applies defaults and checks every option, so that a bad combination fails at construction and
 * not at the first call.
 */
export function resolveClientOptions(input: string | GrpcSchedulerClientOptions): ResolvedClientOptions {
  const options: GrpcSchedulerClientOptions = typeof input === 'string' ? { address: input } : input;
  if (typeof options !== 'object' || options === null) throw invalid('options', 'an address string or an options object', options);
  if (typeof options.address !== 'string' || options.address.trim() === '') throw invalid('address', "'host:port', 'http://host:port' or 'https://host:port'", options.address);
  const raw = options.address.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') throw invalid('address', 'an http:// or https:// URL, or host:port', raw);
  const hostPort = scheme === undefined ? raw : raw.slice(scheme.length + 3).replace(/\/+$/, '');
  if (!/^(\[[0-9a-fA-F:.]+\]|[^\s/:]+):\d{1,5}$/.test(hostPort) || Number(hostPort.slice(hostPort.lastIndexOf(':') + 1)) > 65535) {
    throw invalid('address', 'host:port with a port from 0 to 65535', raw);
  }
  if (scheme === 'http' && options.credentials !== undefined) throw invalid('credentials', 'unset for an http:// (plaintext) address', 'credentials');
  const c = options.credentials;
  if (c !== undefined && (c.cert === undefined) !== (c.key === undefined)) throw invalid('credentials', 'both cert and key, or neither', Object.keys(c));
  const timeout = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) throw invalid('defaultTimeoutMs', 'a number of milliseconds', timeout);
  const retry = options.retry === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : { ...DEFAULT_RETRY, ...options.retry };
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) throw invalid('retry.maxAttempts', 'an integer >= 1', retry.maxAttempts);
  if (!(retry.initialBackoffMs >= 0)) throw invalid('retry.initialBackoffMs', '>= 0', retry.initialBackoffMs);
  if (!(retry.maxBackoffMs >= retry.initialBackoffMs)) throw invalid('retry.maxBackoffMs', '>= retry.initialBackoffMs', retry.maxBackoffMs);
  if (!(retry.multiplier >= 1)) throw invalid('retry.multiplier', '>= 1', retry.multiplier);
  if (!(retry.jitter >= 0 && retry.jitter <= 1)) throw invalid('retry.jitter', 'from 0 to 1', retry.jitter);
  const keepalive = { ...DEFAULT_KEEPALIVE, ...options.keepalive };
  if (!(keepalive.timeMs > 0) || !(keepalive.timeoutMs > 0)) throw invalid('keepalive', 'positive timeMs and timeoutMs', options.keepalive);
  if (options.metadata !== undefined && typeof options.metadata !== 'function' && typeof options.metadata !== 'object') {
    throw invalid('metadata', 'an object or a function', typeof options.metadata);
  }
  return {
    target: hostPort,
    address: hostPort,
    tls: scheme === 'https' || c !== undefined,
    credentials: c,
    metadata: options.metadata,
    defaultTimeoutMs: timeout,
    retry,
    keepalive,
    interceptors: options.interceptors ?? [],
    logger: options.logger ?? {},
    channelOptions: options.channelOptions ?? {},
  };
}
