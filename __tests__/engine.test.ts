import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SchedulerEngine, type WatchUpdate } from '../src/engine/engine.js';
import { jitterDelay } from '../src/policy.js';
import { IndexedHeap, type HeapEntry } from '../src/engine/heap.js';
import { createIdGenerator } from '../src/engine/ids.js';
import { JobIndex, lowerBound } from '../src/engine/job-index.js';
import { NameIndex, type Named } from '../src/engine/name-index.js';
import {
  InMemorySchedulerClient,
  Schedule,
  SchedulerError,
  SystemClock,
  VirtualClock,
  type Clock,
  type Job,
  type JobCompletedEvent,
  type JobExecutor,
  type JobRequest,
  type JobStatus,
} from '../src/index.js';
import { expectCode } from './support/expect-code.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const DAY = 24 * 3_600_000;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const intervalRequest = (name: string, intervalMs = 1000, extra: Partial<JobRequest> = {}): JobRequest => ({
  name,
  schedule: Schedule.interval(intervalMs),
  payload: null,
  ...extra,
});

/** Resolves or rejects with `promise`, or rejects once `ms` have passed without it settling. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** A deterministic pseudo-random generator (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const toClose: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const c of toClose.splice(0)) await c.close();
});

function track<T extends { close(): Promise<void> | void }>(c: T): T {
  toClose.push(c);
  return c;
}

describe('SystemClock', () => {
  it('fires an interval job on real timers, never before its nextRunAt', async () => {
    const client = track(new InMemorySchedulerClient({ clock: new SystemClock() }));
    const subscriber = track(client.completions());
    const firstEvent = new Promise<JobCompletedEvent>((resolve) => {
      void subscriber.run(resolve);
    });
    const job = await client.createJob(intervalRequest('real-time', 1000));
    const event = await within(firstEvent, 15_000, 'the first run of a 1 s interval job');
    const [execution] = await client.getExecutions(job.id);
    expect(event.jobId).toBe(job.id);
    expect(event.executionId).toBe(execution!.id);
    expect(event.result).toBe('succeeded');
    expect(execution!.startedAt.getTime()).toBeGreaterThanOrEqual(job.nextRunAt!.getTime());
  });

  it('calls a timer back no earlier than its due time', async () => {
    const clock = new SystemClock();
    const at = Date.now() + 30;
    const firedAt = await within(new Promise<number>((resolve) => clock.setTimer(at, () => resolve(Date.now()))), 10_000, 'the timer');
    expect(firedAt).toBeGreaterThanOrEqual(at);
  });

  it('calls a timer that is already due', async () => {
    const clock = new SystemClock();
    await within(new Promise<void>((resolve) => clock.setTimer(Date.now() - 1000, resolve)), 10_000, 'the overdue timer');
  });

  it('does not call a cleared timer', async () => {
    const clock = new SystemClock();
    const cleared = vi.fn();
    const handle = clock.setTimer(Date.now() + 10, cleared);
    clock.clearTimer(handle);
    await within(new Promise<void>((resolve) => clock.setTimer(Date.now() + 50, resolve)), 10_000, 'the later timer');
    expect(cleared).not.toHaveBeenCalled();
  });

  it('does not keep the process alive: a scheduler with a planned job lets node exit', () => {
    const script = `
      import { InMemorySchedulerClient, Schedule, SystemClock } from './src/index.ts';
      const client = new InMemorySchedulerClient({ clock: new SystemClock() });
      const job = await client.createJob({ name: 'hourly', schedule: Schedule.interval(3_600_000), payload: null });
      await new Promise((resolve) => setImmediate(resolve));
      console.log(job.status, job.nextRunAt.getTime() > Date.now());
    `;
    // If the timer kept the event loop alive, node would not exit and this would time out.
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('pending true');
  });
});

describe('VirtualClock', () => {
  it('fires due timers in time order, each at its own time, and stops at the target', async () => {
    const clock = new VirtualClock(T0);
    const fired: [string, number][] = [];
    const at = (name: string, offset: number) => clock.setTimer(T0 + offset, () => fired.push([name, clock.now()]));
    at('c', 300);
    at('a', 100);
    at('late', 1001);
    at('b', 200);
    await clock.advance(1000);
    expect(fired).toEqual([
      ['a', T0 + 100],
      ['b', T0 + 200],
      ['c', T0 + 300],
    ]);
    expect(clock.now()).toBe(T0 + 1000);
    await clock.advance(1);
    expect(fired.at(-1)).toEqual(['late', T0 + 1001]);
  });

  it('fires timers of the same time in the order they were set', async () => {
    const clock = new VirtualClock(T0);
    const fired: number[] = [];
    for (let i = 0; i < 5; i++) clock.setTimer(T0 + 10, () => fired.push(i));
    await clock.advance(10);
    expect(fired).toEqual([0, 1, 2, 3, 4]);
  });

  it('fires a timer set by another timer when it falls within the same advance', async () => {
    const clock = new VirtualClock(T0);
    const fired: number[] = [];
    clock.setTimer(T0 + 100, () => {
      fired.push(clock.now());
      clock.setTimer(T0 + 150, () => fired.push(clock.now()));
    });
    await clock.advance(200);
    expect(fired).toEqual([T0 + 100, T0 + 150]);
  });

  it('queues advances that are called without waiting', async () => {
    const clock = new VirtualClock(T0);
    const fired: number[] = [];
    clock.setTimer(T0 + 150, () => fired.push(clock.now()));
    const first = clock.advance(100);
    const second = clock.advance(100);
    await first;
    expect(fired).toEqual([]);
    await second;
    expect(fired).toEqual([T0 + 150]);
    expect(clock.now()).toBe(T0 + 200);
  });

  it('does not fire a cleared timer', async () => {
    const clock = new VirtualClock(T0);
    const cleared = vi.fn();
    clock.clearTimer(clock.setTimer(T0 + 10, cleared));
    await clock.advance(100);
    expect(cleared).not.toHaveBeenCalled();
  });

  it('rejects a negative, NaN or infinite advance and leaves the time unchanged', async () => {
    const clock = new VirtualClock(T0);
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(clock.advance(ms)).rejects.toBeInstanceOf(RangeError);
    }
    expect(clock.now()).toBe(T0);
    await clock.advance(0);
    expect(clock.now()).toBe(T0);
  });

  it('starts at the given Date or epoch ms, and rejects an invalid start', () => {
    expect(new VirtualClock(new Date(T0)).now()).toBe(T0);
    expect(new VirtualClock(T0).now()).toBe(T0);
    expect(() => new VirtualClock(Number.NaN)).toThrow(RangeError);
  });
});

describe('InMemorySchedulerClient.advanceTime', () => {
  it('is INVALID_STATE on a client that runs on a SystemClock', async () => {
    const client = track(new InMemorySchedulerClient({ clock: new SystemClock() }));
    const error = await expectCode(client.advanceTime(1000), 'INVALID_STATE');
    expect(error.operation).toBe('advanceTime');
  });

  it('is INVALID_ARGUMENT for a negative or non-finite ms', async () => {
    const client = track(new InMemorySchedulerClient({ clock: new VirtualClock(T0) }));
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) await expectCode(client.advanceTime(ms), 'INVALID_ARGUMENT');
  });
});

describe('ids', () => {
  const timeOf = (id: string) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);

  it('are UUIDv7: version nibble 7, variant 10, and the time in the first 48 bits', () => {
    const next = createIdGenerator();
    for (let i = 0; i < 100; i++) {
      const id = next(T0 + i);
      expect(id).toMatch(UUID_V7);
      expect(timeOf(id)).toBe(T0 + i);
    }
  });

  it('sort in creation order within one millisecond and are unique', () => {
    const next = createIdGenerator();
    const ids = Array.from({ length: 10_000 }, () => next(T0));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keep increasing across milliseconds and when the clock steps back', () => {
    const next = createIdGenerator();
    const ids = [next(T0), next(T0 + 1), next(T0 + 1), next(T0 - 50), next(T0 + 2)];
    expect([...ids].sort()).toEqual(ids);
  });

  it('of jobs created in one millisecond follow creation order', async () => {
    const client = track(new InMemorySchedulerClient({ clock: new VirtualClock(T0) }));
    const jobs = [];
    for (let i = 0; i < 50; i++) jobs.push(await client.createJob(intervalRequest(`same-ms-${i}`)));
    const ids = jobs.map((j) => j.id);
    expect(jobs.every((j) => j.createdAt.getTime() === T0)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect((await client.listJobs()).map((j) => j.id)).toEqual(ids);
  });
});

describe('engine time', () => {
  it('never goes backwards, even when its clock does', () => {
    let now = T0;
    const clock: Clock = { now: () => now, setTimer: () => ({}), clearTimer: () => {} };
    const engine = new SchedulerEngine({ clock });
    const first = engine.create(intervalRequest('first'));
    now = T0 - 60_000;
    const second = engine.create(intervalRequest('second'));
    expect(second.createdAt.getTime()).toBe(first.createdAt.getTime());
    expect(second.id > first.id).toBe(true);
    engine.close();
  });
});

describe('NameIndex', () => {
  const NAMES = [
    'a',
    'ab',
    'abc',
    'abcd',
    'b',
    'job-1',
    'job-10',
    'job-100',
    'żółw',
    'żółty',
    'zebra',
    '😀 party',
    '😀',
    '😃',
    'é', // precomposed
    'e\u0301', // e + combining accent
    'Z',
    '',
  ];
  const PREFIXES = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'b', 'job-1', 'job-10', 'job-2', 'ż', 'żół', 'żółw', 'z', '😀', '\uD83D', 'é', 'e', 'Z', 'zz', '\uFFFF'];

  function build(count: number): { index: NameIndex<Named>; items: Named[] } {
    const index = new NameIndex<Named>();
    const items: Named[] = [];
    for (let seq = 0; seq < count; seq++) {
      const base = NAMES[seq % NAMES.length]!;
      const item = { name: seq % 3 === 0 ? base : `${base}${seq}`, seq };
      items.push(item);
      index.add(item);
    }
    return { index, items };
  }

  // Below, at and above the 1024-item merge threshold, and across several merges.
  for (const count of [0, 17, 1023, 1024, 1025, 2048 + 511]) {
    it(`finds exactly the names with a prefix among ${count} items`, () => {
      const { index, items } = build(count);
      for (const prefix of PREFIXES) {
        const expected = items.filter((i) => i.name.startsWith(prefix)).map((i) => i.seq);
        const actual = index.inOrder(prefix).map((i) => i.seq);
        expect(actual, `prefix ${JSON.stringify(prefix)}`).toEqual(expected);
      }
    });
  }

  it('finds names that are prefixes of each other', () => {
    const index = new NameIndex<Named>();
    const chain = ['r', 're', 'rep', 'repo', 'report', 'reports'];
    const items: Named[] = [];
    for (let seq = 0; seq < 2000; seq++) items.push({ name: chain[seq % chain.length]!, seq });
    for (const item of items) index.add(item);
    for (const prefix of [...chain, 'reportsX']) {
      const names = index.inOrder(prefix).map((i) => i.name);
      expect(names).toHaveLength(items.filter((i) => i.name.startsWith(prefix)).length);
      expect(names.every((name) => name.startsWith(prefix))).toBe(true);
    }
    expect(index.inOrder('rep').length).toBeGreaterThan(index.inOrder('reports').length);
    expect(index.inOrder('reportsX')).toEqual([]);
  });

  // inOrder collects by a sweep over all seqs when most items match, and by sorting the matching
  // seqs otherwise; these prefixes take both ways ('' and 'a' match most of the chain below).
  it('gives the matches of a prefix in seq order, and keeps them so as items are added', () => {
    const { index, items } = build(2048 + 511);
    const expectInOrder = (prefix: string) => {
      const expected = items.filter((i) => i.name.startsWith(prefix)).map((i) => i.seq);
      expect(index.inOrder(prefix).map((i) => i.seq), `prefix ${JSON.stringify(prefix)}`).toEqual(expected);
    };
    for (const prefix of PREFIXES) expectInOrder(prefix);
    // More items, across merges, while some prefixes are kept and more than eight get listed.
    for (let round = 0; round < 6; round++) {
      for (let k = 0; k < 700; k++) {
        const seq = items.length;
        const item = { name: `${NAMES[(seq * 7) % NAMES.length]!}${seq % 5 === 0 ? '' : seq}`, seq };
        items.push(item);
        index.add(item);
      }
      for (const prefix of PREFIXES.slice(round * 3, round * 3 + 12)) expectInOrder(prefix);
    }
    for (const prefix of PREFIXES) expectInOrder(prefix);
    expect(index.all.map((i) => i.seq)).toEqual(items.map((i) => i.seq));
  });

  it('takes items only in seq order, numbered from 0', () => {
    const index = new NameIndex<Named>();
    index.add({ name: 'a', seq: 0 });
    expect(() => index.add({ name: 'b', seq: 2 })).toThrow(RangeError);
    expect(() => index.add({ name: 'b', seq: 0 })).toThrow(RangeError);
    index.add({ name: 'b', seq: 1 });
    expect(index.size).toBe(2);
  });
});

describe('listing by name prefix, page by page', () => {
  // A clock that moves only when the test sets it, and never fires: jobs are only created and listed.
  function engineAt(): { engine: SchedulerEngine; tick: (ms: number) => void } {
    let now = T0;
    const clock: Clock = { now: () => now, setTimer: () => ({}), clearTimer: () => {} };
    const engine = new SchedulerEngine({ clock });
    toClose.push(engine);
    return { engine, tick: (ms) => (now += ms) };
  }

  /** Every page of a listing; `between` runs after each page but the last. */
  function pageThrough(engine: SchedulerEngine, filter: { status?: JobStatus; namePrefix?: string }, limit: number, between?: (page: number) => void): Job[][] {
    const pages: Job[][] = [];
    let after: number | undefined;
    for (;;) {
      const page = engine.list(filter, after === undefined ? { limit } : { after, limit });
      pages.push(page.items);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      if (page.next === undefined) return pages;
      expect(page.items).toHaveLength(limit);
      expect(page.next).toBe(page.cursors[page.cursors.length - 1]);
      between?.(pages.length);
      after = page.next;
    }
  }

  /** The jobs a filter matches, from the unfiltered list, in the engine's order. */
  function expected(engine: SchedulerEngine, filter: { status?: JobStatus; namePrefix?: string }): string[] {
    return engine
      .all()
      .filter((j) => (filter.status === undefined || j.status === filter.status) && j.name.startsWith(filter.namePrefix ?? ''))
      .map((j) => j.id);
  }

  const byCreation = (a: Job, b: Job) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  // Names from a few stems, so that prefixes match few, some or most jobs.
  const STEMS = ['job-', 'job-1', 'report-', 'Job-', 'żółw-', 'żółty-', '😀-', 'é-', 'e\u0301-', 'x'];
  function createMany(engine: SchedulerEngine, tick: (ms: number) => void, count: number, random: () => number): void {
    for (let i = 0; i < count; i++) {
      if (random() < 0.3) tick(Math.floor(random() * 3)); // several jobs share a millisecond
      engine.create(intervalRequest(`${STEMS[Math.floor(random() * STEMS.length)]!}${Math.floor(random() * 1000)}`));
    }
  }

  for (const [count, limit] of [
    [0, 5],
    [1, 1],
    [600, 1],
    [600, 7],
    [3000, 100],
    [3000, 1000],
  ] as const) {
    it(`covers every match exactly once, in creation order (${count} jobs, ${limit} a page)`, () => {
      const { engine, tick } = engineAt();
      createMany(engine, tick, count, seededRandom(count + limit));
      for (const namePrefix of ['job-', 'job-1', 'j', 'J', 'x', 'nothing', '']) {
        const filter = namePrefix === '' ? {} : { namePrefix };
        const listed = pageThrough(engine, filter, limit).flat();
        expect(listed.map((j) => j.id), `namePrefix ${JSON.stringify(namePrefix)}`).toEqual(expected(engine, filter));
        expect([...listed].sort(byCreation)).toEqual(listed);
        expect(new Set(listed.map((j) => j.id)).size).toBe(listed.length);
      }
    });
  }

  it('lists the jobs created between pages once, after those listed before them', () => {
    const { engine, tick } = engineAt();
    const random = seededRandom(7);
    createMany(engine, tick, 2000, random);
    const before = new Set(engine.all().map((j) => j.id));
    for (const namePrefix of ['job-', 'j', 'żół', 'x']) {
      const pages = pageThrough(engine, { namePrefix }, 50, () => createMany(engine, tick, 40, random));
      const listed = pages.flat();
      // Every job is newer than the cursor when it is created, so the listing ends with all of them.
      expect(listed.map((j) => j.id), namePrefix).toEqual(expected(engine, { namePrefix }));
      expect(listed.filter((j) => !before.has(j.id)).length).toBeGreaterThan(0);
      expect([...listed].sort(byCreation)).toEqual(listed);
    }
  });

  it('combines the prefix with a status filter, also when statuses change between pages', () => {
    const { engine, tick } = engineAt();
    const random = seededRandom(11);
    createMany(engine, tick, 3000, random);
    for (const job of engine.all()) {
      const r = random();
      if (r < 0.3) engine.pause(job.id);
      else if (r < 0.4) engine.cancel(job.id);
    }
    for (const status of ['pending', 'paused', 'cancelled', 'running'] as const) {
      for (const namePrefix of ['job-', 'job-1', 'report-', 'j']) {
        const filter = { status, namePrefix };
        const listed = pageThrough(engine, filter, 37).flat();
        expect(listed.map((j) => j.id), JSON.stringify(filter)).toEqual(expected(engine, filter));
        expect(listed.every((j) => j.status === status && j.name.startsWith(namePrefix))).toBe(true);
      }
    }
    // Pausing jobs as the listing goes: one is listed if and only if the cursor has not passed it.
    const filter = { status: 'paused' as const, namePrefix: 'job-' };
    const want = new Set(expected(engine, filter));
    const listed: Job[] = [];
    let after: number | undefined;
    for (;;) {
      const page = engine.list(filter, after === undefined ? { limit: 20 } : { after, limit: 20 });
      listed.push(...page.items);
      if (page.next === undefined) break;
      after = page.next;
      const last = listed[listed.length - 1]!;
      for (const job of engine.all()) {
        if (job.status !== 'pending' || !job.name.startsWith('job-') || random() >= 0.05) continue;
        engine.pause(job.id);
        if (byCreation(job, last) > 0) want.add(job.id);
      }
    }
    expect(listed.map((j) => j.id)).toEqual(expected(engine, filter).filter((id) => want.has(id)));
    expect(listed.length).toBeLessThan(expected(engine, filter).length); // some were paused behind the cursor
  });

  it('matches code units exactly: case, composed and decomposed accents, astral characters', () => {
    const { engine } = engineAt();
    const names = ['żółw', 'żółty', 'Żółw', 'zolw', '😀 party', '😀', '😃', 'é', 'e\u0301', 'E', 'Job', 'job', 'jób'];
    for (let round = 0; round < 3; round++) for (const name of names) engine.create(intervalRequest(`${name}${round}`));
    const cases: [string, string[]][] = [
      ['ż', ['żółw', 'żółty']],
      ['żół', ['żółw', 'żółty']],
      ['żółw', ['żółw']],
      ['Ż', ['Żółw']],
      ['z', ['zolw']],
      ['😀', ['😀 party', '😀']],
      ['😀 ', ['😀 party']],
      ['é', ['é']],
      ['e', ['e\u0301']],
      ['e\u0301', ['e\u0301']],
      ['J', ['Job']],
      ['j', ['job', 'jób']],
      ['jo', ['job']],
    ];
    for (const [namePrefix, stems] of cases) {
      const listed = pageThrough(engine, { namePrefix }, 2).flat().map((j) => j.name);
      const want = [0, 1, 2].flatMap((round) => names.filter((n) => stems.includes(n)).map((n) => `${n}${round}`));
      expect(listed, `namePrefix ${JSON.stringify(namePrefix)}`).toEqual(want);
    }
  });

  it('stays right while more prefixes are listed in turn than the index keeps', () => {
    const { engine, tick } = engineAt();
    const random = seededRandom(3);
    createMany(engine, tick, 1500, random);
    const prefixes = ['job-', 'job-1', 'job-12', 'report-', 'report-1', 'Job-', 'żółw-', 'żółty-', '😀-', 'é-', 'e', 'x', 'x1'];
    const cursors = new Map<string, number | undefined>(prefixes.map((p) => [p, undefined]));
    const listed = new Map<string, string[]>(prefixes.map((p) => [p, []]));
    while ([...cursors.values()].some((c) => c !== -1)) {
      for (const namePrefix of prefixes) {
        const after = cursors.get(namePrefix);
        if (after === -1) continue;
        const page = engine.list({ namePrefix }, after === undefined ? { limit: 25 } : { after, limit: 25 });
        listed.get(namePrefix)!.push(...page.items.map((j) => j.id));
        cursors.set(namePrefix, page.next ?? -1);
        // A listing that ended has every match there is at its end.
        if (page.next === undefined) expect(listed.get(namePrefix), namePrefix).toEqual(expected(engine, { namePrefix }));
      }
      createMany(engine, tick, 20, random);
    }
  });
});

