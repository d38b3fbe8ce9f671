// Writes proto/testdata/cron/corpus.json: cron cases (expression, time zone, start instant, the
// next 5 fire instants) and expressions every implementation must refuse. Deterministic: the
// cases are listed or derived from the time-zone rules below, never from the current time.
//
//   npx tsx scripts/gen-cron-corpus.ts
//
// The instants come from the TypeScript nextRuns; they are not trusted for that: the hand-computed
// tests in __tests__/schedule.test.ts and the independent Python (croniter) and Go (robfig/cron)
// checkers in conformance/ must produce every case too.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Schedule, SchedulerError, nextRuns } from '../src/index.js';
import { protoRoot } from '../src/wire/proto-files.js';

const RUNS = 5;
const MIN = 60_000;
const HOUR = 60 * MIN;

interface Case {
  name: string;
  expression: string;
  timezone: string;
  start: string;
  next: string[];
}

interface Invalid {
  expression: string;
  why: string;
}

const cases: Case[] = [];
const seen = new Set<string>();

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function add(name: string, expression: string, timezone: string, start: number | string): void {
  const startMs = typeof start === 'string' ? Date.parse(start) : start;
  const key = `${expression}\u0000${timezone}\u0000${startMs}`;
  if (seen.has(key)) return;
  seen.add(key);
  const next = nextRuns(Schedule.cron(expression, { timezone }), new Date(startMs), RUNS).map((d) => d.toISOString());
  if (next.length !== RUNS) throw new Error(`${name}: ${expression} ${timezone} gave ${next.length} runs`);
  cases.push({ name, expression, timezone, start: iso(startMs), next });
}

// --- Time-zone offsets and transitions, read from the runtime's tz database ---------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The UTC offset of a zone at an instant, in milliseconds (east positive). */
function offsetMs(timeZone: string, ms: number): number {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(ms / 1000) * 1000;
}

interface Transition {
  at: number; // the first instant of the new offset
  before: number; // offset before, ms
  after: number; // offset after, ms
}

/** The offset changes of a zone in [from, to), found by a 6-hour scan and a binary search to the second. */
function transitions(timeZone: string, from: string, to: string): Transition[] {
  const out: Transition[] = [];
  const end = Date.parse(to);
  let t = Date.parse(from);
  let off = offsetMs(timeZone, t);
  const step = 6 * HOUR;
  while (t < end) {
    const u = t + step;
    const offU = offsetMs(timeZone, u);
    if (offU !== off) {
      let lo = t;
      let hi = u;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetMs(timeZone, mid) === off) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, before: off, after: offU });
    }
    t = u;
    off = offU;
  }
  return out;
}

/** `s m h` of a wall-clock time given as ms since a UTC midnight-based epoch. */
function hms(wallMs: number): [number, number, number] {
  const d = new Date(wallMs);
  return [d.getUTCSeconds(), d.getUTCMinutes(), d.getUTCHours()];
}

/** A cron expression firing daily at a fixed local time: 5 fields when the second is 0. */
function daily(wallMs: number): string {
  const [s, m, h] = hms(wallMs);
  return s === 0 ? `${m} ${h} * * *` : `${s} ${m} ${h} * * *`;
}

const DST_ZONES: [string, string, string][] = [
  ['Europe/Berlin', '2026-01-01', '2027-01-01'],
  ['Europe/London', '2026-01-01', '2027-01-01'],
  ['America/New_York', '2026-01-01', '2027-01-01'],
  ['America/St_Johns', '2026-01-01', '2027-01-01'],
  ['America/Sao_Paulo', '2018-01-01', '2019-01-01'], // DST until 2019
  ['America/Santiago', '2026-01-01', '2027-01-01'], // changes at local midnight
  ['America/Havana', '2026-01-01', '2027-01-01'], // changes at local midnight
  ['Australia/Sydney', '2026-01-01', '2027-01-01'],
  ['Australia/Lord_Howe', '2026-01-01', '2027-01-01'], // a 30-minute change
  ['Pacific/Chatham', '2026-01-01', '2027-01-01'], // +12:45 / +13:45
  ['Antarctica/Troll', '2026-01-01', '2027-01-01'], // a 2-hour change
  ['Pacific/Apia', '2011-12-01', '2012-01-01'], // 2011-12-30 does not exist
];

