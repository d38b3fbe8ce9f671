import { advanceVirtualClock, checkPageSize } from '../bounds.js';
import { SchedulerEngine, type JobExecutor } from '../engine/engine.js';
import { SystemClock, type Clock } from '../engine/clock.js';
import { SchedulerError, failureMessage } from '../errors.js';
import type { HealthHandlers } from '../generated/grpc/health/v1/Health';
import type { HealthCheckRequest__Output } from '../generated/grpc/health/v1/HealthCheckRequest';
import type { HealthCheckResponse } from '../generated/grpc/health/v1/HealthCheckResponse';
import type { SchedulerServiceDefinition } from '../generated/k1s0/system/scheduler/v2/SchedulerService';
import { InMemoryJobCompletedSubscriber, type InMemorySubscriberOptions } from '../subscriber/in-memory-subscriber.js';
import type { Job } from '../types.js';
import type { EventSink } from '../events.js';
import type { KafkaPublisherOptions } from './kafka-publisher.js';
import {
  WireFormatError,
  applyActionToWire,
  executionToWire,
  fromStatusWire,
  jobRequestFromWire,
  jobSpecFromWire,
  jobToWire,
  copyLabels,
  specFieldOfProtoName,
  jobDescriptionToWire,
  requestOverlapFromWire,
} from '../wire/convert.js';
import {
  JOB_SPEC_FIELDS,
  MASK_LIMIT,
  SPEC_FIELD_PROTO_NAMES,
  validateJobKey,
  validateJobRef,
  type JobSpecField,
} from '../validation.js';
import { messageType, WIRE_OBJECT_OPTIONS } from '../wire/proto.js';
import { decodeStrict, WireDecodeError } from '../wire/strict.js';
import { jsonPointerToken } from '../primitives.js';
import { statusOf } from '../wire/status.js';
import { LIMITS } from '../limits.js';
import {
  grpc,
  MAX_MESSAGE_BYTES,
  RPC_NAMES,
  SCHEDULER_PACKAGE,
  SCHEDULER_SERVICE,
  STREAMING_RPC_NAMES,
  services,
  type AnyRpcName,
  type RpcName,
  type RpcServerRequest,
  type RpcServerResponse,
} from '../grpc/service.js';
import { LiveWatches, WatchStream, unavailable, watchTargetOf, type WatchCall } from './watch-stream.js';

/** TLS for the reference server. */
export interface ServerTlsOptions {
  /** PEM certificate chain of the server. */
  cert: string | Buffer;
  /** PEM private key of the server. */
  key: string | Buffer;
  /** PEM CA that client certificates must chain to; with it, clients must present one (mTLS). */
  ca?: string | Buffer;
}

/** Options of {@link startSchedulerServer}. */
export interface SchedulerServerOptions {
  /** The address to listen on. Only loopback is meant for tests. @default '127.0.0.1' */
  host?: string;
  /** The port; 0 picks a free one. @default 0 */
  port?: number;
  /**
   * The scheduler's clock. With a VirtualClock, nothing fires until `advanceTime()`.
   * @default a SystemClock: jobs fire on time with real timers
   */
  clock?: Clock;
  /** What a run does (see InMemorySchedulerClient). @default succeeds at once */
  executor?: JobExecutor;
  /** Where completion events go besides `completions()` subscribers. */
  eventSinks?: EventSink[];
  /**
   * Publish every finished attempt to Kafka (topic `k1s0.system.scheduler.job_completed.v1`) in
   * the proto's snake_case JSON, with an idempotent producer and `acks: -1`.
   */
  kafka?: KafkaPublisherOptions;
  /** Serve TLS instead of plaintext. */
  tls?: ServerTlsOptions;
  /** grpc-js server interceptors, for tests that inspect or disturb calls. */
  interceptors?: grpc.ServerInterceptor[];
  /** How many executions of each job to keep. @default 1000 */
  executionHistoryLimit?: number;
}

