// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Schedule as _k1s0_system_scheduler_v2_Schedule, Schedule__Output as _k1s0_system_scheduler_v2_Schedule__Output } from '../../../../k1s0/system/scheduler/v2/Schedule';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../../../google/protobuf/Value';
import type { SchedulePolicy as _k1s0_system_scheduler_v2_SchedulePolicy, SchedulePolicy__Output as _k1s0_system_scheduler_v2_SchedulePolicy__Output } from '../../../../k1s0/system/scheduler/v2/SchedulePolicy';

/**
 * The request of CreateJob.
 */
export interface CreateJobRequest {
  /**
   * 1 to 128 Unicode code points, not only white space (the 25 White_Space code points listed
   * under Validation).
   */
  'name'?: (string);
  /**
   * When the job runs. Required.
   */
  'schedule'?: (_k1s0_system_scheduler_v2_Schedule | null);
  /**
   * Any JSON value of at most 1,048,576 bytes and 32 levels deep (see "Payload size and depth");
   * unset means JSON null.
   */
  'payload'?: (_google_protobuf_Value | null);
  /**
   * 0 to 100. Unset means 3.
   */
  'maxRetries'?: (number);
  /**
   * 1 to 86,400. Unset means 60.
   */
  'timeoutSecs'?: (number);
  /**
   * An idempotency key chosen by the client, at most 128 Unicode code points. Empty means no key.
   * A client sends one fresh key per logical create and the same key on every retry of it.
   */
  'requestId'?: (string);
  /**
   * The job's key: empty for none, or 1 to 128 Unicode code points, not only white space. A key
   * that another job has is a CONFLICT (gRPC ALREADY_EXISTS) naming that job.
   */
  'key'?: (string);
  /**
   * The job's labels (see "Validation").
   */
  'labels'?: ({[key: string]: string});
  /**
   * What the job's fires do; unset means every default (see "Schedule policies").
   */
  'policy'?: (_k1s0_system_scheduler_v2_SchedulePolicy | null);
  '_maxRetries'?: "maxRetries";
  '_timeoutSecs'?: "timeoutSecs";
}

/**
 * The request of CreateJob.
 */
export interface CreateJobRequest__Output {
  /**
   * 1 to 128 Unicode code points, not only white space (the 25 White_Space code points listed
   * under Validation).
   */
  'name': (string);
  /**
   * When the job runs. Required.
   */
  'schedule': (_k1s0_system_scheduler_v2_Schedule__Output | null);
  /**
   * Any JSON value of at most 1,048,576 bytes and 32 levels deep (see "Payload size and depth");
   * unset means JSON null.
   */
  'payload': (_google_protobuf_Value__Output | null);
  /**
   * 0 to 100. Unset means 3.
   */
  'maxRetries'?: (number);
  /**
   * 1 to 86,400. Unset means 60.
   */
  'timeoutSecs'?: (number);
  /**
   * An idempotency key chosen by the client, at most 128 Unicode code points. Empty means no key.
   * A client sends one fresh key per logical create and the same key on every retry of it.
   */
  'requestId': (string);
  /**
   * The job's key: empty for none, or 1 to 128 Unicode code points, not only white space. A key
   * that another job has is a CONFLICT (gRPC ALREADY_EXISTS) naming that job.
   */
  'key': (string);
  /**
   * The job's labels (see "Validation").
   */
  'labels': ({[key: string]: string});
  /**
   * What the job's fires do; unset means every default (see "Schedule policies").
   */
  'policy': (_k1s0_system_scheduler_v2_SchedulePolicy__Output | null);
  '_maxRetries'?: "maxRetries";
  '_timeoutSecs'?: "timeoutSecs";
}