for (const [zone, from, to] of DST_ZONES) {
  const found = transitions(zone, from, to);
  if (found.length === 0) throw new Error(`${zone}: no transition in ${from}..${to}`);
  for (const tr of found) {
    const X = tr.at;
    const d = Math.abs(tr.after - tr.before);
    const gap = tr.after > tr.before;
    const kind = gap ? 'gap' : 'repeat';
    const label = `${zone} ${kind} ${iso(X).slice(0, 10)}`;
    // Wall-clock times (as UTC-based ms): the skipped or repeated interval is [first, first + d).
    const first = gap ? X + tr.before : X + tr.after;
    const middle = first + d / 2;
    const [, , gapHour] = hms(first);
    add(`${label}: a fixed time inside the ${kind}`, daily(middle), zone, X - 36 * HOUR);
    add(`${label}: a fixed time at the start of the ${kind}`, daily(first), zone, X - 36 * HOUR);
    add(`${label}: a fixed time just after the ${kind}`, daily(first + d), zone, X - 36 * HOUR);
    add(`${label}: a fixed time just before the ${kind}`, daily(first - MIN), zone, X - 36 * HOUR);
    add(`${label}: hourly across the ${kind}`, '0 * * * *', zone, X - 150 * MIN);
    add(`${label}: every 15 minutes across the ${kind}`, '*/15 * * * *', zone, X - 40 * MIN);
    add(`${label}: every 10 minutes of the hour of the ${kind}`, `*/10 ${gapHour} * * *`, zone, X - 4 * HOUR);
    add(`${label}: two minutes of the hour of the ${kind} (not a fixed time)`, `0,30 ${gapHour} * * *`, zone, X - 36 * HOUR);
    add(`${label}: every 20 seconds across the ${kind}`, '*/20 * * * * *', zone, X - 50_000);
    add(`${label}: @daily`, '@daily', zone, X - 36 * HOUR);
    add(`${label}: every 2 hours across the ${kind}`, '0 */2 * * *', zone, X - 5 * HOUR);
    if (!gap) {
      add(`${label}: a fixed time, starting inside its first occurrence`, daily(middle + d / 4), zone, X - d / 2);
      add(`${label}: a fixed time, starting inside its second occurrence`, daily(middle + d / 4), zone, X + d / 4);
      add(`${label}: every 15 minutes, starting inside the first occurrence`, '*/15 * * * *', zone, X - d / 2 + 1);
      add(`${label}: every 15 minutes, starting inside the second occurrence`, '*/15 * * * *', zone, X + 1);
    } else {
      add(`${label}: every minute, starting just before the gap`, '* * * * *', zone, X - 150_000);
      add(`${label}: a fixed second inside the gap`, `${hms(middle)[0] || 7} ${hms(middle)[1]} ${hms(middle)[2]} * * *`, zone, X - 36 * HOUR);
    }
  }
}

// --- Fixed times on the day of a change, restricted by day or month --------------------------------
add('Europe/Berlin gap 2026-03-29: Sundays at 02:30', '30 2 * * SUN', 'Europe/Berlin', '2026-03-20T00:00:00.000Z');
add('Europe/Berlin gap 2026-03-29: March 29 at 02:30 each year', '30 2 29 3 *', 'Europe/Berlin', '2026-01-01T00:00:00.000Z');
add('Europe/Berlin repeat 2026-10-25: Sundays at 02:30', '30 2 * * 0', 'Europe/Berlin', '2026-10-20T00:00:00.000Z');
add('America/New_York gap 2026-03-08: hours 1-3 (not a fixed time)', '0 1-3 * * *', 'America/New_York', '2026-03-07T12:00:00.000Z');
add('America/New_York repeat 2026-11-01: hours 1-3 (not a fixed time)', '0 1-3 * * *', 'America/New_York', '2026-10-31T12:00:00.000Z');
add('America/New_York gap 2026-03-08: hour range 2-2 is a fixed time', '30 2-2 * * *', 'America/New_York', '2026-03-07T12:00:00.000Z');
add('America/New_York repeat 2026-11-01: 01:30:15 with seconds', '15 30 1 * * *', 'America/New_York', '2026-10-31T12:00:00.000Z');
add('Australia/Sydney gap 2026-10-04: weekdays 02:30 (the change is on a Sunday)', '30 2 * * MON-FRI', 'Australia/Sydney', '2026-10-01T00:00:00.000Z');
add('Australia/Sydney repeat 2026-04-05: Sundays 02:30', '30 2 * * SUN', 'Australia/Sydney', '2026-03-30T00:00:00.000Z');

