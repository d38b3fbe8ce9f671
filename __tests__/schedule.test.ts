import { describe, expect, it } from 'vitest';
import { CRON_NICKNAMES, LIMITS, Schedule, SchedulerError, nextRuns, type SchedulerErrorCode } from '../src/index.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The wall-clock time of an instant in a time zone, as `YYYY-MM-DD HH:mm`. */
function local(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** The UTC offset of a time zone at an instant, in hours (east positive). */
function offsetHours(date: Date, timeZone: string): number {
  const wall = local(date, timeZone);
  const asUtc = Date.parse(`${wall.replace(' ', 'T')}:00Z`);
  return (asUtc - Math.floor(date.getTime() / MINUTE) * MINUTE) / HOUR;
}

function expectCode(run: () => unknown, code: SchedulerErrorCode): SchedulerError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(SchedulerError);
  expect((thrown as SchedulerError).code).toBe(code);
  return thrown as SchedulerError;
}

describe('Schedule builders', () => {
  it('cron builds a cron schedule, with a time zone only when one is given', () => {
    expect(Schedule.cron('0 9 * * MON-FRI')).toEqual({ type: 'cron', expression: '0 9 * * MON-FRI' });
    expect('timezone' in Schedule.cron('0 9 * * *')).toBe(false);
    expect(Schedule.cron('0 9 * * *', { timezone: 'Asia/Tokyo' })).toEqual({ type: 'cron', expression: '0 9 * * *', timezone: 'Asia/Tokyo' });
  });

  it('oneShot takes a Date or epoch milliseconds and keeps its own copy', () => {
    const at = new Date(Date.UTC(2026, 10, 23, 10));
    const fromDate = Schedule.oneShot(at);
    const fromNumber = Schedule.oneShot(at.getTime());
    expect(fromDate).toEqual({ type: 'one_shot', runAt: at });
    expect(fromNumber).toEqual(fromDate);
    at.setTime(0);
    expect(fromDate).toEqual({ type: 'one_shot', runAt: new Date(Date.UTC(2026, 10, 23, 10)) });
  });

  it('interval builds an interval schedule', () => {
    expect(Schedule.interval(90_000)).toEqual({ type: 'interval', intervalMs: 90_000 });
  });

  it('builds without validating; validation happens where the schedule is used', () => {
    const bad = Schedule.interval(5);
    expect(bad).toEqual({ type: 'interval', intervalMs: 5 });
    expectCode(() => nextRuns(bad, new Date(0), 1), 'INVALID_SCHEDULE');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(Schedule)).toBe(true);
    expect(Object.isFrozen(CRON_NICKNAMES)).toBe(true);
  });
});

describe('nextRuns: offline previews', () => {
  const from = new Date(Date.UTC(2026, 10, 23, 12, 0, 0));

  it('previews a cron schedule in UTC by default', () => {
    const runs = nextRuns(Schedule.cron('15 */6 * * *'), from, 4);
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-11-23T12:15:00.000Z',
      '2026-11-23T18:15:00.000Z',
      '2026-11-24T00:15:00.000Z',
      '2026-11-24T06:15:00.000Z',
    ]);
  });

  it('previews a 6-field cron on the second', () => {
    const runs = nextRuns(Schedule.cron('*/20 * * * * *'), from, 3);
    expect(runs.map((d) => d.getTime() - from.getTime())).toEqual([20_000, 40_000, 60_000]);
  });

  it('starts strictly after from', () => {
    const [first] = nextRuns(Schedule.cron('0 12 * * *'), from, 1);
    expect(first!.getTime()).toBe(from.getTime() + 24 * HOUR);
  });

  it('previews an interval as from + k × interval', () => {
    const runs = nextRuns(Schedule.interval(90_000), from, 3);
    expect(runs.map((d) => d.getTime() - from.getTime())).toEqual([90_000, 180_000, 270_000]);
  });

  it('previews a future one-shot as its single run', () => {
    const at = new Date(from.getTime() + 5 * MINUTE);
    expect(nextRuns(Schedule.oneShot(at), from, 10)).toEqual([at]);
  });

  it('previews a one-shot in the past as no runs', () => {
    expect(nextRuns(Schedule.oneShot(from.getTime() - HOUR), from, 5)).toEqual([]);
    expect(nextRuns(Schedule.oneShot(from), from, 5)).toEqual([]);
  });

  it('lists no run after 9999-12-31T23:59:59.999Z, as the scheduler plans none', () => {
    const late = new Date('9999-12-31T23:59:57.000Z');
    expect(nextRuns(Schedule.interval(1_000), late, 5)).toEqual([new Date('9999-12-31T23:59:58.000Z'), new Date('9999-12-31T23:59:59.000Z')]);
    expect(nextRuns(Schedule.cron('0 0 1 1 *'), new Date('9999-06-01T00:00:00.000Z'), 3)).toEqual([]);
  });

  it('returns exactly count runs, in increasing order', () => {
    const runs = nextRuns(Schedule.cron('*/7 * * * *'), from, 50);
    expect(runs).toHaveLength(50);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.getTime()).toBeGreaterThan(runs[i - 1]!.getTime());
  });

  it('defaults to 10 runs after now', () => {
    const before = Date.now();
    const runs = nextRuns(Schedule.interval(1000));
    expect(runs).toHaveLength(10);
    expect(runs[0]!.getTime()).toBeGreaterThan(before);
  });

  it('does not change the schedule it is given', () => {
    const schedule = Schedule.cron('0  9 * * *');
    nextRuns(schedule, from, 2);
    expect(schedule).toEqual({ type: 'cron', expression: '0  9 * * *' });
  });
});

