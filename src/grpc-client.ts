import { randomUUID } from 'node:crypto';
import { checkPageSize } from './bounds.js';
import type { CallOptions, PageOptions } from './call-options.js';
import type { SchedulerClient } from './client.js';
import { callError, clientClosed, type CallContext } from './grpc/call-context.js';
import type { GrpcTransport } from './grpc/transport.js';
import { resolveClientOptions, type GrpcSchedulerClientOptions, type ResolvedClientOptions } from './grpc/options.js';
import type { RpcName, RpcRequest, RpcResponse } from './grpc/service.js';
import type { Job, JobExecution, JobFilter, JobRequest } from './types.js';
import { validateJobFilter, validateJobId, validateJobRequest } from './validation.js';
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
 * (a one-shot `runAt` no more than 1 s in the past) are the server's. Every call has a deadline
 * (`defaultTimeoutMs`, 10 s) and takes `{ signal, timeoutMs }`. Calls that are safe to repeat
 * (reads, pause, resume, cancel, and creates, which carry a `request_id`) are retried with
 * exponential backoff and jitter when the server is UNAVAILABLE; a deadline is never retried.
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
  async createJob(request: JobRequest, options?: CallOptions): Promise<Job> {
    // Shape only: whether a one-shot's runAt is too far in the past is for the server's clock. This
    // clock only orders the errors of a request that is bad anyway, as the server would.
    const valid = validateJobRequest(request, { operation: 'createJob', orderingNow: Date.now() });
    const c = await this.convert();
    // One key per logical create, reused by every retry of it, so a retry never makes a second job.
    const wire = c.jobRequestToWire(
      { name: valid.name, schedule: valid.schedule, payload: valid.payload, maxRetries: request.maxRetries, timeoutSecs: request.timeoutSecs },
      valid.requestId ?? randomUUID(),
    );
    const call: Call<'CreateJob'> = { rpc: 'CreateJob', operation: 'createJob', idempotent: true, options };
    const { res } = await this.call(call, wire);
    return this.decode(call, () => c.jobFromWire(res.job));
  }

  /** @inheritDoc */
  async getJob(id: string, options?: CallOptions): Promise<Job> {
    const jobId = validateJobId(id, 'getJob');
    const call: Call<'GetJob'> = { rpc: 'GetJob', operation: 'getJob', jobId, idempotent: true, options };
    const { res, c } = await this.call(call, { jobId });
    return this.decode(call, () => c.jobFromWire(res.job));
  }

  /** @inheritDoc Follows every page to the end; see {@link GrpcSchedulerClient.iterateJobs} for large sets. */
  async listJobs(filter?: JobFilter, options?: CallOptions): Promise<Job[]> {
    const jobs: Job[] = [];
    for await (const job of this.jobPages('listJobs', filter, { ...options, pageSize: 1000 })) jobs.push(job);
    return jobs;
  }

  /**
   * Every job that matches the filter, fetched one page at a time as the loop asks for more.
   * Page tokens stay inside. Breaking out of the loop stops fetching.
   */
  iterateJobs(filter?: JobFilter, options: PageOptions = {}): AsyncGenerator<Job, void, undefined> {
    return this.jobPages('iterateJobs', filter, options);
  }

  private async *jobPages(operation: string, filter: JobFilter | undefined, options: PageOptions): AsyncGenerator<Job, void, undefined> {
    const f = validateJobFilter(filter, operation);
    const pageSize = checkPageSize(options.pageSize, { operation, side: 'sdk' });
    const c = await this.convert();
    const base: Omit<RpcRequest<'ListJobs'>, 'pageToken'> = { status: f.status === undefined ? 'JOB_STATUS_UNSPECIFIED' : c.toStatusWire(f.status), namePrefix: f.namePrefix ?? '', pageSize };
    const call: Call<'ListJobs'> = { rpc: 'ListJobs', operation, idempotent: true, options };
    let pageToken = '';
    do {
      const { res } = await this.call(call, { ...base, pageToken });
      for (const job of res.jobs) yield this.decode(call, () => c.jobFromWire(job));
      pageToken = res.nextPageToken;
    } while (pageToken !== '');
  }

  /** @inheritDoc */
  async pauseJob(id: string, options?: CallOptions): Promise<Job> {
    const jobId = validateJobId(id, 'pauseJob');
    // Pause, resume and cancel are idempotent: repeating one lands in the same state.
    const call: Call<'PauseJob'> = { rpc: 'PauseJob', operation: 'pauseJob', jobId, idempotent: true, options };
    const { res, c } = await this.call(call, { jobId });
    return this.decode(call, () => c.jobFromWire(res.job));
  }

  /** @inheritDoc */
  async resumeJob(id: string, options?: CallOptions): Promise<Job> {
    const jobId = validateJobId(id, 'resumeJob');
    const call: Call<'ResumeJob'> = { rpc: 'ResumeJob', operation: 'resumeJob', jobId, idempotent: true, options };
    const { res, c } = await this.call(call, { jobId });
    return this.decode(call, () => c.jobFromWire(res.job));
  }

  /** @inheritDoc */
  async cancelJob(id: string, options?: CallOptions): Promise<Job> {
    const jobId = validateJobId(id, 'cancelJob');
    const call: Call<'CancelJob'> = { rpc: 'CancelJob', operation: 'cancelJob', jobId, idempotent: true, options };
    const { res, c } = await this.call(call, { jobId });
    return this.decode(call, () => c.jobFromWire(res.job));
  }

  /** @inheritDoc Follows every page to the end; see {@link GrpcSchedulerClient.iterateExecutions}. */
  async getExecutions(id: string, options?: CallOptions): Promise<JobExecution[]> {
    const out: JobExecution[] = [];
    for await (const e of this.executionPages('getExecutions', id, { ...options, pageSize: 1000 })) out.push(e);
    return out;
  }

  /** @inheritDoc */
  iterateExecutions(id: string, options: PageOptions = {}): AsyncGenerator<JobExecution, void, undefined> {
    return this.executionPages('iterateExecutions', id, options);
  }

  private async *executionPages(operation: string, id: string, options: PageOptions): AsyncGenerator<JobExecution, void, undefined> {
    const jobId = validateJobId(id, operation);
    const pageSize = checkPageSize(options.pageSize, { operation, side: 'sdk' });
    const c = await this.convert();
    const call: Call<'ListExecutions'> = { rpc: 'ListExecutions', operation, jobId, idempotent: true, options };
    let pageToken = '';
    do {
      const { res } = await this.call(call, { jobId, pageSize, pageToken });
      for (const e of res.executions) yield this.decode(call, () => c.executionFromWire(e));
      pageToken = res.nextPageToken;
    } while (pageToken !== '');
  }

  /** @inheritDoc Not retried: a repeat could start a second run. */
  async triggerJob(id: string, options?: CallOptions): Promise<JobExecution> {
    const jobId = validateJobId(id, 'triggerJob');
    const call: Call<'TriggerJob'> = { rpc: 'TriggerJob', operation: 'triggerJob', jobId, idempotent: false, options };
    const { res, c } = await this.call(call, { jobId });
    return this.decode(call, () => c.executionFromWire(res.execution));
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
}

export type { GrpcSchedulerClientOptions, PageOptions };
