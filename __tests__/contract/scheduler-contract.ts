import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  OWNER_LABEL,
  Schedule,
  ScheduleDiff,
  type ApplyJobResult,
  type InMemoryJobCompletedSubscriber,
  type Job,
  type JobCompletedEvent,
  type JobExecutor,
  type JobFilter,
  type JobRef,
  type JobRequest,
  type JobSpec,
  type JsonValue,
  type KeyedJobSpec,
  type SchedulerClient,
  type SchedulerErrorCode,
} from '../../src/index.js';
import { ScriptedExecutor } from '../support/scripted-executor.js';
import { expectCode } from '../support/expect-code.js';
import { policiesContract } from './policies-contract.js';

/** One scheduler under test: a client, and control over the scheduler's virtual clock. */
export interface ContractTarget {
  client: SchedulerClient;
  /** Moves the scheduler's virtual clock, firing what falls due. */
  advanceTime(ms: number): Promise<void>;
  /**
   * Moves the scheduler's virtual clock forward at once (VirtualClock.jump), as if the server had
   * been down: what fell due on the way fires afterwards, late (for the catch-up rule).
   */
  jumpTime(ms: number): Promise<void>;
  /** The scheduler's current time. */
  now(): number;
  /** Completion events of the scheduler. */
  completions(): InMemoryJobCompletedSubscriber;
  close(): Promise<void>;
}

/** Builds a fresh target whose scheduler runs attempts through `executor`. */
export type ContractFactory = (executor: JobExecutor) => Promise<ContractTarget>;

const HOUR = 3_600_000;

/**
 * The behaviour every SchedulerClient must show: every cell of the lifecycle table, every
 * validation limit on both sides, not-found for every operation, filters, ordering, retries and
 * timeouts. It runs unchanged against each implementation.
 */
