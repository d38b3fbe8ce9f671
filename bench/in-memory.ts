// The in-memory client on its default VirtualClock: creating many jobs, listing by name prefix,
// paging through every job with and without a name prefix, firing many jobs at once, and the heap
// a job takes.
import { loadavg } from 'node:os';
import { SchedulerEngine } from '../src/engine/engine.js';
import { InMemorySchedulerClient, Schedule, VirtualClock, type Job, type JobFilter, type JobRequest } from '../src/index.js';
import {
  canCollectGarbage,
  formatBytes,
  formatCount,
  formatMs,
  gc,
  markdownTable,
  median,
  nowMs,
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

const LISTING_PREFIX = 'job-'; // every job
const LISTING_SIZES = [10_000, 100_000] as const;
const LISTING_PAGES = [100, 1000] as const;
const LISTING_ROUNDS = 11;

const TARGET_CREATE_MS = 1000;
const TARGET_LISTING_RATIO = 1.2;
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
  labels: Record<string, string>;
  revision: number;
  updatedAt: number;
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
    labels: { ...r.labels },
    revision: r.revision,
    updatedAt: new Date(r.updatedAt),
    policy: { overlap: 'buffer_one', retryBackoff: { initialMs: 1000, maxMs: 60000, multiplier: 2 }, pauseOnFailure: false },
    stats: { runs: 0, succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0 },
    runningExecutions: [],
  };
  if (r.nextRunAt !== undefined) job.nextRunAt = new Date(r.nextRunAt);
  return job;
}

// (b) listJobs({ namePrefix }) matching 100 of 100,000, against a linear scan over the same jobs
// that does the same startsWith check and builds the same 100 result objects.
async function measurePrefix(): Promise<{ firstMs: number; listMs: number[]; scanMs: number[] }> {
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
    labels: j.labels,
    revision: j.revision,
    updatedAt: j.updatedAt.getTime(),
  }));
  const scan = (): Job[] => stored.filter((r) => r.name.startsWith(PREFIX)).map(copyOut);

  // Both must give the same 100 jobs in the same order, or the comparison means nothing.
  const { ms: firstMs, result: listed } = await timed(() => client.listJobs({ namePrefix: PREFIX }));
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
  return { firstMs, listMs, scanMs };
}

// (c) Paging through every job, unfiltered and with a name prefix that every job matches, as the
// reference server pages ListJobs: the engine directly, `after` = the previous page's `next`.
function engineWith(count: number): SchedulerEngine {
  const engine = new SchedulerEngine({ clock: new VirtualClock() });
  for (let i = 0; i < count; i++) engine.create(request(i, 60_000));
  return engine;
}

/** Pages through every job `filter` matches and returns how long that took, in ms. */
function timeListing(engine: SchedulerEngine, filter: JobFilter, jobs: number, limit: number): number {
  const start = nowMs();
  let after: number | undefined;
  let count = 0;
  for (;;) {
    const page = engine.list(filter, after === undefined ? { limit } : { after, limit });
    count += page.items.length;
    if (page.next === undefined) break;
    after = page.next;
  }
  const ms = nowMs() - start;
  if (count !== jobs) throw new Error(`listed ${count} jobs with ${JSON.stringify(filter)}, expected ${jobs}`);
  return ms;
}

interface ListingCase {
  jobs: number;
  pageSize: number;
  /** Each round's unfiltered listing, ms. */
  unfiltered: number[];
  /** Each round's first listing by prefix on its engine, ms. */
  prefix: number[];
  /** Each round's prefix / unfiltered, first listings. */
  ratios: number[];
  /** Each round's prefix / unfiltered, second listings. */
  againRatios: number[];
}

// Every round is a fresh engine, so the first listing by prefix pays for whatever it sets up.
// Garbage is collected before each listing, so each pays for its own; the order turns each round.
function measureListing(jobs: number, pageSize: number): ListingCase {
  const result: ListingCase = { jobs, pageSize, unfiltered: [], prefix: [], ratios: [], againRatios: [] };
  const prefixFilter: JobFilter = { namePrefix: LISTING_PREFIX };
  const pair = (engine: SchedulerEngine, prefixFirst: boolean): { unfiltered: number; prefix: number } => {
    const times = { unfiltered: 0, prefix: 0 };
    for (const which of prefixFirst ? (['prefix', 'unfiltered'] as const) : (['unfiltered', 'prefix'] as const)) {
      globalThis.gc?.(); // one full collection empties the young generation
      times[which] = timeListing(engine, which === 'prefix' ? prefixFilter : {}, jobs, pageSize);
    }
    return times;
  };
  for (let round = 0; round < LISTING_ROUNDS; round++) {
    const engine = engineWith(jobs);
    const first = pair(engine, round % 2 === 1);
    const again = pair(engine, round % 2 === 0);
    result.unfiltered.push(first.unfiltered);
    result.prefix.push(first.prefix);
    result.ratios.push(first.prefix / first.unfiltered);
    result.againRatios.push(again.prefix / again.unfiltered);
    engine.close();
  }
  return result;
}

function measureListings(): ListingCase[] {
  const warm = engineWith(10_000);
  for (const pageSize of LISTING_PAGES) {
    timeListing(warm, {}, 10_000, pageSize);
    timeListing(warm, { namePrefix: LISTING_PREFIX }, 10_000, pageSize);
  }
  warm.close();
  const cases: ListingCase[] = [];
  for (const jobs of LISTING_SIZES) for (const pageSize of LISTING_PAGES) cases.push(measureListing(jobs, pageSize));
  return cases;
}

