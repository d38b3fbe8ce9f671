import { GrpcSchedulerClient, VirtualClock } from '../src/index.js';
import { startSchedulerServer } from '../src/testing.js';
import { schedulerContract } from './contract/scheduler-contract.js';

schedulerContract('GrpcSchedulerClient -> reference server (virtual clock)', async (executor) => {
  // Starts at the real time, so that the client's own checks (on the real clock) and the server's
  // (on the virtual one) agree about what is in the past.
  const clock = new VirtualClock();
  const server = await startSchedulerServer({ clock, executor });
  const client = new GrpcSchedulerClient(server.address);
  return {
    client,
    advanceTime: (ms) => server.advanceTime(ms),
    now: () => clock.now(),
    completions: () => server.completions(),
    close: async () => {
      await client.close();
      await server.close();
    },
  };
});