// --- Offsets that are not whole hours, without daylight saving -------------------------------------
for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham', 'Australia/Eucla', 'UTC', 'Asia/Tokyo']) {
  add(`${zone}: daily at 09:00`, '0 9 * * *', zone, '2026-06-01T00:00:00.000Z');
  add(`${zone}: hourly at :30`, '30 * * * *', zone, '2026-06-01T00:00:00.000Z');
  add(`${zone}: every 45th minute`, '45 * * * *', zone, '2026-02-28T20:00:00.000Z');
  add(`${zone}: local midnight at a year end`, '0 0 * * *', zone, '2026-12-30T12:00:00.000Z');
  add(`${zone}: weekdays 08:30`, '30 8 * * MON-FRI', zone, '2026-03-05T00:00:00.000Z');
}

// --- Nicknames -----------------------------------------------------------------------------------
for (const zone of ['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/New_York']) {
  for (const nick of ['@hourly', '@daily', '@weekly', '@monthly', '@yearly']) {
    add(`${nick} in ${zone}`, nick, zone, '2026-11-23T12:34:56.789Z');
  }
}

// --- Leap days -----------------------------------------------------------------------------------
add('Feb 29 from 2026 (the next ones: 2028, 2032, ...)', '0 0 29 2 *', 'UTC', '2026-01-01T00:00:00.000Z');
add('Feb 29 across 2100 (not a leap year)', '0 0 29 2 *', 'UTC', '2096-03-01T00:00:00.000Z');
add('Feb 29 at noon in Kolkata', '0 12 29 2 *', 'Asia/Kolkata', '2027-06-01T00:00:00.000Z');
add('Feb 29 local midnight in Auckland', '0 0 29 2 *', 'Pacific/Auckland', '2028-02-28T00:00:00.000Z');
add('Feb 28 and 29', '0 0 28,29 2 *', 'UTC', '2027-01-01T00:00:00.000Z');
add('Feb 29 or any Monday (OR)', '0 0 29 2 MON', 'UTC', '2028-02-20T00:00:00.000Z');
add('the 29th of every month skips a short February', '0 0 29 * *', 'UTC', '2027-01-15T00:00:00.000Z');
add('the 29th of every month in a leap year', '0 0 29 * *', 'UTC', '2028-01-15T00:00:00.000Z');
add('the 30th of every month', '0 6 30 * *', 'Europe/Berlin', '2026-01-15T00:00:00.000Z');
add('the 31st of every month', '0 0 31 * *', 'UTC', '2026-01-15T00:00:00.000Z');
add('Feb 29 in 6 fields', '30 15 10 29 2 *', 'America/New_York', '2027-12-31T00:00:00.000Z');
add('every day of February in a leap year', '0 0 * 2 *', 'UTC', '2028-02-26T12:00:00.000Z');

// --- Day-of-month and day-of-week ----------------------------------------------------------------
const DOM_DOW: [string, string][] = [
  ['0 0 13 * 5', 'the 13th or any Friday (OR)'],
  ['0 0 13 * FRI', 'the 13th or any Friday, by name'],
  ['0 0 1,15 * MON', 'the 1st, the 15th or any Monday'],
  ['0 0 1-7 * 1', 'days 1-7 or any Monday (OR, not the first Monday)'],
  ['0 0 */2 * 1', '*/2 is restricted: odd days or any Monday'],
  ['0 0 */1 * 3', '*/1 is restricted: every day (OR with every day)'],
  ['0 0 1-31 * 3', '1-31 is restricted: every day'],
  ['0 0 * * 3', 'day-of-month * leaves day-of-week alone: Wednesdays'],
  ['0 0 15 * *', 'day-of-week * leaves day-of-month alone: the 15th'],
  ['0 0 10 * 0-7', 'day-of-week 0-7 is every day: OR gives every day'],
  ['0 0 10 * */2', 'day-of-week */2 (Sun, Tue, Thu, Sat) or the 10th'],
  ['0 0 * * 7', 'day-of-week 7 is Sunday'],
  ['0 0 * * 0', 'day-of-week 0 is Sunday'],
  ['0 0 * * 5-7', 'Friday to Sunday by numbers'],
  ['0 0 * * 1-7/3', 'a day-of-week range with a step: Mon, Thu, Sun'],
  ['0 0 * * 0,7', 'Sunday twice'],
  ['0 0 * * */2', 'day-of-week */2: Sun, Tue, Thu, Sat'],
  ['0 9 * * 1-5', 'weekdays'],
  ['0 9 * * SAT,SUN', 'weekends by name'],
  ['0 9 * * sat,Sun', 'names in any case'],
  ['0 0 31 * 1', 'the 31st or any Monday'],
  ['0 0 30 2 MON', 'Feb 30 never exists, but Mondays do (OR)'],
  ['0 0 1 * 6', 'the 1st or any Saturday'],
  ['0 12 8-14 * 2', 'days 8-14 or any Tuesday'],
];
for (const [expr, what] of DOM_DOW) {
  add(what, expr, 'UTC', '2026-02-01T00:00:00.000Z');
  add(`${what}, in Sydney`, expr, 'Australia/Sydney', '2026-09-25T00:00:00.000Z');
}

