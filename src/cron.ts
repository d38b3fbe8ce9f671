// Cron expressions as every k1s0 scheduler reads them: the nicknames, and compiling an expression
// (with croner, loaded on first use) into the form that computes fire times.
import { createRequire } from 'node:module';
import type { Cron } from 'croner';

/** The cron nicknames every k1s0 scheduler accepts, and the expressions they stand for. */
export const CRON_NICKNAMES: Readonly<Record<string, string>> = Object.freeze({
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
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
