// Helpers shared by the benchmark sections: timing, statistics, heap measurement, markdown.
import { cpus, release, totalmem, type as osType, arch } from 'node:os';

/** One measured value against its target. */
export interface BenchTarget {
  /** What was measured. */
  name: string;
  /** The measured value, formatted with its unit. */
  value: string;
  /** The target, formatted, for example `< 1 s`. */
  target: string;
  /** Whether the value meets the target. */
  met: boolean;
}

/** What one benchmark module reports; `bench/run.ts` writes it into BENCHMARKS.md. */
export interface BenchSection {
  /** The section id, also the module's file name (`in-memory` for `bench/in-memory.ts`). */
  id: string;
  /** The heading of the section. */
  title: string;
  /** The command that runs this section alone. */
  command: string;
  /** The body of the section (tables and notes), without the heading. */
  markdown: string;
  /** The measurements that have a target. */
  targets: BenchTarget[];
}

/** A benchmark module: `bench/<id>.ts` exports `run`. */
export interface BenchModule {
  run(): Promise<BenchSection>;
}

/** A monotonic high-resolution time in milliseconds. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `fn` once and returns how long it took in ms, with its result. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const start = nowMs();
  const result = await fn();
  return { ms: nowMs() - start, result };
}

/** Runs `fn` `times` times and returns each duration in ms. */
export async function sample(times: number, fn: () => unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = nowMs();
    await fn();
    out.push(nowMs() - start);
  }
  return out;
}

/** The p-th percentile (0..100) of some numbers, by linear interpolation. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** True when the process runs with `--expose-gc`, so heap measurements are meaningful. */
export function canCollectGarbage(): boolean {
  return typeof globalThis.gc === 'function';
}

/**
 * Collects garbage thoroughly (several passes, so that finalizers and weak references settle).
 * @throws when the process was not started with `--expose-gc`.
 */
export async function gc(): Promise<void> {
  const collect = globalThis.gc;
  if (typeof collect !== 'function') throw new Error('run node with --expose-gc to measure the heap');
  for (let i = 0; i < 4; i++) {
    collect();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A markdown table. Cells are escaped for `|`. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The table of a section's targets. */
export function targetsTable(targets: readonly BenchTarget[]): string {
  return markdownTable(
    ['Measurement', 'Value', 'Target', 'Met'],
    targets.map((t) => [t.name, t.value, t.target, t.met ? 'yes' : '**no**']),
  );
}

/** The machine the benchmarks run on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memory: string;
  node: string;
  os: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown CPU',
    cores: list.length,
    memory: formatBytes(totalmem()),
    node: process.version,
    os: `${osType()} ${release()} (${arch()})`,
  };
}

/** One line that describes the machine. */
export function describeMachine(m: MachineInfo = machineInfo()): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memory} RAM, Node ${m.node}, ${m.os}`;
}

/** A duration in ms with a unit that suits its size. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A byte count with a binary unit. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** An integer with thousands separators. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
