// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

/**
 * The outcome of one attempt.
 */
export const ExecutionResult = {
  /**
   * Never set by a server.
   */
  EXECUTION_RESULT_UNSPECIFIED: 'EXECUTION_RESULT_UNSPECIFIED',
  /**
   * The attempt is in flight.
   */
  EXECUTION_RESULT_RUNNING: 'EXECUTION_RESULT_RUNNING',
  /**
   * The attempt finished without error.
   */
  EXECUTION_RESULT_SUCCEEDED: 'EXECUTION_RESULT_SUCCEEDED',
  /**
   * The attempt finished with an error; see `error`.
   */
  EXECUTION_RESULT_FAILED: 'EXECUTION_RESULT_FAILED',
  /**
   * The attempt outlived the job's timeout_secs and was abandoned.
   */
  EXECUTION_RESULT_TIMED_OUT: 'EXECUTION_RESULT_TIMED_OUT',
} as const;

/**
 * The outcome of one attempt.
 */
export type ExecutionResult =
  /**
   * Never set by a server.
   */
  | 'EXECUTION_RESULT_UNSPECIFIED'
  | 0
  /**
   * The attempt is in flight.
   */
  | 'EXECUTION_RESULT_RUNNING'
  | 1
  /**
   * The attempt finished without error.
   */
  | 'EXECUTION_RESULT_SUCCEEDED'
  | 2
  /**
   * The attempt finished with an error; see `error`.
   */
  | 'EXECUTION_RESULT_FAILED'
  | 3
  /**
   * The attempt outlived the job's timeout_secs and was abandoned.
   */
  | 'EXECUTION_RESULT_TIMED_OUT'
  | 4

/**
 * The outcome of one attempt.
 */
export type ExecutionResult__Output = typeof ExecutionResult[keyof typeof ExecutionResult]
