// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';
import type { ExecutionResult as _k1s0_system_scheduler_v2_ExecutionResult, ExecutionResult__Output as _k1s0_system_scheduler_v2_ExecutionResult__Output } from '../../../../k1s0/system/scheduler/v2/ExecutionResult';

/**
 * One attempt of one run of a job.
 */
export interface JobExecution {
  /**
   * Server-assigned, unique across all jobs, at most 128 characters.
   */
  'id'?: (string);
  /**
   * The job this attempt belongs to.
   */
  'jobId'?: (string);
  /**
   * When the attempt started.
   */
  'startedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When the attempt finished. Unset while result is RUNNING.
   */
  'finishedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The outcome so far.
   */
  'result'?: (_k1s0_system_scheduler_v2_ExecutionResult);
  /**
   * Why the attempt failed or timed out. Unset otherwise.
   */
  'error'?: (string);
  /**
   * 1 for the first attempt of a run, 2 for its first retry, and so on.
   */
  'attempt'?: (number);
  '_error'?: "error";
}

/**
 * One attempt of one run of a job.
 */
export interface JobExecution__Output {
  /**
   * Server-assigned, unique across all jobs, at most 128 characters.
   */
  'id': (string);
  /**
   * The job this attempt belongs to.
   */
  'jobId': (string);
  /**
   * When the attempt started.
   */
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the attempt finished. Unset while result is RUNNING.
   */
  'finishedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The outcome so far.
   */
  'result': (_k1s0_system_scheduler_v2_ExecutionResult__Output);
  /**
   * Why the attempt failed or timed out. Unset otherwise.
   */
  'error'?: (string);
  /**
   * 1 for the first attempt of a run, 2 for its first retry, and so on.
   */
  'attempt': (number);
  '_error'?: "error";
}
