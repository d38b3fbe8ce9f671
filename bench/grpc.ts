// GrpcSchedulerClient against a raw grpc-js client made from the same proto, both calling the
// reference server over loopback HTTP/2 with identical requests, in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { GrpcSchedulerClient, Schedule } from '../src/index.js';
import { makeClient, saturate, type BenchClient, type Mode, type Op } from './support/grpc-clients.js';
import { formatCount, formatMs, markdownTable, nowMs, percentile, targetsTable, type BenchSection, type BenchTarget } from './lib.js';

const SEQ_BLOCK = 250;
const SEQ_ROUNDS = 48;
const IN_FLIGHT = 64;
const THROUGHPUT_MS = 1_000;
const THROUGHPUT_ROUNDS = 8;
const SCALE_MS = 3_000;
const TARGET_LATENCY_RATIO = 1.1;
const TARGET_THROUGHPUT_RATIO = 0.9;

const tsx = ['--import', 'tsx'];

async function startServer(): Promise<{ address: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...tsx, 'bench/support/grpc-server.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { address: line.trim(), child };
}

async function stopServer(child: ChildProcess): Promise<void> {
  child.stdin!.end();
  if (child.exitCode === null) await once(child, 'exit');
}

interface Stats {
  p50: number;
  p99: number;
  throughput: number;
}

// Sequential latency and throughput at 64 in flight, the two clients taking turns in blocks so
// that drift of the machine falls on both alike.
async function compare(op: Op, clients: Record<Mode, BenchClient>): Promise<Record<Mode, Stats>> {
  const latencies: Record<Mode, number[]> = { sdk: [], raw: [] };
  for (const mode of ['sdk', 'raw'] as const) for (let i = 0; i < 2_000; i++) await clients[mode].call(op); // warm-up
  for (let round = 0; round < SEQ_ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? (['sdk', 'raw'] as const) : (['raw', 'sdk'] as const)) {
      for (let i = 0; i < SEQ_BLOCK; i++) {
        const t0 = nowMs();
        await clients[mode].call(op);
        latencies[mode].push(nowMs() - t0);
      }
    }
  }
  const rates: Record<Mode, number[]> = { sdk: [], raw: [] };
  for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? (['sdk', 'raw'] as const) : (['raw', 'sdk'] as const)) {
      rates[mode].push((await saturate(clients[mode], op, IN_FLIGHT, THROUGHPUT_MS)) / (THROUGHPUT_MS / 1000));
    }
  }
  const stats = (mode: Mode): Stats => ({
    p50: percentile(latencies[mode], 50),
    p99: percentile(latencies[mode], 99),
    throughput: percentile(rates[mode], 50),
  });
  return { sdk: stats('sdk'), raw: stats('raw') };
}

