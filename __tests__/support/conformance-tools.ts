// What the tests of the parity kit share: where `bash conformance/setup.sh` puts the Python, Go and
// Rust tools, whether they are there (tests skip locally without them and fail under CI=true),
// running a program, and building a Go or Rust program offline.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');
/** The Python of conformance/.venv. */
export const PYTHON = join(ROOT, 'conformance/.venv/bin/python');
/** The Go module of the parity kit. */
export const GO_DIR = join(ROOT, 'conformance/go');
/** Where Go programs are built. */
export const GO_BIN = join(GO_DIR, 'bin');
/** Go must neither download modules nor a toolchain in tests: setup.sh has fetched what go.sum pins. */
export const GO_ENV: NodeJS.ProcessEnv = { ...process.env, GOFLAGS: '-mod=readonly', GOPROXY: 'off', GOTOOLCHAIN: 'local' };
/** The Cargo package of the parity kit (conformance/rust). */
export const RUST_DIR = join(ROOT, 'conformance/rust');
/** Where Cargo puts the Rust programs (the dev profile). */
export const RUST_BIN = join(RUST_DIR, 'target/debug');
/** Cargo must not reach the network in tests, nor change Cargo.lock: setup.sh has fetched what it pins. */
export const CARGO_ENV: NodeJS.ProcessEnv = { ...process.env, CARGO_NET_OFFLINE: 'true' };
/** The tools every Rust test needs: cargo, and the build that setup.sh made (its dependencies compiled). */
export const RUST_TOOLS: Tool[] = [
  ['cargo', 'cargo (Rust 1.85 or newer)'],
  [join(RUST_BIN, 'vectors'), 'the Rust programs in conformance/rust/target/debug'],
];
/** What to run when a tool is missing. */
export const SETUP_HINT = 'run `bash conformance/setup.sh`';

/** A tool: its path (or a command name looked up on PATH) and what it is. */
export type Tool = [path: string, what: string];

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/** The descriptions of the tools that are missing. */
export function missingOf(tools: Tool[]): string[] {
  return tools.filter(([path]) => (path.includes('/') ? !existsSync(path) : !onPath(path))).map(([, what]) => what);
}

/**
 * Whether tests needing `tools` are skipped: only locally, when one is missing (under CI=true they
 * run and fail). Warns once with what is missing.
 */
export function skipWithout(label: string, tools: Tool[]): boolean {
  const missing = missingOf(tools);
  const skip = missing.length > 0 && process.env.CI !== 'true';
  if (skip) console.warn(`${label}: skipped, ${missing.join(', ')} missing: ${SETUP_HINT}`);
  return skip;
}

/** Throws (failing the test, so CI) when one of `tools` is missing. */
export function requireTools(label: string, tools: Tool[]): void {
  const missing = missingOf(tools);
  if (missing.length > 0) throw new Error(`${label}: ${missing.join(', ')} missing: ${SETUP_HINT}`);
}

/** A finished program: its exit code and output. */
export type Output = { code: number | null; stdout: string; stderr: string };

/** Runs a program (from the repository root by default, with `input` on its stdin); resolves with its exit code and output, whatever the code. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<Output> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    // A program may exit without reading its input; the pipe's EPIPE is not the test's failure.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** Builds Go programs of conformance/go (package paths such as `./croncorpus`) into conformance/go/bin, offline. */
export async function goBuild(...packages: string[]): Promise<void> {
  const out = await run('go', ['build', '-o', `${GO_BIN}/`, ...packages], { cwd: GO_DIR, env: GO_ENV, timeoutMs: 120_000 });
  if (out.code !== 0) throw new Error(`go build ${packages.join(' ')} failed (${SETUP_HINT}?):\n${out.stderr}`);
}

/**
 * Runs the unit tests of conformance/rust that `args` select (`--lib`, `--bin <name>`, a name filter),
 * offline and with Cargo.lock as it is. Resolves with how many passed; throws with cargo's output
 * when one failed, or when the selection is not exactly one test binary.
 */
export async function cargoTest(...args: string[]): Promise<number> {
  const out = await run('cargo', ['test', '--offline', '--locked', '--quiet', ...args], { cwd: RUST_DIR, env: CARGO_ENV, timeoutMs: 600_000 });
  const passed = [...out.stdout.matchAll(/test result: ok\. (\d+) passed; 0 failed/g)].map((m) => Number(m[1]));
  if (out.code !== 0 || passed.length !== 1) throw new Error(`cargo test ${args.join(' ')} failed:\n${out.stdout}${out.stderr}`);
  return passed[0]!;
}

/** Builds Rust programs of conformance/rust (binary names such as `vectors`) into conformance/rust/target/debug, offline and with Cargo.lock as it is. */
export async function cargoBuild(...bins: string[]): Promise<void> {
  const args = ['build', '--offline', '--locked', '--quiet', ...bins.flatMap((b) => ['--bin', b])];
  const out = await run('cargo', args, { cwd: RUST_DIR, env: CARGO_ENV, timeoutMs: 600_000 });
  if (out.code !== 0) throw new Error(`cargo build ${bins.join(' ')} failed (${SETUP_HINT}?):\n${out.stderr}`);
}
