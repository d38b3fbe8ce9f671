import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
// Tools print colours when they think a terminal or a CI log reads them; the assertions read plain text.
const PLAIN = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
const QUIET_NPM = { ...PLAIN, npm_config_loglevel: 'silent' };

/** Runs a command and returns its exit code and output, whatever the code. */
async function run(file: string, args: string[], env: NodeJS.ProcessEnv = PLAIN): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// The SHA-256 of https://www.apache.org/licenses/LICENSE-2.0.txt.
const APACHE_2_0_SHA256 = 'cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30';

/** A problem in the JSON report of `attw`. */
interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

/** One resolution of one entry point in the JSON report of `attw`. */
interface AttwResolution {
  resolution?: { fileName: string };
}

// The built package, as a user gets it, in both module systems: the in-memory client, the gRPC
// client against the reference server from '/testing', and the proto it loads from the package.
const ROUND_TRIP = (load: string) => `
  ${load}
  const server = await testing.startSchedulerServer({ clock: new main.VirtualClock() });
  const client = new main.GrpcSchedulerClient(server.address);
  const job = await client.createJob({ name: 'built', schedule: main.Schedule.interval(1000), payload: { ok: true } });
  await server.advanceTime(1000);
  const runs = await client.getExecutions(job.id);
  const memory = new main.InMemorySchedulerClient();
  await memory.createJob({ name: 'm', schedule: main.Schedule.interval(1000), payload: null });
  let error;
  try { await client.getJob('nope'); } catch (e) { error = e; }
  console.log(JSON.stringify({ name: (await client.getJob(job.id)).name, runs: runs.length, memory: memory.getAll().length,
    code: error.code, isSchedulerError: error instanceof main.SchedulerError }));
  await client.close(); await server.close();
`;

describe('the built package', () => {
  it('works from ESM', async () => {
    const code = `(async () => {${ROUND_TRIP("const main = await import('@k1s0/scheduler-client'); const testing = await import('@k1s0/scheduler-client/testing');")}})()`;
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', code]);
    expect(JSON.parse(stdout)).toEqual({ name: 'built', runs: 1, memory: 1, code: 'JOB_NOT_FOUND', isSchedulerError: true });
  });

  it('works from CommonJS', async () => {
    const code = `(async () => {${ROUND_TRIP("const main = require('@k1s0/scheduler-client'); const testing = require('@k1s0/scheduler-client/testing');")}})()`;
    const { stdout } = await exec(process.execPath, ['--input-type=commonjs', '-e', code]);
    expect(JSON.parse(stdout)).toEqual({ name: 'built', runs: 1, memory: 1, code: 'JOB_NOT_FOUND', isSchedulerError: true });
  });

  it('npm pack ships dist, the proto files and the vectors, and nothing else', async () => {
    const { stdout } = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { env: QUIET_NPM });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('LICENSE');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.cjs');
    expect(files).toContain('dist/index.d.ts');
    expect(files).toContain('dist/index.d.cts');
    expect(files).toContain('dist/testing.js');
    expect(files).toContain('dist/bin.js');
    expect(files).toContain('proto/k1s0/system/scheduler/v2/scheduler.proto');
    expect(files).toContain('proto/testdata/job_cron.json');
    const unexpected = files.filter((f) => !/^(dist\/|proto\/|package\.json$|README\.md$|LICENSE$)/.test(f));
    expect(unexpected).toEqual([]);
    expect(files.some((f) => f.includes('__tests__') || f.startsWith('src/'))).toBe(false);
  });

  it('is under the Apache License 2.0: package.json says so, and LICENSE is its full text', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { license: string };
    expect(pkg.license).toBe('Apache-2.0');
    const license = await readFile(join(ROOT, 'LICENSE'));
    expect(createHash('sha256').update(license).digest('hex')).toBe(APACHE_2_0_SHA256);
  });

  // Are the types wrong: the packed tarball, offline, under every module resolution of TypeScript.
  it('has types that resolve for every entry point under node10, node16 (CJS and ESM) and bundler, and attw finds no problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k1s0-pack-'));
    try {
      const { stdout: packed } = await exec('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, env: QUIET_NPM });
      const tarball = join(dir, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
      const { code, stdout, stderr } = await run(join(BIN, 'attw'), [tarball, '--format', 'json']);
      expect(stderr).toBe('');
      const report = JSON.parse(stdout) as {
        analysis: { entrypoints: Record<string, { resolutions: Record<string, AttwResolution> }>; problems: AttwProblem[] };
      };
      expect(report.analysis.problems.map((p) => [p.kind, p.entrypoint, p.resolutionKind].filter(Boolean).join(' '))).toEqual([]);
      const resolved = Object.fromEntries(
        Object.entries(report.analysis.entrypoints).map(([entry, { resolutions }]) => [
          entry,
          Object.fromEntries(Object.entries(resolutions).map(([kind, r]) => [kind, r.resolution?.fileName.replace(/^.*\/scheduler-client\//, '')])),
        ]),
      );
      expect(resolved).toEqual({
        '.': { node10: 'dist/index.d.cts', 'node16-cjs': 'dist/index.d.cts', 'node16-esm': 'dist/index.d.ts', bundler: 'dist/index.d.ts' },
        './testing': { node10: 'dist/testing.d.cts', 'node16-cjs': 'dist/testing.d.cts', 'node16-esm': 'dist/testing.d.ts', bundler: 'dist/testing.d.ts' },
        './package.json': { node10: 'package.json', 'node16-cjs': 'package.json', 'node16-esm': 'package.json', bundler: 'package.json' },
      });
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes publint --strict with nothing to report', async () => {
    const { code, stdout, stderr } = await run(join(BIN, 'publint'), ['--strict'], QUIET_NPM);
    expect(stderr).toBe('');
    expect(stripVTControlCharacters(stdout).trim().split('\n').pop(), stdout).toBe('All good!'); // printed only when there are no messages at all
    expect(code).toBe(0);
  });
});