async function scale(processes: number, mode: Mode, address: string, jobId: string): Promise<number> {
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, [...tsx, 'bench/support/grpc-load.ts', mode, address, jobId, 'getJob', String(IN_FLIGHT), String(SCALE_MS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const counts = await Promise.all(
    children.map(async (child) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      await once(child, 'exit');
      return Number(out.trim());
    }),
  );
  return counts.reduce((a, b) => a + b, 0) / (SCALE_MS / 1000);
}

export async function run(): Promise<BenchSection> {
  const { address, child } = await startServer();
  try {
    const setup = new GrpcSchedulerClient(address);
    const job = await setup.createJob({ name: 'bench-target', schedule: Schedule.interval(3_600_000), payload: { k: 'v', n: 1 } });
    await setup.close();
    const clients: Record<Mode, BenchClient> = { sdk: makeClient('sdk', address, job.id), raw: makeClient('raw', address, job.id) };
    const results: Record<Op, Record<Mode, Stats>> = { getJob: await compare('getJob', clients), createJob: await compare('createJob', clients) };
    clients.sdk.close();
    clients.raw.close();
    // Two turns per process count, the clients taking turns, so neither always goes first.
    const scaling: [number, Record<Mode, number>][] = [];
    for (const n of [1, 4]) {
      const total: Record<Mode, number> = { sdk: 0, raw: 0 };
      for (const order of [['sdk', 'raw'], ['raw', 'sdk']] as const) for (const mode of order) total[mode] += (await scale(n, mode, address, job.id)) / 2;
      scaling.push([n, total]);
    }

    const targets: BenchTarget[] = [];
    const rows: string[][] = [];
    for (const op of ['getJob', 'createJob'] as const) {
      const { sdk, raw } = results[op];
      const p50 = sdk.p50 / raw.p50;
      const p99 = sdk.p99 / raw.p99;
      const tput = sdk.throughput / raw.throughput;
      rows.push([op, formatMs(sdk.p50), formatMs(raw.p50), `${p50.toFixed(2)}×`, formatMs(sdk.p99), formatMs(raw.p99), `${p99.toFixed(2)}×`, formatCount(sdk.throughput), formatCount(raw.throughput), `${tput.toFixed(2)}×`]);
      if (op === 'getJob') {
        targets.push({ name: 'getJob p50 latency, SDK / raw', value: `${p50.toFixed(2)}×`, target: `≤ ${TARGET_LATENCY_RATIO.toFixed(2)}×`, met: p50 <= TARGET_LATENCY_RATIO });
        targets.push({ name: 'getJob p99 latency, SDK / raw', value: `${p99.toFixed(2)}×`, target: `≤ ${TARGET_LATENCY_RATIO.toFixed(2)}×`, met: p99 <= TARGET_LATENCY_RATIO });
        targets.push({ name: 'getJob throughput at 64 in flight, SDK / raw', value: `${tput.toFixed(2)}×`, target: `≥ ${TARGET_THROUGHPUT_RATIO.toFixed(2)}×`, met: tput >= TARGET_THROUGHPUT_RATIO });
      }
    }
    const markdown = [
      targetsTable(targets),
      '',
      markdownTable(['RPC', 'SDK p50', 'raw p50', 'ratio', 'SDK p99', 'raw p99', 'ratio', 'SDK calls/s', 'raw calls/s', 'ratio'], rows),
      '',
      markdownTable(
        ['Client processes', 'SDK calls/s (getJob)', 'raw calls/s (getJob)', 'ratio'],
        scaling.map(([n, r]) => [String(n), formatCount(r.sdk), formatCount(r.raw), `${(r.sdk / r.raw).toFixed(2)}×`]),
      ),
      '',
      'How it is measured:',
      '',
      '- The reference server runs in its own process on 127.0.0.1 (a VirtualClock, so no job fires); the clients run in the benchmark process. Both make identical requests: the raw client is a grpc-js client made with @grpc/proto-loader from the same proto with the same loader options, and gets the same 10 s deadline the SDK sets by default. The SDK additionally validates the input, converts the response to domain types (Dates, JSON payload) and maps errors.',
      `- Latency: ${SEQ_ROUNDS} blocks of ${formatCount(SEQ_BLOCK)} sequential calls per client, the clients taking turns block by block, after 2,000 warm-up calls each; p50 and p99 of all ${formatCount(SEQ_ROUNDS * SEQ_BLOCK)} calls of each client.`,
      `- Throughput: ${IN_FLIGHT} calls in flight for ${THROUGHPUT_MS / 1000} s per turn, ${THROUGHPUT_ROUNDS} turns per client taken alternately; the median turn.`,
      `- createJob sends a fresh request_id per call in both clients (the SDK does so itself), so every call creates a job.`,
      '- On this 2-core machine the server, the clients and the operating system share two cores, and p99 and throughput move from run to run by more than the margins of the targets (in consecutive runs, p99 SDK/raw between about 0.9× and 1.5×, throughput between about 0.75× and 1.0×); compare several runs before drawing conclusions.',
      `- Scaling: 1 and 4 client processes, each keeping ${IN_FLIGHT} getJob calls in flight for ${SCALE_MS / 1000} s against the one server process; calls/s summed over the processes, averaged over two turns per client. On 2 cores the server process and the clients share the CPU, so 4 processes do not mean 4× the calls.`,
    ].join('\n');
    return { id: 'grpc', title: 'gRPC client against raw grpc-js', command: 'npm run bench -- grpc', markdown, targets };
  } finally {
    await stopServer(child);
  }
}
