import { randomUUID } from 'node:crypto';
import { checkPageSize } from './bounds.js';
import { applySchedules, type ScheduleDiff } from './apply-schedules.js';
import type {
  ApplyJobOptions,
  ApplySchedulesOptions,
  CallOptions,
  DescribeOptions,
  NoteOptions,
  PageOptions,
  RevisionOptions,
  TriggerOptions,
  WaitOptions,
  WatchOptions,
} from './call-options.js';
import type { SchedulerClient } from './client.js';
import { SchedulerError } from './errors.js';
import { callError, clientClosed, type CallContext } from './grpc/call-context.js';
import type { GrpcTransport, StreamContext } from './grpc/transport.js';
import { resolveClientOptions, type GrpcSchedulerClientOptions, type ResolvedClientOptions } from './grpc/options.js';
import type { AnyRpcName, RpcName, RpcRequest, RpcResponse } from './grpc/service.js';
import { sleep } from './sleep.js';
import type { ApplyJobResult, Job, JobDescription, JobExecution, JobFilter, JobRef, JobRequest, JobSpec, JsonValue, KeyedJobSpec } from './types.js';
import {
  SPEC_FIELD_PROTO_NAMES,
  parseJobChanges,
  parseJobSpec,
  validateExecutionId,
  validateExpectedRevision,
  validateFlag,
  validateJobFilter,
  validateJobKey,
  validateJobRef,
  validateJobRequest,
  validateNote,
  validateOverlap,
  validateUpcoming,
  type JobSpecField,
  type ResolvedJobRef,
} from './validation.js';
import type * as Convert from './wire/convert.js';

type Loaded = { transport: GrpcTransport; convert: typeof Convert };

// gRPC status codes used here (GrpcCode in wire/status.ts has them all, but importing it loads
// protobufjs, which this module leaves to the first call).
const GRPC_CANCELLED = 1;
const GRPC_UNAVAILABLE = 14;

/** What one call is: its RPC, the SDK method making it, its job, and whether it may be repeated. */
interface Call<R extends AnyRpcName> {
  rpc: R;
  operation: string;
  jobId?: string;
  idempotent: boolean;
  options: CallOptions | undefined;
}

/**
 * A SchedulerClient over real gRPC (HTTP/2) with `@grpc/grpc-js`, speaking the
 * `k1s0.system.scheduler.v2` proto shipped in this package.
 *
 * Input is checked for shape before anything is sent; rules that depend on the scheduler's clock
 * (a one-shot `runAt` no more than 1 s in the past) are the server's. A job is named by id or by
 * key (`{ key }`) wherever one is named. Every call has a deadline (`defaultTimeoutMs`, 10 s) and
 * takes `{ signal, timeoutMs }`. Calls that are safe to repeat (reads, pause, resume, cancel,
 * creates, which carry a `request_id`, `updateJob` without an `expectedRevision`, and `applyJob`
 * without one or with `dryRun`) are retried with exponential backoff and jitter when the server is
 * UNAVAILABLE; a deadline is never retried. `triggerJob`, `deleteJob`, and an `applyJob` or
 * `updateJob` that changes a job under an `expectedRevision` are not: a repeat of a call that was
 * performed would start a second run, or answer `JOB_NOT_FOUND` or `CONFLICT`.
 * Every failure is a `SchedulerError` whose `operation` is the method called and whose message
 * names it, the job id and the server address.
 *
 * `waitForExecution` and `watchExecutions` are one WatchExecutions stream each (no polling). They
 * have no deadline unless `timeoutMs` is given (`defaultTimeoutMs` does not apply: they last as
 * long as what they wait for). A wait whose stream fails with UNAVAILABLE (a server shutting down
 * or restarting) opens it again with the retry backoff until its deadline (without one, after
 * `retry.maxAttempts` failed openings in a row it rejects); the stream starts with the execution as
 * it is, so a reopened wait cannot miss its end. `close()` rejects pending waits and ends watches
 * with `SERVER_ERROR` ("the client is closed") and cancels their streams.
 *
 * grpc-js is loaded at the first call, so constructing a client costs nothing.
 *
 * @example
 * const client = new GrpcSchedulerClient('scheduler-server:8080');
 * const job = await client.createJob({ name: 'report', schedule: Schedule.cron('0 9 * * *'), payload: {} });
 * await client.close();
 */
