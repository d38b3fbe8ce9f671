// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';
import type { ExecutionResult as _k1s0_system_scheduler_v2_ExecutionResult, ExecutionResult__Output as _k1s0_system_scheduler_v2_ExecutionResult__Output } from '../../../../k1s0/system/scheduler/v2/ExecutionResult';

/**
 * Published once per finished attempt to the Kafka topic k1s0.system.scheduler.job_completed.v1,
 * keyed by job_id so that events of one job keep their order.
 * Producers may compress record batches with gzip, snappy, lz4 or zstd, and every subscriber
 * must read all four.
 * 
 * The value is UTF-8 JSON with content-type application/json, with these snake_case names:
 * {"job_id":"…","execution_id":"…","completed_at":"2026-11-22T10:00:00.000Z","result":"succeeded"}
 * plus "error" (string) when set and "attempt" (integer). JSON is the format every sibling reads,
 * and the one producers write: the Rust sibling reads (and writes) only the four fields job_id,
 * execution_id, completed_at and result (a String), so "error" and "attempt" are extra fields to
 * it, and it cannot read an event encoded as protobuf.
 * 
 * completed_at is a timestamp as text (see "Timestamps" at the top of this file): written in UTC
 * with 3, 6 or 9 fraction digits, the fewest that hold the exact value; read with any offset and
 * 1 to 9 fraction digits, every digit kept. result is written as "succeeded", "failed" or
 * "timed_out"; every subscriber accepts these values for it, and nothing else:
 * 
 * written as (JSON string, ASCII letters in any case)      or (JSON number)   means
 * "succeeded"  "success"  "EXECUTION_RESULT_SUCCEEDED"  "2"      2                  SUCCEEDED
 * "failed"     "failure"  "EXECUTION_RESULT_FAILED"     "3"      3                  FAILED
 * "timed_out"             "EXECUTION_RESULT_TIMED_OUT"  "4"      4                  TIMED_OUT
 * 
 * Letters match case-insensitively in ASCII only ("Success" and "FAILED" are accepted; no
 * Unicode case folding); no white space, no other spelling ("timeout", "ok", "running", 1, "02")
 * is accepted. An event with an unknown result is invalid.
 * 
 * The value must be well-formed UTF-8 (malformed bytes are never replaced with U+FFFD), and no
 * string or key in it, ignored fields included, may hold a lone surrogate (such as "\ud800");
 * job_id and execution_id are not empty.
 * A message that breaks any rule here is an invalid event: a subscriber reports it and
 * dead-letters it, never delivers it changed. Consumers also accept the proto3 JSON form of this
 * message (lowerCamelCase names) and binary protobuf with content-type application/x-protobuf,
 * and ignore unknown fields. Delivery is at least once: deduplicate by execution_id where it
 * matters.
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
   * When the attempt finished, exactly (nanoseconds kept).
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
 * Producers may compress record batches with gzip, snappy, lz4 or zstd, and every subscriber
 * must read all four.
 * 
 * The value is UTF-8 JSON with content-type application/json, with these snake_case names:
 * {"job_id":"…","execution_id":"…","completed_at":"2026-11-22T10:00:00.000Z","result":"succeeded"}
 * plus "error" (string) when set and "attempt" (integer). JSON is the format every sibling reads,
 * and the one producers write: the Rust sibling reads (and writes) only the four fields job_id,
 * execution_id, completed_at and result (a String), so "error" and "attempt" are extra fields to
 * it, and it cannot read an event encoded as protobuf.
 * 
 * completed_at is a timestamp as text (see "Timestamps" at the top of this file): written in UTC
 * with 3, 6 or 9 fraction digits, the fewest that hold the exact value; read with any offset and
 * 1 to 9 fraction digits, every digit kept. result is written as "succeeded", "failed" or
 * "timed_out"; every subscriber accepts these values for it, and nothing else:
 * 
 * written as (JSON string, ASCII letters in any case)      or (JSON number)   means
 * "succeeded"  "success"  "EXECUTION_RESULT_SUCCEEDED"  "2"      2                  SUCCEEDED
 * "failed"     "failure"  "EXECUTION_RESULT_FAILED"     "3"      3                  FAILED
 * "timed_out"             "EXECUTION_RESULT_TIMED_OUT"  "4"      4                  TIMED_OUT
 * 
 * Letters match case-insensitively in ASCII only ("Success" and "FAILED" are accepted; no
 * Unicode case folding); no white space, no other spelling ("timeout", "ok", "running", 1, "02")
 * is accepted. An event with an unknown result is invalid.
 * 
 * The value must be well-formed UTF-8 (malformed bytes are never replaced with U+FFFD), and no
 * string or key in it, ignored fields included, may hold a lone surrogate (such as "\ud800");
 * job_id and execution_id are not empty.
 * A message that breaks any rule here is an invalid event: a subscriber reports it and
 * dead-letters it, never delivers it changed. Consumers also accept the proto3 JSON form of this
 * message (lowerCamelCase names) and binary protobuf with content-type application/x-protobuf,
 * and ignore unknown fields. Delivery is at least once: deduplicate by execution_id where it
 * matters.
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
   * When the attempt finished, exactly (nanoseconds kept).
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
