// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

/**
 * The status of a job. See the lifecycle table at the top of this file.
 */
export const JobStatus = {
  /**
   * Never set by a server. In ListJobsRequest.status it means "any status".
   */
  JOB_STATUS_UNSPECIFIED: 'JOB_STATUS_UNSPECIFIED',
  /**
   * Scheduled; waiting for next_run_at.
   */
  JOB_STATUS_PENDING: 'JOB_STATUS_PENDING',
  /**
   * A run is in progress (an attempt in flight, or waiting for its retry).
   */
  JOB_STATUS_RUNNING: 'JOB_STATUS_RUNNING',
  /**
   * Terminal. A one-shot job whose run succeeded, or a recurring job with no fire left (see
   * "Schedule policies", Bounds).
   */
  JOB_STATUS_COMPLETED: 'JOB_STATUS_COMPLETED',
  /**
   * Terminal. A one-shot job whose run failed on every attempt.
   */
  JOB_STATUS_FAILED: 'JOB_STATUS_FAILED',
  /**
   * Paused by PauseJob; nothing fires until ResumeJob.
   */
  JOB_STATUS_PAUSED: 'JOB_STATUS_PAUSED',
  /**
   * Terminal. Cancelled by CancelJob.
   */
  JOB_STATUS_CANCELLED: 'JOB_STATUS_CANCELLED',
} as const;

/**
 * The status of a job. See the lifecycle table at the top of this file.
 */
export type JobStatus =
  /**
   * Never set by a server. In ListJobsRequest.status it means "any status".
   */
  | 'JOB_STATUS_UNSPECIFIED'
  | 0
  /**
   * Scheduled; waiting for next_run_at.
   */
  | 'JOB_STATUS_PENDING'
  | 1
  /**
   * A run is in progress (an attempt in flight, or waiting for its retry).
   */
  | 'JOB_STATUS_RUNNING'
  | 2
  /**
   * Terminal. A one-shot job whose run succeeded, or a recurring job with no fire left (see
   * "Schedule policies", Bounds).
   */
  | 'JOB_STATUS_COMPLETED'
  | 3
  /**
   * Terminal. A one-shot job whose run failed on every attempt.
   */
  | 'JOB_STATUS_FAILED'
  | 4
  /**
   * Paused by PauseJob; nothing fires until ResumeJob.
   */
  | 'JOB_STATUS_PAUSED'
  | 5
  /**
   * Terminal. Cancelled by CancelJob.
   */
  | 'JOB_STATUS_CANCELLED'
  | 6

/**
 * The status of a job. See the lifecycle table at the top of this file.
 */
export type JobStatus__Output = typeof JobStatus[keyof typeof JobStatus]