describe('nextRuns: cron nicknames', () => {
  const from = new Date(Date.UTC(2026, 10, 23, 12, 0, 0));

  it('reads each nickname as the expression it stands for', () => {
    for (const [nickname, expression] of Object.entries(CRON_NICKNAMES)) {
      expect(nextRuns(Schedule.cron(nickname), from, 3)).toEqual(nextRuns(Schedule.cron(expression), from, 3));
    }
  });

  it('fires @hourly, @daily, @weekly, @monthly and @yearly where expected', () => {
    const first = (nickname: string) => nextRuns(Schedule.cron(nickname), from, 1)[0]!.toISOString();
    expect(first('@hourly')).toBe('2026-11-23T13:00:00.000Z');
    expect(first('@daily')).toBe('2026-11-24T00:00:00.000Z');
    expect(first('@weekly')).toBe('2026-11-29T00:00:00.000Z'); // the next Sunday
    expect(first('@monthly')).toBe('2026-12-01T00:00:00.000Z');
    expect(first('@yearly')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reads a nickname in the schedule time zone', () => {
    const [run] = nextRuns(Schedule.cron('@daily', { timezone: 'Asia/Tokyo' }), from, 1);
    expect(local(run!, 'Asia/Tokyo')).toBe('2026-11-24 00:00');
    expect(run!.toISOString()).toBe('2026-11-23T15:00:00.000Z');
  });

  it('rejects an unknown nickname', () => {
    expectCode(() => nextRuns(Schedule.cron('@reboot'), from, 1), 'INVALID_SCHEDULE');
  });
});

describe('nextRuns: daylight-saving time in named time zones', () => {
  const BERLIN = 'Europe/Berlin';
  const NEW_YORK = 'America/New_York';

  it('runs a fixed local time inside the spring gap at the first valid time after it (Berlin, 2026-03-29)', () => {
    const runs = nextRuns(Schedule.cron('30 2 * * *', { timezone: BERLIN }), new Date('2026-03-27T12:00:00Z'), 4);
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
    expect(local(runs[1]!, BERLIN)).toBe('2026-03-29 03:00');
    expect(local(runs[2]!, BERLIN)).toBe('2026-03-30 02:30');
  });

  it('runs a fixed local time inside the repeated autumn hour once (Berlin, 2026-10-25)', () => {
    const runs = nextRuns(Schedule.cron('30 2 * * *', { timezone: BERLIN }), new Date('2026-10-23T12:00:00Z'), 4);
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // the first 02:30 (CEST); the second (CET, 01:30Z) does not run
      '2026-10-26T01:30:00.000Z', // 02:30 CET
      '2026-10-27T01:30:00.000Z',
    ]);
    const onTheDay = runs.filter((d) => local(d, BERLIN).startsWith('2026-10-25'));
    expect(onTheDay).toHaveLength(1);
  });

  it('skips the missing local times of a stepped expression in the spring gap (Berlin)', () => {
    const from = new Date('2026-03-28T23:00:00Z'); // 00:00 CET on the day of the change
    const runs = nextRuns(Schedule.cron('*/30 * * * *', { timezone: BERLIN }), from, 8);
    const wall = runs.map((d) => local(d, BERLIN).slice(11));
    expect(wall).toEqual(['00:30', '01:00', '01:30', '03:00', '03:30', '04:00', '04:30', '05:00']);
    // No real time is skipped: the runs stay 30 minutes apart in UTC.
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.getTime() - runs[i - 1]!.getTime()).toBe(30 * MINUTE);
  });

  it('runs a stepped expression on both passes of the repeated autumn hour (Berlin)', () => {
    const from = new Date('2026-10-24T23:00:00Z'); // 01:00 CEST on the day of the change
    const runs = nextRuns(Schedule.cron('*/30 * * * *', { timezone: BERLIN }), from, 8);
    const inRepeatedHour = runs.filter((d) => local(d, BERLIN).slice(11, 13) === '02');
    expect(inRepeatedHour.map((d) => d.toISOString())).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T01:30:00.000Z', // 02:30 CET
    ]);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.getTime() - runs[i - 1]!.getTime()).toBe(30 * MINUTE);
  });

  it('keeps 09:00 local each day across the New York autumn change (offset -4 to -5 on 2026-11-01)', () => {
    const runs = nextRuns(Schedule.cron('0 9 * * *', { timezone: NEW_YORK }), new Date('2026-10-30T00:00:00Z'), 4);
    for (const run of runs) expect(local(run, NEW_YORK).slice(11)).toBe('09:00');
    expect(runs.map((d) => local(d, NEW_YORK).slice(0, 10))).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']);
    expect(runs.map((d) => offsetHours(d, NEW_YORK))).toEqual([-4, -4, -5, -5]);
    expect(runs.map((d) => d.getUTCHours())).toEqual([13, 13, 14, 14]);
  });

  it('keeps 09:00 local each day across the New York spring change (offset -5 to -4 on 2026-03-08)', () => {
    const runs = nextRuns(Schedule.cron('0 9 * * *', { timezone: NEW_YORK }), new Date('2026-03-06T00:00:00Z'), 4);
    for (const run of runs) expect(local(run, NEW_YORK).slice(11)).toBe('09:00');
    expect(runs.map((d) => offsetHours(d, NEW_YORK))).toEqual([-5, -5, -4, -4]);
  });

  it('reads the same expression differently in different time zones', () => {
    const from = new Date('2026-11-22T12:00:00Z');
    const [tokyo] = nextRuns(Schedule.cron('0 9 * * *', { timezone: 'Asia/Tokyo' }), from, 1);
    const [utc] = nextRuns(Schedule.cron('0 9 * * *', { timezone: 'UTC' }), from, 1);
    expect(tokyo!.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(utc!.toISOString()).toBe('2026-11-23T09:00:00.000Z');
  });
});

