// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { JobSpec as _k1s0_system_scheduler_v2_JobSpec, JobSpec__Output as _k1s0_system_scheduler_v2_JobSpec__Output } from '../../../../k1s0/system/scheduler/v2/JobSpec';
import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from '../../../../google/protobuf/FieldMask';
import type { Long } from '@grpc/proto-loader';

/**
 * The request of UpdateJob. Exactly one of job_id and key is set.
 */
export interface UpdateJobRequest {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId'?: (string);
  /**
   * The job's key, instead of job_id.
   */
  'key'?: (string);
  /**
   * The new values of the fields named in update_mask; its other fields are ignored.
   */
  'spec'?: (_k1s0_system_scheduler_v2_JobSpec | null);
  /**
   * The JobSpec fields to change: paths among "name", "schedule", "payload", "max_retries",
   * "timeout_secs", "labels" and "policy", each at most once, at least one.
   */
  'updateMask'?: (_google_protobuf_FieldMask | null);
  /**
   * When set, the revision the job must have. Otherwise CONFLICT. 0 or less is an INVALID_ARGUMENT
   * ("1..9223372036854775807").
   */
  'expectedRevision'?: (number | string | Long);
  '_expectedRevision'?: "expectedRevision";
}

/**
 * The request of UpdateJob. Exactly one of job_id and key is set.
 */
export interface UpdateJobRequest__Output {
  /**
   * The job's id; 1 to 128 characters.
   */
  'jobId': (string);
  /**
   * The job's key, instead of job_id.
   */
  'key': (string);
  /**
   * The new values of the fields named in update_mask; its other fields are ignored.
   */
  'spec': (_k1s0_system_scheduler_v2_JobSpec__Output | null);
  /**
   * The JobSpec fields to change: paths among "name", "schedule", "payload", "max_retries",
   * "timeout_secs", "labels" and "policy", each at most once, at least one.
   */
  'updateMask': (_google_protobuf_FieldMask__Output | null);
  /**
   * When set, the revision the job must have. Otherwise CONFLICT. 0 or less is an INVALID_ARGUMENT
   * ("1..9223372036854775807").
   */
  'expectedRevision'?: (string);
  '_expectedRevision'?: "expectedRevision";
}
