import { SchedulerError } from './errors.js';
import { plannedFireAfter, type Schedule } from './schedule.js';
import { LIMITS } from './limits.js';
import { checkIntegerArgument, validateSchedule } from './validation.js';

/**
 * Previews the next `count` fire times of a schedule after `from`, offline and without a server.
 * Cron expressions are read in their time zone, so daylight-saving changes come out as the
 * scheduler will run them (the rules at `CronSchedule` in the proto): a fixed local time (one value
 * each for seconds, minutes and hours, without `*` or `/`) that does not exist runs at the instant
 * of the change if that is on the same local date, and one that occurs twice runs once, at the
 * earlier instant; any other expression skips the missing times and runs at both instants of a
 * repeated time.
 *
 * No run after 9999-12-31T23:59:59.999Z is listed: the scheduler plans none (the Timestamp range).
 *
 * @param schedule the schedule to preview; it is validated first (a one-shot in the past previews
 *   as no runs rather than an error).
 * @param from the instant to start after. @default now
 * @param count how many fire times, 1 to `LIMITS.nextRunsMax` (1000). @default 10
 * @throws {SchedulerError} `INVALID_SCHEDULE` for a bad schedule, `INVALID_ARGUMENT` for a bad count.
 * @example nextRuns(Schedule.cron('30 2 * * *', { timezone: 'Europe/Berlin' }), new Date(), 3)
 */
export function nextRuns(schedule: Schedule, from: Date = new Date(), count = 10): Date[] {
  checkIntegerArgument(count, 1, LIMITS.nextRunsMax, { operation: 'nextRuns', field: 'count' });
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) {
    throw new SchedulerError('INVALID_ARGUMENT', 'nextRuns: from must be a valid Date', { operation: 'nextRuns', field: 'from' });
  }
  const valid = validateSchedule(schedule, 'nextRuns');
  const runs: Date[] = [];
  let after = from.getTime();
  while (runs.length < count) {
    // As the scheduler plans them: no run after 9999-12-31T23:59:59.999Z (the Timestamp range).
    const next = plannedFireAfter(valid, after);
    if (next === undefined) break;
    runs.push(new Date(next));
    after = next;
  }
  return runs;
}
