// Run with `node --expose-gc --import tsx`: 5 rounds, each of 1,000 waitForExecution calls on one
// running attempt (which then ends), on one client, and 1,000 watchExecutions loops on its job
// (then aborted), on 4 clients of their own; prints the heap after GC at the end of every round and the watches the server still
// held, as JSON.
import { setMaxListeners } from 'node:events';
import { GrpcSchedulerClient, Schedule, VirtualClock } from '../../src/index.js';
import { startSchedulerServer } from '../../src/testing.js';
import { ScriptedExecutor } from './scripted-executor.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const ROUNDS = 5;
const WATCHERS = 1000;
const executor = new ScriptedExecutor();
executor.script('heap', 'gate');
const server = await startSchedulerServer({ clock: new VirtualClock(), executor: executor.executor });
const client = new GrpcSchedulerClient(server.address);
const job = await client.createJob({ name: 'heap', schedule: Schedule.interval(3_600_000), payload: { a: [1, 2, 3] } });

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((r) => setTimeout(r, 2));
};
const settle = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
};

const heap: number[] = [];
const left: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const execution = await client.triggerJob(job.id);
  const waits = Array.from({ length: WATCHERS }, () => client.waitForExecution(execution.id));
  // The job watchers come over 4 new connections each round and are cancelled: a cancel resets
  // its HTTP/2 stream, and Node's HTTP/2 server closes a connection that resets about 1,000
  // streams at once (refilled at 33 a second).
  const controller = new AbortController();
  setMaxListeners(WATCHERS, controller.signal);
  const watcherClients = Array.from({ length: 4 }, () => new GrpcSchedulerClient(server.address));
  const watchers = Array.from({ length: WATCHERS }, async (_, i) => {
    try {
      for await (const _ of watcherClients[i % 4]!.watchExecutions(job.id, { signal: controller.signal }));
    } catch {
      // CANCELLED: the round is over.
    }
  });
  await until(() => server.watching() === 2 * WATCHERS);
  executor.release('heap');
  const ended = await Promise.all(waits);
  if (ended.some((e) => e.result !== 'succeeded')) throw new Error('a wait resolved with another result');
  controller.abort();
  await Promise.all(watchers);
  await until(() => server.watching() === 0);
  await Promise.all(watcherClients.map((c) => c.close()));
  left.push(server.watching());
  heap.push(await settle());
}
await client.close();
await server.close();
process.stdout.write(`${JSON.stringify({ rounds: ROUNDS, watchers: WATCHERS, left, heap })}\n`);
