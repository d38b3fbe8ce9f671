import { readFile } from 'node:fs/promises';
import type { DescribeOptions, NoteOptions, TriggerOptions } from '../call-options.js';
import type { SchedulerClient } from '../client.js';
import { SchedulerError, type SchedulerErrorDetails } from '../errors.js';
import { LIMITS } from '../limits.js';
import { OVERLAP_POLICIES, type OverlapPolicy, type SchedulePolicy } from '../policy.js';
import { Schedule } from '../schedule.js';
import { JOB_STATUSES, type JobExecution, type JobFilter, type JobRef, type JobRequest, type JobSpec, type JobStatus, type JsonValue } from '../types.js';
import { readApplyFile } from './apply-file.js';
import { parseOptions, UsageError } from './args.js';
import { DEFAULT_DEADLINE_MS, DEV_PORT, INTERRUPTED_STATUS, MAX_WAIT_MS, OPTIONS, POLICY_OPTIONS, WAIT_FAILED_STATUS, type JobsSubcommand } from './help.js';
import { CommandFailure, type CliIo } from './io.js';
import { appliedTable, commandName, describeText, executionTable, failureText, jobTable, type AppliedRow } from './render.js';
import { decimalOption, durationOption, formatDuration, integerOption, timeOption } from './values.js';

type Values = ReadonlyMap<string, string | true>;
type Lists = ReadonlyMap<string, readonly string[]>;

/** What a checked command does once connected: its calls, and what it prints; it may name its exit status (default 0). */
type Run = (client: SchedulerClient, print: Print) => Promise<number | void>;
/** Prints `value` as JSON with `--json`, else the table `table()` writes. */
type Print = (value: unknown, table: () => string) => void;

const MAX_DEADLINE_MS = 24 * 3_600_000;

/**
 * Runs `k1s0-scheduler jobs SUB ARGS...`. Every argument (and the file of `jobs apply`) is checked
 * before the scheduler is contacted, so a usage error never reaches the network.
 *
 * @returns the exit status: 0 on success.
 * @throws {UsageError} for a usage error; {@link SchedulerError} when the call fails.
 */
export async function jobs(sub: JobsSubcommand, args: readonly string[], io: CliIo): Promise<number> {
  const { values, lists, positionals } = parseOptions(args, OPTIONS[`jobs ${sub}`]!);
  const deadline = values.get('deadline');
  const deadlineMs = typeof deadline === 'string' ? durationOption('--deadline', deadline, 1, MAX_DEADLINE_MS) : DEFAULT_DEADLINE_MS;
  const run = await plan(sub, values, lists, positionals, io);

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

  const print: Print = (value, table) => {
    io.stdout.write(values.has('json') ? `${JSON.stringify(value, null, 2)}\n` : table());
  };
  try {
    return (await run(client, print)) ?? 0;
  } finally {
    await client.close();
  }
}

