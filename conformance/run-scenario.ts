// Runs parity scenarios, each against a fresh reference server, and compares their transcripts.
//
//   node --import tsx conformance/run-scenario.ts compare -- CMD [ARGS...]
//       runs CMD with K1S0_SCHEDULER_ADDR set to a fresh parity server, runs the TypeScript
//       scenario against another fresh one, and diffs the normalised transcripts (exit 1 if they differ)
//   node --import tsx conformance/run-scenario.ts ts [--raw]
//       prints the TypeScript (reference) transcript, normalised unless --raw
//   node --import tsx conformance/run-scenario.ts serve [--host 127.0.0.1] [--port 0]
//       starts one parity server, prints K1S0_SCHEDULER_ADDR=HOST:PORT, runs until Ctrl-C
//       (a scenario expects a fresh server: start a new one for every run)
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startParityServer, type DelayedCalls } from './parity-server.js';
import { diffLines, normaliseTranscript } from './transcript.js';
import { runScenario } from './ts/scenario.js';

/** What a scenario program did. */
export interface ScenarioRun {
  /** The raw transcript. */
  stdout: string;
  stderr: string;
  /** The exit code, or null when it was killed (for example by the time limit). */
  exitCode: number | null;
  /** What the server saw of the calls that asked it for a delay (the TIMEOUT and CANCELLED steps). */
  delayed: DelayedCalls;
}

/** Options of {@link runProgramScenario}. */
export interface ProgramOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the program after this long. @default 60000 */
  timeoutMs?: number;
}

/**
 * Starts a fresh parity server, runs `command` with `K1S0_SCHEDULER_ADDR` set to it, and stops
 * the server when the program has exited.
 */
export async function runProgramScenario(command: string, args: string[], options: ProgramOptions = {}): Promise<ScenarioRun> {
  const { server, delayed } = await startParityServer();
  try {
    return await new Promise<ScenarioRun>((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: { ...(options.env ?? process.env), K1S0_SCHEDULER_ADDR: server.address },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: options.timeoutMs ?? 60_000,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.once('error', reject);
      child.once('close', (exitCode) =>
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode, delayed }),
      );
    });
  } finally {
    await server.close({ graceMs: 1_000 });
  }
}

/** Runs the TypeScript scenario in this process against a fresh parity server. */
export async function runTsScenario(): Promise<ScenarioRun> {
  const { server, delayed } = await startParityServer();
  const lines: string[] = [];
  try {
    await runScenario(server.address, (line) => lines.push(line));
  } finally {
    await server.close({ graceMs: 1_000 });
  }
  return { stdout: lines.join('\n'), stderr: '', exitCode: 0, delayed };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'ts': {
      const { values } = parseArgs({ args: rest, options: { raw: { type: 'boolean', default: false } } });
      const { stdout } = await runTsScenario();
      process.stdout.write(`${values.raw ? stdout : normaliseTranscript(stdout)}\n`);
      return 0;
    }
    case 'compare': {
      const [program, ...args] = rest[0] === '--' ? rest.slice(1) : rest;
      if (program === undefined) break;
      const run = await runProgramScenario(program, args, { timeoutMs: 300_000 });
      process.stderr.write(run.stderr);
      if (run.exitCode !== 0) process.stderr.write(`run-scenario: ${program} exited with ${run.exitCode}\n`);
      const expected = normaliseTranscript((await runTsScenario()).stdout);
      const actual = normaliseTranscript(run.stdout);
      const diff = diffLines(expected, actual, { expected: 'typescript (reference)', actual: program });
      process.stdout.write(diff === '' ? `run-scenario: ${program} matches the reference transcript (${expected.split('\n').length} steps)\n` : `${diff}\n`);
      // Steps 41 and 42 must be real calls that the server held and the client abandoned.
      const { received, abandoned } = run.delayed;
      const delayedOk = received === 2 && abandoned === 2;
      process.stdout.write(`run-scenario: delayed calls received ${received}, abandoned ${abandoned}${delayedOk ? '' : ' (want 2 and 2)'}\n`);
      return diff === '' && delayedOk && run.exitCode === 0 ? 0 : 1;
    }
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '0' } } });
      const { server } = await startParityServer({ host: values.host, port: Number(values.port) });
      process.stdout.write(`K1S0_SCHEDULER_ADDR=${server.address}\n`);
      process.stderr.write('run-scenario: parity server running (virtual clock, x-k1s0-test-delay-ms honoured); Ctrl-C stops it\n');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close({ graceMs: 1_000 });
      return 0;
    }
  }
  process.stderr.write('usage: run-scenario.ts compare -- CMD [ARGS...] | ts [--raw] | serve [--host H] [--port P]\n');
  return 2;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
