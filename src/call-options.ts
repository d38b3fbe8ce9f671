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