describe('JobIndex', () => {
  interface Item {
    seq: number;
    name: string;
    key: string | undefined;
    labels: Record<string, string>;
  }
  const item = (seq: number, name: string, labels: Record<string, string> = {}, key?: string): Item => ({ seq, name, key, labels });
  const seqs = (items: readonly { readonly seq: number }[]) => items.map((i) => i.seq);

  it('finds a job by key until it is removed, and takes jobs only in seq order', () => {
    const index = new JobIndex<Item>();
    const a = item(0, 'a', {}, 'k');
    index.add(a);
    index.add(item(1, 'b'));
    expect(index.byKey('k')).toBe(a);
    expect(index.byKey('K')).toBeUndefined();
    expect(() => index.add(item(1, 'c'))).toThrow(RangeError);
    index.remove(a);
    expect(index.byKey('k')).toBeUndefined();
    expect(seqs(index.all)).toEqual([1]);
    // Seqs are never reused: after a removal the next job is still newer than every one before.
    index.add(item(2, 'c', {}, 'k'));
    expect(index.byKey('k')!.seq).toBe(2);
    expect(seqs(index.all)).toEqual([1, 2]);
  });

  it('lists by prefix the names as they are after a rename, and without removed jobs', () => {
    const index = new JobIndex<Item>();
    const items = ['alpha-1', 'beta-1', 'alpha-2', 'beta-2'].map((name, seq) => item(seq, name));
    for (const i of items) index.add(i);
    const matches = (prefix: string) => {
      const view = index.byPrefix(prefix);
      return Array.from({ length: view.length }, (_, i) => view.at(i)!);
    };
    const names = (prefix: string) => matches(prefix).map((r) => r.name);
    expect(names('alpha')).toEqual(['alpha-1', 'alpha-2']);
    items[1]!.name = 'alpha-0';
    index.renamed();
    expect(names('alpha')).toEqual(['alpha-1', 'alpha-0', 'alpha-2']);
    expect(names('beta')).toEqual(['beta-2']);
    index.remove(items[0]!);
    expect(names('alpha')).toEqual(['alpha-0', 'alpha-2']);
    index.add(item(4, 'alpha-3'));
    expect(names('alpha')).toEqual(['alpha-0', 'alpha-2', 'alpha-3']);
    // The matches stay in the jobs' seq order.
    expect(matches('alpha').map((r) => r.seq)).toEqual([1, 2, 4]);
  });

  it('keeps each label in seq order through relabels and removals', () => {
    const index = new JobIndex<Item>();
    const items = Array.from({ length: 6 }, (_, seq) => item(seq, `j${seq}`, seq % 2 === 0 ? { team: 'a' } : { team: 'b' }));
    for (const i of items) index.add(i);
    expect(seqs(index.withLabel('team', 'a'))).toEqual([0, 2, 4]);
    const relabel = (i: Item, labels: Record<string, string>) => {
      const before = i.labels;
      i.labels = labels;
      index.relabelled(i, before);
    };
    relabel(items[3]!, { team: 'a', env: 'prod' });
    relabel(items[0]!, { team: 'b' });
    expect(seqs(index.withLabel('team', 'a'))).toEqual([2, 3, 4]);
    expect(seqs(index.withLabel('team', 'b'))).toEqual([0, 1, 5]);
    expect(seqs(index.withLabel('env', 'prod'))).toEqual([3]);
    relabel(items[3]!, { team: 'a' }); // the same team label stays, env goes
    expect(seqs(index.withLabel('team', 'a'))).toEqual([2, 3, 4]);
    expect(index.withLabel('env', 'prod')).toEqual([]);
    index.remove(items[2]!);
    index.remove(items[5]!);
    expect(seqs(index.withLabel('team', 'a'))).toEqual([3, 4]);
    expect(seqs(index.withLabel('team', 'b'))).toEqual([0, 1]);
    relabel(items[4]!, {});
    index.remove(items[3]!);
    expect(index.withLabel('team', 'a')).toEqual([]);
  });

  it('lowerBound finds the first place at or after a seq, in an array or a view', () => {
    const items = [1, 3, 5, 9].map((seq) => ({ seq }));
    expect([0, 1, 2, 3, 9, 10].map((s) => lowerBound(items, s))).toEqual([0, 0, 1, 1, 3, 4]);
    const view = { length: items.length, at: (i: number) => items[i] };
    expect([0, 1, 2, 3, 9, 10].map((s) => lowerBound(view, s))).toEqual([0, 0, 1, 1, 3, 4]);
  });
});

