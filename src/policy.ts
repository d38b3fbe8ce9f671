import { createHash } from 'node:crypto';

/**
 * What a fire does while a run of the same job is in progress (proto `OverlapPolicy`):
 * `'skip'` drops it (counted in `stats.skipped`); `'buffer_one'` (the default) holds the first one
 * and runs it when no run is in progress, dropping further ones; `'allow_all'` runs it beside the
 * others, up to {@link MAX_RUNS_IN_PROGRESS} runs of one job at once.
 */
export type OverlapPolicy = 'skip' | 'buffer_one' | 'allow_all';

/** Every overlap policy, in proto enum order. */
export const OVERLAP_POLICIES: readonly OverlapPolicy[] = Object.freeze(['skip', 'buffer_one', 'allow_all'] as const);

/** The waits between the attempts of a run: `w(1) = initialMs`, `w(n+1) = min(floor(w(n) × multiplier), maxMs)`. */
export interface RetryBackoffPolicy {
  /** The wait before the first retry, 1 ms to 3,600,000 ms, no more than the longest wait (an unset `maxMs` counts as 60000). @default 1000 */
  initialMs?: number;
  /** The longest wait, 1 ms to 86,400,000 ms, no less than the initial wait (an unset `initialMs` counts as 1000). @default 60000 */
  maxMs?: number;
  /** How much each wait grows, 1 to 10. @default 2 */
  multiplier?: number;
}

/**
 * What a job's fires do (proto `SchedulePolicy`, "Schedule policies"). Every field is optional, and
 * every default keeps the behaviour of a job without a policy.
 */
export interface SchedulePolicy {
  /** What a fire does while a run is in progress. @default 'buffer_one' */
  overlap?: OverlapPolicy;
  /**
   * Fires that the scheduler gets to later than this (it was down, or its clock jumped) are not
   * run but counted in `stats.missed`; of several late fires only the latest runs. 1,000 ms to
   * 3,155,760,000,000 ms. @default no limit
   */
  catchupWindowMs?: number;
  /** No fire has a scheduled instant before this (an interval fires first at `startAt`). Whole milliseconds. */
  startAt?: Date;
  /** No fire has a scheduled instant after this; the job then completes. Whole milliseconds, no earlier than `startAt`. */
  endAt?: Date;
  /** The most runs the job starts (fires and triggers); it then completes. 0 to 1,000,000,000; 0 means no limit. @default 0 */
  maxRuns?: number;
  /**
   * Each fire falls due up to this long after its scheduled instant, by a delay computed from the
   * job id and the instant (see {@link jitterDelay}), so that many jobs on the same schedule do not
   * fire in the same millisecond. 0 to 86,400,000 ms. @default 0
   */
  jitterMs?: number;
  /** The waits between the attempts of a run. @default min(2^(n−1) s, 60 s) */
  retryBackoff?: RetryBackoffPolicy;
  /** Pause a recurring job whose run ends failed or timed out, with a note saying why. @default false */
  pauseOnFailure?: boolean;
}

/** A job's policy as the scheduler reports it: `overlap` and `retryBackoff` always filled in. */
export interface JobPolicy extends SchedulePolicy {
  overlap: OverlapPolicy;
  retryBackoff: Required<RetryBackoffPolicy>;
  pauseOnFailure: boolean;
}

/** A policy with every default applied, as the engine keeps it. */
export interface ResolvedPolicy {
  overlap: OverlapPolicy;
  /** `undefined`: no limit. */
  catchupWindowMs: number | undefined;
  startAtMs: number | undefined;
  endAtMs: number | undefined;
  /** 0: no limit. */
  maxRuns: number;
  /** 0: none. */
  jitterMs: number;
  retryBackoff: Required<RetryBackoffPolicy>;
  pauseOnFailure: boolean;
}

/** The fields of a {@link SchedulePolicy}, in proto field order. */
export const POLICY_FIELDS: readonly (keyof SchedulePolicy)[] = Object.freeze(['overlap', 'catchupWindowMs', 'startAt', 'endAt', 'maxRuns', 'jitterMs', 'retryBackoff', 'pauseOnFailure'] as const);

/** The fields of a {@link RetryBackoffPolicy}, in proto field order. */
export const RETRY_BACKOFF_FIELDS: readonly (keyof RetryBackoffPolicy)[] = Object.freeze(['initialMs', 'maxMs', 'multiplier'] as const);

/** The most runs of one job in progress at once under `'allow_all'`. */
export const MAX_RUNS_IN_PROGRESS = 10;

/** The defaults of a retry backoff: min(2^(n−1) s, 60 s). */
export const DEFAULT_RETRY_BACKOFF: Readonly<Required<RetryBackoffPolicy>> = Object.freeze({ initialMs: 1_000, maxMs: 60_000, multiplier: 2 });

/** The policy of a job created without one. */
export const DEFAULT_POLICY: Readonly<ResolvedPolicy> = Object.freeze({
  overlap: 'buffer_one',
  catchupWindowMs: undefined,
  startAtMs: undefined,
  endAtMs: undefined,
  maxRuns: 0,
  jitterMs: 0,
  retryBackoff: DEFAULT_RETRY_BACKOFF,
  pauseOnFailure: false,
});

