import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcSchedulerClient, InMemorySchedulerClient, Schedule, VirtualClock } from '../src/index.js';
import { startSchedulerServer, type SchedulerServer } from '../src/testing.js';
import { expectCode } from './support/expect-code.js';
import { MAX_MESSAGE_BYTES } from '../src/grpc/service.js';
import { delayInterceptor } from './support/interceptors.js';
import { rawClient, type RawResult } from './support/raw-client.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(options: Parameters<typeof startSchedulerServer>[0] = {}): Promise<SchedulerServer> {
  const server = await startSchedulerServer({ clock: new VirtualClock(), ...options });
  cleanups.push(() => server.close({ graceMs: 100 }));
  return server;
}

function raw(address: string, service: 'scheduler' | 'health' = 'scheduler') {
  const r = rawClient(address, service);
  cleanups.push(() => r.close());
  return r;
}

const seconds = (ms: number) => ({ seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 });
const valid = () => ({ name: 'raw', schedule: { interval: { every: { seconds: '60', nanos: 0 } } }, payload: { nullValue: 'NULL_VALUE' } });

function ok(result: RawResult) {
  if (!result.ok) throw new Error(`call failed: ${result.details}`);
  return result.response;
}

function expectError(result: RawResult, grpcCode: number, reason: string, field?: string): void {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (result.ok) return;
  expect(result.code).toBe(grpcCode);
  expect(result.status?.errorInfo?.reason).toBe(reason);
  expect(result.status?.errorInfo?.domain).toBe('scheduler.k1s0.system');
  expect(result.status?.code).toBe(grpcCode);
  if (field !== undefined) expect(result.status?.errorInfo?.metadata.field?.startsWith(field), result.status?.errorInfo?.metadata.field).toBe(true);
}

