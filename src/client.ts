import type { CallOptions, PageOptions } from './call-options.js';
import type { Job, JobExecution, JobFilter, JobRequest } from './types.js';

/**
 * What every k1s0 scheduler client can do, whatever its transport. Code written against this
 * interface runs unchanged on {@link GrpcSchedulerClient} in production and on
 * {@link InMemorySchedulerClient} in unit tests.
 *
 * Every method rejects with a `SchedulerError` only, whose `operation` is the name of the method.
 */
export interface SchedulerClient extends AsyncDisposable {
  /** Registers a job and schedules its first run. */
  createJob(request: JobRequest, options?: CallOptions): Promise<Job>;
  /** Returns one job; `JOB_NOT_FOUND` if no job has this id. */
  getJob(id: string, options?: CallOptions): Promise<Job>;
  /** Every job that matches the filter, ordered by `createdAt`, then `id`. */
  listJobs(filter?: JobFilter, options?: CallOptions): Promise<Job[]>;
  /**
   * Pending or running to paused; a no-op if paused; `INVALID_STATE` if it has ended. Resolves to
   * the job after the change (callers that only await it may ignore the value).
   */
  pauseJob(id: string, options?: CallOptions): Promise<Job>;
  /** Paused to pending; a no-op if pending or running; `INVALID_STATE` if it has ended. Resolves to the job after the change. */
  resumeJob(id: string, options?: CallOptions): Promise<Job>;
  /** Ends a job for good; a no-op if already cancelled; `INVALID_STATE` if completed or failed. Resolves to the job after the change. */
  cancelJob(id: string, options?: CallOptions): Promise<Job>;
  /** Every recorded attempt of a job, oldest first. */
  getExecutions(id: string, options?: CallOptions): Promise<JobExecution[]>;
  /**
   * Every job that matches the filter, in the order of `listJobs`, fetched `pageSize` at a time as
   * the loop asks for more; breaking out of the loop stops fetching. A bad filter or `pageSize`
   * rejects the first step of the loop.
   */
  iterateJobs(filter?: JobFilter, options?: PageOptions): AsyncIterable<Job>;
  /** Every recorded attempt of a job, oldest first, fetched `pageSize` at a time as the loop asks. */
  iterateExecutions(id: string, options?: PageOptions): AsyncIterable<JobExecution>;
  /**
   * Starts a run of a pending job now, outside its schedule, and returns its first attempt (still
   * `running`); the regular schedule continues from this run. `INVALID_STATE` unless the job is
   * pending. Never retried: a repeat could start a second run.
   */
  triggerJob(id: string, options?: CallOptions): Promise<JobExecution>;
  /** Releases the client; later calls fail with a `SchedulerError`. Calling it again does nothing. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}
