import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const readme = readFileSync('README.md', 'utf8');

/** The fenced code blocks of the README, in order. */
const blocks = [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, code: m[2]! }));

// The README's longer examples are the files in examples/, shown verbatim, so that what a reader
// copies is what runs here.
function shown(file: string): string {
  return readFileSync(file, 'utf8');
}

describe('README', () => {
  it('opens with the two set-up commands, then the quick start', () => {
    const first = blocks[0]!;
    expect(first.code.trim()).toBe('npm install\nnpm test');
    expect(readme.indexOf('## Set up')).toBeLessThan(readme.indexOf('## Quick start'));
  });

  for (const file of ['examples/in-memory-worker.test.ts', 'examples/reference-server.ts', 'examples/schedules.ts', 'examples/apply-schedules.ts', 'examples/policies.ts']) {
    it(`shows ${file} verbatim`, () => {
      expect(blocks.some((b) => b.code === shown(file))).toBe(true);
    });
  }

  it('the reference server example runs against the built package', async () => {
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'examples/reference-server.ts'], { timeout: 30_000 });
    expect(stdout).toContain("result: 'succeeded'");
    expect(stdout).toContain('attempt: 1');
  });

  it('the schedules example prints the daylight-saving preview it promises', async () => {
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'examples/schedules.ts'], { timeout: 30_000 });
    expect(stdout).toContain('2026-03-28T01:30:00.000Z');
    expect(stdout).toContain('2026-03-29T01:00:00.000Z');
    expect(stdout).toContain('2026-03-30T00:30:00.000Z');
  });

  it('the apply-schedules example prints the diffs it promises', async () => {
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'examples/apply-schedules.ts'], { timeout: 30_000 });
    const summaries = stdout.split('\n').filter((line) => line.startsWith('owner billing-service:'));
    expect(summaries).toEqual([
      'owner billing-service: 2 created, 0 updated, 0 unchanged, 0 deleted',
      'owner billing-service: 0 created, 0 updated, 2 unchanged, 0 deleted',
      'owner billing-service: 0 to create, 1 to update, 0 unchanged, 1 to delete (dry run)',
    ]);
    expect(stdout).toMatch(/^billing\/nightly-report {2}update {2}schedule {2}\S+$/m);
    expect(stdout).toContain("pdf 2 { 'k1s0.owner': 'billing-service' }");
    expect(stdout.trimEnd().endsWith('CONFLICT')).toBe(true);
  });

  it('the policies example prints what its comments promise', async () => {
    const { stdout } = await exec(process.execPath, ['--import', 'tsx', 'examples/policies.ts'], { timeout: 30_000 });
    expect(stdout.trimEnd().split('\n')).toEqual([
      'upcoming: 5',
      'triggered run: succeeded',
      'completed runs 5, succeeded 5, remaining 0',
      'paused - paused on failure: inventory service unreachable',
      'pending - inventory service is back',
    ]);
  });

  it('names the test command that CI runs', () => {
    expect(readFileSync('.ci/run', 'utf8')).toContain('npm test 2>&1');
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.test).toBe('vitest run');
  });
});