describe('reference server: validation of unvalidated clients', () => {
  const deep = (n: number): object => (n === 0 ? { numberValue: 1 } : { listValue: { values: [deep(n - 1)] } });
  const cases: [string, object, number, string, string?][] = [
    ['empty name', { name: '' }, grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'name'],
    ['name of 129 characters', { name: 'n'.repeat(129) }, grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'name'],
    ['no schedule', { schedule: null }, grpc.status.INVALID_ARGUMENT, 'INVALID_SCHEDULE', 'schedule'],
    ['bad cron', { schedule: { cron: { expression: '99 * * * *', timezone: '' } } }, grpc.status.INVALID_ARGUMENT, 'INVALID_SCHEDULE', 'schedule.cron.expression'],
    ['unknown time zone', { schedule: { cron: { expression: '* * * * *', timezone: 'Nowhere/City' } } }, grpc.status.INVALID_ARGUMENT, 'INVALID_SCHEDULE', 'schedule.cron.timezone'],
    ['one-shot in the past', { schedule: { oneShot: { runAt: seconds(Date.now() - 3_600_000) } } }, grpc.status.INVALID_ARGUMENT, 'INVALID_SCHEDULE', 'schedule.one_shot.run_at'],
    ['interval under 1 s', { schedule: { interval: { every: { seconds: '0', nanos: 999_000_000 } } } }, grpc.status.INVALID_ARGUMENT, 'INVALID_SCHEDULE', 'schedule.interval.every'],
    ['interval with sub-millisecond digits', { schedule: { interval: { every: { seconds: '5', nanos: 1 } } } }, grpc.status.INVALID_ARGUMENT, 'INVALID_SCHEDULE', 'schedule.interval.every'],
    ['payload 33 levels deep', { payload: deep(33) }, grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'payload'],
    ['max_retries -1', { maxRetries: -1 }, grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'max_retries'],
    ['max_retries 101', { maxRetries: 101 }, grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'max_retries'],
    ['timeout_secs 0', { timeoutSecs: 0 }, grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'timeout_secs'],
    ['request_id of 129 characters', { requestId: 'r'.repeat(129) }, grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'request_id'],
    [
      'a payload key named __proto__ (which protobufjs would drop)',
      { payload: { structValue: { fields: { a: { structValue: { fields: JSON.parse('{"__proto__":{"numberValue":1}}') } } } } } },
      grpc.status.INVALID_ARGUMENT,
      'INVALID_ARGUMENT',
      'payload/a',
    ],
  ];
  for (const [what, patch, code, reason, field] of cases) {
    it(`CreateJob refuses ${what} with ${reason} in ErrorInfo`, async () => {
      const server = await serve();
      const r = raw(server.address);
      expectError(await r.call('CreateJob', { ...valid(), ...patch }), code, reason, field);
      const list = await r.call('ListJobs', {});
      expect(list.ok && (list.response.jobs as unknown[]).length).toBe(0);
    });
  }

  it('applies the defaults for unset optional fields and reads an unset payload as null', async () => {
    const server = await serve();
    const r = raw(server.address);
    const created = await r.call('CreateJob', { name: 'defaults', schedule: valid().schedule });
    expect(created.ok).toBe(true);
    const job = ok(created).job;
    expect(job).toMatchObject({ maxRetries: 3, timeoutSecs: 60, status: 'JOB_STATUS_PENDING', payload: { nullValue: 'NULL_VALUE' } });
    const zero = await r.call('CreateJob', { ...valid(), maxRetries: 0 });
    expect(ok(zero).job.maxRetries).toBe(0);
  });

  it('honours request_id across clients and refuses its reuse for another request', async () => {
    const server = await serve();
    const r = raw(server.address);
    const a = await r.call('CreateJob', { ...valid(), requestId: 'same' });
    const b = await r.call('CreateJob', { ...valid(), requestId: 'same' });
    expect(a.ok && b.ok).toBe(true);
    expect(ok(a).job.id).toBe(ok(b).job.id);
    expectError(await r.call('CreateJob', { ...valid(), name: 'other', requestId: 'same' }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'request_id');
  });

  it('maps every error code of the table onto the wire', async () => {
    const server = await serve();
    const r = raw(server.address);
    expectError(await r.call('GetJob', { jobId: '' }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expectError(await r.call('GetJob', { jobId: 'missing' }), grpc.status.NOT_FOUND, 'JOB_NOT_FOUND');
    const created = ok(await r.call('CreateJob', valid()));
    const id = created.job.id as string;
    await r.call('CancelJob', { jobId: id });
    const state = await r.call('PauseJob', { jobId: id });
    expectError(state, grpc.status.FAILED_PRECONDITION, 'INVALID_STATE');
    expect(!state.ok && state.status?.errorInfo?.metadata.job_id).toBe(id);
    expect(!state.ok && state.status?.errorInfo?.metadata.operation).toBe('PauseJob');
  });

  it('pages ListJobs and ListExecutions with tokens bound to their filter', async () => {
    const server = await serve();
    const r = raw(server.address);
    for (let i = 0; i < 5; i++) await r.call('CreateJob', { ...valid(), name: `p-${i}` });
    const first = ok(await r.call('ListJobs', { pageSize: 2 }));
    const names = (page: { jobs: { name: string }[] }) => page.jobs.map((j) => j.name);
    expect(names(first)).toEqual(['p-0', 'p-1']);
    const second = ok(await r.call('ListJobs', { pageSize: 2, pageToken: first.nextPageToken }));
    expect(names(second)).toEqual(['p-2', 'p-3']);
    const last = ok(await r.call('ListJobs', { pageSize: 2, pageToken: second.nextPageToken }));
    expect(names(last)).toEqual(['p-4']);
    expect(last.nextPageToken).toBe('');
    expectError(await r.call('ListJobs', { pageSize: 2, namePrefix: 'p-', pageToken: first.nextPageToken }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'page_token');
    expectError(await r.call('ListJobs', { pageToken: 'garbage' }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'page_token');
    expectError(await r.call('ListJobs', { pageSize: 1001 }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'page_size');
    expectError(await r.call('ListJobs', { pageSize: -1 }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'page_size');
    // The rule of the SDK's pageSize (see the contract suite), with the proto's spelling of "unset".
    const tooBig = await r.call('ListExecutions', { jobId: 'any', pageSize: 1001 });
    expect(!tooBig.ok && tooBig.details).toBe('ListExecutions: page_size must be an integer from 1 to 1000 (0 means 100), got 1001');
    expect(ok(await r.call('ListJobs', { pageSize: 0 })).jobs.length).toBe(5);
    const job = first.jobs[0].id as string;
    await server.advanceTime(180_000);
    const e1 = ok(await r.call('ListExecutions', { jobId: job, pageSize: 2 }));
    expect(e1.executions.length).toBe(2);
    const e2 = ok(await r.call('ListExecutions', { jobId: job, pageSize: 2, pageToken: e1.nextPageToken }));
    expect(e2.executions.map((e: { attempt: number }) => e.attempt)).toEqual([1]);
    expect(e2.nextPageToken).toBe('');
    expectError(await r.call('ListExecutions', { jobId: first.jobs[1].id, pageToken: e1.nextPageToken }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'page_token');
  });

  it('keeps a page of large payloads within the message size limit', async () => {
    const server = await serve();
    const client = new GrpcSchedulerClient(server.address);
    cleanups.push(() => client.close());
    // 17 payloads of 1,000,000 characters: together more than the 16 MiB a message may carry, so
    // one page of all of them would be refused. Strings keep encoding cheap (one Value each).
    const count = 17;
    const big = (i: number): string => String.fromCharCode(97 + i).repeat(1_000_000);
    expect(count * 1_000_000).toBeGreaterThan(MAX_MESSAGE_BYTES);
    for (let i = 0; i < count; i++) await client.createJob({ name: `big-${i}`, schedule: Schedule.interval(60_000), payload: big(i) });
    const r = raw(server.address);
    const page = (await r.call('ListJobs', { pageSize: 1000 })) as { ok: boolean; response: { jobs: unknown[]; nextPageToken: string } };
    expect(page.ok).toBe(true);
    expect(page.response.jobs.length).toBeLessThan(count);
    expect(page.response.nextPageToken).not.toBe('');
    const jobs = await client.listJobs();
    expect(jobs.map((job) => job.name)).toEqual(Array.from({ length: count }, (_, i) => `big-${i}`));
    expect(jobs.every((job, i) => job.payload === big(i))).toBe(true);
  });
});

describe('reference server: health and shutdown', () => {
  it('serves grpc.health.v1 Check and Watch', async () => {
    const server = await serve();
    const h = raw(server.address, 'health');
    expect(await h.call('Check', { service: '' })).toEqual({ ok: true, response: { status: 'SERVING' } });
    expect(await h.call('Check', { service: 'k1s0.system.scheduler.v2.SchedulerService' })).toEqual({ ok: true, response: { status: 'SERVING' } });
    const unknown = await h.call('Check', { service: 'nope' });
    expect(unknown.ok === false && unknown.code).toBe(grpc.status.NOT_FOUND);
    const stream = (h.client as unknown as { Watch: (req: object) => grpc.ClientReadableStream<{ status: string }> }).Watch({ service: '' });
    const statuses: string[] = [];
    const ended = new Promise<void>((resolve) => {
      stream.on('data', (m) => {
        statuses.push(m.status);
        if (statuses.length === 1) void server.close({ graceMs: 500 });
      });
      stream.on('end', resolve);
      stream.on('error', () => resolve());
    });
    await ended;
    expect(statuses).toEqual(['SERVING', 'NOT_SERVING']);
  });

  it('shuts down gracefully: a call in flight finishes, new calls are refused', async () => {
    const server = await startSchedulerServer({ clock: new VirtualClock(), interceptors: [delayInterceptor('ListJobs', 300)] });
    const client = new GrpcSchedulerClient({ address: server.address, retry: false });
    cleanups.push(() => client.close());
    await client.createJob({ name: 'x', schedule: Schedule.interval(60_000), payload: null });
    const inFlight = client.listJobs();
    await new Promise((r) => setTimeout(r, 50));
    const closed = server.close({ graceMs: 5000 });
    const refused = await new GrpcSchedulerClient({ address: server.address, retry: false }).getJob('x').then(
      () => 'answered',
      (e: { code: string; grpcCode: number }) => e.grpcCode,
    );
    expect(refused).toBe(grpc.status.UNAVAILABLE);
    expect((await inFlight).map((j) => j.name)).toEqual(['x']);
    await closed;
  });

  it('advanceTime is refused on a server that runs on the real clock', async () => {
    const server = await startSchedulerServer();
    cleanups.push(() => server.close());
    await expect(server.advanceTime(1000)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(Math.abs(server.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('advanceTime refuses a negative or non-finite ms as the in-memory client does', async () => {
    const server = await serve();
    const memory = new InMemorySchedulerClient({ clock: new VirtualClock() });
    cleanups.push(() => memory.close());
    const before = server.now().getTime();
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const error = await expectCode(server.advanceTime(ms), 'INVALID_ARGUMENT');
      expect(error).toMatchObject({ operation: 'advanceTime', field: 'ms', limit: 'a finite number >= 0' });
      expect(error.message).toBe(`advanceTime: ms must be a finite number >= 0, got ${ms}`);
      const same = await expectCode(memory.advanceTime(ms), 'INVALID_ARGUMENT');
      expect(same.message).toBe(error.message);
    }
    expect(server.now().getTime()).toBe(before);
  });
});
