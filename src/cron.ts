// Cron expressions as every k1s0 scheduler reads them: the dialect (checked here, before croner
// sees an expression), the nicknames, and compiling an expression (with croner, loaded on first
// use) into the form that computes fire times.
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

/** One field of the dialect: its name, its bounds, the largest step, and its names if any. */
interface CronField {
  name: string;
  min: number;
  max: number;
  /** What `*` stands for (day-of-week: 0-6, although 7 is also Sunday). */
  starMax: number;
  names?: readonly string[];
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

// The six fields in 6-field order; a 5-field expression has no seconds (they are 0).
const FIELDS: readonly CronField[] = [
  { name: 'second', min: 0, max: 59, starMax: 59 },
  { name: 'minute', min: 0, max: 59, starMax: 59 },
  { name: 'hour', min: 0, max: 23, starMax: 23 },
  { name: 'day-of-month', min: 1, max: 31, starMax: 31 },
  { name: 'month', min: 1, max: 12, starMax: 12, names: MONTH_NAMES },
  { name: 'day-of-week', min: 0, max: 7, starMax: 6, names: DAY_NAMES },
];

// The longest day-of-month of each month (February: 29, in leap years).
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A cron expression outside the dialect: the message says what is wrong, without the expression. */
export class CronDialectError extends Error {
  override readonly name = 'CronDialectError';
  /** The rule broken, for ErrorInfo's `limit` (`MIN..MAX` for a value or step, else a short phrase). */
  readonly limit: string;
  constructor(message: string, limit = 'the cron dialect') {
    super(message);
    this.limit = limit;
  }
}

const DIGITS = /^[0-9]{1,2}$/;
const NAME = /^[A-Za-z]{3}$/;

function valueOf(text: string, field: CronField): number {
  if (DIGITS.test(text)) {
    const n = Number(text);
    if (n < field.min || n > field.max) throw new CronDialectError(`${field.name} value ${text} is out of range ${field.min}-${field.max}`, `${field.min}..${field.max}`);
    return n;
  }
  if (NAME.test(text) && field.names !== undefined) {
    const i = field.names.indexOf(text.toUpperCase());
    if (i >= 0) return field.name === 'month' ? i + 1 : i;
  }
  if (/[LW#?H]/i.test(text) && !NAME.test(text)) {
    throw new CronDialectError(`${field.name} '${text}' uses L, W, #, ? or H, which the dialect does not have`);
  }
  if (field.names !== undefined && NAME.test(text)) {
    throw new CronDialectError(`${field.name} '${text}' is not a name; use ${field.names.join(' ')}`);
  }
  const expected = field.names === undefined ? 'a number of 1 or 2 digits' : `a number of 1 or 2 digits or a name (${field.names[0]}-${field.names.at(-1)})`;
  throw new CronDialectError(`${field.name} '${text}' is not ${expected}`);
}

function stepOf(text: string, field: CronField): number {
  if (!DIGITS.test(text)) throw new CronDialectError(`${field.name} step '${text}' is not a number of 1 or 2 digits`);
  const n = Number(text);
  const largest = field.name === 'day-of-week' ? 7 : field.max;
  if (n < 1 || n > largest) throw new CronDialectError(`${field.name} step ${text} is out of range 1-${largest}`, `1..${largest}`);
  return n;
}

function parseField(text: string, field: CronField): number[] {
  const values = new Set<number>();
  if (text === '') throw new CronDialectError(`${field.name} is empty`);
  for (const item of text.split(',')) {
    if (item === '') throw new CronDialectError(`${field.name} '${text}' has an empty list item`);
    const slash = item.split('/');
    if (slash.length > 2) throw new CronDialectError(`${field.name} '${item}' has more than one '/'`);
    const [range, stepText] = slash as [string, string | undefined];
    const step = stepText === undefined ? 1 : stepOf(stepText, field);
    let low: number;
    let high: number;
    if (range === '*') {
      low = field.min;
      high = field.starMax;
    } else {
      const dash = range.split('-');
      if (dash.length > 2) throw new CronDialectError(`${field.name} '${item}' has more than one '-'`);
      if (dash.length === 1) {
        if (stepText !== undefined) {
          throw new CronDialectError(`${field.name} '${item}': a step needs '*' or a range before it ('*/${stepText}' or 'a-b/${stepText}')`);
        }
        low = high = valueOf(range, field);
      } else {
        low = valueOf(dash[0]!, field);
        high = valueOf(dash[1]!, field);
        if (low > high) throw new CronDialectError(`${field.name} range '${range}' ends before it starts`);
      }
    }
    for (let v = low; v <= high; v += step) values.add(field.name === 'day-of-week' && v === 7 ? 0 : v);
  }
  return [...values].sort((a, b) => a - b);
}

const SEPARATOR = /[ \t]+/;

/**
 * Checks a cron expression against the contract's dialect (the `cron` row of the proto's
 * Validation table): 5 fields, 6 with seconds first, or one of the {@link CRON_NICKNAMES}, fields
 * separated by spaces or tabs, no white space before or after, no `L`, `W`, `#`, `?` or `H`, and a
 * day the expression can fire on.
 * @throws {CronDialectError} naming the field and what is wrong.
 */
function checkCronDialect(expression: string): void {
  if (expression === '') throw new CronDialectError('is empty');
  if (/^[ \t]|[ \t]$/.test(expression)) throw new CronDialectError('has white space before the first or after the last field');
  const bad = /[^ \t0-9A-Za-z*,\-/@]/u.exec(expression)?.[0];
  if (bad === '#' || bad === '?') throw new CronDialectError(`contains '${bad}'; the dialect has no L, W, #, ? or H`);
  if (bad !== undefined) {
    const code = bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new CronDialectError(`contains U+${code}; fields are separated by spaces or tabs and use only digits, names, '*', ',', '-' and '/'`);
  }
  let text = expression;
  if (expression.includes('@')) {
    const expanded = CRON_NICKNAMES[expression];
    if (expanded === undefined) throw new CronDialectError(`is not one of ${Object.keys(CRON_NICKNAMES).join(', ')} (a nickname is lower case and stands alone)`, Object.keys(CRON_NICKNAMES).join(', '));
    text = expanded;
  }
  const parts = text.split(SEPARATOR);
  if (parts.length !== 5 && parts.length !== 6) throw new CronDialectError(`must have 5 fields, or 6 with seconds first; got ${parts.length}`, '5 or 6 fields');
  const fields = parts.length === 5 ? ['0', ...parts] : parts;
  const values = fields.map((f, i) => parseField(f, FIELDS[i]!));
  const domRestricted = fields[3] !== '*';
  const dowRestricted = fields[5] !== '*';
  if (domRestricted && !dowRestricted) {
    const months = values[4]!;
    const days = values[3]!;
    if (!months.some((m) => days[0]! <= MONTH_DAYS[m - 1]!)) {
      throw new CronDialectError(`never fires: day-of-month ${fields[3]} does not occur in month ${fields[4]}`, 'at least one future run');
    }
  }
}

/**
 * Checks a cron expression against the dialect; `undefined` when it is inside it, otherwise what is
 * wrong (naming the field) and the rule broken, for an INVALID_SCHEDULE error.
 */
export function cronDialectProblem(expression: string): { message: string; limit: string } | undefined {
  try {
    checkCronDialect(expression);
    return undefined;
  } catch (error) {
    if (error instanceof CronDialectError) return { message: error.message, limit: error.limit };
    throw error;
  }
}

const CRON_CACHE_LIMIT = 1024;
const cronCache = new Map<string, Cron>();
let CronClass: typeof Cron | undefined;

// croner, loaded when the first cron expression is compiled rather than on import (an interval or
// one-shot schedule never needs it). Compiling is synchronous, so croner is required.
function loadCron(): typeof Cron {
  return (CronClass ??= (createRequire(import.meta.url)('croner') as typeof import('croner')).Cron);
}

/**
 * The parsed form of a cron schedule, cached because many jobs share few expressions. The
 * expression must already be inside the dialect ({@link cronDialectProblem}); croner is never
 * given anything else. Throws croner's own error for an expression it cannot read.
 */
export function compileCron(expression: string, timezone = 'UTC'): Cron {
  const key = `${timezone}\u0000${expression}`;
  let cron = cronCache.get(key);
  if (cron === undefined) {
    const pattern = CRON_NICKNAMES[expression] ?? expression;
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
