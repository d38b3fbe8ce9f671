import { parseArgs } from 'node:util';
import { SchedulerError } from './errors.js';
import { GrpcSchedulerClient } from './grpc-client.js';
import { Schedule } from './schedule.js';
import type { Job, JobExecution, JobRequest, JsonValue } from './types.js';

/** Where the CLI reads and writes; process streams by default, buffers in tests. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
  /** Resolves when the process should stop (used by `dev`). @default SIGINT or SIGTERM */
  shutdown?: Promise<void>;
}

/** The port `k1s0-scheduler dev` listens on, as in the platform's local set-up. */
export const DEV_PORT = 8093;

const USAGE = `k1s0-scheduler: the k1s0 scheduler from the command line

Usage:
  k1s0-scheduler dev [--host 127.0.0.1] [--port ${DEV_PORT}] [--kafka-brokers HOST:PORT,...]
  k1s0-scheduler jobs create --name NAME (--cron EXPR [--timezone TZ] | --at TIME | --every DURATION)
                             [--payload JSON] [--max-retries N] [--timeout-secs N] [--request-id ID]
  k1s0-scheduler jobs get ID
  k1s0-scheduler jobs list [--status STATUS] [--prefix NAME_PREFIX]
  k1s0-scheduler jobs pause|resume|cancel|trigger ID
  k1s0-scheduler jobs executions ID

Options for jobs commands:
  --server URL     the scheduler (host:port, http://..., https://...); default $K1S0_SCHEDULER_URL or 127.0.0.1:${DEV_PORT}
  --token TOKEN    sent as "authorization: Bearer TOKEN"; default $K1S0_SCHEDULER_TOKEN
  --timeout MS     deadline of the call in milliseconds (default 10000)
  --json           print JSON instead of a table

DURATION is a number of milliseconds or a number with ms, s, m or h (1500ms, 5s, 2m, 1h).
TIME is an ISO 8601 date-time such as 2026-11-23T09:00:00Z.
Exit status: 0 on success, 1 when the scheduler reports an error, 2 on a usage error.
`;

class UsageError extends Error {}