// (d) 10,000 interval jobs of 1 s, then one advanceTime(1000) that fires them all.
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

// (e) Heap per job: the heap after creating 100,000 jobs (the client still referenced) minus before.
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
  const loadBefore = loadavg()[0]!;
  const create = await measureCreate();
  const prefix = await measurePrefix();
  const listings = measureListings();
  const burst = await measureBurst();
  const heap = await measureHeap();
  const loadAfter = loadavg()[0]!;

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
    ...listings
      .filter((c) => c.jobs === MANY)
      .map((c): BenchTarget => {
        const ratio = median(c.ratios);
        return {
          name: `Full listing by a prefix every job matches / unfiltered, ${formatCount(c.jobs)} jobs, ${c.pageSize} a page`,
          value: `${ratio.toFixed(2)}×`,
          target: `≤ ${TARGET_LISTING_RATIO.toFixed(1)}×`,
          met: ratio <= TARGET_LISTING_RATIO,
        };
      }),
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

  const growth = (pageSize: number, pick: (c: ListingCase) => number[]): string => {
    const [small, large] = LISTING_SIZES.map((jobs) => listings.find((c) => c.jobs === jobs && c.pageSize === pageSize)!);
    return `${(median(pick(large!)) / median(pick(small!))).toFixed(1)}×`;
  };
  const listingTable = markdownTable(
    ['Jobs', 'Page size', 'Unfiltered', `namePrefix '${LISTING_PREFIX}'`, 'prefix / unfiltered', 'each round', 'second listing, prefix / unfiltered'],
    listings.map((c) => [
      formatCount(c.jobs),
      String(c.pageSize),
      formatMs(median(c.unfiltered)),
      formatMs(median(c.prefix)),
      `${median(c.ratios).toFixed(2)}×`,
      c.ratios.map((r) => r.toFixed(2)).join(' / '),
      `${median(c.againRatios).toFixed(2)}×`,
    ]),
  );
  const growthLine = LISTING_PAGES.map(
    (p) => `${p} a page: unfiltered ${growth(p, (c) => c.unfiltered)}, by prefix ${growth(p, (c) => c.prefix)}`,
  ).join('; ');

  const markdown = [
    targetsTable(targets),
    '',
    details,
    '',
    listingTable,
    '',
    `From ${formatCount(LISTING_SIZES[0])} to ${formatCount(LISTING_SIZES[1])} jobs the full listing grows ${growthLine}.`,
    '',
    `The machine's load average (1 min) was ${loadBefore.toFixed(2)} when this section started and ${loadAfter.toFixed(2)} when it ended; other work on the machine slows every number here, and moves the ratios.`,
    '',
    'How it is measured:',
    '',
    `- Every client is an \`InMemorySchedulerClient\` on its default \`VirtualClock\`. Jobs are interval jobs named \`job-00000\` … \`job-99999\` with a payload of \`{ seq }\`, created one \`await client.createJob()\` at a time.`,
    `- Creating: the total time of ${formatCount(MANY)} creates on a fresh client, median of ${CREATE_RUNS} runs after a warm-up.`,
    `- Prefix listing: \`listJobs({ namePrefix: '${PREFIX}' })\` matches job-12300 … job-12399 among ${formatCount(MANY)} jobs. The baseline is a linear scan over an array of the same ${formatCount(MANY)} stored jobs (payload kept as JSON, as the scheduler keeps it) that does the same \`startsWith\` check and builds the same ${PREFIX_MATCHES} result objects as the client. Both must return the same jobs in the same order. Medians of ${LIST_REPS} and ${SCAN_REPS} repetitions. The first listing by a prefix collects its matches in creation order, and later ones reuse them (kept up to date as jobs are created); that first call took ${formatMs(prefix.firstMs)} here.`,
    `- Full listing: a fresh \`SchedulerEngine\` on a \`VirtualClock\` per round with N jobs as above (created with \`engine.create\`), paged through to the end the way the reference server pages ListJobs (\`list(filter, { after: next, limit })\`), with no filter and with \`namePrefix: '${LISTING_PREFIX}'\`, which every job matches; both must list all N jobs. Garbage is collected before each listing, so that each pays for its own garbage, and which of the two goes first turns each round. The ratio is taken within each round, and its median over ${LISTING_ROUNDS} rounds is reported; the times are medians too. The measured listing is the first by that prefix on its engine, so it includes whatever is set up for the prefix; the last column is a second pair of listings on the same engine. On this 2-core machine a single round's ratio moves by ±0.3 or more with whatever else runs (see "each round"), and the median of a run by about ±0.1 between runs; compare several runs.`,
    `- Burst: ${formatCount(BURST)} interval jobs of 1 s on a fresh client, then one timed \`advanceTime(1000)\` that fires all of them, runs them and records ${formatCount(BURST)} executions (checked). Median of ${BURST_RUNS} runs after a warm-up run.`,
    `- Heap: \`process.memoryUsage().heapUsed\` after minus before creating ${formatCount(MANY)} jobs, with garbage collected before each reading and the client still referenced, divided by ${formatCount(MANY)}.`,
  ].join('\n');

  return { id: 'in-memory', title: 'In-memory client', command: 'npm run bench -- in-memory', markdown, targets };
}

function row(label: string, ms: readonly number[]): string[] {
  return [label, String(ms.length), formatMs(median(ms)), formatMs(percentile(ms, 10)), formatMs(percentile(ms, 90)), formatMs(Math.min(...ms)), formatMs(Math.max(...ms))];
}
