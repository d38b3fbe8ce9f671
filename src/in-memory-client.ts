import { advanceVirtualClock, checkPageSize } from './bounds.js';
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
import { SchedulerEngine, type JobExecutor, type Page, type PageRequest, type Watch, type WatchTarget, type WatchUpdate } from './engine/engine.js';
import { VirtualClock, type Clock, type TimerHandle } from './engine/clock.js';
import { SchedulerError, failureMessage } from './errors.js';
import { InMemoryJobCompletedSubscriber, type InMemorySubscriberOptions } from './subscriber/in-memory-subscriber.js';
import type { ApplyJobResult, Job, JobDescription, JobExecution, JobFilter, JobRef, JobRequest, JobSpec, JsonValue, KeyedJobSpec } from './types.js';

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
export class InMemorySchedulerClient implements SchedulerClient {
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
  createJob<P = JsonValue>(request: JobRequest<P>, options?: CallOptions): Promise<Job<P>> {
    return this.call('createJob', options, () => this.engine.create(request) as Job<P>);
  }

  /** @inheritDoc */
  getJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>> {
    return this.call('getJob', options, () => this.engine.get(ref) as Job<P>);
  }

  /** @inheritDoc */
  listJobs<P = JsonValue>(filter?: JobFilter, options?: CallOptions): Promise<Job<P>[]> {
    return this.call('listJobs', options, () => this.engine.list(filter ?? {}).items as Job<P>[]);
  }

  /** @inheritDoc */
  pauseJob<P = JsonValue>(ref: JobRef, options?: NoteOptions): Promise<Job<P>> {
    return this.call('pauseJob', options, () => this.engine.pause(ref, options?.note) as Job<P>);
  }

  /** @inheritDoc */
  resumeJob<P = JsonValue>(ref: JobRef, options?: NoteOptions): Promise<Job<P>> {
    return this.call('resumeJob', options, () => this.engine.resume(ref, options?.note) as Job<P>);
  }

  /** @inheritDoc */
  cancelJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>> {
    return this.call('cancelJob', options, () => this.engine.cancel(ref) as Job<P>);
  }

  /** @inheritDoc */
  getExecutions(ref: JobRef, options?: CallOptions): Promise<JobExecution[]> {
    return this.call('getExecutions', options, () => this.engine.executions(ref).items);
  }

  /** @inheritDoc */
  iterateJobs<P = JsonValue>(filter?: JobFilter, options: PageOptions = {}): AsyncGenerator<Job<P>, void, undefined> {
    const operation = 'iterateJobs';
    return this.pages(operation, options, (page) => this.engine.list(filter ?? {}, page, operation) as Page<Job<P>>);
  }

  /** @inheritDoc */
  iterateExecutions(ref: JobRef, options: PageOptions = {}): AsyncGenerator<JobExecution, void, undefined> {
    const operation = 'iterateExecutions';
    return this.pages(operation, options, (page) => this.engine.executions(ref, page, operation));
  }

  /** @inheritDoc */
  triggerJob(ref: JobRef, options?: TriggerOptions): Promise<JobExecution> {
    return this.call('triggerJob', options, () => this.engine.trigger(ref, options?.overlap));
  }

  /** @inheritDoc */
  describeJob<P = JsonValue>(ref: JobRef, options?: DescribeOptions): Promise<JobDescription<P>> {
    return this.call('describeJob', options, () => {
      const described = this.engine.describe(ref, options?.upcoming);
      return { job: described.job as Job<P>, upcomingRuns: described.upcoming.map((ms) => new Date(ms)) };
    });
  }

  /**
   * @inheritDoc Resolves on the client's clock: on a VirtualClock, when `advanceTime` lets the
   * attempt end. `timeoutMs` counts on the same clock. `close()` rejects a pending wait with
   * `SERVER_ERROR` ("the client is closed").
   */
  async waitForExecution(executionId: string, options: WaitOptions = {}): Promise<JobExecution> {
    for await (const execution of this.watchUpdates('waitForExecution', { executionId }, options)) {
      if (execution.result !== 'running') return execution;
    }
    // An execution's watch always ends with its final state.
    throw new SchedulerError('SERVER_ERROR', failureMessage({ operation: 'waitForExecution' }, `the watch of execution '${executionId}' ended before the execution did`), {
      operation: 'waitForExecution',
    });
  }

  /**
   * @inheritDoc On the client's clock: updates come as `advanceTime` lets attempts start and end.
   * `timeoutMs` counts on the same clock (`TIMEOUT`); `close()` ends the loop with `SERVER_ERROR`.
   */
  watchExecutions(ref: JobRef, options: WatchOptions = {}): AsyncIterable<JobExecution> {
    return this.watchUpdates('watchExecutions', { ref }, options);
  }

