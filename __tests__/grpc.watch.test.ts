// WatchExecutions over real HTTP/2: what a watcher sees (every update of its job, in order; an
// attempt that ended before the call), 1,000 watchers at once, and every way a stream ends
// (deadline, abort, server shutdown, a server that drops the stream, client close), each leaving
// nothing held on the server. The heap over repeated rounds of 1,000 watchers is measured in a
// child process (support/watch-heap-probe.ts). Last, the in-memory client's waits and watches end
// the same way (close, and timeoutMs on its virtual clock).
import { execFile } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { GrpcSchedulerClient, InMemorySchedulerClient, Schedule, SchedulerError, VirtualClock, type JobExecution } from '../src/index.js';
import type { SchedulerServerOptions } from '../src/testing.js';
import { expectCode } from './support/expect-code.js';
import { ScriptedExecutor } from './support/scripted-executor.js';
import { grpcHarness } from './support/grpc-harness.js';

const { cleanups, serve, connect } = grpcHarness();

const run = promisify(execFile);

/** Waits until `condition` holds, looking again after each turn of the event loop's timers. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** A server whose job 'gated' runs until the test releases it, a client, and a running attempt. */
async function gatedRun(clientOptions: Partial<Exclude<ConstructorParameters<typeof GrpcSchedulerClient>[0], string>> = {}, serverOptions: SchedulerServerOptions = {}) {
  const executor = new ScriptedExecutor();
  executor.script('gated', 'gate');
  const server = await serve({ executor: executor.executor, ...serverOptions });
  const client = connect({ address: server.address, ...clientOptions });
  const job = await client.createJob({ name: 'gated', schedule: Schedule.interval(60_000), payload: null });
  const execution = await client.triggerJob(job.id);
  expect(execution.result).toBe('running');
  expect(executor.waiting('gated')).toBe(1);
  return { executor, server, client, job, execution };
}

const brief = (e: JobExecution) => `${e.id} ${e.attempt} ${e.result}`;

