import { SchedulerError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { Schedule } from '../schedule.js';
import { JOB_STATUSES, type Job, type JobExecution, type JobFilter, type JobRequest, type JobStatus, type JsonValue } from '../types.js';
import { parseOptions, UsageError } from './args.js';
import { DEFAULT_DEADLINE_MS, DEV_PORT, ID_SUBCOMMANDS, OPTIONS, type JobsSubcommand } from './help.js';
import type { CliIo } from './io.js';
import { executionTable, jobTable } from './render.js';
import { durationOption, integerOption, timeOption } from './values.js';

type Values = ReadonlyMap<string, string | true>;

const MAX_DEADLINE_MS = 24 * 3_600_000;

/**
 * Runs `k1s0-scheduler jobs SUB ARGS...`. Every argument is checked before the scheduler is
 * contacted, so a usage error never reaches the network.
 *
 * @returns the exit status: 0 on success.
 * @throws {UsageError} for a usage error; {@link SchedulerError} when the call fails.
 */
export async function jobs(sub: JobsSubcommand, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS[`jobs ${sub}`]!);
  const id = (ID_SUBCOMMANDS as readonly string[]).includes(sub) ? jobId(positionals) : noArguments(positionals);
  const call = sub === 'create' ? createRequest(values) : sub === 'list' ? listFilter(values) : undefined;
  const deadline = values.get('deadline');
  const deadlineMs = typeof deadline === 'string' ? durationOption('--deadline', deadline, 1, MAX_DEADLINE_MS) : DEFAULT_DEADLINE_MS;

  const fromOption = typeof values.get('server') === 'string';
  const server = (values.get('server') as string | undefined) ?? (io.env.K1S0_SCHEDULER_URL || `127.0.0.1:${DEV_PORT}`);
  const token = (values.get('token') as string | undefined) ?? io.env.K1S0_SCHEDULER_TOKEN;
  const { GrpcSchedulerClient } = await import('../grpc-client.js');
  let client: InstanceType<typeof GrpcSchedulerClient>;
  try {
    client = new GrpcSchedulerClient({
      address: server,
      ...(token ? { metadata: { authorization: `Bearer ${token}` } } : {}),
      defaultTimeoutMs: deadlineMs,
    });
  } catch (error) {
    if (!(error instanceof SchedulerError) || error.code !== 'INVALID_ARGUMENT') throw error;
    const source = fromOption ? '--server' : '$K1S0_SCHEDULER_URL';
    throw new UsageError(`${source}: ${error.message}`, fromOption ? { option: '--server' } : {});
  }

  const print = (value: Job | Job[] | JobExecution | JobExecution[], table: () => string): void => {
    io.stdout.write(values.has('json') ? `${JSON.stringify(value, null, 2)}\n` : table());
  };
  try {
    switch (sub) {
      case 'create': {
        const job = await client.createJob(call as JobRequest);
        print(job, () => jobTable([job]));
        break;
      }
      case 'list': {
        const list = await client.listJobs(call as JobFilter);
        print(list, () => jobTable(list));
        break;
      }
      case 'get':
      case 'pause':
      case 'resume':
      case 'cancel': {
        const job =
          sub === 'get'
            ? await client.getJob(id!)
            : sub === 'pause'
              ? await client.pauseJob(id!)
              : sub === 'resume'
                ? await client.resumeJob(id!)
                : await client.cancelJob(id!);
        print(job, () => jobTable([job]));
        break;
      }
      case 'trigger': {
        const run = await client.triggerJob(id!);
        print(run, () => executionTable([run]));
        break;
      }
      case 'executions': {
        const runs = await client.getExecutions(id!);
        print(runs, () => executionTable(runs));
        break;
      }
    }
    return 0;
  } finally {
    await client.close();
  }
}

function jobId(positionals: readonly string[]): string {
  if (positionals.length === 0) throw new UsageError('expected a job ID');
  noArguments(positionals.slice(1));
  return positionals[0]!;
}

function noArguments(positionals: readonly string[]): undefined {
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  return undefined;
}

function text(values: Values, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** The `createJob` request of `jobs create`, with every option checked. */
function createRequest(values: Values): JobRequest {
  const name = text(values, 'name');
  if (name === undefined) throw new UsageError('--name is required', { option: '--name' });
  const kinds = ['cron', 'at', 'every'].filter((k) => values.has(k));
  if (kinds.length === 0) throw new UsageError('a schedule is required: --cron, --at or --every');
  if (kinds.length > 1) throw new UsageError(`--${kinds[0]} and --${kinds[1]} cannot be combined; give one schedule`, { option: `--${kinds[1]}` });
  const timezone = text(values, 'timezone');
  if (timezone !== undefined && !values.has('cron')) throw new UsageError('--timezone goes only with --cron', { option: '--timezone' });

  const cron = text(values, 'cron');
  const at = text(values, 'at');
  const every = text(values, 'every');
  const schedule =
    cron !== undefined
      ? Schedule.cron(cron, timezone === undefined ? {} : { timezone })
      : at !== undefined
        ? Schedule.oneShot(timeOption('--at', at))
        : Schedule.interval(durationOption('--every', every!, LIMITS.intervalMsMin, LIMITS.intervalMsMax));

  const request: JobRequest = { name, schedule, payload: payloadOption(text(values, 'payload')) };
  const retries = text(values, 'max-retries');
  if (retries !== undefined) request.maxRetries = integerOption('--max-retries', retries, LIMITS.maxRetriesMin, LIMITS.maxRetriesMax);
  const timeout = text(values, 'timeout');
  if (timeout !== undefined) {
    request.timeoutSecs = durationOption('--timeout', timeout, LIMITS.timeoutSecsMin * 1000, LIMITS.timeoutSecsMax * 1000, { wholeSeconds: true }) / 1000;
  }
  const requestId = text(values, 'request-id');
  if (requestId !== undefined) request.requestId = requestId;
  return request;
}

function payloadOption(payload: string | undefined): JsonValue {
  if (payload === undefined) return null;
  try {
    return JSON.parse(payload) as JsonValue;
  } catch {
    const shown = payload.length > 40 ? `${payload.slice(0, 40)}...` : payload;
    throw new UsageError(`--payload: expected JSON, such as '{"a":1}', '"text"' or null; got ${JSON.stringify(shown)}`, { option: '--payload' });
  }
}

/** The `listJobs` filter of `jobs list`. */
function listFilter(values: Values): JobFilter {
  const filter: JobFilter = {};
  const status = text(values, 'status');
  if (status !== undefined) {
    if (!(JOB_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status: expected one of ${JOB_STATUSES.join(', ')}; got ${JSON.stringify(status)}`, { option: '--status' });
    }
    filter.status = status as JobStatus;
  }
  const prefix = text(values, 'prefix');
  if (prefix !== undefined) filter.namePrefix = prefix;
  return filter;
}