/** A running reference scheduler server. */
export interface SchedulerServer extends AsyncDisposable {
  /** `host:port` to hand to a GrpcSchedulerClient. */
  readonly address: string;
  /** The port actually bound. */
  readonly port: number;
  /**
   * Moves the server's VirtualClock forward by `ms`, firing what falls due. `INVALID_STATE` when
   * the server runs on another clock; `INVALID_ARGUMENT` for a negative or non-finite `ms` (the
   * same checks as `InMemorySchedulerClient.advanceTime`).
   */
  advanceTime(ms: number): Promise<void>;
  /** The server's current time. */
  now(): Date;
  /** A subscriber to the server's completion events, the same as the in-memory one. */
  completions(options?: InMemorySubscriberOptions): InMemoryJobCompletedSubscriber;
  /**
   * How many watches the scheduler holds: one per open WatchExecutions stream. A stream that ends
   * (OK, deadline, cancel, shutdown) frees its watch at once, so this returns to 0 when every
   * watcher has gone.
   */
  watching(): number;
  /**
   * Stops gracefully: reports NOT_SERVING, ends every WatchExecutions stream at once with
   * UNAVAILABLE (ErrorInfo SERVER_ERROR, retryable), refuses new calls, lets unary calls in flight
   * finish (up to `graceMs`, then cancels them), stops the scheduler and closes the event sinks.
   * A stream whose client has stopped reading cannot get its status past the messages it has not
   * read (HTTP/2 flow control): it is cancelled at `graceMs` with the other calls.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** A ListJobs or ListExecutions page holds at most about this many bytes of protobuf. */
const PAGE_BYTES_BUDGET = 4 * 1024 * 1024;

/**
 * Starts the reference scheduler server: every RPC of `k1s0.system.scheduler.v2.SchedulerService`
 * over real HTTP/2 on the same engine as InMemorySchedulerClient, so the two cannot behave
 * differently. It validates every request as the clients do (other languages' clients reach it
 * unvalidated), puts the SchedulerErrorCode into google.rpc.ErrorInfo, honours request_id, serves
 * grpc.health.v1, and shuts down gracefully.
 *
 * @example
 * const server = await startSchedulerServer({ clock: new VirtualClock() });
 * const client = new GrpcSchedulerClient(server.address);
 */
export async function startSchedulerServer(options: SchedulerServerOptions = {}): Promise<SchedulerServer> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? new SystemClock();
  const engine = new SchedulerEngine({ clock, executor: options.executor, executionHistoryLimit: options.executionHistoryLimit });
  const sinks = [...(options.eventSinks ?? [])];
  if (options.kafka !== undefined) {
    const { KafkaEventPublisher } = await import('./kafka-publisher.js');
    sinks.push(new KafkaEventPublisher(options.kafka));
  }
  for (const sink of sinks) engine.onCompleted((event) => sink.publish(event));

  const { scheduler, health } = services();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    interceptors: options.interceptors ?? [],
  });
  const live = new LiveWatches();
  server.addService(withRawRequests(scheduler), schedulerHandlers(engine, live));

  let serving = true;
  const watchers = new Set<grpc.ServerWritableStream<HealthCheckRequest__Output, HealthCheckResponse>>();
  const statusFor = (service: string): HealthCheckResponse['status'] | undefined =>
    service === '' || service === SCHEDULER_SERVICE ? (serving ? 'SERVING' : 'NOT_SERVING') : undefined;
  const healthHandlers: HealthHandlers = {
    Check: (call, callback) => {
      const status = statusFor(call.request.service);
      if (status === undefined) return callback({ code: grpc.status.NOT_FOUND, details: `unknown service '${call.request.service}'` });
      callback(null, { status });
    },
    Watch: (call) => {
      call.write({ status: statusFor(call.request.service) ?? 'SERVICE_UNKNOWN' });
      watchers.add(call);
      call.on('cancelled', () => watchers.delete(call));
    },
  };
  server.addService(health, healthHandlers);

  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(
        options.tls.ca === undefined ? null : Buffer.from(options.tls.ca),
        [{ cert_chain: Buffer.from(options.tls.cert), private_key: Buffer.from(options.tls.key) }],
        options.tls.ca !== undefined,
      )
    : grpc.ServerCredentials.createInsecure();
  const bindHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${bindHost}:${options.port ?? 0}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );

  let closing: Promise<void> | undefined;
  const handle: SchedulerServer = {
    address: `${bindHost}:${port}`,
    port,
    advanceTime: (ms: number) => advanceVirtualClock(clock, ms, 'server'),
    now: () => new Date(engine.now()),
    completions: (subscriberOptions) => new InMemoryJobCompletedSubscriber(engine, subscriberOptions),
    watching: () => engine.watching(),
    close({ graceMs = 5_000 } = {}) {
      closing ??= (async () => {
        serving = false;
        for (const w of watchers) {
          w.write({ status: 'NOT_SERVING' });
          w.end();
        }
        watchers.clear();
        // Streams never end by themselves: they end now, so that shutting down never waits for them.
        live.shutDown();
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, graceMs);
          server.tryShutdown(() => {
            clearTimeout(force);
            resolve();
          });
        });
        engine.close();
        await Promise.allSettled(sinks.map((s) => s.close()));
      })();
      return closing;
    },
    [Symbol.asyncDispose]() {
      return this.close();
    },
  };
  return handle;
}

