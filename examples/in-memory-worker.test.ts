import { InMemorySchedulerClient, Schedule, type SchedulerClient } from '@k1s0/scheduler-client';
import { expect, test } from 'vitest';

// The code under test takes any SchedulerClient.
async function scheduleReminder(scheduler: SchedulerClient, userId: string) {
  return scheduler.createJob({ name: `reminder-${userId}`, schedule: Schedule.interval(3_600_000), payload: { userId } });
}

test('a reminder runs every hour and retries a failing send', async () => {
  const scheduler = new InMemorySchedulerClient({
    // What a run does: resolve = succeeded, throw = failed, never settle = timed out.
    executor: async (job, attempt) => {
      if (attempt === 1) throw new Error('mail server busy');
    },
  });
  const events = scheduler.completions(); // the same interface as the Kafka subscriber
  const seen: string[] = [];
  await events.run((e) => void seen.push(`${e.result}#${e.attempt}`));

  const job = await scheduleReminder(scheduler, 'u1');
  await scheduler.advanceTime(3_600_000 + 1_000); // the first fire, then its retry 1 s later
  await events.idle();

  expect(seen).toEqual(['failed#1', 'succeeded#2']);
  expect((await scheduler.getExecutions(job.id)).map((e) => e.result)).toEqual(['failed', 'succeeded']);
  expect(scheduler.getAll()).toHaveLength(1);
  await events.close();
});