describe('nextRuns: daylight-saving rules of the contract, computed by hand', () => {
  const iso = (expression: string, timezone: string, from: string, count: number) =>
    nextRuns(Schedule.cron(expression, { timezone }), new Date(from), count).map((d) => d.toISOString());

  it('Lord Howe gap (+10:30 to +11 at 02:00 on 2026-10-04): 02:15 runs at 02:30, the instant of the change', () => {
    expect(iso('15 2 * * *', 'Australia/Lord_Howe', '2026-10-02T00:00:00Z', 3)).toEqual([
      '2026-10-02T15:45:00.000Z', // Oct 3 02:15 +10:30
      '2026-10-03T15:30:00.000Z', // Oct 4 02:15 does not exist: 02:30 +11
      '2026-10-04T15:15:00.000Z', // Oct 5 02:15 +11
    ]);
  });

  it('Lord Howe repeat (+11 to +10:30 at 02:00 on 2026-04-05): a fixed 01:45 runs once, at the earlier instant', () => {
    expect(iso('45 1 * * *', 'Australia/Lord_Howe', '2026-04-03T00:00:00Z', 3)).toEqual([
      '2026-04-03T14:45:00.000Z', // Apr 4 01:45 +11
      '2026-04-04T14:45:00.000Z', // Apr 5 01:45 +11; 01:45 +10:30 (15:15Z) does not run
      '2026-04-05T15:15:00.000Z', // Apr 6 01:45 +10:30
    ]);
  });

  it('Lord Howe repeat: a stepped expression runs at both instants of each repeated time', () => {
    expect(iso('*/15 1 * * *', 'Australia/Lord_Howe', '2026-04-04T14:00:00Z', 6)).toEqual([
      '2026-04-04T14:15:00.000Z', // 01:15 +11
      '2026-04-04T14:30:00.000Z', // 01:30 +11
      '2026-04-04T14:45:00.000Z', // 01:45 +11
      '2026-04-04T15:00:00.000Z', // 01:30 +10:30
      '2026-04-04T15:15:00.000Z', // 01:45 +10:30
      '2026-04-05T14:30:00.000Z', // Apr 6 01:00 +10:30
    ]);
  });

  it('Sao Paulo gap at midnight (-03 to -02 on 2018-11-04): 00:00 runs at 01:00', () => {
    expect(iso('0 0 * * *', 'America/Sao_Paulo', '2018-11-02T12:00:00Z', 3)).toEqual([
      '2018-11-03T03:00:00.000Z', // Nov 3 00:00 -03
      '2018-11-04T03:00:00.000Z', // Nov 4 00:00 does not exist: 01:00 -02
      '2018-11-05T02:00:00.000Z', // Nov 5 00:00 -02
    ]);
  });

  it('Apia 2011-12-30 does not exist (-10 to +14): a fixed time of that day does not run, and nothing runs twice', () => {
    expect(iso('0 12 * * *', 'Pacific/Apia', '2011-12-28T00:00:00Z', 4)).toEqual([
      '2011-12-28T22:00:00.000Z', // Dec 28 12:00 -10
      '2011-12-29T22:00:00.000Z', // Dec 29 12:00 -10
      '2011-12-30T22:00:00.000Z', // Dec 31 12:00 +14
      '2011-12-31T22:00:00.000Z', // Jan 1 12:00 +14
    ]);
    // Dec 30 00:00 would move to the end of the gap, Dec 31 00:00: another date, so it does not run.
    expect(iso('0 0 * * *', 'Pacific/Apia', '2011-12-28T12:00:00Z', 3)).toEqual([
      '2011-12-29T10:00:00.000Z', // Dec 29 00:00 -10
      '2011-12-30T10:00:00.000Z', // Dec 31 00:00 +14
      '2011-12-31T10:00:00.000Z', // Jan 1 00:00 +14
    ]);
  });

  it('Troll gap of two hours (+00 to +02 at 01:00 on 2026-03-29): 02:30 runs at 03:00', () => {
    expect(iso('30 2 * * *', 'Antarctica/Troll', '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T02:30:00.000Z', // 02:30 +00
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist: 03:00 +02
      '2026-03-30T00:30:00.000Z', // 02:30 +02
    ]);
  });

  it('Chatham gap (+12:45 to +13:45 at 02:45 on 2026-09-27): 03:00 runs at 03:45', () => {
    expect(iso('0 3 * * *', 'Pacific/Chatham', '2026-09-25T00:00:00Z', 3)).toEqual([
      '2026-09-25T14:15:00.000Z', // Sep 26 03:00 +12:45
      '2026-09-26T14:00:00.000Z', // Sep 27 03:00 does not exist: 03:45 +13:45
      '2026-09-27T13:15:00.000Z', // Sep 28 03:00 +13:45
    ]);
  });

  it('two minutes of an hour are not a fixed time: both are skipped in the Berlin gap', () => {
    expect(iso('0,30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', 4)).toEqual([
      '2026-03-28T01:00:00.000Z', // Mar 28 02:00 CET
      '2026-03-28T01:30:00.000Z', // Mar 28 02:30 CET
      '2026-03-30T00:00:00.000Z', // Mar 29 has no 02:xx; Mar 30 02:00 CEST
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('a fixed time whose earlier instant has passed does not run at the later one (Berlin, from 02:10 CET)', () => {
    expect(iso('30 2 * * *', 'Europe/Berlin', '2026-10-25T01:10:00Z', 1)).toEqual(['2026-10-26T01:30:00.000Z']);
  });
});

describe('nextRuns: the day-of-month / day-of-week rule, computed by hand', () => {
  const days = (expression: string, count: number) =>
    nextRuns(Schedule.cron(expression), new Date('2026-02-01T00:00:00Z'), count).map((d) => d.toISOString().slice(5, 10));

  it('OR when both are restricted: days 1-7 and every Monday (2026-02-02 is a Monday)', () => {
    expect(days('0 0 1-7 * MON', 8)).toEqual(['02-02', '02-03', '02-04', '02-05', '02-06', '02-07', '02-09', '02-16']);
  });

  it('*/2 is restricted: odd days or Mondays', () => {
    expect(days('0 0 */2 * MON', 8)).toEqual(['02-02', '02-03', '02-05', '02-07', '02-09', '02-11', '02-13', '02-15']);
  });

  it('*/1 is restricted too: with a day-of-week it means every day', () => {
    expect(days('0 0 */1 * MON', 3)).toEqual(['02-02', '02-03', '02-04']);
  });

  it('a day-of-month of * leaves day-of-week alone, and the other way round', () => {
    expect(days('0 0 * * MON', 3)).toEqual(['02-02', '02-09', '02-16']);
    expect(days('0 0 15 * *', 2)).toEqual(['02-15', '03-15']);
  });
});

describe('Schedule.cron: the dialect', () => {
  const from = new Date('2026-02-01T00:00:00Z');
  const ok = (expression: string) => nextRuns(Schedule.cron(expression), from, 1)[0]!.toISOString();
  const refused = (expression: string) => expectCode(() => nextRuns(Schedule.cron(expression), from, 1), 'INVALID_SCHEDULE').message;

  it('accepts names in any case, 7 for Sunday, tabs and repeated spaces between fields', () => {
    expect(ok('0 0 * * sun')).toBe(ok('0 0 * * 0'));
    expect(ok('0 0 * * Sun')).toBe(ok('0 0 * * 7'));
    expect(ok('0 0 1 feb-Mar *')).toBe('2026-03-01T00:00:00.000Z');
    expect(ok('0\t0  *\t* *')).toBe(ok('0 0 * * *'));
  });

  it('refuses what is outside it, saying what is wrong', () => {
    expect(refused(' 0 0 * * *')).toContain('white space before the first or after the last field');
    expect(refused('0 0 * * FRI-SUN')).toContain("day-of-week range 'FRI-SUN' ends before it starts");
    expect(refused('5/15 * * * *')).toContain('a step needs');
    expect(refused('0 0 L * *')).toContain('L, W, #, ? or H');
    expect(refused('0 0 ? * *')).toContain('L, W, #, ? or H');
    expect(refused('0 0 30 2 *')).toContain('never fires');
    expect(refused('@annually')).toContain('@hourly, @daily, @weekly, @monthly, @yearly');
    expect(refused('*/60 * * * *')).toContain('minute step 60 is out of range 1-59');
    expect(refused('0\u00a00 * * *')).toContain('U+00A0');
  });
});

describe('nextRuns: bad input', () => {
  const from = new Date(Date.UTC(2026, 10, 23));

  it('rejects a count outside 1..1000 or not an integer with INVALID_ARGUMENT', () => {
    for (const count of [0, -1, 1001, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = expectCode(() => nextRuns(Schedule.interval(1000), from, count), 'INVALID_ARGUMENT');
      expect(error.field).toBe('count');
      expect(error.message).toContain('nextRuns');
    }
    expect(nextRuns(Schedule.interval(1000), from, 1)).toHaveLength(1);
    expect(nextRuns(Schedule.interval(1000), from, 1000)).toHaveLength(1000);
  });

  it('words the count bound as every integer limit, from LIMITS.nextRunsMax', () => {
    const error = expectCode(() => nextRuns(Schedule.interval(1000), from, LIMITS.nextRunsMax + 1), 'INVALID_ARGUMENT');
    expect(error.message).toBe(`nextRuns: count must be an integer from 1 to ${LIMITS.nextRunsMax}, got ${LIMITS.nextRunsMax + 1}`);
    expect(error.limit).toBe(`1..${LIMITS.nextRunsMax}`);
    expect(LIMITS.nextRunsMax).toBe(1000);
    expect(expectCode(() => nextRuns(Schedule.interval(1000), from, '3' as unknown as number), 'INVALID_ARGUMENT').message).toContain('got a string');
  });

  it('rejects an invalid from with INVALID_ARGUMENT', () => {
    expectCode(() => nextRuns(Schedule.interval(1000), new Date(Number.NaN), 1), 'INVALID_ARGUMENT');
  });

  it('rejects a bad schedule with INVALID_SCHEDULE, naming the schedule field', () => {
    const cases: [Schedule, string][] = [
      [Schedule.cron('* * *'), 'schedule.cron.expression'],
      [Schedule.cron('99 * * * *'), 'schedule.cron.expression'],
      [Schedule.cron('0 0 30 2 *'), 'schedule.cron.expression'],
      [Schedule.cron('0 9 * * *', { timezone: 'Europe/Atlantis' }), 'schedule.cron.timezone'],
      [Schedule.interval(999), 'schedule.interval.every'],
      [Schedule.oneShot(Number.NaN), 'schedule.one_shot.run_at'],
    ];
    for (const [schedule, field] of cases) {
      const error = expectCode(() => nextRuns(schedule, from, 1), 'INVALID_SCHEDULE');
      expect(error.field).toBe(field);
      expect(error.operation).toBe('nextRuns');
    }
  });

  it('rejects something that is not a schedule with INVALID_SCHEDULE', () => {
    expectCode(() => nextRuns({ type: 'hourly' } as unknown as Schedule, from, 1), 'INVALID_SCHEDULE');
    expectCode(() => nextRuns(null as unknown as Schedule, from, 1), 'INVALID_SCHEDULE');
  });
});
