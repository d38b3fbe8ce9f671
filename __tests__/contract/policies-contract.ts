import { describe, expect, it } from 'vitest';
import { Schedule, type ApplyJobResult, type Job, type JobExecution, type JobRequest, type JobSpec, type JobStats, type SchedulerClient } from '../../src/index.js';
import { DEFAULT_RETRY_BACKOFF, dueTime, jitterDelay, retryWait, type RetryBackoffPolicy, type SchedulePolicy } from '../../src/policy.js';
import { expectCode } from '../support/expect-code.js';
import type { ScriptedExecutor } from '../support/scripted-executor.js';
import type { ContractTarget } from './scheduler-contract.js';

/** What the policy tests need from the suite that runs them: the current target and executor. */
export interface PolicyContractContext {
  target(): ContractTarget;
  script(): ScriptedExecutor;
}

const SEC = 1000;
const MIN = 60_000;
const HOUR = 3_600_000;
const PAUSED_ON_FAILURE = 'paused on failure: ';
const ZERO: JobStats = { runs: 0, succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0 };
const DEFAULT_JOB_POLICY = { overlap: 'buffer_one', retryBackoff: { initialMs: 1000, maxMs: 60_000, multiplier: 2 }, pauseOnFailure: false };

/**
 * The proto's "Schedule policies" (overlap, catch-up, bounds, jitter, retry backoff, pause on
 * failure, notes, counters, describing, watching), the lifecycle table's notes (3) and (4), and
 * DescribeJob, TriggerJob's execution, waitForExecution and watchExecutions, on the virtual clock.
 * Every expected instant is worked out from the proto's rules, not read back from the scheduler.
 */