describe('listing after renames, relabels and deletes, page by page', () => {
  const TEAMS = ['a', 'b', 'c'];
  const NAMES = ['job-', 'job-1', 'report-', 'x'];

  function engineAt(): SchedulerEngine {
    const clock: Clock = { now: () => T0, setTimer: () => ({}), clearTimer: () => {} };
    const engine = new SchedulerEngine({ clock });
    toClose.push(engine);
    return engine;
  }

  type Filter = { namePrefix?: string; labels?: Record<string, string>; status?: JobStatus };
  const matches = (job: Job, f: Filter) =>
    job.name.startsWith(f.namePrefix ?? '') && (f.status === undefined || job.status === f.status) && Object.entries(f.labels ?? {}).every(([k, v]) => job.labels[k] === v);

  function pageThrough(engine: SchedulerEngine, filter: Filter, limit: number, between?: () => void): string[] {
    const ids: string[] = [];
    let after: number | undefined;
    for (;;) {
      const page = engine.list(filter, after === undefined ? { limit } : { after, limit });
      ids.push(...page.items.map((j) => j.id));
      if (page.next === undefined) return ids;
      between?.();
      after = page.next;
    }
  }

  // Creates, deletes, renames and relabels jobs at random.
  function churn(engine: SchedulerEngine, random: () => number, steps: number): void {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
    for (let i = 0; i < steps; i++) {
      const r = random();
      const jobs = engine.all();
      if (r < 0.45 || jobs.length === 0) {
        engine.create(intervalRequest(`${pick(NAMES)}${Math.floor(random() * 100)}`, 1000, { labels: random() < 0.8 ? { team: pick(TEAMS) } : {} }));
      } else if (r < 0.65) {
        engine.delete(pick(jobs).id);
      } else if (r < 0.8) {
        engine.update(pick(jobs).id, { name: `${pick(NAMES)}${Math.floor(random() * 100)}` });
      } else if (r < 0.95) {
        engine.update(pick(jobs).id, { labels: random() < 0.8 ? { team: pick(TEAMS), ...(random() < 0.3 ? { env: 'prod' } : {}) } : {} });
      } else {
        engine.pause(pick(jobs).id);
      }
    }
  }

  const filters: Filter[] = [
    {},
    { namePrefix: 'job-' },
    { namePrefix: 'job-1' },
    { namePrefix: 'x' },
    { labels: { team: 'a' } },
    { labels: { team: 'b', env: 'prod' } },
    { labels: { team: 'c' }, namePrefix: 'job-' },
    { labels: { team: 'a' }, status: 'paused' },
    { namePrefix: 'report-', status: 'pending' },
  ];

  for (const limit of [1, 3, 50]) {
    it(`covers every match exactly once, in creation order (${limit} a page)`, () => {
      const engine = engineAt();
      const random = seededRandom(100 + limit);
      churn(engine, random, 1500);
      for (const filter of filters) {
        const want = engine.all().filter((j) => matches(j, filter)).map((j) => j.id);
        expect(pageThrough(engine, filter, limit), JSON.stringify(filter)).toEqual(want);
      }
    });
  }

  it('continues right after the cursor when jobs are deleted and created between pages, the cursor job included', () => {
    const engine = engineAt();
    const random = seededRandom(5);
    churn(engine, random, 800);
    for (const filter of filters) {
      const seen: string[] = [];
      let after: number | undefined;
      for (;;) {
        const page = engine.list(filter, after === undefined ? { limit: 7 } : { after, limit: 7 });
        seen.push(...page.items.map((j) => j.id));
        if (page.next === undefined) break;
        after = page.next;
        // The job the cursor stands on goes, as do two others; three are created.
        engine.delete(page.items.at(-1)!.id);
        for (let i = 0; i < 2; i++) {
          const jobs = engine.all();
          engine.delete(jobs[Math.floor(random() * jobs.length)]!.id);
        }
        for (let i = 0; i < 3; i++) engine.create(intervalRequest(`${NAMES[i]}${i}`, 1000, { labels: { team: TEAMS[i]! } }));
      }
      // Every job that still exists and matches was listed once, in creation order.
      const exists = new Set(engine.all().map((j) => j.id));
      expect(new Set(seen).size, JSON.stringify(filter)).toBe(seen.length);
      expect(seen.filter((id) => exists.has(id)), JSON.stringify(filter)).toEqual(engine.all().filter((j) => matches(j, filter)).map((j) => j.id));
    }
  });

  it('gives a job created after deletes a place after every job before it', () => {
    const engine = engineAt();
    const jobs = Array.from({ length: 5 }, (_, i) => engine.create(intervalRequest(`job-${i}`, 1000, { key: `k${i}`, labels: { team: 'a' } })));
    engine.delete(jobs[4]!.id);
    engine.delete(jobs[2]!.id);
    const later = engine.create(intervalRequest('job-later', 1000, { key: 'k4', labels: { team: 'a' } }));
    expect(engine.all().map((j) => j.name)).toEqual(['job-0', 'job-1', 'job-3', 'job-later']);
    for (const filter of [{}, { namePrefix: 'job-' }, { labels: { team: 'a' } }]) {
      expect(pageThrough(engine, filter, 1), JSON.stringify(filter)).toEqual([jobs[0]!.id, jobs[1]!.id, jobs[3]!.id, later.id]);
    }
    expect(engine.get({ key: 'k4' }).id).toBe(later.id);
    expect(() => engine.get({ key: 'k2' })).toThrow(SchedulerError);
  });
});