// --- Month and year ends -------------------------------------------------------------------------
add('the last minute of the year', '59 23 31 12 *', 'UTC', '2026-12-31T23:58:00.000Z');
add('the last second of the year', '59 59 23 31 12 *', 'UTC', '2026-06-01T00:00:00.000Z');
add('new year local midnight in Chatham', '0 0 1 1 *', 'Pacific/Chatham', '2026-12-31T00:00:00.000Z');
add('new year in Kathmandu, starting a millisecond before', '0 0 1 1 *', 'Asia/Kathmandu', '2026-12-31T18:14:59.999Z');
add('new year in New York', '0 0 1 1 *', 'America/New_York', '2026-12-31T12:00:00.000Z');
add('month ends of 30-day months', '0 0 30 4,6,9,11 *', 'UTC', '2026-01-01T00:00:00.000Z');
add('the first of each month at 00:00:01', '1 0 0 1 * *', 'Europe/London', '2026-10-30T00:00:00.000Z');
add('quarterly on the first', '0 0 1 */3 *', 'UTC', '2026-05-17T00:00:00.000Z');
add('December only, every day', '0 12 * 12 *', 'UTC', '2026-11-30T13:00:00.000Z');
add('December 31 and January 1', '0 0 31 12 *', 'Asia/Tokyo', '2026-12-30T00:00:00.000Z');
add('start exactly on a fire time (strictly after)', '0 0 1 * *', 'UTC', '2026-03-01T00:00:00.000Z');
add('start a millisecond before a fire time', '0 0 1 * *', 'UTC', '2026-02-28T23:59:59.999Z');
add('start a millisecond after a fire time', '0 0 1 * *', 'UTC', '2026-03-01T00:00:00.001Z');
add('the year 2099 to 2100', '0 0 1 1 *', 'UTC', '2098-06-01T00:00:00.000Z');
add('months by range', '0 0 1 MAR-MAY *', 'UTC', '2026-04-15T00:00:00.000Z');

// --- Six fields, seconds first -------------------------------------------------------------------
const SIX: [string, string][] = [
  ['*/15 * * * * *', 'every 15 seconds'],
  ['0 0 0 * * *', 'local midnight in 6 fields'],
  ['30 59 23 * * *', '23:59:30'],
  ['0-10/5 * * * * *', 'seconds 0, 5, 10'],
  ['59 * * * * *', 'second 59 of every minute'],
  ['* * * * * *', 'every second'],
  ['5,35 */2 * * * *', 'seconds 5 and 35 of every second minute'],
  ['0 0 12 * * MON-FRI', 'noon on weekdays, 6 fields'],
  ['10-12 0 0 1 1 *', 'three seconds at new year'],
  ['00 00 00 01 01 *', 'two-digit values with leading zeros'],
];
for (const [expr, what] of SIX) {
  add(what, expr, 'UTC', '2026-12-31T23:59:50.250Z');
  add(`${what}, in Kathmandu`, expr, 'Asia/Kathmandu', '2026-03-10T06:14:58.000Z');
}

