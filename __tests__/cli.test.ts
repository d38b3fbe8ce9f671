import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, parseDuration } from '../src/cli.js';
import { VirtualClock } from '../src/index.js';
import { startSchedulerServer, type SchedulerServer } from '../src/testing.js';

const exec = promisify(execFile);

function io(env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env },
    out: () => out,
    err: () => err,
  };
}

describe('k1s0-scheduler CLI', () => {
  let server: SchedulerServer;
  let cli: (...args: string[]) => Promise<{ status: number; out: string; err: string }>;
  beforeAll(async () => {
    server = await startSchedulerServer({ clock: new VirtualClock() });
    cli = async (...args) => {
      const t = io({ K1S0_SCHEDULER_URL: server.address });
      const status = await main(args, t.io);
      return { status, out: t.out(), err: t.err() };
    };
  });
  afterAll(() => server.close());

  it('creates, shows, lists, pauses, resumes, triggers and cancels jobs, as tables and as JSON', async () => {
    const created = await cli('jobs', 'create', '--name', 'nightly', '--cron', '0 2 * * *', '--timezone', 'Asia/Tokyo', '--payload', '{"a":1}', '--json');
    expect(created.status).toBe(0);
    const job = JSON.parse(created.out) as { id: string; name: string; status: string; payload: unknown; schedule: unknown };
    expect(job).toMatchObject({ name: 'nightly', status: 'pending', payload: { a: 1 }, schedule: { type: 'cron', expression: '0 2 * * *', timezone: 'Asia/Tokyo' } });

    const get = await cli('jobs', 'get', job.id);
    expect(get.status).toBe(0);
    expect(get.out).toMatch(/^ID\s+NAME\s+STATUS\s+SCHEDULE\s+NEXT RUN\n/);
    expect(get.out).toContain(job.id);
    expect(get.out).toContain("cron '0 2 * * *' Asia/Tokyo");

    await cli('jobs', 'create', '--name', 'poll', '--every', '5s');
    const at = new Date(server.now().getTime() + 60_000).toISOString();
    await cli('jobs', 'create', '--name', 'once', '--at', at, '--max-retries', '0', '--timeout-secs', '5');
    const list = await cli('jobs', 'list', '--json');
    expect((JSON.parse(list.out) as { name: string }[]).map((j) => j.name)).toEqual(['nightly', 'poll', 'once']);
    const filtered = await cli('jobs', 'list', '--prefix', 'po');
    expect(filtered.out.trim().split('\n').length).toBe(2); // header + one row
    expect(filtered.out).toContain('every 5000 ms');

    expect((await cli('jobs', 'pause', job.id)).out).toContain('paused');
    expect((await cli('jobs', 'list', '--status', 'paused', '--json')).out).toContain(job.id);
    expect((await cli('jobs', 'resume', job.id)).out).toContain('pending');
    const trigger = await cli('jobs', 'trigger', job.id, '--json');
    expect(JSON.parse(trigger.out)).toMatchObject({ jobId: job.id, attempt: 1, result: 'running' });
    await server.advanceTime(0);
    const runs = await cli('jobs', 'executions', job.id);
    expect(runs.out).toMatch(/^ID\s+ATTEMPT\s+RESULT\s+STARTED\s+FINISHED\s+ERROR\n/);
    expect(runs.out).toContain('succeeded');
    expect((await cli('jobs', 'cancel', job.id)).out).toContain('cancelled');
  });

  it('reports scheduler errors on stderr with their code and exit status 1', async () => {
    const missing = await cli('jobs', 'get', 'no-such-job');
    expect(missing.status).toBe(1);
    expect(missing.out).toBe('');
    expect(missing.err).toMatch(/^error: JOB_NOT_FOUND: .*no-such-job/);
    const bad = await cli('jobs', 'create', '--name', 'x', '--every', '500ms');
    expect(bad.status).toBe(1);
    expect(bad.err).toContain('INVALID_SCHEDULE');
    const down = await main(['jobs', 'list', '--server', '127.0.0.1:1', '--timeout', '2000'], io().io);
    expect(down).toBe(1);
  });

  it('reports usage errors with exit status 2 and the usage text', async () => {
    for (const args of [['jobs', 'create', '--name', 'x'], ['jobs', 'frobnicate'], ['nope'], ['jobs', 'get'], ['jobs', 'list', '--bogus'], ['jobs', 'create', '--name', 'x', '--every', 'soon']]) {
      const r = await cli(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.err).toContain('Usage:');
    }
    expect((await cli('--help')).status).toBe(0);
  });

  it('parses durations', () => {
    expect([parseDuration('1500'), parseDuration('1500ms'), parseDuration('5s'), parseDuration('2m'), parseDuration('1h'), parseDuration('1.5s')]).toEqual([
      1500, 1500, 5000, 120_000, 3_600_000, 1500,
    ]);
    expect(() => parseDuration('5 days')).toThrow();
  });

  it('dev starts a reference server that answers until it is told to stop', async () => {
    let stop!: () => void;
    const t = io();
    const running = main(['dev', '--port', '0'], { ...t.io, shutdown: new Promise<void>((r) => (stop = r)) });
    await expect.poll(() => t.out(), { timeout: 10_000 }).toContain('listening on');
    const address = /listening on (\S+);/.exec(t.out())![1]!;
    const created = io({ K1S0_SCHEDULER_URL: address });
    expect(await main(['jobs', 'create', '--name', 'dev-job', '--every', '1s'], created.io)).toBe(0);
    await expect.poll(() => t.out(), { timeout: 10_000 }).toContain('succeeded');
    stop();
    expect(await running).toBe(0);
  });

  it('the built bin runs', async () => {
    const { stdout } = await exec(process.execPath, ['dist/bin.js', 'jobs', 'list', '--server', server.address, '--json']);
    expect(Array.isArray(JSON.parse(stdout))).toBe(true);
    const failed = await exec(process.execPath, ['dist/bin.js', 'jobs', 'get', 'nope', '--server', server.address]).catch((e: { code: number; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain('JOB_NOT_FOUND');
  });
});
