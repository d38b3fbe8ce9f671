import type { z } from 'zod';
import type { Schedule } from './schedule.js';
import type { JobFilterSchema, JobRequestSchema } from './validation.js';

/** Any value that JSON can represent. Job payloads are JSON values. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Every {@link JobStatus}, in proto enum order. */
export const JOB_STATUSES = Object.freeze(['pending', 'running', 'completed', 'failed', 'paused', 'cancelled'] as const);

/**
 * Where a job is in its lifecycle. The strings of the proto enum `JobStatus` without its prefix, in
 * lower case (`JOB_STATUS_PAUSED` is `'paused'`).
 */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The outcome of one attempt (proto `ExecutionResult`, lower case, without its prefix). */
export type ExecutionResult = 'running' | 'succeeded' | 'failed' | 'timed_out';

/** Every {@link ExecutionResult}, in proto enum order. */
export const EXECUTION_RESULTS: readonly ExecutionResult[] = Object.freeze([
  'running',
  'succeeded',
  'failed',
  'timed_out',
]);

/**
 * What to register with `createJob`: the input of {@link JobRequestSchema}, whose fields carry the
 * documentation and the limits.
 */
export interface JobRequest extends z.input<typeof JobRequestSchema> {}

/** A scheduled job, as the scheduler reports it. */
export interface Job {
  /** Assigned by the scheduler; opaque. */
  id: string;
  /** The name given at creation. */
  name: string;
  /** When the job runs. */
  schedule: Schedule;
  /** Where the job is in its lifecycle. */
  status: JobStatus;
  /** The JSON value given at creation. */
  payload: JsonValue;
  /** How many times a failed attempt is retried. */
  maxRetries: number;
  /** How long one attempt may run, in seconds. */
  timeoutSecs: number;
  /** When the job was created, by the scheduler's clock. */
  createdAt: Date;
  /** When the job next fires; absent for paused and terminal jobs and for a running one-shot. */
  nextRunAt?: Date;
}

/** Filters for `listJobs`; all given filters must match. The input of {@link JobFilterSchema}. */
export interface JobFilter extends z.input<typeof JobFilterSchema> {}

/** One attempt of one run of a job. */
export interface JobExecution {
  /** Assigned by the scheduler; unique across all jobs. */
  id: string;
  /** The job this attempt belongs to. */
  jobId: string;
  /** When the attempt started. */
  startedAt: Date;
  /** When the attempt finished; absent while `result` is `'running'`. */
  finishedAt?: Date;
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
  /** When the attempt finished. */
  completedAt: Date;
  /** The outcome; never `'running'`. */
  result: Exclude<ExecutionResult, 'running'>;
  /** Why the attempt failed or timed out. */
  error?: string;
  /** The attempt number; absent when the producer did not send one. */
  attempt?: number;
}