// --- Steps, ranges, lists, names, separators -----------------------------------------------------
const MISC: [string, string][] = [
  ['*/7 * * * *', 'every 7th minute (restarts each hour)'],
  ['5-50/15 * * * *', 'a minute range with a step'],
  ['0 0-23/6 * * *', 'an hour range with a step'],
  ['0 */5 * * *', 'hours 0, 5, 10, 15, 20'],
  ['0 0 1-31/10 * *', 'days 1, 11, 21, 31'],
  ['0 8-18 * * 1-5', 'office hours on weekdays'],
  ['15,45 * * * *', 'a minute list'],
  ['0 12 * JAN,JUL *', 'month names in a list'],
  ['0 9 1 jan-mar *', 'month names in a range, lower case'],
  ['0 9 * Dec Fri', 'a month and a day name, mixed case'],
  ['0 0 * * MON-FRI/2', 'a day-name range with a step'],
  ['0 0 1 FEB-12/3 *', 'a name and a number in one range'],
  ['0\t9\t*\t*\t*', 'tabs between fields'],
  ['0  9   * *  *', 'several spaces between fields'],
  ['1,2,3,5,8,13,21,34,55 * * * *', 'a long list'],
  ['59 23 * * *', 'a minute before midnight'],
  ['0 0 * * *', 'midnight'],
  ['0 0 */5 * *', 'days 1, 6, 11, 16, 21, 26, 31'],
  ['0 0 1 JAN-DEC/3 *', 'a month-name range with a step'],
  ['*/59 * * * *', 'the largest minute step'],
  ['0 */23 * * *', 'the largest hour step'],
  ['0 0 */31 * *', 'the largest day-of-month step'],
  ['0 0 1 */12 *', 'the largest month step'],
  ['0 0 * * */7', 'the largest day-of-week step'],
  ['30 4 1,15 * 5', 'Vixie cron manual example: 1st, 15th and Fridays'],
  ['0 22 * * 1-5', 'Vixie cron manual example: 22:00 on weekdays'],
  ['23 0-23/2 * * *', 'Vixie cron manual example: 23 minutes after every even hour'],
  ['5 4 * * sun', 'Vixie cron manual example: Sundays 04:05'],
];
for (const [expr, what] of MISC) {
  add(what, expr, 'UTC', '2026-01-30T22:10:00.000Z');
  add(`${what}, in New York`, expr, 'America/New_York', '2026-10-31T22:10:00.000Z');
}