// Older protobufjs versions decode a Struct key named "__proto__" by assigning it, which sets the
// map object's prototype and drops the key. A payload (of CreateJob, or of the spec of ApplyJob or
// UpdateJob) with such a key is noted while the request is decoded, and the handler refuses it
// rather than lose it silently. A label key "__proto__" is kept as data (see copyLabels) and
// refused by the label key rule.
const lostProtoKeys = new WeakMap<object, string>();

// Every RPC takes its request as the bytes received: `unary` decodes them strictly, so that a
// malformed request is an INVALID_ARGUMENT with ErrorInfo like any other bad request, and not the
// INTERNAL that grpc-js answers when a deserializer throws.
function withRawRequests(service: SchedulerServiceDefinition): grpc.ServiceDefinition {
  return Object.fromEntries([...RPC_NAMES, ...STREAMING_RPC_NAMES].map((rpc) => [rpc, { ...service[rpc], requestDeserialize: (bytes: Buffer) => bytes }]));
}

/**
 * Decodes an RPC's request strictly (see decodeStrict) into the object grpc-js would have made.
 *
 * @throws {WireDecodeError} for bytes that are not a well-formed request.
 */
function decodeRequest<R extends AnyRpcName>(rpc: R, bytes: Buffer): RpcServerRequest<R> {
  const type = messageType(`${SCHEDULER_PACKAGE}.${rpc}Request`);
  const message = decodeStrict(type, bytes);
  const request = type.toObject(message, WIRE_OBJECT_OPTIONS);
  // The payload of CreateJob, or of the spec of ApplyJob and UpdateJob (named without "spec.": the
  // conversion of the spec puts it in front).
  const holder = rpc === 'CreateJob' ? message : rpc === 'ApplyJob' || rpc === 'UpdateJob' ? (message as { spec?: object | null }).spec : undefined;
  if (holder !== undefined && holder !== null) {
    const lost = protoKeyPath('payload' in holder ? holder.payload : undefined, 'payload');
    if (lost !== undefined) lostProtoKeys.set(request, lost);
  }
  return request as RpcServerRequest<R>;
}

/**
 * The path of the first Struct in a decoded Value whose "__proto__" key protobufjs absorbed (older
 * protobufjs versions assign map keys, which sets the object's prototype), as `payload/a/0`.
 */
