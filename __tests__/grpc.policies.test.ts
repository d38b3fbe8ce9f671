// DescribeJob, WatchExecutions, TriggerJob's overlap and the notes of PauseJob and ResumeJob on the
// wire: requests no SDK checked (as another language's client sends them) against the reference
// server, with the gRPC status and the ErrorInfo the proto names.
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/index.js';
import type { SchedulerServerOptions } from '../src/testing.js';
import { decodeStatus, type DecodedStatus } from '../src/wire/status.js';
import type { RawResult } from './support/raw-client.js';
import { ScriptedExecutor } from './support/scripted-executor.js';
import { grpcHarness } from './support/grpc-harness.js';

const harness = grpcHarness();
const { cleanups, raw } = harness;
const serve = (options: SchedulerServerOptions = {}) => harness.serve({ clock: new VirtualClock(Date.UTC(2026, 10, 23, 12, 0, 0)), ...options });

/** The outcome of a raw WatchExecutions call: every message, then the status and its details. */
type StreamResult = { messages: { execution: { id: string; jobId: string; result: string } }[]; code: number; details: string; status: DecodedStatus | undefined };

/** Sends one WatchExecutions request with no SDK layer and reads the stream to its end. */
function watch(r: ReturnType<typeof raw>, request: object): Promise<StreamResult> {
  return new Promise((resolve) => {
    const messages: StreamResult['messages'] = [];
    const call = (r.client.WatchExecutions as Function)(request, new grpc.Metadata(), { deadline: Date.now() + 10_000 }) as grpc.ClientReadableStream<StreamResult['messages'][number]>;
    call.on('data', (m) => messages.push(m));
    call.on('error', () => {});
    call.on('status', (s: grpc.StatusObject) => {
      const rawDetails = s.metadata?.get('grpc-status-details-bin')[0];
      resolve({ messages, code: s.code, details: s.details, status: rawDetails instanceof Buffer ? decodeStatus(rawDetails) : undefined });
    });
  });
}

const EVERY_MINUTE = { interval: { every: { seconds: '60', nanos: 0 } } };
const spec = (name = 'wire') => ({ name, schedule: EVERY_MINUTE, payload: { nullValue: 'NULL_VALUE' } });

function ok(result: RawResult) {
  if (!result.ok) throw new Error(`call failed: ${result.details}`);
  return result.response;
}

/** The ErrorInfo metadata of a failed call, after checking its gRPC status and reason. */
function errorOf(result: RawResult | StreamResult, grpcCode: number, reason: string): Record<string, string> {
  if ('ok' in result) {
    expect(result.ok, JSON.stringify(result)).toBe(false);
    if (result.ok) throw new Error('unreachable');
  }
  const failed = result as { code: number; details: string; status: DecodedStatus | undefined };
  expect(failed.code, failed.details).toBe(grpcCode);
  expect(failed.status?.code).toBe(grpcCode);
  expect(failed.status?.errorInfo?.reason, failed.details).toBe(reason);
  expect(failed.status?.errorInfo?.domain).toBe('scheduler.k1s0.system');
  return failed.status!.errorInfo!.metadata;
}

const ms = (ts: { seconds: string; nanos: number }) => Number(ts.seconds) * 1000 + ts.nanos / 1e6;

