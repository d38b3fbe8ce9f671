// The parity scenario with the TypeScript GrpcSchedulerClient: the reference transcript that the
// Python and Go scenarios (and every sibling client) must reproduce line for line. The steps are
// listed in conformance/README.md.
//
//   node --import tsx conformance/ts/scenario.ts [HOST:PORT]    (or set K1S0_SCHEDULER_ADDR)
//
// Run it against a fresh parity server (conformance/run-scenario.ts serve), whose virtual clock
// never moves and which honours the x-k1s0-test-delay-ms request header.
import * as grpc from '@grpc/grpc-js';
import { isDeepStrictEqual } from 'node:util';
import { pathToFileURL } from 'node:url';
import { GrpcSchedulerClient, Schedule, SchedulerError } from '../../src/index.js';
import type { ApplyJobResult, Job, JobDescription, JobExecution, JobFilter, JobRef, JobRequest, JobSpec, JsonValue } from '../../src/index.js';
import { jitterDelay, type JobPolicy } from '../../src/policy.js';
import { SCHEDULER_SERVICE, schedulerMethods, type RpcName, type RpcRequest, type RpcResponse } from '../../src/grpc/service.js';
import { executionFromWire, jobFromWire } from '../../src/wire/convert.js';
import { ERROR_DOMAIN, GrpcCode, decodeStatus } from '../../src/wire/status.js';
import { SPEC_FIELD_PROTO_NAMES } from '../../src/validation.js';

const DELAY_HEADER = 'x-k1s0-test-delay-ms';
const SERVER_DELAY_MS = 10_000;
const TINY_DEADLINE_MS = 100;
const HOUR_MS = 3_600_000;

const CRON = {
  name: 'parity-cron-日次',
  schedule: Schedule.cron('0 9 * * MON-FRI', { timezone: 'Asia/Tokyo' }),
  payload: { report: '日次', pages: [1, 2.5], draft: false, owner: null },
  maxRetries: 2,
  timeoutSecs: 30,
  requestId: 'parity-cron-request',
} satisfies JobRequest;
const INTERVAL = {
  name: 'parity-interval',
  schedule: Schedule.interval(90_000),
  payload: ['x', 1, true, { k: [] }],
  maxRetries: 0,
  timeoutSecs: 86_400,
} satisfies JobRequest;
const MISSING = 'parity-no-such-job';
const VALID = { name: 'parity-invalid', schedule: Schedule.interval(60_000), payload: null } satisfies JobRequest;
// 315,576,000,000 s: the interval that the contract accepted before it had to keep next_run_at
// inside year 9999.
const LONGEST_OLD_INTERVAL_MS = 315_576_000_000_000;
// Requests written byte by byte, sent without a serializer: a CreateJobRequest whose name is the
// malformed UTF-8 `6f 6b c3` (with a valid schedule, interval {every {seconds: 60}}), and a
// GetJobRequest whose job_id claims 5 bytes where 3 follow.
const MALFORMED_NAME_CREATE = Buffer.from('0a036f6bc312061a040a02083c', 'hex');
const TRUNCATED_GET = Buffer.from('0a056a6f62', 'hex');
// The keyed job of steps 58 to 75: applied, updated, paused and deleted by its key.
const KEY = 'parity-key-日次';
const KEYED = {
  name: 'parity-keyed',
  schedule: Schedule.interval(120_000),
  payload: { version: 1 },
  labels: { team: 'parity', tier: 'batch' },
} satisfies JobSpec;
const KEYED_V2 = { ...KEYED, payload: { version: 2 } } satisfies JobSpec;
const RENAMED = 'parity-keyed-renamed';
const LABELLED = {
  name: 'parity-labelled',
  schedule: Schedule.interval(60_000),
  payload: null,
  labels: { team: 'parity', tier: 'web' },
} satisfies JobRequest;
// The policy job of steps 76 to 117: one fire an hour from start_at = T0 + 1 h to end_at = T0 + 11 h,
// at most 3 runs, each fire up to 30 min late by its jitter.
const POLICY_EVERY_MS = HOUR_MS;
const POLICY_JITTER_MS = 1_800_000;
const policyRequest = (t0: number) =>
  ({
    name: 'parity-policy',
    schedule: Schedule.interval(POLICY_EVERY_MS),
    payload: null,
    policy: {
      overlap: 'skip',
      catchupWindowMs: 300_000,
      startAt: new Date(t0 + HOUR_MS),
      endAt: new Date(t0 + 11 * HOUR_MS),
      maxRuns: 3,
      jitterMs: POLICY_JITTER_MS,
      retryBackoff: { initialMs: 500, maxMs: 4_000, multiplier: 3 },
    },
  }) satisfies JobRequest;
