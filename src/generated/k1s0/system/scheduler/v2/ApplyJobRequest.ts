// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { JobSpec as _k1s0_system_scheduler_v2_JobSpec, JobSpec__Output as _k1s0_system_scheduler_v2_JobSpec__Output } from '../../../../k1s0/system/scheduler/v2/JobSpec';
import type { Long } from '@grpc/proto-loader';

/**
 * The request of ApplyJob.
 */
export interface ApplyJobRequest {
  /**
   * The key of the job to create or update: 1 to 128 Unicode code points, not only white space.
   */
  'key'?: (string);
  /**
   * What the job must be. Required; its fields are checked as CreateJob's are.
   */
  'spec'?: (_k1s0_system_scheduler_v2_JobSpec | null);
  /**
   * When true, nothing changes: the response says what the call would do.
   */
  'dryRun'?: (boolean);
  /**
   * When set: 0 means no job may have the key yet; another value is the revision the job with the
   * key must have. Otherwise CONFLICT. A negative value is an INVALID_ARGUMENT
   * ("0..9223372036854775807").
   */
  'expectedRevision'?: (number | string | Long);
  '_expectedRevision'?: "expectedRevision";
}

/**
 * The request of ApplyJob.
 */
export interface ApplyJobRequest__Output {
  /**
   * The key of the job to create or update: 1 to 128 Unicode code points, not only white space.
   */
  'key': (string);
  /**
   * What the job must be. Required; its fields are checked as CreateJob's are.
   */
  'spec': (_k1s0_system_scheduler_v2_JobSpec__Output | null);
  /**
   * When true, nothing changes: the response says what the call would do.
   */
  'dryRun': (boolean);
  /**
   * When set: 0 means no job may have the key yet; another value is the revision the job with the
   * key must have. Otherwise CONFLICT. A negative value is an INVALID_ARGUMENT
   * ("0..9223372036854775807").
   */
  'expectedRevision'?: (string);
  '_expectedRevision'?: "expectedRevision";
}
