// Run with `node --expose-gc --import tsx`: makes 10,000 sequential getJob calls on one client and
// prints the heap growth after GC as JSON.
import { GrpcSchedulerClient, Schedule, VirtualClock } from '../../src/index.js';
import { startSchedulerServer } from '../../src/testing.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
const server = await startSchedulerServer({ clock: new VirtualClock() });
const client = new GrpcSchedulerClient(server.address);
const job = await client.createJob({ name: 'heap', schedule: Schedule.interval(60_000), payload: { a: [1, 2, 3] } });
for (let i = 0; i < 1000; i++) await client.getJob(job.id); // warm up: channel, JIT, pools
const settle = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
};
const before = await settle();
const calls = 10_000;
for (let i = 0; i < calls; i++) await client.getJob(job.id);
const after = await settle();
await client.close();
await server.close();
process.stdout.write(`${JSON.stringify({ calls, before, after, growth: after - before })}\n`);
