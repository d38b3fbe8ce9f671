import { randomUUID } from 'node:crypto';
import type { CallOptions } from './call-options.js';
import type { SchedulerClient } from './client.js';
import { SchedulerError, optionError } from './errors.js';
import { DEFAULTS, LIMITS } from './limits.js';
import type { CancelJobResponse__Output } from './generated/k1s0/system/scheduler/v2/CancelJobResponse';
import type { CreateJobResponse__Output } from './generated/k1s0/system/scheduler/v2/CreateJobResponse';
import type { GetJobResponse__Output } from './generated/k1s0/system/scheduler/v2/GetJobResponse';
import type { ListExecutionsResponse__Output } from './generated/k1s0/system/scheduler/v2/ListExecutionsResponse';
import type { ListJobsResponse__Output } from './generated/k1s0/system/scheduler/v2/ListJobsResponse';
import type { TriggerJobResponse__Output } from './generated/k1s0/system/scheduler/v2/TriggerJobResponse';
import { clientClosed, describeCall } from './grpc/call-context.js';
import type { GrpcTransport } from './grpc/transport.js';
import { resolveClientOptions, type GrpcSchedulerClientOptions, type ResolvedClientOptions } from './grpc/options.js';
import type { Job, JobExecution, JobFilter, JobRequest } from './types.js';
import { validateJobFilter, validateJobId, validateJobRequest } from './validation.js';
import type * as Convert from './wire/convert.js';

/** Options of `iterateJobs` and `iterateExecutions`. */
export interface PageOptions extends CallOptions {
  /** Items per request, 1 to 1000. @default 100 */
  pageSize?: number;
}

type Loaded = { transport: GrpcTransport; convert: typeof Convert };

/**
 * A SchedulerClient over real gRPC (HTTP/2) with `@grpc/grpc-js`, speaking the
 * `k1s0.system.scheduler.v2` proto shipped in this package.
 *
 * Input is validated before anything is sent. Every call has a deadline (`defaultTimeoutMs`, 10 s)
 * and takes `{ signal, timeoutMs }`. Calls that are safe to repeat (reads, pause, resume, cancel,
 * and creates, which carry a `request_id`) are retried with exponential backoff and jitter when the
 * server is UNAVAILABLE; a deadline is never retried. Every failure is a `SchedulerError` whose
 * message names the RPC, the job id and the server address.
 *
 * grpc-js is loaded at the first call, so constructing a client costs nothing.
 *
 * @example
 * const client = new GrpcSchedulerClient('scheduler-server:8080');
 * const job = await client.createJob({ name: 'report', schedule: Schedule.cron('0 9 * * *'), payload: {} });
 * await client.close();
 */
export class GrpcSchedulerClient implements SchedulerClient, AsyncDisposable {
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

  private async call<T>(
    rpc: Parameters<GrpcTransport['unary']>[0],
    request: unknown,
    ctx: { idempotent: boolean; jobId?: string; options?: CallOptions },
  ): Promise<{ res: T; c: typeof Convert }> {
    if (this.closed) throw clientClosed({ rpc, address: this.address, jobId: ctx.jobId });
    const { transport, convert } = await this.load();
    return { res: await transport.unary<T>(rpc, request, ctx), c: convert };
  }

  private async convert(): Promise<typeof Convert> {
    return (await this.load()).convert;
  }

  /** @inheritDoc */
  async createJob(request: JobRequest, options?: CallOptions): Promise<Job> {
    const valid = validateJobRequest(request, { operation: 'createJob', now: Date.now() });
    const c = await this.convert();
    // One key per logical create, reused by every retry of it, so a retry never makes a second job.
    const wire = c.jobRequestToWire(
      { name: valid.name, schedule: valid.schedule, payload: valid.payload, maxRetries: request.maxRetries, timeoutSecs: request.timeoutSecs },
      valid.requestId ?? randomUUID(),
    );
    const { res } = await this.call<CreateJobResponse__Output>('CreateJob', wire, { idempotent: true, options });
    return this.decode(() => c.jobFromWire(res.job), 'CreateJob');
  }

  /** @inheritDoc */
  async getJob(id: string, options?: CallOptions): Promise<Job> {
    const jobId = validateJobId(id, 'getJob');
    const { res, c } = await this.call<GetJobResponse__Output>('GetJob', { jobId }, { idempotent: true, jobId, options });
    return this.decode(() => c.jobFromWire(res.job), 'GetJob', jobId);
  }

  /** @inheritDoc Follows every page to the end; see {@link GrpcSchedulerClient.iterateJobs} for large sets. */
  async listJobs(filter?: JobFilter, options?: CallOptions): Promise<Job[]> {
    const jobs: Job[] = [];
    for await (const job of this.iterateJobs(filter, { ...options, pageSize: 1000 })) jobs.push(job);
    return jobs;
  }

