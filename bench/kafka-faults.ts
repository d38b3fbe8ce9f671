// KafkaJobCompletedSubscriber under faults, repeated for the numbers: recovery after the broker
// was stopped for 20 s, killed and restarted, or paused; the other partitions' rate while one
// handler is slow; how soon a process exits after close() during an outage; duplicates in each.
// The scenarios are those of __tests__/kafka.faults.test.ts (__tests__/support/faults.ts), on one
// dedicated Kafka 3.9 broker started with scripts/kafka.sh (they stop, kill and pause it).
//
// K1S0_BENCH_FAULTS_RUNS=N caps every scenario at N runs, for a quick check.
import { brokerOutage, closeDuringOutage, EXIT_BOUND_MS, groupOfThree, OUTAGE_MS, slowHandler, STREAM_RATE, SCENARIO_GROUP, type OutageResult, type ScenarioResult } from '../__tests__/support/faults.js';
import { startDedicatedBroker } from '../__tests__/support/kafka.js';
import { formatMs, markdownTable, median, targetsTable, type BenchSection, type BenchTarget } from './lib.js';

const RUNS = { stopped: 5, killed: 5, paused: 5, group: 3, slow: 3, closePaused: 5, closeStopped: 5 } as const;
const TARGET_RECOVERY_MS = 5_000;
const TARGET_RATIO = 0.5;
const TARGET_EXIT_MS = 1_000;

function runsOf(wanted: number): number {
  const cap = Number(process.env.K1S0_BENCH_FAULTS_RUNS);
  return Number.isInteger(cap) && cap > 0 ? Math.min(cap, wanted) : wanted;
}

/** Runs a scenario `times` times; a run that throws is counted and reported, and the next goes on. */
async function repeat<T extends ScenarioResult>(name: string, times: number, once: () => Promise<T>): Promise<{ results: T[]; failures: string[] }> {
  const results: T[] = [];
  const failures: string[] = [];
  for (let i = 1; i <= times; i++) {
    try {
      const r = await once();
      results.push(r);
      console.log(`   ${name} ${i}/${times}: ${r.summary}`);
    } catch (error) {
      failures.push((error as Error).message.slice(0, 300));
      console.log(`   ${name} ${i}/${times}: FAILED: ${(error as Error).message}`);
    }
  }
  return { results, failures };
}

const stats = (values: number[]): { median: string; min: string; max: string } =>
  values.length === 0 ? { median: 'n/a', min: 'n/a', max: 'n/a' } : { median: formatMs(median(values)), min: formatMs(Math.min(...values)), max: formatMs(Math.max(...values)) };

const dupes = (results: ScenarioResult[]): string => (results.length === 0 ? 'n/a' : `${results.reduce((a, r) => a + r.duplicates, 0)} (${results.map((r) => r.duplicates).join(' / ')})`);
const lost = (results: ScenarioResult[]): string => String(results.reduce((a, r) => a + r.lost.length, 0));
const runsCell = (n: number, failures: string[]): string => (failures.length === 0 ? String(n) : `${n} (+${failures.length} failed)`);