  // One engine watch as a loop: its initial executions, then each update, until it ends; `signal`,
  // `timeoutMs` (on the client's clock) and close() end it with an error.
  private async *watchUpdates(operation: string, target: WatchTarget, options: WatchOptions): AsyncGenerator<JobExecution, void, undefined> {
    const { signal } = options;
    if (signal?.aborted) throw cancelled(operation, signal.reason);
    const updates: WatchUpdate[] = [];
    let failure: SchedulerError | undefined;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    let watch: Watch;
    try {
      watch = this.engine.watch(
        target,
        (update) => {
          updates.push(update);
          notify();
        },
        operation,
      );
    } catch (error) {
      throw SchedulerError.from(error, operation);
    }
    const fail = (error: SchedulerError): void => {
      failure ??= error;
      notify();
    };
    const onAbort = (): void => fail(cancelled(operation, signal!.reason));
    const stopTimer = watch.ended ? undefined : this.deadline(operation, options.timeoutMs, fail);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (const execution of watch.initial) {
        if (failure !== undefined) throw failure;
        yield execution;
      }
      if (watch.ended) return;
      for (;;) {
        if (failure !== undefined) throw failure;
        const update = updates.shift();
        if (update === undefined) {
          await new Promise<void>((resolve) => (wake = resolve));
        } else if ('execution' in update) {
          yield update.execution;
        } else if (update.end === 'done') {
          return;
        } else {
          throw clientClosed(operation);
        }
      }
    } finally {
      watch.stop();
      stopTimer?.();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  // A TIMEOUT after `timeoutMs` on the client's clock (none when unset or <= 0); returns how to cancel it.
  private deadline(operation: string, timeoutMs: number | undefined, expire: (error: SchedulerError) => void): (() => void) | undefined {
    if (timeoutMs === undefined || !(timeoutMs > 0)) return undefined;
    const handle: TimerHandle = this.clock.setTimer(this.clock.now() + timeoutMs, () =>
      expire(new SchedulerError('TIMEOUT', failureMessage({ operation }, `deadline of ${timeoutMs} ms exceeded`), { operation })),
    );
    return () => this.clock.clearTimer(handle);
  }

  /** @inheritDoc */
  applyJob<P = JsonValue>(key: string, spec: JobSpec<P>, options: ApplyJobOptions = {}): Promise<ApplyJobResult<P>> {
    return this.call('applyJob', options, () => {
      const outcome = this.engine.apply(key, spec, { dryRun: options.dryRun, expectedRevision: options.expectedRevision });
      const result: ApplyJobResult<P> = { action: outcome.action, changedFields: outcome.changedFields };
      if (outcome.job !== undefined) result.job = outcome.job as Job<P>;
      return result;
    });
  }

  /** @inheritDoc */
  updateJob<P = JsonValue>(ref: JobRef, changes: Partial<JobSpec<P>>, options: RevisionOptions = {}): Promise<Job<P>> {
    return this.call('updateJob', options, () => this.engine.update(ref, changes, { expectedRevision: options.expectedRevision }) as Job<P>);
  }

  /** @inheritDoc */
  deleteJob<P = JsonValue>(ref: JobRef, options: RevisionOptions = {}): Promise<Job<P>> {
    return this.call('deleteJob', options, () => this.engine.delete(ref, { expectedRevision: options.expectedRevision }) as Job<P>);
  }

  /** @inheritDoc */
  applySchedules<P = JsonValue>(specs: readonly KeyedJobSpec<P>[], options: ApplySchedulesOptions): Promise<ScheduleDiff<P>> {
    return applySchedules(this, specs, options);
  }

  /** Every job, in creation order, synchronously. */
  getAll(): Job[] {
    return this.engine.all();
  }

  /**
   * Moves the virtual clock forward by `ms`, firing everything that falls due on the way, in time
   * order, and letting each run settle. `INVALID_STATE` if the client runs on another clock.
   */
  advanceTime(ms: number): Promise<void> {
    return advanceVirtualClock(this.clock, ms, 'client');
  }

  /**
   * A subscriber to this scheduler's completion events, with the interface and semantics of
   * `KafkaJobCompletedSubscriber`. Events are buffered from this call on.
   */
  completions(options?: InMemorySubscriberOptions): InMemoryJobCompletedSubscriber {
    return new InMemoryJobCompletedSubscriber(this.engine, options);
  }

  /**
   * Stops the scheduler: nothing fires any more, pending waits and watches end with `SERVER_ERROR`
   * ("the client is closed"), and later calls fail with `SERVER_ERROR`.
   */
  async close(): Promise<void> {
    this.engine.close();
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async call<T>(operation: string, options: CallOptions | undefined, body: () => T): Promise<T> {
    if (options?.signal?.aborted) throw cancelled(operation, options.signal.reason);
    try {
      return body();
    } catch (error) {
      throw SchedulerError.from(error, operation);
    }
  }

  // Pages through the engine as the loop asks, as the gRPC client pages through the server: the
  // page size is checked at the first step, and an aborted signal stops the next page.
  private async *pages<T>(operation: string, options: PageOptions, fetch: (page: PageRequest) => Page<T>): AsyncGenerator<T, void, undefined> {
    const limit = checkPageSize(options.pageSize, { operation, side: 'sdk' });
    let after: number | undefined;
    do {
      const page = await this.call(operation, options, () => fetch({ after, limit }));
      yield* page.items;
      after = page.next;
    } while (after !== undefined);
  }
}

function cancelled(operation: string, reason: unknown): SchedulerError {
  return new SchedulerError('CANCELLED', failureMessage({ operation }, 'cancelled by the caller'), { operation, cause: reason });
}

// A wait or watch that the client's close() ended.
function clientClosed(operation: string): SchedulerError {
  return new SchedulerError('SERVER_ERROR', failureMessage({ operation }, 'the client is closed'), { operation });
}
