import { createRequire } from 'node:module';
import type { Cron } from 'croner';
import type { z } from 'zod';
import type { ScheduleSchema } from './validation.js';

/**
 * When a job runs: a cron expression in a time zone, once at a point in time, or at a fixed
 * interval. Build one with {@link Schedule.cron}, {@link Schedule.oneShot} or {@link Schedule.interval}.
 * The input of {@link ScheduleSchema}, whose fields carry the documentation and the limits.
 */
export type Schedule = z.input<typeof ScheduleSchema>;

/** The cron nicknames every k1s0 scheduler accepts, and the expressions they stand for. */
export const CRON_NICKNAMES: Readonly<Record<string, string>> = Object.freeze({
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
});

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

const CRON_CACHE_LIMIT = 1024;
const cronCache = new Map<string, Cron>();
let CronClass: typeof Cron | undefined;

// croner, loaded when the first cron expression is compiled rather than on import (an interval or
// one-shot schedule never needs it). Compiling is synchronous, so croner is required.
function loadCron(): typeof Cron {
  return (CronClass ??= (createRequire(import.meta.url)('croner') as typeof import('croner')).Cron);
}

/**
 * The parsed form of a cron schedule, cached because many jobs share few expressions. Throws
 * croner's own error for an expression it cannot read; validation turns that into INVALID_SCHEDULE.
 */
export function compileCron(expression: string, timezone = 'UTC'): Cron {
  const key = `${timezone}\u0000${expression}`;
  let cron = cronCache.get(key);
  if (cron === undefined) {
    const pattern = CRON_NICKNAMES[expression.trim()] ?? expression;
    const Cron = loadCron();
    cron = new Cron(pattern, { paused: true, timezone, mode: '5-or-6-parts', legacyMode: true });
    if (cronCache.size >= CRON_CACHE_LIMIT) {
      const oldest = cronCache.keys().next().value as string;
      cronCache.delete(oldest);
    }
    cronCache.set(key, cron);
  }
  return cron;
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