  /**
   * Every job that matches the filter, fetched one page at a time as the loop asks for more.
   * Page tokens stay inside. Breaking out of the loop stops fetching.
   */
  async *iterateJobs(filter?: JobFilter, options: PageOptions = {}): AsyncGenerator<Job, void, undefined> {
    const f = validateJobFilter(filter, 'listJobs');
    const pageSize = checkPageSize(options.pageSize, 'listJobs');
    const c = await this.convert();
    const base = { status: f.status === undefined ? 'JOB_STATUS_UNSPECIFIED' : c.toStatusWire(f.status), namePrefix: f.namePrefix ?? '', pageSize };
    let pageToken = '';
    do {
      const { res } = await this.call<ListJobsResponse__Output>('ListJobs', { ...base, pageToken }, { idempotent: true, options });
      for (const job of res.jobs) yield this.decode(() => c.jobFromWire(job), 'ListJobs');
      pageToken = res.nextPageToken;
    } while (pageToken !== '');
  }

  /** @inheritDoc */
  async pauseJob(id: string, options?: CallOptions): Promise<Job> {
    return this.transition('PauseJob', 'pauseJob', id, options);
  }

  /** @inheritDoc */
  async resumeJob(id: string, options?: CallOptions): Promise<Job> {
    return this.transition('ResumeJob', 'resumeJob', id, options);
  }

  /** @inheritDoc */
  async cancelJob(id: string, options?: CallOptions): Promise<Job> {
    return this.transition('CancelJob', 'cancelJob', id, options);
  }

  private async transition(rpc: 'PauseJob' | 'ResumeJob' | 'CancelJob', operation: string, id: string, options?: CallOptions): Promise<Job> {
    const jobId = validateJobId(id, operation);
    // Pause, resume and cancel are idempotent: repeating one lands in the same state.
    const { res, c } = await this.call<CancelJobResponse__Output>(rpc, { jobId }, { idempotent: true, jobId, options });
    return this.decode(() => c.jobFromWire(res.job), rpc, jobId);
  }

  /** @inheritDoc Follows every page to the end; see {@link GrpcSchedulerClient.iterateExecutions}. */
  async getExecutions(id: string, options?: CallOptions): Promise<JobExecution[]> {
    const out: JobExecution[] = [];
    for await (const e of this.iterateExecutions(id, { ...options, pageSize: 1000 })) out.push(e);
    return out;
  }

  /** Every execution of a job, oldest first, fetched one page at a time as the loop asks. */
  async *iterateExecutions(id: string, options: PageOptions = {}): AsyncGenerator<JobExecution, void, undefined> {
    const jobId = validateJobId(id, 'getExecutions');
    const pageSize = checkPageSize(options.pageSize, 'getExecutions');
    const c = await this.convert();
    let pageToken = '';
    do {
      const { res } = await this.call<ListExecutionsResponse__Output>('ListExecutions', { jobId, pageSize, pageToken }, { idempotent: true, jobId, options });
      for (const e of res.executions) yield this.decode(() => c.executionFromWire(e), 'ListExecutions', jobId);
      pageToken = res.nextPageToken;
    } while (pageToken !== '');
  }

  /**
   * Starts a run of a pending job now and returns its first attempt (still `running`). Not retried:
   * a repeat could start a second run.
   */
  async triggerJob(id: string, options?: CallOptions): Promise<JobExecution> {
    const jobId = validateJobId(id, 'triggerJob');
    const { res, c } = await this.call<TriggerJobResponse__Output>('TriggerJob', { jobId }, { idempotent: false, jobId, options });
    return this.decode(() => c.executionFromWire(res.execution), 'TriggerJob', jobId);
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

  private decode<T>(fn: () => T, rpc: string, jobId?: string): T {
    try {
      return fn();
    } catch (error) {
      throw new SchedulerError('SERVER_ERROR', `${describeCall({ rpc, address: this.address, jobId })}: malformed response: ${(error as Error).message}`, {
        operation: rpc,
        jobId,
        cause: error,
      });
    }
  }
}

function checkPageSize(pageSize: number | undefined, operation: string): number {
  const size = pageSize ?? DEFAULTS.pageSize;
  if (!Number.isInteger(size) || size < 1 || size > LIMITS.pageSizeMax) {
    throw optionError(operation, 'pageSize', `an integer from 1 to ${LIMITS.pageSizeMax}`, pageSize);
  }
  return size;
}

export type { GrpcSchedulerClientOptions };