describe('DescribeJob on the wire', () => {
  it('upcoming 0 means 10; 1..100 lists that many due times, earliest first', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = ok(await r.call('CreateJob', spec())).job;
    const ten = ok(await r.call('DescribeJob', { jobId: job.id, upcoming: 0 }));
    expect(ten.job.id).toBe(job.id);
    expect(ten.upcomingRuns).toHaveLength(10);
    const times = (ten.upcomingRuns as { seconds: string; nanos: number }[]).map(ms);
    expect(times[0]).toBe(ms(job.nextRunAt));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(60_000);
    expect(ok(await r.call('DescribeJob', { key: '', jobId: job.id })).upcomingRuns).toHaveLength(10);
    expect((ok(await r.call('DescribeJob', { jobId: job.id, upcoming: 3 })).upcomingRuns as object[]).map((t) => ms(t as never))).toEqual(times.slice(0, 3));
    expect(ok(await r.call('DescribeJob', { jobId: job.id, upcoming: 100 })).upcomingRuns).toHaveLength(100);
  });

  for (const upcoming of [101, -1, 2 ** 31 - 1]) {
    it(`upcoming ${upcoming} is INVALID_ARGUMENT on upcoming, limit 0..100`, async () => {
      const server = await serve();
      const r = raw(server.address);
      const job = ok(await r.call('CreateJob', spec())).job;
      const info = errorOf(await r.call('DescribeJob', { jobId: job.id, upcoming }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
      expect(info.field).toBe('upcoming');
      expect(info.limit).toBe('0..100');
      expect(info.operation).toBe('DescribeJob');
    });
  }

  it('reports a bad job_id before a bad upcoming (field-number order), and an unknown job as JOB_NOT_FOUND', async () => {
    const server = await serve();
    const r = raw(server.address);
    expect(errorOf(await r.call('DescribeJob', { jobId: 'j'.repeat(129), upcoming: 101 }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT').field).toBe('job_id');
    expect(errorOf(await r.call('DescribeJob', { upcoming: 5 }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT').field).toBe('job_id');
    errorOf(await r.call('DescribeJob', { jobId: 'nobody' }), grpc.status.NOT_FOUND, 'JOB_NOT_FOUND');
  });

  it('lists no due times for a paused job', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = ok(await r.call('CreateJob', spec())).job;
    ok(await r.call('PauseJob', { jobId: job.id }));
    const described = ok(await r.call('DescribeJob', { jobId: job.id }));
    expect(described.job.status).toBe('JOB_STATUS_PAUSED');
    expect(described.upcomingRuns).toEqual([]);
  });
});

describe('WatchExecutions on the wire', () => {
  const targets: [string, object, string][] = [
    ['job_id and key', { jobId: 'j1', key: 'k1' }, 'key'],
    ['job_id and execution_id', { jobId: 'j1', executionId: 'e1' }, 'execution_id'],
    ['key and execution_id', { key: 'k1', executionId: 'e1' }, 'execution_id'],
    ['all three', { jobId: 'j1', key: 'k1', executionId: 'e1' }, 'key'],
  ];
  for (const [what, request, field] of targets) {
    it(`refuses ${what} with INVALID_ARGUMENT on ${field}, limit 'one of job_id, key, execution_id'`, async () => {
      const server = await serve();
      const result = await watch(raw(server.address), request);
      expect(result.messages).toEqual([]);
      const info = errorOf(result, grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
      expect(info.field).toBe(field);
      expect(info.limit).toBe('one of job_id, key, execution_id');
      expect(info.operation).toBe('WatchExecutions');
      expect(server.watching()).toBe(0);
    });
  }

  it('checks the first target set before refusing the second', async () => {
    const server = await serve();
    const info = errorOf(await watch(raw(server.address), { jobId: 'j'.repeat(129), executionId: 'e1' }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(info.field).toBe('job_id');
  });

  it('refuses no target on job_id, an unknown execution_id with JOB_NOT_FOUND on execution_id, an unknown job with JOB_NOT_FOUND', async () => {
    const server = await serve();
    const r = raw(server.address);
    expect(errorOf(await watch(r, {}), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT').field).toBe('job_id');
    const missing = errorOf(await watch(r, { executionId: 'no-such-execution' }), grpc.status.NOT_FOUND, 'JOB_NOT_FOUND');
    expect(missing.field).toBe('execution_id');
    errorOf(await watch(r, { jobId: 'nobody' }), grpc.status.NOT_FOUND, 'JOB_NOT_FOUND');
    errorOf(await watch(r, { key: 'nobody' }), grpc.status.NOT_FOUND, 'JOB_NOT_FOUND');
    expect(errorOf(await watch(r, { executionId: 'e'.repeat(129) }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT').field).toBe('execution_id');
    expect(server.watching()).toBe(0);
  });

  it('streams an execution that has ended as one message, then OK', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = ok(await r.call('CreateJob', spec())).job;
    await server.advanceTime(60_000);
    const [execution] = ok(await r.call('ListExecutions', { jobId: job.id })).executions;
    const result = await watch(r, { executionId: execution.id });
    expect(result.code).toBe(grpc.status.OK);
    expect(result.messages).toEqual([{ execution }]);
    expect(execution.result).toBe('EXECUTION_RESULT_SUCCEEDED');
  });

  it('refuses malformed request bytes with INVALID_ARGUMENT, as every RPC does', async () => {
    const server = await serve();
    const client = new grpc.Client(server.address, grpc.credentials.createInsecure());
    cleanups.push(() => client.close());
    const same = (b: Buffer): Buffer => b;
    // Field 3 (execution_id) with a length past the end of the message.
    const result = await new Promise<StreamResult>((resolve) => {
      const call = client.makeServerStreamRequest('/k1s0.system.scheduler.v2.SchedulerService/WatchExecutions', same, same, Buffer.from([0x1a, 0x05, 0x61]), new grpc.Metadata(), {});
      call.on('data', () => {});
      call.on('error', () => {});
      call.on('status', (s: grpc.StatusObject) => {
        const d = s.metadata?.get('grpc-status-details-bin')[0];
        resolve({ messages: [], code: s.code, details: s.details, status: d instanceof Buffer ? decodeStatus(d) : undefined });
      });
    });
    const info = errorOf(result, grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(info.field).toBe('execution_id');
    expect(info.limit).toBe('well-formed protobuf binary');
  });
});

describe('TriggerJob overlap on the wire', () => {
  async function running() {
    const executor = new ScriptedExecutor();
    executor.script('held', 'gate');
    const server = await serve({ executor: executor.executor });
    const r = raw(server.address);
    const job = ok(await r.call('CreateJob', spec('held'))).job;
    const first = ok(await r.call('TriggerJob', { jobId: job.id, overlap: 'OVERLAP_POLICY_UNSPECIFIED' })).execution;
    expect(first.result).toBe('EXECUTION_RESULT_RUNNING');
    return { executor, server, r, job };
  }

  it('a running job is triggered again only with OVERLAP_POLICY_ALLOW_ALL', async () => {
    const { executor, r, job } = await running();
    for (const overlap of ['OVERLAP_POLICY_UNSPECIFIED', 'OVERLAP_POLICY_SKIP', 'OVERLAP_POLICY_BUFFER_ONE', 1, 2]) {
      const info = errorOf(await r.call('TriggerJob', { jobId: job.id, overlap }), grpc.status.FAILED_PRECONDITION, 'INVALID_STATE');
      expect(info.operation).toBe('TriggerJob');
    }
    const second = ok(await r.call('TriggerJob', { jobId: job.id, overlap: 'OVERLAP_POLICY_ALLOW_ALL' })).execution;
    expect(second.result).toBe('EXECUTION_RESULT_RUNNING');
    const third = ok(await r.call('TriggerJob', { key: '', jobId: job.id, overlap: 3 })).execution;
    expect(third.id).not.toBe(second.id);
    expect(executor.waiting('held')).toBe(3);
    const described = ok(await r.call('GetJob', { jobId: job.id })).job;
    expect(described.runningExecutions.map((e: { id: string }) => e.id)).toContain(second.id);
    expect(described.runningExecutions).toHaveLength(3);
  });

  it('an overlap the enum does not list is INVALID_ARGUMENT on overlap, limit "an overlap policy", after job_id', async () => {
    const { r, job } = await running();
    for (const overlap of [4, 99, -1]) {
      const info = errorOf(await r.call('TriggerJob', { jobId: job.id, overlap }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
      expect(info.field).toBe('overlap');
      expect(info.limit).toBe('an overlap policy');
    }
    expect(errorOf(await r.call('TriggerJob', { overlap: 7 }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT').field).toBe('job_id');
  });

  it('a paused job is never triggered, whatever the overlap', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = ok(await r.call('CreateJob', spec())).job;
    ok(await r.call('PauseJob', { jobId: job.id }));
    errorOf(await r.call('TriggerJob', { jobId: job.id, overlap: 'OVERLAP_POLICY_ALLOW_ALL' }), grpc.status.FAILED_PRECONDITION, 'INVALID_STATE');
  });
});

describe('PauseJob and ResumeJob notes on the wire', () => {
  it('a note is shown as status_note when the call changes the status; a no-op keeps the note', async () => {
    const server = await serve();
    const r = raw(server.address);
    const job = ok(await r.call('CreateJob', spec())).job;
    expect(job.statusNote).toBe('');
    expect(ok(await r.call('PauseJob', { jobId: job.id, note: 'deploy freeze' })).job.statusNote).toBe('deploy freeze');
    expect(ok(await r.call('PauseJob', { jobId: job.id, note: 'again' })).job.statusNote).toBe('deploy freeze');
    expect(ok(await r.call('ResumeJob', { jobId: job.id })).job.statusNote).toBe('');
    const long = errorOf(await r.call('PauseJob', { jobId: job.id, note: 'n'.repeat(513) }), grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT');
    expect(long.field).toBe('note');
    expect(long.limit).toBe('0..512 code points');
    expect(ok(await r.call('PauseJob', { jobId: job.id, note: '😀'.repeat(512) })).job.statusNote).toBe('😀'.repeat(512));
  });
});