export function schedulerContract(label: string, factory: ContractFactory): void {
  describe(`SchedulerClient contract: ${label}`, () => {
    let t: ContractTarget;
    let script: ScriptedExecutor;
    let client: ContractTarget['client'];
    const req = (name: string, schedule: Schedule, extra: Partial<JobRequest> = {}): JobRequest => ({ name, schedule, payload: { name }, ...extra });
    const interval = (name: string, extra: Partial<JobRequest> = {}) => client.createJob(req(name, Schedule.interval(1000), extra));
    const oneShot = (name: string, inMs: number, extra: Partial<JobRequest> = {}) =>
      client.createJob(req(name, Schedule.oneShot(new Date(t.now() + inMs)), extra));
    const status = async (id: string) => (await client.getJob(id)).status;
    // Every method that names one job, by id or key.
    const jobMethods: [string, (ref: JobRef) => Promise<unknown>][] = [
      ['getJob', (ref) => client.getJob(ref)],
      ['pauseJob', (ref) => client.pauseJob(ref)],
      ['resumeJob', (ref) => client.resumeJob(ref)],
      ['cancelJob', (ref) => client.cancelJob(ref)],
      ['triggerJob', (ref) => client.triggerJob(ref)],
      ['getExecutions', (ref) => client.getExecutions(ref)],
      ['iterateExecutions', (ref) => first(client.iterateExecutions(ref))],
      ['updateJob', (ref) => client.updateJob(ref, { name: 'renamed' })],
      ['deleteJob', (ref) => client.deleteJob(ref)],
      ['describeJob', (ref) => client.describeJob(ref)],
      ['watchExecutions', (ref) => first(client.watchExecutions(ref))],
    ];
    const executions = (id: string) => client.getExecutions(id);

    beforeEach(async () => {
      script = new ScriptedExecutor();
      t = await factory(script.executor);
      client = t.client;
    });
    afterEach(async () => {
      await t.close();
    });

    // ---- schedule policies, describeJob, waitForExecution, watchExecutions (proto: "Schedule policies")
    policiesContract({ target: () => t, script: () => script });

    describe('createJob', () => {
      it('returns a pending job with defaults, an id, createdAt and nextRunAt', async () => {
        const job = await interval('defaults');
        expect(job).toMatchObject({ name: 'defaults', status: 'pending', maxRetries: 3, timeoutSecs: 60, payload: { name: 'defaults' } });
        expect(job.id).toMatch(/^[0-9a-f-]{36}$/);
        expect(job.createdAt.getTime()).toBe(t.now());
        expect(job.nextRunAt?.getTime()).toBe(t.now() + 1000);
        expect(await client.getJob(job.id)).toEqual(job);
      });

      it('returns the exact form of every timestamp beside its Date (createdAtExact, nextRunAtExact, startedAtExact, finishedAtExact)', async () => {
        const exact = (d: Date) => ({ seconds: Math.floor(d.getTime() / 1000), nanos: (((d.getTime() % 1000) + 1000) % 1000) * 1_000_000 });
        await t.advanceTime(123);
        const job = await interval('exact');
        expect(job.createdAtExact).toEqual(exact(job.createdAt));
        expect(job.nextRunAtExact).toEqual(exact(job.nextRunAt!));
        await t.advanceTime(1000);
        const [run] = await executions(job.id);
        expect(run!.startedAtExact).toEqual(exact(run!.startedAt));
        expect(run!.finishedAtExact).toEqual(exact(run!.finishedAt!));
        expect(await client.getJob(job.id)).toMatchObject({ createdAtExact: job.createdAtExact });
      });

      it('computes nextRunAt for cron in its time zone, one-shot and interval', async () => {
        const cron = await client.createJob(req('cron', Schedule.cron('0 9 * * *', { timezone: 'Asia/Tokyo' })));
        const next = cron.nextRunAt!;
        expect(next.getTime()).toBeGreaterThan(t.now());
        expect(next.getTime() - t.now()).toBeLessThanOrEqual(24 * HOUR);
        expect(next.getUTCHours()).toBe(0); // 09:00 in Tokyo is 00:00 UTC
        expect(cron.schedule).toEqual({ type: 'cron', expression: '0 9 * * *', timezone: 'Asia/Tokyo' });
        const runAt = new Date(t.now() + 5000);
        const once = await client.createJob(req('once', Schedule.oneShot(runAt)));
        expect(once.nextRunAt).toEqual(runAt);
        const every = await client.createJob(req('every', Schedule.interval(90_000)));
        expect(every.nextRunAt?.getTime()).toBe(t.now() + 90_000);
      });

      it('defaults the cron time zone to UTC', async () => {
        const job = await client.createJob(req('utc', Schedule.cron('0 0 * * *')));
        expect(job.schedule).toEqual({ type: 'cron', expression: '0 0 * * *', timezone: 'UTC' });
        expect(job.nextRunAt!.getUTCHours()).toBe(0);
      });

      it('accepts a 6-field cron with seconds and fires on the second', async () => {
        const job = await client.createJob(req('secs', Schedule.cron('*/10 * * * * *')));
        expect(job.nextRunAt!.getTime() % 10_000).toBe(0);
        await t.advanceTime(60_000);
        const runs = await executions(job.id);
        expect(runs.length).toBe(6);
        for (const run of runs) expect(run.startedAt.getTime() % 10_000).toBe(0);
      });

      it('keeps the payload exactly, including unicode and nested values', async () => {
        const payload = { text: 'zażółć 🚀', n: -1.5e-7, list: [1, 'two', null, true, { deep: [[]] }], empty: {} };
        const job = await client.createJob({ name: 'payload', schedule: Schedule.interval(1000), payload });
        expect(job.payload).toEqual(payload);
        expect((await client.getJob(job.id)).payload).toEqual(payload);
        // A "__proto__" key would be dropped by protobuf's JavaScript runtimes: it is refused, not lost.
        const tricky = JSON.parse('{"__proto__":{"polluted":true},"constructor":"c"}') as JsonValue;
        await expectCode(client.createJob({ name: 'proto-key', schedule: Schedule.interval(1000), payload: tricky }), 'INVALID_ARGUMENT');
        const constructorKey = await client.createJob({ name: 'ctor-key', schedule: Schedule.interval(1000), payload: { constructor: 'c', toString: 1 } });
        expect((await client.getJob(constructorKey.id)).payload).toEqual({ constructor: 'c', toString: 1 });
        for (const scalar of [null, 0, 'just a string', false]) {
          const j = await client.createJob({ name: 'scalar', schedule: Schedule.interval(1000), payload: scalar });
          expect(j.payload).toEqual(scalar);
        }
      });

      it('returns the first job for a repeated requestId and rejects its reuse for another request', async () => {
        const first = await interval('idem', { requestId: 'req-1' });
        const again = await interval('idem', { requestId: 'req-1' });
        expect(again.id).toBe(first.id);
        expect((await client.listJobs()).length).toBe(1);
        // Object keys have no order: the same payload with its keys reordered is the same request.
        const ordered = await client.createJob({ ...req('keys', Schedule.interval(1000)), payload: { a: 1, b: { c: 2, d: 3 } }, requestId: 'req-2' });
        const reordered = await client.createJob({ ...req('keys', Schedule.interval(1000)), payload: { b: { d: 3, c: 2 }, a: 1 }, requestId: 'req-2' });
        expect(reordered.id).toBe(ordered.id);
        expect((await client.listJobs()).length).toBe(2);
        const error = await expectCode(interval('other', { requestId: 'req-1' }), 'INVALID_ARGUMENT');
        expect(error.message).toContain('requestId');
        expect((await client.listJobs()).length).toBe(2);
      });
    });

    describe('lifecycle: pending', () => {
      it('pause -> paused, and nextRunAt is cleared', async () => {
        const job = await interval('p');
        await client.pauseJob(job.id);
        const after = await client.getJob(job.id);
        expect(after.status).toBe('paused');
        expect(after.nextRunAt).toBeUndefined();
      });

      it('resume is a no-op', async () => {
        const job = await interval('p');
        await client.resumeJob(job.id);
        expect(await client.getJob(job.id)).toEqual(job);
      });

      it('cancel -> cancelled, and it never fires', async () => {
        const job = await interval('p');
        await client.cancelJob(job.id);
        const after = await client.getJob(job.id);
        expect(after.status).toBe('cancelled');
        expect(after.nextRunAt).toBeUndefined();
        await t.advanceTime(10_000);
        expect(await executions(job.id)).toEqual([]);
      });

      it('fires -> running while the attempt is in flight', async () => {
        script.script('p', 'gate');
        const job = await interval('p');
        await t.advanceTime(1000);
        expect(await status(job.id)).toBe('running');
        const [run] = await executions(job.id);
        expect(run).toMatchObject({ jobId: job.id, result: 'running', attempt: 1 });
        expect(run!.finishedAt).toBeUndefined();
        expect(run!.startedAt.getTime()).toBe(job.nextRunAt!.getTime());
        script.release('p');
        await t.advanceTime(0);
        expect(await status(job.id)).toBe('pending');
      });
    });

    describe('lifecycle: running', () => {
      it('pause -> paused; the attempt in flight finishes and is recorded; nothing more runs', async () => {
        script.script('r', 'gate');
        const job = await interval('r');
        await t.advanceTime(1000);
        await client.pauseJob(job.id);
        expect(await status(job.id)).toBe('paused');
        script.release('r', 'fail');
        await t.advanceTime(10_000);
        const runs = await executions(job.id);
        expect(runs.map((r) => r.result)).toEqual(['failed']); // no retry while paused
        expect(await status(job.id)).toBe('paused');
        expect((await client.getJob(job.id)).nextRunAt).toBeUndefined();
      });

      it('pause of a running one-shot whose attempt then succeeds -> completed', async () => {
        script.script('once', 'gate');
        const job = await oneShot('once', 100);
        await t.advanceTime(100);
        await client.pauseJob(job.id);
        script.release('once');
        await t.advanceTime(0);
        expect(await status(job.id)).toBe('completed');
        await expectCode(client.resumeJob(job.id), 'INVALID_STATE');
      });

      it('resume is a no-op', async () => {
        script.script('r', 'gate');
        const job = await interval('r');
        await t.advanceTime(1000);
        const before = await client.getJob(job.id);
        await client.resumeJob(job.id);
        expect(await client.getJob(job.id)).toEqual(before);
        expect(before.status).toBe('running');
      });

      it('cancel -> cancelled; the attempt is told to stop, and its outcome is still recorded', async () => {
        script.script('r', 'gate');
        const job = await interval('r', { maxRetries: 5 });
        await t.advanceTime(1000);
        await client.cancelJob(job.id);
        expect(await status(job.id)).toBe('cancelled');
        expect(script.signals.get('r')![0]!.aborted).toBe(true);
        script.release('r', 'fail');
        await t.advanceTime(120_000);
        const runs = await executions(job.id);
        expect(runs.map((r) => r.result)).toEqual(['failed']); // recorded, never retried
        expect(await status(job.id)).toBe('cancelled');
      });

      it('finish of a recurring job -> pending, with the next run planned', async () => {
        const job = await interval('r');
        await t.advanceTime(1000);
        const after = await client.getJob(job.id);
        expect(after.status).toBe('pending');
        expect(after.nextRunAt!.getTime()).toBe(t.now() + 1000);
        expect((await executions(job.id)).map((r) => r.result)).toEqual(['succeeded']);
      });

      it('finish of a one-shot that succeeded -> completed', async () => {
        const job = await oneShot('once', 500);
        await t.advanceTime(500);
        const after = await client.getJob(job.id);
        expect(after.status).toBe('completed');
        expect(after.nextRunAt).toBeUndefined();
        const [run] = await executions(job.id);
        expect(run).toMatchObject({ result: 'succeeded', attempt: 1 });
        expect(run!.finishedAt!.getTime()).toBe(run!.startedAt.getTime());
      });

      it('finish of a one-shot that failed on every attempt -> failed', async () => {
        script.script('once', 'fail');
        const job = await oneShot('once', 0, { maxRetries: 1 });
        await t.advanceTime(10_000);
        expect(await status(job.id)).toBe('failed');
        const runs = await executions(job.id);
        expect(runs.map((r) => [r.attempt, r.result])).toEqual([
          [1, 'failed'],
          [2, 'failed'],
        ]);
        expect(runs[1]!.error).toContain('scripted failure of attempt 2');
      });

      it('resume while its attempt is still in flight -> running, and the run continues', async () => {
        script.script('r', 'gate', 'succeed');
        const job = await client.createJob(req('r', Schedule.interval(60_000), { maxRetries: 1 }));
        await t.advanceTime(60_000);
        await client.pauseJob(job.id);
        await client.resumeJob(job.id);
        expect(await status(job.id)).toBe('running');
        expect((await client.getJob(job.id)).nextRunAt!.getTime()).toBe(t.now() + 60_000);
        script.release('r', 'fail');
        await t.advanceTime(1000); // the retry, 1 s after the failure
        const runs = await executions(job.id);
        expect(runs.map((r) => [r.attempt, r.result])).toEqual([
          [1, 'failed'],
          [2, 'succeeded'],
        ]);
      });
    });

    describe('lifecycle: paused', () => {
      it('pause is a no-op', async () => {
        const job = await interval('p');
        await client.pauseJob(job.id);
        const before = await client.getJob(job.id);
        await client.pauseJob(job.id);
        expect(await client.getJob(job.id)).toEqual(before);
      });

      it('resume -> pending, with nextRunAt recomputed from now', async () => {
        const job = await client.createJob(req('p', Schedule.interval(60_000)));
        await client.pauseJob(job.id);
        await t.advanceTime(150_000);
        await client.resumeJob(job.id);
        const after = await client.getJob(job.id);
        expect(after.status).toBe('pending');
        expect(after.nextRunAt!.getTime()).toBe(t.now() + 60_000);
      });

      it('resume of a cron job plans the next match after now', async () => {
        const job = await client.createJob(req('c', Schedule.cron('0 * * * *')));
        await client.pauseJob(job.id);
        await t.advanceTime(5 * HOUR);
        await client.resumeJob(job.id);
        const after = await client.getJob(job.id);
        expect(after.nextRunAt!.getTime()).toBeGreaterThan(t.now());
        expect(after.nextRunAt!.getTime() - t.now()).toBeLessThanOrEqual(HOUR);
        expect(after.nextRunAt!.getTime() % HOUR).toBe(0);
        expect(await executions(job.id)).toEqual([]);
      });

      it('resume of a one-shot whose time passed runs it at once', async () => {
        const job = await oneShot('once', 1000);
        await client.pauseJob(job.id);
        await t.advanceTime(5000);
        expect(await executions(job.id)).toEqual([]);
        await client.resumeJob(job.id);
        expect((await client.getJob(job.id)).nextRunAt!.getTime()).toBe(t.now());
        await t.advanceTime(0);
        expect(await status(job.id)).toBe('completed');
        expect((await executions(job.id))[0]!.startedAt.getTime()).toBe(t.now());
      });

      it('cancel -> cancelled', async () => {
        const job = await interval('p');
        await client.pauseJob(job.id);
        await client.cancelJob(job.id);
        expect(await status(job.id)).toBe('cancelled');
      });

      it('nothing fires while paused', async () => {
        const job = await interval('p');
        await client.pauseJob(job.id);
        await t.advanceTime(HOUR);
        expect(await executions(job.id)).toEqual([]);
      });
    });

    describe('lifecycle: ended jobs', () => {
      for (const ended of ['completed', 'failed'] as const) {
        it(`${ended}: pause, resume and cancel are INVALID_STATE and change nothing`, async () => {
          if (ended === 'failed') script.script('end', 'fail');
          const job = await oneShot('end', 0, { maxRetries: 0 });
          await t.advanceTime(0);
          const before = await client.getJob(job.id);
          expect(before.status).toBe(ended);
          for (const op of [client.pauseJob, client.resumeJob, client.cancelJob]) {
            const error = await expectCode(op.call(client, job.id), 'INVALID_STATE');
            expect(error.message).toContain(job.id);
            expect(error.message).toContain(ended);
          }
          await expectCode(client.triggerJob(job.id), 'INVALID_STATE');
          expect(await client.getJob(job.id)).toEqual(before);
        });
      }

      it('cancelled: pause and resume are INVALID_STATE; cancel is a no-op', async () => {
        const job = await interval('c');
        await client.cancelJob(job.id);
        const before = await client.getJob(job.id);
        await expectCode(client.pauseJob(job.id), 'INVALID_STATE');
        await expectCode(client.resumeJob(job.id), 'INVALID_STATE');
        await expectCode(client.triggerJob(job.id), 'INVALID_STATE');
        await client.cancelJob(job.id);
        expect(await client.getJob(job.id)).toEqual(before);
      });
    });

    describe('triggerJob', () => {
      it('starts a run of a pending job now and returns its first attempt', async () => {
        script.script('t', 'gate');
        const job = await client.createJob(req('t', Schedule.interval(HOUR)));
        const run = await client.triggerJob(job.id);
        expect(run).toMatchObject({ jobId: job.id, result: 'running', attempt: 1 });
        expect(run.startedAt.getTime()).toBe(t.now());
        expect(await status(job.id)).toBe('running');
        await expectCode(client.triggerJob(job.id), 'INVALID_STATE'); // never twice at once
        script.release('t');
        await t.advanceTime(0);
        const after = await client.getJob(job.id);
        expect(after.status).toBe('pending');
        expect(after.nextRunAt!.getTime()).toBe(run.startedAt.getTime() + HOUR);
      });

      it('is INVALID_STATE for a paused job', async () => {
        const job = await interval('t');
        await client.pauseJob(job.id);
        await expectCode(client.triggerJob(job.id), 'INVALID_STATE');
      });
    });

    describe('retries and timeouts', () => {
      it('retries a failing attempt with backoff 1 s, 2 s, 4 s, each attempt one execution', async () => {
        script.script('flaky', 'fail', 'fail', 'fail', 'succeed');
        const job = await oneShot('flaky', 0);
        await t.advanceTime(60_000);
        const runs = await executions(job.id);
        expect(runs.map((r) => [r.attempt, r.result])).toEqual([
          [1, 'failed'],
          [2, 'failed'],
          [3, 'failed'],
          [4, 'succeeded'],
        ]);
        const gaps = runs.slice(1).map((r, i) => r.startedAt.getTime() - runs[i]!.finishedAt!.getTime());
        expect(gaps).toEqual([1000, 2000, 4000]);
        expect(await status(job.id)).toBe('completed');
      });

      it('stops after maxRetries more attempts', async () => {
        script.script('bad', 'fail');
        const job = await oneShot('bad', 0, { maxRetries: 2 });
        await t.advanceTime(60_000);
        expect((await executions(job.id)).length).toBe(3);
        expect(await status(job.id)).toBe('failed');
      });

      it('maxRetries 0 means one attempt', async () => {
        script.script('bad', 'fail');
        const job = await oneShot('bad', 0, { maxRetries: 0 });
        await t.advanceTime(60_000);
        expect((await executions(job.id)).length).toBe(1);
      });

      it('an attempt that outlives timeoutSecs is timed_out, aborted and retried', async () => {
        script.script('slow', 'hang', 'succeed');
        const job = await oneShot('slow', 0, { timeoutSecs: 5, maxRetries: 1 });
        await t.advanceTime(4_999);
        expect((await executions(job.id))[0]!.result).toBe('running');
        await t.advanceTime(1);
        const [first] = await executions(job.id);
        expect(first).toMatchObject({ result: 'timed_out', attempt: 1 });
        expect(first!.error).toContain('5 s');
        expect(first!.finishedAt!.getTime() - first!.startedAt.getTime()).toBe(5000);
        expect(script.signals.get('slow')![0]!.aborted).toBe(true);
        await t.advanceTime(1000);
        expect((await executions(job.id)).map((r) => r.result)).toEqual(['timed_out', 'succeeded']);
        expect(await status(job.id)).toBe('completed');
      });

      it('a recurring job never runs twice at once; missed fires coalesce into one run', async () => {
        script.script('long', 'gate', 'succeed');
        const job = await interval('long', { timeoutSecs: 600 });
        await t.advanceTime(1000);
        await t.advanceTime(9000); // nine fires fall due while the first run is in flight
        expect((await executions(job.id)).length).toBe(1);
        expect((await client.getJob(job.id)).status).toBe('running');
        script.release('long');
        await t.advanceTime(0);
        const runs = await executions(job.id);
        expect(runs.length).toBe(2); // one coalesced run, at once
        expect(runs[1]!.startedAt.getTime()).toBe(t.now());
        const after = await client.getJob(job.id);
        expect(after.nextRunAt!.getTime()).toBe(t.now() + 1000);
      });

      it('a failed recurring run returns the job to pending for its next run', async () => {
        script.script('rec', 'fail');
        const job = await interval('rec', { maxRetries: 0 });
        await t.advanceTime(1000);
        expect(await status(job.id)).toBe('pending');
        await t.advanceTime(1000);
        expect((await executions(job.id)).map((r) => r.result)).toEqual(['failed', 'failed']);
      });

      it('emits one completion event per finished attempt', async () => {
        const sub = t.completions();
        const events: string[] = [];
        await sub.run((e) => {
          events.push(`${e.jobId}:${e.result}:${e.attempt}`);
        });
        script.script('ev', 'fail', 'succeed');
        const job = await oneShot('ev', 0);
        await t.advanceTime(1000);
        await sub.idle();
        expect(events).toEqual([`${job.id}:failed:1`, `${job.id}:succeeded:2`]);
        const runs = await executions(job.id);
        await sub.close();
        expect(runs.length).toBe(events.length);
      });
    });

    describe('executions', () => {
      it('are listed oldest first with attempt, result and error', async () => {
        script.script('e', 'fail', 'succeed');
        const job = await interval('e', { maxRetries: 1 });
        await t.advanceTime(5_000);
        const runs = await executions(job.id);
        expect(runs.length).toBeGreaterThanOrEqual(4);
        for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.startedAt.getTime());
        expect(runs[0]).toMatchObject({ attempt: 1, result: 'failed' });
        expect(runs[0]!.error).toBeTruthy();
        expect(runs[1]).toMatchObject({ attempt: 2, result: 'succeeded' });
        expect(runs[1]!.error).toBeUndefined();
        expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
      });

      it('a day of cron runs every 2 minutes happens in order', async () => {
        const job = await client.createJob(req('often', Schedule.cron('*/2 * * * *')));
        await t.advanceTime(24 * HOUR);
        const runs = await executions(job.id);
        expect(runs.length).toBe(720);
        for (let i = 0; i < runs.length; i++) {
          expect(runs[i]!.startedAt.getTime() % 120_000).toBe(0);
          if (i > 0) expect(runs[i]!.startedAt.getTime() - runs[i - 1]!.startedAt.getTime()).toBe(120_000);
        }
      });
    });

    describe('listJobs', () => {
      it('orders by createdAt, then id, and filters by status and name prefix', async () => {
        const a = await interval('alpha-1');
        const b = await interval('beta-1');
        await t.advanceTime(10);
        const c = await interval('alpha-2');
        const d = await interval('alpha-3');
        await client.pauseJob(c.id);
        await client.cancelJob(d.id);
        const all = await client.listJobs();
        expect(all.map((j) => j.id)).toEqual([a.id, b.id, c.id, d.id]);
        expect([...all].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || (x.id < y.id ? -1 : 1))).toEqual(all);
        expect((await client.listJobs({ namePrefix: 'alpha-' })).map((j) => j.id)).toEqual([a.id, c.id, d.id]);
        expect((await client.listJobs({ status: 'paused' })).map((j) => j.id)).toEqual([c.id]);
        expect((await client.listJobs({ status: 'pending', namePrefix: 'alpha' })).map((j) => j.id)).toEqual([a.id]);
        expect(await client.listJobs({ namePrefix: 'gamma' })).toEqual([]);
        expect(await client.listJobs({ namePrefix: 'ALPHA' })).toEqual([]); // case-sensitive
        expect((await client.listJobs({})).length).toBe(4);
      });

      it('returns every job, across pages', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 250; i++) ids.push((await interval(`bulk-${String(i).padStart(3, '0')}`)).id);
        expect((await client.listJobs()).map((j) => j.id)).toEqual(ids);
        expect((await client.listJobs({ namePrefix: 'bulk-1' })).length).toBe(100);
      });

      it('rejects a bad filter with INVALID_ARGUMENT', async () => {
        await expectCode(client.listJobs({ status: 'sleeping' as never }), 'INVALID_ARGUMENT');
        await expectCode(client.listJobs({ namePrefix: 'x'.repeat(129) }), 'INVALID_ARGUMENT');
        expect(await client.listJobs({ namePrefix: 'x'.repeat(128) })).toEqual([]);
      });
    });

    describe('iterateJobs and iterateExecutions', () => {
      it('yield what listJobs and getExecutions return, in order, whatever the page size', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 23; i++) ids.push((await interval(`it-${String(i).padStart(2, '0')}`)).id);
        expect((await client.listJobs()).map((j) => j.id)).toEqual(ids);
        for (const pageSize of [1, 7, 23, 1000, undefined]) {
          expect((await collect(client.iterateJobs({}, { pageSize }))).map((j) => j.id), `pageSize ${pageSize}`).toEqual(ids);
        }
        expect(await collect(client.iterateJobs())).toEqual(await client.listJobs());
        expect(await collect(client.iterateJobs({ namePrefix: 'it-1' }, { pageSize: 3 }))).toEqual(await client.listJobs({ namePrefix: 'it-1' }));
        await client.pauseJob(ids[4]!);
        expect((await collect(client.iterateJobs({ status: 'paused' }, { pageSize: 2 }))).map((j) => j.id)).toEqual([ids[4]]);
        await t.advanceTime(9_000);
        const runs = await executions(ids[0]!);
        expect(runs.length).toBe(9);
        for (const pageSize of [1, 4, 9, 10]) expect(await collect(client.iterateExecutions(ids[0]!, { pageSize })), `pageSize ${pageSize}`).toEqual(runs);
        expect(await collect(client.iterateExecutions(ids[4]!))).toEqual([]);
      });

      it('a loop that breaks early gets the first items only', async () => {
        for (let i = 0; i < 5; i++) await interval(`brk-${i}`);
        const names: string[] = [];
        for await (const job of client.iterateJobs({ namePrefix: 'brk-' }, { pageSize: 2 })) {
          names.push(job.name);
          if (names.length === 3) break;
        }
        expect(names).toEqual(['brk-0', 'brk-1', 'brk-2']);
      });

      it('reject a bad pageSize at the first step, naming the method, pageSize and the limit', async () => {
        const job = await interval('paged');
        for (const pageSize of [0, -1, 1001, 1.5, Number.NaN]) {
          for (const [operation, items] of [
            ['iterateJobs', client.iterateJobs({}, { pageSize })],
            ['iterateExecutions', client.iterateExecutions(job.id, { pageSize })],
          ] as const) {
            const error = await expectCode(first<unknown>(items), 'INVALID_ARGUMENT');
            // ErrorInfo names the proto field; the message the option.
            expect(error).toMatchObject({ operation, field: 'page_size', limit: '1..1000' });
            expect(error.message).toBe(`${operation}: pageSize must be an integer from 1 to 1000 (unset means 100), got ${pageSize}`);
          }
        }
      });

      it('reject a bad filter, a bad id and an unknown job, named after the method', async () => {
        expect(await expectCode(first(client.iterateJobs({ status: 'sleeping' as never })), 'INVALID_ARGUMENT')).toMatchObject({ operation: 'iterateJobs' });
        expect(await expectCode(first(client.iterateExecutions('')), 'INVALID_ARGUMENT')).toMatchObject({ operation: 'iterateExecutions' });
        const unknown = '00000000-0000-7000-8000-000000000000';
        const error = await expectCode(first(client.iterateExecutions(unknown)), 'JOB_NOT_FOUND');
        expect(error).toMatchObject({ operation: 'iterateExecutions', jobId: unknown });
        expect(error.message.startsWith(`iterateExecutions: job '${unknown}' not found`), error.message).toBe(true);
      });

      it('an aborted signal stops the loop with CANCELLED at the next page', async () => {
        for (let i = 0; i < 5; i++) await interval(`sig-${i}`);
        await expectCode(first(client.iterateJobs({}, { signal: AbortSignal.abort() })), 'CANCELLED');
        const controller = new AbortController();
        const names: string[] = [];
        const stopped = (async () => {
          for await (const job of client.iterateJobs({}, { pageSize: 2, signal: controller.signal })) {
            names.push(job.name);
            controller.abort();
          }
        })();
        const error = await expectCode(stopped, 'CANCELLED');
        expect(error.operation).toBe('iterateJobs');
        expect(names).toEqual(['sig-0', 'sig-1']); // the page in hand, then no further page
      });
    });

    describe('close', () => {
      it('ends the client: later calls fail with SERVER_ERROR, and closing again does nothing', async () => {
        const job = await interval('closing');
        await client.close();
        await client.close();
        await client[Symbol.asyncDispose]();
        await expectCode(client.getJob(job.id), 'SERVER_ERROR');
        await expectCode(client.listJobs(), 'SERVER_ERROR');
        await expectCode(first(client.iterateJobs()), 'SERVER_ERROR');
      });
    });

    describe('not found', () => {
      const unknown = '00000000-0000-7000-8000-000000000000';
      for (const [name, op] of jobMethods) {
        it(`${name}: JOB_NOT_FOUND for an unknown id, INVALID_ARGUMENT for an empty or over-long one`, async () => {
          const error = await expectCode(op(unknown), 'JOB_NOT_FOUND');
          expect(error.message).toContain(unknown);
          expect(error.message.toLowerCase()).toContain(name.toLowerCase().replace('getexecutions', 'executions'));
          // One sentence, named after the method called, whichever client and transport.
          expect(error.operation).toBe(name);
          expect(error.message.startsWith(`${name}: job '${unknown}' not found`), error.message).toBe(true);
          expect(error.message.split(`${name}:`).length, error.message).toBe(2);
          expect(error.jobId).toBe(unknown);
          await expectCode(op(''), 'INVALID_ARGUMENT');
          await expectCode(op('x'.repeat(128)), 'JOB_NOT_FOUND');
          const long = await expectCode(op('x'.repeat(129)), 'INVALID_ARGUMENT');
          expect(long.message).toContain('128');
        });
      }
    });

    // ---- keys, applyJob, updateJob, deleteJob, labels, applySchedules (proto: "Keys, revisions and labels")

    const spec = (name: string, schedule: Schedule = Schedule.interval(HOUR), extra: Partial<JobSpec> = {}): JobSpec => ({ name, schedule, payload: { name }, ...extra });
    const keyed = (key: string, extra: Partial<JobSpec> = {}): KeyedJobSpec => ({ key, ...spec(key), ...extra });
    const ids = (jobs: readonly Job<unknown>[]) => jobs.map((j) => j.id);
    const gone = async (ref: JobRef) => expectCode(client.getJob(ref), 'JOB_NOT_FOUND');

    describe('keys', () => {
      it('a job created with a key carries it, with labels {}, revision 1 and updatedAt = createdAt', async () => {
        const job = await interval('keyed', { key: 'svc/report' });
        expect(job).toMatchObject({ key: 'svc/report', labels: {}, revision: 1 });
        expect(job.updatedAt).toEqual(job.createdAt);
        expect(job.updatedAtExact).toEqual(job.createdAtExact);
        expect(await client.getJob({ key: 'svc/report' })).toEqual(job);
        expect(await client.getJob({ id: job.id })).toEqual(job);
        const plain = await interval('plain');
        expect(plain.key).toBeUndefined();
        expect(plain).toMatchObject({ labels: {}, revision: 1 });
      });

      it('every method that names a job takes { key } as well as { id }', async () => {
        const job = await client.createJob(req('by-key', Schedule.interval(HOUR), { key: 'k-1' }));
        const run = await client.triggerJob({ key: 'k-1' });
        expect(run).toMatchObject({ jobId: job.id, attempt: 1 });
        await t.advanceTime(0);
        const runs = await client.getExecutions({ key: 'k-1' });
        expect(runs.map((r) => r.result)).toEqual(['succeeded']);
        expect(await client.getExecutions({ id: job.id })).toEqual(runs);
        expect(await collect(client.iterateExecutions({ key: 'k-1' }, { pageSize: 1 }))).toEqual(runs);
        expect(await collect(client.iterateExecutions({ id: job.id }))).toEqual(runs);
        expect(await client.triggerJob({ id: job.id })).toMatchObject({ jobId: job.id, attempt: 1 });
        await t.advanceTime(0);
        for (const ref of [{ key: 'k-1' }, { id: job.id }]) {
          expect((await client.pauseJob(ref)).status).toBe('paused');
          expect((await client.getJob(job.id)).status).toBe('paused');
          expect((await client.resumeJob(ref)).status).toBe('pending');
          expect((await client.getJob(ref)).status).toBe('pending');
        }
        expect((await client.cancelJob({ key: 'k-1' })).status).toBe('cancelled');
        expect((await client.getJob({ id: job.id })).status).toBe('cancelled');
        expect((await client.cancelJob({ id: job.id })).revision).toBe(6);
      });

      it('a key another job has is a CONFLICT on field key naming the holder; an ended job keeps its key', async () => {
        const holder = await interval('first', { key: 'dup' });
        const taken = await expectCode(interval('second', { key: 'dup' }), 'CONFLICT');
        expect(taken).toMatchObject({ operation: 'createJob', field: 'key', jobId: holder.id, limit: 'a key no other job has', retryable: false });
        expect(taken.message).toContain('dup');
        await client.cancelJob(holder.id);
        expect(await expectCode(interval('third', { key: 'dup' }), 'CONFLICT')).toMatchObject({ field: 'key', jobId: holder.id });
        const once = await oneShot('once', 0, { key: 'ran' });
        await t.advanceTime(0);
        expect((await client.getJob({ key: 'ran' })).status).toBe('completed');
        expect(await expectCode(oneShot('again', 0, { key: 'ran' }), 'CONFLICT')).toMatchObject({ field: 'key', jobId: once.id });
        // Keys are compared exactly: another case is another key.
        expect((await interval('other case', { key: 'DUP' })).key).toBe('DUP');
        expect(ids(await client.listJobs())).toHaveLength(3);
      });

      it("'' as the key of a create means no key", async () => {
        const a = await interval('a', { key: '' });
        const b = await interval('b', { key: '' });
        expect(a.key).toBeUndefined();
        expect(b.key).toBeUndefined();
        expect(await client.getJob(a.id)).toEqual(a);
      });

      for (const [operation, op] of jobMethods) {
        it(`${operation}: both id and key is INVALID_ARGUMENT on key; an unknown key is JOB_NOT_FOUND on key`, async () => {
          const job = await interval('named', { key: 'known' });
          const both = await expectCode(op({ id: job.id, key: 'known' } as never), 'INVALID_ARGUMENT');
          expect(both).toMatchObject({ operation, field: 'key', limit: 'one of job_id, key' });
          const unknown = await expectCode(op({ key: 'unknown-key' }), 'JOB_NOT_FOUND');
          expect(unknown).toMatchObject({ operation, field: 'key' });
          expect(unknown.message.startsWith(`${operation}: `), unknown.message).toBe(true);
          expect(unknown.message).toContain('unknown-key');
          expect(await expectCode(op({ key: '' }), 'INVALID_ARGUMENT')).toMatchObject({ operation, field: 'key', limit: '1..128 code points' });
          expect(await client.getJob(job.id)).toEqual(job);
        });
      }
    });

    describe('applyJob', () => {
      it('creates, leaves alone, and updates in place with the changed fields in proto field order and the revision +1', async () => {
        const created = await client.applyJob('report', spec('report'));
        expect(created).toMatchObject({ action: 'created', changedFields: [] });
        expect(created.job).toMatchObject({ key: 'report', name: 'report', revision: 1, status: 'pending', maxRetries: 3, timeoutSecs: 60, labels: {} });
        expect(await client.getJob({ key: 'report' })).toEqual(created.job);
        await t.advanceTime(10);
        const same = await client.applyJob('report', spec('report'));
        expect(same).toEqual({ action: 'unchanged', changedFields: [], job: created.job });
        // Every field changed, given in reverse order: reported in field-number order.
        const next: JobSpec = { labels: { team: 'a' }, timeoutSecs: 30, maxRetries: 1, payload: { v: 2 }, schedule: Schedule.interval(2 * HOUR), name: 'report v2' };
        const updated = await client.applyJob('report', next);
        expect(updated.action).toBe('updated');
        expect(updated.changedFields).toEqual(['name', 'schedule', 'payload', 'maxRetries', 'timeoutSecs', 'labels']);
        expect(updated.job).toMatchObject({ id: created.job!.id, key: 'report', name: 'report v2', payload: { v: 2 }, maxRetries: 1, timeoutSecs: 30, labels: { team: 'a' }, revision: 2 });
        expect(updated.job!.createdAt).toEqual(created.job!.createdAt);
        expect(updated.job!.updatedAt.getTime()).toBe(t.now());
        expect(await client.getJob({ key: 'report' })).toEqual(updated.job);
        const relabelled = await client.applyJob('report', { ...next, labels: { team: 'b' } });
        expect(relabelled).toMatchObject({ action: 'updated', changedFields: ['labels'], job: { revision: 3, labels: { team: 'b' } } });
        expect(await client.listJobs()).toHaveLength(1);
      });

      it('recomputes the next run from a new schedule: interval, cron and one-shot', async () => {
        const start = t.now();
        expect((await client.applyJob('s', spec('s', Schedule.interval(HOUR)))).job!.nextRunAt!.getTime()).toBe(start + HOUR);
        await t.advanceTime(10 * 60_000);
        expect((await client.applyJob('s', spec('s', Schedule.interval(2 * HOUR)))).job!.nextRunAt!.getTime()).toBe(t.now() + 2 * HOUR);
        const cron = await client.applyJob('s', spec('s', Schedule.cron('0 * * * *')));
        expect(cron.changedFields).toEqual(['schedule']);
        expect(cron.job!.nextRunAt!.getTime()).toBe(Math.floor(t.now() / HOUR) * HOUR + HOUR);
        const runAt = new Date(t.now() + 5 * 60_000);
        expect((await client.applyJob('s', spec('s', Schedule.oneShot(runAt)))).job!.nextRunAt).toEqual(runAt);
        await t.advanceTime(5 * 60_000);
        expect((await client.getExecutions({ key: 's' })).map((r) => r.startedAt)).toEqual([runAt]);
        expect((await client.getJob({ key: 's' })).status).toBe('completed');
      });

      it('keeps the status: a paused job stays paused with its new spec, and resume follows the new schedule', async () => {
        await client.applyJob('p', spec('p', Schedule.interval(HOUR)));
        expect((await client.pauseJob({ key: 'p' })).revision).toBe(2);
        const updated = await client.applyJob('p', spec('p', Schedule.interval(1000)));
        expect(updated).toMatchObject({ action: 'updated', changedFields: ['schedule'], job: { status: 'paused', revision: 3 } });
        expect(updated.job!.nextRunAt).toBeUndefined();
        await t.advanceTime(HOUR);
        expect(await client.getExecutions({ key: 'p' })).toEqual([]);
        const resumed = await client.resumeJob({ key: 'p' });
        expect(resumed.nextRunAt!.getTime()).toBe(t.now() + 1000);
      });

      it('with dryRun, says what it would do and changes nothing (revision, updatedAt, spec)', async () => {
        expect(await client.applyJob('dry', spec('dry'), { dryRun: true })).toEqual({ action: 'created', changedFields: [] });
        expect(await client.listJobs()).toEqual([]);
        await gone({ key: 'dry' });
        const { job } = await client.applyJob('dry', spec('dry'));
        await t.advanceTime(10);
        const would = await client.applyJob('dry', spec('dry', Schedule.interval(HOUR), { payload: { v: 2 }, labels: { a: 'b' } }), { dryRun: true });
        expect(would).toEqual({ action: 'updated', changedFields: ['payload', 'labels'], job });
        expect(await client.applyJob('dry', spec('dry'), { dryRun: true })).toEqual({ action: 'unchanged', changedFields: [], job });
        expect(await client.getJob({ key: 'dry' })).toEqual(job);
        // Every error the call would give, too.
        await client.cancelJob({ key: 'dry' });
        await expectCode(client.applyJob('dry', spec('dry', Schedule.interval(2 * HOUR)), { dryRun: true }), 'INVALID_STATE');
        await expectCode(client.applyJob('dry', spec('dry'), { dryRun: true, expectedRevision: 1 }), 'CONFLICT');
      });

      it('expectedRevision 0 on an existing key and a stale revision are CONFLICTs that change nothing', async () => {
        const created = await client.applyJob('cas', spec('cas'), { expectedRevision: 0 });
        expect(created.action).toBe('created');
        const exists = await expectCode(client.applyJob('cas', spec('cas', Schedule.interval(HOUR), { payload: 1 }), { expectedRevision: 0 }), 'CONFLICT');
        expect(exists).toMatchObject({ operation: 'applyJob', field: 'expected_revision', limit: "the job's current revision", jobId: created.job!.id, retryable: false });
        expect(await client.getJob({ key: 'cas' })).toEqual(created.job);
        const second = await client.applyJob('cas', spec('cas', Schedule.interval(HOUR), { payload: 2 }), { expectedRevision: 1 });
        expect(second).toMatchObject({ action: 'updated', job: { revision: 2, payload: 2 } });
        await expectCode(client.applyJob('cas', spec('cas', Schedule.interval(HOUR), { payload: 3 }), { expectedRevision: 1 }), 'CONFLICT');
        // Stale is stale even when the spec is the same.
        await expectCode(client.applyJob('cas', spec('cas', Schedule.interval(HOUR), { payload: 2 }), { expectedRevision: 1 }), 'CONFLICT');
        expect(await client.getJob({ key: 'cas' })).toEqual(second.job);
        // A revision for a key that no job has is a CONFLICT too, and creates nothing.
        expect(await expectCode(client.applyJob('none', spec('none'), { expectedRevision: 3 }), 'CONFLICT')).toMatchObject({ field: 'expected_revision' });
        expect(await client.listJobs()).toEqual([second.job]);
      });

      it('an ended job: the same spec is unchanged, another spec is INVALID_STATE and changes nothing', async () => {
        const { job } = await client.applyJob('end', spec('end'));
        const cancelled = await client.cancelJob({ key: 'end' });
        expect(await client.applyJob('end', spec('end'))).toEqual({ action: 'unchanged', changedFields: [], job: cancelled });
        const error = await expectCode(client.applyJob('end', spec('end', Schedule.interval(2 * HOUR))), 'INVALID_STATE');
        expect(error).toMatchObject({ operation: 'applyJob', jobId: job!.id, limit: 'a job that has not ended' });
        expect(await client.getJob({ key: 'end' })).toEqual(cancelled);
        script.script('fails', 'fail');
        const failing = spec('fails', Schedule.oneShot(new Date(t.now())), { maxRetries: 0 });
        await client.applyJob('fails', failing);
        await t.advanceTime(0);
        const failed = await client.getJob({ key: 'fails' });
        expect(failed.status).toBe('failed');
        expect(await client.applyJob('fails', failing)).toEqual({ action: 'unchanged', changedFields: [], job: failed });
        await expectCode(client.applyJob('fails', { ...failing, maxRetries: 5 }), 'INVALID_STATE');
      });

      it('a one-shot that already ran is not run again by a re-apply, even after its run_at has passed', async () => {
        const once = spec('once', Schedule.oneShot(new Date(t.now() + 1000)));
        const { job } = await client.applyJob('once', once);
        await t.advanceTime(1000);
        const ran = await client.getJob({ key: 'once' });
        expect(ran.status).toBe('completed');
        expect(await client.getExecutions({ key: 'once' })).toHaveLength(1);
        await t.advanceTime(HOUR); // run_at is now an hour in the past: a restart re-applies it
        const again = await client.applyJob('once', once);
        expect(again).toEqual({ action: 'unchanged', changedFields: [], job: ran });
        expect(again.job!.revision).toBe(job!.revision);
        await t.advanceTime(HOUR);
        expect(await client.getExecutions({ key: 'once' })).toHaveLength(1);
        expect((await client.getJob({ key: 'once' })).status).toBe('completed');
        // Another spec for it is refused: an ended job's spec is final.
        await expectCode(client.applyJob('once', { ...once, payload: 'other' }), 'INVALID_STATE');
      });

      it('compares payloads as JSON values (member order ignored) and reads unset as the default (maxRetries 3, timeoutSecs 60, UTC, null)', async () => {
        const payload = { a: 1, b: { c: [1, { d: 2, e: 3 }], f: 'x' } };
        const { job } = await client.applyJob('eq', { name: 'eq', schedule: Schedule.cron('0 9 * * *'), payload });
        const reordered = { b: { f: 'x', c: [1, { e: 3, d: 2 }] }, a: 1 };
        const same = await client.applyJob('eq', { name: 'eq', schedule: Schedule.cron('0 9 * * *', { timezone: 'UTC' }), payload: reordered, maxRetries: 3, timeoutSecs: 60, labels: {} });
        expect(same).toEqual({ action: 'unchanged', changedFields: [], job });
        const arrayOrder = await client.applyJob('eq', { name: 'eq', schedule: Schedule.cron('0 9 * * *'), payload: { ...payload, b: { c: [{ d: 2, e: 3 }, 1], f: 'x' } } });
        expect(arrayOrder.changedFields).toEqual(['payload']);
        expect((await client.applyJob('eq', { name: 'eq', schedule: Schedule.cron('0 9 * * *'), payload, maxRetries: 4 })).changedFields).toEqual(['payload', 'maxRetries']);
        const unset = await client.applyJob('null', { name: 'null', schedule: Schedule.interval(HOUR) });
        expect(unset.job!.payload).toBeNull();
        expect((await client.applyJob('null', { name: 'null', schedule: Schedule.interval(HOUR), payload: null })).action).toBe('unchanged');
      });

      it('refuses a bad key or spec, naming the field (spec. inside the spec), and changes nothing', async () => {
        expect(await expectCode(client.applyJob('', spec('x')), 'INVALID_ARGUMENT')).toMatchObject({ operation: 'applyJob', field: 'key', limit: '1..128 code points' });
        expect(await expectCode(client.applyJob('k'.repeat(129), spec('x')), 'INVALID_ARGUMENT')).toMatchObject({ field: 'key' });
        expect(await expectCode(client.applyJob('k', spec('')), 'INVALID_ARGUMENT')).toMatchObject({ field: 'spec.name', limit: '1..128 code points' });
        expect(await expectCode(client.applyJob('k', spec('x', Schedule.cron('bad'))), 'INVALID_SCHEDULE')).toMatchObject({ field: 'spec.schedule.cron.expression' });
        const past = await expectCode(client.applyJob('k', spec('x', Schedule.oneShot(new Date(t.now() - HOUR)))), 'INVALID_SCHEDULE');
        expect(past).toMatchObject({ field: 'spec.schedule.one_shot.run_at', limit: 'at most 1 s in the past' });
        expect(await expectCode(client.applyJob('k', spec('x', Schedule.interval(HOUR), { maxRetries: 101 })), 'INVALID_ARGUMENT')).toMatchObject({ field: 'spec.max_retries', limit: '0..100' });
        expect(await expectCode(client.applyJob('k', spec('x'), { expectedRevision: -1 }), 'INVALID_ARGUMENT')).toMatchObject({ field: 'expected_revision' });
        expect(await client.listJobs()).toEqual([]);
      });
    });

    describe('updateJob', () => {
      it('changes the fields named by its own keys, bumps the revision, and keeps it when every value is the same', async () => {
        const job = await interval('u', { maxRetries: 5, labels: { team: 'a' } });
        await t.advanceTime(10);
        const renamed = await client.updateJob(job.id, { name: 'u2' });
        expect(renamed).toMatchObject({ id: job.id, name: 'u2', maxRetries: 5, labels: { team: 'a' }, payload: { name: 'u' }, revision: 2 });
        expect(renamed.schedule).toEqual(job.schedule);
        expect(renamed.nextRunAt).toEqual(job.nextRunAt); // the schedule did not change
        expect(renamed.updatedAt.getTime()).toBe(t.now());
        expect(await client.getJob(job.id)).toEqual(renamed);
        await t.advanceTime(10);
        expect(await client.updateJob(job.id, { name: 'u2', maxRetries: 5 })).toEqual(renamed);
        // undefined resets a field to its default.
        expect(await client.updateJob(job.id, { maxRetries: undefined, payload: undefined })).toMatchObject({ maxRetries: 3, payload: null, revision: 3 });
        expect(await client.updateJob(job.id, { labels: {} })).toMatchObject({ labels: {}, revision: 4 });
        expect(await client.updateJob(job.id, { timeoutSecs: 60 })).toMatchObject({ revision: 4 }); // the default already
      });

      it('recomputes the next run of a pending job from now when its schedule changes', async () => {
        const job = await interval('r', { key: 'r' });
        await t.advanceTime(500);
        const updated = await client.updateJob({ key: 'r' }, { schedule: Schedule.interval(2 * HOUR) });
        expect(updated.nextRunAt!.getTime()).toBe(t.now() + 2 * HOUR);
        await t.advanceTime(HOUR);
        expect(await executions(job.id)).toEqual([]);
      });

      it('refuses an empty mask and an unknown field on update_mask, and changes nothing', async () => {
        const job = await interval('m');
        for (const changes of [{}, { colour: 'red' }, { name: 'x', status: 'paused' }]) {
          const error = await expectCode(client.updateJob(job.id, changes as never), 'INVALID_ARGUMENT');
          expect(error, JSON.stringify(changes)).toMatchObject({
            operation: 'updateJob',
            field: 'update_mask',
            limit: 'paths among name, schedule, payload, max_retries, timeout_secs, labels, policy',
          });
        }
        expect(await expectCode(client.updateJob(job.id, { timeoutSecs: 0 }), 'INVALID_ARGUMENT')).toMatchObject({ field: 'spec.timeout_secs', limit: '1..86400' });
        expect(await client.getJob(job.id)).toEqual(job);
      });

      it('with expectedRevision: the current one changes the job, a stale one is a CONFLICT and changes nothing', async () => {
        const job = await interval('cas');
        const b = await client.updateJob(job.id, { name: 'b' }, { expectedRevision: 1 });
        expect(b.revision).toBe(2);
        const stale = await expectCode(client.updateJob(job.id, { name: 'c' }, { expectedRevision: 1 }), 'CONFLICT');
        expect(stale).toMatchObject({ operation: 'updateJob', field: 'expected_revision', limit: "the job's current revision", jobId: job.id, retryable: false });
        expect(stale.message).toContain('revision 2');
        expect(await client.getJob(job.id)).toEqual(b);
        expect(await expectCode(client.updateJob(job.id, { name: 'c' }, { expectedRevision: 0 }), 'INVALID_ARGUMENT')).toMatchObject({ field: 'expected_revision' });
        expect((await client.updateJob(job.id, { name: 'c' }, { expectedRevision: 2 })).revision).toBe(3);
      });

      it('pause, resume and cancel bump the revision only when they change the status; runs never do', async () => {
        const job = await interval('rev');
        await t.advanceTime(3000);
        expect(await executions(job.id)).toHaveLength(3);
        expect(await client.getJob(job.id)).toMatchObject({ revision: 1, updatedAt: job.createdAt });
        const revisions: number[] = [];
        for (const op of [client.pauseJob, client.pauseJob, client.resumeJob, client.resumeJob, client.cancelJob, client.cancelJob]) {
          await t.advanceTime(10);
          revisions.push((await op.call(client, job.id)).revision);
        }
        expect(revisions).toEqual([2, 2, 3, 3, 4, 4]);
        expect((await client.getJob(job.id)).updatedAt.getTime()).toBe(t.now() - 10);
      });

      it('while an attempt is in flight: the attempt finishes and is recorded, the run goes on, then the job follows the new schedule', async () => {
        script.script('fly', 'gate');
        const job = await interval('fly', { maxRetries: 1 });
        await t.advanceTime(1000);
        expect(await status(job.id)).toBe('running');
        const updated = await client.updateJob(job.id, { schedule: Schedule.interval(HOUR) });
        expect(updated).toMatchObject({ status: 'running', revision: 2 });
        const next = updated.nextRunAt!.getTime();
        expect(next).toBe(t.now() + HOUR);
        script.release('fly', 'fail');
        await t.advanceTime(0);
        expect((await executions(job.id)).map((r) => r.result)).toEqual(['failed']);
        expect(await status(job.id)).toBe('running'); // its retry is still to come
        await t.advanceTime(1000);
        script.release('fly', 'succeed');
        await t.advanceTime(0);
        expect((await executions(job.id)).map((r) => [r.attempt, r.result])).toEqual([
          [1, 'failed'],
          [2, 'succeeded'],
        ]);
        const after = await client.getJob(job.id);
        expect(after.status).toBe('pending');
        expect(after.nextRunAt!.getTime()).toBe(next);
        await t.advanceTime(next - t.now() - 1);
        expect(await executions(job.id)).toHaveLength(2); // the old every-second schedule is gone
        await t.advanceTime(1);
        expect(await executions(job.id)).toHaveLength(3);
      });

      it('a running one-shot whose run_at is updated runs again at the new time', async () => {
        script.script('os', 'gate');
        const job = await oneShot('os', 1000);
        await t.advanceTime(1000);
        const runAt = new Date(t.now() + HOUR);
        expect((await client.updateJob(job.id, { schedule: Schedule.oneShot(runAt) })).status).toBe('running');
        script.release('os');
        await t.advanceTime(0);
        const between = await client.getJob(job.id);
        expect(between).toMatchObject({ status: 'pending', nextRunAt: runAt });
        await t.advanceTime(HOUR);
        expect((await executions(job.id)).map((r) => r.startedAt.getTime())).toEqual([job.nextRunAt!.getTime(), runAt.getTime()]);
        script.release('os');
        await t.advanceTime(0);
        expect((await executions(job.id)).map((r) => r.result)).toEqual(['succeeded', 'succeeded']);
        expect(await status(job.id)).toBe('completed');
      });

      it('an ended job is INVALID_STATE and changes nothing', async () => {
        const job = await interval('e');
        const cancelled = await client.cancelJob(job.id);
        const error = await expectCode(client.updateJob(job.id, { name: 'e2' }), 'INVALID_STATE');
        expect(error).toMatchObject({ operation: 'updateJob', jobId: job.id, limit: 'a job that has not ended' });
        const done = await oneShot('d', 0);
        await t.advanceTime(0);
        await expectCode(client.updateJob(done.id, { payload: 1 }), 'INVALID_STATE');
        expect(await client.getJob(job.id)).toEqual(cancelled);
      });
    });

    describe('deleteJob', () => {
      it('removes the job and its executions; later calls by id and by key are JOB_NOT_FOUND; its key is free', async () => {
        const job = await interval('d', { key: 'del' });
        await t.advanceTime(1000);
        const before = await client.getJob(job.id);
        const deleted = await client.deleteJob({ key: 'del' });
        expect(deleted).toMatchObject({ id: job.id, key: 'del', name: 'd', revision: before.revision, createdAt: before.createdAt, payload: before.payload });
        expect(await client.listJobs()).toEqual([]);
        for (const [operation, op] of jobMethods) {
          expect(await expectCode(op(job.id), 'JOB_NOT_FOUND'), operation).toMatchObject({ operation, jobId: job.id });
          expect(await expectCode(op({ key: 'del' }), 'JOB_NOT_FOUND'), operation).toMatchObject({ operation, field: 'key' });
        }
        const reborn = await interval('d', { key: 'del' });
        expect(reborn.id).not.toBe(job.id);
        expect(reborn.revision).toBe(1);
        expect(await client.getExecutions({ key: 'del' })).toEqual([]);
      });

      it('deletes a job in any status', async () => {
        const paused = await interval('paused');
        await client.pauseJob(paused.id);
        const cancelled = await interval('cancelled');
        await client.cancelJob(cancelled.id);
        const completed = await oneShot('completed', 0);
        await t.advanceTime(0);
        for (const job of [paused, cancelled, completed]) await client.deleteJob(job.id);
        expect(await client.listJobs()).toEqual([]);
      });

      it('records an attempt in flight first: failed, "the job was deleted", with its completion event', async () => {
        const sub = t.completions();
        const events: JobCompletedEvent[] = [];
        await sub.run((e) => {
          events.push(e);
        });
        script.script('inflight', 'gate');
        const job = await interval('inflight');
        await t.advanceTime(1000);
        const [attempt] = await executions(job.id);
        expect(attempt!.result).toBe('running');
        expect((await client.deleteJob(job.id)).id).toBe(job.id);
        await sub.idle();
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ jobId: job.id, executionId: attempt!.id, result: 'failed', error: 'the job was deleted', attempt: 1 });
        expect(script.signals.get('inflight')![0]!.aborted).toBe(true);
        // The executor settling later records nothing more, and nothing fires.
        script.release('inflight');
        await t.advanceTime(HOUR);
        await sub.idle();
        await sub.close();
        expect(events).toHaveLength(1);
        expect(script.calls).toHaveLength(1);
        await gone(job.id);
      });

      it('with a stale expectedRevision is a CONFLICT and deletes nothing', async () => {
        const job = await interval('cas');
        const paused = await client.pauseJob(job.id);
        const error = await expectCode(client.deleteJob(job.id, { expectedRevision: 1 }), 'CONFLICT');
        expect(error).toMatchObject({ operation: 'deleteJob', field: 'expected_revision', jobId: job.id });
        expect(await client.getJob(job.id)).toEqual(paused);
        await client.deleteJob(job.id, { expectedRevision: 2 });
        await gone(job.id);
      });

      it('a createJob repeated with the requestId of a deleted job is JOB_NOT_FOUND naming it, and creates nothing', async () => {
        const job = await interval('idem', { requestId: 'req-del' });
        await client.deleteJob(job.id);
        const error = await expectCode(interval('idem', { requestId: 'req-del' }), 'JOB_NOT_FOUND');
        expect(error).toMatchObject({ operation: 'createJob', jobId: job.id });
        expect(await client.listJobs()).toEqual([]);
      });
    });

    describe('labels', () => {
      it('listJobs selects by equality on one and several labels, together with status and name prefix', async () => {
        const a = await interval('web-a', { labels: { team: 'web', tier: '1' } });
        const b = await interval('web-b', { labels: { team: 'web', tier: '2' } });
        const c = await interval('db-a', { labels: { team: 'db', tier: '1' } });
        const d = await interval('web-c', { labels: { team: 'web' } });
        const e = await interval('web-d');
        expect(a.labels).toEqual({ team: 'web', tier: '1' });
        expect(e.labels).toEqual({});
        const select = async (filter: JobFilter) => ids(await client.listJobs(filter));
        expect(await select({ labels: { team: 'web' } })).toEqual(ids([a, b, d]));
        expect(await select({ labels: { team: 'web', tier: '1' } })).toEqual(ids([a]));
        expect(await select({ labels: { tier: '1' } })).toEqual(ids([a, c]));
        expect(await select({ labels: { team: 'Web' } })).toEqual([]);
        expect(await select({ labels: { team: '' } })).toEqual([]);
        expect(await select({ labels: {} })).toEqual(ids([a, b, c, d, e]));
        await client.pauseJob(b.id);
        expect(await select({ labels: { team: 'web' }, status: 'paused' })).toEqual(ids([b]));
        expect(await select({ labels: { team: 'web' }, status: 'pending' })).toEqual(ids([a, d]));
        expect(await select({ labels: { tier: '1' }, namePrefix: 'web-' })).toEqual(ids([a]));
        expect(await select({ labels: { team: 'db' }, namePrefix: 'web-' })).toEqual([]);
        expect(ids(await collect(client.iterateJobs({ labels: { team: 'web' } }, { pageSize: 1 })))).toEqual(ids([a, b, d]));
      });

      it('refuses 65 labels, a bad key and a value of 129 code points, naming labels or labels.<key> and the limit', async () => {
        const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, 'x']));
        const cases: [Record<string, string>, string, string, string][] = [
          [many, 'labels', 'at most 64 labels', '64'],
          [{ Team: 'x' }, 'labels', 'a label key', 'Team'],
          [{ team: '𝄞'.repeat(129) }, 'labels.team', '0..128 code points', '128'],
        ];
        for (const [labels, field, limit, mention] of cases) {
          const created = await expectCode(interval('bad', { labels }), 'INVALID_ARGUMENT');
          expect(created, field).toMatchObject({ operation: 'createJob', field, limit });
          expect(created.message, field).toContain(mention);
          expect(await expectCode(client.listJobs({ labels }), 'INVALID_ARGUMENT'), field).toMatchObject({ operation: 'listJobs', field, limit });
          expect(await expectCode(client.applyJob('bad', spec('bad', Schedule.interval(HOUR), { labels })), 'INVALID_ARGUMENT'), field).toMatchObject({ field: `spec.${field}`, limit });
        }
        const job = await interval('ok', { labels: { ...Object.fromEntries(Object.entries(many).slice(2)), team: '𝄞'.repeat(128) } });
        expect(Object.keys(job.labels)).toHaveLength(64);
        expect(await expectCode(client.updateJob(job.id, { labels: { Team: 'x' } }), 'INVALID_ARGUMENT')).toMatchObject({ field: 'spec.labels', limit: 'a label key' });
        expect(await client.listJobs()).toEqual([job]);
      });

      it('reflects label changes by update, apply and delete in the selection', async () => {
        const job = await interval('x', { labels: { team: 'a' } });
        await client.updateJob(job.id, { labels: { team: 'b' } });
        expect(await client.listJobs({ labels: { team: 'a' } })).toEqual([]);
        expect(ids(await client.listJobs({ labels: { team: 'b' } }))).toEqual([job.id]);
        await client.updateJob(job.id, { labels: undefined });
        expect(await client.listJobs({ labels: { team: 'b' } })).toEqual([]);
        const applied = await client.applyJob('y', spec('y', Schedule.interval(HOUR), { labels: { team: 'b' } }));
        await client.updateJob(job.id, { labels: { team: 'b', env: 'prod' } });
        expect(ids(await client.listJobs({ labels: { team: 'b' } }))).toEqual([job.id, applied.job!.id]);
        await client.applyJob('y', spec('y', Schedule.interval(HOUR), { labels: { team: 'c' } }));
        expect(ids(await client.listJobs({ labels: { team: 'b' } }))).toEqual([job.id]);
        await client.deleteJob(job.id);
        expect(await client.listJobs({ labels: { team: 'b' } })).toEqual([]);
        expect(ids(await client.listJobs({ labels: { team: 'c' } }))).toEqual([applied.job!.id]);
      });
    });

    describe('applySchedules', () => {
      const owner = 'billing';
      const actions = (diff: ScheduleDiff<unknown>) => diff.entries.map((e) => [e.key, e.action]);

      it('creates, updates, leaves alone and prunes; the second run changes nothing', async () => {
        const first = await client.applySchedules([keyed('a'), keyed('b'), keyed('c')], { owner });
        expect(actions(first)).toEqual([
          ['a', 'create'],
          ['b', 'create'],
          ['c', 'create'],
        ]);
        expect(first).toBeInstanceOf(ScheduleDiff);
        expect([first.owner, first.dryRun, first.changed]).toEqual([owner, false, true]);
        expect(first.counts).toEqual({ create: 3, update: 0, unchanged: 0, delete: 0 });
        expect(first.keys('create')).toEqual(['a', 'b', 'c']);
        for (const e of first.entries) expect(e.job).toEqual(await client.getJob({ key: e.key! }));
        expect(first.entries[0]!.job!.labels).toEqual({ [OWNER_LABEL]: owner });
        const specs = [keyed('a'), keyed('b', { payload: { v: 2 } }), keyed('d')];
        const second = await client.applySchedules(specs, { owner, prune: true });
        expect(actions(second)).toEqual([
          ['a', 'unchanged'],
          ['b', 'update'],
          ['d', 'create'],
          ['c', 'delete'],
        ]);
        expect(second.entries[1]).toMatchObject({ changedFields: ['payload'], job: { revision: 2, payload: { v: 2 } } });
        await gone({ key: 'c' });
        const before = await client.listJobs();
        const third = await client.applySchedules(specs, { owner, prune: true });
        expect(actions(third)).toEqual([
          ['a', 'unchanged'],
          ['b', 'unchanged'],
          ['d', 'unchanged'],
        ]);
        expect(third.changed).toBe(false);
        expect(await client.listJobs()).toEqual(before);
        // Without prune, jobs missing from the specs stay.
        expect(actions(await client.applySchedules([keyed('a')], { owner }))).toEqual([['a', 'unchanged']]);
        expect(await client.listJobs()).toEqual(before);
      });

      it("prunes only the owner's jobs, never another owner's or unlabelled ones", async () => {
        await client.applySchedules([keyed('o1')], { owner: 'search' });
        await interval('plain', { key: 'plain' });
        await interval('nokey');
        await interval('lookalike', { labels: { team: owner, [`${OWNER_LABEL}x`]: owner } });
        const manual = await interval('manual', { labels: { [OWNER_LABEL]: owner } });
        await client.applySchedules([keyed('a'), keyed('b')], { owner });
        const others = await client.listJobs();
        const pruned = await client.applySchedules([keyed('b')], { owner, prune: true });
        expect(actions(pruned)).toEqual([
          ['b', 'unchanged'],
          [undefined, 'delete'],
          ['a', 'delete'],
        ]);
        expect(pruned.entries[1]!.job!.id).toBe(manual.id);
        const kept = others.filter((j) => j.id !== manual.id && j.key !== 'a');
        expect(await client.listJobs()).toEqual(kept);
        expect(kept.map((j) => j.key ?? j.name)).toEqual(['o1', 'plain', 'nokey', 'lookalike', 'b']);
        expect(actions(await client.applySchedules([], { owner: 'nobody', prune: true }))).toEqual([]);
        expect(await client.listJobs()).toEqual(kept);
      });

      it("a spec key held by another owner's job, or an unowned one, is a CONFLICT and that job does not change", async () => {
        await client.applySchedules([keyed('shared')], { owner: 'search' });
        await interval('unowned', { key: 'unowned' });
        const before = await client.listJobs();
        for (const key of ['shared', 'unowned']) {
          for (const dryRun of [false, true]) {
            const error = await expectCode(client.applySchedules([keyed('mine'), keyed(key, { payload: { x: 1 } })], { owner, dryRun }), 'CONFLICT');
            expect(error, key).toMatchObject({ operation: 'applySchedules', field: 'key', jobId: before.find((j) => j.key === key)!.id });
            expect(error.message).toContain(key);
          }
        }
        const after = await client.listJobs();
        expect(after.filter((j) => j.key !== 'mine')).toEqual(before);
      });

      it('with dryRun, returns the diff and changes nothing', async () => {
        await client.applySchedules([keyed('a'), keyed('b'), keyed('c')], { owner });
        await t.advanceTime(10);
        const before = await client.listJobs();
        const dry = await client.applySchedules([keyed('a'), keyed('b', { payload: { v: 2 } }), keyed('d')], { owner, prune: true, dryRun: true });
        expect(dry.dryRun).toBe(true);
        expect(actions(dry)).toEqual([
          ['a', 'unchanged'],
          ['b', 'update'],
          ['d', 'create'],
          ['c', 'delete'],
        ]);
        expect(dry.entries[1]).toMatchObject({ changedFields: ['payload'], job: before[1] });
        expect(dry.entries[2]!.job).toBeUndefined();
        expect(await client.listJobs()).toEqual(before);
        expect(String(dry).split('\n').at(-1)).toBe(`owner ${owner}: 1 to create, 1 to update, 1 unchanged, 1 to delete (dry run)`);
      });

      it('prints the diff as a table (String) and as plain data (toJSON)', async () => {
        await client.applySchedules([keyed('keep'), keyed('change'), keyed('drop')], { owner });
        const diff = await client.applySchedules([keyed('keep'), keyed('change', { schedule: Schedule.interval(2 * HOUR), payload: 2 }), keyed('new')], { owner, prune: true });
        const lines = String(diff).split('\n');
        const rows = lines.slice(0, -1).map((line) => line.split(/ {2,}/));
        const job = (key: string) => diff.entries.find((e) => e.key === key)!.job!.id;
        expect(rows).toEqual([
          ['KEY', 'ACTION', 'CHANGED', 'JOB'],
          ['keep', 'unchanged', '-', job('keep')],
          ['change', 'update', 'schedule,payload', job('change')],
          ['new', 'create', '-', job('new')],
          ['drop', 'delete', '-', job('drop')],
        ]);
        // The columns line up.
        expect(new Set(lines.slice(0, -1).map((line) => line.indexOf(line.split(/ {2,}/)[1]!))).size).toBe(1);
        expect(lines.at(-1)).toBe(`owner ${owner}: 1 created, 1 updated, 1 unchanged, 1 deleted`);
        expect(JSON.parse(JSON.stringify(diff))).toEqual({
          owner,
          dryRun: false,
          counts: { create: 1, update: 1, unchanged: 1, delete: 1 },
          entries: [
            { key: 'keep', action: 'unchanged', changedFields: [], jobId: job('keep'), revision: 1 },
            { key: 'change', action: 'update', changedFields: ['schedule', 'payload'], jobId: job('change'), revision: 2 },
            { key: 'new', action: 'create', changedFields: [], jobId: job('new'), revision: 1 },
            { key: 'drop', action: 'delete', changedFields: [], jobId: job('drop'), revision: 1 },
          ],
        });
      });

      it('20 concurrent runs over the same 10 specs end with exactly one job per key', async () => {
        const specs = Array.from({ length: 10 }, (_, i) => keyed(`replica-${i}`));
        const diffs = await Promise.all(Array.from({ length: 20 }, () => client.applySchedules(specs, { owner })));
        const jobs = await client.listJobs();
        expect(jobs.map((j) => j.key).sort()).toEqual(specs.map((s) => s.key).sort());
        for (const job of jobs) expect(job).toMatchObject({ revision: 1, labels: { [OWNER_LABEL]: owner } });
        for (const diff of diffs) {
          expect(diff.entries.map((e) => e.key)).toEqual(specs.map((s) => s.key));
          for (const e of diff.entries) expect(['create', 'unchanged']).toContain(e.action);
          for (const e of diff.entries) expect(e.job!.id).toBe(jobs.find((j) => j.key === e.key)!.id);
        }
        // Each key was created by exactly one of the runs.
        for (const s of specs) expect(diffs.filter((d) => d.entries.some((e) => e.key === s.key && e.action === 'create')), s.key).toHaveLength(1);
        expect((await client.applySchedules(specs, { owner })).changed).toBe(false);
      });

      it('refuses duplicate keys, an owner label other than the owner and a bad owner before anything is sent', async () => {
        const dup = await expectCode(client.applySchedules([keyed('a'), keyed('b'), keyed('a')], { owner }), 'INVALID_ARGUMENT');
        expect(dup).toMatchObject({ operation: 'applySchedules', field: 'specs[2].key', limit: 'one spec per key' });
        expect(dup.message).toContain('specs[0]');
        const label = await expectCode(client.applySchedules([keyed('a'), keyed('b', { labels: { [OWNER_LABEL]: 'search' } })], { owner }), 'INVALID_ARGUMENT');
        expect(label).toMatchObject({ operation: 'applySchedules', limit: 'the owner' });
        expect(label.field).toContain(OWNER_LABEL);
        expect(label.message).toContain('search');
        const badSpec = await expectCode(client.applySchedules([keyed('a'), keyed('b', { maxRetries: 101 })], { owner }), 'INVALID_ARGUMENT');
        expect(badSpec).toMatchObject({ field: 'specs[1].max_retries', limit: '0..100' });
        expect(await expectCode(client.applySchedules([keyed('a')], { owner: '' }), 'INVALID_ARGUMENT')).toMatchObject({ field: 'owner' });
        expect(await client.listJobs()).toEqual([]);
        // The owner's own label is allowed.
        const ok = await client.applySchedules([keyed('a', { labels: { [OWNER_LABEL]: owner, team: 't' } })], { owner });
        expect(ok.entries[0]!.job!.labels).toEqual({ [OWNER_LABEL]: owner, team: 't' });
      });
    });

    describe('the payload type parameter', () => {
      it('gives a service its own payload type back', async () => {
        interface Day {
          day: string;
        }
        const created = await client.createJob<Day>({ name: 'typed', schedule: Schedule.interval(HOUR), payload: { day: 'mon' }, key: 'typed' });
        expectTypeOf(client.createJob<Day>).returns.resolves.toEqualTypeOf<Job<Day>>();
        expectTypeOf(created.payload).toEqualTypeOf<Day>();
        expectTypeOf(client.getJob<Day>).returns.resolves.toEqualTypeOf<Job<Day>>();
        expectTypeOf(client.applyJob<Day>).returns.resolves.toEqualTypeOf<ApplyJobResult<Day>>();
        expectTypeOf(client.updateJob<Day>).parameter(1).toEqualTypeOf<Partial<JobSpec<Day>>>();
        expectTypeOf(client.applySchedules<Day>).returns.resolves.toEqualTypeOf<ScheduleDiff<Day>>();
        const read = await client.getJob<Day>({ key: 'typed' });
        expect(read.payload.day).toBe('mon');
        expect(created.payload.day).toBe('mon');
      });
    });

    describe('validation (SPEC §6), both sides of every limit', () => {
      // Each case: a request that must be accepted, and one just past the limit with its code.
      // A patch may be a function, evaluated right before its call: times relative to "now" must
      // not go stale while earlier cases run.
      type Patch = Partial<JobRequest> | (() => Partial<JobRequest>);
      const ok = (name: string, patch: Patch): [string, Patch] => [name, patch];
      const apply = (patch: Patch): Partial<JobRequest> => (typeof patch === 'function' ? patch() : patch);
      type Bad = [string, Patch, SchedulerErrorCode, string];
      const astral = '𝄞'; // one code point, two UTF-16 units

      const accepted = (): [string, Patch][] => [
        ok('name of 1 character', { name: 'a' }),
        ok('name of 128 characters', { name: 'n'.repeat(128) }),
        ok('name of 128 astral code points', { name: astral.repeat(128) }),
        ok('5-field cron', { schedule: Schedule.cron('*/5 * * * *') }),
        ok('6-field cron', { schedule: Schedule.cron('0 */5 * * * *') }),
        ...['@hourly', '@daily', '@weekly', '@monthly', '@yearly'].map((n) => ok(`cron ${n}`, { schedule: Schedule.cron(n) })),
        ok('cron on 29 February', { schedule: Schedule.cron('0 0 29 2 *') }),
        ok('IANA time zone', { schedule: Schedule.cron('0 9 * * *', { timezone: 'America/New_York' }) }),
        ok('one-shot 900 ms in the past', () => ({ schedule: Schedule.oneShot(new Date(t.now() - 900)) })),
        ok('one-shot in the future', () => ({ schedule: Schedule.oneShot(new Date(t.now() + HOUR)) })),
        ok('interval of 1000 ms', { schedule: Schedule.interval(1000) }),
        ok('payload of exactly 1 MiB', { payload: 'x'.repeat(1_048_574) }),
        ok('payload 32 levels deep', { payload: nest(32) }),
        ok('maxRetries 0', { maxRetries: 0 }),
        ok('maxRetries 100', { maxRetries: 100 }),
        ok('timeoutSecs 1', { timeoutSecs: 1 }),
        ok('timeoutSecs 86400', { timeoutSecs: 86_400 }),
      ];
      const rejected = (): Bad[] => [
        ['empty name', { name: '' }, 'INVALID_ARGUMENT', 'name'],
        ['blank name', { name: '   ' }, 'INVALID_ARGUMENT', 'blank'],
        ['name of 129 characters', { name: 'n'.repeat(129) }, 'INVALID_ARGUMENT', '128'],
        ['name of 129 astral code points', { name: astral.repeat(129) }, 'INVALID_ARGUMENT', '128'],
        ['cron with 4 fields', { schedule: Schedule.cron('* * * *') }, 'INVALID_SCHEDULE', '5 fields'],
        ['cron with 7 fields', { schedule: Schedule.cron('0 0 0 * * * 2030') }, 'INVALID_SCHEDULE', '5 fields'],
        ['cron with a bad value', { schedule: Schedule.cron('61 * * * *') }, 'INVALID_SCHEDULE', 'schedule.expression'],
        ['cron nonsense', { schedule: Schedule.cron('every day') }, 'INVALID_SCHEDULE', 'schedule.expression'],
        ['cron nickname not in the list', { schedule: Schedule.cron('@reboot') }, 'INVALID_SCHEDULE', '@hourly'],
        ['cron that never fires', { schedule: Schedule.cron('0 0 30 2 *') }, 'INVALID_SCHEDULE', 'never fires'],
        ['unknown time zone', { schedule: Schedule.cron('0 9 * * *', { timezone: 'Mars/Olympus' }) }, 'INVALID_SCHEDULE', 'Mars/Olympus'],
        ['offset instead of a time zone', { schedule: Schedule.cron('0 9 * * *', { timezone: '+09:00' }) }, 'INVALID_SCHEDULE', 'IANA'],
        ['one-shot 1100 ms in the past', () => ({ schedule: Schedule.oneShot(new Date(t.now() - 1100)) }), 'INVALID_SCHEDULE', '1 s'],
        ['one-shot at an invalid Date', { schedule: Schedule.oneShot(new Date(Number.NaN)) }, 'INVALID_SCHEDULE', 'runAt'],
        ['interval of 999 ms', { schedule: Schedule.interval(999) }, 'INVALID_SCHEDULE', '1000'],
        ['interval of 1000.5 ms', { schedule: Schedule.interval(1000.5) }, 'INVALID_SCHEDULE', 'integer'],
        ['payload 1 byte over 1 MiB', { payload: 'x'.repeat(1_048_575) }, 'INVALID_ARGUMENT', '1048576'],
        ['payload 33 levels deep', { payload: nest(33) }, 'INVALID_ARGUMENT', '32'],
        ['payload with a BigInt', { payload: { n: 1n } as never }, 'INVALID_ARGUMENT', 'payload.n'],
        ['payload with a function', { payload: { f: () => 1 } as never }, 'INVALID_ARGUMENT', 'function'],
        ['payload with a symbol', { payload: [Symbol('s')] as never }, 'INVALID_ARGUMENT', 'payload[0]'],
        ['payload with a cycle', { payload: cyclic() as never }, 'INVALID_ARGUMENT', 'cycle'],
        ['payload with NaN', { payload: { x: Number.NaN } }, 'INVALID_ARGUMENT', 'NaN'],
        ['payload with Infinity', { payload: { x: Number.POSITIVE_INFINITY } }, 'INVALID_ARGUMENT', 'Infinity'],
        ['payload with undefined', { payload: { x: undefined } as never }, 'INVALID_ARGUMENT', 'undefined'],
        ['payload with a Date', { payload: { when: new Date() } as never }, 'INVALID_ARGUMENT', 'toISOString'],
        ['maxRetries -1', { maxRetries: -1 }, 'INVALID_ARGUMENT', '0 to 100'],
        ['maxRetries 101', { maxRetries: 101 }, 'INVALID_ARGUMENT', '0 to 100'],
        ['maxRetries 1.5', { maxRetries: 1.5 }, 'INVALID_ARGUMENT', 'maxRetries'],
        ['timeoutSecs 0', { timeoutSecs: 0 }, 'INVALID_ARGUMENT', '1 to 86400'],
        ['timeoutSecs 86401', { timeoutSecs: 86_401 }, 'INVALID_ARGUMENT', '1 to 86400'],
      ];

      it('accepts every value at the limit', async () => {
        for (const [what, patch] of accepted()) {
          const job = await client.createJob({ ...req('valid', Schedule.interval(1000)), ...apply(patch) }).catch((e: unknown) => {
            throw new Error(`${what} was rejected: ${String(e)}`);
          });
          expect(job.status, what).toBe('pending');
        }
        expect((await client.listJobs()).length).toBe(accepted().length);
      });

      it('rejects every value past the limit with the right code and a message naming field and limit, changing nothing', async () => {
        const existing = await interval('existing');
        const before = await client.listJobs();
        for (const [what, patch, code, mention] of rejected()) {
          const error = await expectCode(client.createJob({ ...req('valid', Schedule.interval(1000)), ...apply(patch) }), code).catch((e: unknown) => {
            throw new Error(`${what}: ${String(e)}`);
          });
          expect(error.message.toLowerCase(), what).toContain('createjob');
          expect(error.operation, what).toBe('createJob');
          expect(error.message.startsWith('createJob: '), error.message).toBe(true);
          expect(error.message, what).toContain(mention);
          expect(error.message, what).not.toContain('xxxxxxxxxx'); // never the payload itself
        }
        expect(await client.listJobs()).toEqual(before);
        expect(before.map((j) => j.id)).toEqual([existing.id]);
      });

      it('names the field by its proto path (a JSON Pointer inside the payload) and the limit in the stated format', async () => {
        const DAY = 24 * HOUR;
        const cases: [string, Patch, SchedulerErrorCode, string, string][] = [
          ['empty name', { name: '' }, 'INVALID_ARGUMENT', 'name', '1..128 code points'],
          ['name of white space only', { name: '\u3000\u0085\u2028 \t' }, 'INVALID_ARGUMENT', 'name', 'not blank'],
          ['time zone in the wrong case', { schedule: Schedule.cron('0 9 * * *', { timezone: 'europe/berlin' }) }, 'INVALID_SCHEDULE', 'schedule.cron.timezone', 'an IANA time zone name'],
          ['one-shot in the past', () => ({ schedule: Schedule.oneShot(new Date(t.now() - HOUR)) }), 'INVALID_SCHEDULE', 'schedule.one_shot.run_at', 'at most 1 s in the past'],
          ['one-shot after the year 9999', { schedule: Schedule.oneShot(new Date(Date.UTC(10000, 0, 1))) }, 'INVALID_SCHEDULE', 'schedule.one_shot.run_at', '0001-01-01T00:00:00Z..9999-12-31T23:59:59.999Z'],
          ['interval under 1 s', { schedule: Schedule.interval(999) }, 'INVALID_SCHEDULE', 'schedule.interval.every', '1000..3155760000000 ms'],
          ['interval over 100 years', { schedule: Schedule.interval(3_155_760_000_001) }, 'INVALID_SCHEDULE', 'schedule.interval.every', '1000..3155760000000 ms'],
          ['interval of the largest Duration', { schedule: Schedule.interval(315_576_000_000_000) }, 'INVALID_SCHEDULE', 'schedule.interval.every', '1000..3155760000000 ms'],
          ['NaN deep in the payload', { payload: { items: [{ name: Number.NaN }] } }, 'INVALID_ARGUMENT', 'payload/items/0/name', 'a finite number'],
          ['a key with / and ~', { payload: { 'a/b': { '~c': Number.POSITIVE_INFINITY } } }, 'INVALID_ARGUMENT', 'payload/a~1b/~0c', 'a finite number'],
          ['payload 33 levels deep', { payload: nest(33) }, 'INVALID_ARGUMENT', `payload${'/0'.repeat(32)}`, 'at most 32 levels'],
          ['payload 1 byte over 1 MiB', { payload: 'x'.repeat(1_048_575) }, 'INVALID_ARGUMENT', 'payload', 'at most 1048576 bytes'],
          ['maxRetries 101', { maxRetries: 101 }, 'INVALID_ARGUMENT', 'max_retries', '0..100'],
          ['timeoutSecs 0', { timeoutSecs: 0 }, 'INVALID_ARGUMENT', 'timeout_secs', '1..86400'],
          ['requestId of 129 code points', { requestId: 'r'.repeat(129) }, 'INVALID_ARGUMENT', 'request_id', '0..128 code points'],
          // The first bad field in field-number order decides, whichever check finds it.
          ['empty name and NaN in the payload', { name: '', payload: { x: Number.NaN } }, 'INVALID_ARGUMENT', 'name', '1..128 code points'],
          ['bad schedule and NaN in the payload', { schedule: Schedule.interval(999), payload: [Number.NaN] }, 'INVALID_SCHEDULE', 'schedule.interval.every', '1000..3155760000000 ms'],
          ['one-shot 30 days in the past and maxRetries 101', () => ({ schedule: Schedule.oneShot(new Date(t.now() - 30 * DAY)), maxRetries: 101 }), 'INVALID_SCHEDULE', 'schedule.one_shot.run_at', 'at most 1 s in the past'],
          ['one-shot 30 days in the past and Infinity in the payload', () => ({ schedule: Schedule.oneShot(new Date(t.now() - 30 * DAY)), payload: Number.NEGATIVE_INFINITY }), 'INVALID_SCHEDULE', 'schedule.one_shot.run_at', 'at most 1 s in the past'],
          ['NaN in the payload and timeoutSecs 0', { payload: { x: Number.NaN }, timeoutSecs: 0 }, 'INVALID_ARGUMENT', 'payload/x', 'a finite number'],
        ];
        for (const [what, patch, code, field, limit] of cases) {
          const error = await expectCode(client.createJob({ ...req('valid', Schedule.interval(1000)), ...apply(patch) }), code).catch((e: unknown) => {
            throw new Error(`${what}: ${String(e)}`);
          });
          expect({ field: error.field, limit: error.limit }, what).toEqual({ field, limit });
        }
        expect(await client.listJobs()).toEqual([]);
      });

      it('names job_id, page_size, name_prefix and request_id in the errors of the other operations', async () => {
        expect(await expectCode(client.getJob(''), 'INVALID_ARGUMENT')).toMatchObject({ field: 'job_id', limit: '1..128 code points' });
        expect(await expectCode(client.pauseJob('x'.repeat(129)), 'INVALID_ARGUMENT')).toMatchObject({ field: 'job_id', limit: '1..128 code points' });
        expect(await expectCode(client.listJobs({ namePrefix: 'p'.repeat(129) }), 'INVALID_ARGUMENT')).toMatchObject({ field: 'name_prefix', limit: '0..128 code points' });
        expect(await expectCode(first(client.iterateJobs({}, { pageSize: 1001 })), 'INVALID_ARGUMENT')).toMatchObject({ field: 'page_size', limit: '1..1000' });
        await client.createJob({ ...req('first', Schedule.interval(1000)), requestId: 'key-1' });
        const reused = await expectCode(client.createJob({ ...req('second', Schedule.interval(1000)), requestId: 'key-1' }), 'INVALID_ARGUMENT');
        expect(reused).toMatchObject({ field: 'request_id', limit: 'one request per request_id' });
      });

      it('accepts time zones spelt exactly as in the tz database, links included, and white space only by the stated set', async () => {
        for (const timezone of ['Europe/Berlin', 'Asia/Calcutta', 'Asia/Kolkata', 'US/Eastern', 'Etc/GMT+5', 'UTC', 'GMT']) {
          const job = await client.createJob(req(`tz ${timezone}`, Schedule.cron('0 9 * * *', { timezone })));
          expect(job.schedule).toEqual({ type: 'cron', expression: '0 9 * * *', timezone });
        }
        for (const timezone of ['europe/berlin', 'US/EASTERN', 'utc', 'Factory', 'US/Pacific-New']) {
          const error = await expectCode(client.createJob(req('bad tz', Schedule.cron('0 9 * * *', { timezone }))), 'INVALID_SCHEDULE');
          expect(error.field, timezone).toBe('schedule.cron.timezone');
        }
        // U+FEFF is not white space (the Unicode White_Space property), so a name of it alone is not blank.
        expect((await client.createJob(req('\uFEFF', Schedule.interval(1000)))).name).toBe('\uFEFF');
      });

      it('refuses an interval whose first run falls after 9999-12-31T23:59:59.999Z, and completes a job whose next run would', async () => {
        const lastDay = Date.UTC(9999, 11, 31);
        await t.advanceTime(lastDay - t.now());
        const tooLate = await expectCode(client.createJob(req('late', Schedule.interval(86_400_000))), 'INVALID_SCHEDULE');
        expect(tooLate).toMatchObject({ field: 'schedule.interval.every', limit: 'a first run no later than 9999-12-31T23:59:59.999Z' });
        const job = await client.createJob(req('last', Schedule.interval(12 * HOUR)));
        expect(job.nextRunAt?.toISOString()).toBe('9999-12-31T12:00:00.000Z');
        await t.advanceTime(12 * HOUR);
        const after = await client.getJob(job.id);
        expect(after.status).toBe('completed');
        expect(after.nextRunAt).toBeUndefined();
        expect((await client.getExecutions(job.id)).map((e) => e.result)).toEqual(['succeeded']);
      });

      it('rejects a missing or malformed request shape', async () => {
        await expectCode(client.createJob(undefined as never), 'INVALID_ARGUMENT');
        await expectCode(client.createJob({ name: 'x', payload: null } as never), 'INVALID_SCHEDULE');
        await expectCode(client.createJob({ name: 'x', schedule: { type: 'weekly' } as never, payload: null }), 'INVALID_SCHEDULE');
        await expectCode(client.createJob({ name: 42 as never, schedule: Schedule.interval(1000), payload: null }), 'INVALID_ARGUMENT');
        expect(await client.listJobs()).toEqual([]);
        // The payload may be left out: it is null.
        const bare = await client.createJob({ name: 'x', schedule: Schedule.interval(1000) });
        expect(bare.payload).toBeNull();
        expect((await client.getJob(bare.id)).payload).toBeNull();
      });
    });
  });
}

/** The first step of an iteration: where an iterator reports a bad argument. */
function first<T>(items: AsyncIterable<T>): Promise<IteratorResult<T>> {
  return items[Symbol.asyncIterator]().next();
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function nest(depth: number): JsonValue {
  let value: JsonValue = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

function cyclic(): unknown {
  const a: Record<string, unknown> = {};
  a.self = a;
  return a;
}

export type { Job };
