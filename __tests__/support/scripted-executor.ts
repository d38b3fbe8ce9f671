import type { Job, JobExecutor } from '../../src/index.js';

/** What one attempt does. `gate` waits until the test calls `release`. */
export type Step = 'succeed' | 'fail' | 'hang' | 'gate';

interface Gate {
  attempt: number;
  settle: (outcome: 'succeed' | 'fail') => void;
  signal: AbortSignal;
}

/**
 * An executor whose behaviour a test scripts per job name: a list of steps, one per attempt, the
 * last one repeating. Jobs without a script succeed at once.
 */
export class ScriptedExecutor {
  private readonly scripts = new Map<string, Step[]>();
  private readonly queues = new Map<string, Step[]>();
  private readonly gates = new Map<string, Gate[]>();
  /** Every signal handed to an attempt, by job name. */
  readonly signals = new Map<string, AbortSignal[]>();
  /** Every call, in order. */
  readonly calls: { name: string; attempt: number }[] = [];

  script(name: string, ...steps: Step[]): void {
    this.scripts.set(name, steps);
  }

  /**
   * Steps taken one per call, whatever the attempt number (so one run can gate and the next
   * succeed); when they are used up, the job's script (or 'succeed') applies again.
   */
  queue(name: string, ...steps: Step[]): void {
    this.queues.set(name, [...(this.queues.get(name) ?? []), ...steps]);
  }

  /** Settles every gated attempt of a job, oldest first; returns how many there were. */
  releaseAll(name: string, outcome: 'succeed' | 'fail' = 'succeed'): number {
    let n = 0;
    while (this.waiting(name) > 0) {
      this.release(name, outcome);
      n++;
    }
    return n;
  }

  /** Settles the oldest gated attempt of a job. */
  release(name: string, outcome: 'succeed' | 'fail' = 'succeed'): void {
    const gate = this.gates.get(name)?.shift();
    if (gate === undefined) throw new Error(`no gated attempt of '${name}' is waiting`);
    gate.settle(outcome);
  }

  /** How many gated attempts of a job are waiting. */
  waiting(name: string): number {
    return this.gates.get(name)?.length ?? 0;
  }

  readonly executor: JobExecutor = (job: Job, attempt: number, signal: AbortSignal) => {
    this.calls.push({ name: job.name, attempt });
    const list = this.signals.get(job.name) ?? [];
    list.push(signal);
    this.signals.set(job.name, list);
    const steps = this.scripts.get(job.name) ?? ['succeed'];
    const step = this.queues.get(job.name)?.shift() ?? steps[Math.min(attempt - 1, steps.length - 1)]!;
    switch (step) {
      case 'succeed':
        return undefined;
      case 'fail':
        throw new Error(`scripted failure of attempt ${attempt}`);
      case 'hang':
        return new Promise(() => {});
      case 'gate':
        return new Promise<void>((resolve, reject) => {
          const gates = this.gates.get(job.name) ?? [];
          gates.push({
            attempt,
            signal,
            settle: (outcome) => (outcome === 'succeed' ? resolve() : reject(new Error(`released as a failure (attempt ${attempt})`))),
          });
          this.gates.set(job.name, gates);
        });
    }
  };
}
