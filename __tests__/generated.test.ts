import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMMITTED = join(ROOT, 'src', 'generated');

/** Every file under `dir`, as paths relative to it, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** The first differing line of two texts, for a readable failure. */
function firstDifference(committed: string, fresh: string): string {
  const a = committed.split('\n');
  const b = fresh.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n    committed: ${JSON.stringify(a[i] ?? '<end of file>')}\n    generated: ${JSON.stringify(b[i] ?? '<end of file>')}`;
  }
  return 'same lines, different bytes (line endings?)';
}

describe('src/generated', () => {
  let out: string;
  let args: string[];

  beforeAll(() => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const gen = pkg.scripts.gen;
    if (gen === undefined) throw new Error('package.json has no "gen" script');
    args = gen.trim().split(/\s+/);
    const o = args.indexOf('-O');
    if (o < 0 || args[o + 1] !== 'src/generated') throw new Error(`the "gen" script does not write to -O src/generated: ${gen}`);
    out = realpathSync(mkdtempSync(join(tmpdir(), 'k1s0-gen-')));
    args[o + 1] = out;
    execFileSync('npx', args, { cwd: ROOT, stdio: 'pipe' });
  }, 120_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('regenerates to a non-empty set of files', () => {
    expect(filesUnder(out).length).toBeGreaterThan(0);
  });

  it('is exactly what `npm run gen` produces: same files, same contents', () => {
    const committed = filesUnder(COMMITTED);
    const fresh = filesUnder(out);
    const problems: string[] = [];
    for (const f of fresh.filter((f) => !committed.includes(f))) problems.push(`missing from src/generated: ${f}`);
    for (const f of committed.filter((f) => !fresh.includes(f))) problems.push(`in src/generated but not generated: ${f}`);
    for (const f of committed.filter((f) => fresh.includes(f))) {
      const a = readFileSync(join(COMMITTED, f), 'utf8');
      const b = readFileSync(join(out, f), 'utf8');
      if (a !== b) problems.push(`differs: ${f}, first difference at ${firstDifference(a, b)}`);
    }
    const summary = problems.length === 0 ? '' : `src/generated is out of date; run \`npm run gen\`.\n  ${problems.join('\n  ')}`;
    expect(summary).toBe('');
  });
});
