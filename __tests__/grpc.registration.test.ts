// Keys, revisions, labels, ApplyJob, UpdateJob and DeleteJob over real HTTP/2: the reference server
// answering requests no SDK checked (raw wire requests, as another language's client sends them),
// and GrpcSchedulerClient's own side (what it sends, retries and refuses to read).
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { Schedule } from '../src/index.js';
import { MASK_LIMIT } from '../src/validation.js';
import { expectCode } from './support/expect-code.js';
import { loseResponsesInterceptor, recordingInterceptor } from './support/interceptors.js';
import type { RawResult } from './support/raw-client.js';
import { grpcHarness } from './support/grpc-harness.js';

const { serve, connect, raw } = grpcHarness();

const EVERY_MINUTE = { interval: { every: { seconds: '60', nanos: 0 } } };
const spec = (patch: object = {}) => ({ name: 'report', schedule: EVERY_MINUTE, payload: { nullValue: 'NULL_VALUE' }, ...patch });
const INT64_MAX = '9223372036854775807';
const ABOVE_SAFE = '9007199254740992'; // 2^53, the first integer above Number.MAX_SAFE_INTEGER

function ok(result: RawResult) {
  if (!result.ok) throw new Error(`call failed: ${result.details}`);
  return result.response;
}

/** The ErrorInfo of a failed raw call, after checking its gRPC status and reason. */
function errorOf(result: RawResult, grpcCode: number, reason: string): Record<string, string> {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.code, result.details).toBe(grpcCode);
  expect(result.status?.errorInfo?.reason, result.details).toBe(reason);
  expect(result.status?.errorInfo?.domain).toBe('scheduler.k1s0.system');
  return result.status!.errorInfo!.metadata;
}

/** Creates a job with key `key` through ApplyJob and returns its wire form. */
async function applied(r: ReturnType<typeof raw>, key: string, patch: object = {}) {
  const response = ok(await r.call('ApplyJob', { key, spec: spec(patch) }));
  expect(response.action).toBe('APPLY_ACTION_CREATED');
  return response.job as { id: string; revision: string; key: string };
}

// Every RPC that names one job, with the rest of a request that is valid.
const NAMING: [string, object][] = [
  ['GetJob', {}],
  ['PauseJob', {}],
  ['ResumeJob', {}],
  ['CancelJob', {}],
  ['TriggerJob', {}],
  ['ListExecutions', {}],
  ['UpdateJob', { spec: spec({ name: 'renamed' }), updateMask: { paths: ['name'] } }],
  ['DeleteJob', {}],
];

