// The in-memory client on its default VirtualClock: creating many jobs, listing by name prefix,
// firing many jobs at once, and the heap a job takes.
import { InMemorySchedulerClient, Schedule, type Job, type JobRequest } from '../src/index.js';
import {
  canCollectGarbage,
  formatBytes,
  formatCount,
  formatMs,
  gc,
  markdownTable,
  median,
  percentile,
  sample,
  targetsTable,
  timed,
  type BenchSection,
  type BenchTarget,
} from './lib.js';

const MANY = 100_000;
const BURST = 10_000;
const PREFIX = 'job-123'; // job-12300 .. job-12399
const PREFIX_MATCHES = 100;
const CREATE_RUNS = 3;
const BURST_RUNS = 3;
const LIST_REPS = 500;
const SCAN_REPS = 100;

const TARGET_CREATE_MS = 1000;
const TARGET_SPEEDUP = 20;
const TARGET_BURST_MS = 200;
const TARGET_BYTES_PER_JOB = 2048;

const jobName = (i: number) => `job-${String(i).padStart(5, '0')}`;
const request = (i: number, intervalMs: number): JobRequest => ({ name: jobName(i), schedule: Schedule.interval(intervalMs), payload: { seq: i } });

async function createJobs(client: InMemorySchedulerClient, count: number, intervalMs: number): Promise<void> {
  for (let i = 0; i < count; i++) await client.createJob(request(i, intervalMs));
}

// (a) Creating 100,000 interval jobs, each on a fresh client.
async function measureCreate(): Promise<{ runs: number[] }> {
  await createJobs(new InMemorySchedulerClient(), 10_000, 60_000); // warm-up
  const runs: number[] = [];
  for (let r = 0; r < CREATE_RUNS; r++) {
    const client = new InMemorySchedulerClient();
    runs.push((await timed(() => createJobs(client, MANY, 60_000))).ms);
    await client.close();
  }
  return { runs };
}

// What the scheduler stores for a job, for the baseline: the fields of a Job and its payload as JSON.
interface StoredJob {
  id: string;
  name: string;
  schedule: Job['schedule'];
  status: Job['status'];
  payloadJson: string;
  maxRetries: number;
  timeoutSecs: number;
  createdAt: number;
  nextRunAt: number | undefined;
}

// The same copy that the client makes of each job it returns.
function copyOut(r: StoredJob): Job {
  const job: Job = {
    id: r.id,
    name: r.name,
    schedule: r.schedule.type === 'one_shot' ? { type: 'one_shot', runAt: new Date(r.schedule.runAt.getTime()) } : { ...r.schedule },
    status: r.status,
    payload: JSON.parse(r.payloadJson) as Job['payload'],
    maxRetries: r.maxRetries,
    timeoutSecs: r.timeoutSecs,
    createdAt: new Date(r.createdAt),
  };
  if (r.nextRunAt !== undefined) job.nextRunAt = new Date(r.nextRunAt);
  return job;
}

// (b) listJobs({ namePrefix }) matching 100 of 100,000, against a linear scan over the same jobs
// that does the same startsWith check and builds the same 100 result objects.
async function measurePrefix(): Promise<{ listMs: number[]; scanMs: number[] }> {
  const client = new InMemorySchedulerClient();
  await createJobs(client, MANY, 60_000);
  const stored: StoredJob[] = client.getAll().map((j) => ({
    id: j.id,
    name: j.name,
    schedule: j.schedule,
    status: j.status,
    payloadJson: JSON.stringify(j.payload),
    maxRetries: j.maxRetries,
    timeoutSecs: j.timeoutSecs,
    createdAt: j.createdAt.getTime(),
    nextRunAt: j.nextRunAt?.getTime(),
  }));
  const scan = (): Job[] => stored.filter((r) => r.name.startsWith(PREFIX)).map(copyOut);

  // Both must give the same 100 jobs in the same order, or the comparison means nothing.
  const listed = await client.listJobs({ namePrefix: PREFIX });
  const scanned = scan();
  if (listed.length !== PREFIX_MATCHES || scanned.length !== PREFIX_MATCHES) {
    throw new Error(`expected ${PREFIX_MATCHES} matches of '${PREFIX}', got ${listed.length} (listJobs) and ${scanned.length} (scan)`);
  }
  if (listed.some((j, i) => j.id !== scanned[i]!.id)) throw new Error('listJobs and the linear scan disagree');

  await sample(50, () => client.listJobs({ namePrefix: PREFIX })); // warm-up
  await sample(10, scan);
  const listMs = await sample(LIST_REPS, () => client.listJobs({ namePrefix: PREFIX }));
  const scanMs = await sample(SCAN_REPS, scan);
  await client.close();
  return { listMs, scanMs };
}

// (c) 10,000 interval jobs of 1 s, then one advanceTime(1000) that fires them all.
async function measureBurst(): Promise<{ runs: number[] }> {
  const runs: number[] = [];
  for (let r = 0; r <= BURST_RUNS; r++) {
    const client = new InMemorySchedulerClient();
    await createJobs(client, BURST, 1000);
    const { ms } = await timed(() => client.advanceTime(1000));
    let recorded = 0;
    for (const job of client.getAll()) {
      const executions = await client.getExecutions(job.id);
      recorded += executions.filter((e) => e.result === 'succeeded').length;
    }
    if (recorded !== BURST) throw new Error(`advanceTime(1000) recorded ${recorded} executions, expected ${BURST}`);
    await client.close();
    if (r > 0) runs.push(ms); // the first run warms up
  }
  return { runs };
}

