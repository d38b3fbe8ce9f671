import type { ExecutionResult, JobStatus, JsonValue } from './primitives.js';
import type { Schedule } from './schedule.js';
import type { Timestamp } from './timestamp.js';
import type { JobPolicy } from './policy.js';

export { EXECUTION_RESULTS, JOB_STATUSES, type ExecutionResult, type JobStatus, type JsonValue } from './primitives.js';
export type { JobFilter, JobRef, JobRequest, JobSpec, JobSpecField } from './validation.js';
import type { JobSpec, JobSpecField } from './validation.js';
export type { Timestamp } from './timestamp.js';

// The `…Exact` fields: a Date holds milliseconds, the contract's Timestamps nanoseconds. Every value
// this package returns carries both, the exact one beside the Date; they are optional so that a
// caller may build a value without them. When one is given its millisecond part must equal the
// Date: an encoder refuses a value where they disagree (SchedulerError INVALID_ARGUMENT naming the
// field) instead of choosing one.

/**
 * A scheduled job, as the scheduler reports it. `P` is the type of its payload: the job methods
 * take it as a type parameter (`client.getJob<ReportPayload>(id)`), which the scheduler does not
 * check; it is what the job was created with.
 */
export interface Job<P = JsonValue> {
  /** Assigned by the scheduler; opaque. */
  id: string;
  /** The name given at creation. */
  name: string;
  /** When the job runs. */
  schedule: Schedule;
  /** Where the job is in its lifecycle. */
  status: JobStatus;
  /** The JSON value given at creation (or by the last update); `null` when none was given. */
  payload: P;
  /** How many times a failed attempt is retried. */
  maxRetries: number;
  /** How long one attempt may run, in seconds. */
  timeoutSecs: number;
  /** When the job was created, by the scheduler's clock. */
  createdAt: Date;
  /** `createdAt` exactly, to the nanosecond; always set on the jobs this package returns. */
  createdAtExact?: Timestamp;
  /** When the job next fires; absent for paused and terminal jobs and for a running one-shot. */
  nextRunAt?: Date;
  /** `nextRunAt` exactly, to the nanosecond; set whenever `nextRunAt` is, on the jobs this package returns. */
  nextRunAtExact?: Timestamp;
  /** The key given at creation; absent when the job has none. Unique among the jobs that exist. */
  key?: string;
  /** The job's labels; `{}` when it has none. */
  labels: Record<string, string>;
  /**
   * 1 at creation, 1 more after every change a caller makes (an update or apply that changes a
   * field, a pause, resume or cancel that changes the status); runs never change it. Pass it as
   * `expectedRevision` so that a change is refused (`CONFLICT`) if someone else changed the job first.
   */
  revision: number;
  /** When the revision last changed; `createdAt` for revision 1. */
  updatedAt: Date;
  /** `updatedAt` exactly, to the nanosecond; always set on the jobs this package returns. */
  updatedAtExact?: Timestamp;
  /** What the job's fires do, with `overlap`, `retryBackoff` and `pauseOnFailure` filled in. */
  policy: JobPolicy;
  /**
   * The note of the last pause or resume that changed the status, or why the scheduler paused the
   * job (`pauseOnFailure`: "paused on failure: " and the error); absent when there is none.
   */
  statusNote?: string;
  /** What the job's fires and runs have done so far. */
  stats: JobStats;
  /** When the last run that ended started; absent until a run ends. */
  lastRunAt?: Date;
  /** `lastRunAt` exactly, to the nanosecond; set whenever `lastRunAt` is, on the jobs this package returns. */
  lastRunAtExact?: Timestamp;
  /** The result of the last run that ended (its last attempt's); absent until a run ends. */
  lastResult?: Exclude<ExecutionResult, 'running'>;
  /** The attempts in flight, oldest first; more than one only with the `'allow_all'` overlap policy. */
  runningExecutions: JobExecution[];
  /** With `policy.maxRuns`, how many runs the job may still start (0 once it has started that many); absent without it. */
  remainingRuns?: number;
}

/** Counters over a job's life. Every fire is a run, a skipped fire or a missed fire. */
export interface JobStats {
  /** Runs started: by fires, held fires and `triggerJob`. */
  runs: number;
  /** Runs that ended with their last attempt `'succeeded'`. */
  succeeded: number;
  /** Runs that ended with their last attempt `'failed'`. */
  failed: number;
  /** Runs that ended with their last attempt `'timed_out'`. */
  timedOut: number;
  /** Fires the overlap policy did not run. */
  skipped: number;
  /** Fires the catch-up window did not run (late fires but the latest one within the window). */
  missed: number;
}

/** What `describeJob` returns: the job and when its next fires fall due. */
export interface JobDescription<P = JsonValue> {
  /** The job, as `getJob` returns it. */
  job: Job<P>;
  /**
   * The due times of the job's next fires, earliest first, exactly as the scheduler will let them
   * fall due (bounds, `maxRuns` and jitter applied); none when the job is paused or has ended.
   */
  upcomingRuns: Date[];
}

/** One attempt of one run of a job. */
export interface JobExecution {
  /** Assigned by the scheduler; unique across all jobs. */
  id: string;
  /** The job this attempt belongs to. */
  jobId: string;
  /** When the attempt started. */
  startedAt: Date;
  /** `startedAt` exactly, to the nanosecond; always set on the executions this package returns. */
  startedAtExact?: Timestamp;
  /** When the attempt finished; absent while `result` is `'running'`. */
  finishedAt?: Date;
  /** `finishedAt` exactly, to the nanosecond; set whenever `finishedAt` is, on the executions this package returns. */
  finishedAtExact?: Timestamp;
  /** The outcome so far. */
  result: ExecutionResult;
  /** Why the attempt failed or timed out. */
  error?: string;
  /** 1 for the first attempt of a run, 2 for its first retry, and so on. */
  attempt: number;
}

/**
 * Published once per finished attempt (Kafka topic `k1s0.system.scheduler.job_completed.v1`, or
 * `InMemorySchedulerClient.completions()`).
 */
export interface JobCompletedEvent {
  /** The job whose attempt finished. */
  jobId: string;
  /** The `JobExecution.id` of the attempt; deduplicate by it. */
  executionId: string;
  /** When the attempt finished, to the millisecond (finer digits are in `completedAtExact`). */
  completedAt: Date;
  /**
   * `completedAt` exactly, as the producer wrote it (micro- and nanoseconds included); always set
   * on the events this package delivers. Encoders write this value when it is set.
   */
  completedAtExact?: Timestamp;
  /** The outcome; never `'running'`. */
  result: Exclude<ExecutionResult, 'running'>;
  /** Why the attempt failed or timed out. */
  error?: string;
  /** The attempt number; absent when the producer did not send one. */
  attempt?: number;
}

/** A {@link JobSpec} with the key it is applied under: one entry of `applySchedules`. */
export interface KeyedJobSpec<P = JsonValue> extends JobSpec<P> {
  /** The job's key: 1 to 128 Unicode code points, not only white space; unique among the specs. */
  key: string;
}

/** What `applyJob` did, or with `dryRun` would do. */
export interface ApplyJobResult<P = JsonValue> {
  /** `'created'`: no job had the key; `'updated'`: its spec differed; `'unchanged'`: it was the same. */
  action: 'created' | 'updated' | 'unchanged';
  /** The job after the call; with `dryRun`, the job as it is (absent when it would be created). */
  job?: Job<P>;
  /** For `'updated'`, the fields that differ, in proto field order; empty otherwise. */
  changedFields: JobSpecField[];
}