export class GrpcSchedulerClient implements SchedulerClient {
  /** The `host:port` this client talks to. */
  readonly address: string;
  private readonly options: ResolvedClientOptions;
  private loaded: Promise<Loaded> | undefined;
  private closed = false;
  // Aborted by close(): ends the waits between two openings of their stream.
  private readonly closing = new AbortController();

  /**
   * @param server `host:port` or `http://host:port` (plaintext), `https://host:port` (TLS), or
   *   an options object.
   * @throws {SchedulerError} `INVALID_ARGUMENT` for a bad address or option combination.
   */
  constructor(server: string | GrpcSchedulerClientOptions) {
    this.options = resolveClientOptions(server);
    this.address = this.options.address;
  }

  private load(): Promise<Loaded> {
    this.loaded ??= Promise.all([import('./grpc/transport.js'), import('./wire/convert.js')]).then(([t, convert]) => ({
      transport: new t.GrpcTransport(this.options),
      convert,
    }));
    return this.loaded;
  }

  // One await for the transport and the codec together.
  private async call<R extends RpcName>(call: Call<R>, request: RpcRequest<R>): Promise<{ res: RpcResponse<R>; c: typeof Convert }> {
    if (this.closed) throw clientClosed(this.context(call));
    const { transport, convert } = await this.load();
    const res = await transport.unary(call.rpc, request, { operation: call.operation, idempotent: call.idempotent, jobId: call.jobId, options: call.options });
    return { res, c: convert };
  }

  private async convert(): Promise<typeof Convert> {
    return (await this.load()).convert;
  }

  private context(call: Call<AnyRpcName>): CallContext {
    return { operation: call.operation, rpc: call.rpc, address: this.address, jobId: call.jobId };
  }

  /** @inheritDoc */
  async createJob<P = JsonValue>(request: JobRequest<P>, options?: CallOptions): Promise<Job<P>> {
    // Shape only: whether a one-shot's runAt is too far in the past is for the server's clock. This
    // clock only orders the errors of a request that is bad anyway, as the server would.
    const valid = validateJobRequest(request, { operation: 'createJob', orderingNow: Date.now() });
    const c = await this.convert();
    // One request_id per logical create, reused by every retry of it, so a retry never makes a second job.
    const wire = c.jobRequestToWire(
      {
        name: valid.name,
        schedule: valid.schedule,
        payload: valid.payload,
        maxRetries: request.maxRetries,
        timeoutSecs: request.timeoutSecs,
        ...(valid.key === undefined ? {} : { key: valid.key }),
        labels: valid.labels,
        // The policy as given (validated): the server applies the defaults, as it does for a client that sends none.
        ...(request.policy === undefined ? {} : { policy: request.policy }),
      },
      valid.requestId ?? randomUUID(),
    );
    const call: Call<'CreateJob'> = { rpc: 'CreateJob', operation: 'createJob', idempotent: true, options };
    const { res } = await this.call(call, wire);
    return this.decode(call, () => c.jobFromWire(res.job) as Job<P>);
  }

  /** @inheritDoc */
  async getJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>> {
    return this.jobCall('GetJob', 'getJob', ref, options);
  }

  /** @inheritDoc Follows every page to the end; see {@link GrpcSchedulerClient.iterateJobs} for large sets. */
  async listJobs<P = JsonValue>(filter?: JobFilter, options?: CallOptions): Promise<Job<P>[]> {
    const jobs: Job<P>[] = [];
    for await (const job of this.jobPages<P>('listJobs', filter, { ...options, pageSize: 1000 })) jobs.push(job);
    return jobs;
  }

