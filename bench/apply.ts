// applySchedules at service start-up: re-applying an owner's 1,000 unchanged specs against a
// server that holds 100,000 jobs, against listing those 1,000 jobs once, over loopback gRPC in the
// same run. Re-applying unchanged specs sends no write: its cost is one labelled listing plus
// checking and comparing the specs.
import { GrpcSchedulerClient, OWNER_LABEL, Schedule, VirtualClock, type KeyedJobSpec } from '../src/index.js';
import { startSchedulerServer } from '../src/server/reference-server.js';
import { formatCount, formatMs, markdownTable, median, nowMs, targetsTable, type BenchSection } from './lib.js';

const TOTAL = 100_000;
const OWNED = 1_000;
const OWNERS = 100; // the other jobs belong to 99 other owners
const ROUNDS = 15;
const CREATE_IN_FLIGHT = 64;
const TARGET_RATIO = 1.5;
const OWNER = 'bench-service';

const spec = (i: number): KeyedJobSpec => ({
  key: `bench-${i}`,
  name: `report ${i}`,
  schedule: i % 2 === 0 ? Schedule.cron(`${(i / 2) % 60} 9 * * MON-FRI`, { timezone: 'Asia/Tokyo' }) : Schedule.interval(3_600_000 + i * 1000),
  payload: { report: i, pages: [1, 2, 3], owner: OWNER },
  labels: { team: 'billing' },
});

export async function run(): Promise<BenchSection> {
  const server = await startSchedulerServer({ clock: new VirtualClock() });
  const client = new GrpcSchedulerClient({ address: server.address, defaultTimeoutMs: 120_000 });
  try {
    const specs = Array.from({ length: OWNED }, (_, i) => spec(i));
    // The owner's jobs first, then the other owners' jobs, created 64 at a time.
    const first = await client.applySchedules(specs, { owner: OWNER });
    if (first.counts.create !== OWNED) throw new Error(`expected ${OWNED} creates, got ${JSON.stringify(first.counts)}`);
    let next = OWNED;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < TOTAL; i = next++) {
        await client.createJob({ name: `other ${i}`, schedule: Schedule.interval(3_600_000), payload: { i }, key: `other-${i}`, labels: { [OWNER_LABEL]: `service-${i % (OWNERS - 1)}` } });
      }
    };
    await Promise.all(Array.from({ length: CREATE_IN_FLIGHT }, worker));

    const list = async (): Promise<number> => {
      const t0 = nowMs();
      const jobs = await client.listJobs({ labels: { [OWNER_LABEL]: OWNER } });
      if (jobs.length !== OWNED) throw new Error(`listed ${jobs.length} jobs, expected ${OWNED}`);
      return nowMs() - t0;
    };
    const reapply = async (): Promise<number> => {
      const t0 = nowMs();
      const diff = await client.applySchedules(specs, { owner: OWNER });
      if (diff.changed || diff.counts.unchanged !== OWNED) throw new Error(`re-apply changed something: ${JSON.stringify(diff.counts)}`);
      return nowMs() - t0;
    };
    for (let i = 0; i < 3; i++) {
      await list();
      await reapply();
    }
    const listed: number[] = [];
    const reapplied: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // The two take turns, and swap who goes first, so that drift falls on both alike.
      if (r % 2 === 0) {
        listed.push(await list());
        reapplied.push(await reapply());
      } else {
        reapplied.push(await reapply());
        listed.push(await list());
      }
    }
    const ratio = median(reapplied) / median(listed);
    const targets = [
      { name: `re-apply ${formatCount(OWNED)} unchanged specs / list them once`, value: `${ratio.toFixed(2)}×`, target: `≤ ${TARGET_RATIO.toFixed(1)}×`, met: ratio <= TARGET_RATIO },
    ];
    const markdown = [
      targetsTable(targets),
      '',
      markdownTable(
        ['Operation', 'median', 'min', 'max'],
        [
          [`listJobs({ labels: { '${OWNER_LABEL}': owner } }), ${formatCount(OWNED)} jobs`, formatMs(median(listed)), formatMs(Math.min(...listed)), formatMs(Math.max(...listed))],
          [`applySchedules(${formatCount(OWNED)} unchanged specs, { owner })`, formatMs(median(reapplied)), formatMs(Math.min(...reapplied)), formatMs(Math.max(...reapplied))],
        ],
      ),
      '',
      'How it is measured:',
      '',
      `- The reference server runs in the benchmark process on 127.0.0.1 with a VirtualClock (no job fires), and holds ${formatCount(TOTAL)} jobs: ${formatCount(OWNED)} created by \`applySchedules\` for the owner, and ${formatCount(TOTAL - OWNED)} keyed jobs of ${OWNERS - 1} other owners. The GrpcSchedulerClient talks to it over loopback HTTP/2.`,
      `- Baseline: one \`listJobs\` with the owner's label selector, which returns the ${formatCount(OWNED)} jobs in one page of 1,000. Subject: \`applySchedules\` of the same ${formatCount(OWNED)} specs, which checks every spec, lists the owner's jobs the same way, compares each job with its spec, and sends nothing else because nothing changed.`,
      `- ${ROUNDS} rounds after 3 warm-up rounds, the two taking turns and swapping who goes first; the ratio is of the medians.`,
    ].join('\n');
    return { id: 'apply', title: 'Re-applying unchanged schedules', command: 'npm run bench -- apply', markdown, targets };
  } finally {
    await client.close();
    await server.close();
  }
}
