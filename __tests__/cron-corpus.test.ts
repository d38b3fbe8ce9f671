// The cron corpus (proto/testdata/cron/corpus.json): every implementation produces its fire
// instants exactly and refuses its invalid expressions: the TypeScript nextRuns, the engine, the
// reference server over gRPC, and the Python (croniter), Go (robfig/cron) and Rust (the cron crate)
// checkers of conformance/, each of which must also fail on a deliberately broken copy of the corpus.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrpcSchedulerClient, InMemorySchedulerClient, Schedule, SchedulerError, VirtualClock, nextRuns } from '../src/index.js';
import { startSchedulerServer } from '../src/testing.js';
import { GO_BIN, PYTHON, ROOT, RUST_BIN, RUST_TOOLS, cargoBuild, cargoTest, goBuild, requireTools, run, skipWithout, type Tool } from './support/conformance-tools.js';
import { rawClient } from './support/raw-client.js';

interface CorpusCase {
  name: string;
  expression: string;
  timezone: string;
  start: string;
  next: string[];
}
interface Corpus {
  runs: number;
  cases: CorpusCase[];
  invalid: { expression: string; why: string }[];
}

const CORPUS_PATH = join(ROOT, 'proto/testdata/cron/corpus.json');
const corpus = JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as Corpus;
const label = (c: CorpusCase) => `${JSON.stringify(c.expression)} in ${c.timezone} after ${c.start} (${c.name})`;

/**
 * Every 8th case, plus every case of a zone whose name occurs fewer than twice in that selection:
 * a subset that still covers each zone, each kind of transition and each area of the corpus.
 */
function stratified(cases: CorpusCase[]): CorpusCase[] {
  const picked = cases.filter((_, i) => i % 8 === 0);
  const count = new Map<string, number>();
  for (const c of picked) count.set(c.timezone, (count.get(c.timezone) ?? 0) + 1);
  const extra = cases.filter((c, i) => i % 8 !== 0 && (count.get(c.timezone) ?? 0) < 2 && i % 2 === 0);
  const areas = new Set<string>();
  // The first case of every DST area ("<zone> gap|repeat <date>: ...") too.
  const firstOfArea = cases.filter((c) => {
    const area = /^(\S+ (?:gap|repeat) \S+):/.exec(c.name)?.[1];
    if (area === undefined || areas.has(area)) return false;
    areas.add(area);
    return true;
  });
  return [...new Set([...picked, ...extra, ...firstOfArea])];
}

