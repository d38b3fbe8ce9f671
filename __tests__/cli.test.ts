import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration, main, parseDuration } from '../src/cli.js';
import { LIMITS, VirtualClock } from '../src/index.js';
import { dueTime } from '../src/policy.js';
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

/** Runs the built bin as a child process, with `input` on its standard input. */
function run(args: string[], env: Record<string, string> = {}, input = ''): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/bin.js', ...args], { env: { ...process.env, K1S0_SCHEDULER_URL: '', ...env } });
    child.stdin.end(input);
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

/** Streams whose stdin yields `input`, for `-f -`. */
function withStdin(t: ReturnType<typeof io>, input: string) {
  return {
    ...t.io,
    stdin: (async function* () {
      yield Buffer.from(input, 'utf8');
    })(),
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('k1s0-scheduler CLI', () => {
  let server: SchedulerServer;
  let cli: (...args: string[]) => Promise<Outcome>;
  beforeAll(async () => {
    server = await startSchedulerServer({ clock: new VirtualClock() });
    cli = cliAgainst(server);
  });
  afterAll(() => server.close());

  it('creates, shows, lists, pauses, resumes, triggers and cancels jobs, as tables and as JSON', async () => {
    const created = await cli('jobs', 'create', '--name', 'nightly', '--cron', '0 2 * * *', '--timezone', 'Asia/Tokyo', '--payload', '{"a":1}', '--json');
    expect(created).toMatchObject({ status: 0, err: '' });
    const job = JSON.parse(created.out) as { id: string };
    expect(job).toMatchObject({ name: 'nightly', status: 'pending', payload: { a: 1 }, schedule: { type: 'cron', expression: '0 2 * * *', timezone: 'Asia/Tokyo' } });

    const get = await cli('jobs', 'get', job.id);
    expect(get.status).toBe(0);
    expect(get.out).toMatch(/^ID\s+NAME\s+STATUS\s+SCHEDULE\s+NEXT RUN\s+REV\n/);
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
      [['jobs', 'get'], 'jobs get', 'expected a job ID or --key KEY'],
      [['jobs', 'cancel', 'a', 'b'], 'jobs cancel', "unexpected argument 'b'"],
      [['jobs', 'get', 'a', '--name', 'x'], 'jobs get', "unknown option '--name'"],
      [['jobs', 'frobnicate'], 'jobs', "unknown subcommand 'frobnicate'"],
      [['jobs', 'lst'], 'jobs', "unknown subcommand 'lst' (did you mean 'list'?)"],
      [['jobs'], 'jobs', 'expected a subcommand: create, apply, list, get, describe, update, delete, pause, resume, cancel, trigger, wait, executions'],
      [['jobs', '--server', 'x', 'list'], 'jobs', "expected a subcommand (create, apply, list, get, describe, update, delete, pause, resume, cancel, trigger, wait, executions) before '--server'"],
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
    const subcommands = ['create', 'apply', 'list', 'get', 'describe', 'update', 'delete', 'pause', 'resume', 'cancel', 'trigger', 'wait', 'executions'];
    const commands = [[], ['dev'], ['jobs'], ['help'], ...subcommands.map((s) => ['jobs', s])];
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

// The rows of a table as cells, without the header (no cell of these tables has a space).
function rows(table: string): string[][] {
  return table.trimEnd().split('\n').slice(1).map((line) => line.split(/\s+/));
}

interface JobJson {
  id: string;
  key?: string;
  name: string;
  revision: number;
  payload: unknown;
  maxRetries: number;
  timeoutSecs: number;
  labels: Record<string, string>;
  status: string;
  schedule: Record<string, unknown>;
}

interface AppliedJson {
  key: string;
  action: string;
  changedFields: string[];
  job: JobJson | null;
}

interface DiffJson {
  owner: string;
  dryRun: boolean;
  counts: Record<string, number>;
  entries: { key: string | null; action: string; changedFields: string[]; jobId: string | null; revision: number | null }[];
}

/** The CLI run in-process against `server`, as a function of its arguments. */
function cliAgainst(server: SchedulerServer): (...args: string[]) => Promise<Outcome> {
  return async (...args) => {
    const t = io({ K1S0_SCHEDULER_URL: server.address });
    const status = await main(args, t.io);
    return { status, out: t.out(), err: t.err() };
  };
}

describe('k1s0-scheduler jobs apply, update, delete, keys and labels', () => {
  let server: SchedulerServer;
  let dir: string;
  let cli: (...args: string[]) => Promise<Outcome>;
  /** Writes `{ "jobs": jobs }` (or the text as it is) to a file of the test's directory. */
  const file = (name: string, jobs: object[] | string): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof jobs === 'string' ? jobs : JSON.stringify({ jobs }, null, 2));
    return path;
  };
  const json = <T>(r: Outcome): T => {
    expect(r, r.err).toMatchObject({ status: 0, err: '' });
    return JSON.parse(r.out) as T;
  };
  beforeAll(async () => {
    server = await startSchedulerServer({ clock: new VirtualClock() });
    dir = mkdtempSync(join(tmpdir(), 'k1s0-cli-'));
    cli = cliAgainst(server);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const CRON = { key: 'report', name: 'daily report', schedule: { cron: '0 9 * * MON-FRI', timezone: 'Asia/Tokyo' }, payload: { kind: 'daily' }, labels: { team: 'billing' } };
  const EVERY = { key: 'poll', name: 'poll', schedule: { every: '90s' }, maxRetries: 0, timeoutSecs: 30 };
  const AT = { key: 'new-year', name: 'new year', schedule: { at: '2099-12-31T15:00:00+09:00' } };

  it('applies a file by key: created, then all unchanged, then updated in place', async () => {
    const path = file('jobs.json', [CRON, EVERY, AT]);
    const first = await cli('jobs', 'apply', '-f', path);
    expect(first).toMatchObject({ status: 0, err: '' });
    expect(first.out).toMatch(/^KEY\s+ACTION\s+CHANGED\s+JOB\s+REV\n/);
    expect(rows(first.out).slice(0, 3).map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ['report', 'created', '-', '1'],
      ['poll', 'created', '-', '1'],
      ['new-year', 'created', '-', '1'],
    ]);
    expect(first.out.endsWith('\n3 created, 0 updated, 0 unchanged\n')).toBe(true);
    const ids = rows(first.out).slice(0, 3).map((r) => r[3]);

    const report = json<JobJson>(await cli('jobs', 'get', '--key', 'report', '--json'));
    expect(report).toMatchObject({
      id: ids[0],
      key: 'report',
      name: 'daily report',
      schedule: { type: 'cron', expression: '0 9 * * MON-FRI', timezone: 'Asia/Tokyo' },
      payload: { kind: 'daily' },
      labels: { team: 'billing' },
      maxRetries: 3,
      timeoutSecs: 60,
      revision: 1,
    });
    expect(json<JobJson>(await cli('jobs', 'get', '--key', 'poll', '--json'))).toMatchObject({ schedule: { type: 'interval', intervalMs: 90_000 }, maxRetries: 0, timeoutSecs: 30, payload: null });
    expect(json<JobJson>(await cli('jobs', 'get', '--key', 'new-year', '--json'))).toMatchObject({ schedule: { type: 'one_shot', runAt: '2099-12-31T06:00:00.000Z' } });

    // The same file again changes nothing.
    const second = await cli('jobs', 'apply', '-f', path);
    expect(rows(second.out).slice(0, 3).map((r) => [r[0], r[1], r[3], r[4]])).toEqual([
      ['report', 'unchanged', ids[0], '1'],
      ['poll', 'unchanged', ids[1], '1'],
      ['new-year', 'unchanged', ids[2], '1'],
    ]);
    expect(second.out.endsWith('\n0 created, 0 updated, 3 unchanged\n')).toBe(true);
    const again = json<AppliedJson[]>(await cli('jobs', 'apply', '-f', path, '--json'));
    expect(again.map((r) => [r.key, r.action, r.job?.id, r.job?.revision])).toEqual([
      ['report', 'unchanged', ids[0], 1],
      ['poll', 'unchanged', ids[1], 1],
      ['new-year', 'unchanged', ids[2], 1],
    ]);

    // A changed job is updated in place; a member left out takes its default.
    const changed = file('changed.json', [CRON, { ...EVERY, schedule: { every: '2m' }, payload: [1], maxRetries: undefined }, AT]);
    const updated = json<AppliedJson[]>(await cli('jobs', 'apply', '-f', changed, '--json'));
    expect(updated[1]).toMatchObject({ key: 'poll', action: 'updated', changedFields: ['schedule', 'payload', 'maxRetries'], job: { id: ids[1], revision: 2, maxRetries: 3, payload: [1] } });
    expect(updated.map((r) => r.action)).toEqual(['unchanged', 'updated', 'unchanged']);
    expect(rows((await cli('jobs', 'apply', '-f', changed)).out)[1]).toEqual(['poll', 'unchanged', '-', ids[1], '2']);
  });

  it('--dry-run changes nothing, with and without --owner', async () => {
    file('dry.json', [{ key: 'dry-a', name: 'dry a', schedule: { every: '1m' } }]);
    expect((await cli('jobs', 'apply', '-f', join(dir, 'dry.json'))).status).toBe(0);
    const before = json<JobJson>(await cli('jobs', 'get', '--key', 'dry-a', '--json'));

    const path = file('dry2.json', [{ key: 'dry-a', name: 'dry a', schedule: { every: '5m' } }, { key: 'dry-b', name: 'dry b', schedule: { every: '1m' } }]);
    const dry = await cli('jobs', 'apply', '-f', path, '--dry-run');
    expect(dry).toMatchObject({ status: 0, err: '' });
    expect(rows(dry.out).slice(0, 2).map((r) => r.slice(0, 3))).toEqual([
      ['dry-a', 'updated', 'schedule'],
      ['dry-b', 'created', '-'],
    ]);
    expect(dry.out.endsWith('\n1 to create, 1 to update, 0 unchanged (dry run: nothing changed)\n')).toBe(true);
    expect(json<JobJson>(await cli('jobs', 'get', '--key', 'dry-a', '--json'))).toEqual(before);
    const missing = await cli('jobs', 'get', '--key', 'dry-b', '--json');
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.err)).toMatchObject({ error: { code: 'JOB_NOT_FOUND', option: '--key', field: 'key' } });

    const owned = await cli('jobs', 'apply', '-f', file('dry-owned.json', [{ key: 'dry-c', name: 'dry c', schedule: { every: '1m' } }]), '--owner', 'dry', '--dry-run');
    expect(owned).toMatchObject({ status: 0, err: '' });
    expect(owned.out).toContain('owner dry: 1 to create, 0 to update, 0 unchanged, 0 to delete (dry run)');
    expect(json<JobJson[]>(await cli('jobs', 'list', '--label', 'k1s0.owner=dry', '--json'))).toEqual([]);
    expect((await cli('jobs', 'get', '--key', 'dry-c')).status).toBe(1);
  });

  it('--owner reconciles: the second apply is all unchanged, and --prune deletes only the removed jobs of that owner', async () => {
    const alpha = file('alpha.json', [
      { key: 'alpha-1', name: 'alpha 1', schedule: { every: '1m' } },
      { key: 'alpha-2', name: 'alpha 2', schedule: { cron: '@daily' }, labels: { tier: 'gold' } },
    ]);
    const first = await cli('jobs', 'apply', '-f', alpha, '--owner', 'alpha');
    expect(first).toMatchObject({ status: 0, err: '' });
    expect(first.out).toMatch(/^KEY\s+ACTION\s+CHANGED\s+JOB\n/);
    expect(first.out).toContain('owner alpha: 2 created, 0 updated, 0 unchanged, 0 deleted\n');
    const second = await cli('jobs', 'apply', '-f', alpha, '--owner', 'alpha');
    expect(rows(second.out).slice(0, 2).map((r) => r.slice(0, 3))).toEqual([
      ['alpha-1', 'unchanged', '-'],
      ['alpha-2', 'unchanged', '-'],
    ]);
    expect(second.out).toContain('owner alpha: 0 created, 0 updated, 2 unchanged, 0 deleted\n');
    expect(json<JobJson>(await cli('jobs', 'get', '--key', 'alpha-2', '--json')).labels).toEqual({ tier: 'gold', 'k1s0.owner': 'alpha' });

    expect((await cli('jobs', 'apply', '-f', file('beta.json', [{ key: 'beta-1', name: 'beta 1', schedule: { every: '1m' } }]), '--owner', 'beta')).status).toBe(0);
    expect((await cli('jobs', 'create', '--name', 'loose', '--every', '1m', '--key', 'loose-1')).status).toBe(0);

    const only1 = file('alpha-1.json', [{ key: 'alpha-1', name: 'alpha 1', schedule: { every: '1m' } }]);
    const pruned = json<DiffJson>(await cli('jobs', 'apply', '-f', only1, '--owner', 'alpha', '--prune', '--json'));
    expect(pruned).toMatchObject({ owner: 'alpha', dryRun: false, counts: { create: 0, update: 0, unchanged: 1, delete: 1 } });
    expect(pruned.entries.map((e) => [e.key, e.action])).toEqual([
      ['alpha-1', 'unchanged'],
      ['alpha-2', 'delete'],
    ]);
    expect((await cli('jobs', 'get', '--key', 'alpha-2')).status).toBe(1);
    for (const key of ['alpha-1', 'beta-1', 'loose-1']) expect((await cli('jobs', 'get', '--key', key)).status, key).toBe(0);
    expect(json<JobJson[]>(await cli('jobs', 'list', '--label', 'k1s0.owner=alpha', '--json')).map((j) => j.key)).toEqual(['alpha-1']);

    // Another owner's key is a CONFLICT, and changes nothing.
    const taken = await cli('jobs', 'apply', '-f', file('steal.json', [{ key: 'beta-1', name: 'mine', schedule: { every: '1m' } }]), '--owner', 'alpha', '--json');
    expect(taken.status).toBe(1);
    expect(JSON.parse(taken.err)).toMatchObject({ error: { code: 'CONFLICT', option: null } });
    expect(json<JobJson>(await cli('jobs', 'get', '--key', 'beta-1', '--json'))).toMatchObject({ name: 'beta 1', labels: { 'k1s0.owner': 'beta' } });
  });

  it('without --owner, prints the jobs applied before the scheduler refused one, then the error at its place', async () => {
    const path = file('partial.json', [
      { key: 'partial-ok', name: 'ok', schedule: { every: '1m' } },
      { key: 'partial-past', name: 'past', schedule: { at: '2000-01-01T00:00:00Z' } },
      { key: 'partial-never', name: 'never', schedule: { every: '1m' } },
    ]);
    const r = await cli('jobs', 'apply', '-f', path);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/^KEY\s+ACTION\s+CHANGED\s+JOB\s+REV\npartial-ok\s+created\s+-\s+\S+\s+1\n1 created, 0 updated, 0 unchanged\n$/);
    expect(r.err).toMatch(new RegExp(`^k1s0-scheduler jobs apply: INVALID_SCHEDULE: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: jobs\\[1\\] \\(key "partial-past"\\): [^\\n]+\\n$`));
    const asJson = await cli('jobs', 'apply', '-f', path, '--json');
    expect(asJson.status).toBe(1);
    expect((JSON.parse(asJson.out) as AppliedJson[]).map((a) => [a.key, a.action])).toEqual([['partial-ok', 'unchanged']]);
    expect(JSON.parse(asJson.err)).toMatchObject({ error: { code: 'INVALID_SCHEDULE', option: null, field: 'jobs[1].schedule.at', limit: 'at most 1 s in the past' } });
    expect((await cli('jobs', 'get', '--key', 'partial-never')).status).toBe(1);
  });

  it('reads the file from standard input with -f -', async () => {
    const t = io({ K1S0_SCHEDULER_URL: server.address });
    const text = JSON.stringify({ jobs: [{ key: 'stdin-1', name: 'from stdin', schedule: { every: '1h30m' } }] });
    expect(await main(['jobs', 'apply', '-f', '-', '--json'], withStdin(t, text))).toBe(0);
    expect(JSON.parse(t.out())).toMatchObject([{ key: 'stdin-1', action: 'created', job: { schedule: { intervalMs: 5_400_000 } } }]);
    // The built bin reads its own standard input.
    const piped = await run(['jobs', 'apply', '-f', '-', '--json'], { K1S0_SCHEDULER_URL: server.address }, text);
    expect(piped).toMatchObject({ status: 0, err: '' });
    expect(JSON.parse(piped.out)).toMatchObject([{ key: 'stdin-1', action: 'unchanged' }]);
    const bad = io({ K1S0_SCHEDULER_URL: server.address });
    expect(await main(['jobs', 'apply', '--file', '-'], withStdin(bad, '{"jobs": [{"key": "x"}]}'))).toBe(2);
    expect(bad.err()).toBe(usageLine('jobs apply', 'stdin: jobs[0]: has no "name"; a job needs key, name and schedule'));
  });

  it('refuses a bad file before any call, naming the place in the file and the limit', async () => {
    let connections = 0;
    const counting = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    const port = await listen(counting);
    const ok = { key: 'k', name: 'n', schedule: { every: '1m' } };
    const second = (job: object): object[] => [ok, { ...ok, key: 'k2', ...job }];
    // JSON.parse words its own messages (they differ between Node.js versions): only their frame is fixed.
    const notJson = /^the file: is not JSON: .+ \(YAML is not read; convert it to JSON\)$/;
    const cases: [jobs: object[] | string, message: string | RegExp, field: string | null, limit: string | null][] = [
      ['{"jobs": [', notJson, null, 'JSON'],
      ['jobs:\n  - key: a\n', notJson, null, 'JSON'],
      ['{"jobs": []\n,}', /^the file: is not JSON: .+ \(line 2, column 2\) \(YAML is not read; convert it to JSON\)$|^the file: is not JSON: .+line 2 column 2.+$/, null, 'JSON'],
      ['\uFEFF{"jobs": []}', 'the file: starts with a byte order mark; save it as UTF-8 without one', null, 'UTF-8 JSON'],
      ['[]', 'the file: must be a JSON object { "jobs": [...] }, got an array', null, 'an object'],
      ['{"job": []}', 'job: is not a member (did you mean "jobs"?); the file has "jobs"', 'job', 'one of jobs'],
      ['{"jobs": [{"key": "a", "name": "a", "name": "b", "schedule": {"every": "1m"}}]}', 'jobs[0]: has the member "name" twice', 'jobs[0]', 'each member once'],
      [second({ max_retries: 1 }), 'jobs[1].max_retries: is not a member (did you mean "maxRetries"?); expected "key", "name", "schedule", "payload", "maxRetries", "timeoutSecs", "labels", "policy"', 'jobs[1].max_retries', 'one of key, name, schedule, payload, maxRetries, timeoutSecs, labels, policy'],
      [second({ key: 'k' }), 'jobs[1].key: "k" is also the key of jobs[0]', 'jobs[1].key', 'one job per key'],
      [second({ key: ' ' }), 'jobs[1].key: must not be blank (only white space)', 'jobs[1].key', 'not blank'],
      [second({ name: 'x'.repeat(129) }), 'jobs[1].name: must be 1 to 128 characters, got 129', 'jobs[1].name', '1..128 code points'],
      [second({ schedule: { cron: '0 9 * * MON-FRI', timezone: 'Asia/Tokio' } }), "jobs[1].schedule.timezone: 'Asia/Tokio' is not an IANA time zone name (a tz database name, spelt exactly, case-sensitive)", 'jobs[1].schedule.timezone', 'an IANA time zone name'],
      [second({ schedule: { cron: '0 25 * * *' } }), 'jobs[1].schedule.cron: "0 25 * * *" hour value 25 is out of range 0-23', 'jobs[1].schedule.cron', '0..23'],
      [second({ schedule: { every: 90000 } }), 'jobs[1].schedule.every: must be a string, got the number 90000 (a duration with its unit, such as "90s": a bare number is refused so that no unit is guessed)', 'jobs[1].schedule.every', 'a string'],
      [second({ schedule: { every: '500ms' } }), 'jobs[1].schedule.every: must be from 1s to 876600h; got "500ms"', 'jobs[1].schedule.every', '1s to 876600h'],
      [second({ schedule: { at: '2099-02-29T09:00:00Z' } }), 'jobs[1].schedule.at: no such date and time (it has day 29, but 2099-02 has days 01 to 28); got "2099-02-29T09:00:00Z"', 'jobs[1].schedule.at', 'YYYY-MM-DDTHH:MM:SS[.fraction of 1 to 9 digits](Z|+HH:MM|-HH:MM)'],
      [second({ schedule: { at: '2099-06-01T09:00:00' } }), 'jobs[1].schedule.at: the time needs a zone, Z for UTC or an offset such as +09:00; got "2099-06-01T09:00:00"', 'jobs[1].schedule.at', 'YYYY-MM-DDTHH:MM:SS[.fraction of 1 to 9 digits](Z|+HH:MM|-HH:MM)'],
      [second({ schedule: { every: '1m', cron: '* * * * *' } }), 'jobs[1].schedule.every: cannot be combined with "cron"; give one of cron, every, at', 'jobs[1].schedule.every', 'one of cron, every, at'],
      [second({ schedule: { every: '1m', timezone: 'UTC' } }), 'jobs[1].schedule.timezone: goes only with "cron"', 'jobs[1].schedule.timezone', 'with cron only'],
      [second({ schedule: {} }), 'jobs[1].schedule: has none of cron, every, at; expected { "cron": EXPR, "timezone": TZ }, { "every": DURATION } or { "at": TIME }', 'jobs[1].schedule', 'one of cron, every, at'],
      [second({ maxRetries: 101 }), 'jobs[1].maxRetries: must be an integer from 0 to 100, got 101', 'jobs[1].maxRetries', '0..100'],
      [second({ timeoutSecs: 1.5 }), 'jobs[1].timeoutSecs: must be an integer from 1 to 86400, got 1.5', 'jobs[1].timeoutSecs', '1..86400'],
      [second({ payload: { items: [{ deep: JSON.parse('{"__proto__": 1}') }] } }), "jobs[1].payload.items[0].deep: has a key named '__proto__', which protobuf cannot carry to every language (rename it)", 'jobs[1].payload.items[0].deep', 'no "__proto__" keys'],
      [second({ labels: { Team: 'x' } }), 'jobs[1].labels: has the key "Team", which is not a label key (1 to 63 characters of a-z 0-9 _ - . starting with a-z)', 'jobs[1].labels', 'a label key'],
      [second({ labels: { team: 'x'.repeat(129) } }), 'jobs[1].labels.team: must be 0 to 128 characters, got 129', 'jobs[1].labels.team', '0..128 code points'],
    ];
    try {
      for (const [jobs, message, field, limit] of cases) {
        const path = file('bad.json', jobs);
        const r = await cli('jobs', 'apply', '-f', path, '--server', `127.0.0.1:${port}`);
        if (typeof message === 'string') {
          expect(r, message).toEqual({ status: 2, out: '', err: usageLine('jobs apply', `${path}: ${message}`) });
        } else {
          expect(r, String(jobs)).toMatchObject({ status: 2, out: '' });
          const line = r.err.slice(`k1s0-scheduler jobs apply: ${path}: `.length, -". See 'k1s0-scheduler jobs apply --help'.\n".length);
          expect(line).toMatch(message);
        }
        const asJson = await cli('jobs', 'apply', '-f', path, '--server', `127.0.0.1:${port}`, '--json');
        expect(JSON.parse(asJson.err), String(message)).toMatchObject({ error: { code: 'USAGE', option: '--file', field, limit } });
      }
      // With --owner, a job's own owner label must be that owner.
      const path = file('owner.json', second({ labels: { 'k1s0.owner': 'beta' } }));
      expect(await cli('jobs', 'apply', '-f', path, '--owner', 'alpha', '--server', `127.0.0.1:${port}`)).toEqual({
        status: 2,
        out: '',
        err: usageLine('jobs apply', `${path}: jobs[1].labels["k1s0.owner"]: is "beta", but --owner is "alpha"; leave the label out (--owner sets it)`),
      });
      const bytes = join(dir, 'latin1.json');
      writeFileSync(bytes, Buffer.from('{"jobs": [{"key": "caf\xe9"}]}', 'latin1'));
      expect((await cli('jobs', 'apply', '-f', bytes, '--server', `127.0.0.1:${port}`)).err).toBe(usageLine('jobs apply', `${bytes}: the file: is not UTF-8 text`));
      expect(connections).toBe(0);
      // The same file against a counting server that is reached: the check above can fail.
      const fine = await cli('jobs', 'apply', '-f', file('fine.json', [ok]), '--server', `127.0.0.1:${port}`, '--deadline', '2s');
      expect(fine.status).toBe(1);
      expect(connections).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => counting.close(resolve));
    }
  });

  it('updates only the fields given, by ID or key, and refuses a stale --expected-revision', async () => {
    const created = json<JobJson>(
      await cli('jobs', 'create', '--name', 'upd', '--cron', '0 2 * * *', '--timezone', 'Europe/Berlin', '--payload', '{"a":1}', '--key', 'upd', '--label', 'team=ops', '--json'),
    );
    expect(created).toMatchObject({ key: 'upd', labels: { team: 'ops' }, revision: 1 });

    const retries = json<JobJson>(await cli('jobs', 'update', '--key', 'upd', '--max-retries', '7', '--json'));
    expect(retries).toEqual({ ...retries, ...{ id: created.id, name: 'upd', schedule: created.schedule, payload: { a: 1 }, labels: { team: 'ops' }, maxRetries: 7, timeoutSecs: 60, revision: 2 } });

    const table = await cli('jobs', 'update', created.id, '--every', '10m', '--timeout', '2m', '--label', 'team=dev', '--label', 'tier=gold', '--expected-revision', '2');
    expect(table).toMatchObject({ status: 0, err: '' });
    expect(table.out).toMatch(/^ID\s+KEY\s+NAME\s+STATUS\s+SCHEDULE\s+NEXT RUN\s+REV\s+LABELS\n/);
    expect(rows(table.out)[0]).toEqual([created.id, 'upd', 'upd', 'pending', 'every', '10m', expect.any(String), '3', 'team=dev,tier=gold']);
    expect(json<JobJson>(await cli('jobs', 'get', '--key', 'upd', '--json'))).toMatchObject({ timeoutSecs: 120, maxRetries: 7, payload: { a: 1 }, revision: 3 });

    const stale = await cli('jobs', 'update', '--key', 'upd', '--name', 'other', '--expected-revision', '2', '--json');
    expect(stale.status).toBe(1);
    expect(JSON.parse(stale.err)).toMatchObject({ error: { code: 'CONFLICT', option: '--expected-revision', field: 'expected_revision', retryable: false } });
    expect(json<JobJson>(await cli('jobs', 'get', '--key', 'upd', '--json'))).toMatchObject({ name: 'upd', revision: 3 });

    expect(json<JobJson>(await cli('jobs', 'update', '--key', 'upd', '--payload', 'null', '--no-labels', '--json'))).toMatchObject({ payload: null, labels: {}, revision: 4 });
    // Values the job has already: nothing changes, the revision stays.
    expect(json<JobJson>(await cli('jobs', 'update', '--key', 'upd', '--max-retries', '7', '--json')).revision).toBe(4);
    const blank = await cli('jobs', 'update', '--key', 'upd', '--name', ' ');
    expect(blank.status).toBe(1);
    expect(blank.err).toMatch(/^k1s0-scheduler jobs update: INVALID_ARGUMENT: --name: [^\n]+\n$/);
  });

  it('deletes by key: the job is gone, every later command reports JOB_NOT_FOUND, and the key is free', async () => {
    const job = json<JobJson>(await cli('jobs', 'create', '--name', 'doomed', '--every', '1m', '--key', 'doomed', '--json'));
    const stale = await cli('jobs', 'delete', '--key', 'doomed', '--expected-revision', '2');
    expect(stale.status).toBe(1);
    expect(stale.err).toMatch(/^k1s0-scheduler jobs delete: CONFLICT: --expected-revision: /);
    const deleted = json<JobJson>(await cli('jobs', 'delete', '--key', 'doomed', '--expected-revision', '1', '--json'));
    expect(deleted).toMatchObject({ id: job.id, key: 'doomed' });

    const byKey = await cli('jobs', 'get', '--key', 'doomed');
    expect(byKey).toMatchObject({ status: 1, out: '' });
    expect(byKey.err).toMatch(/^k1s0-scheduler jobs get: JOB_NOT_FOUND: --key: [^\n]+\n$/);
    const byId = await cli('jobs', 'get', job.id, '--json');
    expect(byId.status).toBe(1);
    expect(JSON.parse(byId.err)).toMatchObject({ error: { code: 'JOB_NOT_FOUND', jobId: job.id } });
    expect((await cli('jobs', 'delete', job.id)).status).toBe(1);
    expect((await cli('jobs', 'update', '--key', 'doomed', '--name', 'x')).status).toBe(1);

    const reborn = json<JobJson>(await cli('jobs', 'create', '--name', 'reborn', '--every', '1m', '--key', 'doomed', '--json'));
    expect(reborn.id).not.toBe(job.id);
    const taken = await cli('jobs', 'create', '--name', 'twin', '--every', '1m', '--key', 'doomed');
    expect(taken.status).toBe(1);
    expect(taken.err).toMatch(/^k1s0-scheduler jobs create: CONFLICT: --key: /);
  });

  it('names a job by --key in get, pause, resume, trigger, executions and cancel', async () => {
    const job = json<JobJson>(await cli('jobs', 'create', '--name', 'keyed', '--every', '1m', '--key', 'keyed job', '--json'));
    expect(json<JobJson>(await cli('jobs', 'get', '--key', 'keyed job', '--json')).id).toBe(job.id);
    expect(json<JobJson>(await cli('jobs', 'pause', '--key', 'keyed job', '--json'))).toMatchObject({ status: 'paused', revision: 2 });
    expect(json<JobJson>(await cli('jobs', 'resume', '--key', 'keyed job', '--json'))).toMatchObject({ status: 'pending', revision: 3 });
    expect(json<{ jobId: string }>(await cli('jobs', 'trigger', '--key', 'keyed job', '--json'))).toMatchObject({ jobId: job.id, result: 'running' });
    await server.advanceTime(0);
    expect(json<{ result: string }[]>(await cli('jobs', 'executions', '--key', 'keyed job', '--json')).map((e) => e.result)).toEqual(['succeeded']);
    expect(json<JobJson>(await cli('jobs', 'cancel', '--key', 'keyed job', '--json'))).toMatchObject({ status: 'cancelled' });
  });

  it('creates with --key and --label, and lists by one or more labels', async () => {
    for (const [name, labels] of [
      ['lab-1', ['app=shop', 'env=prod']],
      ['lab-2', ['app=shop', 'env=dev']],
      ['lab-3', ['app=blog', 'env=prod']],
    ] as const) {
      expect((await cli('jobs', 'create', '--name', name, '--every', '1m', '--key', name, ...labels.flatMap((l) => ['--label', l]))).status).toBe(0);
    }
    const names = async (...labels: string[]): Promise<string[]> =>
      json<JobJson[]>(await cli('jobs', 'list', '--prefix', 'lab-', ...labels.flatMap((l) => ['--label', l]), '--json')).map((j) => j.name);
    expect(await names()).toEqual(['lab-1', 'lab-2', 'lab-3']);
    expect(await names('app=shop')).toEqual(['lab-1', 'lab-2']);
    expect(await names('env=prod')).toEqual(['lab-1', 'lab-3']);
    expect(await names('app=shop', 'env=prod')).toEqual(['lab-1']);
    expect(await names('app=none')).toEqual([]);
    const table = await cli('jobs', 'list', '--label', 'app=blog');
    expect(rows(table.out).map((r) => [r[1], r.at(-1)])).toEqual([['lab-3', 'app=blog,env=prod']]);
    const bad = await cli('jobs', 'create', '--name', 'x', '--every', '1m', '--label', 'Team=x', '--json');
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.err)).toMatchObject({ error: { code: 'INVALID_ARGUMENT', option: '--label', field: 'labels', limit: 'a label key' } });
  });

  it('refuses usage mistakes of apply, update, delete, --key and --label', async () => {
    const path = file('usage.json', [{ key: 'u', name: 'u', schedule: { every: '1m' } }]);
    const cases: [string[], string, string][] = [
      [['jobs', 'apply'], 'jobs apply', '-f FILE is required (- reads standard input)'],
      [['jobs', 'apply', '-f', path, '--prune'], 'jobs apply', '--prune needs --owner: it deletes only the jobs of one owner'],
      [['jobs', 'apply', '-f', path, '--owner', ''], 'jobs apply', '--owner: must be 1 to 128 characters (a label value); got ""'],
      [['jobs', 'apply', '-f', join(dir, 'none.json')], 'jobs apply', `--file: cannot read ${JSON.stringify(join(dir, 'none.json'))}: no such file`],
      [['jobs', 'apply', '-f', dir], 'jobs apply', `--file: cannot read ${JSON.stringify(dir)}: it is a directory`],
      [['jobs', 'apply', '-f', path, '-f', path], 'jobs apply', '--file is given more than once'],
      [['jobs', 'apply', '-f', path, 'extra'], 'jobs apply', "unexpected argument 'extra'"],
      [['jobs', 'update', '--key', 'u'], 'jobs update', 'nothing to change: give at least one of --name, --cron, --at, --every, --payload, --max-retries, --timeout, --label, --no-labels, a policy option (such as --overlap), --no-policy'],
      [['jobs', 'update', 'id', '--key', 'u', '--name', 'x'], 'jobs update', "give a job ID or --key, not both; got 'id' and --key"],
      [['jobs', 'update', '--name', 'x'], 'jobs update', 'expected a job ID or --key KEY'],
      [['jobs', 'update', '--key', 'u', '--every', '1m', '--cron', '* * * * *'], 'jobs update', '--cron and --every cannot be combined; give one schedule'],
      [['jobs', 'update', '--key', 'u', '--timezone', 'UTC'], 'jobs update', '--timezone goes only with --cron'],
      [['jobs', 'update', '--key', 'u', '--label', 'a=b', '--no-labels'], 'jobs update', '--label and --no-labels cannot be combined'],
      [['jobs', 'update', '--key', 'u', '--name', 'x', '--expected-revision', '0'], 'jobs update', '--expected-revision: must be from 1 to 9007199254740991; got "0"'],
      [['jobs', 'update', '--key', 'u', '--timeout-secs', '5'], 'jobs update', "--timeout-secs is no longer an option; use --timeout with a unit, such as '--timeout 30s'"],
      [['jobs', 'delete'], 'jobs delete', 'expected a job ID or --key KEY'],
      [['jobs', 'delete', '--key', 'u', '--expected-revision', 'x'], 'jobs delete', '--expected-revision: expected a whole number; got "x"'],
      [['jobs', 'get', 'id', '--key', 'u'], 'jobs get', "give a job ID or --key, not both; got 'id' and --key"],
      [['jobs', 'create', '--name', 'x', '--every', '1m', '--key', ''], 'jobs create', '--key: expected a key of 1 to 128 characters; got ""'],
      [['jobs', 'cancel', '--key='], 'jobs cancel', '--key: expected a key of 1 to 128 characters; got ""'],
      [['jobs', 'list', '--label', 'team'], 'jobs list', '--label: expected KEY=VALUE, such as team=billing; got "team"'],
      [['jobs', 'list', '--label', '=x'], 'jobs list', '--label: expected KEY=VALUE, such as team=billing; got "=x"'],
      [['jobs', 'create', '--name', 'x', '--every', '1m', '--label', 'a=1', '--label', 'a=2'], 'jobs create', '--label: the key "a" is given twice'],
    ];
    for (const [args, command, message] of cases) {
      expect(await cli(...args), args.join(' ')).toEqual({ status: 2, out: '', err: usageLine(command, message) });
    }
    expect((await cli('jobs', 'get', '--key', 'u')).status).toBe(1); // nothing was applied
  });

  it('documents the new commands and options in --help', async () => {
    const apply = (await cli('jobs', 'apply', '--help')).out;
    for (const option of ['-f, --file', '--owner', '--prune', '--dry-run', '--json']) expect(apply).toContain(`  ${option} `);
    expect(apply).toContain('YAML is not read');
    expect(apply).toContain('{ "every": DURATION }');
    expect(apply).toContain('jobs[2].schedule.cron');
    const update = (await cli('jobs', 'update', '--help')).out;
    for (const option of ['--key', '--name', '--cron', '--timezone', '--at', '--every', '--payload', '--max-retries', '--timeout', '--label', '--no-labels', '--expected-revision']) {
      expect(update).toContain(`  ${option} `);
    }
    expect((await cli('jobs', 'create', '--help')).out).toContain('  --label KEY=VALUE ');
    expect((await cli('jobs', 'list', '--help')).out).toContain('  --label KEY=VALUE ');
    for (const sub of ['get', 'pause', 'resume', 'cancel', 'trigger', 'executions', 'delete']) {
      expect((await cli('jobs', sub, '--help')).out, sub).toContain(`Usage: k1s0-scheduler jobs ${sub} ID|--key KEY`);
    }
  });
});

