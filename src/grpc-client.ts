import type { DescribeOptions, WaitOptions, WatchOptions } from './call-options.js';
import type { JobDescription } from './types.js';
import { randomUUID } from 'node:crypto';
import { checkPageSize } from './bounds.js';
import { applySchedules, type ScheduleDiff } from './apply-schedules.js';
import type { ApplyJobOptions, ApplySchedulesOptions, CallOptions, PageOptions, RevisionOptions } from './call-options.js';
import type { SchedulerClient } from './client.js';
import { callError, clientClosed, type CallContext } from './grpc/call-context.js';
import type { GrpcTransport } from './grpc/transport.js';
import { resolveClientOptions, type GrpcSchedulerClientOptions, type ResolvedClientOptions } from './grpc/options.js';
import type { RpcName, RpcRequest, RpcResponse } from './grpc/service.js';
import type { ApplyJobResult, Job, JobExecution, JobFilter, JobRef, JobRequest, JobSpec, JsonValue, KeyedJobSpec } from './types.js';
import {
  SPEC_FIELD_PROTO_NAMES,
  parseJobChanges,
  parseJobSpec,
  validateExpectedRevision,
  validateFlag,
  validateJobFilter,
  validateJobKey,
  validateJobRef,
  validateJobRequest,
  type JobSpecField,
  type ResolvedJobRef,
} from './validation.js';
import type * as Convert from './wire/convert.js';

type Loaded = { transport: GrpcTransport; convert: typeof Convert };

/** What one call is: its RPC, the SDK method making it, its job, and whether it may be repeated. */
interface Call<R extends RpcName> {
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

  private context(call: Call<RpcName>): CallContext {
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
  async pauseJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>> {
    // Pause, resume and cancel are idempotent: repeating one lands in the same state.
    return this.jobCall('PauseJob', 'pauseJob', ref, options);
  }

  /** @inheritDoc */
  async resumeJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>> {
    return this.jobCall('ResumeJob', 'resumeJob', ref, options);
  }

  /** @inheritDoc */
  async cancelJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>> {
    return this.jobCall('CancelJob', 'cancelJob', ref, options);
  }

  // GetJob, PauseJob, ResumeJob and CancelJob: a job named by id or key in, the job out; safe to repeat.
  private async jobCall<P>(rpc: 'GetJob' | 'PauseJob' | 'ResumeJob' | 'CancelJob', operation: string, ref: JobRef, options: CallOptions | undefined): Promise<Job<P>> {
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
  async triggerJob(ref: JobRef, options?: CallOptions): Promise<JobExecution> {
    const named = validateJobRef(ref, 'triggerJob');
    const call: Call<'TriggerJob'> = { rpc: 'TriggerJob', operation: 'triggerJob', jobId: named.id, idempotent: false, options };
    const { res, c } = await this.call(call, refToWire(named));
    return this.decode(call, () => c.executionFromWire(res.execution));
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
    for (const f of fields) if (given[f] !== undefined) (spec as Record<string, unknown>)[f] = values[f];
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

  /** Closes the connection. Calls in flight are cancelled; later calls fail with a SchedulerError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.loaded !== undefined) (await this.loaded).transport.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private decode<T>(call: Call<RpcName>, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw callError('SERVER_ERROR', this.context(call), `malformed response: ${text}`, { cause: error });
    }
  }

  // TODO(issue 11, gRPC/clients helper): replace these placeholders.
  describeJob<P = JsonValue>(_ref: JobRef, _options?: DescribeOptions): Promise<JobDescription<P>> {
    return Promise.reject(new Error('describeJob: not built yet'));
  }
  waitForExecution(_executionId: string, _options?: WaitOptions): Promise<JobExecution> {
    return Promise.reject(new Error('waitForExecution: not built yet'));
  }
  watchExecutions(_ref: JobRef, _options?: WatchOptions): AsyncIterable<JobExecution> {
    throw new Error('watchExecutions: not built yet');
  }
}

/** A validated JobRef as the request fields job_id and key (exactly one set). */
function refToWire(ref: ResolvedJobRef): { jobId: string } | { key: string } {
  return ref.id !== undefined ? { jobId: ref.id } : { key: ref.key };
}

export type { GrpcSchedulerClientOptions, PageOptions };