describe('WatchExecutions: what a watcher sees', () => {
  it('a job watcher sees every attempt start and finish, in order, and the stream ends when the job does', async () => {
    const executor = new ScriptedExecutor();
    executor.script('flaky', 'fail', 'succeed'); // every run: attempt 1 fails, its retry succeeds
    const server = await serve({ executor: executor.executor });
    const client = connect(server.address);
    const job = await client.createJob({ name: 'flaky', schedule: Schedule.interval(10_000), payload: null, maxRetries: 2 });
    const seen: JobExecution[] = [];
    const watching = (async () => {
      for await (const e of client.watchExecutions(job.id)) seen.push(e);
    })();
    const byKeyless = (async () => {
      const other: JobExecution[] = [];
      for await (const e of client.watchExecutions({ id: job.id })) other.push(e);
      return other;
    })();
    await until(() => server.watching() === 2);
    for (let i = 0; i < 6; i++) await server.advanceTime(10_000);
    await client.cancelJob(job.id);
    await watching;
    const executions = await client.getExecutions(job.id);
    expect(executions.length).toBeGreaterThanOrEqual(10);
    expect(executions.some((e) => e.result === 'failed')).toBe(true);
    // Each attempt as it started (running), then as it finished, in the order they happened.
    const expected = executions.flatMap((e) => [`${e.id} ${e.attempt} running`, brief(e)]);
    expect(seen.map(brief)).toEqual(expected);
    expect(seen.filter((e) => e.result !== 'running')).toEqual(executions);
    expect((await byKeyless).map(brief)).toEqual(expected);
    await until(() => server.watching() === 0);
  });

  it('a watcher that stops reading loses nothing: the server holds the updates back and sends them in order when it reads again', async () => {
    const server = await serve({ executionHistoryLimit: 10_000 });
    const client = connect(server.address);
    const job = await client.createJob({ name: 'busy', schedule: Schedule.interval(1_000), payload: { pad: 'x'.repeat(200) } });
    const loop = client.watchExecutions(job.id)[Symbol.asyncIterator]();
    const first = loop.next(); // opens the stream, then reads nothing while 4,000 attempts run
    await until(() => server.watching() === 1);
    await server.advanceTime(4_000_000);
    await client.cancelJob(job.id);
    const seen: JobExecution[] = [(await first).value as JobExecution];
    for (let step = await loop.next(); !step.done; step = await loop.next()) seen.push(step.value);
    const executions = await client.getExecutions(job.id);
    expect(executions).toHaveLength(4000);
    expect(seen.map(brief)).toEqual(executions.flatMap((e) => [`${e.id} ${e.attempt} running`, brief(e)]));
    await until(() => server.watching() === 0);
  });

  it('a watch of a job that has ended with nothing in flight ends at once, empty', async () => {
    const server = await serve();
    const client = connect(server.address);
    const job = await client.createJob({ name: 'ended', schedule: Schedule.interval(10_000), payload: null });
    await client.cancelJob(job.id);
    const seen: JobExecution[] = [];
    for await (const e of client.watchExecutions(job.id)) seen.push(e);
    expect(seen).toEqual([]);
    expect(server.watching()).toBe(0);
  });

  it('waiting for an attempt that ended before the call resolves at once with its result', async () => {
    const server = await serve();
    const client = connect(server.address);
    const job = await client.createJob({ name: 'done', schedule: Schedule.interval(10_000), payload: null });
    await server.advanceTime(10_000);
    const [ended] = await client.getExecutions(job.id);
    expect(ended?.result).toBe('succeeded');
    // Nothing more happens on the server's clock: the wait can only resolve from the stream's first message.
    expect(await client.waitForExecution(ended!.id)).toEqual(ended);
    expect(server.watching()).toBe(0);
  });

  it('waiting for a running attempt resolves when it ends, with the execution as recorded', async () => {
    const { executor, server, client, job, execution } = await gatedRun();
    const wait = client.waitForExecution(execution.id);
    await until(() => server.watching() === 1);
    executor.release('gated', 'fail');
    const ended = await wait;
    expect(ended.result).toBe('failed');
    expect(ended.error).toMatch(/released as a failure/);
    expect(ended).toEqual((await client.getExecutions(job.id)).find((e) => e.id === execution.id));
    await until(() => server.watching() === 0);
  });

  it('1,000 concurrent watchers of one run all get its end, and the server holds nothing after they go', async () => {
    const { executor, server, client, job, execution } = await gatedRun();
    // 1,000 waits on one connection: each stream ends with OK after the final message.
    const waits = Array.from({ length: 1000 }, () => client.waitForExecution(execution.id));
    // 1,000 job watchers, then cancelled, over 4 connections: a cancel resets its HTTP/2 stream,
    // and Node's HTTP/2 server closes a connection that resets about 1,000 streams at once.
    const controller = new AbortController();
    setMaxListeners(1000, controller.signal);
    const watcherClients = Array.from({ length: 4 }, () => connect(server.address));
    const watchers = Array.from({ length: 1000 }, async (_, i) => {
      const seen: string[] = [];
      try {
        for await (const e of watcherClients[i % 4]!.watchExecutions(job.id, { signal: controller.signal })) seen.push(brief(e));
      } catch (error) {
        expect((error as SchedulerError).code).toBe('CANCELLED');
      }
      return seen;
    });
    await until(() => server.watching() === 2000);
    executor.release('gated');
    const ended = await Promise.all(waits);
    const [recorded] = await client.getExecutions(job.id);
    expect(recorded?.result).toBe('succeeded');
    for (const e of ended) expect(e).toEqual(recorded);
    // The waits' streams end with OK; the job watchers stay until they are cancelled.
    await until(() => server.watching() === 1000);
    controller.abort();
    const seen = await Promise.all(watchers);
    for (const s of seen) expect(s).toEqual([`${execution.id} 1 running`, brief(recorded!)]);
    await until(() => server.watching() === 0);
    // The connections are still good.
    for (const c of [client, ...watcherClients]) expect((await c.getJob(job.id)).id).toBe(job.id);
  });

  it('repeated rounds of 1,000 watchers leave no heap growth and no watch behind', async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', '__tests__/support/watch-heap-probe.ts'], { timeout: 120_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { rounds: number; watchers: number; left: number[]; heap: number[] };
    expect(result.rounds).toBe(5);
    expect(result.watchers).toBe(1000);
    expect(result.left).toEqual(Array(5).fill(0));
    // From the end of the second round (channel, JIT and pools warm) to the end of the last.
    const growth = result.heap.at(-1)! - result.heap[1]!;
    expect(growth, JSON.stringify(result.heap)).toBeLessThan(4 * 1024 * 1024);
  }, 120_000);
});

