import { GrpcSchedulerClient, Schedule } from '@k1s0/scheduler-client';
import { startSchedulerServer, VirtualClock } from '@k1s0/scheduler-client/testing';

// A reference server on a virtual clock whose runs fail when the payload asks them to.
const server = await startSchedulerServer({
  clock: new VirtualClock(),
  executor: (job) => {
    if ((job.payload as { fail?: boolean }).fail) throw new Error('inventory service unreachable');
  },
});
const scheduler = new GrpcSchedulerClient(server.address);

// Every minute, spread over 10 s so that a fleet does not fire in the same millisecond; at most 5
// runs; no second run while one is in progress; fast retries; pause if a run fails for good.
const job = await scheduler.createJob({
  name: 'sync inventory',
  schedule: Schedule.interval(60_000),
  payload: { fail: false },
  maxRetries: 2,
  policy: { overlap: 'skip', jitterMs: 10_000, maxRuns: 5, retryBackoff: { initialMs: 500, multiplier: 3, maxMs: 5_000 }, pauseOnFailure: true },
});

// When it will fire, exactly as the server will let it (jitter, bounds and max runs applied).
const { upcomingRuns } = await scheduler.describeJob(job.id, { upcoming: 10 });
console.log('upcoming:', upcomingRuns.length); // upcoming: 5

// Run it now and wait for that attempt to end: no polling, and no race if it ended already.
const started = await scheduler.triggerJob(job.id);
const ended = await scheduler.waitForExecution(started.id, { timeoutMs: 5_000 });
console.log('triggered run:', ended.result); // triggered run: succeeded

// Let the schedule play out: the trigger and 4 fires use up the 5 runs, then the job completes.
await server.advanceTime(10 * 60_000);
const done = await scheduler.getJob(job.id);
console.log(done.status, `runs ${done.stats.runs}, succeeded ${done.stats.succeeded}, remaining ${done.remainingRuns}`); // completed runs 5, succeeded 5, remaining 0

// A job whose run fails on every attempt is paused, with a note saying why.
const flaky = await scheduler.createJob({ name: 'flaky sync', schedule: Schedule.interval(60_000), payload: { fail: true }, maxRetries: 1, policy: { pauseOnFailure: true } });
await server.advanceTime(2 * 60_000);
const paused = await scheduler.getJob(flaky.id);
console.log(paused.status, '-', paused.statusNote); // paused - paused on failure: inventory service unreachable
const resumed = await scheduler.resumeJob(flaky.id, { note: 'inventory service is back' });
console.log(resumed.status, '-', resumed.statusNote); // pending - inventory service is back

await scheduler.close();
await server.close();
