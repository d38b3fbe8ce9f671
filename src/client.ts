import type { CallOptions } from './call-options.js';
import type { Job, JobExecution, JobFilter, JobRequest } from './types.js';

/**
 * What every k1s0 scheduler client can do, whatever its transport. Code written against this
 * interface runs unchanged on {@link GrpcSchedulerClient} in production and on
 * {@link InMemorySchedulerClient} in unit tests.
 *
 * Every method rejects with a `SchedulerError` only.
 */
export interface SchedulerClient {
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
}
