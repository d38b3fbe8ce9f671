import type { CallOptions } from './call-options.js';
import type { SchedulerClient } from './client.js';
import { SchedulerEngine, type JobExecutor } from './engine/engine.js';
import { VirtualClock, type Clock } from './engine/clock.js';
import { SchedulerError } from './errors.js';
import { InMemoryJobCompletedSubscriber, type InMemorySubscriberOptions } from './subscriber/in-memory-subscriber.js';
import type { Job, JobExecution, JobFilter, JobRequest } from './types.js';

/** Options of an {@link InMemorySchedulerClient}. */
export interface InMemorySchedulerClientOptions {
  /**
   * The scheduler's time source. A {@link VirtualClock} only moves with `advanceTime()`; a
   * `SystemClock` fires jobs on real timers. @default a new VirtualClock at the real current time
   */
  clock?: Clock;
  /**
   * What a run does: resolve to succeed, throw to fail, never settle to time out. It gets the job,
   * the attempt number (1 = first) and a signal aborted on timeout or cancel.
   * @default succeeds at once
   */
  executor?: JobExecutor;
  /** How many executions of each job to keep. @default 1000 */
  executionHistoryLimit?: number;
}

/**
 * A complete scheduler in process memory, for unit tests: the same engine as the reference server,
 * so jobs move through the lifecycle, fire, retry, time out and record executions exactly as they
 * would on a server, and completion events reach {@link InMemorySchedulerClient.completions}.
 *
 * By default it runs on a virtual clock: nothing fires until `advanceTime(ms)`, which fires
 * everything that falls due, in order.
 *
 * @example
 * const client = new InMemorySchedulerClient();
 * const job = await client.createJob({ name: 'report', schedule: Schedule.interval(60_000), payload: null });
 * await client.advanceTime(60_000);
 * (await client.getExecutions(job.id)).length; // 1
 */
export class InMemorySchedulerClient implements SchedulerClient, AsyncDisposable {
  /** The clock the scheduler runs on. */
  readonly clock: Clock;
  private readonly engine: SchedulerEngine;

  constructor(options: InMemorySchedulerClientOptions = {}) {
    this.clock = options.clock ?? new VirtualClock();
    this.engine = new SchedulerEngine({
      clock: this.clock,
      executor: options.executor,
      executionHistoryLimit: options.executionHistoryLimit,
    });
  }

  /** @inheritDoc */
  createJob(request: JobRequest, options?: CallOptions): Promise<Job> {
    return this.call('createJob', options, () => this.engine.create(request));
  }

  /** @inheritDoc */
  getJob(id: string, options?: CallOptions): Promise<Job> {
    return this.call('getJob', options, () => this.engine.get(id));
  }

  /** @inheritDoc */
  listJobs(filter?: JobFilter, options?: CallOptions): Promise<Job[]> {
    return this.call('listJobs', options, () => this.engine.list(filter ?? {}).items);
  }

  /** @inheritDoc */
  pauseJob(id: string, options?: CallOptions): Promise<Job> {
    return this.call('pauseJob', options, () => this.engine.pause(id));
  }

  /** @inheritDoc */
  resumeJob(id: string, options?: CallOptions): Promise<Job> {
    return this.call('resumeJob', options, () => this.engine.resume(id));
  }

  /** @inheritDoc */
  cancelJob(id: string, options?: CallOptions): Promise<Job> {
    return this.call('cancelJob', options, () => this.engine.cancel(id));
  }

  /** @inheritDoc */
  getExecutions(id: string, options?: CallOptions): Promise<JobExecution[]> {
    return this.call('getExecutions', options, () => this.engine.executions(id).items);
  }

  /**
   * Starts a run of a pending job now, outside its schedule, and returns its first attempt (still
   * `running`). `INVALID_STATE` unless the job is pending.
   */
  triggerJob(id: string, options?: CallOptions): Promise<JobExecution> {
    return this.call('triggerJob', options, () => this.engine.trigger(id));
  }

  /** Every job, in creation order, synchronously. */
  getAll(): Job[] {
    return this.engine.all();
  }

  /**
   * Moves the virtual clock forward by `ms`, firing everything that falls due on the way, in time
   * order, and letting each run settle. `INVALID_STATE` if the client runs on another clock.
   */
  async advanceTime(ms: number): Promise<void> {
    if (!(this.clock instanceof VirtualClock)) {
      throw new SchedulerError('INVALID_STATE', 'advanceTime: this client does not run on a VirtualClock', { operation: 'advanceTime' });
    }
    if (!Number.isFinite(ms) || ms < 0) {
      throw new SchedulerError('INVALID_ARGUMENT', `advanceTime: ms must be a finite number >= 0, got ${ms}`, {
        operation: 'advanceTime',
        field: 'ms',
        limit: '>= 0',
      });
    }
    await this.clock.advance(ms);
  }

  /**
   * A subscriber to this scheduler's completion events, with the interface and semantics of
   * `KafkaJobCompletedSubscriber`. Events are buffered from this call on.
   */
  completions(options?: InMemorySubscriberOptions): InMemoryJobCompletedSubscriber {
    return new InMemoryJobCompletedSubscriber(this.engine, options);
  }

  /** Stops the scheduler: nothing fires any more, and later calls fail. */
  async close(): Promise<void> {
    this.engine.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async call<T>(operation: string, options: CallOptions | undefined, body: () => T): Promise<T> {
    if (options?.signal?.aborted) {
      throw new SchedulerError('CANCELLED', `${operation}: cancelled by the caller`, { operation, cause: options.signal.reason });
    }
    try {
      return body();
    } catch (error) {
      throw SchedulerError.from(error, operation);
    }
  }
}