// Payloads the parity server's executor obeys (conformance/parity-server.ts): a run that fails, a run
// that stays in flight until the scheduler stops it.
const HELD = { name: 'parity-held', schedule: Schedule.interval(60_000), payload: { parity: 'hold' }, policy: { overlap: 'allow_all', maxRuns: 3 } } satisfies JobRequest;
const FAILING = { name: 'parity-failing', schedule: Schedule.interval(60_000), payload: { parity: 'fail' }, maxRetries: 0, policy: { pauseOnFailure: true } } satisfies JobRequest;
const MISSING_EXECUTION = 'parity-no-such-execution';
// Streams must end by themselves at once; this only keeps a broken server from hanging the scenario.
const WATCH_TIMEOUT_MS = 30_000;

/** `[[[…]]]`: `levels` arrays, each inside the one before. */
const nestedArrays = (levels: number): JsonValue => {
  let value: JsonValue = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
};

/** Runs every step against the server at `address`, writing one transcript line per step. */
export async function runScenario(address: string, write: (line: string) => void): Promise<void> {
  // Called when the response headers of a delayed call arrive: the call is on the server.
  let onServer: (() => void) | undefined;
  const headersSeen: grpc.Interceptor = (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) =>
        next(metadata, {
          onReceiveMetadata: (received, nextMetadata) => {
            onServer?.();
            nextMetadata(received);
          },
        }),
    });
  const client = new GrpcSchedulerClient({ address, retry: false });
  const raw = rawSchedulerClient(address);
  // WatchExecutions as it is on the wire, read to its end: for the messages of an execution watch and
  // for a request the client would refuse.
  const watchStream = (request: Partial<RpcRequest<'WatchExecutions'>>) => raw.stream(request, WATCH_TIMEOUT_MS).then((messages) => messages.map((m) => executionFromWire(m.execution)));
  const slow = new GrpcSchedulerClient({ address, retry: false, metadata: { [DELAY_HEADER]: String(SERVER_DELAY_MS) }, interceptors: [headersSeen] });

  async function step<T>(label: string, call: () => Promise<T>, describe: (result: T) => string): Promise<T | undefined> {
    try {
      const result = await call();
      write(`${label} -> ${describe(result)}`);
      return result;
    } catch (error) {
      write(`${label} -> ${describeError(error)}`);
      return undefined;
    }
  }
  // The request is built inside the step, so that a Schedule builder that refuses its input fails the step only.
  const create = (label: string, request: () => JobRequest) => step(label, () => client.createJob(request()), describeJob);
  const list = (label: string, filter?: JobFilter) => step(label, () => client.listJobs(filter), describeJobs);
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`cannot go on without ${what}`);
    return value;
  };

  try {
    // 1. One job of each kind; the same request_id again returns the same job.
    const cron = need(await create('create cron', () => CRON), 'the cron job');
    await create('create cron again, same request_id', () => CRON);
    const oneShotRunAt = cron.createdAt.getTime() + HOUR_MS;
    const oneShot = need(await create('create one-shot', () => ({ name: 'parity-one-shot', schedule: Schedule.oneShot(oneShotRunAt), payload: null })), 'the one-shot job');
    const interval = need(await create('create interval', () => INTERVAL), 'the interval job');

    // 2. Get and list with each filter.
    await step('get one-shot', () => client.getJob(oneShot.id), describeJob);
    await step('pause interval', () => client.pauseJob(interval.id), describeJob);
    await step('pause interval again', () => client.pauseJob(interval.id), describeJob);
    await list('list status=PAUSED', { status: 'paused' });
    await list('list status=PENDING', { status: 'pending' });
    await list('list name_prefix=parity-o', { namePrefix: 'parity-o' });
    await list('list status=PENDING name_prefix=parity-c', { status: 'pending', namePrefix: 'parity-c' });

    // 3. Resume, trigger, executions, cancel.
    await step('resume interval', () => client.resumeJob(interval.id), describeJob);
    await step('resume interval again', () => client.resumeJob(interval.id), describeJob);
    await step('trigger interval', () => client.triggerJob(interval.id), describeExecution);
    await step('list executions interval', () => client.getExecutions(interval.id), describeExecutions);
    await step('get interval', () => client.getJob(interval.id), describeJob);
    await step('cancel one-shot', () => client.cancelJob(oneShot.id), describeJob);
    await step('cancel one-shot again', () => client.cancelJob(oneShot.id), describeJob);
    await step('list executions one-shot', () => client.getExecutions(oneShot.id), describeExecutions);
    await step('pause cron', () => client.pauseJob(cron.id), describeJob);
    await step('trigger paused cron', () => client.triggerJob(cron.id), describeExecution);
    await step('resume cron', () => client.resumeJob(cron.id), describeJob);

    // 4. Every error a client can provoke.
    await step('get missing', () => client.getJob(MISSING), describeJob);
    await step('pause missing', () => client.pauseJob(MISSING), describeJob);
    await step('resume missing', () => client.resumeJob(MISSING), describeJob);
    await step('cancel missing', () => client.cancelJob(MISSING), describeJob);
    await step('trigger missing', () => client.triggerJob(MISSING), describeExecution);
    await step('list executions missing', () => client.getExecutions(MISSING), describeExecutions);
    await create('create bad cron', () => ({ ...VALID, schedule: Schedule.cron('61 * * * *') }));
    await create('create unknown time zone', () => ({ ...VALID, schedule: Schedule.cron('0 9 * * *', { timezone: 'Mars/Olympus_Mons' }) }));
    await create('create one-shot in the past', () => ({ ...VALID, schedule: Schedule.oneShot(cron.createdAt.getTime() - HOUR_MS) }));
    await create('create interval under 1 s', () => ({ ...VALID, schedule: Schedule.interval(999) }));
    await create('create empty name', () => ({ ...VALID, name: '' }));
    await create('create max_retries 101', () => ({ ...VALID, maxRetries: 101 }));
    await create('create timeout_secs 0', () => ({ ...VALID, timeoutSecs: 0 }));
    await create('create reused request_id', () => ({ ...CRON, name: 'parity-other' }));
    await step('get empty id', () => client.getJob(''), describeJob);
    await step('pause cancelled', () => client.pauseJob(oneShot.id), describeJob);
    await step('resume cancelled', () => client.resumeJob(oneShot.id), describeJob);
    await step('trigger cancelled', () => client.triggerJob(oneShot.id), describeExecution);
    await step(`get, deadline ${TINY_DEADLINE_MS} ms, server delays ${SERVER_DELAY_MS} ms`, () => slow.getJob(cron.id, { timeoutMs: TINY_DEADLINE_MS }), describeJob);
    await step(
      'get, cancelled once on the server',
      () => {
        const controller = new AbortController();
        onServer = () => controller.abort();
        return slow.getJob(cron.id, { signal: controller.signal }).finally(() => (onServer = undefined));
      },
      describeJob,
    );

    // 5. The failed creates made no job.
    await list('list all');
    await step('get cron', () => client.getJob(cron.id), (job) => `${describeJob(job)} payload_round_trips=${isDeepStrictEqual(job.payload, CRON.payload)}`);

    // 6. Strict rules: each bad request names the field at fault, the first in field-number order.
    await create('create lower-case time zone', () => ({ ...VALID, schedule: Schedule.cron('0 9 * * *', { timezone: 'asia/tokyo' }) }));
    await create('create interval past year 9999', () => ({ ...VALID, schedule: Schedule.interval(LONGEST_OLD_INTERVAL_MS) }));
    await create('create blank name', () => ({ ...VALID, name: '\u3000 \t' }));
    await create('create bad name and NaN payload', () => ({ ...VALID, name: '', payload: { x: Number.NaN } }));
    await create('create bad schedule and bad max_retries', () => ({ ...VALID, schedule: Schedule.interval(500), maxRetries: 101 }));
    // The client takes a one-shot's time in milliseconds, so the microsecond goes straight to the server.
    const runAtMs = cron.createdAt.getTime() + HOUR_MS;
    await step(
      'create one-shot with microseconds',
      () =>
        raw.typed('CreateJob', {
          name: VALID.name,
          schedule: { oneShot: { runAt: { seconds: String(Math.floor(runAtMs / 1000)), nanos: (runAtMs % 1000) * 1_000_000 + 1_000 } } },
          payload: { nullValue: 'NULL_VALUE' },
        }),
      (res) => describeJob(jobFromWire(res.job)),
    );
    await create('create cron with L', () => ({ ...VALID, schedule: Schedule.cron('0 0 L * *') }));
    await create('create payload too deep', () => ({ ...VALID, payload: nestedArrays(33) }));
    await step(
      'create name with malformed UTF-8',
      async () => schedulerMethods().CreateJob.responseDeserialize(await raw.bytes('CreateJob', MALFORMED_NAME_CREATE)),
      (res) => describeJob(jobFromWire(res.job)),
    );
    await step(
      'get with truncated request',
      async () => schedulerMethods().GetJob.responseDeserialize(await raw.bytes('GetJob', TRUNCATED_GET)),
      (res) => describeJob(jobFromWire(res.job)),
    );

    // 7. Paging: page_size may change between pages; a ListExecutions token is bound to its job.
    await step(
      'list page_size 1 then 2',
      async () => {
        const pages: Job[][] = [];
        let pageToken = '';
        do {
          const page = await raw.typed('ListJobs', { status: 'JOB_STATUS_UNSPECIFIED', namePrefix: '', pageSize: pages.length === 0 ? 1 : 2, pageToken });
          pages.push(page.jobs.map((j) => jobFromWire(j)));
          pageToken = page.nextPageToken;
        } while (pageToken !== '');
        return pages;
      },
      (pages) => `${describeJobs(pages.flat())} pages=[${pages.map((p) => p.length).join(',')}]`,
    );
    await step('trigger interval again', () => client.triggerJob(interval.id), describeExecution);
    await step(
      "list executions with another job's token",
      async () => {
        const first = await raw.typed('ListExecutions', { jobId: interval.id, pageSize: 1, pageToken: '' });
        if (first.nextPageToken === '') return undefined;
        const other = await raw.typed('ListExecutions', { jobId: cron.id, pageSize: 1, pageToken: first.nextPageToken });
        return other.executions.map((e) => executionFromWire(e));
      },
      (executions) => (executions === undefined ? 'no next_page_token' : describeExecutions(executions)),
    );

    // 8. Keys, apply, update, delete and labels.
    const apply = (label: string, spec: JobSpec, dryRun = false) => step(label, () => client.applyJob(KEY, spec, { dryRun }), describeApply);
    const keyed = need((await apply('apply keyed', KEYED))?.job, 'the keyed job');
    await apply('apply keyed again, same spec', KEYED);
    await apply('apply keyed, payload changed', KEYED_V2);
    await apply('apply keyed, dry run, name changed', { ...KEYED_V2, name: RENAMED }, true);
    await step('get keyed by key', () => client.getJob({ key: KEY }), describeJob);
    await step('update keyed name by key, expected_revision 2', () => client.updateJob({ key: KEY }, { name: RENAMED }, { expectedRevision: 2 }), describeJob);
    await step('update keyed, stale expected_revision 2', () => client.updateJob({ key: KEY }, { name: 'parity-keyed-stale' }, { expectedRevision: 2 }), describeJob);
    await step('update keyed, empty update_mask', () => client.updateJob({ key: KEY }, {}), describeJob);
    await create('create with a taken key', () => ({ ...VALID, name: 'parity-taken-key', key: KEY }));
    // A JobRef names a job one way; this one names it both ways, which the client refuses as the server would.
    await step('get with job_id and key', () => client.getJob({ id: keyed.id, key: KEY } as unknown as JobRef), describeJob);
    await create('create labelled', () => LABELLED);
    await list('list labels team=parity', { labels: { team: 'parity' } });
    await list('list labels team=parity tier=batch', { labels: { team: 'parity', tier: 'batch' } });
    await step('pause keyed by key', () => client.pauseJob({ key: KEY }), describeJob);
    await step('delete keyed by key', () => client.deleteJob({ key: KEY }), describeJob);
    await step('get keyed by key after delete', () => client.getJob({ key: KEY }), describeJob);
    await apply('apply keyed after delete', KEYED);
    await step('delete keyed, stale expected_revision 2', () => client.deleteJob({ key: KEY }, { expectedRevision: 2 }), describeJob);

    // 9. Policies, describe, waiting and watching.
    const t0 = cron.createdAt.getTime();
    const startAt = t0 + HOUR_MS;
    const policyJob = need(await create('create with policy', () => policyRequest(t0)), 'the policy job');
    const describe = (label: string, upcoming?: number) =>
      step(label, () => client.describeJob(policyJob.id, upcoming === undefined ? {} : { upcoming }), (d) => describeDescription(d, startAt));
    await describe('describe policy, upcoming 2', 2);
    await describe('describe policy');
    await describe('describe policy, upcoming 101', 101);
    const first = need(await step('trigger policy', () => client.triggerJob(policyJob.id), describeExecution), "the policy job's execution");
    await step("watch the trigger's execution", () => watchStream({ executionId: first.id }), describeStream);
    await step("wait for the trigger's execution", () => client.waitForExecution(first.id, { timeoutMs: WATCH_TIMEOUT_MS }), describeExecution);
    await step('get policy', () => client.getJob(policyJob.id), describeJob);
    await describe('describe policy after the trigger');
    await step('pause policy with a note', () => client.pauseJob(policyJob.id, { note: 'maintenance 窓' }), describeJob);
    await step('pause policy again, another note', () => client.pauseJob(policyJob.id, { note: 'ignored' }), describeJob);
    await step('trigger paused policy', () => client.triggerJob(policyJob.id), describeExecution);
    await describe('describe paused policy');
    await step('resume policy with a note', () => client.resumeJob(policyJob.id, { note: 'back' }), describeJob);
    await step('resume policy again, no note', () => client.resumeJob(policyJob.id), describeJob);
    await step('pause with a note of 513 code points', () => client.pauseJob(policyJob.id, { note: 'あ'.repeat(513) }), describeJob);

    // Runs in flight: the held job's runs stay RUNNING until it is cancelled.
    const held = need(await create('create held', () => HELD), 'the held job');
    await step('trigger held', () => client.triggerJob(held.id), describeExecution);
    await step('get held', () => client.getJob(held.id), describeJob);
    const watch = client.watchExecutions(held.id, { timeoutMs: WATCH_TIMEOUT_MS })[Symbol.asyncIterator]();
    const opened = await step(
      'watch held, first message',
      async () => {
        const r = await watch.next();
        if (r.done === true) throw new Error('the watch ended before its first message');
        return r.value;
      },
      describeExecution,
    );
    await step('trigger held again', () => client.triggerJob(held.id), describeExecution);
    await step('trigger held, overlap skip', () => client.triggerJob(held.id, { overlap: 'skip' }), describeExecution);
    await step('get held, two runs in flight', () => client.getJob(held.id), describeJob);
    await step('cancel held', () => client.cancelJob(held.id), describeJob);
    await step(
      'watch held, to the end',
      async () => {
        if (opened === undefined) return undefined;
        const rest: JobExecution[] = [];
        for (let r = await watch.next(); r.done !== true; r = await watch.next()) rest.push(r.value);
        return rest;
      },
      (rest) => (rest === undefined ? 'no watch' : describeStream(rest)),
    );
    await step('get held after cancel', () => client.getJob(held.id), describeJob);

    // Pause on failure.
    const failing = need(await create('create failing', () => FAILING), 'the failing job');
    const failed = await step('trigger failing', () => client.triggerJob(failing.id), describeExecution);
    await step('wait for failing', () => client.waitForExecution(failed?.id ?? MISSING_EXECUTION, { timeoutMs: WATCH_TIMEOUT_MS }), describeExecution);
    await step('get failing', () => client.getJob(failing.id), describeJob);

    // max_runs: the policy job's last two runs, then it completes.
    await step('trigger policy, second run', () => client.triggerJob(policyJob.id), describeExecution);
    await step('trigger policy, third run', () => client.triggerJob(policyJob.id), describeExecution);
    await step('get policy, max_runs reached', () => client.getJob(policyJob.id), describeJob);
    await step('trigger policy, no run left', () => client.triggerJob(policyJob.id), describeExecution);
    await describe('describe completed policy');
    await step('watch completed policy', () => collect(client.watchExecutions(policyJob.id, { timeoutMs: WATCH_TIMEOUT_MS })), describeStream);
    await step('list executions policy', () => client.getExecutions(policyJob.id), describeExecutions);

    // Errors.
    await step('watch with job_id and execution_id', () => watchStream({ jobId: policyJob.id, executionId: first.id }), describeStream);
    await step('wait for unknown execution', () => client.waitForExecution(MISSING_EXECUTION, { timeoutMs: WATCH_TIMEOUT_MS }), describeExecution);
    await step('watch missing', () => collect(client.watchExecutions(MISSING, { timeoutMs: WATCH_TIMEOUT_MS })), describeStream);
    await create('create policy jitter over 1 day', () => ({ ...VALID, policy: { jitterMs: 86_400_001 } }));
    await create('create policy end_at before start_at', () => ({ ...VALID, policy: { startAt: new Date(startAt), endAt: new Date(startAt - 1) } }));
  } finally {
    raw.close();
    await Promise.all([client.close(), slow.close()]);
  }
}