  /**
   * Every job that matches the filter, fetched one page at a time as the loop asks for more.
   * Page tokens stay inside. Breaking out of the loop stops fetching.
   */
  iterateJobs<P = JsonValue>(filter?: JobFilter, options: PageOptions = {}): AsyncGenerator<Job<P>, void, undefined> {
    return this.jobPages<P>('iterateJobs', filter, options);
  }

  private async *jobPages<P>(operation: string, filter: JobFilter | undefined, options: PageOptions): AsyncGenerator<Job<P>, void, undefined> {
    const f = validateJobFilter(filter, operation);
    const pageSize = checkPageSize(options.pageSize, { operation, side: 'sdk' });
    const c = await this.convert();
    const base: Omit<RpcRequest<'ListJobs'>, 'pageToken'> = {
      status: f.status === undefined ? 'JOB_STATUS_UNSPECIFIED' : c.toStatusWire(f.status),
      namePrefix: f.namePrefix ?? '',
      pageSize,
      labels: c.copyLabels(f.labels),
    };
    const call: Call<'ListJobs'> = { rpc: 'ListJobs', operation, idempotent: true, options };
    let pageToken = '';
    do {
      const { res } = await this.call(call, { ...base, pageToken });
      for (const job of res.jobs) yield this.decode(call, () => c.jobFromWire(job) as Job<P>);
      pageToken = res.nextPageToken;
    } while (pageToken !== '');
  }

  /** @inheritDoc */
  async pauseJob<P = JsonValue>(ref: JobRef, options?: NoteOptions): Promise<Job<P>> {
    // Pause, resume and cancel are idempotent: repeating one lands in the same state (a repeat of
    // a pause that happened is a no-op, which leaves its note as it is).
    return this.noteCall('PauseJob', 'pauseJob', ref, options);
  }

  /** @inheritDoc */
  async resumeJob<P = JsonValue>(ref: JobRef, options?: NoteOptions): Promise<Job<P>> {
    return this.noteCall('ResumeJob', 'resumeJob', ref, options);
  }

  // PauseJob and ResumeJob: a job named by id or key and an optional note, in field-number order.
  private async noteCall<P>(rpc: 'PauseJob' | 'ResumeJob', operation: string, ref: JobRef, options: NoteOptions | undefined): Promise<Job<P>> {
    const named = validateJobRef(ref, operation);
    const note = validateNote(options?.note, operation);
    const call: Call<typeof rpc> = { rpc, operation, jobId: named.id, idempotent: true, options };
    const { res, c } = await this.call(call, { ...refToWire(named), ...(note === '' ? {} : { note }) });
    return this.decode(call, () => c.jobFromWire(res.job) as Job<P>);
  }

  /** @inheritDoc */
  async cancelJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>> {
    return this.jobCall('CancelJob', 'cancelJob', ref, options);
  }

  // GetJob and CancelJob: a job named by id or key in, the job out; safe to repeat.
  private async jobCall<P>(rpc: 'GetJob' | 'CancelJob', operation: string, ref: JobRef, options: CallOptions | undefined): Promise<Job<P>> {
    const named = validateJobRef(ref, operation);
    const call: Call<typeof rpc> = { rpc, operation, jobId: named.id, idempotent: true, options };
    const { res, c } = await this.call(call, refToWire(named));
    return this.decode(call, () => c.jobFromWire(res.job) as Job<P>);
  }

  /** @inheritDoc Follows every page to the end; see {@link GrpcSchedulerClient.iterateExecutions}. */
  async getExecutions(ref: JobRef, options?: CallOptions): Promise<JobExecution[]> {
    const out: JobExecution[] = [];
    for await (const e of this.executionPages('getExecutions', ref, { ...options, pageSize: 1000 })) out.push(e);
    return out;
  }

  /** @inheritDoc */
  iterateExecutions(ref: JobRef, options: PageOptions = {}): AsyncGenerator<JobExecution, void, undefined> {
    return this.executionPages('iterateExecutions', ref, options);
  }

