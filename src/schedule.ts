import { compileCron } from './cron.js';
import { LIMITS } from './limits.js';
import type { ScheduleInput } from './validation.js';

export { CRON_NICKNAMES } from './cron.js';

/**
 * When a job runs: a cron expression in a time zone, once at a point in time, or at a fixed
 * interval. Build one with {@link Schedule.cron}, {@link Schedule.oneShot} or {@link Schedule.interval}.
 * The input of `ScheduleSchema`, whose fields carry the documentation and the limits.
 */
export type Schedule = ScheduleInput;

/** Options of {@link Schedule.cron}. */
export interface CronOptions {
  /** The IANA time zone the expression is read in, for example `'Europe/Berlin'`. @default 'UTC' */
  timezone?: string;
}

/** Builders for {@link Schedule} values. They build; validation happens at `createJob`. */
export const Schedule = Object.freeze({
  /**
   * A recurring schedule on a cron expression: 5 fields, 6 with seconds first, or one of
   * `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`.
   *
   * @example Schedule.cron('0 9 * * MON-FRI', { timezone: 'Asia/Tokyo' })
   */
  cron(expression: string, options: CronOptions = {}): Schedule {
    return options.timezone === undefined
      ? { type: 'cron', expression }
      : { type: 'cron', expression, timezone: options.timezone };
  },
  /**
   * A schedule that runs once at `runAt` (no more than 1 s in the past when the job is created).
   * A number is read as milliseconds since the epoch.
   */
  oneShot(runAt: Date | number): Schedule {
    return { type: 'one_shot', runAt: new Date(runAt) };
  },
  /** A recurring schedule every `intervalMs` milliseconds (an integer, at least 1000). */
  interval(intervalMs: number): Schedule {
    return { type: 'interval', intervalMs };
  },
});

/**
 * The next fire after `afterMs` as the scheduler plans it, or `undefined` when there is none within
 * the Timestamp range: a recurring job whose next run would fall after 9999-12-31T23:59:59.999Z has
 * run for the last time and completes, as a cron expression with no further match does.
 */
export function plannedFireAfter(schedule: Schedule, afterMs: number): number | undefined {
  const next = nextFireAfter(schedule, afterMs);
  return next === undefined || next > LIMITS.timestampMaxMs ? undefined : next;
}

/**
 * The first time strictly after `afterMs` at which a schedule fires, in epoch milliseconds, or
 * `undefined` if it never fires again. For an interval, the next fire is one interval after
 * `afterMs` (the previous fire). The schedule must already be valid.
 */
export function nextFireAfter(schedule: Schedule, afterMs: number): number | undefined {
  switch (schedule.type) {
    case 'cron':
      return compileCron(schedule.expression, schedule.timezone || 'UTC').nextRun(new Date(afterMs))?.getTime();
    case 'one_shot': {
      const at = schedule.runAt.getTime();
      return at > afterMs ? at : undefined;
    }
    case 'interval':
      return afterMs + schedule.intervalMs;
  }
}
