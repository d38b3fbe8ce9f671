// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Counters over a job's life (see "Schedule policies", Counters).
 */
export interface JobStats {
  /**
   * Runs started: by fires, held fires and TriggerJob.
   */
  'runs'?: (number | string | Long);
  /**
   * Runs that ended with their last attempt SUCCEEDED.
   */
  'succeeded'?: (number | string | Long);
  /**
   * Runs that ended with their last attempt FAILED.
   */
  'failed'?: (number | string | Long);
  /**
   * Runs that ended with their last attempt TIMED_OUT.
   */
  'timedOut'?: (number | string | Long);
  /**
   * Fires that the overlap policy did not run.
   */
  'skipped'?: (number | string | Long);
  /**
   * Fires that the catch-up rule did not run.
   */
  'missed'?: (number | string | Long);
}

/**
 * Counters over a job's life (see "Schedule policies", Counters).
 */
export interface JobStats__Output {
  /**
   * Runs started: by fires, held fires and TriggerJob.
   */
  'runs': (string);
  /**
   * Runs that ended with their last attempt SUCCEEDED.
   */
  'succeeded': (string);
  /**
   * Runs that ended with their last attempt FAILED.
   */
  'failed': (string);
  /**
   * Runs that ended with their last attempt TIMED_OUT.
   */
  'timedOut': (string);
  /**
   * Fires that the overlap policy did not run.
   */
  'skipped': (string);
  /**
   * Fires that the catch-up rule did not run.
   */
  'missed': (string);
}
