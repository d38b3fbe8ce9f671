import { GrpcSchedulerClient, Schedule, type KeyedJobSpec } from '@k1s0/scheduler-client';
import { startSchedulerServer, VirtualClock } from '@k1s0/scheduler-client/testing';

interface Report { format: 'pdf' | 'csv'; recipients: string[] }

const server = await startSchedulerServer({ clock: new VirtualClock() });
const scheduler = new GrpcSchedulerClient(server.address);

// A service's whole set of schedules, each under a key of its choosing.
const schedules: KeyedJobSpec<Report>[] = [
  { key: 'billing/nightly-report', name: 'nightly report', schedule: Schedule.cron('30 2 * * *', { timezone: 'Europe/Berlin' }), payload: { format: 'pdf', recipients: ['ops@example.com'] } },
  { key: 'billing/weekly-export', name: 'weekly export', schedule: Schedule.cron('0 6 * * MON'), payload: { format: 'csv', recipients: [] } },
];

// First start: both jobs are created. Second start: nothing changes.
console.log(String(await scheduler.applySchedules(schedules, { owner: 'billing-service' })));
console.log(String(await scheduler.applySchedules(schedules, { owner: 'billing-service' })));

// A deploy that changes one schedule and drops the other: a dry run shows the diff, then it is applied.
const next = [{ ...schedules[0]!, schedule: Schedule.cron('0 3 * * *', { timezone: 'Europe/Berlin' }) }];
console.log(String(await scheduler.applySchedules(next, { owner: 'billing-service', prune: true, dryRun: true })));
await scheduler.applySchedules(next, { owner: 'billing-service', prune: true });

const job = await scheduler.getJob<Report>({ key: 'billing/nightly-report' });
console.log(job.payload.format, job.revision, job.labels); // pdf 2 { 'k1s0.owner': 'billing-service' }

// One job at a time: update by key with the revision you read, then delete.
const renamed = await scheduler.updateJob<Report>({ key: job.key! }, { name: 'nightly report (pdf)' }, { expectedRevision: job.revision });
await scheduler.updateJob({ key: job.key! }, { name: 'stale write' }, { expectedRevision: job.revision }).catch((error) => console.log(error.code)); // CONFLICT
await scheduler.deleteJob({ key: renamed.key! });
await scheduler.close();
await server.close();
