// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Schedule as _k1s0_system_scheduler_v2_Schedule, Schedule__Output as _k1s0_system_scheduler_v2_Schedule__Output } from '../../../../k1s0/system/scheduler/v2/Schedule';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../../../google/protobuf/Value';
import type { SchedulePolicy as _k1s0_system_scheduler_v2_SchedulePolicy, SchedulePolicy__Output as _k1s0_system_scheduler_v2_SchedulePolicy__Output } from '../../../../k1s0/system/scheduler/v2/SchedulePolicy';

/**
 * The fields of a job that its owner chooses: what ApplyJob applies and UpdateJob changes. Each
 * field has the limits and defaults of the CreateJobRequest field of the same name.
 */
export interface JobSpec {
  /**
   * 1 to 128 Unicode code points, not only white space.
   */
  'name'?: (string);
  /**
   * When the job runs. Required.
   */
  'schedule'?: (_k1s0_system_scheduler_v2_Schedule | null);
  /**
   * Any JSON value of at most 1,048,576 bytes and 32 levels deep; unset means JSON null.
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
   * At most 64 labels (see "Validation").
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
 * The fields of a job that its owner chooses: what ApplyJob applies and UpdateJob changes. Each
 * field has the limits and defaults of the CreateJobRequest field of the same name.
 */
export interface JobSpec__Output {
  /**
   * 1 to 128 Unicode code points, not only white space.
   */
  'name': (string);
  /**
   * When the job runs. Required.
   */
  'schedule': (_k1s0_system_scheduler_v2_Schedule__Output | null);
  /**
   * Any JSON value of at most 1,048,576 bytes and 32 levels deep; unset means JSON null.
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
   * At most 64 labels (see "Validation").
   */
  'labels': ({[key: string]: string});
  /**
   * What the job's fires do; unset means every default (see "Schedule policies").
   */
  'policy': (_k1s0_system_scheduler_v2_SchedulePolicy__Output | null);
  '_maxRetries'?: "maxRetries";
  '_timeoutSecs'?: "timeoutSecs";
}
