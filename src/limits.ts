/**
 * The validation limits of the k1s0 scheduler (proto `scheduler.proto`, "Validation"). Clients check
 * them before sending; servers check them again.
 */
export const LIMITS = Object.freeze({
  /** Longest job name, in Unicode code points. */
  nameMaxChars: 128,
  /** Longest job id, job key, request id or name prefix, in Unicode code points. */
  idMaxChars: 128,
  /** Most labels on one job (and in one label selector). */
  labelsMax: 64,
  /** Longest label key, in characters (ASCII `a-z 0-9 _ - .`, starting with `a-z`). */
  labelKeyMaxChars: 63,
  /** Longest label value, in Unicode code points. */
  labelValueMaxChars: 128,
  /**
   * Largest payload (1 MiB): the length in bytes of the UTF-8 encoding of its canonical JSON text,
   * which is what `JSON.stringify` writes (see the proto's "Payload size and depth").
   */
  payloadMaxBytes: 1_048_576,
  /**
   * Deepest payload nesting: a scalar is depth 0, and an array or object is one more than the
   * deepest value inside it (`[]` and `{}` are depth 1, `[[1]]` depth 2).
   */
  payloadMaxDepth: 32,
  /** Bounds of `maxRetries`. */
  maxRetriesMin: 0,
  maxRetriesMax: 100,
  /** Bounds of `timeoutSecs`. */
  timeoutSecsMin: 1,
  timeoutSecsMax: 86_400,
  /** Bounds of `intervalMs`: 1 s to 100 years of 365.25 days (3,155,760,000 s). */
  intervalMsMin: 1_000,
  intervalMsMax: 3_155_760_000_000,
  /**
   * The latest instant a google.protobuf.Timestamp can hold, 9999-12-31T23:59:59.999Z at
   * millisecond precision: no run is planned after it.
   */
  timestampMaxMs: 253_402_300_799_999,
  /** The earliest instant a google.protobuf.Timestamp can hold, 0001-01-01T00:00:00Z. */
  timestampMinMs: -62_135_596_800_000,
  /** How far in the past a one-shot `runAt` may be when the job is created. */
  runAtPastToleranceMs: 1_000,
  /** Largest page of a list call. */
  pageSizeMax: 1_000,
  /** Most fire times one `nextRuns` call previews. */
  nextRunsMax: 1_000,
  /** Longest pause or resume note, in Unicode code points. */
  noteMaxChars: 512,
  /** Most upcoming fires one `describeJob` lists. */
  upcomingMax: 100,
  /** Bounds of `policy.catchupWindowMs`: 1 s to 100 years of 365.25 days. */
  catchupWindowMsMin: 1_000,
  catchupWindowMsMax: 3_155_760_000_000,
  /** Largest `policy.maxRuns` (0 means no limit). */
  maxRunsMax: 1_000_000_000,
  /** Largest `policy.jitterMs` (24 h). */
  jitterMsMax: 86_400_000,
  /** Bounds of `policy.retryBackoff.initialMs` (1 ms to 1 h) and `maxMs` (1 ms to 24 h). */
  backoffInitialMsMin: 1,
  backoffInitialMsMax: 3_600_000,
  backoffMaxMsMin: 1,
  backoffMaxMsMax: 86_400_000,
  /** Bounds of `policy.retryBackoff.multiplier`. */
  backoffMultiplierMin: 1,
  backoffMultiplierMax: 10,
});

/** Defaults applied when a request leaves a field unset. */
export const DEFAULTS = Object.freeze({
  maxRetries: 3,
  timeoutSecs: 60,
  timezone: 'UTC',
  pageSize: 100,
  upcoming: 10,
});