// --- Calls without the client: typed requests it would refuse, and raw bytes ------------------------

/** A plain grpc-js channel to the scheduler, with no validation and, for raw bytes, no serializer. */
function rawSchedulerClient(address: string) {
  const channel = new grpc.Client(address, grpc.credentials.createInsecure());
  const identity = (bytes: Buffer): Buffer => bytes;
  const bytes = (rpc: RpcName, request: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      channel.makeUnaryRequest(`/${SCHEDULER_SERVICE}/${rpc}`, identity, identity, request, (error, response) =>
        error !== null || response === undefined ? reject(error) : resolve(response),
      );
    });
  const typed = async <R extends RpcName>(rpc: R, request: RpcRequest<R>): Promise<RpcResponse<R>> => {
    const method = schedulerMethods()[rpc];
    return method.responseDeserialize(await bytes(rpc, method.requestSerialize(request)));
  };
  const stream = (request: Partial<RpcRequest<'WatchExecutions'>>, timeoutMs: number): Promise<RpcResponse<'WatchExecutions'>[]> =>
    new Promise((resolve, reject) => {
      const method = schedulerMethods().WatchExecutions;
      const messages: RpcResponse<'WatchExecutions'>[] = [];
      const call = channel.makeServerStreamRequest(
        `/${SCHEDULER_SERVICE}/WatchExecutions`,
        method.requestSerialize,
        method.responseDeserialize,
        { jobId: '', key: '', executionId: '', ...request },
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
      );
      call.on('data', (m: RpcResponse<'WatchExecutions'>) => messages.push(m));
      call.on('error', reject);
      call.on('status', (status: grpc.StatusObject) => {
        if (status.code === grpc.status.OK) resolve(messages);
      });
    });
  return { bytes, typed, stream, close: () => channel.close() };
}

