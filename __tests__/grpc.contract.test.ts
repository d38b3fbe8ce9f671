import { GrpcSchedulerClient, VirtualClock } from '../src/index.js';
import { startSchedulerServer } from '../src/testing.js';
import { schedulerContract } from './contract/scheduler-contract.js';

schedulerContract('GrpcSchedulerClient -> reference server (virtual clock)', async (executor) => {
  // The same instant as the in-memory target, days away from the real time: the client checks
  // shape only, so every rule about "now" (a one-shot no more than 1 s in the past) is decided by
  // the server's clock, exactly as the in-memory client decides it by its own.
  const clock = new VirtualClock(Date.UTC(2026, 10, 23, 12, 0, 0));
  const server = await startSchedulerServer({ clock, executor });
  const client = new GrpcSchedulerClient(server.address);
  return {
    client,
    advanceTime: (ms) => server.advanceTime(ms),
    jumpTime: (ms) => clock.jump(ms),
    now: () => clock.now(),
    completions: () => server.completions(),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
});