interface PolicyJobJson extends JobJson {
  policy: Record<string, unknown>;
  statusNote?: string;
  stats: Record<string, number>;
  lastRunAt?: string;
  lastResult?: string;
  runningExecutions: { id: string }[];
  remainingRuns?: number;
  nextRunAt?: string;
}

interface ExecutionJson {
  id: string;
  jobId: string;
  attempt: number;
  result: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

describe('k1s0-scheduler policies, describe, trigger, wait and notes', () => {
  const START = Date.parse('2030-01-01T00:00:00Z');
  let server: SchedulerServer;
  let dir: string;
  let cli: (...args: string[]) => Promise<Outcome>;
  const json = <T>(r: Outcome): T => {
    expect(r, r.err).toMatchObject({ status: 0, err: '' });
    return JSON.parse(r.out) as T;
  };
  const iso = (ms: number): string => new Date(ms).toISOString();
  // The runs whose payload is { "hold": true }, until release() lets them succeed.
  let held: (() => void)[] = [];
  const release = (): void => {
    for (const done of held) done();
    held = [];
  };
  beforeAll(async () => {
    // A run whose payload is { "fail": true } fails, one with { "hold": true } runs until
    // release(), and every other run succeeds at once.
    const executor = (job: { payload: unknown }): unknown => {
      const payload = job.payload as { fail?: boolean; hold?: boolean } | null;
      if (payload?.fail === true) throw new Error('boom');
      if (payload?.hold === true) return new Promise<void>((resolve) => held.push(resolve));
      return undefined;
    };
    server = await startSchedulerServer({ clock: new VirtualClock(START), executor });
    dir = mkdtempSync(join(tmpdir(), 'k1s0-cli-policy-'));
    cli = cliAgainst(server);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('describes a job: policy, counters, remaining runs and the next due times with bounds and jitter, equal to what then fires', async () => {
    const now = server.now().getTime();
    const startAt = now + 300_000;
    const endAt = startAt + 240_000;
    const job = json<PolicyJobJson>(
      await cli('jobs', 'create', '--name', 'described', '--every', '1m', '--key', 'described', '--jitter', '10s', '--start-at', iso(startAt), '--end-at', iso(endAt), '--max-runs', '3', '--json'),
    );
    // Fires at start-at and every minute after it, the first three (max runs) of the five within the bounds.
    const due = [0, 1, 2].map((i) => dueTime(job.id, startAt + i * 60_000, 10_000, startAt + (i + 1) * 60_000));
    expect(due.some((t, i) => t !== startAt + i * 60_000)).toBe(true); // the jitter moves them
    expect(job.nextRunAt).toBe(iso(due[0]!));

    const described = json<{ job: PolicyJobJson; upcomingRuns: string[] }>(await cli('jobs', 'describe', '--key', 'described', '--json'));
    expect(described.upcomingRuns).toEqual(due.map(iso));
    expect(described.job).toMatchObject({
      id: job.id,
      policy: { overlap: 'buffer_one', startAt: iso(startAt), endAt: iso(endAt), maxRuns: 3, jitterMs: 10_000, pauseOnFailure: false },
      stats: { runs: 0, succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0 },
      runningExecutions: [],
      remainingRuns: 3,
    });
    expect(json<{ upcomingRuns: string[] }>(await cli('jobs', 'describe', job.id, '--upcoming', '2', '--json')).upcomingRuns).toEqual(due.slice(0, 2).map(iso));

    const table = await cli('jobs', 'describe', job.id);
    expect(table).toMatchObject({ status: 0, err: '' });
    expect(table.out).toMatch(/^ID\s+KEY\s+NAME\s+STATUS\s+SCHEDULE\s+NEXT RUN\s+REV\n/);
    const lines = table.out.split('\n');
    expect(lines).toContain(`Policy:          --overlap buffer_one --start-at ${iso(startAt)} --end-at ${iso(endAt)} --max-runs 3 --jitter 10s --retry-initial 1s --retry-max 1m --retry-multiplier 2`);
    expect(lines).toContain('Status note:     -');
    expect(lines).toContain('Counters:        runs 0, succeeded 0, failed 0, timed out 0, skipped 0, missed 0');
    expect(lines).toContain('Last run:        -');
    expect(lines).toContain('In flight:       -');
    expect(lines).toContain('Remaining runs:  3');
    expect(lines.slice(-4)).toEqual([`Upcoming (3):    ${iso(due[0]!)}`, `                 ${iso(due[1]!)}`, `                 ${iso(due[2]!)}`, '']);

    // The first due time is when the first run starts.
    await server.advanceTime(due[0]! - server.now().getTime());
    const runs = json<ExecutionJson[]>(await cli('jobs', 'executions', job.id, '--json'));
    expect(runs.map((r) => [r.startedAt, r.result])).toEqual([[iso(due[0]!), 'succeeded']]);
    const after = await cli('jobs', 'describe', job.id);
    expect(after.out.split('\n')).toEqual(
      expect.arrayContaining([
        'Counters:        runs 1, succeeded 1, failed 0, timed out 0, skipped 0, missed 0',
        `Last run:        ${iso(due[0]!)} succeeded`,
        'Remaining runs:  2',
        `Upcoming (2):    ${iso(due[1]!)}`,
      ]),
    );
    // jobs get shows the counters briefly.
    const get = await cli('jobs', 'get', job.id);
    expect(get.out).toMatch(/^ID\s+KEY\s+NAME\s+STATUS\s+SCHEDULE\s+NEXT RUN\s+REV\s+COUNTERS\n/);
    expect(rows(get.out)[0]!.at(-1)).toBe('runs=1,succeeded=1');
  });

  it('creates with every policy option and updates the policy as a whole, read back with get --json', async () => {
    const startAt = '2031-01-01T09:00:00.250+09:00';
    const endAt = '2031-06-30T00:00:00Z';
    const created = json<PolicyJobJson>(
      await cli(
        'jobs', 'create', '--name', 'policied', '--cron', '*/5 * * * *', '--key', 'policied',
        '--overlap', 'skip', '--catchup-window', '5m', '--start-at', startAt, '--end-at', endAt, '--max-runs', '5', '--jitter', '1s500ms',
        '--retry-initial', '500ms', '--retry-max', '30s', '--retry-multiplier', '1.5', '--pause-on-failure', '--json',
      ),
    );
    const full = {
      overlap: 'skip',
      catchupWindowMs: 300_000,
      startAt: '2031-01-01T00:00:00.250Z',
      endAt: '2031-06-30T00:00:00.000Z',
      maxRuns: 5,
      jitterMs: 1_500,
      retryBackoff: { initialMs: 500, maxMs: 30_000, multiplier: 1.5 },
      pauseOnFailure: true,
    };
    expect(created.policy).toEqual(full);
    expect(json<PolicyJobJson>(await cli('jobs', 'get', '--key', 'policied', '--json'))).toMatchObject({ policy: full, remainingRuns: 5, revision: 1 });

    // One policy option replaces the whole policy: every other field is back at its default.
    const jitterOnly = json<PolicyJobJson>(await cli('jobs', 'update', '--key', 'policied', '--jitter', '5s', '--json'));
    expect(jitterOnly.policy).toEqual({ overlap: 'buffer_one', jitterMs: 5_000, retryBackoff: { initialMs: 1_000, maxMs: 60_000, multiplier: 2 }, pauseOnFailure: false });
    expect(jitterOnly).toMatchObject({ revision: 2, name: 'policied', schedule: created.schedule });
    expect(jitterOnly.remainingRuns).toBeUndefined();
    const back = json<PolicyJobJson>(await cli('jobs', 'update', '--key', 'policied', '--no-policy', '--json'));
    expect(back.policy).toEqual({ overlap: 'buffer_one', retryBackoff: { initialMs: 1_000, maxMs: 60_000, multiplier: 2 }, pauseOnFailure: false });
    expect(back.revision).toBe(3);
    // The same policy again changes nothing.
    expect(json<PolicyJobJson>(await cli('jobs', 'update', '--key', 'policied', '--no-policy', '--json')).revision).toBe(3);
    expect(json<PolicyJobJson>(await cli('jobs', 'update', '--key', 'policied', '--overlap', 'buffer_one', '--json')).revision).toBe(3);
    const retry = json<PolicyJobJson>(await cli('jobs', 'update', '--key', 'policied', '--retry-max', '2m', '--overlap', 'allow_all', '--json'));
    expect(retry.policy).toEqual({ overlap: 'allow_all', retryBackoff: { initialMs: 1_000, maxMs: 120_000, multiplier: 2 }, pauseOnFailure: false });
  });

  it('pauses and resumes with a note, shown on the job', async () => {
    const job = json<PolicyJobJson>(await cli('jobs', 'create', '--name', 'noted', '--every', '1h', '--key', 'noted', '--json'));
    expect(job.statusNote).toBeUndefined();
    const paused = json<PolicyJobJson>(await cli('jobs', 'pause', '--key', 'noted', '--note', 'database upgrade, until 18:00', '--json'));
    expect(paused).toMatchObject({ status: 'paused', statusNote: 'database upgrade, until 18:00', revision: 2 });
    const table = await cli('jobs', 'get', job.id);
    expect(table.out).toMatch(/^ID\s+KEY\s+NAME\s+STATUS\s+SCHEDULE\s+NEXT RUN\s+REV\s+NOTE\n/);
    expect(table.out.split('\n')[1]).toMatch(/ database upgrade, until 18:00$/);
    // A pause of a paused job changes nothing, its note included.
    expect(json<PolicyJobJson>(await cli('jobs', 'pause', job.id, '--note', 'again', '--json'))).toMatchObject({ statusNote: 'database upgrade, until 18:00', revision: 2 });
    expect(json<PolicyJobJson>(await cli('jobs', 'resume', job.id, '--note', 'upgraded', '--json'))).toMatchObject({ status: 'pending', statusNote: 'upgraded', revision: 3 });
    expect((await cli('jobs', 'describe', job.id)).out.split('\n')).toContain('Status note:     upgraded');
  });

  it('triggers with --overlap, prints the execution ID alone with -q, and waits for it', async () => {
    const job = json<PolicyJobJson>(await cli('jobs', 'create', '--name', 'overlapping', '--every', '1h', '--key', 'overlapping', '--payload', '{"hold":true}', '--json'));
    const first = json<ExecutionJson>(await cli('jobs', 'trigger', job.id, '--json'));
    expect(first).toMatchObject({ jobId: job.id, attempt: 1, result: 'running' });
    // A running job runs another run only with allow_all.
    const refused = await cli('jobs', 'trigger', job.id, '--json');
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.err)).toMatchObject({ error: { code: 'INVALID_STATE', jobId: job.id } });
    const quiet = await cli('jobs', 'trigger', '--key', 'overlapping', '--overlap', 'allow_all', '-q');
    expect(quiet).toMatchObject({ status: 0, err: '' });
    expect(quiet.out).toMatch(/^\S+\n$/);
    const second = quiet.out.trim();
    expect(second).not.toBe(first.id);
    const described = json<{ job: PolicyJobJson }>(await cli('jobs', 'describe', job.id, '--json'));
    expect(described.job.runningExecutions.map((e) => e.id)).toEqual([first.id, second]);
    expect((await cli('jobs', 'describe', job.id)).out).toMatch(new RegExp(`\\nIn flight:       ${first.id} attempt 1 started \\S+\\n {17}${second} attempt 1 started `));

    const waiting = cli('jobs', 'wait', second);
    release();
    const waited = await waiting;
    expect(waited).toMatchObject({ status: 0, err: '' });
    expect(waited.out).toMatch(/^ID\s+ATTEMPT\s+RESULT\s+STARTED\s+FINISHED\s+ERROR\n/);
    expect(rows(waited.out)[0]!.slice(0, 3)).toEqual([second, '1', 'succeeded']);
    // An execution that has ended is printed at once.
    expect(json<ExecutionJson>(await cli('jobs', 'wait', first.id, '--json'))).toMatchObject({ id: first.id, result: 'succeeded' });
  });

  it('jobs wait exits with status 3 when the run failed, 1 for an unknown execution or after --timeout, 130 when stopped', async () => {
    const job = json<PolicyJobJson>(await cli('jobs', 'create', '--name', 'failing', '--every', '1h', '--payload', '{"fail":true}', '--max-retries', '0', '--pause-on-failure', '--json'));
    const run = (await cli('jobs', 'trigger', job.id, '-q')).out.trim();
    const waiting = cli('jobs', 'wait', run, '--json');
    await server.advanceTime(0);
    const failed = await waiting;
    expect(failed).toMatchObject({ status: 3, err: '' });
    expect(JSON.parse(failed.out)).toMatchObject({ id: run, jobId: job.id, result: 'failed', error: 'boom' });
    expect((await cli('jobs', 'wait', run)).status).toBe(3);
    // The policy paused the job, with a note saying why.
    expect(json<PolicyJobJson>(await cli('jobs', 'get', job.id, '--json'))).toMatchObject({ status: 'paused', statusNote: 'paused on failure: boom', stats: { runs: 1, failed: 1 }, lastResult: 'failed' });

    const unknown = await cli('jobs', 'wait', 'no-such-execution', '--json');
    expect(unknown).toMatchObject({ status: 1, out: '' });
    expect(JSON.parse(unknown.err)).toMatchObject({ error: { code: 'JOB_NOT_FOUND', field: 'execution_id', option: null } });
    expect((await cli('jobs', 'wait', 'no-such-execution')).err).toMatch(/^k1s0-scheduler jobs wait: JOB_NOT_FOUND: [^\n]+\n$/);

    // A run that does not end within --timeout (the server's clock stands still).
    const slow = json<PolicyJobJson>(await cli('jobs', 'create', '--name', 'slow', '--every', '1h', '--payload', '{"hold":true}', '--json'));
    const running = (await cli('jobs', 'trigger', slow.id, '-q')).out.trim();
    const timedOut = await cli('jobs', 'wait', running, '--timeout', '50ms', '--json');
    expect(timedOut).toMatchObject({ status: 1, out: '' });
    expect(JSON.parse(timedOut.err)).toMatchObject({ error: { code: 'TIMEOUT' } });

    // Stopped (as by Ctrl-C): a clean line, status 130, and the run goes on.
    const t = io({ K1S0_SCHEDULER_URL: server.address });
    expect(await main(['jobs', 'wait', running], { ...t.io, shutdown: Promise.resolve() })).toBe(130);
    expect(t.out()).toBe('');
    expect(t.err()).toBe(`k1s0-scheduler jobs wait: stopped waiting for execution ${running}; the execution goes on\n`);
    const stopped = io({ K1S0_SCHEDULER_URL: server.address });
    expect(await main(['jobs', 'wait', running, '--json'], { ...stopped.io, shutdown: Promise.resolve() })).toBe(130);
    expect(JSON.parse(stopped.err())).toMatchObject({ error: { code: 'INTERRUPTED' } });
    expect(json<ExecutionJson[]>(await cli('jobs', 'executions', slow.id, '--json')).map((e) => e.result)).toEqual(['running']);
    release();
    expect(json<ExecutionJson>(await cli('jobs', 'wait', running, '--json')).result).toBe('succeeded');
  });

  it('the built bin stops waiting on SIGINT, with status 130', async () => {
    const slow = json<PolicyJobJson>(await cli('jobs', 'create', '--name', 'interrupted', '--every', '1h', '--payload', '{"hold":true}', '--json'));
    const running = (await cli('jobs', 'trigger', slow.id, '-q')).out.trim();
    // The server frees the watches of the waits stopped before (it learns of them when their streams are cancelled).
    while (server.watching() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const child = spawn(process.execPath, ['dist/bin.js', 'jobs', 'wait', running], { env: { ...process.env, K1S0_SCHEDULER_URL: server.address } });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    const closed = new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
    // The stream is open once the server counts its watcher: the handler is in place by then.
    while (server.watching() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGINT');
    expect(await closed).toBe(130);
    expect(err).toBe(`k1s0-scheduler jobs wait: stopped waiting for execution ${running}; the execution goes on\n`);
    release();
    expect(json<ExecutionJson>(await cli('jobs', 'wait', running, '--json')).result).toBe('succeeded');
  });

  it('applies a file with policies: created, unchanged, updated when the policy changes', async () => {
    const path = join(dir, 'policies.json');
    const write = (policy: object | undefined): void =>
      writeFileSync(path, JSON.stringify({ jobs: [{ key: 'applied', name: 'applied', schedule: { every: '10m' }, ...(policy === undefined ? {} : { policy }) }] }));
    const policy = {
      overlap: 'allow_all',
      catchupWindowMs: 60_000,
      startAt: '2031-01-01T09:00:00+09:00',
      endAt: '2031-12-31T00:00:00.500Z',
      maxRuns: 10,
      jitterMs: 250,
      retryBackoff: { initialMs: 250, multiplier: 3 },
      pauseOnFailure: true,
    };
    write(policy);
    const created = json<AppliedJson[]>(await cli('jobs', 'apply', '-f', path, '--json'));
    expect(created.map((r) => r.action)).toEqual(['created']);
    expect(json<PolicyJobJson>(await cli('jobs', 'get', '--key', 'applied', '--json')).policy).toEqual({
      ...policy,
      startAt: '2031-01-01T00:00:00.000Z',
      retryBackoff: { initialMs: 250, maxMs: 60_000, multiplier: 3 },
    });
    expect(json<AppliedJson[]>(await cli('jobs', 'apply', '-f', path, '--json')).map((r) => r.action)).toEqual(['unchanged']);
    write({ ...policy, jitterMs: 500 });
    expect(json<AppliedJson[]>(await cli('jobs', 'apply', '-f', path, '--json')).map((r) => [r.action, r.changedFields])).toEqual([['updated', ['policy']]]);
    // A job without "policy" gets every default.
    write(undefined);
    const reset = json<AppliedJson[]>(await cli('jobs', 'apply', '-f', path, '--json'));
    expect(reset.map((r) => [r.action, r.changedFields])).toEqual([['updated', ['policy']]]);
    expect((reset[0]!.job as unknown as PolicyJobJson).policy).toEqual({ overlap: 'buffer_one', retryBackoff: { initialMs: 1_000, maxMs: 60_000, multiplier: 2 }, pauseOnFailure: false });
  });

  it('refuses bad policy, note, upcoming, overlap and wait values before any call, naming the option and the limit', async () => {
    let connections = 0;
    const counting = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    const port = await listen(counting);
    const create = (...extra: string[]): string[] => ['jobs', 'create', '--name', 'x', '--every', '1m', ...extra];
    const cases: [args: string[], message: string, option: string | null, field: string | null, limit: string | null][] = [
      [create('--overlap', 'none'), '--overlap: expected one of skip, buffer_one, allow_all; got "none"', '--overlap', 'policy.overlap', 'an overlap policy'],
      [create('--catchup-window', '500ms'), '--catchup-window: must be from 1s to 876600h; got "500ms"', '--catchup-window', 'policy.catchup_window', '1s to 876600h'],
      [create('--catchup-window', '300'), '--catchup-window: expected a duration like 30s, 5m, 1h with a unit; got "300"', '--catchup-window', 'policy.catchup_window', null],
      [create('--start-at', '2031-01-01T00:00:00'), '--start-at: the time needs a zone, Z for UTC or an offset such as +09:00; got "2031-01-01T00:00:00"', '--start-at', 'policy.start_at', null],
      [create('--start-at', '2031-01-01T00:00:00.0001Z'), '--start-at: must be a whole number of milliseconds; got "2031-01-01T00:00:00.0001Z"', '--start-at', 'policy.start_at', 'whole milliseconds'],
      [create('--start-at', '2031-01-02T00:00:00Z', '--end-at', '2031-01-01T00:00:00Z'), '--end-at: must be no earlier than --start-at (2031-01-02T00:00:00.000Z); got "2031-01-01T00:00:00Z"', '--end-at', 'policy.end_at', 'no earlier than --start-at'],
      [create('--max-runs', '-1'), `--max-runs: must be from 0 to ${LIMITS.maxRunsMax}; got "-1"`, '--max-runs', 'policy.max_runs', `0 to ${LIMITS.maxRunsMax}`],
      [create('--max-runs', '1000000001'), `--max-runs: must be from 0 to ${LIMITS.maxRunsMax}; got "1000000001"`, '--max-runs', 'policy.max_runs', `0 to ${LIMITS.maxRunsMax}`],
      [create('--jitter', '25h'), '--jitter: must be from 0s to 24h; got "25h"', '--jitter', 'policy.jitter', '0s to 24h'],
      [create('--jitter', '1.5ms'), '--jitter: expected whole milliseconds; got "1.5ms"', '--jitter', 'policy.jitter', null],
      [create('--retry-initial', '0'), '--retry-initial: must be from 1ms to 1h; got "0"', '--retry-initial', 'policy.retry_backoff.initial', '1ms to 1h'],
      [create('--retry-max', '25h'), '--retry-max: must be from 1ms to 24h; got "25h"', '--retry-max', 'policy.retry_backoff.maximum', '1ms to 24h'],
      [create('--retry-initial', '10s', '--retry-max', '5s'), '--retry-max: must be no less than --retry-initial (10s); got "5s"', '--retry-max', 'policy.retry_backoff.maximum', 'no less than --retry-initial'],
      [create('--retry-multiplier', '0.5'), '--retry-multiplier: must be from 1 to 10; got "0.5"', '--retry-multiplier', 'policy.retry_backoff.multiplier', '1 to 10'],
      [create('--retry-multiplier', '1e1'), '--retry-multiplier: expected a number such as 2 or 1.5; got "1e1"', '--retry-multiplier', 'policy.retry_backoff.multiplier', null],
      [create('--pause-on-failure=yes'), '--pause-on-failure takes no value; got "yes"', '--pause-on-failure', 'policy.pause_on_failure', null],
      [['jobs', 'update', 'id', '--no-policy', '--jitter', '1s'], '--no-policy and --jitter cannot be combined', '--no-policy', 'policy', null],
      [['jobs', 'pause', 'id', '--note', 'x'.repeat(513)], '--note: must be 0 to 512 characters; got 513', '--note', 'note', '0..512 code points'],
      [['jobs', 'resume', 'id', '--note', '\ud800'], '--note: must be 0 to 512 characters; got 1', '--note', 'note', '0..512 code points'],
      [['jobs', 'describe', 'id', '--upcoming', '0'], `--upcoming: must be from 1 to ${LIMITS.upcomingMax}; got "0"`, '--upcoming', 'upcoming', `1 to ${LIMITS.upcomingMax}`],
      [['jobs', 'describe', 'id', '--upcoming', '101'], `--upcoming: must be from 1 to ${LIMITS.upcomingMax}; got "101"`, '--upcoming', 'upcoming', `1 to ${LIMITS.upcomingMax}`],
      [['jobs', 'describe'], 'expected a job ID or --key KEY', null, null, null],
      [['jobs', 'trigger', 'id', '--overlap', 'all'], '--overlap: expected one of skip, buffer_one, allow_all; got "all"', '--overlap', 'overlap', 'an overlap policy'],
      [['jobs', 'wait'], "expected an EXECUTION_ID, as 'jobs trigger' and 'jobs executions' print it", null, null, null],
      [['jobs', 'wait', ''], 'expected an EXECUTION_ID of 1 to 128 characters; got ""', null, null, '1..128 code points'],
      [['jobs', 'wait', 'a', 'b'], "unexpected argument 'b'", null, null, null],
      [['jobs', 'wait', 'a', '--timeout', '0'], '--timeout: must be from 1ms to 24h; got "0"', '--timeout', null, '1ms to 24h'],
      [['jobs', 'wait', 'a', '--deadline', '1s'], "unknown option '--deadline'", '--deadline', null, null],
      [['jobs', 'wait', '--key', 'k'], "unknown option '--key'", '--key', 'key', null],
    ];
    try {
      for (const [args, message, option, field, limit] of cases) {
        const command = `${args[0]} ${args[1]}`;
        const withServer = [...args, '--server', `127.0.0.1:${port}`];
        expect(await cli(...withServer), args.join(' ')).toEqual({ status: 2, out: '', err: usageLine(command, message) });
        const asJson = await cli(...withServer, '--json');
        expect(JSON.parse(asJson.err), args.join(' ')).toEqual({ error: { code: 'USAGE', message, option, field, limit, jobId: null, retryable: false, help: `k1s0-scheduler ${command} --help` } });
      }
      const quietJson = await cli('jobs', 'trigger', 'id', '-q', '--json', '--server', `127.0.0.1:${port}`);
      expect(quietJson).toMatchObject({ status: 2, out: '' });
      expect(JSON.parse(quietJson.err)).toMatchObject({ error: { code: 'USAGE', message: '--quiet and --json cannot be combined: --quiet prints the execution ID alone', option: '--quiet' } });
      expect(connections).toBe(0);
      // The counting server is reached by a command line that is right.
      expect((await cli(...create('--jitter', '24h'), '--server', `127.0.0.1:${port}`, '--deadline', '2s')).status).toBe(1);
      expect(connections).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => counting.close(resolve));
    }
  });

  it('refuses a bad policy in an apply file, naming its place in the file and the limit', async () => {
    const ok = { key: 'k', name: 'n', schedule: { every: '1m' } };
    const cases: [policy: unknown, message: string, field: string, limit: string | null][] = [
      [{ jitter: 5 }, 'jobs[0].policy.jitter: is not a member (did you mean "jitterMs"?); expected "overlap", "catchupWindowMs", "startAt", "endAt", "maxRuns", "jitterMs", "retryBackoff", "pauseOnFailure"', 'jobs[0].policy.jitter', 'one of overlap, catchupWindowMs, startAt, endAt, maxRuns, jitterMs, retryBackoff, pauseOnFailure'],
      [{ retryBackoff: { initial: 5 } }, 'jobs[0].policy.retryBackoff.initial: is not a member (did you mean "initialMs"?); expected "initialMs", "maxMs", "multiplier"', 'jobs[0].policy.retryBackoff.initial', 'one of initialMs, maxMs, multiplier'],
      ['skip', 'jobs[0].policy: must be a policy object, got the string "skip"', 'jobs[0].policy', 'an object'],
      [{ retryBackoff: 5 }, 'jobs[0].policy.retryBackoff: must be an object { "initialMs", "maxMs", "multiplier" }, got the number 5', 'jobs[0].policy.retryBackoff', 'an object'],
      [{ startAt: 1_900_000_000_000 }, 'jobs[0].policy.startAt: must be a string, got the number 1900000000000 (a TIME such as "2026-12-24T18:00:00Z")', 'jobs[0].policy.startAt', 'YYYY-MM-DDTHH:MM:SS[.fraction of 1 to 9 digits](Z|+HH:MM|-HH:MM)'],
      [{ endAt: '2031-01-01T00:00:00' }, 'jobs[0].policy.endAt: the time needs a zone, Z for UTC or an offset such as +09:00; got "2031-01-01T00:00:00"', 'jobs[0].policy.endAt', 'YYYY-MM-DDTHH:MM:SS[.fraction of 1 to 9 digits](Z|+HH:MM|-HH:MM)'],
      [{ overlap: 'SKIP' }, 'jobs[0].policy.overlap: must be one of \'skip\', \'buffer_one\', \'allow_all\', got "SKIP"', 'jobs[0].policy.overlap', 'an overlap policy'],
      [{ jitterMs: 1.5 }, 'jobs[0].policy.jitterMs: must be an integer (a whole number of milliseconds), got 1.5', 'jobs[0].policy.jitterMs', 'a whole number of milliseconds'],
      [{ jitterMs: '5s' }, 'jobs[0].policy.jitterMs: must be an integer number of milliseconds from 0 to 86400000, got a string of 2 characters', 'jobs[0].policy.jitterMs', '0..86400000 ms'],
      [{ startAt: '2031-01-02T00:00:00Z', endAt: '2031-01-01T00:00:00Z' }, 'jobs[0].policy.endAt: must be no earlier than startAt (2031-01-02T00:00:00.000Z), got 2031-01-01T00:00:00.000Z', 'jobs[0].policy.endAt', 'no earlier than policy.start_at'],
      [{ retryBackoff: { initialMs: 10_000, maxMs: 5_000 } }, 'jobs[0].policy.retryBackoff.maxMs: must be no less than initialMs (10000), got 5000', 'jobs[0].policy.retryBackoff.maxMs', 'no less than policy.retry_backoff.initial'],
      [{ pauseOnFailure: 'yes' }, 'jobs[0].policy.pauseOnFailure: must be true or false, got a string of 3 characters', 'jobs[0].policy.pauseOnFailure', 'a boolean'],
    ];
    for (const [policy, message, field, limit] of cases) {
      const path = join(dir, 'bad-policy.json');
      writeFileSync(path, JSON.stringify({ jobs: [{ ...ok, policy }] }));
      expect(await cli('jobs', 'apply', '-f', path), message).toEqual({ status: 2, out: '', err: usageLine('jobs apply', `${path}: ${message}`) });
      expect(JSON.parse((await cli('jobs', 'apply', '-f', path, '--json')).err), message).toMatchObject({ error: { code: 'USAGE', option: '--file', field, limit } });
    }
    expect((await cli('jobs', 'get', '--key', 'k')).status).toBe(1); // nothing was applied
  });

  it('documents describe, wait, the policy options, --note, --overlap and -q in --help', async () => {
    for (const sub of ['create', 'update']) {
      const help = (await cli('jobs', sub, '--help')).out;
      for (const option of ['--overlap POLICY', '--catchup-window DURATION', '--start-at TIME', '--end-at TIME', '--max-runs N', '--jitter DURATION', '--retry-initial DURATION', '--retry-max DURATION', '--retry-multiplier X', '--pause-on-failure']) {
        expect(help, `${sub} ${option}`).toContain(`  ${option}`);
      }
    }
    const update = (await cli('jobs', 'update', '--help')).out;
    expect(update).toContain('  --no-policy ');
    expect(update).toContain('The policy is one field, replaced as a whole');
    const describeHelp = (await cli('jobs', 'describe', '--help')).out;
    expect(describeHelp).toContain('Usage: k1s0-scheduler jobs describe ID|--key KEY [--upcoming N]');
    expect(describeHelp).toContain(`  --upcoming N           how many due times to list, 1 to ${LIMITS.upcomingMax} (default 10)`);
    const wait = (await cli('jobs', 'wait', '--help')).out;
    expect(wait).toContain('Usage: k1s0-scheduler jobs wait EXECUTION_ID [--timeout DURATION]');
    expect(wait).toContain('Exit status: 0 when the execution succeeded; 3 when it failed or timed out');
    expect(wait).toContain('130 when Ctrl-C');
    expect(wait).not.toContain('--deadline');
    for (const sub of ['pause', 'resume']) expect((await cli('jobs', sub, '--help')).out).toContain('  --note TEXT ');
    const trigger = (await cli('jobs', 'trigger', '--help')).out;
    expect(trigger).toContain('  --overlap POLICY ');
    expect(trigger).toContain('  -q, --quiet ');
    expect(trigger).toContain('k1s0-scheduler jobs wait "$(k1s0-scheduler jobs trigger ID -q)"');
    const apply = (await cli('jobs', 'apply', '--help')).out;
    for (const member of ['"overlap"', '"catchupWindowMs"', '"startAt", "endAt"', '"maxRuns"', '"jitterMs"', '"retryBackoff"', '"pauseOnFailure"']) expect(apply).toContain(`  ${member} `);
  });
});
