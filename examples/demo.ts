// npm run demo: the reference scheduler server in this process, driven over real gRPC.
// Registers a cron job firing every second, a one-shot job 2 s ahead and a 1 s interval job,
// pauses, resumes and cancels them, and prints executions and completion events as they happen.
// Then a service starts twice and registers its schedules with applySchedules each time: the first
// start creates its jobs, the second finds every one unchanged; a deploy then changes one schedule
// and prunes a job it no longer has.
// With KAFKA_BROKERS set, the server publishes the events to Kafka and the demo reads them back
// with KafkaJobCompletedSubscriber (`npm run demo:kafka` starts a broker for that).
import {
  GrpcSchedulerClient,
  KafkaJobCompletedSubscriber,
  Schedule,
  type KeyedJobSpec,
  type Job,
  type JobCompletedEvent,
  type JobCompletedSubscriber,
} from '../src/index.js';
import { startSchedulerServer } from '../src/testing.js';

const started = Date.now();
const log = (text: string): void => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(4)} s] ${text}`);
const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const brokers = process.env.KAFKA_BROKERS?.split(',').filter((b) => b !== '') ?? [];
const topic = `k1s0.system.scheduler.job_completed.v1.demo-${process.pid}`;
const server = await startSchedulerServer({ host: '127.0.0.1', port: 0, ...(brokers.length > 0 ? { kafka: { brokers, topic } } : {}) });
log(`reference server listening on ${server.address} (real clock)`);
const client = new GrpcSchedulerClient(server.address);

const names = new Map<string, string>();
const events: JobCompletedEvent[] = [];
const subscriber: JobCompletedSubscriber =
  brokers.length > 0 ? new KafkaJobCompletedSubscriber({ brokers, groupId: `demo-${process.pid}`, topic, fromBeginning: true }) : server.completions();
log(brokers.length > 0 ? `reading completion events from Kafka at ${brokers.join(',')}, topic ${topic}` : 'reading completion events in process');
await subscriber.run((event) => {
  events.push(event);
  log(`event: ${names.get(event.jobId) ?? event.jobId} attempt ${event.attempt} ${event.result}`);
});

const show = (job: Job): string => `${job.name} is ${job.status}${job.nextRunAt ? `, next run ${job.nextRunAt.toISOString()}` : ''}`;
const create = async (name: string, schedule: Schedule): Promise<Job> => {
  const job = await client.createJob({ name, schedule, payload: { demo: true } });
  names.set(job.id, name);
  log(`created ${show(job)}`);
  return job;
};

const cron = await create('every-second (cron)', Schedule.cron('* * * * * *'));
const once = await create('in-two-seconds (one-shot)', Schedule.oneShot(Date.now() + 2000));
const every = await create('every-second (interval)', Schedule.interval(1000));

await wait(2500);
log(`paused ${show(await client.pauseJob(every.id))}`);
await wait(1500);
log(`resumed ${show(await client.resumeJob(every.id))}`);
await wait(1500);
for (const job of [cron, every]) log(`cancelled ${show(await client.cancelJob(job.id))}`);
log(`${show(await client.getJob(once.id))}`);

console.log('\nexecutions:');
for (const job of [cron, once, every]) {
  const runs = await client.getExecutions(job.id);
  console.log(`  ${names.get(job.id)}: ${runs.length} run(s)`);
  for (const run of runs) console.log(`    ${run.startedAt.toISOString()}  attempt ${run.attempt}  ${run.result}`);
}
// Kafka delivers the last events a moment after they happen: wait for them (bounded).
const executed = (await Promise.all([cron, once, every].map((j) => client.getExecutions(j.id)))).flat().filter((e) => e.result !== 'running').length;
for (const deadline = Date.now() + 5000; events.length < executed && Date.now() < deadline; ) await wait(50);
console.log(`\n${events.length} completion events received; jobs now: ${(await client.listJobs()).map((j) => `${j.name}=${j.status}`).join(', ')}`);

// A service registers its whole set of schedules at every start, each under a key; applySchedules
// creates what is missing, updates what changed and leaves the rest alone, so restarts never
// duplicate a job.
const billing: KeyedJobSpec[] = [
  { key: 'billing/invoices', name: 'send invoices', schedule: Schedule.cron('0 9 * * MON-FRI', { timezone: 'Asia/Tokyo' }), payload: { batch: 500 } },
  { key: 'billing/reconcile', name: 'reconcile payments', schedule: Schedule.interval(15 * 60_000) },
];
for (const start of ['first start', 'second start']) {
  console.log(`\nbilling service, ${start}:\n${String(await client.applySchedules(billing, { owner: 'billing' }))}`);
}
const deploy = [{ ...billing[0]!, schedule: Schedule.cron('0 8 * * MON-FRI', { timezone: 'Asia/Tokyo' }) }];
console.log(`\nbilling service, after a deploy that moves the invoices to 08:00 and drops the reconcile job (prune: true):`);
console.log(String(await client.applySchedules(deploy, { owner: 'billing', prune: true })));
const invoices = await client.getJob({ key: 'billing/invoices' });
console.log(`billing/invoices: revision ${invoices.revision}, next run ${invoices.nextRunAt?.toISOString()}`);

await subscriber.close();
await client.close();
await server.close();
log('done');
