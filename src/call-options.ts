import type { OverlapPolicy } from './policy.js';

/**
 * Options every client method takes last. Each applies to one call only.
 */
export interface CallOptions {
  /**
   * Aborts the call. If the signal is aborted (before or during the call), the call rejects with a
   * `SchedulerError` whose code is `CANCELLED`; a call already on the wire is cancelled there too.
   */
  signal?: AbortSignal;
  /**
   * A deadline for this call in milliseconds, retries included. When it passes, the call rejects
   * with code `TIMEOUT`. Overrides the client's default; set to `<= 0` for no deadline.
   */
  timeoutMs?: number;
}

/**
 * Options of `iterateJobs` and `iterateExecutions`. `signal` stops the iteration (the next page
 * rejects with `CANCELLED`); `timeoutMs` is the deadline of each page's request.
 */
export interface PageOptions extends CallOptions {
  /** Items per request, an integer from 1 to 1000. @default 100 */
  pageSize?: number;
}

/** Options of `updateJob` and `deleteJob`. */
export interface RevisionOptions extends CallOptions {
  /**
   * The revision the job must have (`job.revision` as you read it). When the job has another one,
   * someone changed it since: the call is refused with `CONFLICT` and changes nothing.
   */
  expectedRevision?: number;
}

/** Options of `applyJob`. */
export interface ApplyJobOptions extends CallOptions {
  /** Change nothing; resolve to what the call would do. @default false */
  dryRun?: boolean;
  /**
   * `0`: no job may have the key yet; another value: the job with the key must be at this
   * revision. Otherwise `CONFLICT`, and nothing changes.
   */
  expectedRevision?: number;
}

/** Options of `applySchedules`. */
export interface ApplySchedulesOptions extends CallOptions {
  /**
   * Who owns the jobs: the value of their `k1s0.owner` label, usually the service's name (a label
   * value: 1 to 128 code points).
   */
  owner: string;
  /** Delete the owner's jobs whose key is not among the specs. @default false */
  prune?: boolean;
  /** Compute and return the diff, change nothing. @default false */
  dryRun?: boolean;
}

/** Options of `pauseJob` and `resumeJob`. */
export interface NoteOptions extends CallOptions {
  /** Why, 0 to 512 code points; shown as the job's `statusNote` when the call changes its status. */
  note?: string;
}

/** Options of `triggerJob`. */
export interface TriggerOptions extends CallOptions {
  /**
   * The overlap policy for this run alone (default: the job's). With `'allow_all'` a running job
   * starts another run beside the ones in progress; otherwise only a pending job can be triggered.
   */
  overlap?: OverlapPolicy;
}

/** Options of `describeJob`. */
export interface DescribeOptions extends CallOptions {
  /** How many upcoming fires to list, 1 to 100. @default 10 */
  upcoming?: number;
}

/**
 * Options of `waitForExecution`. `timeoutMs` bounds the whole wait (`TIMEOUT` when it passes;
 * `<= 0` waits for ever); `signal` stops it (`CANCELLED`).
 */
export interface WaitOptions extends CallOptions {}

/** Options of `watchExecutions`: `signal` ends the iteration; `timeoutMs` bounds the whole watch. */
export interface WatchOptions extends CallOptions {}