// Checks the whole command line (and reads the file of `apply`), and returns what to do.
async function plan(sub: JobsSubcommand, values: Values, lists: Lists, positionals: readonly string[], io: CliIo): Promise<Run> {
  switch (sub) {
    case 'create': {
      noArguments(positionals);
      const request = createRequest(values, lists);
      return async (client, print) => {
        const job = await client.createJob(request);
        print(job, () => jobTable([job]));
      };
    }
    case 'apply':
      return applyPlan(values, positionals, io);
    case 'list': {
      noArguments(positionals);
      const filter = listFilter(values, lists);
      return async (client, print) => {
        const list = await client.listJobs(filter);
        print(list, () => jobTable(list));
      };
    }
    case 'update': {
      const ref = jobRef(positionals, values);
      const changes = updateChanges(values, lists);
      const options = revisionOption(values);
      return async (client, print) => {
        const job = await client.updateJob(ref, changes, options);
        print(job, () => jobTable([job]));
      };
    }
    case 'delete': {
      const ref = jobRef(positionals, values);
      const options = revisionOption(values);
      return async (client, print) => {
        const job = await client.deleteJob(ref, options);
        print(job, () => jobTable([job]));
      };
    }
    case 'get':
    case 'cancel': {
      const ref = jobRef(positionals, values);
      return async (client, print) => {
        const job = sub === 'get' ? await client.getJob(ref) : await client.cancelJob(ref);
        print(job, () => jobTable([job]));
      };
    }
    case 'pause':
    case 'resume': {
      const ref = jobRef(positionals, values);
      const options = noteOption(values);
      return async (client, print) => {
        const job = sub === 'pause' ? await client.pauseJob(ref, options) : await client.resumeJob(ref, options);
        print(job, () => jobTable([job]));
      };
    }
    case 'describe': {
      const ref = jobRef(positionals, values);
      const upcoming = text(values, 'upcoming');
      const options: DescribeOptions = upcoming === undefined ? {} : { upcoming: integerOption('--upcoming', upcoming, 1, LIMITS.upcomingMax) };
      return async (client, print) => {
        const description = await client.describeJob(ref, options);
        print(description, () => describeText(description));
      };
    }
    case 'trigger': {
      const ref = jobRef(positionals, values);
      const overlap = text(values, 'overlap');
      const options: TriggerOptions = overlap === undefined ? {} : { overlap: overlapOption(overlap, 'overlap') };
      const quiet = values.has('quiet');
      if (quiet && values.has('json')) throw new UsageError('--quiet and --json cannot be combined: --quiet prints the execution ID alone', { option: '--quiet' });
      return async (client, print) => {
        const run = await client.triggerJob(ref, options);
        if (quiet) io.stdout.write(`${run.id}\n`);
        else print(run, () => executionTable([run]));
      };
    }
    case 'wait':
      return waitPlan(values, positionals, io);
    case 'executions': {
      const ref = jobRef(positionals, values);
      return async (client, print) => {
        const runs = await client.getExecutions(ref);
        print(runs, () => executionTable(runs));
      };
    }
  }
}

/** The job a command names: the ID argument, or `--key KEY`. */
function jobRef(positionals: readonly string[], values: Values): JobRef {
  const key = keyOption(values);
  if (key !== undefined) {
    if (positionals.length > 0) throw new UsageError(`give a job ID or --key, not both; got '${positionals[0]}' and --key`, { option: '--key' });
    return { key };
  }
  if (positionals.length === 0) throw new UsageError('expected a job ID or --key KEY');
  noArguments(positionals.slice(1));
  return positionals[0]!;
}

/**
 * `--key KEY`. An empty key is refused here: in a create the scheduler reads it as "no key", and
 * the CLI never turns a value given into none. The other key rules are the client's.
 */
function keyOption(values: Values): string | undefined {
  const key = text(values, 'key');
  if (key === '') throw new UsageError(`--key: expected a key of 1 to ${LIMITS.idMaxChars} characters; got ""`, { option: '--key', limit: `1..${LIMITS.idMaxChars} code points` });
  return key;
}

function noArguments(positionals: readonly string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
}