  private async *executionPages(operation: string, ref: JobRef, options: PageOptions): AsyncGenerator<JobExecution, void, undefined> {
    const named = validateJobRef(ref, operation);
    const pageSize = checkPageSize(options.pageSize, { operation, side: 'sdk' });
    const c = await this.convert();
    const call: Call<'ListExecutions'> = { rpc: 'ListExecutions', operation, jobId: named.id, idempotent: true, options };
    let pageToken = '';
    do {
      const { res } = await this.call(call, { ...refToWire(named), pageSize, pageToken });
      for (const e of res.executions) yield this.decode(call, () => c.executionFromWire(e));
      pageToken = res.nextPageToken;
    } while (pageToken !== '');
  }

  /** @inheritDoc Not retried: a repeat could start a second run. */
  async triggerJob(ref: JobRef, options?: TriggerOptions): Promise<JobExecution> {
    const named = validateJobRef(ref, 'triggerJob');
    const overlap = validateOverlap(options?.overlap, 'triggerJob');
    const c = await this.convert();
    const call: Call<'TriggerJob'> = { rpc: 'TriggerJob', operation: 'triggerJob', jobId: named.id, idempotent: false, options };
    const { res } = await this.call(call, { ...refToWire(named), ...(overlap === undefined ? {} : { overlap: c.overlapToWire(overlap) }) });
    return this.decode(call, () => {
      const execution = c.executionFromWire(res.execution);
      if (execution.result !== 'running') throw new Error(`execution.result is ${execution.result}, not running`);
      return execution;
    });
  }

  /** @inheritDoc */
  async describeJob<P = JsonValue>(ref: JobRef, options?: DescribeOptions): Promise<JobDescription<P>> {
    const operation = 'describeJob';
    const named = validateJobRef(ref, operation);
    const upcoming = validateUpcoming(options?.upcoming, operation);
    const call: Call<'DescribeJob'> = { rpc: 'DescribeJob', operation, jobId: named.id, idempotent: true, options };
    const { res, c } = await this.call(call, { ...refToWire(named), upcoming });
    return this.decode(call, () => {
      if (res.upcomingRuns.length > upcoming) throw new Error(`upcoming_runs has ${res.upcomingRuns.length} times, more than the ${upcoming} asked for`);
      return c.jobDescriptionFromWire(res) as JobDescription<P>;
    });
  }

  /**
   * @inheritDoc One WatchExecutions stream on the execution; no deadline unless `timeoutMs` is
   * given. A stream that fails with UNAVAILABLE (the server shut down or restarts) is opened again
   * with the retry backoff until the deadline (without one, until `retry.maxAttempts` openings in
   * a row have failed; with `retry: false`, never). `close()` rejects a pending wait with `SERVER_ERROR` ("the client is
   * closed") and cancels its stream.
   */
  async waitForExecution(executionId: string, options: WaitOptions = {}): Promise<JobExecution> {
    const operation = 'waitForExecution';
    const id = validateExecutionId(executionId, operation);
    const call: Call<'WatchExecutions'> = { rpc: 'WatchExecutions', operation, idempotent: true, options };
    if (this.closed) throw clientClosed(this.context(call));
    const { signal } = options;
    const ctx = this.streamContext(operation, undefined, options);
    const { transport, convert: c } = await this.load();
    const retry = this.options.retry;
    for (let failed = 0; ; ) {
      let received = false;
      let ended: JobExecution | undefined;
      try {
        for await (const message of transport.serverStream('WatchExecutions', { executionId: id }, ctx)) {
          received = true;
          // The stream ends with OK right after the final message. It is read to that end rather
          // than cancelled: a cancel is an HTTP/2 stream reset, and a server closes a connection
          // that resets too many streams at once (about 1,000; Node's guard against reset floods).
          if (ended !== undefined) continue;
          const execution = this.decode(call, () => {
            const e = c.executionFromWire(message.execution);
            if (e.id !== id) throw new Error(`execution.id is '${e.id}', not the execution watched ('${id}')`);
            return e;
          });
          if (execution.result !== 'running') ended = execution;
        }
        if (ended !== undefined) return ended;
        throw callError('SERVER_ERROR', this.context(call), 'the WatchExecutions stream ended before the execution did');
      } catch (error) {
        // Whatever ends the stream after the final message (a deadline, an abort, a shutdown), the wait has its answer.
        if (ended !== undefined) return ended;
        const failure = SchedulerError.from(error, operation);
        if (received) failed = 0;
        failed++;
        if (failure.grpcCode !== GRPC_UNAVAILABLE || this.closed || signal?.aborted) throw failure;
        // `retry: false` (one attempt) never reopens; otherwise the deadline bounds the reopening,
        // or without one, `retry.maxAttempts` failed openings in a row.
        if (retry.maxAttempts === 1 || (!Number.isFinite(ctx.deadline) && failed >= retry.maxAttempts)) throw failure;
        const wait = transport.retryWait(failed);
        if (Date.now() + wait >= ctx.deadline) throw failure;
        this.options.logger.debug?.(`${operation}: opening the stream again after UNAVAILABLE`, { rpc: 'WatchExecutions', attempt: failed, waitMs: wait, address: this.address });
        await sleep(wait, signal === undefined ? this.closing.signal : AbortSignal.any([signal, this.closing.signal]));
        if (this.closed) throw clientClosed(this.context(call));
        if (signal?.aborted) throw callError('CANCELLED', this.context(call), 'cancelled by the caller', { grpcCode: GRPC_CANCELLED, cause: signal.reason });
      }
    }
  }