export function policiesContract(ctx: PolicyContractContext): void {
  const t = () => ctx.target();
  const c = (): SchedulerClient => ctx.target().client;
  const script = () => ctx.script();

  const make = (name: string, schedule: Schedule, policy?: SchedulePolicy, extra: Partial<JobRequest> = {}): Promise<Job> => {
    const request: JobRequest = { name, schedule, payload: { name }, ...extra };
    if (policy !== undefined) request.policy = policy;
    return c().createJob(request);
  };
  const every = (ms: number) => Schedule.interval(ms);
  const get = (id: string) => c().getJob(id);
  const runs = (id: string) => c().getExecutions(id);
  const starts = async (id: string) => (await runs(id)).map((r) => r.startedAt.getTime());
  const counters = (partial: Partial<JobStats>): JobStats => ({ ...ZERO, ...partial });
  const ms = (d: Date | undefined) => d?.getTime();

  describe('schedule policies: overlap', () => {
    it("skip: fires while a run is in progress do not run and are counted in stats.skipped", async () => {
      const T0 = t().now();
      script().script('skip', 'gate');
      const job = await make('skip', every(SEC), { overlap: 'skip' });
      expect(job.policy.overlap).toBe('skip');
      await t().advanceTime(1000); // the run of T0+1 s starts
      await t().advanceTime(3500); // the fires of +2 s, +3 s, +4 s fall due during it
      const during = await get(job.id);
      expect(during.status).toBe('running');
      expect(during.stats).toEqual(counters({ runs: 1, skipped: 3 }));
      expect(script().calls).toHaveLength(1);
      script().release('skip');
      await t().advanceTime(0);
      const after = await get(job.id);
      expect(after.status).toBe('pending'); // nothing was held
      expect(ms(after.nextRunAt)).toBe(T0 + 5000); // the next scheduled instant
      expect(after.stats).toEqual(counters({ runs: 1, succeeded: 1, skipped: 3 }));
      expect(ms(after.lastRunAt)).toBe(T0 + 1000);
      expect(after.lastRunAtExact).toEqual({ seconds: (T0 + 1000) / 1000, nanos: 0 });
      expect(after.lastResult).toBe('succeeded');
      expect(after.runningExecutions).toEqual([]);
      await t().advanceTime(500);
      expect(await starts(job.id)).toEqual([T0 + 1000, T0 + 5000]);
      script().release('skip');
      await t().advanceTime(0);
      expect((await get(job.id)).stats).toEqual(counters({ runs: 2, succeeded: 2, skipped: 3 }));
    });

    for (const overlap of [undefined, 'buffer_one'] as const) {
      it(`buffer_one${overlap === undefined ? ' (the default)' : ''}: the first fire during a run is held and runs when it ends; later ones are skipped`, async () => {
        const T0 = t().now();
        script().script('buf', 'gate');
        const job = await make('buf', every(SEC), overlap === undefined ? undefined : { overlap });
        expect(job.policy.overlap).toBe('buffer_one');
        await t().advanceTime(1000);
        await t().advanceTime(3500); // +2 s held; +3 s and +4 s skipped
        expect((await get(job.id)).stats).toEqual(counters({ runs: 1, skipped: 2 }));
        expect(script().calls).toHaveLength(1);
        script().release('buf');
        await t().advanceTime(0);
        // (4): the held fire starts its run at once, and the job stays running.
        expect(await starts(job.id)).toEqual([T0 + 1000, T0 + 4500]);
        const held = await get(job.id);
        expect(held.status).toBe('running');
        expect(held.stats).toEqual(counters({ runs: 2, succeeded: 1, skipped: 2 }));
        expect(ms(held.lastRunAt)).toBe(T0 + 1000);
        script().release('buf');
        await t().advanceTime(0);
        const after = await get(job.id);
        expect(after.status).toBe('pending');
        expect(ms(after.nextRunAt)).toBe(T0 + 5000);
        expect(after.stats).toEqual(counters({ runs: 2, succeeded: 2, skipped: 2 }));
        expect(ms(after.lastRunAt)).toBe(T0 + 4500);
        expect(after.lastResult).toBe('succeeded');
      });
    }

    it('buffer_one: a held fire is dropped, and counted in skipped, when the job is paused', async () => {
      const T0 = t().now();
      script().script('drop', 'gate');
      const job = await make('drop', every(SEC));
      await t().advanceTime(2500); // the run of +1 s; the fire of +2 s is held
      expect((await get(job.id)).stats).toEqual(counters({ runs: 1 }));
      const paused = await c().pauseJob(job.id);
      expect(paused.status).toBe('paused');
      expect(paused.stats).toEqual(counters({ runs: 1, skipped: 1 }));
      script().release('drop');
      await t().advanceTime(10_000);
      expect(await starts(job.id)).toEqual([T0 + 1000]);
      const after = await get(job.id);
      expect(after.status).toBe('paused');
      expect(after.stats).toEqual(counters({ runs: 1, succeeded: 1, skipped: 1 }));
    });

    it('allow_all: fires run side by side up to 10 runs; a fire when 10 are in progress is skipped; runningExecutions lists them oldest first', async () => {
      const T0 = t().now();
      script().script('all', 'gate');
      const job = await make('all', every(SEC), { overlap: 'allow_all' });
      await t().advanceTime(10_000);
      const ten = await get(job.id);
      expect(ten.status).toBe('running');
      expect(ten.runningExecutions.map((e) => e.startedAt.getTime())).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (i + 1) * 1000));
      expect(ten.runningExecutions.every((e) => e.result === 'running' && e.attempt === 1 && e.jobId === job.id)).toBe(true);
      expect(ten.runningExecutions).toEqual(await runs(job.id));
      expect(ten.stats).toEqual(counters({ runs: 10 }));
      expect(ms(ten.nextRunAt)).toBe(T0 + 11_000);
      await t().advanceTime(1000); // the 11th at once
      const eleventh = await get(job.id);
      expect(eleventh.stats).toEqual(counters({ runs: 10, skipped: 1 }));
      expect(await runs(job.id)).toHaveLength(10);
      await expectCode(c().triggerJob(job.id), 'INVALID_STATE'); // 10 in progress
      script().release('all');
      await t().advanceTime(0);
      const nine = await get(job.id);
      expect(nine.status).toBe('running');
      expect(nine.runningExecutions.map((e) => e.startedAt.getTime())).toEqual(Array.from({ length: 9 }, (_, i) => T0 + (i + 2) * 1000));
      await t().advanceTime(1000); // fewer than 10 in progress: the fire of +12 s runs
      expect((await starts(job.id)).at(-1)).toBe(T0 + 12_000);
      expect((await get(job.id)).stats).toEqual(counters({ runs: 11, succeeded: 1, skipped: 1 }));
      expect(script().releaseAll('all')).toBe(10);
      await t().advanceTime(0);
      const after = await get(job.id);
      expect(after.status).toBe('pending');
      expect(after.runningExecutions).toEqual([]);
      expect(after.stats).toEqual(counters({ runs: 11, succeeded: 11, skipped: 1 }));
      expect(ms(after.lastRunAt)).toBe(T0 + 12_000);
      expect(ms(after.nextRunAt)).toBe(T0 + 13_000);
    });
  });

  describe('schedule policies: catch-up', () => {
    it('fires passed while the scheduler was stopped: the latest runs when within the window, the others are missed', async () => {
      const T0 = t().now();
      const interval = await make('late interval', every(SEC), { catchupWindowMs: 1000 });
      const cron = await make('late cron', Schedule.cron('* * * * *'), { catchupWindowMs: MIN });
      expect(ms(cron.nextRunAt)).toBe(T0 + MIN);
      await t().jumpTime(5 * MIN + 30_500);
      const now = t().now();
      expect(now).toBe(T0 + 330_500);
      // The interval: +1 s .. +330 s have passed; the latest is 500 ms late, within its 1 s window.
      expect(await starts(interval.id)).toEqual([now]);
      const caught = await get(interval.id);
      expect(caught.stats).toEqual(counters({ runs: 1, succeeded: 1, missed: 329 }));
      expect(ms(caught.nextRunAt)).toBe(T0 + 331_000);
      // The cron job: 12:01 .. 12:05 have passed; 12:05 is 30.5 s late, within its 60 s window.
      expect(await starts(cron.id)).toEqual([now]);
      const late = await get(cron.id);
      expect(late.stats).toEqual(counters({ runs: 1, succeeded: 1, missed: 4 }));
      expect(ms(late.lastRunAt)).toBe(now);
      expect(late.lastResult).toBe('succeeded');
      expect(ms(late.nextRunAt)).toBe(T0 + 6 * MIN);
      // Then on time again.
      await t().advanceTime(29_500);
      expect(await starts(cron.id)).toEqual([now, T0 + 6 * MIN]);
      expect((await get(cron.id)).stats).toEqual(counters({ runs: 2, succeeded: 2, missed: 4 }));
    });

    it('a latest fire exactly catchupWindowMs late runs; 1 ms more and every passed fire is missed, none runs', async () => {
      const T0 = t().now();
      const within = await make('within', every(10 * SEC), { catchupWindowMs: 5000 });
      const beyond = await make('beyond', every(10 * SEC), { catchupWindowMs: 4999 });
      await t().jumpTime(25 * SEC); // +10 s and +20 s have passed; +20 s is 5000 ms late
      expect(await starts(within.id)).toEqual([T0 + 25_000]);
      expect((await get(within.id)).stats).toEqual(counters({ runs: 1, succeeded: 1, missed: 1 }));
      expect(await starts(beyond.id)).toEqual([]);
      const missed = await get(beyond.id);
      expect(missed.stats).toEqual(counters({ missed: 2 }));
      expect(missed.status).toBe('pending');
      expect(missed.lastRunAt).toBeUndefined();
      expect(missed.lastResult).toBeUndefined();
      expect(ms(missed.nextRunAt)).toBe(T0 + 30_000);
      await t().advanceTime(5000);
      expect(await starts(beyond.id)).toEqual([T0 + 30_000]);
      expect((await get(beyond.id)).stats).toEqual(counters({ runs: 1, succeeded: 1, missed: 2 }));
      expect((await get(within.id)).stats).toEqual(counters({ runs: 2, succeeded: 2, missed: 1 }));
    });

    it('no catchupWindowMs: one run for every passed fire, the others counted as missed', async () => {
      const T0 = t().now();
      const job = await make('no window', every(SEC));
      expect(job.policy.catchupWindowMs).toBeUndefined();
      await t().jumpTime(HOUR + 500);
      expect(await starts(job.id)).toEqual([T0 + HOUR + 500]);
      const after = await get(job.id);
      expect(after.stats).toEqual(counters({ runs: 1, succeeded: 1, missed: 3599 }));
      expect(ms(after.nextRunAt)).toBe(T0 + HOUR + 1000);
    });

    it('the latest passed fire follows the overlap policy while a run is in progress (every fire a run, a skipped or a missed fire)', async () => {
      const T0 = t().now();
      script().script('skip late', 'gate');
      script().script('buffer late', 'gate');
      const skip = await make('skip late', every(SEC), { overlap: 'skip' });
      const buffer = await make('buffer late', every(SEC), { overlap: 'buffer_one' });
      await t().advanceTime(1000); // both run from +1 s
      await t().jumpTime(3500); // +2 s and +3 s missed, +4 s (the latest) meets the run in progress
      expect((await get(skip.id)).stats).toEqual(counters({ runs: 1, skipped: 1, missed: 2 }));
      expect((await get(buffer.id)).stats).toEqual(counters({ runs: 1, missed: 2 }));
      script().release('skip late');
      script().release('buffer late');
      await t().advanceTime(0);
      expect(await starts(skip.id)).toEqual([T0 + 1000]);
      expect(await starts(buffer.id)).toEqual([T0 + 1000, T0 + 4500]); // the held fire
      script().release('buffer late');
      await t().advanceTime(0);
      expect((await get(skip.id)).stats).toEqual(counters({ runs: 1, succeeded: 1, skipped: 1, missed: 2 }));
      expect((await get(buffer.id)).stats).toEqual(counters({ runs: 2, succeeded: 2, missed: 2 }));
    });

    it('lateness is counted from the due time (jitter included), not from the scheduled instant', async () => {
      const T0 = t().now();
      const job = await make('late jitter', every(10 * SEC), { jitterMs: 5000, catchupWindowMs: 1000 });
      const due = (k: number) => dueTime(job.id, T0 + k * 10_000, 5000, T0 + (k + 1) * 10_000);
      await t().jumpTime(due(2) + 1000 - T0); // the latest fire is 1000 ms past its due time
      expect(await starts(job.id)).toEqual([due(2) + 1000]);
      const after = await get(job.id);
      expect(after.stats).toEqual(counters({ runs: 1, succeeded: 1, missed: 1 }));
      expect(ms(after.nextRunAt)).toBe(due(3));
    });

    it('fires passed beyond endAt do not count; the latest within it runs late, then the job completes', async () => {
      const T0 = t().now();
      const job = await make('late end', every(SEC), { endAt: new Date(T0 + 3000) });
      await t().jumpTime(5000); // +1 s, +2 s, +3 s passed; +4 s and +5 s are after the end
      expect(await starts(job.id)).toEqual([T0 + 5000]);
      const after = await get(job.id);
      expect(after.status).toBe('completed');
      expect(after.stats).toEqual(counters({ runs: 1, succeeded: 1, missed: 2 }));
    });

    it('a paused job misses nothing: resumed after a long pause, its fires are planned afresh', async () => {
      const job = await make('long pause', every(SEC), { catchupWindowMs: 1000 });
      await c().pauseJob(job.id);
      await t().jumpTime(10 * HOUR);
      await t().advanceTime(HOUR);
      const resumed = await c().resumeJob(job.id);
      expect(resumed.stats).toEqual(ZERO);
      expect(ms(resumed.nextRunAt)).toBe(t().now() + 1000);
      const from = t().now();
      await t().advanceTime(1000);
      expect(await starts(job.id)).toEqual([from + 1000]);
      expect((await get(job.id)).stats).toEqual(counters({ runs: 1, succeeded: 1 }));
    });
  });

  describe('schedule policies: bounds', () => {
    it('startAt: an interval fires first at startAt (when later than creation), then every interval', async () => {
      const T0 = t().now();
      const startAt = T0 + HOUR + 500;
      const late = await make('start later', every(MIN), { startAt: new Date(startAt) });
      const soon = await make('start sooner', every(MIN), { startAt: new Date(T0 + 10_000) });
      const past = await make('start past', every(MIN), { startAt: new Date(T0 - HOUR) });
      const now = await make('start now', every(MIN), { startAt: new Date(T0) });
      expect(late.policy.startAt).toEqual(new Date(startAt));
      expect(ms(late.nextRunAt)).toBe(startAt);
      expect(ms(soon.nextRunAt)).toBe(T0 + 10_000);
      expect(ms(past.nextRunAt)).toBe(T0 + MIN);
      expect(ms(now.nextRunAt)).toBe(T0 + MIN); // not later than creation: planned as without it
      // A trigger before startAt runs, and the next fire is still no earlier than startAt.
      const early = await make('triggered early', every(MIN), { startAt: new Date(startAt) });
      expect((await c().triggerJob(early.id)).startedAt.getTime()).toBe(T0);
      await t().advanceTime(0);
      expect(ms((await get(early.id)).nextRunAt)).toBe(startAt);
      await t().advanceTime(startAt - T0 - 1);
      expect(await runs(late.id)).toEqual([]);
      await t().advanceTime(1 + 2 * MIN);
      expect(await starts(late.id)).toEqual([startAt, startAt + MIN, startAt + 2 * MIN]);
      expect((await starts(soon.id)).slice(0, 3)).toEqual([T0 + 10_000, T0 + 70_000, T0 + 130_000]);
      expect((await get(late.id)).stats).toEqual(counters({ runs: 3, succeeded: 3 }));
      expect(await starts(early.id)).toEqual([T0, startAt, startAt + MIN, startAt + 2 * MIN]);
    });

    it('startAt: a cron schedule fires first at its first match at or after startAt', async () => {
      const T0 = t().now(); // on the hour
      const between = await make('cron between', Schedule.cron('0 * * * *'), { startAt: new Date(T0 + 2.5 * HOUR) });
      const on = await make('cron on', Schedule.cron('0 * * * *'), { startAt: new Date(T0 + 5 * HOUR) });
      expect(ms(between.nextRunAt)).toBe(T0 + 3 * HOUR);
      expect(ms(on.nextRunAt)).toBe(T0 + 5 * HOUR);
      await t().advanceTime(5 * HOUR);
      expect(await starts(between.id)).toEqual([T0 + 3 * HOUR, T0 + 4 * HOUR, T0 + 5 * HOUR]);
      expect(await starts(on.id)).toEqual([T0 + 5 * HOUR]);
    });

    it('resume before startAt plans the first fire at startAt (interval) or the first match at or after it (cron)', async () => {
      const T0 = t().now();
      const interval = await make('resume interval', every(MIN), { startAt: new Date(T0 + HOUR) });
      const cron = await make('resume cron', Schedule.cron('0 * * * *'), { startAt: new Date(T0 + 2.5 * HOUR) });
      await c().pauseJob(interval.id);
      await c().pauseJob(cron.id);
      await t().advanceTime(10 * MIN);
      expect(ms((await c().resumeJob(interval.id)).nextRunAt)).toBe(T0 + HOUR);
      expect(ms((await c().resumeJob(cron.id)).nextRunAt)).toBe(T0 + 3 * HOUR);
      await t().advanceTime(3 * HOUR - 10 * MIN);
      expect((await starts(interval.id))[0]).toBe(T0 + HOUR);
      expect(await starts(cron.id)).toEqual([T0 + 3 * HOUR]);
    });

    it('endAt: no fire after it; the job completes when its last run ends (RUNNING with no next run until then)', async () => {
      const T0 = t().now();
      script().queue('ends', 'succeed', 'succeed', 'gate');
      const job = await make('ends', every(SEC), { endAt: new Date(T0 + 3000) });
      expect((await c().describeJob(job.id)).upcomingRuns.map((d) => d.getTime())).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
      await t().advanceTime(3000); // +3 s is the end, included
      const last = await get(job.id);
      expect(last.status).toBe('running');
      expect(last.nextRunAt).toBeUndefined();
      expect((await c().describeJob(job.id)).upcomingRuns).toEqual([]);
      script().release('ends');
      await t().advanceTime(0);
      const after = await get(job.id);
      expect(after.status).toBe('completed');
      expect(after.nextRunAt).toBeUndefined();
      expect(after.stats).toEqual(counters({ runs: 3, succeeded: 3 }));
      await t().advanceTime(10_000);
      expect(await starts(job.id)).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
      // A recurring job whose first instant is past its end has no fire: completed at creation.
      const none = await make('ended already', every(SEC), { endAt: new Date(t().now() + 500) });
      expect(none.status).toBe('completed');
      expect(none.nextRunAt).toBeUndefined();
      await t().advanceTime(5000);
      expect(await runs(none.id)).toEqual([]);
    });

    it('maxRuns: fires and triggers count; remainingRuns counts down; the job completes after that many runs', async () => {
      const T0 = t().now();
      const job = await make('thrice', every(SEC), { maxRuns: 3 });
      expect(job.remainingRuns).toBe(3);
      expect(job.policy.maxRuns).toBe(3);
      await t().advanceTime(1000);
      expect((await get(job.id)).remainingRuns).toBe(2);
      await t().advanceTime(500);
      const triggered = await c().triggerJob(job.id);
      expect(triggered.startedAt.getTime()).toBe(T0 + 1500);
      await t().advanceTime(0);
      const two = await get(job.id);
      expect(two.remainingRuns).toBe(1);
      expect(ms(two.nextRunAt)).toBe(T0 + 2500); // (3): the trigger is a fire at +1.5 s
      await t().advanceTime(1000);
      const after = await get(job.id);
      expect(after).toMatchObject({ status: 'completed', remainingRuns: 0 });
      expect(after.nextRunAt).toBeUndefined();
      expect(after.stats).toEqual(counters({ runs: 3, succeeded: 3 }));
      await t().advanceTime(10_000);
      expect(await starts(job.id)).toEqual([T0 + 1000, T0 + 1500, T0 + 2500]);
      await expectCode(c().triggerJob(job.id), 'INVALID_STATE');
      expect((await make('unbounded', every(SEC))).remainingRuns).toBeUndefined();
    });

    it('a one-shot whose runAt lies outside its bounds completes at creation without running; on a bound it runs', async () => {
      const T0 = t().now();
      const before = await make('before start', Schedule.oneShot(new Date(T0 + 1000)), { startAt: new Date(T0 + 2000) });
      const after = await make('after end', Schedule.oneShot(new Date(T0 + 5000)), { endAt: new Date(T0 + 4999) });
      const onEnd = await make('on end', Schedule.oneShot(new Date(T0 + 5000)), { startAt: new Date(T0 + 5000), endAt: new Date(T0 + 5000) });
      for (const job of [before, after]) {
        expect(job.status, job.name).toBe('completed');
        expect(job.nextRunAt, job.name).toBeUndefined();
        expect(job.stats, job.name).toEqual(ZERO);
      }
      expect(onEnd.status).toBe('pending');
      expect(ms(onEnd.nextRunAt)).toBe(T0 + 5000);
      await t().advanceTime(10_000);
      expect(await runs(before.id)).toEqual([]);
      expect(await runs(after.id)).toEqual([]);
      expect(await starts(onEnd.id)).toEqual([T0 + 5000]);
      expect((await get(onEnd.id)).status).toBe('completed');
    });
  });

  describe('schedule policies: jitter', () => {
    it('an interval fire falls due at its instant plus jitterDelay(job id, instant), capped before the next instant', async () => {
      const T0 = t().now();
      const wide = await make('jitter 30 s', every(MIN), { jitterMs: 30_000 });
      const capped = await make('jitter capped', every(SEC), { jitterMs: 86_400_000 });
      expect(wide.policy.jitterMs).toBe(30_000);
      // Below the cap: instant + delay. Above it: instant + every - 1 ms at most.
      const dueWide = (k: number) => T0 + k * MIN + jitterDelay(wide.id, T0 + k * MIN, 30_000);
      const dueCapped = (k: number) => T0 + k * SEC + Math.min(jitterDelay(capped.id, T0 + k * SEC, 86_400_000), SEC - 1);
      expect(ms(wide.nextRunAt)).toBe(dueWide(1));
      expect(ms(capped.nextRunAt)).toBe(dueCapped(1));
      for (let k = 1; k <= 5; k++) expect(dueTime(wide.id, T0 + k * MIN, 30_000, T0 + (k + 1) * MIN)).toBe(dueWide(k));
      const end = T0 + 5 * MIN + 30_000;
      await t().advanceTime(end - T0);
      expect(await starts(wide.id)).toEqual([1, 2, 3, 4, 5].map(dueWide));
      const expected = Array.from({ length: 330 }, (_, i) => dueCapped(i + 1)).filter((d) => d <= end);
      expect(expected.length).toBeGreaterThanOrEqual(329);
      expect(expected.some((d, i) => d === T0 + (i + 1) * SEC + SEC - 1)).toBe(true); // the cap applied
      expect(await starts(capped.id)).toEqual(expected);
      expect((await get(capped.id)).stats).toEqual(counters({ runs: expected.length, succeeded: expected.length }));
      expect(ms((await get(wide.id)).nextRunAt)).toBe(dueWide(6));
    });

    it('a cron fire is jittered the same way; a one-shot (no next instant) is not capped', async () => {
      const T0 = t().now(); // 12:00:00
      const cron = await make('jitter cron', Schedule.cron('*/5 * * * *'), { jitterMs: 120_000 });
      const runAt = T0 + 1000;
      const once = await make('jitter once', Schedule.oneShot(new Date(runAt)), { jitterMs: 10_000 });
      const dueCron = (k: number) => dueTime(cron.id, T0 + k * 5 * MIN, 120_000, T0 + (k + 1) * 5 * MIN);
      expect(ms(cron.nextRunAt)).toBe(dueCron(1));
      expect(ms(once.nextRunAt)).toBe(runAt + jitterDelay(once.id, runAt, 10_000));
      await t().advanceTime(15 * MIN + 120_000);
      expect(await starts(cron.id)).toEqual([dueCron(1), dueCron(2), dueCron(3)]);
      expect(await starts(once.id)).toEqual([runAt + jitterDelay(once.id, runAt, 10_000)]);
      expect((await get(once.id)).status).toBe('completed');
    });

    it('endAt bounds the instants, not the due times; resume plans a jittered fire afresh', async () => {
      const T0 = t().now();
      const job = await make('jitter end', every(MIN), { jitterMs: 30_000, endAt: new Date(T0 + 2 * MIN) });
      const due = (s: number) => dueTime(job.id, s, 30_000, s + MIN);
      expect((await c().describeJob(job.id)).upcomingRuns.map((d) => d.getTime())).toEqual([due(T0 + MIN), due(T0 + 2 * MIN)]);
      await t().advanceTime(5 * MIN);
      expect(await starts(job.id)).toEqual([due(T0 + MIN), due(T0 + 2 * MIN)]);
      expect((await get(job.id)).status).toBe('completed');
      const paused = await make('jitter resume', every(MIN), { jitterMs: 30_000 });
      await c().pauseJob(paused.id);
      await t().advanceTime(10_500);
      const resumed = await c().resumeJob(paused.id);
      const s = t().now() + MIN;
      expect(ms(resumed.nextRunAt)).toBe(dueTime(paused.id, s, 30_000, s + MIN));
    });
  });

  describe('schedule policies: retry backoff', () => {
    const gaps = async (id: string) => {
      const attempts = await runs(id);
      return attempts.slice(1).map((r, i) => r.startedAt.getTime() - attempts[i]!.finishedAt!.getTime());
    };

    it('waits retryWait(backoff, n) before retry n: a custom backoff, the default, a fractional multiplier and a maximum alone', async () => {
      const cases: [string, RetryBackoffPolicy | undefined, Required<RetryBackoffPolicy>, number[]][] = [
        ['custom', { initialMs: 500, multiplier: 3, maxMs: 4000 }, { initialMs: 500, maxMs: 4000, multiplier: 3 }, [500, 1500, 4000, 4000]],
        ['default', undefined, { ...DEFAULT_RETRY_BACKOFF }, [1000, 2000, 4000, 8000, 16_000]],
        ['fractional', { multiplier: 1.5 }, { initialMs: 1000, maxMs: 60_000, multiplier: 1.5 }, [1000, 1500, 2250, 3375, 5062]],
        ['maximum alone', { maxMs: 3000 }, { initialMs: 1000, maxMs: 3000, multiplier: 2 }, [1000, 2000, 3000, 3000]],
      ];
      const jobs: Job[] = [];
      for (const [name, backoff, , waits] of cases) {
        script().script(name, ...waits.map(() => 'fail' as const), 'succeed');
        jobs.push(await make(name, Schedule.oneShot(new Date(t().now())), backoff === undefined ? undefined : { retryBackoff: backoff }, { maxRetries: waits.length }));
      }
      await t().advanceTime(2 * MIN);
      for (const [i, [name, , effective, waits]] of cases.entries()) {
        const job = await get(jobs[i]!.id);
        expect(job.policy.retryBackoff, name).toEqual(effective);
        expect(waits.map((_, n) => retryWait(effective, n + 1)), name).toEqual(waits);
        expect(await gaps(job.id), name).toEqual(waits);
        expect(job.status, name).toBe('completed');
        expect(job.stats, name).toEqual(counters({ runs: 1, succeeded: 1 }));
      }
    });
  });

  describe('schedule policies: pause on failure and notes', () => {
    it('a recurring job whose run finally fails is paused with the reason as its note; the revision stays', async () => {
      const T0 = t().now();
      script().script('pof', 'fail');
      const job = await make('pof', every(MIN), { pauseOnFailure: true }, { maxRetries: 1 });
      expect(job.policy.pauseOnFailure).toBe(true);
      await t().advanceTime(MIN); // attempt 1 fails
      expect((await get(job.id)).status).toBe('running'); // its retry is to come
      await t().advanceTime(1000); // attempt 2 fails: the run has failed
      const attempts = await runs(job.id);
      expect(attempts.map((r) => r.result)).toEqual(['failed', 'failed']);
      const paused = await get(job.id);
      expect(paused.status).toBe('paused');
      expect(paused.statusNote).toBe(PAUSED_ON_FAILURE + attempts[1]!.error);
      expect(attempts[1]!.error).toContain('scripted failure of attempt 2');
      expect(paused.revision).toBe(job.revision);
      expect(paused.updatedAt).toEqual(job.updatedAt);
      expect(paused.nextRunAt).toBeUndefined();
      expect(paused.stats).toEqual(counters({ runs: 1, failed: 1 }));
      expect(ms(paused.lastRunAt)).toBe(T0 + MIN);
      expect(paused.lastResult).toBe('failed');
      await t().advanceTime(HOUR);
      expect(await runs(job.id)).toHaveLength(2);
      const resumed = await c().resumeJob(job.id, { note: 'fixed' });
      expect(resumed).toMatchObject({ status: 'pending', statusNote: 'fixed', revision: job.revision + 1 });
      expect(ms(resumed.nextRunAt)).toBe(t().now() + MIN);
    });

    it('a timed-out run pauses it too; a run that succeeds on a retry does not; a one-shot still becomes failed', async () => {
      script().script('hangs', 'hang');
      script().script('recovers', 'fail', 'succeed');
      script().script('once', 'fail');
      const hangs = await make('hangs', every(MIN), { pauseOnFailure: true }, { timeoutSecs: 1, maxRetries: 0 });
      const recovers = await make('recovers', every(MIN), { pauseOnFailure: true }, { maxRetries: 1 });
      const once = await make('once', Schedule.oneShot(new Date(t().now())), { pauseOnFailure: true }, { maxRetries: 0 });
      await t().advanceTime(MIN + 1000);
      const [timedOut] = await runs(hangs.id);
      expect(timedOut!.result).toBe('timed_out');
      expect(await get(hangs.id)).toMatchObject({
        status: 'paused',
        statusNote: PAUSED_ON_FAILURE + timedOut!.error,
        revision: 1,
        lastResult: 'timed_out',
        stats: counters({ runs: 1, timedOut: 1 }),
      });
      const ok = await get(recovers.id);
      expect(ok).toMatchObject({ status: 'pending', lastResult: 'succeeded', stats: counters({ runs: 1, succeeded: 1 }) });
      expect(ok.statusNote).toBeUndefined();
      const failed = await get(once.id);
      expect(failed).toMatchObject({ status: 'failed', lastResult: 'failed', stats: counters({ runs: 1, failed: 1 }) });
      expect(failed.statusNote).toBeUndefined();
    });

    it('pause and resume show their note as statusNote when they change the status; a no-op keeps the old note', async () => {
      const job = await make('noted', every(HOUR));
      expect(job.statusNote).toBeUndefined();
      expect((await c().resumeJob(job.id, { note: 'ignored' })).statusNote).toBeUndefined(); // a no-op
      const paused = await c().pauseJob(job.id, { note: 'maintenance window' });
      expect(paused).toMatchObject({ status: 'paused', statusNote: 'maintenance window', revision: 2 });
      expect(await c().pauseJob(job.id, { note: 'other' })).toEqual(paused);
      expect(await get(job.id)).toEqual(paused);
      const resumed = await c().resumeJob(job.id, { note: 'back' });
      expect(resumed).toMatchObject({ status: 'pending', statusNote: 'back', revision: 3 });
      expect(await c().resumeJob(job.id, { note: 'again' })).toEqual(resumed);
      const silent = await c().pauseJob(job.id); // no note: the note is cleared
      expect(silent.statusNote).toBeUndefined();
      expect(silent.revision).toBe(4);
      const astral = '𝄞'.repeat(512);
      expect((await c().resumeJob(job.id, { note: astral })).statusNote).toBe(astral);
      const long = await expectCode(c().pauseJob(job.id, { note: 'n'.repeat(513) }), 'INVALID_ARGUMENT');
      expect(long).toMatchObject({ operation: 'pauseJob', field: 'note', limit: '0..512 code points' });
      expect((await get(job.id)).status).toBe('pending');
    });
  });

  describe('describeJob', () => {
    it('lists the next 10 due times by default, and exactly those then fire', async () => {
      const T0 = t().now();
      const job = await make('described', every(SEC), undefined, { key: 'described' });
      const description = await c().describeJob(job.id);
      expect(description.job).toEqual(await get(job.id));
      const upcoming = description.upcomingRuns.map((d) => d.getTime());
      expect(upcoming).toEqual(Array.from({ length: 10 }, (_, i) => T0 + (i + 1) * 1000));
      expect((await c().describeJob({ key: 'described' }, { upcoming: 100 })).upcomingRuns).toHaveLength(100);
      await t().advanceTime(10_000);
      expect(await starts(job.id)).toEqual(upcoming);
    });

    it('a cron job in its time zone: upcoming 3 then fire', async () => {
      const job = await make('tokyo', Schedule.cron('0 9 * * *', { timezone: 'Asia/Tokyo' }));
      const upcoming = (await c().describeJob(job.id, { upcoming: 3 })).upcomingRuns;
      expect(upcoming.map((d) => d.toISOString())).toEqual(['2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z', '2026-11-26T00:00:00.000Z']);
      await t().advanceTime(3 * 24 * HOUR);
      expect(await starts(job.id)).toEqual(upcoming.map((d) => d.getTime()));
    });

    it('applies startAt, maxRuns and jitter, and then exactly those fire', async () => {
      const T0 = t().now();
      const startAt = T0 + 30_007;
      const job = await make('bounded', every(MIN), { startAt: new Date(startAt), jitterMs: 20_000, maxRuns: 4 });
      const instants = [0, 1, 2, 3].map((k) => startAt + k * MIN);
      const expected = instants.map((s) => dueTime(job.id, s, 20_000, s + MIN));
      expect(expected).toEqual(instants.map((s) => s + jitterDelay(job.id, s, 20_000)));
      const upcoming = (await c().describeJob(job.id)).upcomingRuns.map((d) => d.getTime());
      expect(upcoming).toEqual(expected);
      expect(ms(job.nextRunAt)).toBe(expected[0]);
      await t().advanceTime(startAt + 3 * MIN + 20_000 - T0);
      expect(await starts(job.id)).toEqual(expected);
      const done = await c().describeJob(job.id);
      expect(done.job).toMatchObject({ status: 'completed', remainingRuns: 0 });
      expect(done.upcomingRuns).toEqual([]);
    });

    it('counts the runs in progress against maxRuns', async () => {
      const T0 = t().now();
      script().queue('in progress', 'gate');
      const job = await make('in progress', every(MIN), { maxRuns: 3 });
      await t().advanceTime(MIN);
      const during = await c().describeJob(job.id);
      expect(during.job).toMatchObject({ status: 'running', remainingRuns: 2 });
      expect(during.upcomingRuns.map((d) => d.getTime())).toEqual([T0 + 2 * MIN, T0 + 3 * MIN]);
      script().release('in progress');
      await t().advanceTime(2 * MIN);
      expect(await starts(job.id)).toEqual([T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
      expect((await get(job.id)).status).toBe('completed');
    });

    it('counts a held fire against maxRuns too, in describeJob and in triggerJob', async () => {
      const T0 = t().now();
      script().queue('held of 3', 'gate');
      script().queue('held of 2', 'gate');
      const three = await make('held of 3', every(SEC), { maxRuns: 3 });
      const two = await make('held of 2', every(SEC), { maxRuns: 2 });
      await t().advanceTime(2500); // each: the run of +1 s in progress, the fire of +2 s held
      expect((await c().describeJob(three.id)).upcomingRuns.map((d) => d.getTime())).toEqual([T0 + 3000]);
      const full = await c().describeJob(two.id);
      expect(full.upcomingRuns).toEqual([]);
      expect(full.job).toMatchObject({ status: 'running', remainingRuns: 1 });
      const refused = await expectCode(c().triggerJob(two.id, { overlap: 'allow_all' }), 'INVALID_STATE');
      expect(refused).toMatchObject({ operation: 'triggerJob', limit: 'a run left under policy.max_runs' });
      script().release('held of 3');
      script().release('held of 2');
      await t().advanceTime(1000);
      expect(await starts(three.id)).toEqual([T0 + 1000, T0 + 2500, T0 + 3000]); // the held fire, then the one listed
      expect(await starts(two.id)).toEqual([T0 + 1000, T0 + 2500]);
      for (const id of [three.id, two.id]) expect((await get(id)).status).toBe('completed');
    });

    it('lists none for a paused or ended job', async () => {
      const paused = await make('paused', every(SEC));
      await c().pauseJob(paused.id);
      expect(await c().describeJob(paused.id)).toEqual({ job: await get(paused.id), upcomingRuns: [] });
      const cancelled = await make('cancelled', every(SEC));
      await c().cancelJob(cancelled.id);
      expect((await c().describeJob(cancelled.id)).upcomingRuns).toEqual([]);
    });

    it("refuses upcoming 0, 101 and 1.5 (INVALID_ARGUMENT on 'upcoming', limit '1..100')", async () => {
      const job = await make('bad upcoming', every(SEC));
      for (const upcoming of [0, 101, 1.5, -1]) {
        const error = await expectCode(c().describeJob(job.id, { upcoming }), 'INVALID_ARGUMENT');
        expect(error, String(upcoming)).toMatchObject({ operation: 'describeJob', field: 'upcoming', limit: '1..100' });
        expect(error.message.startsWith('describeJob: '), error.message).toBe(true);
        expect(error.message).toContain('upcoming');
      }
      expect((await c().describeJob(job.id, { upcoming: 1 })).upcomingRuns).toHaveLength(1);
    });
  });

  describe('triggerJob: the execution it started, overlap and bounds', () => {
    it('resolves to the attempt it started, as getExecutions and runningExecutions show it', async () => {
      script().script('trig', 'gate');
      const job = await make('trig', every(HOUR));
      const started = await c().triggerJob(job.id);
      expect(started).toMatchObject({ jobId: job.id, result: 'running', attempt: 1 });
      expect(started.startedAt.getTime()).toBe(t().now());
      expect(await runs(job.id)).toEqual([started]);
      const running = await get(job.id);
      expect(running.runningExecutions).toEqual([started]);
      expect(running.stats).toEqual(counters({ runs: 1 }));
      script().release('trig');
      await t().advanceTime(0);
      expect(await c().waitForExecution(started.id)).toMatchObject({ id: started.id, result: 'succeeded' });
    });

    it("a running job: a second run with overlap 'allow_all' (the job's or the call's); INVALID_STATE otherwise; the planned fires do not move", async () => {
      const T0 = t().now();
      script().script('all', 'gate');
      script().script('buf', 'gate');
      const all = await make('all', every(HOUR), { overlap: 'allow_all' });
      const buf = await make('buf', every(HOUR));
      const first = await c().triggerJob(all.id);
      expect(ms((await get(all.id)).nextRunAt)).toBe(T0 + HOUR); // (3): the trigger is a fire at T0
      await t().advanceTime(10);
      const second = await c().triggerJob(all.id);
      expect(second.id).not.toBe(first.id);
      expect(second.startedAt.getTime()).toBe(T0 + 10);
      const both = await get(all.id);
      expect(both.runningExecutions.map((e) => e.id)).toEqual([first.id, second.id]);
      expect(ms(both.nextRunAt)).toBe(T0 + HOUR);
      expect(both.stats).toEqual(counters({ runs: 2 }));
      await expectCode(c().triggerJob(all.id, { overlap: 'skip' }), 'INVALID_STATE'); // the call's overlap decides
      await c().triggerJob(buf.id);
      await expectCode(c().triggerJob(buf.id), 'INVALID_STATE');
      await expectCode(c().triggerJob(buf.id, { overlap: 'buffer_one' }), 'INVALID_STATE');
      const beside = await c().triggerJob(buf.id, { overlap: 'allow_all' });
      expect((await get(buf.id)).runningExecutions.map((e) => e.id)).toContain(beside.id);
      expect((await get(buf.id)).policy.overlap).toBe('buffer_one'); // for that run alone
      script().releaseAll('all');
      script().releaseAll('buf');
      await t().advanceTime(0);
      expect((await get(all.id)).stats).toEqual(counters({ runs: 2, succeeded: 2 }));
      expect((await get(buf.id)).stats).toEqual(counters({ runs: 2, succeeded: 2 }));
    });

    it('a paused job, or one whose maxRuns runs have all started, is INVALID_STATE whatever the overlap', async () => {
      const paused = await make('paused', every(HOUR), { overlap: 'allow_all' });
      await c().pauseJob(paused.id);
      await expectCode(c().triggerJob(paused.id), 'INVALID_STATE');
      await expectCode(c().triggerJob(paused.id, { overlap: 'allow_all' }), 'INVALID_STATE');
      expect(await runs(paused.id)).toEqual([]);
      script().script('once only', 'gate');
      const limited = await make('once only', every(HOUR), { overlap: 'allow_all', maxRuns: 1 });
      await c().triggerJob(limited.id);
      const running = await get(limited.id);
      expect(running).toMatchObject({ status: 'running', remainingRuns: 0 });
      expect(running.nextRunAt).toBeUndefined(); // no fire left
      const exhausted = await expectCode(c().triggerJob(limited.id), 'INVALID_STATE');
      expect(exhausted).toMatchObject({ operation: 'triggerJob', jobId: limited.id, limit: 'a run left under policy.max_runs' });
      script().release('once only');
      await t().advanceTime(0);
      expect((await get(limited.id)).status).toBe('completed');
      expect(await runs(limited.id)).toHaveLength(1);
    });

    it("refuses an overlap that is not listed (INVALID_ARGUMENT on 'overlap')", async () => {
      const job = await make('bad overlap', every(HOUR));
      const error = await expectCode(c().triggerJob(job.id, { overlap: 'sometimes' as never }), 'INVALID_ARGUMENT');
      expect(error).toMatchObject({ operation: 'triggerJob', field: 'overlap', limit: 'an overlap policy' });
      expect(await runs(job.id)).toEqual([]);
    });
  });

  describe('waitForExecution', () => {
    it('resolves with the final result when the attempt ends later on the clock', async () => {
      const T0 = t().now();
      script().script('slow', 'hang');
      const job = await make('slow', Schedule.oneShot(new Date(T0)), undefined, { timeoutSecs: 5, maxRetries: 0 });
      await t().advanceTime(0);
      const [attempt] = await runs(job.id);
      expect(attempt!.result).toBe('running');
      let settled = false;
      const waiting = c()
        .waitForExecution(attempt!.id)
        .finally(() => {
          settled = true;
        });
      await t().advanceTime(4999);
      expect(settled).toBe(false);
      await t().advanceTime(1);
      const ended = await waiting;
      expect(ended).toMatchObject({ id: attempt!.id, jobId: job.id, result: 'timed_out', attempt: 1 });
      expect(ms(ended.finishedAt)).toBe(T0 + 5000);
      expect(ended).toEqual((await runs(job.id))[0]);
    });

    it('resolves at once for an attempt that already ended', async () => {
      script().script('done', 'fail', 'succeed');
      const job = await make('done', Schedule.oneShot(new Date(t().now())));
      await t().advanceTime(1000);
      const [failed, succeeded] = await runs(job.id);
      expect(await c().waitForExecution(failed!.id)).toEqual(failed);
      expect(await c().waitForExecution(succeeded!.id)).toEqual(succeeded);
    });

    it('JOB_NOT_FOUND for an unknown id and INVALID_ARGUMENT for an empty one, on execution_id', async () => {
      const unknown = await expectCode(c().waitForExecution('00000000-0000-7000-8000-000000000000'), 'JOB_NOT_FOUND');
      expect(unknown).toMatchObject({ operation: 'waitForExecution', field: 'execution_id' });
      expect(unknown.message).toContain('00000000-0000-7000-8000-000000000000');
      expect(await expectCode(c().waitForExecution(''), 'INVALID_ARGUMENT')).toMatchObject({ operation: 'waitForExecution', field: 'execution_id', limit: '1..128 code points' });
    });

    it('TIMEOUT after timeoutMs and CANCELLED by an aborted signal, while the attempt is in flight', async () => {
      script().script('held', 'gate');
      const job = await make('held', Schedule.oneShot(new Date(t().now())));
      await t().advanceTime(0);
      const [attempt] = await runs(job.id);
      const timing = expectCode(c().waitForExecution(attempt!.id, { timeoutMs: 50 }), 'TIMEOUT');
      await t().advanceTime(50); // the in-memory client counts it on its clock, a remote one in real time
      expect((await timing).operation).toBe('waitForExecution');
      expect((await expectCode(c().waitForExecution(attempt!.id, { signal: AbortSignal.abort() }), 'CANCELLED')).operation).toBe('waitForExecution');
      const controller = new AbortController();
      const waiting = c().waitForExecution(attempt!.id, { signal: controller.signal });
      controller.abort();
      await expectCode(waiting, 'CANCELLED');
      script().release('held');
      await t().advanceTime(0);
      expect((await c().waitForExecution(attempt!.id)).result).toBe('succeeded');
    });
  });

  describe('watchExecutions', () => {
    it('yields the attempt in flight, then each start and finish in order, and ends when the job has ended', async () => {
      const T0 = t().now();
      script().script('watched', 'gate', 'succeed');
      const job = await make('watched', Schedule.oneShot(new Date(T0 + 1000)), undefined, { maxRetries: 1 });
      await t().advanceTime(1000);
      const updates = c().watchExecutions(job.id)[Symbol.asyncIterator]();
      const first = await updates.next();
      expect(first.done).toBe(false);
      const inFlight = first.value as JobExecution;
      expect(inFlight).toMatchObject({ jobId: job.id, attempt: 1, result: 'running' });
      script().release('watched', 'fail');
      await t().advanceTime(1000); // the retry starts at +2 s and succeeds
      const rest = await drain(updates);
      expect(rest.map((e) => [e.attempt, e.result])).toEqual([
        [1, 'failed'],
        [2, 'running'],
        [2, 'succeeded'],
      ]);
      const attempts = await runs(job.id);
      expect(rest[0]).toEqual(attempts[0]);
      expect(rest[0]!.id).toBe(inFlight.id);
      expect(rest[1]!.id).toBe(attempts[1]!.id);
      expect(rest[1]!.startedAt.getTime()).toBe(T0 + 2000);
      expect(rest[2]).toEqual(attempts[1]);
      expect((await get(job.id)).status).toBe('completed');
    });

    it("several attempts in flight (allow_all) come first, oldest first; a cancelled job's stream ends when the last one is recorded", async () => {
      script().script('pair', 'gate');
      const job = await make('pair', every(HOUR), { overlap: 'allow_all' });
      const a = await c().triggerJob(job.id);
      await t().advanceTime(10);
      const b = await c().triggerJob(job.id);
      const updates = c().watchExecutions({ id: job.id })[Symbol.asyncIterator]();
      const initial = [(await updates.next()).value as JobExecution, (await updates.next()).value as JobExecution];
      expect(initial).toEqual([a, b]);
      await c().cancelJob(job.id);
      expect(script().signals.get('pair')!.map((signal) => signal.aborted)).toEqual([true, true]);
      script().release('pair', 'succeed');
      script().release('pair', 'fail');
      await t().advanceTime(0);
      const rest = await drain(updates);
      expect(rest.map((e) => [e.id, e.result])).toEqual([
        [a.id, 'succeeded'],
        [b.id, 'failed'],
      ]);
    });

    it('ends at once for an ended job, after the aborted attempt for a deleted one; JOB_NOT_FOUND for an unknown one', async () => {
      const done = await make('done', Schedule.oneShot(new Date(t().now())));
      await t().advanceTime(0);
      expect(await collectAll(c().watchExecutions(done.id))).toEqual([]);
      script().script('doomed', 'gate');
      const doomed = await make('doomed', every(SEC), undefined, { key: 'doomed' });
      await t().advanceTime(1000);
      const updates = c().watchExecutions({ key: 'doomed' })[Symbol.asyncIterator]();
      const inFlight = (await updates.next()).value as JobExecution;
      expect(inFlight).toMatchObject({ jobId: doomed.id, result: 'running' });
      await c().deleteJob(doomed.id);
      const rest = await drain(updates);
      expect(rest).toHaveLength(1);
      expect(rest[0]).toMatchObject({ id: inFlight.id, result: 'failed', error: 'the job was deleted' });
      script().release('doomed');
      const error = await expectCode(updatesOf(c().watchExecutions(doomed.id)), 'JOB_NOT_FOUND');
      expect(error).toMatchObject({ operation: 'watchExecutions', jobId: doomed.id });
    });

    it('breaking out of the loop stops the watch; the job goes on', async () => {
      script().queue('broken', 'gate');
      const job = await make('broken', every(SEC));
      await t().advanceTime(1000);
      const seen: JobExecution[] = [];
      for await (const e of c().watchExecutions(job.id)) {
        seen.push(e);
        break;
      }
      expect(seen.map((e) => e.result)).toEqual(['running']);
      script().release('broken');
      await t().advanceTime(2000);
      expect((await runs(job.id)).map((r) => r.result)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    });
  });

  describe('policy on createJob, applyJob and updateJob', () => {
    it('a job shows its policy with the defaults filled in, zero counters and nothing in flight', async () => {
      const T0 = t().now();
      const plain = await make('plain', every(HOUR));
      expect(plain.policy).toEqual(DEFAULT_JOB_POLICY);
      expect(plain.stats).toEqual(ZERO);
      expect(plain.runningExecutions).toEqual([]);
      for (const field of ['statusNote', 'lastRunAt', 'lastRunAtExact', 'lastResult', 'remainingRuns'] as const) expect(plain[field], field).toBeUndefined();
      const full: SchedulePolicy = {
        overlap: 'allow_all',
        catchupWindowMs: MIN,
        startAt: new Date(T0 + HOUR),
        endAt: new Date(T0 + 48 * HOUR),
        maxRuns: 5,
        jitterMs: 1500,
        retryBackoff: { initialMs: 250 },
        pauseOnFailure: true,
      };
      const job = await make('full', every(HOUR), full);
      expect(job.policy).toEqual({ ...full, retryBackoff: { initialMs: 250, maxMs: 60_000, multiplier: 2 } });
      expect(job.remainingRuns).toBe(5);
      expect(await get(job.id)).toEqual(job);
      // Explicit defaults are the defaults: shown as such.
      const explicit = await make('explicit', every(HOUR), { overlap: 'buffer_one', maxRuns: 0, jitterMs: 0, retryBackoff: { initialMs: 1000, maxMs: 60_000, multiplier: 2 }, pauseOnFailure: false });
      expect(explicit.policy).toEqual(DEFAULT_JOB_POLICY);
      expect(explicit.remainingRuns).toBeUndefined();
    });

    it("applyJob: a changed policy is UPDATED with 'policy' last in changedFields; the same policy, or the defaults written out, is UNCHANGED", async () => {
      const policy: SchedulePolicy = { overlap: 'skip', jitterMs: 1000 };
      const spec = (p?: SchedulePolicy, extra: Partial<JobSpec> = {}): JobSpec => ({ name: 'applied', schedule: every(HOUR), payload: 1, ...extra, ...(p === undefined ? {} : { policy: p }) });
      const created = await c().applyJob('applied', spec(policy));
      expect(created.action).toBe('created');
      expect(created.job!.policy).toMatchObject(policy);
      expect(await c().applyJob('applied', spec({ jitterMs: 1000, overlap: 'skip', maxRuns: 0 }))).toEqual({ action: 'unchanged', changedFields: [], job: created.job });
      const dry = await c().applyJob('applied', spec({ overlap: 'allow_all' }), { dryRun: true });
      expect(dry).toEqual({ action: 'updated', changedFields: ['policy'], job: created.job });
      const updated: ApplyJobResult = await c().applyJob('applied', spec({ overlap: 'allow_all' }, { name: 'renamed' }));
      expect(updated).toMatchObject({ action: 'updated', changedFields: ['name', 'policy'], job: { revision: 2, policy: { overlap: 'allow_all' } } });
      expect(updated.job!.policy.jitterMs).toBeUndefined(); // the whole policy is replaced
      const plain = await c().applyJob('plain', { name: 'plain', schedule: every(HOUR) });
      const defaults: SchedulePolicy = { overlap: 'buffer_one', maxRuns: 0, jitterMs: 0, retryBackoff: { initialMs: 1000, maxMs: 60_000, multiplier: 2 }, pauseOnFailure: false };
      const withDefaults: JobSpec = { name: 'plain', schedule: every(HOUR), policy: defaults };
      expect(await c().applyJob('plain', withDefaults)).toEqual({ action: 'unchanged', changedFields: [], job: plain.job });
      expect(await c().applyJob('plain', { ...withDefaults, policy: {} })).toEqual({ action: 'unchanged', changedFields: [], job: plain.job });
    });

    it('a changed policy applies from the change on: the planned fire keeps its instant, or is planned afresh before startAt or when none was planned', async () => {
      const T0 = t().now();
      const job = await make('replanned', every(MIN));
      await t().advanceTime(10_000);
      const jittered = await c().updateJob(job.id, { policy: { jitterMs: 30_000 } });
      expect(ms(jittered.nextRunAt)).toBe(dueTime(job.id, T0 + MIN, 30_000, T0 + 2 * MIN)); // the instant of T0 + 1 min kept
      const later = await c().updateJob(job.id, { policy: { startAt: new Date(T0 + HOUR + 5) } });
      expect(ms(later.nextRunAt)).toBe(T0 + HOUR + 5); // before startAt: planned afresh, first at startAt
      const ended = await c().updateJob(job.id, { policy: { endAt: new Date(T0 + 5000) } });
      expect(ended.status).toBe('completed'); // no fire left, nothing in progress
      expect(ended.nextRunAt).toBeUndefined();
      script().script('raised', 'gate');
      const limited = await make('raised', every(MIN), { maxRuns: 1 });
      await c().triggerJob(limited.id);
      expect((await get(limited.id)).nextRunAt).toBeUndefined();
      const raised = await c().updateJob(limited.id, { policy: { maxRuns: 3 } });
      expect(raised).toMatchObject({ status: 'running', remainingRuns: 2 });
      expect(ms(raised.nextRunAt)).toBe(t().now() + MIN); // none was planned: planned from now
      script().release('raised');
      await t().advanceTime(0);
      expect((await get(limited.id)).status).toBe('pending');
    });

    it('a held fire stays held through a policy change, and the run in progress goes on', async () => {
      const T0 = t().now();
      script().queue('kept held', 'gate');
      const job = await make('kept held', every(SEC));
      await t().advanceTime(2500); // the run of +1 s, the fire of +2 s held
      const changed = await c().updateJob(job.id, { policy: { overlap: 'skip' } });
      expect(changed).toMatchObject({ status: 'running', policy: { overlap: 'skip' } });
      script().release('kept held');
      await t().advanceTime(0);
      expect(await starts(job.id)).toEqual([T0 + 1000, T0 + 2500]);
      expect((await get(job.id)).stats).toEqual(counters({ runs: 2, succeeded: 2 }));
    });

    it('updateJob: { policy } replaces the whole policy, { policy: undefined } resets it, the same policy keeps the revision', async () => {
      const job = await make('updated', every(HOUR));
      const changes = (policy: SchedulePolicy | undefined): Partial<JobSpec> => ({ policy });
      const limited = await c().updateJob(job.id, changes({ overlap: 'skip', maxRuns: 3 }));
      expect(limited).toMatchObject({ revision: 2, remainingRuns: 3, policy: { overlap: 'skip', maxRuns: 3 } });
      expect(await c().updateJob(job.id, changes({ maxRuns: 3, overlap: 'skip', jitterMs: 0 }))).toEqual(limited);
      const replaced = await c().updateJob(job.id, changes({ jitterMs: 500 }));
      expect(replaced).toMatchObject({ revision: 3, policy: { overlap: 'buffer_one', jitterMs: 500 } });
      expect(replaced.policy.maxRuns).toBeUndefined();
      expect(replaced.remainingRuns).toBeUndefined();
      const reset = await c().updateJob(job.id, changes(undefined));
      expect(reset.revision).toBe(4);
      expect(reset.policy).toEqual(DEFAULT_JOB_POLICY);
      expect(await c().updateJob(job.id, changes({}))).toEqual(reset);
      expect(await get(job.id)).toEqual(reset);
    });
  });

  describe('policy validation', () => {
    type Case = [string, () => SchedulePolicy, string, string];
    const T = () => t().now();
    const rejected = (): Case[] => [
      ['overlap not listed', () => ({ overlap: 'sometimes' as never }), 'policy.overlap', 'an overlap policy'],
      ['catchupWindowMs 999', () => ({ catchupWindowMs: 999 }), 'policy.catchup_window', '1000..3155760000000 ms'],
      ['catchupWindowMs 1000.5', () => ({ catchupWindowMs: 1000.5 }), 'policy.catchup_window', 'a whole number of milliseconds'],
      ['catchupWindowMs over 100 years', () => ({ catchupWindowMs: 3_155_760_000_001 }), 'policy.catchup_window', '1000..3155760000000 ms'],
      ['endAt before startAt', () => ({ startAt: new Date(T() + 2000), endAt: new Date(T() + 1999) }), 'policy.end_at', 'no earlier than policy.start_at'],
      ['maxRuns -1', () => ({ maxRuns: -1 }), 'policy.max_runs', '0..1000000000'],
      ['maxRuns 1000000001', () => ({ maxRuns: 1_000_000_001 }), 'policy.max_runs', '0..1000000000'],
      ['maxRuns 2.5', () => ({ maxRuns: 2.5 }), 'policy.max_runs', '0..1000000000'],
      ['jitterMs -1', () => ({ jitterMs: -1 }), 'policy.jitter', '0..86400000 ms'],
      ['jitterMs 86400001', () => ({ jitterMs: 86_400_001 }), 'policy.jitter', '0..86400000 ms'],
      ['jitterMs 0.5', () => ({ jitterMs: 0.5 }), 'policy.jitter', 'a whole number of milliseconds'],
      ['initialMs 1.5', () => ({ retryBackoff: { initialMs: 1.5 } }), 'policy.retry_backoff.initial', 'a whole number of milliseconds'],
      ['initialMs 0', () => ({ retryBackoff: { initialMs: 0 } }), 'policy.retry_backoff.initial', '1..3600000 ms'],
      ['initialMs 3600001', () => ({ retryBackoff: { initialMs: 3_600_001, maxMs: 86_400_000 } }), 'policy.retry_backoff.initial', '1..3600000 ms'],
      ['maxMs 86400001', () => ({ retryBackoff: { maxMs: 86_400_001 } }), 'policy.retry_backoff.maximum', '1..86400000 ms'],
      ['maxMs below initialMs', () => ({ retryBackoff: { initialMs: 500, maxMs: 499 } }), 'policy.retry_backoff.maximum', 'no less than policy.retry_backoff.initial'],
      ['multiplier 0.5', () => ({ retryBackoff: { multiplier: 0.5 } }), 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
      ['multiplier 11', () => ({ retryBackoff: { multiplier: 11 } }), 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
      ['multiplier NaN', () => ({ retryBackoff: { multiplier: Number.NaN } }), 'policy.retry_backoff.multiplier', 'a number from 1 to 10'],
    ];

    it('refuses a bad policy on createJob, naming policy.<field> and the limit, and creates nothing', async () => {
      const existing = await make('existing', every(HOUR));
      for (const [what, policy, field, limit] of rejected()) {
        const error = await expectCode(make('bad', every(HOUR), policy()), 'INVALID_ARGUMENT').catch((e: unknown) => {
          throw new Error(`${what}: ${String(e)}`);
        });
        expect({ operation: error.operation, field: error.field, limit: error.limit }, what).toEqual({ operation: 'createJob', field, limit });
        expect(error.message.startsWith('createJob: '), error.message).toBe(true);
      }
      const startAt = await expectCode(make('bad', every(HOUR), { startAt: new Date(Number.NaN) }), 'INVALID_ARGUMENT');
      expect(startAt.field).toBe('policy.start_at');
      expect(await c().listJobs()).toEqual([existing]);
    });

    it('refuses it in applyJob and updateJob on spec.policy.<field>, changing nothing', async () => {
      const job = await make('kept', every(HOUR), undefined, { key: 'kept' });
      const T0 = t().now();
      const endBeforeStart: JobSpec = { name: 'kept', schedule: every(HOUR), payload: { name: 'kept' }, policy: { startAt: new Date(T0 + 2000), endAt: new Date(T0 + 1000) } };
      expect(await expectCode(c().applyJob('kept', endBeforeStart), 'INVALID_ARGUMENT')).toMatchObject({ operation: 'applyJob', field: 'spec.policy.end_at', limit: 'no earlier than policy.start_at' });
      const badJitter: Partial<JobSpec> = { policy: { jitterMs: -5 } };
      expect(await expectCode(c().updateJob(job.id, badJitter), 'INVALID_ARGUMENT')).toMatchObject({ operation: 'updateJob', field: 'spec.policy.jitter', limit: '0..86400000 ms' });
      const badOverlap: JobSpec = { name: 'new', schedule: every(HOUR), policy: { overlap: 'never' as never } };
      expect(await expectCode(c().applyJob('new', badOverlap), 'INVALID_ARGUMENT')).toMatchObject({ field: 'spec.policy.overlap', limit: 'an overlap policy' });
      expect(await c().listJobs()).toEqual([job]);
    });

    it('accepts every value at its limit', async () => {
      const T0 = t().now();
      const accepted: SchedulePolicy[] = [
        { catchupWindowMs: 1000 },
        { catchupWindowMs: 3_155_760_000_000 },
        { maxRuns: 1_000_000_000 },
        { jitterMs: 86_400_000 },
        { retryBackoff: { initialMs: 1, maxMs: 1, multiplier: 1 } },
        { retryBackoff: { initialMs: 3_600_000, maxMs: 86_400_000, multiplier: 10 } },
        { startAt: new Date(T0 + HOUR), endAt: new Date(T0 + HOUR) },
      ];
      for (const policy of accepted) {
        const job = await make('at the limit', every(HOUR), policy).catch((e: unknown) => {
          throw new Error(`${JSON.stringify(policy)} was refused: ${String(e)}`);
        });
        expect(job.policy, JSON.stringify(policy)).toMatchObject(policy);
      }
    });
  });
}

/** The rest of an iteration, to its end. */
async function drain<T>(items: AsyncIterator<T>): Promise<T[]> {
  const out: T[] = [];
  for (;;) {
    const step = await items.next();
    if (step.done === true) return out;
    out.push(step.value);
  }
}

async function collectAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  return drain(items[Symbol.asyncIterator]());
}

/** The first step of an iteration, where an iterator reports an error. */
function updatesOf<T>(items: AsyncIterable<T>): Promise<IteratorResult<T>> {
  return items[Symbol.asyncIterator]().next();
}