// --- Expressions every implementation refuses ----------------------------------------------------
const INVALID: Invalid[] = [
  { expression: '', why: 'empty' },
  { expression: ' ', why: 'white space only' },
  { expression: '0 0 * *', why: '4 fields' },
  { expression: '0 0 0 * * * *', why: '7 fields (no year field)' },
  { expression: '0 0 1 1 * 2027', why: 'a year as a 6th field' },
  { expression: ' 0 0 * * *', why: 'leading white space' },
  { expression: '0 0 * * * ', why: 'trailing white space' },
  { expression: '0 0 * * *\n', why: 'a trailing newline' },
  { expression: '0\n0 * * *', why: 'a newline between fields' },
  { expression: '0\u00a00 * * *', why: 'a no-break space between fields' },
  { expression: '0\u30000 * * *', why: 'an ideographic space between fields' },
  { expression: '0 0 L * *', why: 'L in day-of-month' },
  { expression: '0 0 * * 5L', why: 'L in day-of-week' },
  { expression: '0 0 LW * *', why: 'LW' },
  { expression: '0 0 15W * *', why: 'W (nearest weekday)' },
  { expression: '0 0 * * 1#2', why: '# (nth weekday)' },
  { expression: '0 0 ? * MON', why: '? in day-of-month' },
  { expression: '0 0 * * ?', why: '? in day-of-week' },
  { expression: 'H * * * *', why: 'H (hashed value)' },
  { expression: '0 H(0-5) * * *', why: 'H with a range' },
  { expression: '60 * * * *', why: 'minute 60' },
  { expression: '0 24 * * *', why: 'hour 24' },
  { expression: '0 0 0 * *', why: 'day-of-month 0' },
  { expression: '0 0 32 * *', why: 'day-of-month 32' },
  { expression: '0 0 * 0 *', why: 'month 0' },
  { expression: '0 0 * 13 *', why: 'month 13' },
  { expression: '0 0 * * 8', why: 'day-of-week 8' },
  { expression: '60 * * * * *', why: 'second 60' },
  { expression: '-1 * * * *', why: 'a negative number' },
  { expression: '+5 * * * *', why: 'a plus sign' },
  { expression: '005 * * * *', why: 'three digits' },
  { expression: '1.5 * * * *', why: 'a decimal point' },
  { expression: '*/0 * * * *', why: 'step 0' },
  { expression: '*/60 * * * *', why: 'a minute step over 59' },
  { expression: '0 */24 * * *', why: 'an hour step over 23' },
  { expression: '0 0 */32 * *', why: 'a day-of-month step over 31' },
  { expression: '0 0 1 */13 *', why: 'a month step over 12' },
  { expression: '0 0 * * */8', why: 'a day-of-week step over 7' },
  { expression: '5/15 * * * *', why: 'a step after a single value (a/n)' },
  { expression: '*/5/2 * * * *', why: 'two steps' },
  { expression: '/5 * * * *', why: 'a step without a start' },
  { expression: '*/ * * * *', why: 'a step without a number' },
  { expression: '0-59/MON * * * *', why: 'a name as a step' },
  { expression: '30-10 * * * *', why: 'a reversed range' },
  { expression: '0 0 * * FRI-SUN', why: 'a reversed day-name range (SUN is 0)' },
  { expression: '0 0 * DEC-JAN *', why: 'a reversed month-name range' },
  { expression: '1-2-3 * * * *', why: 'a range with two dashes' },
  { expression: '1- * * * *', why: 'a range without an end' },
  { expression: '1,,2 * * * *', why: 'an empty list item' },
  { expression: ',1 * * * *', why: 'a list starting with a comma' },
  { expression: '1, * * * *', why: 'a list ending with a comma' },
  { expression: '0 0 * * MONDAY', why: 'a day name longer than 3 letters' },
  { expression: '0 0 * JANUARY *', why: 'a month name longer than 3 letters' },
  { expression: '0 0 * * MO', why: 'a 2-letter day name' },
  { expression: '0 0 MON * *', why: 'a day name in day-of-month' },
  { expression: '0 0 * * JAN', why: 'a month name in day-of-week' },
  { expression: '0 0 * MON *', why: 'a day name in month' },
  { expression: 'JAN * * * *', why: 'a name in minute' },
  { expression: '0 0 30 2 *', why: 'February 30 never happens' },
  { expression: '0 0 31 4,6,9,11 *', why: 'the 31st of 30-day months never happens' },
  { expression: '0 0 31 4 *', why: 'April 31 never happens' },
  { expression: '0 0 30,31 2 *', why: 'February 30 or 31 never happens' },
  { expression: '@annually', why: 'a nickname outside the five' },
  { expression: '@midnight', why: 'a nickname outside the five' },
  { expression: '@reboot', why: 'a nickname outside the five' },
  { expression: '@every 1h', why: 'an interval nickname' },
  { expression: '@Daily', why: 'a nickname in another case' },
  { expression: '@DAILY', why: 'a nickname in upper case' },
  { expression: ' @daily', why: 'a nickname after white space' },
  { expression: '@daily ', why: 'a nickname before white space' },
  { expression: '@daily 0', why: 'a nickname with more text' },
  { expression: '0 0 @daily * *', why: '@ inside a field' },
  { expression: 'TZ=UTC 0 0 * * *', why: 'a time-zone prefix' },
  { expression: 'CRON_TZ=UTC 0 0 * * *', why: 'a time-zone prefix' },
  { expression: '* * * * * * *', why: '7 fields' },
  { expression: '0 0 * * 1 #comment', why: 'a comment' },
  { expression: '０ 0 * * *', why: 'a full-width digit' },
];

// Every invalid expression must be refused here too, or the corpus contradicts itself.
for (const inv of INVALID) {
  try {
    nextRuns(Schedule.cron(inv.expression), new Date(0), 1);
  } catch (error) {
    if (error instanceof SchedulerError && error.code === 'INVALID_SCHEDULE') continue;
    throw error;
  }
  throw new Error(`invalid expression ${JSON.stringify(inv.expression)} was accepted`);
}

const corpus = {
  description:
    'Cron corpus of k1s0.system.scheduler.v2 (see README.md beside this file): for each case, the next 5 fire instants strictly after start, ' +
    'for expression read in timezone by the dialect in scheduler.proto; every expression of invalid must be refused (INVALID_SCHEDULE).',
  runs: RUNS,
  cases,
  invalid: INVALID,
};

// One case per line keeps the file readable and its diffs small.
const lines = [
  '{',
  `  "description": ${JSON.stringify(corpus.description)},`,
  `  "runs": ${RUNS},`,
  '  "cases": [',
  cases.map((c) => `    ${JSON.stringify(c)}`).join(',\n'),
  '  ],',
  '  "invalid": [',
  INVALID.map((c) => `    ${JSON.stringify(c)}`).join(',\n'),
  '  ]',
  '}',
  '',
];
const dir = join(protoRoot(), 'testdata', 'cron');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'corpus.json'), lines.join('\n'));
console.log(`${cases.length} case(s), ${INVALID.length} invalid expression(s) written to ${join(dir, 'corpus.json')}`);
