import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration, main, parseDuration } from '../src/cli.js';
import { LIMITS, VirtualClock } from '../src/index.js';
import { startSchedulerServer, type SchedulerServer } from '../src/testing.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

interface Outcome {
  status: number;
  out: string;
  err: string;
}

/** Streams for an in-process run of the CLI; `until` resolves once stdout contains `text`. */
function io(env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  const write = (t: string): void => {
    out += t;
    for (const w of waiting.filter((w) => out.includes(w.text))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  };
  return {
    io: { stdout: { write }, stderr: { write: (t: string) => (err += t) }, env },
    out: () => out,
    err: () => err,
    until: (text: string) => (out.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ text, resolve }))),
  };
}

/** Runs the built bin as a child process. */
function run(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/bin.js', ...args], { env: { ...process.env, K1S0_SCHEDULER_URL: '', ...env } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, out, err }));
  });
}

/** A usage error as the CLI prints it: one line naming the command, with the hint to --help. */
function usageLine(command: string, message: string): string {
  return `k1s0-scheduler ${command}: ${message}. See 'k1s0-scheduler ${command} --help'.\n`;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('k1s0-scheduler CLI', () => {
  let server: SchedulerServer;
  let cli: (...args: string[]) => Promise<Outcome>;
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
    expect(created).toMatchObject({ status: 0, err: '' });
    const job = JSON.parse(created.out) as { id: string };
    expect(job).toMatchObject({ name: 'nightly', status: 'pending', payload: { a: 1 }, schedule: { type: 'cron', expression: '0 2 * * *', timezone: 'Asia/Tokyo' } });

    const get = await cli('jobs', 'get', job.id);
    expect(get.status).toBe(0);
    expect(get.out).toMatch(/^ID\s+NAME\s+STATUS\s+SCHEDULE\s+NEXT RUN\n/);
    expect(get.out).toContain(job.id);
    expect(get.out).toContain("cron '0 2 * * *' Asia/Tokyo");

    expect((await cli('jobs', 'create', '--name', 'poll', '--every', '5s')).status).toBe(0);
    const once = await cli('jobs', 'create', '--name', 'once', '--at', '2099-01-01T00:00:00Z', '--max-retries', '0', '--timeout', '5s', '--json');
    expect(JSON.parse(once.out)).toMatchObject({ maxRetries: 0, timeoutSecs: 5 });
    const list = await cli('jobs', 'list', '--json');
    expect((JSON.parse(list.out) as { name: string }[]).map((j) => j.name)).toEqual(['nightly', 'poll', 'once']);
    const filtered = await cli('jobs', 'list', '--prefix', 'po');
    expect(filtered.out.trim().split('\n').length).toBe(2); // header + one row
    expect(filtered.out).toContain('every 5s');

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

  it('shows an interval in the largest exact units, the way it can be given', async () => {
    for (const every of ['30s', '90s', '1h', '1h30m', '2m500ms']) {
      expect((await cli('jobs', 'create', '--name', `every-${every}`, '--every', every)).status).toBe(0);
    }
    const table = (await cli('jobs', 'list', '--prefix', 'every-')).out;
    const shown = table.split('\n').slice(1, -1).map((line) => /every \S+/.exec(line)![0]);
    expect(shown).toEqual(['every 30s', 'every 1m30s', 'every 1h', 'every 1h30m', 'every 2m500ms']);
  });

  it('reads and writes durations: h, m, s and ms, largest first, and round-trips them', () => {
    expect(['0', '500ms', '1.5s', '30s', '90s', '1m30s', '5m', '1h', '1h30m', '2h0m1s'].map(parseDuration)).toEqual([
      0, 500, 1500, 30_000, 90_000, 90_000, 300_000, 3_600_000, 5_400_000, 7_201_000,
    ]);
    expect([0, 500, 1500, 30_000, 90_000, 3_600_000, 5_400_000, 86_400_000].map(formatDuration)).toEqual([
      '0s', '500ms', '1s500ms', '30s', '1m30s', '1h', '1h30m', '24h',
    ]);
    for (const ms of [1, 999, 1000, 61_001, 3_599_999, 3_600_001, LIMITS.intervalMsMax]) expect(parseDuration(formatDuration(ms))).toBe(ms);
    for (const bad of ['', '5000', '-5s', '5 s', '1s1m', '1d', '1.0001ms', 'soon']) expect(() => parseDuration(bad), bad).toThrow();
  });

  it('reads --at with Z or an offset, and refuses a time without a zone', async () => {
    const utc = await cli('jobs', 'create', '--name', 'at-utc', '--at', '2099-06-01T09:00:00Z', '--json');
    expect(JSON.parse(utc.out)).toMatchObject({ schedule: { type: 'one_shot', runAt: '2099-06-01T09:00:00.000Z' } });
    const tokyo = await cli('jobs', 'create', '--name', 'at-tokyo', '--at', '2099-06-01T09:00:00.250+09:00', '--json');
    expect(JSON.parse(tokyo.out)).toMatchObject({ schedule: { type: 'one_shot', runAt: '2099-06-01T00:00:00.250Z' } });

    const local = await cli('jobs', 'create', '--name', 'at-local', '--at', '2099-06-01T09:00:00');
    expect(local).toEqual({
      status: 2,
      out: '',
      err: usageLine('jobs create', '--at: the time needs a zone, Z for UTC or an offset such as +09:00; got "2099-06-01T09:00:00"'),
    });
    for (const [at, why] of [
      ['2099-02-29T00:00:00Z', 'it has day 29, but 2099-02 has days 01 to 28'],
      ['2099-06-01T24:00:00Z', 'it has hour 24, not 00 to 23'],
      ['2099-06-01T09:00:00+24:00', 'it has an offset outside -23:59..+23:59'],
      ['2099-06-30T23:59:60Z', 'it has second 60, not 00 to 59 (leap seconds are not accepted)'],
    ]) {
      expect(await cli('jobs', 'create', '--name', 'x', '--at', at!)).toEqual({ status: 2, out: '', err: usageLine('jobs create', `--at: no such date and time (${why}); got "${at}"`) });
    }
    expect(await cli('jobs', 'create', '--name', 'x', '--at', '2099-06-01T09:00:00.000000001Z')).toEqual({
      status: 2,
      out: '',
      err: usageLine('jobs create', '--at: must be a whole number of milliseconds; got "2099-06-01T09:00:00.000000001Z"'),
    });
    // The proto's timestamp text only: seconds, upper-case T and Z, no space instead of T.
    for (const at of ['2099-06-01', 'tomorrow', '1700000000000', '2099-06-01T09:00Z', '2099-06-01t09:00:00z', '2099-06-01 09:00:00Z', ' 2099-06-01T09:00:00Z']) {
      const r = await cli('jobs', 'create', '--name', 'x', '--at', at);
      expect(r.status, at).toBe(2);
      expect(r.err).toContain('--at: expected a date and time like 2026-12-24T18:00:00Z or 2026-12-24T18:00:00+09:00');
    }
  });

  it('refuses values outside the limits, naming the option and the limit', async () => {
    const cases: [string[], string][] = [
      [['--timeout', '0'], `--timeout: must be from ${LIMITS.timeoutSecsMin}s to 24h; got "0"`],
      [['--timeout', '25h'], `--timeout: must be from ${LIMITS.timeoutSecsMin}s to ${LIMITS.timeoutSecsMax / 3600}h; got "25h"`],
      [['--timeout', '1500ms'], '--timeout: must be whole seconds; got "1500ms"'],
      [['--max-retries', '101'], `--max-retries: must be from ${LIMITS.maxRetriesMin} to ${LIMITS.maxRetriesMax}; got "101"`],
      [['--max-retries', '-1'], `--max-retries: must be from ${LIMITS.maxRetriesMin} to ${LIMITS.maxRetriesMax}; got "-1"`],
      [['--every', '500ms', '--max-retries', '3'], `--every: must be from ${LIMITS.intervalMsMin / 1000}s to ${formatDuration(LIMITS.intervalMsMax)}; got "500ms"`],
    ];
    for (const [extra, message] of cases) {
      const args = extra[0] === '--every' ? extra : ['--every', '1m', ...extra];
      expect(await cli('jobs', 'create', '--name', 'limits', ...args), extra.join(' ')).toEqual({ status: 2, out: '', err: usageLine('jobs create', message) });
    }
    expect(await cli('jobs', 'list', '--deadline', '0')).toEqual({ status: 2, out: '', err: usageLine('jobs list', '--deadline: must be from 1ms to 24h; got "0"') });
    expect(await cli('dev', '--port', '65536')).toEqual({ status: 2, out: '', err: usageLine('dev', '--port: must be from 0 to 65535; got "65536"') });
    expect((await cli('jobs', 'list', '--prefix', 'limits', '--json')).out).toBe('[]\n');
  });

  it('prints a usage error as one line with a hint to --help, and exits with status 2', async () => {
    const cases: [string[], string, string][] = [
      [['jobs', 'create', '--name', 'x', '--every', '-5s'], 'jobs create', '--every: expected a duration like 30s, 5m, 1h; got "-5s"'],
      [['jobs', 'create', '--name', 'x', '--every', '5000'], 'jobs create', '--every: expected a duration like 30s, 5m, 1h with a unit; got "5000"'],
      [['jobs', 'create', '--name', 'x', '--every', '1m', '--max-retries', 'abc'], 'jobs create', '--max-retries: expected a whole number; got "abc"'],
      [['jobs', 'create', '--name', 'x', '--every', '1m', '--max-retries', '2.5'], 'jobs create', '--max-retries: expected a whole number; got "2.5"'],
      [['jobs', 'create', '--every', '1m'], 'jobs create', '--name is required'],
      [['jobs', 'create', '--name', 'x'], 'jobs create', 'a schedule is required: --cron, --at or --every'],
      [['jobs', 'create', '--name', 'x', '--cron', '* * * * *', '--every', '1m'], 'jobs create', '--cron and --every cannot be combined; give one schedule'],
      [['jobs', 'create', '--name', 'x', '--every', '1m', '--timezone', 'UTC'], 'jobs create', '--timezone goes only with --cron'],
      [['jobs', 'create', '--name', 'x', '--every', '1m', '--payload', '{a:1}'], 'jobs create', `--payload: expected JSON, such as '{"a":1}', '"text"' or null; got "{a:1}"`],
      [['jobs', 'create', '--name', '--every', '1m'], 'jobs create', '--name needs a value'],
      [['jobs', 'create', '--name', 'x', '--name', 'y', '--every', '1m'], 'jobs create', '--name is given more than once'],
      [['jobs', 'create', '--name', 'x', '--every', '1m', '--timeout-secs', '5'], 'jobs create', "--timeout-secs is no longer an option; use --timeout with a unit, such as '--timeout 30s'"],
      [['jobs', 'create', 'x'], 'jobs create', "unexpected argument 'x'"],
      [['jobs', 'list', '--bogus'], 'jobs list', "unknown option '--bogus'"],
      [['jobs', 'list', '--staus', 'paused'], 'jobs list', "unknown option '--staus' (did you mean '--status'?)"],
      [['jobs', 'list', '--status', 'done'], 'jobs list', '--status: expected one of pending, running, completed, failed, paused, cancelled; got "done"'],
      [['jobs', 'list', '--json=yes'], 'jobs list', '--json takes no value; got "yes"'],
      [['jobs', 'get'], 'jobs get', 'expected a job ID'],
      [['jobs', 'cancel', 'a', 'b'], 'jobs cancel', "unexpected argument 'b'"],
      [['jobs', 'get', 'a', '--name', 'x'], 'jobs get', "unknown option '--name'"],
      [['jobs', 'frobnicate'], 'jobs', "unknown subcommand 'frobnicate'"],
      [['jobs', 'lst'], 'jobs', "unknown subcommand 'lst' (did you mean 'list'?)"],
      [['jobs'], 'jobs', 'expected a subcommand: create, list, get, pause, resume, cancel, trigger, executions'],
      [['jobs', '--server', 'x', 'list'], 'jobs', "expected a subcommand (create, list, get, pause, resume, cancel, trigger, executions) before '--server'"],
      [['dev', 'now'], 'dev', "unexpected argument 'now'"],
      [['dev', '--port', 'http'], 'dev', '--port: expected a whole number; got "http"'],
      [['help', 'jobs', 'nope'], 'help', "unknown command 'jobs nope'"],
    ];
    for (const [args, command, message] of cases) {
      expect(await cli(...args), args.join(' ')).toEqual({ status: 2, out: '', err: usageLine(command, message) });
    }
    // The program itself: no command, an unknown one, an unknown option.
    expect((await cli()).err).toBe("k1s0-scheduler: expected a command: dev, jobs, help. See 'k1s0-scheduler --help'.\n");
    expect((await cli('nope')).err).toBe("k1s0-scheduler: unknown command 'nope'. See 'k1s0-scheduler --help'.\n");
    expect((await cli('jbos', 'list')).err).toBe("k1s0-scheduler: unknown command 'jbos' (did you mean 'jobs'?). See 'k1s0-scheduler --help'.\n");
    expect(await cli('--bogus')).toEqual({ status: 2, out: '', err: "k1s0-scheduler: unknown option '--bogus'. See 'k1s0-scheduler --help'.\n" });
    // Nothing reached the scheduler.
    expect((await cli('jobs', 'list', '--prefix', 'x', '--json')).out).toBe('[]\n');
  });

  it('prints --help of every command and subcommand to stdout, with exit status 0', async () => {
    const commands = [[], ['dev'], ['jobs'], ['help'], ...['create', 'list', 'get', 'pause', 'resume', 'cancel', 'trigger', 'executions'].map((s) => ['jobs', s])];
    for (const words of commands) {
      for (const flag of ['--help', '-h']) {
        const r = await cli(...words, flag);
        expect(r.status, `${words.join(' ')} ${flag}`).toBe(0);
        expect(r.err).toBe('');
        expect(r.out).toContain(`Usage: ${['k1s0-scheduler', ...words].join(' ')}`);
      }
      expect((await cli('help', ...words)).out).toBe((await cli(...words, '--help')).out);
    }
    const create = (await cli('jobs', 'create', '--help')).out;
    for (const option of ['--name', '--cron', '--timezone', '--at', '--every', '--payload', '--max-retries', '--timeout', '--request-id', '--server', '--token', '--deadline', '--json']) {
      expect(create).toContain(`  ${option} `);
    }
    expect(create).toContain('A time without Z or an offset is refused');
    expect(create).toContain(`--max-retries N        how many times a failed attempt is retried, ${LIMITS.maxRetriesMin} to ${LIMITS.maxRetriesMax}`);
    // --help wins over anything else on the line, even a mistake.
    expect(await cli('jobs', 'create', '--every', '-5s', '--bogus', '--help')).toEqual({ status: 0, out: create, err: '' });
    expect((await cli('jobs', 'nope', '--help')).out).toBe((await cli('jobs', '--help')).out);
  });

  it('prints the version of package.json, from the built bin too', async () => {
    expect(await cli('--version')).toEqual({ status: 0, out: `${VERSION}\n`, err: '' });
    expect(await run(['--version'])).toEqual({ status: 0, out: `${VERSION}\n`, err: '' });
    expect(await cli('--version', 'jobs')).toEqual({
      status: 2,
      out: '',
      err: "k1s0-scheduler: --version takes no arguments; got 'jobs'. See 'k1s0-scheduler --help'.\n",
    });
  });

  it('reports scheduler errors as one line with their code, and exits with status 1', async () => {
    const missing = await cli('jobs', 'get', 'no-such-job');
    expect(missing.status).toBe(1);
    expect(missing.out).toBe('');
    expect(missing.err).toMatch(/^k1s0-scheduler jobs get: JOB_NOT_FOUND: [^\n]+\n$/);
    const blank = await cli('jobs', 'create', '--name', ' ', '--every', '1m');
    expect(blank.status).toBe(1);
    expect(blank.err).toMatch(/^k1s0-scheduler jobs create: INVALID_ARGUMENT: --name: [^\n]+\n$/);

    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const down = await cli('jobs', 'list', '--server', `127.0.0.1:${port}`, '--deadline', '1s', '--json');
    expect(down.status).toBe(1);
    expect(['SERVER_ERROR', 'TIMEOUT']).toContain((JSON.parse(down.err) as { error: { code: string } }).error.code);
  });

  it('with --json, prints errors as JSON on stderr: usage errors and scheduler errors', async () => {
    const usage = await cli('jobs', 'create', '--name', 'x', '--every', '-5s', '--json');
    expect(usage.status).toBe(2);
    expect(usage.out).toBe('');
    expect(usage.err.endsWith('\n') && usage.err.indexOf('\n') === usage.err.length - 1).toBe(true);
    expect(JSON.parse(usage.err)).toEqual({
      error: {
        code: 'USAGE',
        message: '--every: expected a duration like 30s, 5m, 1h; got "-5s"',
        option: '--every',
        field: 'schedule.interval.every',
        limit: null,
        jobId: null,
        retryable: false,
        help: 'k1s0-scheduler jobs create --help',
      },
    });
    const limit = JSON.parse((await cli('jobs', 'create', '--name', 'x', '--every', '1m', '--max-retries', '101', '--json')).err) as { error: object };
    expect(limit.error).toMatchObject({ code: 'USAGE', option: '--max-retries', field: 'max_retries', limit: `${LIMITS.maxRetriesMin} to ${LIMITS.maxRetriesMax}` });
    expect(JSON.parse((await cli('nope', '--json')).err)).toMatchObject({ error: { code: 'USAGE', option: null, help: 'k1s0-scheduler --help' } });

    const missing = await cli('jobs', 'get', 'no-such-job', '--json');
    expect(missing.status).toBe(1);
    expect(missing.out).toBe('');
    expect(JSON.parse(missing.err)).toEqual({
      error: { code: 'JOB_NOT_FOUND', message: expect.any(String), option: null, field: null, limit: null, jobId: 'no-such-job', retryable: false },
    });
    const blank = JSON.parse((await cli('jobs', 'create', '--name', ' ', '--every', '1m', '--json')).err) as { error: object };
    expect(blank.error).toMatchObject({ code: 'INVALID_ARGUMENT', option: '--name', field: 'name' });
  });

  it('dev on a port in use prints one line and exits with status 1', async () => {
    const taken = createServer();
    const port = await listen(taken);
    try {
      expect(await run(['dev', '--port', String(port)])).toEqual({ status: 1, out: '', err: `k1s0-scheduler dev: port ${port} on 127.0.0.1 is already in use\n` });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('dev starts a reference server that answers until it is told to stop', async () => {
    let stop!: () => void;
    const t = io();
    const running = main(['dev', '--port', '0'], { ...t.io, shutdown: new Promise<void>((r) => (stop = r)) });
    await t.until('; Ctrl-C stops it\n');
    const address = /listening on (\S+);/.exec(t.out())![1]!;
    const created = io({ K1S0_SCHEDULER_URL: address });
    expect(await main(['jobs', 'create', '--name', 'dev-job', '--every', '1s'], created.io)).toBe(0);
    await t.until('succeeded');
    stop();
    expect(await running).toBe(0);
    expect(t.err()).toBe('');
  });

  it('the built bin runs, with exit status 0, 1 and 2', async () => {
    const env = { K1S0_SCHEDULER_URL: server.address };
    const list = await run(['jobs', 'list', '--json'], env);
    expect(list.status).toBe(0);
    expect(Array.isArray(JSON.parse(list.out))).toBe(true);
    const failed = await run(['jobs', 'get', 'nope'], env);
    expect(failed).toMatchObject({ status: 1, out: '' });
    expect(failed.err).toMatch(/^k1s0-scheduler jobs get: JOB_NOT_FOUND: [^\n]+\n$/);
    expect(await run(['jobs', 'create', '--name', 'x', '--every', '-5s'], env)).toEqual({
      status: 2,
      out: '',
      err: usageLine('jobs create', '--every: expected a duration like 30s, 5m, 1h; got "-5s"'),
    });
    const help = await run(['jobs', 'create', '--help']);
    expect(help).toMatchObject({ status: 0, err: '' });
    expect(help.out).toBe((await cli('jobs', 'create', '--help')).out);
  });
});