  /**
   * @inheritDoc One WatchExecutions stream on the job; no deadline unless `timeoutMs` is given.
   * The stream is not opened again after a failure (it would start over with the attempts in
   * flight): the loop throws the SchedulerError. `close()` ends it with `SERVER_ERROR`.
   */
  watchExecutions(ref: JobRef, options: WatchOptions = {}): AsyncIterable<JobExecution> {
    return this.watchJob(ref, options);
  }

  private async *watchJob(ref: JobRef, options: WatchOptions): AsyncGenerator<JobExecution, void, undefined> {
    const operation = 'watchExecutions';
    const named = validateJobRef(ref, operation);
    const call: Call<'WatchExecutions'> = { rpc: 'WatchExecutions', operation, jobId: named.id, idempotent: false, options };
    if (this.closed) throw clientClosed(this.context(call));
    const ctx = this.streamContext(operation, named.id, options);
    const { transport, convert: c } = await this.load();
    try {
      for await (const message of transport.serverStream('WatchExecutions', refToWire(named), ctx)) {
        yield this.decode(call, () => {
          const e = c.executionFromWire(message.execution);
          if (named.id !== undefined && e.jobId !== named.id) throw new Error(`execution.job_id is '${e.jobId}', not the job watched ('${named.id}')`);
          return e;
        });
      }
    } catch (error) {
      throw SchedulerError.from(error, operation);
    }
  }

  // The deadline of a stream: `timeoutMs` from now, none when it is unset or <= 0.
  private streamContext(operation: string, jobId: string | undefined, options: CallOptions): StreamContext {
    const timeoutMs = options.timeoutMs ?? 0;
    return { operation, jobId, signal: options.signal, timeoutMs, deadline: timeoutMs > 0 ? Date.now() + timeoutMs : Infinity };
  }

  /**
   * @inheritDoc Retried after UNAVAILABLE when no `expectedRevision` is given (applying the same
   * spec again changes nothing), or in a dry run; with an `expectedRevision`, a repeat of an apply
   * that happened would be a `CONFLICT`, so it is not retried.
   */
  async applyJob<P = JsonValue>(key: string, spec: JobSpec<P>, options: ApplyJobOptions = {}): Promise<ApplyJobResult<P>> {
    const operation = 'applyJob';
    // In field-number order: key, spec, expected_revision. The clock rules are the server's.
    const k = validateJobKey(key, operation);
    const valid = parseJobSpec(spec, operation);
    const dryRun = validateFlag(options.dryRun, operation, 'dry_run');
    const expected = validateExpectedRevision(options.expectedRevision, operation, 0);
    const c = await this.convert();
    const wire: RpcRequest<'ApplyJob'> = {
      key: k,
      spec: c.jobSpecToWire({
        name: valid.name,
        schedule: valid.schedule,
        payload: valid.payload,
        maxRetries: spec.maxRetries,
        timeoutSecs: spec.timeoutSecs,
        labels: valid.labels,
        ...(spec.policy === undefined ? {} : { policy: spec.policy }),
      }),
      dryRun,
      ...(expected === undefined ? {} : { expectedRevision: String(expected) }),
    };
    const call: Call<'ApplyJob'> = { rpc: 'ApplyJob', operation, idempotent: expected === undefined || dryRun, options };
    const { res } = await this.call(call, wire);
    return this.decode(call, () => c.applyResultFromWire(res, dryRun) as ApplyJobResult<P>);
  }