function protoKeyPath(value: unknown, path: string): string | undefined {
  const v = value as { structValue?: { fields?: object }; listValue?: { values?: unknown[] } } | null | undefined;
  const fields = v?.structValue?.fields;
  if (fields !== undefined) {
    if (Object.getPrototypeOf(fields) !== Object.prototype) return path;
    for (const [k, item] of Object.entries(fields)) {
      const found = protoKeyPath(item, `${path}/${jsonPointerToken(k)}`);
      if (found !== undefined) return found;
    }
  }
  for (const [i, item] of (v?.listValue?.values ?? []).entries()) {
    const found = protoKeyPath(item, `${path}/${i}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Runs a handler body for one RPC: decodes its request strictly, typed with that RPC's generated
 * request and response, and sends its result, or its SchedulerError as status + ErrorInfo. A call
 * whose deadline has already passed when the server gets to it is not performed: it is answered
 * DEADLINE_EXCEEDED (TIMEOUT) without running the body.
 */
function unary<R extends RpcName>(rpc: R, body: (request: RpcServerRequest<R>) => RpcServerResponse<R>): grpc.handleUnaryCall<Buffer, RpcServerResponse<R>> {
  return (call, callback) => {
    const late = deadlinePassed(call, rpc);
    if (late !== undefined) return callback(toServiceError(late, rpc));
    let response: RpcServerResponse<R>;
    try {
      response = body(decodeRequest(rpc, call.request));
    } catch (error) {
      return callback(toServiceError(error, rpc));
    }
    callback(null, response);
  };
}

/** The TIMEOUT of a call whose deadline passed before the server got to it; undefined otherwise. */
function deadlinePassed(call: { getDeadline(): grpc.Deadline }, rpc: AnyRpcName): SchedulerError | undefined {
  const deadline = call.getDeadline();
  if (Date.now() < (deadline instanceof Date ? deadline.getTime() : deadline)) return undefined;
  const text = 'the deadline passed before the server started the call; nothing was done';
  return new SchedulerError('TIMEOUT', failureMessage({ operation: rpc }, text), { operation: rpc });
}

/**
 * The WatchExecutions handler: decodes the request strictly, opens one engine watch and streams it
 * (see WatchStream). Errors end the stream with status + ErrorInfo as a unary call's would; while
 * the server shuts down, a new stream is refused with UNAVAILABLE.
 */
function watchExecutions(engine: SchedulerEngine, live: LiveWatches): grpc.handleServerStreamingCall<Buffer, RpcServerResponse<'WatchExecutions'>> {
  const rpc = 'WatchExecutions';
  const sendFailure = (call: WatchCall, error: unknown): void => {
    call.emit('error', toServiceError(error, rpc));
  };
  return (call) => {
    const stream = new WatchStream(call, live, sendFailure);
    const late = deadlinePassed(call, rpc);
    if (late !== undefined) return stream.fail(late);
    if (live.closing) return stream.fail(unavailable('the server is shutting down'));
    let target;
    try {
      target = watchTargetOf(decodeRequest(rpc, call.request));
    } catch (error) {
      return stream.fail(error);
    }
    stream.start(engine, target);
  };
}

// The server speaks the proto: its errors name the RPC (`GetJob: job '…' not found`), and ErrorInfo
// carries the RPC name as "operation". Clients put their own method name in front instead. A
// SchedulerError that carries a gRPC status of its own (UNAVAILABLE at shutdown) is sent with it.
function toServiceError(error: unknown, rpc: AnyRpcName): Partial<grpc.StatusObject> {
  let failure: SchedulerError;
  if (error instanceof WireDecodeError) {
    // Bytes that are not a well-formed request: INVALID_ARGUMENT, whatever the field.
    const text = error.field === undefined ? `the request ${error.problem}` : error.message;
    failure = new SchedulerError('INVALID_ARGUMENT', failureMessage({ operation: rpc }, `malformed request: ${text}`), {
      operation: rpc,
      ...(error.field === undefined ? {} : { field: error.field }),
      limit: error.limit,
    });
  } else if (error instanceof WireFormatError) {
    const code = error.field.startsWith('schedule') ? 'INVALID_SCHEDULE' : 'INVALID_ARGUMENT';
    failure = new SchedulerError(code, failureMessage({ operation: rpc }, error.message), { operation: rpc, field: error.field });
  } else if (error instanceof SchedulerError) {
    failure = error;
  } else {
    // Never leak internals: the details stay in the server's own error, not on the wire.
    failure = new SchedulerError('SERVER_ERROR', failureMessage({ operation: rpc }, 'internal error'), { operation: rpc, cause: error });
  }
  const status = statusOf(failure, failure.grpcCode);
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status.bytes));
  return { code: status.code, details: status.message, metadata };
}

// A page token names where the next page starts and the filter it belongs to, so that a token
// used with another filter is refused rather than silently skipping jobs.
function encodeToken(after: number, scope: string): string {
  return Buffer.from(JSON.stringify([after, scope])).toString('base64url');
}

function decodeToken(token: string, scope: string, rpc: RpcName): number | undefined {
  if (token === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !Number.isInteger(parsed[0]) || parsed[1] !== scope) {
    throw new SchedulerError('INVALID_ARGUMENT', failureMessage({ operation: rpc }, 'page_token was not issued for this request'), {
      operation: rpc,
      field: 'pageToken',
      limit: 'a next_page_token of the same request',
    });
  }
  const after: number = parsed[0];
  return after;
}

function jobBytes(payloadBytes: number): number {
  // A JSON payload can grow up to about six times as protobuf Values; the rest of a Job is small.
  return payloadBytes * 6 + 512;
}

/** The "__proto__" payload problem noted while decoding a request, if any (see lostProtoKeys). */
function payloadProblemOf(req: object): WireFormatError | undefined {
  const lost = lostProtoKeys.get(req);
  return lost === undefined ? undefined : new WireFormatError(lost, "has a key named '__proto__', which JavaScript protobuf runtimes cannot carry; rename it", 'no "__proto__" keys');
}

/**
 * A job named on the wire by job_id or key (exactly one is set) as the engine's JobRef: neither
 * set is the empty job id (INVALID_ARGUMENT on job_id), both set is `{ id, key }` (INVALID_ARGUMENT
 * on key, "one of job_id, key").
 */
function refOf(req: { jobId: string; key: string }): string | { key: string } | { id: string; key: string } {
  if (req.key === '') return req.jobId;
  return req.jobId === '' ? { key: req.key } : { id: req.jobId, key: req.key };
}

/** An int64 expected_revision as decoded (a decimal string), for the engine, which checks its range. */
function expectedRevisionOf(value: string | null | undefined): bigint | undefined {
  return value === undefined || value === null ? undefined : BigInt(value);
}

/**
 * The JobSpec fields an update_mask names, in field-number order.
 *
 * @throws {SchedulerError} INVALID_ARGUMENT on update_mask for no path, or a path that is unknown
 *   or repeated.
 */
function maskOf(paths: readonly string[], operation: RpcName): JobSpecField[] {
  const refuse = (text: string): SchedulerError =>
    new SchedulerError('INVALID_ARGUMENT', failureMessage({ operation }, `update_mask ${text}; name each of ${Object.values(SPEC_FIELD_PROTO_NAMES).join(', ')} at most once`), {
      operation,
      field: 'update_mask',
      limit: MASK_LIMIT,
    });
  if (paths.length === 0) throw refuse('names no path');
  const named = new Set<JobSpecField>();
  for (const path of paths) {
    const field = specFieldOfProtoName(path);
    if (field === undefined) throw refuse(`names an unknown path ${JSON.stringify(path)}`);
    if (named.has(field)) throw refuse(`names the path ${JSON.stringify(path)} twice`);
    named.add(field);
  }
  return JOB_SPEC_FIELDS.filter((f) => named.has(f));
}

/** The jobs of a ListJobs page, cut to fit the page budget. */
function jobsPage(page: { items: Job[]; cursors: number[]; next?: number }): { jobs: ReturnType<typeof jobToWire>[]; next: number | undefined } {
  const jobs = [];
  let bytes = 0;
  let next = page.next;
  for (const [i, job] of page.items.entries()) {
    const size = jobBytes(Buffer.byteLength(JSON.stringify(job.payload)));
    if (i > 0 && bytes + size > PAGE_BYTES_BUDGET) {
      next = page.cursors[i - 1];
      break;
    }
    bytes += size;
    jobs.push(jobToWire(job));
  }
  return { jobs, next };
}

/**
 * DescribeJob's upcoming as the engine takes it: 0 is undefined (the default, 10), 1 to 100 as it is.
 *
 * @throws {SchedulerError} `INVALID_ARGUMENT` on `upcoming`, limit `0..100`, for a value outside 0..100.
 */
function upcomingFromWire(value: number, operation: RpcName): number | undefined {
  if (value === 0) return undefined;
  if (value >= 1 && value <= LIMITS.upcomingMax) return value;
  const text = `upcoming must be 0 to ${LIMITS.upcomingMax} (0 means 10), got ${value}`;
  throw new SchedulerError('INVALID_ARGUMENT', failureMessage({ operation }, text), { operation, field: 'upcoming', limit: `0..${LIMITS.upcomingMax}` });
}

type Handlers = { [R in RpcName]: grpc.handleUnaryCall<Buffer, RpcServerResponse<R>> } & {
  WatchExecutions: grpc.handleServerStreamingCall<Buffer, RpcServerResponse<'WatchExecutions'>>;
};

function schedulerHandlers(engine: SchedulerEngine, live: LiveWatches): Handlers {
  return {
    CreateJob: unary('CreateJob', (req) => {
      // The first bad field in field-number order is reported, whether conversion or validation finds it.
      const request = jobRequestFromWire(req, { operation: 'CreateJob', now: engine.now(), payloadProblem: payloadProblemOf(req) });
      return { job: jobToWire(engine.create(request, 'CreateJob')) };
    }),
    GetJob: unary('GetJob', (req) => ({ job: jobToWire(engine.get(refOf(req), 'GetJob')) })),
    // Field-number order: job_id, key, note (the engine checks them in that order).
    PauseJob: unary('PauseJob', (req) => ({ job: jobToWire(engine.pause(refOf(req), req.note, 'PauseJob')) })),
    ResumeJob: unary('ResumeJob', (req) => ({ job: jobToWire(engine.resume(refOf(req), req.note, 'ResumeJob')) })),
    CancelJob: unary('CancelJob', (req) => ({ job: jobToWire(engine.cancel(refOf(req), 'CancelJob')) })),
    TriggerJob: unary('TriggerJob', (req) => {
      const operation = 'TriggerJob';
      // Field-number order: job_id, key, overlap.
      const ref = refOf(req);
      validateJobRef(ref, operation);
      return { execution: executionToWire(engine.trigger(ref, requestOverlapFromWire(req.overlap, operation), operation)) };
    }),
    ListJobs: unary('ListJobs', (req) => {
      const status = fromStatusWire(req.status, 'status');
      const labels = copyLabels(req.labels);
      const selector = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const filter = {
        ...(status === undefined ? {} : { status }),
        ...(req.namePrefix === '' ? {} : { namePrefix: req.namePrefix }),
        ...(selector.length === 0 ? {} : { labels }),
      };
      // A token is bound to every filter: status, name prefix and the label selector.
      const scope = JSON.stringify([status ?? '', req.namePrefix, selector]);
      const limit = checkPageSize(req.pageSize, { operation: 'ListJobs', side: 'wire' });
      const { jobs, next } = jobsPage(engine.list(filter, { after: decodeToken(req.pageToken, scope, 'ListJobs'), limit }, 'ListJobs'));
      return { jobs, nextPageToken: next === undefined ? '' : encodeToken(next, scope) };
    }),
    ListExecutions: unary('ListExecutions', (req) => {
      const named = validateJobRef(refOf(req), 'ListExecutions');
      const limit = checkPageSize(req.pageSize, { operation: 'ListExecutions', side: 'wire' });
      // A token is bound to the job, named by id or key: a key names whichever job has it now.
      const id = named.id ?? engine.idOf(named, 'ListExecutions');
      const scope = `executions\u0000${id}`;
      const page = engine.executions(id, { after: decodeToken(req.pageToken, scope, 'ListExecutions'), limit }, 'ListExecutions');
      return { executions: page.items.map(executionToWire), nextPageToken: page.next === undefined ? '' : encodeToken(page.next, scope) };
    }),
    ApplyJob: unary('ApplyJob', (req) => {
      const operation = 'ApplyJob';
      // Field-number order: key, spec, expected_revision; dry_run cannot be bad.
      const key = validateJobKey(req.key, operation);
      const spec = jobSpecFromWire(req.spec, { operation, payloadProblem: payloadProblemOf(req) });
      const outcome = engine.apply(key, spec, { dryRun: req.dryRun, expectedRevision: expectedRevisionOf(req.expectedRevision) }, operation);
      return {
        ...(outcome.job === undefined ? {} : { job: jobToWire(outcome.job) }),
        action: applyActionToWire(outcome.action),
        changedFields: outcome.changedFields.map((f) => SPEC_FIELD_PROTO_NAMES[f]),
      };
    }),
    UpdateJob: unary('UpdateJob', (req) => {
      const operation = 'UpdateJob';
      // job_id and key, then update_mask (it says which fields of spec are read), then spec, then expected_revision.
      const ref = refOf(req);
      validateJobRef(ref, operation);
      const fields = maskOf(req.updateMask?.paths ?? [], operation);
      const changes = jobSpecFromWire(req.spec, { operation, fields, payloadProblem: payloadProblemOf(req) });
      return { job: jobToWire(engine.update(ref, changes, { expectedRevision: expectedRevisionOf(req.expectedRevision) }, operation)) };
    }),
    DeleteJob: unary('DeleteJob', (req) => {
      const operation = 'DeleteJob';
      const ref = refOf(req);
      return { job: jobToWire(engine.delete(ref, { expectedRevision: expectedRevisionOf(req.expectedRevision) }, operation)) };
    }),
    DescribeJob: unary('DescribeJob', (req) => {
      const operation = 'DescribeJob';
      // Field-number order: job_id, key, upcoming.
      const ref = refOf(req);
      validateJobRef(ref, operation);
      const described = engine.describe(ref, upcomingFromWire(req.upcoming, operation), operation);
      return jobDescriptionToWire(described.job, described.upcoming);
    }),
    WatchExecutions: watchExecutions(engine, live),
  };
}