function text(values: Values, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** The schedule of `--cron [--timezone]`, `--at` or `--every`; undefined when none is given. */
function scheduleOption(values: Values): Schedule | undefined {
  const kinds = ['cron', 'at', 'every'].filter((k) => values.has(k));
  if (kinds.length > 1) throw new UsageError(`--${kinds[0]} and --${kinds[1]} cannot be combined; give one schedule`, { option: `--${kinds[1]}` });
  const timezone = text(values, 'timezone');
  if (timezone !== undefined && !values.has('cron')) throw new UsageError('--timezone goes only with --cron', { option: '--timezone' });
  const cron = text(values, 'cron');
  const at = text(values, 'at');
  const every = text(values, 'every');
  if (cron !== undefined) return Schedule.cron(cron, timezone === undefined ? {} : { timezone });
  if (at !== undefined) return Schedule.oneShot(timeOption('--at', at));
  if (every !== undefined) return Schedule.interval(durationOption('--every', every, LIMITS.intervalMsMin, LIMITS.intervalMsMax));
  return undefined;
}

/** `--note TEXT` of `jobs pause` and `jobs resume`, checked against the note's limit. */
function noteOption(values: Values): NoteOptions {
  const note = text(values, 'note');
  if (note === undefined) return {};
  const length = [...note].length;
  if (length > LIMITS.noteMaxChars || !note.isWellFormed()) {
    const limit = `0..${LIMITS.noteMaxChars} code points`;
    throw new UsageError(`--note: must be 0 to ${LIMITS.noteMaxChars} characters; got ${length}`, { option: '--note', limit });
  }
  return { note };
}

/** An overlap policy given as `--overlap POLICY`; `field` is the request field it sets. */
function overlapOption(value: string, field: string): OverlapPolicy {
  if ((OVERLAP_POLICIES as readonly string[]).includes(value)) return value as OverlapPolicy;
  throw new UsageError(`--overlap: expected one of ${OVERLAP_POLICIES.join(', ')}; got ${JSON.stringify(value)}`, { option: '--overlap', field, limit: 'an overlap policy' });
}

/**
 * The schedule policy the policy options give, every other field at its default; undefined when
 * none is given. Every limit is checked here, the pairs too: `--end-at` no earlier than
 * `--start-at`, `--retry-max` no less than `--retry-initial`.
 */
function policyOption(values: Values): SchedulePolicy | undefined {
  if (!POLICY_OPTIONS.some((o) => values.has(o.name))) return undefined;
  const policy: SchedulePolicy = {};
  const given = (name: string): string | undefined => text(values, name);
  const overlap = given('overlap');
  if (overlap !== undefined) policy.overlap = overlapOption(overlap, 'policy.overlap');
  const catchup = given('catchup-window');
  if (catchup !== undefined) policy.catchupWindowMs = durationOption('--catchup-window', catchup, LIMITS.catchupWindowMsMin, LIMITS.catchupWindowMsMax);
  const startAt = given('start-at');
  if (startAt !== undefined) policy.startAt = timeOption('--start-at', startAt);
  const endAt = given('end-at');
  if (endAt !== undefined) {
    policy.endAt = timeOption('--end-at', endAt);
    if (policy.startAt !== undefined && policy.endAt.getTime() < policy.startAt.getTime()) {
      throw new UsageError(`--end-at: must be no earlier than --start-at (${policy.startAt.toISOString()}); got ${JSON.stringify(endAt)}`, {
        option: '--end-at',
        limit: 'no earlier than --start-at',
      });
    }
  }
  const maxRuns = given('max-runs');
  if (maxRuns !== undefined) policy.maxRuns = integerOption('--max-runs', maxRuns, 0, LIMITS.maxRunsMax);
  const jitter = given('jitter');
  if (jitter !== undefined) policy.jitterMs = durationOption('--jitter', jitter, 0, LIMITS.jitterMsMax);
  const initial = given('retry-initial');
  const max = given('retry-max');
  const multiplier = given('retry-multiplier');
  if (initial !== undefined || max !== undefined || multiplier !== undefined) {
    const backoff: NonNullable<SchedulePolicy['retryBackoff']> = {};
    if (initial !== undefined) backoff.initialMs = durationOption('--retry-initial', initial, LIMITS.backoffInitialMsMin, LIMITS.backoffInitialMsMax);
    if (max !== undefined) {
      backoff.maxMs = durationOption('--retry-max', max, LIMITS.backoffMaxMsMin, LIMITS.backoffMaxMsMax);
      if (backoff.initialMs !== undefined && backoff.maxMs < backoff.initialMs) {
        throw new UsageError(`--retry-max: must be no less than --retry-initial (${formatDuration(backoff.initialMs)}); got ${JSON.stringify(max)}`, {
          option: '--retry-max',
          limit: 'no less than --retry-initial',
        });
      }
    }
    if (multiplier !== undefined) backoff.multiplier = decimalOption('--retry-multiplier', multiplier, LIMITS.backoffMultiplierMin, LIMITS.backoffMultiplierMax);
    policy.retryBackoff = backoff;
  }
  if (values.has('pause-on-failure')) policy.pauseOnFailure = true;
  return policy;
}

/** `--max-retries`, `--timeout` and `--payload` as JobSpec fields, for those given. */
function specOptions(values: Values): Pick<JobSpec, 'maxRetries' | 'timeoutSecs' | 'payload'> {
  const spec: Pick<JobSpec, 'maxRetries' | 'timeoutSecs' | 'payload'> = {};
  const payload = text(values, 'payload');
  if (payload !== undefined) spec.payload = payloadOption(payload);
  const retries = text(values, 'max-retries');
  if (retries !== undefined) spec.maxRetries = integerOption('--max-retries', retries, LIMITS.maxRetriesMin, LIMITS.maxRetriesMax);
  const timeout = text(values, 'timeout');
  if (timeout !== undefined) {
    spec.timeoutSecs = durationOption('--timeout', timeout, LIMITS.timeoutSecsMin * 1000, LIMITS.timeoutSecsMax * 1000, { wholeSeconds: true }) / 1000;
  }
  return spec;
}

/** The `createJob` request of `jobs create`, with every option checked. */
function createRequest(values: Values, lists: Lists): JobRequest {
  const name = text(values, 'name');
  if (name === undefined) throw new UsageError('--name is required', { option: '--name' });
  const schedule = scheduleOption(values);
  if (schedule === undefined) throw new UsageError('a schedule is required: --cron, --at or --every');
  const { payload = null, ...rest } = specOptions(values);
  const request: JobRequest = { name, schedule, payload, ...rest };
  const requestId = text(values, 'request-id');
  if (requestId !== undefined) request.requestId = requestId;
  const key = keyOption(values);
  if (key !== undefined) request.key = key;
  const labels = labelOptions(lists);
  if (labels !== undefined) request.labels = labels;
  const policy = policyOption(values);
  if (policy !== undefined) request.policy = policy;
  return request;
}

/** The changes of `jobs update`: the fields its options give, and only those. */
function updateChanges(values: Values, lists: Lists): Partial<JobSpec> {
  const changes: Partial<JobSpec> = {};
  const name = text(values, 'name');
  if (name !== undefined) changes.name = name;
  const schedule = scheduleOption(values);
  if (schedule !== undefined) changes.schedule = schedule;
  Object.assign(changes, specOptions(values));
  const labels = labelOptions(lists);
  if (labels !== undefined && values.has('no-labels')) throw new UsageError('--label and --no-labels cannot be combined', { option: '--no-labels' });
  if (labels !== undefined) changes.labels = labels;
  if (values.has('no-labels')) changes.labels = {};
  // The policy is one field: the options given replace the whole of it.
  const policy = policyOption(values);
  if (values.has('no-policy')) {
    const other = POLICY_OPTIONS.find((o) => values.has(o.name));
    if (other !== undefined) throw new UsageError(`--no-policy and --${other.name} cannot be combined`, { option: '--no-policy' });
    // A field given as undefined is set back to its default.
    changes.policy = undefined;
  }
  if (policy !== undefined) changes.policy = policy;
  if (Object.keys(changes).length === 0) {
    throw new UsageError(
      'nothing to change: give at least one of --name, --cron, --at, --every, --payload, --max-retries, --timeout, --label, --no-labels, a policy option (such as --overlap), --no-policy',
    );
  }
  return changes;
}

/** `--expected-revision N`, as the options of `updateJob` and `deleteJob`. */
function revisionOption(values: Values): { expectedRevision?: number } {
  const revision = text(values, 'expected-revision');
  return revision === undefined ? {} : { expectedRevision: integerOption('--expected-revision', revision, 1, Number.MAX_SAFE_INTEGER) };
}

/**
 * The labels of `--label KEY=VALUE ...`; undefined when none is given. The key and value rules are
 * the client's (checked before anything is sent); a KEY given twice is refused here.
 */
function labelOptions(lists: Lists): Record<string, string> | undefined {
  const given = lists.get('label');
  if (given === undefined) return undefined;
  const labels = new Map<string, string>();
  for (const item of given) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label: expected KEY=VALUE, such as team=billing; got ${JSON.stringify(item)}`, { option: '--label' });
    const key = item.slice(0, eq);
    if (labels.has(key)) throw new UsageError(`--label: the key ${JSON.stringify(key)} is given twice`, { option: '--label', limit: 'one value per key' });
    labels.set(key, item.slice(eq + 1));
  }
  // fromEntries defines own properties, so that no key can reach a prototype.
  return Object.fromEntries(labels);
}

function payloadOption(payload: string): JsonValue {
  try {
    return JSON.parse(payload) as JsonValue;
  } catch {
    const shown = payload.length > 40 ? `${payload.slice(0, 40)}...` : payload;
    throw new UsageError(`--payload: expected JSON, such as '{"a":1}', '"text"' or null; got ${JSON.stringify(shown)}`, { option: '--payload' });
  }
}

/** The `listJobs` filter of `jobs list`. */
function listFilter(values: Values, lists: Lists): JobFilter {
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
  const labels = labelOptions(lists);
  if (labels !== undefined) filter.labels = labels;
  return filter;
}

// ---- jobs wait -------------------------------------------------------------------------------------

/**
 * `jobs wait EXECUTION_ID [--timeout DURATION]`: exit status 0 when the execution succeeded,
 * {@link WAIT_FAILED_STATUS} when it failed or timed out, {@link INTERRUPTED_STATUS} when a signal
 * (or `io.shutdown`) stopped the wait.
 */
function waitPlan(values: Values, positionals: readonly string[], io: CliIo): Run {
  if (positionals.length === 0) throw new UsageError("expected an EXECUTION_ID, as 'jobs trigger' and 'jobs executions' print it");
  noArguments(positionals.slice(1));
  const executionId = positionals[0]!;
  if (executionId === '') {
    throw new UsageError(`expected an EXECUTION_ID of 1 to ${LIMITS.idMaxChars} characters; got ""`, { limit: `1..${LIMITS.idMaxChars} code points` });
  }
  const timeout = text(values, 'timeout');
  // 0: no deadline; the wait lasts as long as the execution.
  const timeoutMs = timeout === undefined ? 0 : durationOption('--timeout', timeout, 1, MAX_WAIT_MS);
  return async (client, print) => {
    const stop = new AbortController();
    const release = onInterrupt(io, () => stop.abort());
    let execution: JobExecution;
    try {
      execution = await client.waitForExecution(executionId, { timeoutMs, signal: stop.signal });
    } catch (error) {
      if (!stop.signal.aborted) throw error;
      const stopped = new CommandFailure('INTERRUPTED', `stopped waiting for execution ${executionId}; the execution goes on`, { cause: error });
      io.stderr.write(failureText(stopped, commandName(['jobs', 'wait']), values.has('json')));
      return INTERRUPTED_STATUS;
    } finally {
      release();
    }
    print(execution, () => executionTable([execution]));
    return execution.result === 'succeeded' ? 0 : WAIT_FAILED_STATUS;
  };
}

/**
 * Calls `stop` once when the command should stop: when `io.shutdown` resolves, or else on SIGINT
 * or SIGTERM. Returns what removes the signal handlers again.
 */
function onInterrupt(io: CliIo, stop: () => void): () => void {
  let released = false;
  if (io.shutdown !== undefined) {
    void io.shutdown.then(() => {
      if (!released) stop();
    });
    return () => {
      released = true;
    };
  }
  const handler = (): void => stop();
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

// ---- jobs apply ------------------------------------------------------------------------------------

/** `jobs apply`: the options checked and the file read and checked, before any call. */
async function applyPlan(values: Values, positionals: readonly string[], io: CliIo): Promise<Run> {
  noArguments(positionals);
  const file = text(values, 'file');
  if (file === undefined) throw new UsageError('-f FILE is required (- reads standard input)', { option: '--file' });
  const owner = text(values, 'owner');
  if (owner !== undefined) {
    const length = [...owner].length;
    if (length < 1 || length > LIMITS.labelValueMaxChars || !owner.isWellFormed()) {
      const limit = `1..${LIMITS.labelValueMaxChars} code points`;
      throw new UsageError(`--owner: must be 1 to ${LIMITS.labelValueMaxChars} characters (a label value); got ${JSON.stringify(owner)}`, { option: '--owner', limit });
    }
  }
  const prune = values.has('prune');
  if (prune && owner === undefined) throw new UsageError('--prune needs --owner: it deletes only the jobs of one owner', { option: '--prune' });
  const dryRun = values.has('dry-run');
  const source = file === '-' ? 'stdin' : file;
  const specs = readApplyFile(await readInput(file, io), source, owner);

  if (owner !== undefined) {
    return async (client, print) => {
      const diff = await client.applySchedules(specs, { owner, prune, dryRun });
      print(diff, () => `${String(diff)}\n`);
    };
  }
  return async (client, print) => {
    const rows: AppliedRow[] = [];
    const show = (): void => print(rows.map((r) => ({ ...r, job: r.job ?? null })), () => appliedTable(rows, dryRun));
    for (const [i, { key, ...spec }] of specs.entries()) {
      try {
        const result = await client.applyJob(key, spec, { dryRun });
        rows.push({ key, ...result });
      } catch (error) {
        if (rows.length > 0) show();
        throw inFile(error, source, i, key);
      }
    }
    show();
  };
}

/** The bytes of `-f FILE`: the file, or standard input for `-`. */
async function readInput(file: string, io: CliIo): Promise<Uint8Array> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin ?? process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
    return Buffer.concat(chunks);
  }
  if (file === '') throw new UsageError('--file: expected a file name, or - for standard input; got ""', { option: '--file' });
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`--file: cannot read ${JSON.stringify(file)}: ${why}`, { option: '--file' });
  }
}

// The scheduler refused the job at jobs[i]: say so, and name the spec field by its place in the file.
function inFile(error: unknown, source: string, i: number, key: string): unknown {
  if (!(error instanceof SchedulerError)) return error;
  const place = error.field === undefined ? undefined : filePlace(error.field, i);
  const details: SchedulerErrorDetails = { retryable: error.retryable, cause: error };
  if (error.operation !== undefined) details.operation = error.operation;
  if (error.jobId !== undefined) details.jobId = error.jobId;
  if (error.limit !== undefined) details.limit = error.limit;
  if (error.grpcCode !== undefined) details.grpcCode = error.grpcCode;
  if (error.field !== undefined) details.field = place ?? error.field;
  return new SchedulerError(error.code, `${source}: jobs[${i}] (key ${JSON.stringify(key)}): ${error.message}`, details);
}

const SPEC_PLACES: Readonly<Record<string, string>> = {
  key: 'key',
  'spec.name': 'name',
  'spec.schedule': 'schedule',
  'spec.schedule.cron.expression': 'schedule.cron',
  'spec.schedule.cron.timezone': 'schedule.timezone',
  'spec.schedule.interval.every': 'schedule.every',
  'spec.schedule.one_shot.run_at': 'schedule.at',
  'spec.max_retries': 'maxRetries',
  'spec.timeout_secs': 'timeoutSecs',
  'spec.labels': 'labels',
  'spec.payload': 'payload',
  'spec.policy': 'policy',
  'spec.policy.overlap': 'policy.overlap',
  'spec.policy.catchup_window': 'policy.catchupWindowMs',
  'spec.policy.start_at': 'policy.startAt',
  'spec.policy.end_at': 'policy.endAt',
  'spec.policy.max_runs': 'policy.maxRuns',
  'spec.policy.jitter': 'policy.jitterMs',
  'spec.policy.retry_backoff': 'policy.retryBackoff',
  'spec.policy.retry_backoff.initial': 'policy.retryBackoff.initialMs',
  'spec.policy.retry_backoff.maximum': 'policy.retryBackoff.maxMs',
  'spec.policy.retry_backoff.multiplier': 'policy.retryBackoff.multiplier',
  'spec.policy.pause_on_failure': 'policy.pauseOnFailure',
};

// A request field (`spec.schedule.cron.expression`) as its place in the file (`jobs[2].schedule.cron`).
function filePlace(field: string, i: number): string | undefined {
  const label = /^spec\.labels\.(.+)$/.exec(field);
  if (label !== null) return `jobs[${i}].labels[${JSON.stringify(label[1])}]`;
  const pointer = /^spec\.payload(\/.*)$/.exec(field);
  if (pointer !== null) return `jobs[${i}].payload${pointer[1]}`;
  const place = SPEC_PLACES[field];
  return place === undefined ? undefined : `jobs[${i}].${place}`;
}
