import { InMemorySchedulerClient, VirtualClock } from '../src/index.js';
import { schedulerContract } from './contract/scheduler-contract.js';

schedulerContract('InMemorySchedulerClient', async (executor) => {
  const clock = new VirtualClock(Date.UTC(2026, 10, 23, 12, 0, 0));
  const client = new InMemorySchedulerClient({ clock, executor });
  return {
    client,
    advanceTime: (ms) => client.advanceTime(ms),
    jumpTime: (ms) => clock.jump(ms),
    now: () => clock.now(),
    completions: () => client.completions(),
    close: () => client.close(),
  };
});