describe('reference server: a job named by job_id or key', () => {
  for (const [rpc, rest] of NAMING) {
    it(`${rpc} refuses both job_id and key, and neither, and finds a job by either`, async () => {
      const server = await serve();
      const r = raw(server.address);
      const job = await applied(r, 'k-1');
      const both = errorOf(await r.call(rpc, { ...rest, jobId: job.id, key: 'k-1' }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
      expect(both).toMatchObject({ operation: rpc, field: 'key', limit: 'one of job_id, key' });
      const neither = errorOf(await r.call(rpc, { ...rest }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
      expect(neither).toMatchObject({ operation: rpc, field: 'job_id', limit: '1..128 code points' });
      const missing = errorOf(await r.call(rpc, { ...rest, key: 'no-such-key' }), grpc.status.NOT_FOUND, 'JOB_NOT_FOUND');
      expect(missing).toMatchObject({ operation: rpc, field: 'key' });
      // Nothing was done by the refused calls.
      expect(ok(await r.call('GetJob', { jobId: job.id })).job).toMatchObject({ revision: '1', status: 'JOB_STATUS_PENDING', name: 'report' });
      expect(ok(await r.call(rpc, { ...rest, key: 'k-1' }))).toBeTruthy();
    });
  }

  it('reads and changes a job by key: GetJob, PauseJob, ResumeJob, TriggerJob, ListExecutions', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = await applied(r, 'nightly');
    expect(ok(await r.call('GetJob', { key: 'nightly' })).job.id).toBe(job.id);
    expect(ok(await r.call('PauseJob', { key: 'nightly' })).job).toMatchObject({ id: job.id, status: 'JOB_STATUS_PAUSED', revision: '2' });
    expect(ok(await r.call('ResumeJob', { key: 'nightly' })).job).toMatchObject({ status: 'JOB_STATUS_PENDING', revision: '3' });
    expect(ok(await r.call('TriggerJob', { key: 'nightly' })).execution.jobId).toBe(job.id);
    expect(ok(await r.call('ListExecutions', { key: 'nightly' })).executions.map((e: { jobId: string }) => e.jobId)).toEqual([job.id]);
  });

  it('a ListExecutions page token by key is bound to the job the key names', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = await applied(r, 'often');
    const other = await applied(r, 'other');
    await server.advanceTime(180_000);
    const first = ok(await r.call('ListExecutions', { key: 'often', pageSize: 2 }));
    expect(first.executions.length).toBe(2);
    // The same job by id takes the token; another job, by key or id, does not.
    const rest = ok(await r.call('ListExecutions', { jobId: job.id, pageSize: 2, pageToken: first.nextPageToken }));
    expect(rest.executions.length).toBe(1);
    expect(errorOf(await r.call('ListExecutions', { key: 'other', pageToken: first.nextPageToken }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT').field).toBe('page_token');
    expect(errorOf(await r.call('ListExecutions', { jobId: other.id, pageToken: first.nextPageToken }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT').field).toBe('page_token');
  });
});

describe('reference server: CONFLICT on the wire', () => {
  it('a key another job has is ALREADY_EXISTS with reason CONFLICT, field key and the holder as job_id', async () => {
    const server = await serve();
    const r = raw(server.address);
    const holder = await applied(r, 'taken');
    const info = errorOf(await r.call('CreateJob', { ...spec(), key: 'taken' }), grpc.status.ALREADY_EXISTS, 'CONFLICT');
    expect(info).toMatchObject({ operation: 'CreateJob', field: 'key', job_id: holder.id, limit: 'a key no other job has' });
    expect(ok(await r.call('ListJobs', {})).jobs.length).toBe(1);
  });

  it('an expected_revision that is not current is ABORTED with reason CONFLICT, field expected_revision and the job id', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = await applied(r, 'guarded');
    const update = { key: 'guarded', spec: spec({ name: 'new' }), updateMask: { paths: ['name'] } };
    for (const [rpc, request] of [
      ['UpdateJob', { ...update, expectedRevision: '2' }],
      ['DeleteJob', { key: 'guarded', expectedRevision: '2' }],
      ['ApplyJob', { key: 'guarded', spec: spec({ name: 'new' }), expectedRevision: '2' }],
      ['ApplyJob', { key: 'guarded', spec: spec({ name: 'new' }), expectedRevision: '0' }],
    ] as const) {
      const info = errorOf(await r.call(rpc, request), grpc.status.ABORTED, 'CONFLICT');
      expect(info).toMatchObject({ operation: rpc, field: 'expected_revision', job_id: job.id, limit: "the job's current revision" });
    }
    // ApplyJob naming a revision when no job has the key: CONFLICT without a job id.
    const none = errorOf(await r.call('ApplyJob', { key: 'absent', spec: spec(), expectedRevision: '1' }), grpc.status.ABORTED, 'CONFLICT');
    expect(none).toMatchObject({ field: 'expected_revision' });
    expect(none.job_id).toBeUndefined();
    expect(ok(await r.call('GetJob', { key: 'guarded' })).job).toMatchObject({ name: 'report', revision: '1' });
    expect(ok(await r.call('UpdateJob', { ...update, expectedRevision: '1' })).job).toMatchObject({ name: 'new', revision: '2' });
  });

  it('refuses a negative expected_revision (and 0 where a job must exist) as INVALID_ARGUMENT with the int64 range', async () => {
    const server = await serve();
    const r = raw(server.address);
    await applied(r, 'j');
    const cases: [string, object, string][] = [
      ['ApplyJob', { key: 'j', spec: spec(), expectedRevision: '-1' }, `0..${INT64_MAX}`],
      ['ApplyJob', { key: 'j', spec: spec(), expectedRevision: '-9223372036854775808' }, `0..${INT64_MAX}`],
      ['UpdateJob', { key: 'j', spec: spec({ name: 'x' }), updateMask: { paths: ['name'] }, expectedRevision: '0' }, `1..${INT64_MAX}`],
      ['UpdateJob', { key: 'j', spec: spec({ name: 'x' }), updateMask: { paths: ['name'] }, expectedRevision: '-1' }, `1..${INT64_MAX}`],
      ['DeleteJob', { key: 'j', expectedRevision: '0' }, `1..${INT64_MAX}`],
      ['DeleteJob', { key: 'j', expectedRevision: '-5' }, `1..${INT64_MAX}`],
    ];
    for (const [rpc, request, limit] of cases) {
      const info = errorOf(await r.call(rpc, request), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
      expect(info, `${rpc} ${JSON.stringify(request)}`).toMatchObject({ operation: rpc, field: 'expected_revision', limit });
    }
    expect(ok(await r.call('GetJob', { key: 'j' })).job).toMatchObject({ name: 'report', revision: '1' });
    // The fields before expected_revision are reported first.
    const specFirst = errorOf(await r.call('ApplyJob', { key: 'j', spec: spec({ name: '' }), expectedRevision: '-1' }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(specFirst.field).toBe('spec.name');
    const refFirst = errorOf(await r.call('DeleteJob', { expectedRevision: '0' }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(refFirst.field).toBe('job_id');
  });

  it('a valid expected_revision above 2^53 never matches: CONFLICT naming the exact value, after JOB_NOT_FOUND and INVALID_SCHEDULE', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = await applied(r, 'big');
    for (const huge of [ABOVE_SAFE, INT64_MAX]) {
      const requests: [string, object][] = [
        ['ApplyJob', { key: 'big', spec: spec({ name: 'changed' }), expectedRevision: huge }],
        ['ApplyJob', { key: 'big', spec: spec(), expectedRevision: huge }],
        ['UpdateJob', { key: 'big', spec: spec({ name: 'changed' }), updateMask: { paths: ['name'] }, expectedRevision: huge }],
        ['DeleteJob', { jobId: job.id, expectedRevision: huge }],
      ];
      for (const [rpc, request] of requests) {
        const result = await r.call(rpc, request);
        const info = errorOf(result, grpc.status.ABORTED, 'CONFLICT');
        expect(info).toMatchObject({ operation: rpc, field: 'expected_revision', job_id: job.id, limit: "the job's current revision" });
        expect(!result.ok && result.details).toContain(`not revision ${huge};`);
      }
      const created = errorOf(await r.call('ApplyJob', { key: 'new-key', spec: spec(), expectedRevision: huge }), grpc.status.ABORTED, 'CONFLICT');
      expect(created.job_id).toBeUndefined();
      // What comes before CONFLICT in the order of errors is reported instead.
      expect(errorOf(await r.call('DeleteJob', { key: 'none', expectedRevision: huge }), grpc.status.NOT_FOUND, 'JOB_NOT_FOUND').field).toBe('key');
      const past = { oneShot: { runAt: { seconds: String(Math.floor(server.now().getTime() / 1000) - 3600), nanos: 0 } } };
      const late = errorOf(
        await r.call('UpdateJob', { key: 'big', spec: spec({ schedule: past }), updateMask: { paths: ['schedule'] }, expectedRevision: huge }),
        grpc.status.INVALID_ARGUMENT,
        'INVALID_SCHEDULE',
      );
      expect(late.field).toBe('spec.schedule.one_shot.run_at');
      expect(errorOf(await r.call('ApplyJob', { key: 'other', spec: spec({ schedule: past }), expectedRevision: huge }), grpc.status.INVALID_ARGUMENT, 'INVALID_SCHEDULE').field).toBe(
        'spec.schedule.one_shot.run_at',
      );
    }
    expect(ok(await r.call('ListJobs', {})).jobs).toMatchObject([{ id: job.id, name: 'report', revision: '1' }]);
  });

  it('an ended job with another spec and an expected_revision above 2^53 is a CONFLICT, which comes before INVALID_STATE', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = await applied(r, 'ended');
    ok(await r.call('CancelJob', { key: 'ended' }));
    const info = errorOf(await r.call('ApplyJob', { key: 'ended', spec: spec({ name: 'changed' }), expectedRevision: ABOVE_SAFE }), grpc.status.ABORTED, 'CONFLICT');
    expect(info.job_id).toBe(job.id);
    expect(errorOf(await r.call('ApplyJob', { key: 'ended', spec: spec({ name: 'changed' }) }), grpc.status.FAILED_PRECONDITION, 'INVALID_STATE').limit).toBe('a job that has not ended');
  });
});

describe('reference server: UpdateJob', () => {
  it('refuses an empty, unknown or repeated update_mask path on update_mask with the mask limit, before the spec', async () => {
    const server = await serve();
    const r = raw(server.address);
    await applied(r, 'm');
    for (const paths of [[], ['maxRetries'], ['spec.name'], ['name', 'name'], ['labels', 'max_retries', 'labels'], ['']]) {
      const info = errorOf(await r.call('UpdateJob', { key: 'm', spec: spec({ name: '' }), updateMask: { paths } }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
      expect(info, JSON.stringify(paths)).toMatchObject({ operation: 'UpdateJob', field: 'update_mask', limit: MASK_LIMIT });
    }
    const unset = errorOf(await r.call('UpdateJob', { key: 'm', spec: spec() }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(unset.field).toBe('update_mask');
    // job_id and key come first.
    expect(errorOf(await r.call('UpdateJob', { spec: spec(), updateMask: { paths: [] } }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT').field).toBe('job_id');
    expect(ok(await r.call('GetJob', { key: 'm' })).job.revision).toBe('1');
  });

  it('reads only the fields the mask names, and resets a named optional field that is unset to its default', async () => {
    const server = await serve();
    const r = raw(server.address);
    await applied(r, 'u', { maxRetries: 7, timeoutSecs: 30, payload: { numberValue: 5 }, labels: { team: 'a' } });
    // A bad name outside the mask is not looked at.
    const renamed = ok(await r.call('UpdateJob', { key: 'u', spec: { name: '', maxRetries: 9 }, updateMask: { paths: ['max_retries'] } })).job;
    expect(renamed).toMatchObject({ name: 'report', maxRetries: 9, timeoutSecs: 30, revision: '2' });
    const reset = ok(await r.call('UpdateJob', { key: 'u', spec: {}, updateMask: { paths: ['timeout_secs', 'max_retries', 'payload', 'labels'] } })).job;
    expect(reset).toMatchObject({ maxRetries: 3, timeoutSecs: 60, payload: { nullValue: 'NULL_VALUE' }, labels: {}, revision: '3' });
    // The same values again change nothing: the revision stays.
    expect(ok(await r.call('UpdateJob', { key: 'u', spec: {}, updateMask: { paths: ['max_retries'] } })).job.revision).toBe('3');
    // A named field with a bad value is reported with spec. in front.
    const bad = errorOf(await r.call('UpdateJob', { key: 'u', spec: { timeoutSecs: 0 }, updateMask: { paths: ['timeout_secs'] } }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(bad).toMatchObject({ field: 'spec.timeout_secs', limit: '1..86400' });
    const noSchedule = errorOf(await r.call('UpdateJob', { key: 'u', spec: {}, updateMask: { paths: ['schedule'] } }), grpc.status.INVALID_ARGUMENT, 'INVALID_SCHEDULE');
    expect(noSchedule).toMatchObject({ field: 'spec.schedule', limit: 'one of cron, one_shot, interval' });
  });
});

describe('reference server: ApplyJob', () => {
  it('a dry run changes nothing: no job for a create, the same revision for an update', async () => {
    const server = await serve();
    const r = raw(server.address);
    const dry = ok(await r.call('ApplyJob', { key: 'd', spec: spec(), dryRun: true }));
    expect(dry).toMatchObject({ action: 'APPLY_ACTION_CREATED', changedFields: [], job: null });
    expect(ok(await r.call('ListJobs', {})).jobs).toEqual([]);
    const job = await applied(r, 'd');
    const would = ok(await r.call('ApplyJob', { key: 'd', spec: spec({ name: 'new', labels: { team: 'x' } }), dryRun: true }));
    expect(would).toMatchObject({ action: 'APPLY_ACTION_UPDATED', changedFields: ['name', 'labels'], job: { id: job.id, name: 'report', revision: '1', labels: {} } });
    expect(ok(await r.call('GetJob', { key: 'd' })).job).toMatchObject({ name: 'report', revision: '1', labels: {} });
  });

  it('says which fields changed by their proto names, in field-number order', async () => {
    const server = await serve();
    const r = raw(server.address);
    await applied(r, 'c');
    const changed = ok(await r.call('ApplyJob', { key: 'c', spec: spec({ timeoutSecs: 5, maxRetries: 0, payload: { stringValue: 'p' } }) }));
    expect(changed).toMatchObject({ action: 'APPLY_ACTION_UPDATED', changedFields: ['payload', 'max_retries', 'timeout_secs'], job: { revision: '2', maxRetries: 0, timeoutSecs: 5 } });
    const same = ok(await r.call('ApplyJob', { key: 'c', spec: spec({ timeoutSecs: 5, maxRetries: 0, payload: { stringValue: 'p' } }) }));
    expect(same).toMatchObject({ action: 'APPLY_ACTION_UNCHANGED', changedFields: [], job: { revision: '2' } });
  });

  it('reports the first bad field in field-number order: key, then the spec by its own field numbers', async () => {
    const server = await serve();
    const r = raw(server.address);
    const subMillisecond = { interval: { every: { seconds: '5', nanos: 1 } } };
    const cases: [object, string, string][] = [
      [{ key: '', spec: spec({ name: '' }) }, 'key', 'INVALID_ARGUMENT'],
      [{ key: ' ', spec: spec() }, 'key', 'INVALID_ARGUMENT'],
      [{ key: 'k', spec: spec({ name: '', schedule: subMillisecond }) }, 'spec.name', 'INVALID_ARGUMENT'],
      [{ key: 'k', spec: spec({ schedule: subMillisecond, maxRetries: -1 }) }, 'spec.schedule.interval.every', 'INVALID_SCHEDULE'],
      [{ key: 'k', spec: spec({ payload: { numberValue: Number.NaN }, maxRetries: -1 }) }, 'spec.payload', 'INVALID_ARGUMENT'],
      [{ key: 'k', spec: spec({ maxRetries: 101, labels: { Bad: 'x' } }) }, 'spec.max_retries', 'INVALID_ARGUMENT'],
      [{ key: 'k', spec: spec({ labels: { team: 'x'.repeat(129) } }) }, 'spec.labels.team', 'INVALID_ARGUMENT'],
      [{ key: 'k' }, 'spec.name', 'INVALID_ARGUMENT'],
    ];
    for (const [request, field, reason] of cases) {
      const info = errorOf(await r.call('ApplyJob', request), grpc.status.INVALID_ARGUMENT, reason);
      expect(info.field, JSON.stringify(request)).toBe(field);
    }
    expect(ok(await r.call('ListJobs', {})).jobs).toEqual([]);
  });
});

describe('reference server: labels', () => {
  it('refuses a label key "__proto__" wherever labels are read, rather than dropping it', async () => {
    const server = await serve();
    const r = raw(server.address);
    const proto = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    expect(Object.keys(proto)).toEqual(['__proto__']);
    const create = errorOf(await r.call('CreateJob', { ...spec(), labels: proto }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(create).toMatchObject({ field: 'labels', limit: 'a label key' });
    const apply = errorOf(await r.call('ApplyJob', { key: 'p', spec: spec({ labels: proto }) }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(apply).toMatchObject({ field: 'spec.labels', limit: 'a label key' });
    const list = errorOf(await r.call('ListJobs', { labels: proto }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(list).toMatchObject({ field: 'labels', limit: 'a label key' });
    await applied(r, 'p');
    const update = errorOf(await r.call('UpdateJob', { key: 'p', spec: { labels: proto }, updateMask: { paths: ['labels'] } }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(update).toMatchObject({ field: 'spec.labels', limit: 'a label key' });
    expect(ok(await r.call('ListJobs', {})).jobs.map((j: { labels: object }) => j.labels)).toEqual([{}]);
  });

  it('refuses a payload key "__proto__" in a spec, naming it with spec. in front', async () => {
    const server = await serve();
    const r = raw(server.address);
    const payload = { structValue: { fields: { a: { structValue: { fields: JSON.parse('{"__proto__":{"numberValue":1}}') } } } } };
    const info = errorOf(await r.call('ApplyJob', { key: 'p', spec: spec({ payload }) }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(info).toMatchObject({ field: 'spec.payload/a', limit: 'no "__proto__" keys' });
  });

  it('selects jobs by every label of the selector, and binds a page token to the selector', async () => {
    const server = await serve();
    const r = raw(server.address);
    for (let i = 0; i < 5; i++) ok(await r.call('CreateJob', { ...spec({ name: `j-${i}` }), labels: { team: i < 4 ? 'a' : 'b', tier: i % 2 === 0 ? 'even' : 'odd' } }));
    const names = (page: { jobs: { name: string }[] }) => page.jobs.map((j) => j.name);
    expect(names(ok(await r.call('ListJobs', { labels: { team: 'a', tier: 'even' } })))).toEqual(['j-0', 'j-2']);
    const first = ok(await r.call('ListJobs', { labels: { team: 'a' }, pageSize: 2 }));
    expect(names(first)).toEqual(['j-0', 'j-1']);
    // The same selector continues; any other selector, or none, refuses the token.
    expect(names(ok(await r.call('ListJobs', { labels: { team: 'a' }, pageSize: 2, pageToken: first.nextPageToken })))).toEqual(['j-2', 'j-3']);
    for (const labels of [{ team: 'b' }, {}, { team: 'a', tier: 'odd' }]) {
      const info = errorOf(await r.call('ListJobs', { labels, pageSize: 2, pageToken: first.nextPageToken }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
      expect(info, JSON.stringify(labels)).toMatchObject({ field: 'page_token' });
    }
  });
});

describe('GrpcSchedulerClient: keys, revisions and labels', () => {
  it('refuses a response whose revision is 0, above 2^53 or not an integer as a malformed SERVER_ERROR, never rounding it', async () => {
    let revision = '1';
    // Rewrites the revision of every job the server sends: a server that breaks the contract.
    const rewrite: grpc.ServerInterceptor = (_method, call) =>
      new grpc.ServerInterceptingCall(call, {
        sendMessage: (message: { job?: { revision: string } | null }, next) => {
          if (message.job) message.job.revision = revision;
          next(message);
        },
      });
    const server = await serve({ interceptors: [rewrite] });
    const client = connect({ address: server.address, retry: false });
    const job = await client.createJob({ name: 'r', schedule: Schedule.interval(60_000), key: 'r' });
    expect(job.revision).toBe(1);
    for (const bad of ['0', ABOVE_SAFE, INT64_MAX, '-1']) {
      revision = bad;
      const error = await expectCode(client.getJob({ key: 'r' }), 'SERVER_ERROR');
      expect(error.message).toContain('malformed');
      expect(error.message).toContain(`job.revision must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}, got ${bad}`);
      expect(error.retryable).toBe(false);
      await expectCode(client.applyJob('r', { name: 'r', schedule: Schedule.interval(60_000) }), 'SERVER_ERROR');
    }
    revision = String(Number.MAX_SAFE_INTEGER);
    expect((await client.getJob(job.id)).revision).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses an ApplyJobResponse that breaks the contract: no action, unknown or misordered changed_fields, a missing job', async () => {
    type Response = { job?: object | null; action?: string | number; changedFields?: string[] };
    let rewrite: (response: Response) => void = () => {};
    const tamper: grpc.ServerInterceptor = (method, call) =>
      new grpc.ServerInterceptingCall(call, {
        sendMessage: (message: Response, next) => {
          if (method.path.endsWith('/ApplyJob')) rewrite(message);
          next(message);
        },
      });
    const server = await serve({ interceptors: [tamper] });
    const client = connect({ address: server.address, retry: false });
    const s = { name: 'a', schedule: Schedule.interval(60_000) };
    await client.applyJob('a', s);
    const cases: [string, (r: Response) => void, string][] = [
      ['an unspecified action', (r) => (r.action = 'APPLY_ACTION_UNSPECIFIED'), 'action is not CREATED, UPDATED or UNCHANGED'],
      ['an unknown action number', (r) => (r.action = 7), 'action is not CREATED, UPDATED or UNCHANGED'],
      ['a TypeScript field name', (r) => ((r.action = 'APPLY_ACTION_UPDATED'), (r.changedFields = ['maxRetries'])), 'changed_fields[0] is not a JobSpec field'],
      ['a repeated field', (r) => ((r.action = 'APPLY_ACTION_UPDATED'), (r.changedFields = ['name', 'name'])), 'changed_fields[1] repeats a field'],
      ['fields out of order', (r) => ((r.action = 'APPLY_ACTION_UPDATED'), (r.changedFields = ['labels', 'name'])), 'changed_fields[1] repeats a field or breaks field-number order'],
      ['UPDATED with no field', (r) => (r.action = 'APPLY_ACTION_UPDATED'), 'changed_fields is empty for UPDATED'],
      ['UNCHANGED with a field', (r) => (r.changedFields = ['name']), 'changed_fields is not empty for UNCHANGED'],
      ['no job', (r) => (r.job = null), 'job is required'],
    ];
    for (const [what, change, text] of cases) {
      rewrite = change;
      const error = await expectCode(client.applyJob('a', s), 'SERVER_ERROR');
      expect(error.message, what).toContain(`malformed response: ${text}`);
    }
    rewrite = (r) => (r.job = { id: 'x' });
    const dry = await expectCode(client.applyJob('new', s, { dryRun: true }), 'SERVER_ERROR');
    expect(dry.message).toContain('job is set for a dry-run create');
  });

  it('sends key, labels and a label selector, and returns key, labels, revision and updatedAt exactly', async () => {
    const server = await serve();
    const client = connect(server.address);
    const job = await client.createJob({ name: 'l', schedule: Schedule.interval(60_000), key: 'l-key', labels: { team: 'x', 'k1s0.owner': 'svc' } });
    expect(job).toMatchObject({ key: 'l-key', labels: { team: 'x', 'k1s0.owner': 'svc' }, revision: 1 });
    expect(job.updatedAt).toEqual(job.createdAt);
    expect(job.updatedAtExact).toEqual(job.createdAtExact);
    const plain = await client.createJob({ name: 'plain', schedule: Schedule.interval(60_000) });
    expect(plain.key).toBeUndefined();
    expect('key' in plain).toBe(false);
    expect(plain.labels).toEqual({});
    expect((await client.listJobs({ labels: { team: 'x' } })).map((j) => j.id)).toEqual([job.id]);
    const seen: string[] = [];
    for await (const j of client.iterateJobs({ labels: { 'k1s0.owner': 'svc' } }, { pageSize: 1 })) seen.push(j.id);
    expect(seen).toEqual([job.id]);
    await server.advanceTime(5_000);
    const paused = await client.pauseJob({ key: 'l-key' });
    expect(paused.revision).toBe(2);
    expect(paused.updatedAt.getTime()).toBe(job.createdAt.getTime() + 5_000);
  });

  it('validates before sending: bad refs, changes, specs and revisions never reach the server', async () => {
    const seen = recordingInterceptor();
    const server = await serve({ interceptors: [seen.interceptor] });
    const client = connect(server.address);
    const s = { name: 'v', schedule: Schedule.interval(60_000) };
    const refused: [string, () => Promise<unknown>][] = [
      ['both id and key', () => client.getJob({ id: 'a', key: 'b' } as never)],
      ['neither id nor key', () => client.getJob({} as never)],
      ['no change', () => client.updateJob({ key: 'v' }, {})],
      ['an empty name', () => client.updateJob({ key: 'v' }, { name: '' })],
      ['update expectedRevision 0', () => client.updateJob({ key: 'v' }, { name: 'ok' }, { expectedRevision: 0 })],
      ['delete expectedRevision -1', () => client.deleteJob({ key: 'v' }, { expectedRevision: -1 })],
      ['an empty key', () => client.deleteJob({ key: '' })],
      ['apply with an empty key', () => client.applyJob('', s)],
      ['a bad label key', () => client.applyJob('v', { ...s, labels: { Bad: 'x' } })],
      ['an unsafe revision', () => client.applyJob('v', s, { expectedRevision: Number.MAX_SAFE_INTEGER + 1 })],
      ['a fractional revision', () => client.applyJob('v', s, { expectedRevision: 1.5 })],
      ['a selector key __proto__', () => client.listJobs({ labels: JSON.parse('{"__proto__":"x"}') as Record<string, string> })],
      ['a blank key', () => client.createJob({ ...s, key: ' ' })],
    ];
    for (const [what, call] of refused) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
      expect(error?.code, what).toBe('INVALID_ARGUMENT');
    }
    expect(seen.calls).toEqual([]);
  });

  it('retries applyJob and updateJob after UNAVAILABLE only without an expectedRevision, and never deleteJob', async () => {
    const seen = recordingInterceptor();
    const loseApply = loseResponsesInterceptor('ApplyJob', 1);
    const loseUpdate = loseResponsesInterceptor('UpdateJob', 1);
    const server = await serve({ interceptors: [seen.interceptor, loseApply.interceptor, loseUpdate.interceptor] });
    const client = connect(server.address);
    const count = (rpc: string) => seen.calls.filter((c) => c.method.endsWith(`/${rpc}`)).length;
    const s = { name: 'a', schedule: Schedule.interval(60_000) };
    // The lost response of the first try: the retry finds the job created and answers UNCHANGED.
    const first = await client.applyJob('a', s);
    expect(first.action).toBe('unchanged');
    expect(count('ApplyJob')).toBe(2);
    const updated = await client.updateJob({ key: 'a' }, { name: 'b' });
    expect(updated).toMatchObject({ name: 'b', revision: 2 });
    expect(count('UpdateJob')).toBe(2);

    const guarded = await serve({ interceptors: [seen.interceptor, loseResponsesInterceptor('ApplyJob', 1).interceptor, loseResponsesInterceptor('UpdateJob', 1).interceptor, loseResponsesInterceptor('DeleteJob', 1).interceptor] });
    const other = connect(guarded.address);
    seen.calls.length = 0;
    const lostApply = await expectCode(other.applyJob('g', s, { expectedRevision: 0 }), 'SERVER_ERROR');
    expect(lostApply.retryable).toBe(true);
    expect(count('ApplyJob')).toBe(1);
    const lostUpdate = await expectCode(other.updateJob({ key: 'g' }, { name: 'c' }, { expectedRevision: 1 }), 'SERVER_ERROR');
    expect(lostUpdate.retryable).toBe(true);
    expect(count('UpdateJob')).toBe(1);
    await expectCode(other.deleteJob({ key: 'g' }), 'SERVER_ERROR');
    expect(count('DeleteJob')).toBe(1);
    // Each call was performed once: created, renamed (revision 2), deleted.
    await expectCode(other.getJob({ key: 'g' }), 'JOB_NOT_FOUND');
  });

  it('updateJob sends a field named as undefined unset, so the server resets it to its default', async () => {
    const server = await serve();
    const client = connect(server.address);
    await client.applyJob('d', { name: 'd', schedule: Schedule.interval(60_000), maxRetries: 9, timeoutSecs: 7, payload: { a: 1 }, labels: { team: 'x' } });
    const reset = await client.updateJob({ key: 'd' }, { maxRetries: undefined, timeoutSecs: undefined, payload: undefined, labels: undefined });
    expect(reset).toMatchObject({ maxRetries: 3, timeoutSecs: 60, payload: null, labels: {}, revision: 2 });
  });

  it('applyJob reports a dry-run create without a job, and changed fields by their TypeScript names', async () => {
    const server = await serve();
    const client = connect(server.address);
    const s = { name: 'x', schedule: Schedule.interval(60_000) };
    expect(await client.applyJob('x', s, { dryRun: true })).toEqual({ action: 'created', changedFields: [] });
    expect(await client.listJobs()).toEqual([]);
    const created = await client.applyJob('x', s);
    expect(created.job?.key).toBe('x');
    const updated = await client.applyJob('x', { ...s, maxRetries: 0, timeoutSecs: 1 }, { expectedRevision: 1 });
    expect(updated).toMatchObject({ action: 'updated', changedFields: ['maxRetries', 'timeoutSecs'], job: { revision: 2 } });
    const conflict = await expectCode(client.applyJob('x', s, { expectedRevision: 1 }), 'CONFLICT');
    expect(conflict).toMatchObject({ field: 'expected_revision', jobId: created.job?.id, retryable: false, grpcCode: grpc.status.ABORTED });
    const taken = await expectCode(client.createJob({ ...s, key: 'x' }), 'CONFLICT');
    expect(taken).toMatchObject({ field: 'key', jobId: created.job?.id, retryable: false, grpcCode: grpc.status.ALREADY_EXISTS });
    const deleted = await client.deleteJob({ key: 'x' }, { expectedRevision: 2 });
    expect(deleted.id).toBe(created.job?.id);
    expect((await client.applyJob('x', s)).action).toBe('created');
  });
});