// (d) Heap per job: the heap after creating 100,000 jobs (the client still referenced) minus before.
async function measureHeap(): Promise<{ bytesPerJob: number } | undefined> {
  if (!canCollectGarbage()) return undefined;
  await gc();
  const before = process.memoryUsage().heapUsed;
  const client = new InMemorySchedulerClient();
  await createJobs(client, MANY, 60_000);
  await gc();
  const after = process.memoryUsage().heapUsed;
  const count = client.getAll().length; // keeps the client alive past the measurement
  if (count !== MANY) throw new Error(`expected ${MANY} jobs, got ${count}`);
  await client.close();
  return { bytesPerJob: (after - before) / MANY };
}

export async function run(): Promise<BenchSection> {
  const create = await measureCreate();
  const prefix = await measurePrefix();
  const burst = await measureBurst();
  const heap = await measureHeap();

  const createMs = median(create.runs);
  const listMedian = median(prefix.listMs);
  const scanMedian = median(prefix.scanMs);
  const speedup = scanMedian / listMedian;
  const burstMs = median(burst.runs);

  const targets: BenchTarget[] = [
    { name: `createJob × ${formatCount(MANY)} (interval jobs, total)`, value: formatMs(createMs), target: `< ${formatMs(TARGET_CREATE_MS)}`, met: createMs < TARGET_CREATE_MS },
    {
      name: `listJobs({ namePrefix }) vs linear scan, ${PREFIX_MATCHES} of ${formatCount(MANY)}`,
      value: `${speedup.toFixed(1)}× faster`,
      target: `≥ ${TARGET_SPEEDUP}× faster`,
      met: speedup >= TARGET_SPEEDUP,
    },
    {
      name: `advanceTime(1000) firing ${formatCount(BURST)} jobs at once`,
      value: formatMs(burstMs),
      target: `< ${formatMs(TARGET_BURST_MS)}`,
      met: burstMs < TARGET_BURST_MS,
    },
    heap === undefined
      ? { name: 'Heap per job', value: 'not measured (needs --expose-gc)', target: `< ${formatBytes(TARGET_BYTES_PER_JOB)}`, met: false }
      : {
          name: `Heap per job (${formatCount(MANY)} interval jobs)`,
          value: `${formatCount(heap.bytesPerJob)} B`,
          target: `< ${formatCount(TARGET_BYTES_PER_JOB)} B`,
          met: heap.bytesPerJob < TARGET_BYTES_PER_JOB,
        },
  ];

  const details = markdownTable(
    ['Operation', 'Runs', 'Median', 'p10', 'p90', 'Min', 'Max'],
    [
      row(`createJob × ${formatCount(MANY)}`, create.runs),
      row(`listJobs({ namePrefix: '${PREFIX}' }) → ${PREFIX_MATCHES} jobs`, prefix.listMs),
      row(`linear scan (startsWith + copy) → ${PREFIX_MATCHES} jobs`, prefix.scanMs),
      row(`advanceTime(1000), ${formatCount(BURST)} jobs due`, burst.runs),
    ],
  );

  const markdown = [
    targetsTable(targets),
    '',
    details,
    '',
    'How it is measured:',
    '',
    `- Every client is an \`InMemorySchedulerClient\` on its default \`VirtualClock\`. Jobs are interval jobs named \`job-00000\` … \`job-99999\` with a payload of \`{ seq }\`, created one \`await client.createJob()\` at a time.`,
    `- Creating: the total time of ${formatCount(MANY)} creates on a fresh client, median of ${CREATE_RUNS} runs after a warm-up.`,
    `- Prefix listing: \`listJobs({ namePrefix: '${PREFIX}' })\` matches job-12300 … job-12399 among ${formatCount(MANY)} jobs. The baseline is a linear scan over an array of the same ${formatCount(MANY)} stored jobs (payload kept as JSON, as the scheduler keeps it) that does the same \`startsWith\` check and builds the same ${PREFIX_MATCHES} result objects as the client. Both must return the same jobs in the same order. Medians of ${LIST_REPS} and ${SCAN_REPS} repetitions.`,
    `- Burst: ${formatCount(BURST)} interval jobs of 1 s on a fresh client, then one timed \`advanceTime(1000)\` that fires all of them, runs them and records ${formatCount(BURST)} executions (checked). Median of ${BURST_RUNS} runs after a warm-up run.`,
    `- Heap: \`process.memoryUsage().heapUsed\` after minus before creating ${formatCount(MANY)} jobs, with garbage collected before each reading and the client still referenced, divided by ${formatCount(MANY)}.`,
  ].join('\n');

  return { id: 'in-memory', title: 'In-memory client', command: 'npm run bench -- in-memory', markdown, targets };
}

function row(label: string, ms: readonly number[]): string[] {
  return [label, String(ms.length), formatMs(median(ms)), formatMs(percentile(ms, 10)), formatMs(percentile(ms, 90)), formatMs(Math.min(...ms)), formatMs(Math.max(...ms))];
}
