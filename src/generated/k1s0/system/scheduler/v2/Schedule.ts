// Original file: proto/k1s0/system/scheduler/v2/scheduler.proto

import type { CronSchedule as _k1s0_system_scheduler_v2_CronSchedule, CronSchedule__Output as _k1s0_system_scheduler_v2_CronSchedule__Output } from '../../../../k1s0/system/scheduler/v2/CronSchedule';
import type { OneShotSchedule as _k1s0_system_scheduler_v2_OneShotSchedule, OneShotSchedule__Output as _k1s0_system_scheduler_v2_OneShotSchedule__Output } from '../../../../k1s0/system/scheduler/v2/OneShotSchedule';
import type { IntervalSchedule as _k1s0_system_scheduler_v2_IntervalSchedule, IntervalSchedule__Output as _k1s0_system_scheduler_v2_IntervalSchedule__Output } from '../../../../k1s0/system/scheduler/v2/IntervalSchedule';

/**
 * When a job runs. Exactly one kind must be set; an unset kind is an INVALID_SCHEDULE.
 */
export interface Schedule {
  /**
   * Recurring, on a cron expression.
   */
  'cron'?: (_k1s0_system_scheduler_v2_CronSchedule | null);
  /**
   * Once, at a point in time.
   */
  'oneShot'?: (_k1s0_system_scheduler_v2_OneShotSchedule | null);
  /**
   * Recurring, every fixed duration.
   */
  'interval'?: (_k1s0_system_scheduler_v2_IntervalSchedule | null);
  /**
   * The kind of schedule.
   */
  'kind'?: "cron"|"oneShot"|"interval";
}

/**
 * When a job runs. Exactly one kind must be set; an unset kind is an INVALID_SCHEDULE.
 */
export interface Schedule__Output {
  /**
   * Recurring, on a cron expression.
   */
  'cron'?: (_k1s0_system_scheduler_v2_CronSchedule__Output | null);
  /**
   * Once, at a point in time.
   */
  'oneShot'?: (_k1s0_system_scheduler_v2_OneShotSchedule__Output | null);
  /**
   * Recurring, every fixed duration.
   */
  'interval'?: (_k1s0_system_scheduler_v2_IntervalSchedule__Output | null);
  /**
   * The kind of schedule.
   */
  'kind'?: "cron"|"oneShot"|"interval";
}
