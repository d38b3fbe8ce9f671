// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Schedule as _k1s0_system_scheduler_v2_Schedule, Schedule__Output as _k1s0_system_scheduler_v2_Schedule__Output } from '../../../../k1s0/system/scheduler/v2/Schedule';
import type { JobStatus as _k1s0_system_scheduler_v2_JobStatus, JobStatus__Output as _k1s0_system_scheduler_v2_JobStatus__Output } from '../../../../k1s0/system/scheduler/v2/JobStatus';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../../../google/protobuf/Value';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../../google/protobuf/Timestamp';
import type { SchedulePolicy as _k1s0_system_scheduler_v2_SchedulePolicy, SchedulePolicy__Output as _k1s0_system_scheduler_v2_SchedulePolicy__Output } from '../../../../k1s0/system/scheduler/v2/SchedulePolicy';
import type { JobStats as _k1s0_system_scheduler_v2_JobStats, JobStats__Output as _k1s0_system_scheduler_v2_JobStats__Output } from '../../../../k1s0/system/scheduler/v2/JobStats';
import type { ExecutionResult as _k1s0_system_scheduler_v2_ExecutionResult, ExecutionResult__Output as _k1s0_system_scheduler_v2_ExecutionResult__Output } from '../../../../k1s0/system/scheduler/v2/ExecutionResult';
import type { JobExecution as _k1s0_system_scheduler_v2_JobExecution, JobExecution__Output as _k1s0_system_scheduler_v2_JobExecution__Output } from '../../../../k1s0/system/scheduler/v2/JobExecution';
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
  /**
   * The job's policy, with overlap and retry_backoff filled in (see "Schedule policies").
   */
  'policy'?: (_k1s0_system_scheduler_v2_SchedulePolicy | null);
  /**
   * The note of the last PauseJob or ResumeJob that changed the status, or the scheduler's reason
   * when it paused the job on failure; empty otherwise.
   */
  'statusNote'?: (string);
  /**
   * What the job's fires and runs have done so far.
   */
  'stats'?: (_k1s0_system_scheduler_v2_JobStats | null);
  /**
   * When the last run that ended started (its first attempt's started_at). Unset until a run ends.
   */
  'lastRunAt'?: (_google_protobuf_Timestamp | null);
  /**
   * The result of the last run that ended (its last attempt's). Unspecified until a run ends.
   */
  'lastResult'?: (_k1s0_system_scheduler_v2_ExecutionResult);
  /**
   * The attempts in flight, oldest first (more than one only with ALLOW_ALL).
   */
  'runningExecutions'?: (_k1s0_system_scheduler_v2_JobExecution)[];
  /**
   * With max_runs set, max_runs minus the runs started, or 0 when at least max_runs runs have
   * started (max_runs lowered below them); 0 without max_runs.
   */
  'remainingRuns'?: (number);
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
  /**
   * The job's policy, with overlap and retry_backoff filled in (see "Schedule policies").
   */
  'policy': (_k1s0_system_scheduler_v2_SchedulePolicy__Output | null);
  /**
   * The note of the last PauseJob or ResumeJob that changed the status, or the scheduler's reason
   * when it paused the job on failure; empty otherwise.
   */
  'statusNote': (string);
  /**
   * What the job's fires and runs have done so far.
   */
  'stats': (_k1s0_system_scheduler_v2_JobStats__Output | null);
  /**
   * When the last run that ended started (its first attempt's started_at). Unset until a run ends.
   */
  'lastRunAt': (_google_protobuf_Timestamp__Output | null);
  /**
   * The result of the last run that ended (its last attempt's). Unspecified until a run ends.
   */
  'lastResult': (_k1s0_system_scheduler_v2_ExecutionResult__Output);
  /**
   * The attempts in flight, oldest first (more than one only with ALLOW_ALL).
   */
  'runningExecutions': (_k1s0_system_scheduler_v2_JobExecution__Output)[];
  /**
   * With max_runs set, max_runs minus the runs started, or 0 when at least max_runs runs have
   * started (max_runs lowered below them); 0 without max_runs.
   */
  'remainingRuns': (number);
}
