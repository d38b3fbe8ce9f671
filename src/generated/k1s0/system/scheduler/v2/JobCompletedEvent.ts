// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';
import type { ExecutionResult as _k1s0_system_scheduler_v2_ExecutionResult, ExecutionResult__Output as _k1s0_system_scheduler_v2_ExecutionResult__Output } from '../../../../k1s0/system/scheduler/v2/ExecutionResult';

/**
 * Published once per finished attempt to the Kafka topic k1s0.system.scheduler.job_completed.v1,
 * keyed by job_id so that events of one job keep their order.
 * 
 * The value is UTF-8 JSON with content-type application/json, with these snake_case names:
 * {"job_id":"…","execution_id":"…","completed_at":"2026-11-22T10:00:00.000Z","result":"succeeded"}
 * plus "error" (string) when set and "attempt" (integer). completed_at is RFC 3339 in UTC with
 * milliseconds; result is one of "succeeded", "failed", "timed_out". Consumers also accept the
 * proto3 JSON form of this message (lowerCamelCase names, enum names such as
 * "EXECUTION_RESULT_SUCCEEDED") and binary protobuf with content-type application/x-protobuf, and
 * ignore unknown fields. Delivery is at least once: deduplicate by execution_id where it matters.
 */
export interface JobCompletedEvent {
  /**
   * The job whose attempt finished.
   */
  'jobId'?: (string);
  /**
   * The JobExecution.id of the attempt.
   */
  'executionId'?: (string);
  /**
   * When the attempt finished.
   */
  'completedAt'?: (_google_protobuf_Timestamp | null);
  /**
   * SUCCEEDED, FAILED or TIMED_OUT; never RUNNING.
   */
  'result'?: (_k1s0_system_scheduler_v2_ExecutionResult);
  /**
   * Why the attempt failed or timed out. Unset otherwise.
   */
  'error'?: (string);
  /**
   * The attempt number, as in JobExecution.attempt. 0 means unknown (an older producer).
   */
  'attempt'?: (number);
  '_error'?: "error";
}

/**
 * Published once per finished attempt to the Kafka topic k1s0.system.scheduler.job_completed.v1,
 * keyed by job_id so that events of one job keep their order.
 * 
 * The value is UTF-8 JSON with content-type application/json, with these snake_case names:
 * {"job_id":"…","execution_id":"…","completed_at":"2026-11-22T10:00:00.000Z","result":"succeeded"}
 * plus "error" (string) when set and "attempt" (integer). completed_at is RFC 3339 in UTC with
 * milliseconds; result is one of "succeeded", "failed", "timed_out". Consumers also accept the
 * proto3 JSON form of this message (lowerCamelCase names, enum names such as
 * "EXECUTION_RESULT_SUCCEEDED") and binary protobuf with content-type application/x-protobuf, and
 * ignore unknown fields. Delivery is at least once: deduplicate by execution_id where it matters.
 */
export interface JobCompletedEvent__Output {
  /**
   * The job whose attempt finished.
   */
  'jobId': (string);
  /**
   * The JobExecution.id of the attempt.
   */
  'executionId': (string);
  /**
   * When the attempt finished.
   */
  'completedAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * SUCCEEDED, FAILED or TIMED_OUT; never RUNNING.
   */
  'result': (_k1s0_system_scheduler_v2_ExecutionResult__Output);
  /**
   * Why the attempt failed or timed out. Unset otherwise.
   */
  'error'?: (string);
  /**
   * The attempt number, as in JobExecution.attempt. 0 means unknown (an older producer).
   */
  'attempt': (number);
  '_error'?: "error";
}