/** Runs the CLI with `argv` (without node and the script) and returns the exit status. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'dev') return await dev(rest, io);
    if (command === 'jobs') return await jobs(rest, io);
    throw new UsageError(`unknown command '${command}'`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const failure = SchedulerError.from(error);
    io.stderr.write(`error: ${failure.code}: ${failure.message}\n`);
    return 1;
  }
}

async function dev(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: String(DEV_PORT) },
      'kafka-brokers': { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0 to 65535, got '${values.port}'`);
  const { startSchedulerServer } = await import('./server/reference-server.js');
  const brokers = values['kafka-brokers']?.split(',').map((b) => b.trim()).filter((b) => b !== '');
  const server = await startSchedulerServer({ host: values.host, port, ...(brokers?.length ? { kafka: { brokers } } : {}) });
  const events = server.completions();
  await events.run((e) => {
    io.stdout.write(`${e.completedAt.toISOString()}  job ${e.jobId}  attempt ${e.attempt ?? '?'}  ${e.result}${e.error ? `  ${e.error}` : ''}\n`);
  });
  const publishing = brokers?.length ? `; publishing completions to Kafka at ${brokers.join(',')}` : '';
  io.stdout.write(`k1s0 scheduler (reference server) listening on ${server.address}${publishing}; Ctrl-C stops it\n`);
  await (io.shutdown ?? signalled());
  io.stdout.write('stopping...\n');
  await events.close();
  await server.close();
  return 0;
}

function signalled(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

async function jobs(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean', default: false },
      name: { type: 'string' },
      cron: { type: 'string' },
      timezone: { type: 'string' },
      at: { type: 'string' },
      every: { type: 'string' },
      payload: { type: 'string' },
      'max-retries': { type: 'string' },
      'timeout-secs': { type: 'string' },
      'request-id': { type: 'string' },
      status: { type: 'string' },
      prefix: { type: 'string' },
    },
  });
  const [sub, id, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const server = values.server ?? io.env.K1S0_SCHEDULER_URL ?? `127.0.0.1:${DEV_PORT}`;
  const token = values.token ?? io.env.K1S0_SCHEDULER_TOKEN;
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !Number.isFinite(timeoutMs)) throw new UsageError(`--timeout must be a number of milliseconds, got '${values.timeout}'`);
  const client = new GrpcSchedulerClient({
    address: server,
    ...(token ? { metadata: { authorization: `Bearer ${token}` } } : {}),
    ...(timeoutMs === undefined ? {} : { defaultTimeoutMs: timeoutMs }),
  });
  const needId = (): string => {
    if (id === undefined) throw new UsageError(`jobs ${sub} needs a job ID`);
    return id;
  };
  const print = (value: Job | Job[] | JobExecution | JobExecution[], table: () => string): void => {
    io.stdout.write(values.json ? `${JSON.stringify(value, null, 2)}\n` : table());
  };
  try {
    switch (sub) {
      case 'create': {
        if (id !== undefined) throw new UsageError(`jobs create takes no ID, got '${id}'`);
        const job = await client.createJob(createRequest(values));
        print(job, () => jobTable([job]));
        return 0;
      }
      case 'get': {
        const job = await client.getJob(needId());
        print(job, () => jobTable([job]));
        return 0;
      }
      case 'list': {
        if (id !== undefined) throw new UsageError(`jobs list takes no ID, got '${id}'`);
        const list = await client.listJobs({
          ...(values.status === undefined ? {} : { status: values.status as Job['status'] }),
          ...(values.prefix === undefined ? {} : { namePrefix: values.prefix }),
        });
        print(list, () => jobTable(list));
        return 0;
      }
      case 'pause':
      case 'resume':
      case 'cancel': {
        const jobId = needId();
        const job = sub === 'pause' ? await client.pauseJob(jobId) : sub === 'resume' ? await client.resumeJob(jobId) : await client.cancelJob(jobId);
        print(job, () => jobTable([job]));
        return 0;
      }
      case 'trigger': {
        const run = await client.triggerJob(needId());
        print(run, () => executionTable([run]));
        return 0;
      }
      case 'executions': {
        const runs = await client.getExecutions(needId());
        print(runs, () => executionTable(runs));
        return 0;
      }
      default:
        throw new UsageError(sub === undefined ? 'jobs needs a subcommand' : `unknown jobs subcommand '${sub}'`);
    }
  } finally {
    await client.close();
  }
}

function createRequest(v: Record<string, string | boolean | undefined>): JobRequest {
  if (typeof v.name !== 'string') throw new UsageError('jobs create needs --name');
  const kinds = ['cron', 'at', 'every'].filter((k) => v[k] !== undefined);
  if (kinds.length !== 1) throw new UsageError('jobs create needs exactly one of --cron, --at or --every');
  let schedule: Schedule;
  if (v.cron !== undefined) {
    schedule = Schedule.cron(v.cron as string, typeof v.timezone === 'string' ? { timezone: v.timezone } : {});
  } else if (v.at !== undefined) {
    const at = new Date(v.at as string);
    if (Number.isNaN(at.getTime())) throw new UsageError(`--at must be an ISO 8601 date-time, got '${v.at}'`);
    schedule = Schedule.oneShot(at);
  } else {
    schedule = Schedule.interval(parseDuration(v.every as string));
  }
  if (v.timezone !== undefined && v.cron === undefined) throw new UsageError('--timezone goes with --cron');
  let payload: JsonValue = null;
  if (typeof v.payload === 'string') {
    try {
      payload = JSON.parse(v.payload) as JsonValue;
    } catch (error) {
      throw new UsageError(`--payload must be JSON: ${(error as Error).message}`);
    }
  }
  const request: JobRequest = { name: v.name, schedule, payload };
  if (v['max-retries'] !== undefined) request.maxRetries = Number(v['max-retries']);
  if (v['timeout-secs'] !== undefined) request.timeoutSecs = Number(v['timeout-secs']);
  if (typeof v['request-id'] === 'string') request.requestId = v['request-id'];
  return request;
}

/** `1500`, `1500ms`, `5s`, `2m`, `1h` to milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (m === null) throw new UsageError(`a duration is a number with ms, s, m or h, got '${text}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms']!;
  return Math.round(Number(m[1]) * unit);
}

function describeSchedule(s: Schedule): string {
  switch (s.type) {
    case 'cron':
      return `cron '${s.expression}' ${s.timezone ?? 'UTC'}`;
    case 'one_shot':
      return `once at ${s.runAt.toISOString()}`;
    case 'interval':
      return `every ${s.intervalMs} ms`;
  }
}

function jobTable(list: Job[]): string {
  return table(
    ['ID', 'NAME', 'STATUS', 'SCHEDULE', 'NEXT RUN'],
    list.map((j) => [j.id, j.name, j.status, describeSchedule(j.schedule), j.nextRunAt?.toISOString() ?? '-']),
  );
}

function executionTable(list: JobExecution[]): string {
  return table(
    ['ID', 'ATTEMPT', 'RESULT', 'STARTED', 'FINISHED', 'ERROR'],
    list.map((e) => [e.id, String(e.attempt), e.result, e.startedAt.toISOString(), e.finishedAt?.toISOString() ?? '-', e.error ?? '']),
  );
}

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '(none)\n';
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