describe('WatchExecutions: how a stream ends', () => {
  it('a wait past its timeoutMs rejects with TIMEOUT and frees the stream', async () => {
    const { server, client, execution } = await gatedRun();
    const error = await expectCode(client.waitForExecution(execution.id, { timeoutMs: 200 }), 'TIMEOUT');
    expect(error.operation).toBe('waitForExecution');
    expect(error.message).toMatch(/^waitForExecution: deadline of 200 ms exceeded/);
    await until(() => server.watching() === 0);
  });

  it('a watch past its timeoutMs throws TIMEOUT from the loop', async () => {
    const { server, client, job, execution } = await gatedRun();
    const seen: string[] = [];
    const error = await expectCode(
      (async () => {
        for await (const e of client.watchExecutions(job.id, { timeoutMs: 200 })) seen.push(brief(e));
      })(),
      'TIMEOUT',
    );
    expect(error.operation).toBe('watchExecutions');
    expect(seen).toEqual([`${execution.id} 1 running`]);
    await until(() => server.watching() === 0);
  });

  it('aborting a wait rejects it with CANCELLED and cancels its stream', async () => {
    const { server, client, execution } = await gatedRun();
    const controller = new AbortController();
    const wait = client.waitForExecution(execution.id, { signal: controller.signal });
    await until(() => server.watching() === 1);
    controller.abort();
    const error = await expectCode(wait, 'CANCELLED');
    expect(error.operation).toBe('waitForExecution');
    await until(() => server.watching() === 0);
    // An already aborted signal sends nothing.
    await expectCode(client.waitForExecution(execution.id, { signal: controller.signal }), 'CANCELLED');
    expect(server.watching()).toBe(0);
  });

  it('breaking out of a watch loop cancels its stream', async () => {
    const { server, client, job, execution } = await gatedRun();
    for await (const e of client.watchExecutions(job.id)) {
      expect(e.id).toBe(execution.id);
      break;
    }
    await until(() => server.watching() === 0);
  });

  it('a server shutting down ends its streams at once: the wait rejects with a retryable SERVER_ERROR', async () => {
    const { server, client, job, execution } = await gatedRun({ retry: false });
    // With retries off, a wait is not reopened even though its deadline is far away.
    const wait = client.waitForExecution(execution.id, { timeoutMs: 600_000 });
    const watch = (async () => {
      for await (const _ of client.watchExecutions(job.id));
    })();
    await until(() => server.watching() === 2);
    const failures = [expectCode(wait, 'SERVER_ERROR'), expectCode(watch, 'SERVER_ERROR')];
    // A grace period far longer than the test: close() resolves only because it does not wait for streams.
    await server.close({ graceMs: 600_000 });
    for (const error of await Promise.all(failures)) {
      expect(error.retryable).toBe(true);
      expect(error.grpcCode).toBe(grpc.status.UNAVAILABLE);
      expect(error.message).toMatch(/shutting down/);
    }
    expect(server.watching()).toBe(0);
  });

  it('a wait whose server goes away for good rejects after its retry attempts', async () => {
    const { server, client, execution } = await gatedRun({ retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 20 } });
    const wait = client.waitForExecution(execution.id);
    await until(() => server.watching() === 1);
    const failure = expectCode(wait, 'SERVER_ERROR');
    await server.close();
    const error = await failure;
    expect(error.retryable).toBe(true);
  });

  it('a wait whose stream fails with UNAVAILABLE opens it again and cannot miss the end', async () => {
    // The first WatchExecutions stream loses its final message (the server sends the execution
    // still running instead) and ends with UNAVAILABLE, as a dropped connection would.
    let streams = 0;
    const dropFirstStream: grpc.ServerInterceptor = (method, call) => {
      if (!method.path.endsWith('/WatchExecutions')) return new grpc.ServerInterceptingCall(call);
      const first = ++streams === 1;
      return new grpc.ServerInterceptingCall(call, {
        sendMessage: (message: { execution: { result: string; finishedAt?: unknown; error?: string } }, next) => {
          if (!first || message.execution.result === 'EXECUTION_RESULT_RUNNING') return next(message);
          next({ execution: { ...message.execution, result: 'EXECUTION_RESULT_RUNNING', finishedAt: null, error: '' } });
        },
        sendStatus: (status, next) => {
          if (!first || status.code !== grpc.status.OK) return next(status);
          next({ code: grpc.status.UNAVAILABLE, details: 'injected: the connection dropped', metadata: new grpc.Metadata() });
        },
      });
    };
    const { executor, server, client, job, execution } = await gatedRun({ retry: { maxAttempts: 5, initialBackoffMs: 20, maxBackoffMs: 40 } }, { interceptors: [dropFirstStream] });
    const wait = client.waitForExecution(execution.id, { timeoutMs: 60_000 });
    await until(() => server.watching() === 1);
    executor.release('gated');
    const ended = await wait;
    expect(ended.result).toBe('succeeded');
    expect(ended).toEqual((await client.getExecutions(job.id))[0]);
    expect(streams).toBe(2);
  });

  it('closing the client rejects pending waits and ends watches with SERVER_ERROR, and frees their streams', async () => {
    const { server, client, job, execution } = await gatedRun();
    const waits = [client.waitForExecution(execution.id), client.waitForExecution(execution.id)];
    const watch = (async () => {
      for await (const _ of client.watchExecutions(job.id));
    })();
    await until(() => server.watching() === 3);
    const failures = [...waits, watch].map((p) => expectCode(p, 'SERVER_ERROR'));
    await client.close();
    for (const error of await Promise.all(failures)) expect(error.message).toMatch(/the client is closed/);
    await until(() => server.watching() === 0);
    await expectCode(client.waitForExecution(execution.id), 'SERVER_ERROR');
  });

  it('refuses a bad execution id before sending, and an unknown one with JOB_NOT_FOUND on execution_id', async () => {
    const server = await serve();
    const client = connect(server.address);
    const bad = await expectCode(client.waitForExecution(''), 'INVALID_ARGUMENT');
    expect(bad.field).toBe('execution_id');
    const missing = await expectCode(client.waitForExecution('no-such-execution'), 'JOB_NOT_FOUND');
    expect(missing.field).toBe('execution_id');
    expect(missing.operation).toBe('waitForExecution');
    const noJob = await expectCode(
      (async () => {
        for await (const _ of client.watchExecutions({ key: 'nobody' }));
      })(),
      'JOB_NOT_FOUND',
    );
    expect(noJob.operation).toBe('watchExecutions');
    expect(server.watching()).toBe(0);
  });
});