  /**
   * @inheritDoc Retried after UNAVAILABLE only when no `expectedRevision` is given (the same
   * change again changes nothing more); with one, a repeat of an update that happened would be a
   * `CONFLICT`, so it is not retried.
   */
  async updateJob<P = JsonValue>(ref: JobRef, changes: Partial<JobSpec<P>>, options: RevisionOptions = {}): Promise<Job<P>> {
    const operation = 'updateJob';
    // In the server's order: job_id or key, the mask and the fields it names, expected_revision.
    const named = validateJobRef(ref, operation);
    const { fields, values } = parseJobChanges(changes, operation);
    const expected = validateExpectedRevision(options.expectedRevision, operation, 1);
    const c = await this.convert();
    // A field named with the value undefined is sent unset: its default.
    const given = changes as Partial<Record<JobSpecField, unknown>>;
    const spec: Partial<JobSpec> = {};
    // The policy goes as given (validated), not with its defaults applied, as createJob sends it.
    for (const f of fields) if (given[f] !== undefined) (spec as Record<string, unknown>)[f] = f === 'policy' ? given[f] : values[f];
    const wire: RpcRequest<'UpdateJob'> = {
      ...refToWire(named),
      spec: c.jobSpecToWire(spec),
      updateMask: { paths: fields.map((f) => SPEC_FIELD_PROTO_NAMES[f]) },
      ...(expected === undefined ? {} : { expectedRevision: String(expected) }),
    };
    const call: Call<'UpdateJob'> = { rpc: 'UpdateJob', operation, jobId: named.id, idempotent: expected === undefined, options };
    const { res } = await this.call(call, wire);
    return this.decode(call, () => c.jobFromWire(res.job) as Job<P>);
  }

  /** @inheritDoc */
  async deleteJob<P = JsonValue>(ref: JobRef, options: RevisionOptions = {}): Promise<Job<P>> {
    const operation = 'deleteJob';
    const named = validateJobRef(ref, operation);
    const expected = validateExpectedRevision(options.expectedRevision, operation, 1);
    const call: Call<'DeleteJob'> = { rpc: 'DeleteJob', operation, jobId: named.id, idempotent: false, options };
    const { res, c } = await this.call(call, { ...refToWire(named), ...(expected === undefined ? {} : { expectedRevision: String(expected) }) });
    return this.decode(call, () => c.jobFromWire(res.job) as Job<P>);
  }

  /** @inheritDoc */
  applySchedules<P = JsonValue>(specs: readonly KeyedJobSpec<P>[], options: ApplySchedulesOptions): Promise<ScheduleDiff<P>> {
    return applySchedules(this, specs, options);
  }

  /**
   * Closes the connection. Calls in flight are cancelled; pending waits and watches reject with
   * `SERVER_ERROR` ("the client is closed"); later calls fail with a SchedulerError.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    if (this.loaded !== undefined) (await this.loaded).transport.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private decode<T>(call: Call<AnyRpcName>, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw callError('SERVER_ERROR', this.context(call), `malformed response: ${text}`, { cause: error });
    }
  }
}

/** A validated JobRef as the request fields job_id and key (exactly one set). */
function refToWire(ref: ResolvedJobRef): { jobId: string } | { key: string } {
  return ref.id !== undefined ? { jobId: ref.id } : { key: ref.key };
}

export type { GrpcSchedulerClientOptions, PageOptions };
