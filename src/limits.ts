/**
 * The validation limits of the k1s0 scheduler (proto `scheduler.proto`, "Validation"). Clients check
 * them before sending; servers check them again.
 */
export const LIMITS = Object.freeze({
  /** Longest job name, in Unicode code points. */
  nameMaxChars: 128,
  /** Longest job id, request id or name prefix, in Unicode code points. */
  idMaxChars: 128,
  /** Largest payload, in bytes of compact UTF-8 JSON (1 MiB). */
  payloadMaxBytes: 1_048_576,
  /** Deepest payload nesting (a scalar is depth 0, `[1]` depth 1). */
  payloadMaxDepth: 32,
  /** Bounds of `maxRetries`. */
  maxRetriesMin: 0,
  maxRetriesMax: 100,
  /** Bounds of `timeoutSecs`. */
  timeoutSecsMin: 1,
  timeoutSecsMax: 86_400,
  /** Bounds of `intervalMs` (the upper one is the largest google.protobuf.Duration). */
  intervalMsMin: 1_000,
  intervalMsMax: 315_576_000_000_000,
  /** How far in the past a one-shot `runAt` may be when the job is created. */
  runAtPastToleranceMs: 1_000,
  /** Largest page of a list call. */
  pageSizeMax: 1_000,
  /** Most fire times one `nextRuns` call previews. */
  nextRunsMax: 1_000,
});

/** Defaults applied when a request leaves a field unset. */
export const DEFAULTS = Object.freeze({
  maxRetries: 3,
  timeoutSecs: 60,
  timezone: 'UTC',
  pageSize: 100,
});