describe('the in-memory client ends waits and watches as the gRPC client does', () => {
  it('close() rejects pending waits and ends watches with SERVER_ERROR "the client is closed"', async () => {
    const executor = new ScriptedExecutor();
    executor.script('gated', 'gate');
    const client = new InMemorySchedulerClient({ executor: executor.executor });
    const job = await client.createJob({ name: 'gated', schedule: Schedule.interval(60_000), payload: null });
    const execution = await client.triggerJob(job.id);
    const waits = [client.waitForExecution(execution.id), client.waitForExecution(execution.id, { timeoutMs: 60_000 })];
    const seen: string[] = [];
    const watch = (async () => {
      for await (const e of client.watchExecutions(job.id)) seen.push(brief(e));
    })();
    const failures = [...waits, watch].map((p) => expectCode(p, 'SERVER_ERROR'));
    await client.close();
    for (const error of await Promise.all(failures)) expect(error.message).toMatch(/the client is closed/);
    expect(seen).toEqual([`${execution.id} 1 running`]);
  });

  it('a wait resolves on the virtual clock when the attempt ends, and its timeoutMs counts on that clock', async () => {
    const executor = new ScriptedExecutor();
    executor.script('slow', 'hang');
    const clock = new VirtualClock();
    const client = new InMemorySchedulerClient({ clock, executor: executor.executor });
    cleanups.push(() => client.close());
    const job = await client.createJob({ name: 'slow', schedule: Schedule.interval(60_000), payload: null, timeoutSecs: 30, maxRetries: 0 });
    const execution = await client.triggerJob(job.id);
    let settled = false;
    const wait = client.waitForExecution(execution.id).finally(() => (settled = true));
    const timing = expectCode(client.waitForExecution(execution.id, { timeoutMs: 10_000 }), 'TIMEOUT');
    await client.advanceTime(10_000);
    expect((await timing).operation).toBe('waitForExecution');
    expect(settled).toBe(false);
    await client.advanceTime(20_000);
    const ended = await wait;
    expect(ended).toMatchObject({ id: execution.id, result: 'timed_out' });
    expect(ended.finishedAt?.getTime()).toBe(execution.startedAt.getTime() + 30_000);
  });
});