describe('IndexedHeap', () => {
  interface Item extends HeapEntry {
    key: number;
    id: number;
  }
  const less = (a: Item, b: Item) => a.key < b.key || (a.key === b.key && a.id < b.id);
  const byKey = (a: Item, b: Item) => a.key - b.key || a.id - b.id;

  for (const seed of [1, 42, 2026]) {
    it(`keeps pop order after removals of arbitrary entries (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const heap = new IndexedHeap<Item>(less);
      const live: Item[] = [];
      const removed: Item[] = [];
      let id = 0;
      for (let step = 0; step < 5000; step++) {
        const r = random();
        if (r < 0.55 || live.length === 0) {
          const item: Item = { index: -1, key: Math.floor(random() * 200), id: id++ };
          heap.push(item);
          live.push(item);
        } else if (r < 0.85) {
          const [item] = live.splice(Math.floor(random() * live.length), 1);
          heap.remove(item!);
          expect(item!.index).toBe(-1);
          removed.push(item!);
        } else if (r < 0.9 && removed.length > 0) {
          // Removing an entry that is no longer in the heap is a no-op.
          heap.remove(removed[Math.floor(random() * removed.length)]!);
        } else {
          const expected = [...live].sort(byKey)[0]!;
          expect(heap.peek()).toBe(expected);
          expect(heap.pop()).toBe(expected);
          live.splice(live.indexOf(expected), 1);
        }
        expect(heap.size).toBe(live.length);
      }
      const drained: Item[] = [];
      for (let item = heap.pop(); item !== undefined; item = heap.pop()) drained.push(item);
      expect(drained).toEqual(live.sort(byKey));
    });
  }

  it('clear empties the heap and marks every entry as out of it', () => {
    const heap = new IndexedHeap<Item>(less);
    const items = [3, 1, 2].map((key, id) => ({ index: -1, key, id }));
    for (const item of items) heap.push(item);
    heap.clear();
    expect(heap.size).toBe(0);
    expect(heap.peek()).toBeUndefined();
    expect(items.every((i) => i.index === -1)).toBe(true);
  });
});

describe('executions', () => {
  it('keeps only the newest executionHistoryLimit executions of a job', async () => {
    const client = track(new InMemorySchedulerClient({ clock: new VirtualClock(T0), executionHistoryLimit: 5 }));
    const job = await client.createJob(intervalRequest('history', 1000));
    await client.advanceTime(8000);
    const executions = await client.getExecutions(job.id);
    expect(executions.map((e) => e.startedAt.getTime() - T0)).toEqual([4000, 5000, 6000, 7000, 8000]);
  });

  it('counts an executor that throws synchronously as a failed attempt, with its message', async () => {
    const executor: JobExecutor = () => {
      throw new Error('sync boom');
    };
    const client = track(new InMemorySchedulerClient({ clock: new VirtualClock(T0), executor }));
    const job = await client.createJob({ name: 'sync', schedule: Schedule.oneShot(T0 + 1000), payload: null, maxRetries: 0 });
    await client.advanceTime(1000);
    const [execution] = await client.getExecutions(job.id);
    expect(execution).toMatchObject({ result: 'failed', error: 'sync boom', attempt: 1 });
    expect((await client.getJob(job.id)).status).toBe('failed');
  });

  it('records the message of a rejection, and a description of a non-Error', async () => {
    const reasons: unknown[] = [new Error('async boom'), 'plain text', new TypeError('')];
    const executor: JobExecutor = async (job) => {
      throw reasons[Number(job.name)];
    };
    const client = track(new InMemorySchedulerClient({ clock: new VirtualClock(T0), executor }));
    const jobs = [];
    for (let i = 0; i < reasons.length; i++) {
      jobs.push(await client.createJob({ name: String(i), schedule: Schedule.oneShot(T0 + 1000), payload: null, maxRetries: 0 }));
    }
    await client.advanceTime(1000);
    const errors = [];
    for (const job of jobs) errors.push((await client.getExecutions(job.id))[0]!.error);
    expect(errors).toEqual(['async boom', 'plain text', 'TypeError']);
  });
});

describe('close', () => {
  it('aborts attempts in flight, and later calls reject with SERVER_ERROR', async () => {
    const signals: AbortSignal[] = [];
    const executor: JobExecutor = (_job, _attempt, signal) => {
      signals.push(signal);
      return new Promise(() => {});
    };
    const clock = new VirtualClock(T0);
    const client = new InMemorySchedulerClient({ clock, executor });
    const job = await client.createJob(intervalRequest('in-flight', 1000));
    await client.advanceTime(1000);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);

    await client.close();
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBeInstanceOf(SchedulerError);
    expect((signals[0]!.reason as SchedulerError).code).toBe('SERVER_ERROR');

    await expectCode(client.getJob(job.id), 'SERVER_ERROR');
    await expectCode(client.createJob(intervalRequest('after-close')), 'SERVER_ERROR');
    await expectCode(client.getExecutions(job.id), 'SERVER_ERROR');
    await clock.advance(120_000);
    expect(signals).toHaveLength(1);
    await client.close(); // idempotent
  });

  it('makes a later listJobs reject with SERVER_ERROR, like every other call', async () => {
    const client = new InMemorySchedulerClient({ clock: new VirtualClock(T0) });
    await client.createJob(intervalRequest('listed'));
    await client.close();
    await expectCode(client.listJobs(), 'SERVER_ERROR');
  });
});

describe('completion listeners', () => {
  it('a listener that throws is reported to onListenerError; the engine and other listeners carry on', async () => {
    const clock = new VirtualClock(T0);
    const reported: unknown[] = [];
    const engine = new SchedulerEngine({ clock, onListenerError: (error) => reported.push(error) });
    const boom = new Error('listener boom');
    engine.onCompleted(() => {
      throw boom;
    });
    const seen: JobCompletedEvent[] = [];
    engine.onCompleted((event) => seen.push(event));
    const job = engine.create(intervalRequest('listened', 1000));
    await clock.advance(3000);
    expect(reported).toEqual([boom, boom, boom]);
    expect(seen.map((e) => e.result)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(engine.get(job.id).status).toBe('pending');
    expect(engine.executions(job.id).items).toHaveLength(3);
    engine.close();
  });

  it('without onListenerError, a throwing listener becomes a process warning', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const clock = new VirtualClock(T0);
      const engine = new SchedulerEngine({ clock });
      engine.onCompleted(() => {
        throw new Error('unhandled listener');
      });
      engine.create(intervalRequest('warned', 1000));
      await clock.advance(1000);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain('unhandled listener');
      engine.close();
    } finally {
      warn.mockRestore();
    }
  });

  it('stops calling a listener after its unsubscribe function is called', async () => {
    const clock = new VirtualClock(T0);
    const engine = new SchedulerEngine({ clock });
    const listener = vi.fn();
    const stop = engine.onCompleted(listener);
    engine.create(intervalRequest('unsubscribed', 1000));
    await clock.advance(1000);
    stop();
    await clock.advance(2000);
    expect(listener).toHaveBeenCalledTimes(1);
    engine.close();
  });
});

describe('idempotency window', () => {
  const MONTH = 30 * DAY;

  it('remembers a requestId for 24 h of engine time and forgets it after', async () => {
    const client = track(new InMemorySchedulerClient({ clock: new VirtualClock(T0) }));
    const request = intervalRequest('idempotent', MONTH, { requestId: 'req-window' });
    const first = await client.createJob(request);

    await client.advanceTime(DAY - 1);
    expect((await client.createJob(request)).id).toBe(first.id);
    expect(await client.listJobs()).toHaveLength(1);

    await client.advanceTime(2); // 24 h + 1 ms after the first create
    const second = await client.createJob(request);
    expect(second.id).not.toBe(first.id);
    expect((await client.listJobs()).map((j) => j.id)).toEqual([first.id, second.id]);
  });

  it('lets a forgotten requestId be used for a different request', async () => {
    const client = track(new InMemorySchedulerClient({ clock: new VirtualClock(T0) }));
    await client.createJob(intervalRequest('one', MONTH, { requestId: 'req-reuse' }));
    await expectCode(client.createJob(intervalRequest('two', MONTH, { requestId: 'req-reuse' })), 'INVALID_ARGUMENT');
    await client.advanceTime(DAY + 1);
    const other = await client.createJob(intervalRequest('two', MONTH, { requestId: 'req-reuse' }));
    expect(other.name).toBe('two');
  });
});

describe('VirtualClock.jump', () => {
  it('fires what fell due on the way afterwards, all at the new time, in order', async () => {
    const clock = new VirtualClock(T0);
    const seen: Array<[string, number]> = [];
    clock.setTimer(T0 + 1_000, () => seen.push(['a', clock.now()]));
    clock.setTimer(T0 + 2_000, () => seen.push(['b', clock.now()]));
    clock.setTimer(T0 + 9_000, () => seen.push(['c', clock.now()]));
    await clock.jump(5_000);
    expect(seen).toEqual([
      ['a', T0 + 5_000],
      ['b', T0 + 5_000],
    ]);
    await clock.advance(4_000);
    expect(seen[2]).toEqual(['c', T0 + 9_000]);
    await expect(clock.jump(-1)).rejects.toThrow(RangeError);
  });
});

describe('fires far behind (catch-up)', () => {
  const YEAR = 365 * DAY;

  it('an interval of 1 s a year behind: one run for the latest fire, every other fire counted as missed', async () => {
    const clock = new VirtualClock(T0);
    const engine = new SchedulerEngine({ clock });
    const job = engine.create(intervalRequest('behind', 1_000, { policy: { catchupWindowMs: 10_000 } }));
    await clock.jump(YEAR);
    const after = engine.get(job.id);
    expect(after.stats).toMatchObject({ runs: 1, missed: YEAR / 1_000 - 1, skipped: 0 });
    expect(engine.executions(job.id).items.map((e) => e.startedAt.getTime())).toEqual([T0 + YEAR]);
    expect(after.nextRunAt?.getTime()).toBe(T0 + YEAR + 1_000);
    engine.close();
  });

  it('with jitter, the latest fire already due runs and the one whose delay has not passed stays planned', async () => {
    const clock = new VirtualClock(T0);
    const engine = new SchedulerEngine({ clock });
    const job = engine.create(intervalRequest('jittered', 1_000, { policy: { jitterMs: 900 } }));
    await clock.jump(YEAR);
    const last = T0 + YEAR; // the newest scheduled instant, due only after its own delay
    const lastDelay = jitterDelay(job.id, last, 900);
    const after = engine.get(job.id);
    if (lastDelay === 0) {
      expect(after.stats).toMatchObject({ runs: 1, missed: YEAR / 1_000 - 1 });
    } else {
      expect(after.stats).toMatchObject({ runs: 1, missed: YEAR / 1_000 - 2 });
      expect(after.nextRunAt?.getTime()).toBe(last + lastDelay);
    }
    engine.close();
  });

  it('beyond the window nothing runs, and the job goes on with its next fire', async () => {
    const clock = new VirtualClock(T0);
    const engine = new SchedulerEngine({ clock });
    const job = engine.create({ name: 'cron', schedule: Schedule.cron('*/5 * * * *'), policy: { catchupWindowMs: 60_000 } });
    await clock.jump(3 * 3_600_000 + 120_000); // 36 fires passed, the latest 2 min ago
    expect(engine.get(job.id).stats).toMatchObject({ runs: 0, missed: 36 });
    expect(engine.get(job.id).nextRunAt?.getTime()).toBe(T0 + 3 * 3_600_000 + 300_000);
    engine.close();
  });
});

describe('jitter on a cron schedule', () => {
  it('is capped before the next instant, so due times strictly increase', () => {
    const clock = new VirtualClock(T0);
    const engine = new SchedulerEngine({ clock });
    const job = engine.create({ name: 'every minute', schedule: Schedule.cron('* * * * *'), policy: { jitterMs: 86_400_000 } });
    const { upcoming } = engine.describe(job.id, 100);
    expect(upcoming).toHaveLength(100);
    upcoming.forEach((due, i) => {
      const instant = T0 + (i + 1) * 60_000;
      expect(due).toBe(instant + Math.min(jitterDelay(job.id, instant, 86_400_000), 59_999));
    });
    engine.close();
  });
});

describe('watches', () => {
  it('a job watch gets every start and finish in order, ends when the job has ended, and frees itself', async () => {
    const clock = new VirtualClock(T0);
    const engine = new SchedulerEngine({ clock, executor: () => Promise.reject(new Error('no')) });
    const job = engine.create({ name: 'w', schedule: Schedule.oneShot(T0 + 1_000), maxRetries: 1 });
    const updates: WatchUpdate[] = [];
    const watch = engine.watch({ ref: job.id }, (u) => updates.push(u));
    expect(watch).toMatchObject({ initial: [], ended: false });
    expect(engine.watching()).toBe(1);
    await clock.advance(5_000);
    expect(updates.map((u) => ('end' in u ? u.end : `${u.execution.attempt}:${u.execution.result}`))).toEqual(['1:running', '1:failed', '2:running', '2:failed', 'done']);
    expect(engine.watching()).toBe(0);
    watch.stop();
    expect(engine.watching()).toBe(0);
    expect(engine.watch({ ref: job.id }, () => undefined)).toMatchObject({ initial: [], ended: true });
    engine.close();
  });

  it('an execution watch that ended before it was opened starts with the final state and ends at once', async () => {
    const clock = new VirtualClock(T0);
    const engine = new SchedulerEngine({ clock });
    const job = engine.create(intervalRequest('x', 1_000));
    await clock.advance(1_000);
    const [done] = engine.executions(job.id).items;
    const watch = engine.watch({ executionId: done!.id }, () => expect.unreachable());
    expect(watch.ended).toBe(true);
    expect(watch.initial).toEqual([done]);
    expect(engine.watching()).toBe(0);
    engine.close();
  });

  it('deleting a job ends its watches after the aborted attempt, and close ends the rest as closed', async () => {
    const clock = new VirtualClock(T0);
    const engine = new SchedulerEngine({ clock, executor: () => new Promise(() => undefined) });
    const a = engine.create(intervalRequest('a', 1_000));
    const b = engine.create(intervalRequest('b', 1_000));
    await clock.advance(1_000);
    const [running] = engine.executions(a.id).items;
    const onJob: WatchUpdate[] = [];
    const onExec: WatchUpdate[] = [];
    const onOther: WatchUpdate[] = [];
    engine.watch({ ref: a.id }, (u) => onJob.push(u));
    engine.watch({ executionId: running!.id }, (u) => onExec.push(u));
    engine.watch({ ref: b.id }, (u) => onOther.push(u));
    engine.delete(a.id);
    for (const seen of [onJob, onExec]) {
      expect(seen).toEqual([{ execution: expect.objectContaining({ id: running!.id, result: 'failed', error: 'the job was deleted' }) }, { end: 'done' }]);
    }
    await expectCode(Promise.resolve().then(() => engine.watch({ executionId: running!.id }, () => undefined)), 'JOB_NOT_FOUND');
    expect(engine.watching()).toBe(1);
    engine.close();
    expect(onOther).toEqual([{ end: 'closed' }]);
    expect(engine.watching()).toBe(0);
  });

  it('an execution dropped from the kept history is not found', async () => {
    const clock = new VirtualClock(T0);
    const engine = new SchedulerEngine({ clock, executionHistoryLimit: 2 });
    const job = engine.create(intervalRequest('short memory', 1_000));
    const ids: string[] = [];
    engine.onCompleted((event) => ids.push(event.executionId));
    await clock.advance(3_000);
    const kept = engine.executions(job.id).items;
    expect(kept.map((e) => e.startedAt.getTime())).toEqual([T0 + 2_000, T0 + 3_000]);
    expect(engine.watch({ executionId: kept[0]!.id }, () => undefined).initial).toEqual([kept[0]]);
    expect(ids).toHaveLength(3);
    const error = await expectCode(Promise.resolve().then(() => engine.watch({ executionId: ids[0] }, () => undefined)), 'JOB_NOT_FOUND');
    expect(error.field).toBe('execution_id');
    engine.close();
  });
});