// --- The transcript format: the same in every language ---------------------------------------------

const statusName = (s: Job['status']) => `JOB_STATUS_${s.toUpperCase()}`;
const resultName = (r: JobExecution['result']) => `EXECUTION_RESULT_${r.toUpperCase()}`;
const time = (d: Date | undefined) => (d === undefined ? '-' : d.toISOString());
const GRPC_STATUS_NAMES = Object.fromEntries(Object.entries(GrpcCode).map(([name, n]) => [n, name])) as Record<number, string>;
// The proto's error table, for calls made without the client. CONFLICT has two statuses:
// ALREADY_EXISTS for a key that another job has (field key), ABORTED for an expected_revision.
const STATUS_OF_REASON: Record<string, number> = {
  JOB_NOT_FOUND: GrpcCode.NOT_FOUND,
  INVALID_SCHEDULE: GrpcCode.INVALID_ARGUMENT,
  INVALID_ARGUMENT: GrpcCode.INVALID_ARGUMENT,
  INVALID_STATE: GrpcCode.FAILED_PRECONDITION,
  CONFLICT: GrpcCode.ABORTED,
  TIMEOUT: GrpcCode.DEADLINE_EXCEEDED,
  CANCELLED: GrpcCode.CANCELLED,
};
const statusOfReason = (reason: string, field: string | undefined): number | undefined =>
  reason === 'CONFLICT' && field === 'key' ? GrpcCode.ALREADY_EXISTS : STATUS_OF_REASON[reason];
