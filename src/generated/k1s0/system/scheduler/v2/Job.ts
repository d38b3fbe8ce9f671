// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Schedule as _k1s0_system_scheduler_v2_Schedule, Schedule__Output as _k1s0_system_scheduler_v2_Schedule__Output } from '../../../../k1s0/system/scheduler/v2/Schedule';
import type { JobStatus as _k1s0_system_scheduler_v2_JobStatus, JobStatus__Output as _k1s0_system_scheduler_v2_JobStatus__Output } from '../../../../k1s0/system/scheduler/v2/JobStatus';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../../../google/protobuf/Value';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

/**
 * A scheduled job.
 */
export interface Job {
  /**
   * Server-assigned, unique, at most 128 characters. Opaque to clients.
   */
  'id'?: (string);
  /**
   * The name given at creation. 1 to 128 Unicode code points.
   */
  'name'?: (string);
  /**
   * When the job runs.
   */
  'schedule'?: (_k1s0_system_scheduler_v2_Schedule | null);
  /**
   * Where the job is in its lifecycle.
   */
  'status'?: (_k1s0_system_scheduler_v2_JobStatus);
  /**
   * The JSON value given at creation, handed to every run. Unset is read as JSON null.
   */
  'payload'?: (_google_protobuf_Value | null);
  /**
   * How many times a failed or timed-out attempt is retried (0 to 100).
   */
  'maxRetries'?: (number);
  /**
   * How long one attempt may run before it counts as TIMED_OUT (1 to 86,400 seconds).
   */
  'timeoutSecs'?: (number);
  /**
   * When the job was created, by the server's clock.
   */
  'createdAt'?: (_google_protobuf_Timestamp | null);
  /**
   * When the job next fires. Unset for PAUSED, COMPLETED, FAILED and CANCELLED jobs and for a
   * RUNNING one-shot job.
   */
  'nextRunAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The key given at creation; empty when the job has none. Unique among the jobs that exist.
   */
  'key'?: (string);
  /**
   * The job's labels (see "Validation" for their limits).
   */
  'labels'?: ({[key: string]: string});
  /**
   * 1 at creation, 1 more after every change a caller makes (see "Keys, revisions and labels").
   */
  'revision'?: (number | string | Long);
  /**
   * When the revision last changed, by the server's clock; created_at for revision 1.
   */
  'updatedAt'?: (_google_protobuf_Timestamp | null);
}

/**
 * A scheduled job.
 */
export interface Job__Output {
  /**
   * Server-assigned, unique, at most 128 characters. Opaque to clients.
   */
  'id': (string);
  /**
   * The name given at creation. 1 to 128 Unicode code points.
   */
  'name': (string);
  /**
   * When the job runs.
   */
  'schedule': (_k1s0_system_scheduler_v2_Schedule__Output | null);
  /**
   * Where the job is in its lifecycle.
   */
  'status': (_k1s0_system_scheduler_v2_JobStatus__Output);
  /**
   * The JSON value given at creation, handed to every run. Unset is read as JSON null.
   */
  'payload': (_google_protobuf_Value__Output | null);
  /**
   * How many times a failed or timed-out attempt is retried (0 to 100).
   */
  'maxRetries': (number);
  /**
   * How long one attempt may run before it counts as TIMED_OUT (1 to 86,400 seconds).
   */
  'timeoutSecs': (number);
  /**
   * When the job was created, by the server's clock.
   */
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * When the job next fires. Unset for PAUSED, COMPLETED, FAILED and CANCELLED jobs and for a
   * RUNNING one-shot job.
   */
  'nextRunAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The key given at creation; empty when the job has none. Unique among the jobs that exist.
   */
  'key': (string);
  /**
   * The job's labels (see "Validation" for their limits).
   */
  'labels': ({[key: string]: string});
  /**
   * 1 at creation, 1 more after every change a caller makes (see "Keys, revisions and labels").
   */
  'revision': (string);
  /**
   * When the revision last changed, by the server's clock; created_at for revision 1.
   */
  'updatedAt': (_google_protobuf_Timestamp__Output | null);
}
