// npm run demo:memory: the in-memory client walked through the job lifecycle on a virtual clock.
// Nothing runs in real time: a day of schedule passes in milliseconds.
import { InMemorySchedulerClient, Schedule, VirtualClock, type Job } from '../src/index.js';

const clock = new VirtualClock(new Date('2026-11-23T00:00:00Z'));
const scheduler = new InMemorySchedulerClient({
  clock,
  // The 'flaky' job fails its first attempt; everything else succeeds at once.
  executor: (job, attempt) => {
    if (job.name === 'flaky' && attempt === 1) throw new Error('first attempt fails');
  },
});
const at = () => new Date(clock.now()).toISOString().slice(11, 19);
const show = (job: Job) => `${job.name}: ${job.status}${job.nextRunAt ? `, next ${job.nextRunAt.toISOString().slice(11, 19)}` : ''}`;

const names = new Map<string, string>();
let quiet = false;
let received = 0;
const events = scheduler.completions();
await events.run((e) => {
  received++;
  if (!quiet) console.log(`  [${at()}] event: ${names.get(e.jobId)} attempt ${e.attempt} ${e.result}${e.error ? ` (${e.error})` : ''}`);
});

const hourly = await scheduler.createJob({ name: 'hourly', schedule: Schedule.cron('0 * * * *'), payload: null });
const flaky = await scheduler.createJob({ name: 'flaky', schedule: Schedule.oneShot(clock.now() + 90_000), payload: null });
const poll = await scheduler.createJob({ name: 'poll', schedule: Schedule.interval(20 * 60_000), payload: { url: 'https://example.com' } });
for (const job of [hourly, flaky, poll]) {
  names.set(job.id, job.name);
  console.log(`[${at()}] created ${show(job)}`);
}

console.log(`[${at()}] advancing 2 minutes: the one-shot fails, then succeeds on its retry 1 s later`);
await scheduler.advanceTime(2 * 60_000);
await events.idle();
console.log(`[${at()}] ${show(await scheduler.getJob(flaky.id))}`);

console.log(`[${at()}] pausing 'poll', then advancing an hour`);
await scheduler.pauseJob(poll.id);
await scheduler.advanceTime(60 * 60_000);
await events.idle();
console.log(`[${at()}] ${show(await scheduler.getJob(poll.id))}; resuming it`);
console.log(`[${at()}] ${show(await scheduler.resumeJob(poll.id))}`);

console.log(`[${at()}] advancing the rest of the day (events counted, not printed)`);
quiet = true;
const before = received;
await scheduler.advanceTime(23 * 60 * 60_000);
await events.idle();
console.log(`[${at()}] ${received - before} more completion events`);
await scheduler.cancelJob(hourly.id);
console.log(`[${at()}] cancelled ${show(await scheduler.getJob(hourly.id))}`);
for (const job of scheduler.getAll()) console.log(`  ${job.name}: ${(await scheduler.getExecutions(job.id)).length} execution(s), ${job.status}`);
try {
  await scheduler.resumeJob(hourly.id);
} catch (error) {
  console.log(`resume after cancel: ${(error as Error).message}`);
}
await events.close();
await scheduler.close();