const REASON_OF_STATUS: Record<number, string> = {
  [GrpcCode.NOT_FOUND]: 'JOB_NOT_FOUND',
  [GrpcCode.INVALID_ARGUMENT]: 'INVALID_ARGUMENT',
  [GrpcCode.FAILED_PRECONDITION]: 'INVALID_STATE',
  [GrpcCode.ALREADY_EXISTS]: 'CONFLICT',
  [GrpcCode.DEADLINE_EXCEEDED]: 'TIMEOUT',
  [GrpcCode.CANCELLED]: 'CANCELLED',
};

const withField = (code: string, field: string | undefined) => (field === undefined || field === '' ? code : `${code} field=${field}`);

function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === 'number' && (error as Partial<grpc.ServiceError>).metadata instanceof grpc.Metadata;
}

/**
 * An error outcome: `<code>`, then ` field=<proto field path>` when the error names a field. The
 * client's SchedulerError names the field the way the server's ErrorInfo does, whether it refused
 * the request itself or the server did. A call made without the client reads the status as the
 * Python and Go scenarios do, with the same suffixes.
 */
function describeError(error: unknown): string {
  if (isServiceError(error)) {
    if (error.code === GrpcCode.DEADLINE_EXCEEDED || error.code === GrpcCode.CANCELLED) return REASON_OF_STATUS[error.code]!;
    const bin = error.metadata.get('grpc-status-details-bin')[0];
    const info = bin instanceof Buffer ? decodeStatus(bin)?.errorInfo : undefined;
    if (info === undefined) return `${REASON_OF_STATUS[error.code] ?? 'SERVER_ERROR'} (no ErrorInfo)`;
    const outcome = withField(info.reason, info.metadata.field);
    if (info.domain !== ERROR_DOMAIN) return `${outcome} (domain "${info.domain}")`;
    const expected = statusOfReason(info.reason, info.metadata.field);
    if (expected !== undefined && expected !== error.code) return `${outcome} (but gRPC status ${GRPC_STATUS_NAMES[error.code] ?? error.code})`;
    return outcome;
  }
  const e = SchedulerError.from(error);
  return withField(e.code, e.field);
}