export async function run(): Promise<BenchSection> {
  console.log('   starting a dedicated Kafka 3.9 broker (scripts/kafka.sh start --name bench-faults-…)');
  const broker = await startDedicatedBroker('3.9', 'bench-faults');
  try {
    const stopped = await repeat('broker stopped 20 s', runsOf(RUNS.stopped), () => brokerOutage(broker, 'stopped'));
    const killed = await repeat('broker killed', runsOf(RUNS.killed), () => brokerOutage(broker, 'killed'));
    const paused = await repeat('broker paused', runsOf(RUNS.paused), () => brokerOutage(broker, 'paused'));
    const group = await repeat('group of three', runsOf(RUNS.group), () => groupOfThree(broker));
    const slow = await repeat('slow handler', runsOf(RUNS.slow), () => slowHandler(broker));
    const closePaused = await repeat('close, broker paused', runsOf(RUNS.closePaused), () => closeDuringOutage(broker, 'paused'));
    const closeStopped = await repeat('close, broker stopped', runsOf(RUNS.closeStopped), () => closeDuringOutage(broker, 'stopped'));

    const recovery = (rs: { recoveryMs: number }[]) => rs.map((r) => r.recoveryMs);
    const ratios = slow.results.map((r) => r.ratio);
    const exits = [...closePaused.results, ...closeStopped.results];
    const exitTimes = exits.map((r) => r.exitMs ?? Infinity);
    const worstExit = exitTimes.length === 0 ? NaN : Math.max(...exitTimes);
    const med = (values: number[]) => (values.length === 0 ? NaN : median(values));

    const targets: BenchTarget[] = [
      { name: 'Recovery after the broker was stopped 20 s (median)', value: formatMs(med(recovery(stopped.results))), target: `≤ ${formatMs(TARGET_RECOVERY_MS)}`, met: med(recovery(stopped.results)) <= TARGET_RECOVERY_MS },
      { name: 'Recovery after the broker was killed and restarted (median)', value: formatMs(med(recovery(killed.results))), target: `≤ ${formatMs(TARGET_RECOVERY_MS)}`, met: med(recovery(killed.results)) <= TARGET_RECOVERY_MS },
      { name: 'Other partitions during a 15 s handler / before it (median)', value: `${med(ratios).toFixed(2)}×`, target: `≥ ${TARGET_RATIO.toFixed(2)}×`, met: med(ratios) >= TARGET_RATIO },
      {
        name: 'Exit after close() settled during an outage (worst run)',
        value: Number.isFinite(worstExit) ? formatMs(worstExit) : `not within ${formatMs(EXIT_BOUND_MS)}`,
        target: `≤ ${formatMs(TARGET_EXIT_MS)}`,
        met: worstExit <= TARGET_EXIT_MS,
      },
      {
        name: 'Events lost, every scenario',
        value: String([stopped, killed, paused, group, slow, closePaused, closeStopped].reduce((a, s) => a + s.results.reduce((b, r) => b + r.lost.length, 0), 0)),
        target: '0',
        met: [stopped, killed, paused, group, slow, closePaused, closeStopped].every((s) => s.results.every((r) => r.lost.length === 0)),
      },
    ];

    const outageRow = (name: string, s: { results: OutageResult[]; failures: string[] }) => {
      const st = stats(recovery(s.results));
      const port = s.results.flatMap((r) => (r.sincePortMs === undefined ? [] : [r.sincePortMs]));
      return [name, runsCell(s.results.length, s.failures), st.median, st.min, st.max, port.length === 0 ? 'n/a' : formatMs(median(port)), dupes(s.results), lost(s.results)];
    };
    const recoveryTable = markdownTable(
      ['Fault', 'Runs', 'Recovery (median)', 'min', 'max', 'From the port accepting connections (median)', 'Duplicates (total; each run)', 'Lost'],
      [
        outageRow(`Broker stopped (SIGTERM) ${OUTAGE_MS.stopped / 1000} s, then resumed`, stopped),
        outageRow(`Broker killed (SIGKILL), restarted ${OUTAGE_MS.killed / 1000} s later`, killed),
        outageRow(`Broker paused (SIGSTOP) ${OUTAGE_MS.paused / 1000} s, then continued`, paused),
      ],
    );
    const groupStats = stats(group.results.map((r) => r.takeoverMs));
    const groupTable = markdownTable(
      ['Group of three', 'Runs', 'Takeover (median)', 'min', 'max', 'Caught up (median)', 'Duplicates (total; each run)', 'Lost'],
      [
        [
          'One member killed (SIGKILL), one closed; the third takes over',
          runsCell(group.results.length, group.failures),
          groupStats.median,
          groupStats.min,
          groupStats.max,
          stats(group.results.map((r) => r.caughtUpMs)).median,
          dupes(group.results),
          lost(group.results),
        ],
      ],
    );
    const slowTable = markdownTable(
      ['Slow handler', 'Runs', 'Other partitions before', 'during', 'Ratio (median)', 'min', 'max', 'Joins', 'Duplicates', 'Lost'],
      [
        [
          '15 s on one event of partition 0, 4 partitions, one member',
          runsCell(slow.results.length, slow.failures),
          slow.results.length === 0 ? 'n/a' : `${med(slow.results.map((r) => r.rateBefore)).toFixed(1)}/s`,
          slow.results.length === 0 ? 'n/a' : `${med(slow.results.map((r) => r.rateDuring)).toFixed(1)}/s`,
          ratios.length === 0 ? 'n/a' : `${med(ratios).toFixed(2)}×`,
          ratios.length === 0 ? 'n/a' : `${Math.min(...ratios).toFixed(2)}×`,
          ratios.length === 0 ? 'n/a' : `${Math.max(...ratios).toFixed(2)}×`,
          slow.results.map((r) => r.groupJoins).join(' / '),
          dupes(slow.results),
          lost(slow.results),
        ],
      ],
    );
    const closeRow = (name: string, s: { results: (ScenarioResult & { closeMs: number; exitMs: number | undefined; exitedByItself: boolean; leftoverHandles: string[] })[]; failures: string[] }) => {
      const exited = s.results.filter((r) => r.exitedByItself && r.exitMs !== undefined);
      const st = stats(exited.map((r) => r.exitMs!));
      const left = s.results.filter((r) => r.leftoverHandles.length > 0).length;
      return [
        name,
        runsCell(s.results.length, s.failures),
        stats(s.results.map((r) => r.closeMs)).median,
        `${exited.length} of ${s.results.length}`,
        st.median,
        st.min,
        st.max,
        `${left} of ${s.results.length}`,
        dupes(s.results),
        lost(s.results),
      ];
    };
    const closeTable = markdownTable(
      ['close() during an outage (child process)', 'Runs', 'close() (median)', 'Exited by itself', 'close → exit (median)', 'min', 'max', 'Sockets/timers left', 'Duplicates', 'Lost'],
      [closeRow('Broker paused (SIGSTOP)', closePaused), closeRow('Broker stopped (SIGTERM)', closeStopped)],
    );
    const failures = [
      ...[
        ['stopped', stopped],
        ['killed', killed],
        ['paused', paused],
        ['group', group],
        ['slow', slow],
        ['close paused', closePaused],
        ['close stopped', closeStopped],
      ].flatMap(([name, s]) => (s as { failures: string[] }).failures.map((f) => `- ${name as string}: ${f}`)),
    ];

    const markdown = [
      targetsTable(targets),
      '',
      recoveryTable,
      '',
      groupTable,
      '',
      slowTable,
      '',
      closeTable,
      ...(failures.length > 0 ? ['', 'Failed runs:', '', ...failures] : []),
      '',
      'How it is measured:',
      '',
      `- One dedicated Kafka 3.9.2 broker (\`scripts/kafka.sh start\`, KRaft, one node) on the same machine over loopback, shared by every run; each run has its own topic and group. The scenarios are those of \`__tests__/kafka.faults.test.ts\` (\`__tests__/support/faults.ts\`).`,
      `- A background producer sends ${STREAM_RATE} events/s (a few every 100 ms, round-robin over the partitions, acks=all) for the whole run and records each id the broker acknowledged; a send that fails during the fault is dropped (the stream goes on at its rate when the broker answers, without a burst). Lost = acknowledged ids never handled; duplicates = handler completions beyond the first per id.`,
      `- Subscribers: sessionTimeout ${SCENARIO_GROUP.sessionTimeout} ms, heartbeatInterval ${SCENARIO_GROUP.heartbeatInterval} ms, the other options at their defaults. Recovery: from \`scripts/kafka.sh resume\` (it returns once the broker answers a metadata request) or \`cont\` returning, to the first event handled after it; for a stopped or killed broker also from the moment its port accepted TCP connections again (polled every 50 ms; the broker's start-up up to its first metadata answer is in between). Broker outages on 3 partitions.`,
      `- Group of three on 6 partitions: one member in a child process killed with SIGKILL (no LeaveGroup: its partitions move when its session times out) and one closed with close() at the same moment; takeover is the time from the kill until the survivor has handled events of every partition, caught up until it has also handled every event acknowledged by then (the backlog of the killed member's partitions).`,
      `- Slow handler: one member on 4 partitions; after 5 s of normal handling, the handler of the next event on partition 0 takes 15 s (and does not end before the first 20 events of the other partitions produced after it started are handled, which with per-partition work happens within its 15 s). The other partitions' rate (first handlings per second) while it runs is compared with the 5 s before.`,
      `- close() during an outage: the subscriber runs in a child process (closeTimeoutMs 3000); the broker is paused or stopped, the child calls close(), prints \`process.getActiveResourcesInfo()\` when it settles and then calls no \`process.exit\`. "close → exit" is from close() settling to the process's exit (waited for ${EXIT_BOUND_MS / 1000} s at most, then killed); "sockets/timers left" counts runs with a TCPSocketWrap or Timeout beyond those the process had before the subscriber was created. Afterwards the broker is restored and another member handles the rest.`,
      `- Runs per scenario: ${Object.entries(RUNS)
        .map(([k, v]) => `${k} ${runsOf(v)}`)
        .join(', ')}${process.env.K1S0_BENCH_FAULTS_RUNS === undefined ? '' : ` (capped by K1S0_BENCH_FAULTS_RUNS=${process.env.K1S0_BENCH_FAULTS_RUNS})`}.`,
    ].join('\n');
    return { id: 'kafka-faults', title: 'Kafka subscriber under faults', command: 'npm run bench -- kafka-faults', markdown, targets };
  } finally {
    await broker.stop();
  }
}