/** The status note of a job paused by its `pauseOnFailure` policy: this prefix and the last attempt's error. */
export const PAUSED_ON_FAILURE_NOTE = 'paused on failure: ';

/**
 * Applies the defaults to a policy that validation has accepted (or to none).
 */
export function resolvePolicy(policy: SchedulePolicy | undefined): ResolvedPolicy {
  if (policy === undefined) return DEFAULT_POLICY;
  const b = policy.retryBackoff;
  return {
    overlap: policy.overlap ?? 'buffer_one',
    catchupWindowMs: policy.catchupWindowMs,
    startAtMs: policy.startAt?.getTime(),
    endAtMs: policy.endAt?.getTime(),
    maxRuns: policy.maxRuns ?? 0,
    jitterMs: policy.jitterMs ?? 0,
    retryBackoff:
      b === undefined
        ? DEFAULT_RETRY_BACKOFF
        : {
            initialMs: b.initialMs ?? DEFAULT_RETRY_BACKOFF.initialMs,
            maxMs: b.maxMs ?? DEFAULT_RETRY_BACKOFF.maxMs,
            multiplier: b.multiplier === undefined || b.multiplier === 0 ? DEFAULT_RETRY_BACKOFF.multiplier : b.multiplier,
          },
    pauseOnFailure: policy.pauseOnFailure ?? false,
  };
}

/** The policy as a job shows it: fields at their default are absent, but `overlap`, `retryBackoff` and `pauseOnFailure`. */
export function jobPolicyOf(p: ResolvedPolicy): JobPolicy {
  const b = p.retryBackoff;
  const out: JobPolicy = { overlap: p.overlap, retryBackoff: { initialMs: b.initialMs, maxMs: b.maxMs, multiplier: b.multiplier }, pauseOnFailure: p.pauseOnFailure };
  if (p.catchupWindowMs !== undefined) out.catchupWindowMs = p.catchupWindowMs;
  if (p.startAtMs !== undefined) out.startAt = new Date(p.startAtMs);
  if (p.endAtMs !== undefined) out.endAt = new Date(p.endAtMs);
  if (p.maxRuns !== 0) out.maxRuns = p.maxRuns;
  if (p.jitterMs !== 0) out.jitterMs = p.jitterMs;
  return out;
}

/** Whether two policies are the same once their defaults are applied (proto, "Spec"). */
export function samePolicy(a: ResolvedPolicy, b: ResolvedPolicy): boolean {
  return (
    a.overlap === b.overlap &&
    a.catchupWindowMs === b.catchupWindowMs &&
    a.startAtMs === b.startAtMs &&
    a.endAtMs === b.endAtMs &&
    a.maxRuns === b.maxRuns &&
    a.jitterMs === b.jitterMs &&
    a.retryBackoff.initialMs === b.retryBackoff.initialMs &&
    a.retryBackoff.maxMs === b.retryBackoff.maxMs &&
    a.retryBackoff.multiplier === b.retryBackoff.multiplier &&
    a.pauseOnFailure === b.pauseOnFailure
  );
}

/**
 * The jitter delay of the fire at `scheduledMs` of job `jobId`, before the cap (proto, "Schedule
 * policies", Jitter): the first 8 bytes of SHA-256(`jobId + "\n" + scheduledMs`), read as an
 * unsigned big-endian 64-bit integer, modulo `jitterMs`. 0 when `jitterMs` is 0. Every k1s0
 * scheduler computes the same value; `proto/testdata/jitter/delays.json` lists examples.
 */
export function jitterDelay(jobId: string, scheduledMs: number, jitterMs: number): number {
  if (jitterMs <= 0) return 0;
  const digest = createHash('sha256').update(`${jobId}\n${scheduledMs}`, 'utf8').digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(jitterMs));
}

/**
 * The due time of the fire at `scheduledMs`: the instant plus its jitter delay, capped so that it
 * stays before `nextScheduledMs` (the schedule's next instant, if any).
 */
export function dueTime(jobId: string, scheduledMs: number, jitterMs: number, nextScheduledMs: number | undefined): number {
  let delay = jitterDelay(jobId, scheduledMs, jitterMs);
  if (nextScheduledMs !== undefined) delay = Math.min(delay, nextScheduledMs - scheduledMs - 1);
  return scheduledMs + Math.max(0, delay);
}

/**
 * The wait before retry `n` (1 = the first retry) of a run, in whole ms: `w(1) = initialMs`,
 * `w(n+1) = min(floor(w(n) × multiplier), maxMs)` in IEEE 754 doubles, as every language computes it.
 */
export function retryWait(backoff: Required<RetryBackoffPolicy>, n: number): number {
  let w = Math.min(backoff.initialMs, backoff.maxMs);
  for (let i = 1; i < n && w < backoff.maxMs; i++) w = Math.min(Math.floor(w * backoff.multiplier), backoff.maxMs);
  return w;
}