function describeSchedule(s: Job['schedule']): string {
  switch (s.type) {
    case 'cron':
      return `cron(${s.expression}, ${s.timezone ?? ''})`;
    case 'one_shot':
      return `one_shot(${time(s.runAt)})`;
    case 'interval':
      return `interval(${s.intervalMs}ms)`;
  }
}

/** JSON with sorted keys and no white space; numbers as JSON.stringify writes them. */
function canonicalJson(value: JsonValue): string {
  const sort = (v: JsonValue): JsonValue =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k]!)])) : v;
  return JSON.stringify(sort(value));
}

/** Every execution an iteration yields, to its end. */
async function collect(executions: AsyncIterable<JobExecution>): Promise<JobExecution[]> {
  const out: JobExecution[] = [];
  for await (const e of executions) out.push(e);
  return out;
}

const ms = (value: number | undefined) => (value === undefined ? '-' : `${value}ms`);
const OVERLAP_NAMES = { skip: 'OVERLAP_POLICY_SKIP', buffer_one: 'OVERLAP_POLICY_BUFFER_ONE', allow_all: 'OVERLAP_POLICY_ALLOW_ALL' } as const;

/** A policy as the server returns it; `-` for a field left unset. */
function describePolicy(p: JobPolicy | undefined): string {
  if (p === undefined) return '-';
  const b = p.retryBackoff;
  return `{${[
    `overlap=${OVERLAP_NAMES[p.overlap] ?? 'OVERLAP_POLICY_UNSPECIFIED'}`,
    `catchup_window=${ms(p.catchupWindowMs)}`,
    `start_at=${time(p.startAt)}`,
    `end_at=${time(p.endAt)}`,
    `max_runs=${p.maxRuns ?? 0}`,
    `jitter=${ms(p.jitterMs)}`,
    `retry_backoff=${b === undefined ? '-' : `${ms(b.initialMs)}/${ms(b.maxMs)}/${b.multiplier ?? 0}`}`,
    `pause_on_failure=${p.pauseOnFailure === true}`,
  ].join(',')}}`;
}

