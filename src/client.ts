import type { ApplyJobOptions, ApplySchedulesOptions, CallOptions, DescribeOptions, NoteOptions, PageOptions, RevisionOptions, TriggerOptions, WaitOptions, WatchOptions } from './call-options.js';
import type { ScheduleDiff } from './apply-schedules.js';
import type { ApplyJobResult, Job, JobDescription, JobExecution, JobFilter, JobRef, JobRequest, JobSpec, JsonValue, KeyedJobSpec } from './types.js';

/**
 * What every k1s0 scheduler client can do, whatever its transport. Code written against this
 * interface runs unchanged on {@link GrpcSchedulerClient} in production and on
 * {@link InMemorySchedulerClient} in unit tests.
 *
 * Every method rejects with a `SchedulerError` only, whose `operation` is the name of the method.
 *
 * Every method that names one job takes a {@link JobRef}: its id (a string, or `{ id }`), or its
 * key (`{ key }`). The job methods take the payload type as a type parameter `P` (default: any
 * JSON value), so a service gets its own payload type back: `client.getJob<Report>({ key })`.
 * The scheduler does not check it; it is what the job was created with.
 */
export interface SchedulerClient extends AsyncDisposable {
  /**
   * Registers a job and schedules its first run. A `key` that another job has is a `CONFLICT`
   * (see {@link SchedulerClient.applyJob} to create-or-update by key).
   */
  createJob<P = JsonValue>(request: JobRequest<P>, options?: CallOptions): Promise<Job<P>>;
  /** Returns one job; `JOB_NOT_FOUND` if no job has this id (or key). */
  getJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>>;
  /** Every job that matches the filter (status, name prefix, labels), ordered by `createdAt`, then `id`. */
  listJobs<P = JsonValue>(filter?: JobFilter, options?: CallOptions): Promise<Job<P>[]>;
  /**
   * Pending or running to paused; a no-op if paused; `INVALID_STATE` if it has ended. Resolves to
   * the job after the change (callers that only await it may ignore the value).
   */
  pauseJob<P = JsonValue>(ref: JobRef, options?: NoteOptions): Promise<Job<P>>;
  /**
   * Paused to pending; a no-op if pending or running; `INVALID_STATE` if it has ended. Resolves to
   * the job after the change. A `note` is shown as the job's `statusNote`.
   */
  resumeJob<P = JsonValue>(ref: JobRef, options?: NoteOptions): Promise<Job<P>>;
  /** Ends a job for good; a no-op if already cancelled; `INVALID_STATE` if completed or failed. Resolves to the job after the change. */
  cancelJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>>;
  /** Every recorded attempt of a job, oldest first. */
  getExecutions(ref: JobRef, options?: CallOptions): Promise<JobExecution[]>;
  /**
   * Every job that matches the filter, in the order of `listJobs`, fetched `pageSize` at a time as
   * the loop asks for more; breaking out of the loop stops fetching. A bad filter or `pageSize`
   * rejects the first step of the loop.
   */
  iterateJobs<P = JsonValue>(filter?: JobFilter, options?: PageOptions): AsyncIterable<Job<P>>;
  /** Every recorded attempt of a job, oldest first, fetched `pageSize` at a time as the loop asks. */
  iterateExecutions(ref: JobRef, options?: PageOptions): AsyncIterable<JobExecution>;
  /**
   * Starts a run now, outside the schedule, and resolves to the attempt it started (still
   * `running`; pass its id to `waitForExecution`). From pending, the regular schedule continues
   * from this run. A running job can be triggered only with the `'allow_all'` overlap policy (the
   * job's or `overlap`), up to 10 runs at once; a paused or ended job never (`INVALID_STATE`).
   * Never retried: a repeat could start a second run.
   */
  triggerJob(ref: JobRef, options?: TriggerOptions): Promise<JobExecution>;
  /**
   * Returns the job and the due times of its next `upcoming` fires (default 10, at most 100),
   * exactly as the scheduler will let them fall due: bounds, `maxRuns` and jitter applied.
   */
  describeJob<P = JsonValue>(ref: JobRef, options?: DescribeOptions): Promise<JobDescription<P>>;
  /**
   * Resolves with the execution (one attempt) once it has ended, with its result, even if it ended
   * before the call. `JOB_NOT_FOUND` (field `execution_id`) when no execution has this id;
   * `TIMEOUT` after `timeoutMs`; `CANCELLED` when `signal` aborts. Costs no polling: over gRPC it
   * is one WatchExecutions stream.
   */
  waitForExecution(executionId: string, options?: WaitOptions): Promise<JobExecution>;
  /**
   * The executions of one job as they change: first the attempts in flight, then each attempt as
   * it starts and as it finishes, in order. The loop ends when the job has ended with nothing in
   * flight, or is deleted; breaking out of it, or `signal`, stops the watch.
   */
  watchExecutions(ref: JobRef, options?: WatchOptions): AsyncIterable<JobExecution>;
  /**
   * Makes the job with `key` have `spec`: creates it when no job has the key (`'created'`),
   * updates it in place when its spec differs (`'updated'`, with the fields that changed; the next
   * run is recomputed from a new schedule), and leaves it alone when it is the same
   * (`'unchanged'`, whatever its status: a one-shot that already ran does not run again). A job
   * that has ended (completed, failed, cancelled) with another spec is an `INVALID_STATE`. With
   * `dryRun`, nothing changes. With `expectedRevision`, a job at another revision is a `CONFLICT`
   * (`0`: no job may have the key yet). Safe to retry.
   */
  applyJob<P = JsonValue>(key: string, spec: JobSpec<P>, options?: ApplyJobOptions): Promise<ApplyJobResult<P>>;
  /**
   * Changes the fields named in `changes` (its own keys are the update mask; at least one) and
   * resolves to the job after the change. A field given as `undefined` is reset to its default.
   * An attempt in flight finishes and is recorded; a new schedule takes effect from now (see the
   * proto for a running job). `INVALID_STATE` if the job has ended; `CONFLICT` if
   * `expectedRevision` is not its revision. Nothing changes, and the revision stays, when every
   * value is the job's already.
   */
  updateJob<P = JsonValue>(ref: JobRef, changes: Partial<JobSpec<P>>, options?: RevisionOptions): Promise<Job<P>>;
  /**
   * Removes a job and its executions, in any status; its key is free at once, and every later
   * call that names it is a `JOB_NOT_FOUND`. An attempt in flight is aborted and recorded first
   * (result `failed`, error "the job was deleted", with its completion event). Resolves to the job
   * as it was. `CONFLICT` if `expectedRevision` is not its revision. Not retried: a repeat of a
   * delete that happened is a `JOB_NOT_FOUND`.
   */
  deleteJob<P = JsonValue>(ref: JobRef, options?: RevisionOptions): Promise<Job<P>>;
  /**
   * Reconciles the jobs of one owner with `specs` at service start-up: lists the jobs labelled
   * `k1s0.owner` = `owner`, computes the diff (create, update, unchanged, and with `prune`, delete
   * for owned jobs whose key is not in `specs`), and applies it unless `dryRun`. Every spec gets
   * the owner label. It never changes or deletes a job of another owner: a key held by one is a
   * `CONFLICT`. Running it twice in a row changes nothing the second time, and replicas that run
   * it at once end with one job per key. Resolves to the diff (which prints as a table).
   */
  applySchedules<P = JsonValue>(specs: readonly KeyedJobSpec<P>[], options: ApplySchedulesOptions): Promise<ScheduleDiff<P>>;
  /** Releases the client; later calls fail with a `SchedulerError`. Calling it again does nothing. */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}
