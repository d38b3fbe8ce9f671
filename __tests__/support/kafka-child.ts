// Starts __tests__/support/kafka-consumer-child.ts in a process of its own and follows its lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ChildOptions } from './kafka-consumer-child.js';
import { ROOT, until } from './kafka.js';

export interface ConsumerChild {
  readonly process: ChildProcess;
  /** Ids whose handler started, in order. */
  readonly started: string[];
  /** Ids handled, in order. */
  readonly handled: string[];
  /** Every line, for diagnostics. */
  readonly lines: string[];
  /** process.getActiveResourcesInfo() in the child before its subscriber was created. */
  readonly baseline: string[] | undefined;
  /** With `closeOnSignal`, once close() settled: when (epoch ms), how long it took, what was still active. */
  readonly closeSettled: { at: number; closeMs: number; resources: string[] } | undefined;
  /** Settles once the process exited and its output was read; `at` is when it exited (epoch ms). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** Waits until `check` holds (polled); rejects after `ms` or if the process exits first. */
  waitFor(check: () => boolean, ms: number, what: string): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export function spawnConsumerChild(options: ChildOptions): ConsumerChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, '__tests__', 'support', 'kafka-consumer-child.ts'), JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const started: string[] = [];
  const handled: string[] = [];
  const lines: string[] = [];
  let baseline: string[] | undefined;
  let closeSettled: { at: number; closeMs: number; resources: string[] } | undefined;
  let rest = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (line.startsWith('H ')) handled.push(line.slice(2));
      else if (line.startsWith('S ')) started.push(line.slice(2));
      else if (line.startsWith('BASELINE ')) baseline = JSON.parse(line.slice('BASELINE '.length)) as string[];
      else if (line.startsWith('CLOSE_SETTLED ')) {
        const [at, closeMs, ...json] = line.slice('CLOSE_SETTLED '.length).split(' ');
        closeSettled = { at: Number(at), closeMs: Number(closeMs), resources: JSON.parse(json.join(' ')) as string[] };
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let done = false;
  let exitedAt = 0;
  child.on('exit', () => (exitedAt = Date.now()));
  // 'close', not 'exit': it comes after the child's stdout has been read to the end, so `handled`
  // then holds every line the child wrote before it died.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.on('close', (code, signal) => {
      done = true;
      children.delete(child);
      resolve({ code, signal, at: exitedAt || Date.now() });
    }),
  );
  return {
    process: child,
    started,
    handled,
    lines,
    get baseline() {
      return baseline;
    },
    get closeSettled() {
      return closeSettled;
    },
    exited,
    async waitFor(check, ms, what) {
      await until(
        () => {
          if (check()) return true;
          if (done) throw new Error(`the consumer child exited before ${what}; stderr: ${stderr.slice(-2000)}; last lines: ${lines.slice(-5).join(' | ')}`);
          return false;
        },
        ms,
        what,
        20,
      );
    },
    kill(signal) {
      child.kill(signal);
    },
  };
}