describe('cron corpus: shape', () => {
  it('has at least 300 cases of 5 instants each, and refused expressions', () => {
    expect(corpus.runs).toBe(5);
    expect(corpus.cases.length).toBeGreaterThanOrEqual(300);
    expect(corpus.invalid.length).toBeGreaterThanOrEqual(50);
    for (const c of corpus.cases) {
      expect(c.next, label(c)).toHaveLength(5);
      for (const t of [c.start, ...c.next]) expect(t, label(c)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('covers gaps and repeats in both hemispheres, odd offsets, leap days, 6 fields and nicknames', () => {
    const names = corpus.cases.map((c) => c.name).join('\n');
    for (const zone of ['Europe/Berlin', 'America/New_York', 'America/Sao_Paulo', 'Australia/Sydney', 'Australia/Lord_Howe', 'Pacific/Chatham']) {
      expect(names).toContain(`${zone} gap`);
      expect(names).toContain(`${zone} repeat`);
    }
    for (const zone of ['Asia/Kolkata', 'Asia/Kathmandu']) expect(corpus.cases.some((c) => c.timezone === zone)).toBe(true);
    expect(corpus.cases.some((c) => c.expression === '0 0 29 2 *')).toBe(true);
    expect(corpus.cases.filter((c) => c.expression.split(/[ \t]+/).length === 6).length).toBeGreaterThanOrEqual(20);
    for (const nick of ['@hourly', '@daily', '@weekly', '@monthly', '@yearly']) expect(corpus.cases.some((c) => c.expression === nick)).toBe(true);
  });
});

describe('cron corpus: TypeScript', () => {
  it('nextRuns produces every case exactly', () => {
    const wrong: string[] = [];
    for (const c of corpus.cases) {
      const got = nextRuns(Schedule.cron(c.expression, { timezone: c.timezone }), new Date(c.start), corpus.runs).map((d) => d.toISOString());
      if (JSON.stringify(got) !== JSON.stringify(c.next)) wrong.push(`${label(c)}: expected ${c.next.join(' ')}, got ${got.join(' ')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('nextRuns refuses every invalid expression with INVALID_SCHEDULE on the expression', () => {
    const accepted: string[] = [];
    for (const { expression, why } of corpus.invalid) {
      try {
        nextRuns(Schedule.cron(expression), new Date(0), 1);
        accepted.push(`${JSON.stringify(expression)} (${why})`);
      } catch (error) {
        expect(error, why).toBeInstanceOf(SchedulerError);
        expect((error as SchedulerError).code, why).toBe('INVALID_SCHEDULE');
        expect((error as SchedulerError).field, why).toMatch(/expression$/);
        expect((error as SchedulerError).message, why).toContain(JSON.stringify(expression));
      }
    }
    expect(accepted).toEqual([]);
  });

  it('the engine (InMemorySchedulerClient on a virtual clock) fires every case at exactly its instants', async () => {
    const wrong: string[] = [];
    for (const c of corpus.cases) {
      const client = new InMemorySchedulerClient({ clock: new VirtualClock(Date.parse(c.start)) });
      try {
        let job = await client.createJob({ name: 'cron-corpus', schedule: Schedule.cron(c.expression, { timezone: c.timezone }), payload: null });
        const got: string[] = [];
        for (let i = 0; i < corpus.runs; i++) {
          const at = job.nextRunAt!;
          got.push(at.toISOString());
          await client.advanceTime(at.getTime() - client.clock.now());
          job = await client.getJob(job.id);
        }
        const started = (await client.getExecutions(job.id)).map((e) => e.startedAt.toISOString()).sort();
        if (JSON.stringify(got) !== JSON.stringify(c.next) || JSON.stringify(started) !== JSON.stringify(c.next)) {
          wrong.push(`${label(c)}: expected ${c.next.join(' ')}, next_run_at ${got.join(' ')}, runs ${started.join(' ')}`);
        }
      } finally {
        await client.close();
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});

describe('cron corpus: the reference server over gRPC', () => {
  const subset = stratified(corpus.cases);

  it(`a stratified subset of ${subset.length} cases: next_run_at after create and after each fire`, async () => {
    expect(subset.length).toBeGreaterThanOrEqual(60);
    const wrong: string[] = [];
    for (const c of subset) {
      const server = await startSchedulerServer({ clock: new VirtualClock(Date.parse(c.start)) });
      const client = new GrpcSchedulerClient({ address: server.address });
      try {
        let job = await client.createJob({ name: 'cron-corpus', schedule: Schedule.cron(c.expression, { timezone: c.timezone }), payload: null });
        const got: string[] = [];
        for (let i = 0; i < corpus.runs; i++) {
          const at = job.nextRunAt!;
          got.push(at.toISOString());
          await server.advanceTime(at.getTime() - server.now().getTime());
          job = await client.getJob(job.id);
        }
        if (JSON.stringify(got) !== JSON.stringify(c.next)) wrong.push(`${label(c)}: expected ${c.next.join(' ')}, got ${got.join(' ')}`);
      } finally {
        await client.close();
        await server.close({ graceMs: 100 });
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('refuses every invalid expression with INVALID_SCHEDULE naming schedule.cron.expression, from an unvalidated client', async () => {
    const server = await startSchedulerServer({ clock: new VirtualClock(Date.parse('2026-01-01T00:00:00Z')) });
    const raw = rawClient(server.address);
    try {
      const accepted: string[] = [];
      for (const { expression, why } of corpus.invalid) {
        const result = await raw.call('CreateJob', { name: 'raw', schedule: { cron: { expression, timezone: '' } } });
        if (result.ok) {
          accepted.push(`${JSON.stringify(expression)} (${why})`);
          continue;
        }
        expect(result.status?.errorInfo?.reason, why).toBe('INVALID_SCHEDULE');
        expect(result.status?.errorInfo?.metadata.field, why).toBe('schedule.cron.expression');
      }
      expect(accepted).toEqual([]);
    } finally {
      raw.close();
      await server.close({ graceMs: 100 });
    }
  }, 60_000);
});

// --- Python, Go and Rust ------------------------------------------------------------------------

/**
 * A short copy (every 10th case and every invalid expression) with one instant moved by a second,
 * the first instant of a case inside a repeated hour dropped, and a valid expression among the
 * invalid ones: every checker must fail on exactly these three. Written to a new temporary folder.
 */
function writeBrokenCopy(): { dir: string; path: string; total: number } {
  const dir = mkdtempSync(join(tmpdir(), 'k1s0-cron-corpus-'));
  const copy = JSON.parse(JSON.stringify(corpus)) as Corpus;
  const repeatCase = (c: CorpusCase) => c.name.includes('every 15 minutes, starting inside the first occurrence');
  copy.cases = copy.cases.filter((c, i) => i % 10 === 0 || repeatCase(c));
  const first = copy.cases[0]!;
  first.next[2] = new Date(Date.parse(first.next[2]!) + 1000).toISOString();
  const repeat = copy.cases.find(repeatCase)!;
  repeat.next = [...repeat.next.slice(1), new Date(Date.parse(repeat.next[4]!) + 15 * 60_000).toISOString()];
  copy.invalid.push({ expression: '0 0 * * *', why: 'valid, planted to prove the checker fails' });
  const path = join(dir, 'corpus.json');
  writeFileSync(path, JSON.stringify(copy));
  return { dir, path, total: copy.cases.length + copy.invalid.length };
}

/** A checker: its language and library, and how to run it (program and arguments before the corpus path). */
type Checker = [language: string, command: () => [string, string[]]];

/** The two tests of every checker: the whole corpus passes, and the broken copy fails on exactly its three breaks. */
function checkerTests(checkers: Checker[], broken: () => { path: string; total: number }): void {
  const total = corpus.cases.length + corpus.invalid.length;
  for (const [language, command] of checkers) {
    it(`${language} produces every case exactly and refuses every invalid expression`, async () => {
      const [cmd, args] = command();
      const { code, stdout, stderr } = await run(cmd, [...args, CORPUS_PATH], { timeoutMs: 120_000 });
      expect(stdout.trim().split('\n').at(-1), `${stdout}${stderr}`).toBe(`${total} case(s), 0 failed`);
      expect(code).toBe(0);
    }, 150_000);

    it(`${language} fails on a broken copy of the corpus`, async () => {
      const [cmd, args] = command();
      const { code, stdout, stderr } = await run(cmd, [...args, broken().path], { timeoutMs: 120_000 });
      expect(code, `${stdout}${stderr}`).toBe(1);
      expect(stdout.trim().split('\n').at(-1)).toBe(`${broken().total} case(s), 3 failed`);
      expect(stdout).toMatch(/FAIL ['"]0 0 \* \* \*['"] \(valid, planted/);
    }, 150_000);
  }
}

const TOOLS: Tool[] = [
  [PYTHON, 'the Python venv conformance/.venv (with croniter)'],
  ['go', 'go (1.26 or newer)'],
  // conformance/go/go.mod replaces the generated module with this directory.
  [join(ROOT, 'conformance/gen/go/go.mod'), 'the Go stubs in conformance/gen/go'],
];
const skipTools = skipWithout('cron corpus (Python, Go)', TOOLS);

describe.skipIf(skipTools)('cron corpus: the Python and Go checkers', () => {
  let broken = { dir: '', path: '', total: 0 };

  beforeAll(async () => {
    requireTools('cron corpus', TOOLS);
    await goBuild('./croncorpus');
    broken = writeBrokenCopy();
  }, 150_000);
  afterAll(() => {
    if (broken.dir !== '') rmSync(broken.dir, { recursive: true, force: true });
  });

  checkerTests(
    [
      ['Python (croniter)', () => [PYTHON, ['conformance/python/cron_corpus.py']]],
      ['Go (robfig/cron)', () => [join(GO_BIN, 'croncorpus'), []]],
    ],
    () => broken,
  );
});

const skipRust = skipWithout('cron corpus (Rust)', RUST_TOOLS);

describe.skipIf(skipRust)('cron corpus: the Rust checker', () => {
  let broken = { dir: '', path: '', total: 0 };

  beforeAll(async () => {
    requireTools('cron corpus (Rust)', RUST_TOOLS);
    await cargoBuild('cron_corpus');
    broken = writeBrokenCopy();
  }, 600_000);
  afterAll(() => {
    if (broken.dir !== '') rmSync(broken.dir, { recursive: true, force: true });
  });

  checkerTests([['Rust (the cron crate)', () => [join(RUST_BIN, 'cron_corpus'), []]]], () => broken);

  it('what the cron crate does, as the adapter relies on it, still holds (its unit tests)', async () => {
    expect(await cargoTest('--bin', 'cron_corpus')).toBeGreaterThanOrEqual(14);
  }, 600_000);
});