/** The counters, by their proto names. */
const describeStats = (s: Job['stats']) =>
  `{runs:${s.runs},succeeded:${s.succeeded},failed:${s.failed},timed_out:${s.timedOut},skipped:${s.skipped},missed:${s.missed}}`;

/**
 * A DescribeJob response: the job, its upcoming due times, the scheduled instants they belong to
 * (the policy job fires every hour from `startAt`, and its jitter is shorter than an hour), and
 * whether each due time is its instant plus the jitter delay that this client computes.
 */
function describeDescription(d: JobDescription, startAt: number): string {
  const due = d.upcomingRuns.map((t) => t.getTime());
  const scheduled = due.map((t) => startAt + Math.floor((t - startAt) / POLICY_EVERY_MS) * POLICY_EVERY_MS);
  const jitterOk = due.every((t, i) => t - scheduled[i]! === jitterDelay(d.job.id, scheduled[i]!, POLICY_JITTER_MS));
  const times = (list: number[]) => `[${list.map((t) => new Date(t).toISOString()).join(',')}]`;
  return `${describeJob(d.job)} upcoming=${times(due)} scheduled=${times(scheduled)} jitter_ok=${jitterOk}`;
}

/** The messages of a WatchExecutions stream that ended OK. */
function describeStream(executions: JobExecution[]): string {
  return `${executions.length} message(s)${executions.length ? ': ' : ''}${executions.map(describeExecution).join('; ')}`;
}

