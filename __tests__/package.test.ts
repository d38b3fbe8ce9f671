import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);

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
    const { stdout } = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { env: { ...process.env, npm_config_loglevel: 'silent' } });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
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
});