function describeJob(job: Job): string {
  return [
    statusName(job.status),
    `job=${job.id}`,
    `name=${job.name}`,
    `schedule=${describeSchedule(job.schedule)}`,
    `payload=${canonicalJson(job.payload)}`,
    `max_retries=${job.maxRetries}`,
    `timeout_secs=${job.timeoutSecs}`,
    `created_at=${time(job.createdAt)}`,
    `next_run_at=${time(job.nextRunAt)}`,
    `key=${job.key ?? '-'}`,
    `labels=${canonicalJson(job.labels)}`,
    `revision=${job.revision}`,
    `policy=${describePolicy(job.policy)}`,
    `stats=${describeStats(job.stats)}`,
    `last_run_at=${time(job.lastRunAt)}`,
    `last_result=${job.lastResult === undefined ? 'EXECUTION_RESULT_UNSPECIFIED' : resultName(job.lastResult)}`,
    `running=(${job.runningExecutions.map((e) => `exec=${e.id}`).join(',')})`,
    `remaining_runs=${job.remainingRuns ?? 0}`,
    // Last: the note is free text.
    `status_note=${job.statusNote === undefined || job.statusNote === '' ? '-' : job.statusNote}`,
  ].join(' ');
}

/** An ApplyJob outcome: the action, the changed fields by their proto names, then the job (`no job` when a dry run would create it). */
function describeApply(result: ApplyJobResult): string {
  const action = `APPLY_ACTION_${result.action.toUpperCase()}`;
  const changed = result.changedFields.map((f) => SPEC_FIELD_PROTO_NAMES[f]).join(',');
  return `${action} changed_fields=[${changed}] ${result.job === undefined ? 'no job' : describeJob(result.job)}`;
}

function describeJobs(jobs: Job[]): string {
  return `${jobs.length} job(s)${jobs.length ? ': ' : ''}${jobs.map((j) => `${j.name} (${statusName(j.status)} job=${j.id})`).join(', ')}`;
}

function describeExecution(e: JobExecution): string {
  return [
    resultName(e.result),
    `exec=${e.id}`,
    `job=${e.jobId}`,
    `attempt=${e.attempt}`,
    `started_at=${time(e.startedAt)}`,
    `finished_at=${time(e.finishedAt)}`,
    `error=${e.error ?? '-'}`,
  ].join(' ');
}

function describeExecutions(executions: JobExecution[]): string {
  return `${executions.length} execution(s)${executions.length ? ': ' : ''}${executions.map(describeExecution).join('; ')}`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const address = process.argv[2] ?? process.env.K1S0_SCHEDULER_ADDR;
  if (!address) {
    process.stderr.write('usage: node --import tsx conformance/ts/scenario.ts HOST:PORT (or set K1S0_SCHEDULER_ADDR)\n');
    process.exit(2);
  }
  await runScenario(address, (line) => process.stdout.write(`${line}\n`));
}
