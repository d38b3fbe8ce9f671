// applySchedules over a client whose calls a test sees and can interleave with another writer: what
// it sends, how it recovers when a replica or a person changed a job between its listing and its
// change, and how the diff prints. The rules every client shows are in the contract suite.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { applySchedules } from '../src/apply-schedules.js';
import {
  InMemorySchedulerClient,
  OWNER_LABEL,
  Schedule,
  ScheduleDiff,
  VirtualClock,
  type JobSpec,
  type KeyedJobSpec,
  type SchedulerClient,
} from '../src/index.js';
import { expectCode } from './support/expect-code.js';

const HOUR = 3_600_000;
const owner = 'billing';

type Method = 'listJobs' | 'getJob' | 'applyJob' | 'deleteJob';

interface Call {
  method: string;
  args: unknown[];
}

/**
 * An in-memory scheduler, and a client of it that records every call and runs `before[method]`
 * right before the call reaches the scheduler (another writer acting at that moment).
 */
function target(before: Partial<Record<Method, (call: number, ...args: unknown[]) => Promise<unknown> | unknown>> = {}) {
  const inner = new InMemorySchedulerClient({ clock: new VirtualClock(Date.UTC(2026, 10, 23, 12)) });
  const calls: Call[] = [];
  const counts = new Map<string, number>();
  const client = new Proxy(inner, {
    get(object, prop) {
      const value = Reflect.get(object, prop, object) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        calls.push({ method: prop, args });
        const n = (counts.get(prop) ?? 0) + 1;
        counts.set(prop, n);
        await before[prop as Method]?.(n, ...args);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  }) as SchedulerClient;
  open.push(inner);
  return { inner, client, calls, methods: () => calls.map((c) => c.method) };
}

const open: InMemorySchedulerClient[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

const spec = (key: string, extra: Partial<JobSpec> = {}): KeyedJobSpec => ({ key, name: key, schedule: Schedule.interval(HOUR), payload: { key }, ...extra });
/** The spec as applySchedules applies it: with the owner label. */
const owned = ({ key: _key, ...rest }: KeyedJobSpec, who = owner): JobSpec => ({ ...rest, labels: { ...(rest.labels ?? {}), [OWNER_LABEL]: who } });
const actions = (diff: ScheduleDiff<unknown>) => diff.entries.map((e) => [e.key, e.action]);

describe('applySchedules: input', () => {
  it('refuses bad options and specs, naming the field, before any call', async () => {
    const { client, calls } = target();
    const cases: [unknown, unknown, string, string | undefined, ('INVALID_ARGUMENT' | 'INVALID_SCHEDULE')?][] = [
      [[spec('a'), spec('b'), spec('a')], { owner }, 'specs[2].key', 'one spec per key'],
      [[spec('a', { labels: { [OWNER_LABEL]: 'search' } })], { owner }, `specs[0].labels.${OWNER_LABEL}`, 'the owner'],
      [[spec('a'), spec('b', { name: '' })], { owner }, 'specs[1].name', '1..128 code points'],
      [[spec('a'), spec('b', { schedule: Schedule.cron('bad') })], { owner }, 'specs[1].schedule.cron.expression', undefined, 'INVALID_SCHEDULE'],
      [[spec('a'), { ...spec('b'), key: '' }], { owner }, 'specs[1].key', '1..128 code points'],
      [[{ ...spec('a'), requestId: 'r' }], { owner }, 'specs[0].requestId', undefined],
      [[null], { owner }, '', undefined],
      ['not an array', { owner }, 'specs', undefined],
      [[spec('a')], null, 'options', 'an object with owner'],
      [[spec('a')], {}, 'owner', '1..128 code points'],
      [[spec('a')], { owner: '' }, 'owner', '1..128 code points'],
      [[spec('a')], { owner: '𝄞'.repeat(129) }, 'owner', '1..128 code points'],
      [[spec('a')], { owner: '\uD800' }, 'owner', '1..128 code points'],
      [[spec('a')], { owner, prune: 'yes' }, 'prune', 'a boolean'],
      [[spec('a')], { owner, dryRun: 1 }, 'dryRun', 'a boolean'],
    ];
    for (const [specs, options, field, limit, code = 'INVALID_ARGUMENT'] of cases) {
      const what = JSON.stringify([specs, options]);
      const error = await expectCode(applySchedules(client, specs as never, options as never), code);
      expect(error.operation, what).toBe('applySchedules');
      expect(error.message.startsWith('applySchedules: '), error.message).toBe(true);
      if (field !== '') expect(error.field, what).toBe(field);
      if (limit !== undefined) expect(error.limit, what).toBe(limit);
    }
    expect(calls).toEqual([]);
  });

  it('says where a duplicate key was first, and accepts the owner label when it is the owner', async () => {
    const { client } = target();
    const error = await expectCode(applySchedules(client, [spec('a'), spec('b'), spec('a')], { owner }), 'INVALID_ARGUMENT');
    expect(error.message).toBe("applySchedules: specs[2]: key 'a' is also the key of specs[0]");
    const diff = await applySchedules(client, [spec('a', { labels: { [OWNER_LABEL]: owner, team: 't' } })], { owner });
    expect(diff.entries[0]!.job!.labels).toEqual({ [OWNER_LABEL]: owner, team: 't' });
  });

  it('adds the owner label without changing the specs it was given', async () => {
    const { client } = target();
    const specs = [spec('a', { labels: { team: 't' } }), spec('b')];
    const copy = structuredClone(specs);
    const diff = await applySchedules(client, specs, { owner });
    expect(specs).toEqual(copy);
    expect(diff.entries.map((e) => e.job!.labels)).toEqual([{ team: 't', [OWNER_LABEL]: owner }, { [OWNER_LABEL]: owner }]);
  });

  it('lists only the owner, and passes signal and timeoutMs to every call', async () => {
    const { client, calls } = target();
    await applySchedules(client, [spec('a'), spec('gone')], { owner });
    calls.length = 0;
    const signal = new AbortController().signal;
    await applySchedules(client, [spec('a', { payload: 2 }), spec('b')], { owner, prune: true, signal, timeoutMs: 5000 });
    expect(calls.map((c) => c.method)).toEqual(['listJobs', 'applyJob', 'applyJob', 'deleteJob']);
    expect(calls[0]!.args).toEqual([{ labels: { [OWNER_LABEL]: owner } }, { signal, timeoutMs: 5000 }]);
    expect(calls[1]!.args[2]).toEqual({ signal, timeoutMs: 5000, expectedRevision: 1 });
    expect(calls[2]!.args[2]).toEqual({ signal, timeoutMs: 5000, expectedRevision: 0 });
    expect(calls[3]!.args[1]).toEqual({ signal, timeoutMs: 5000, expectedRevision: 1 });
  });

  it('an aborted signal is CANCELLED and changes nothing', async () => {
    const { client, inner } = target();
    await expectCode(applySchedules(client, [spec('a')], { owner, signal: AbortSignal.abort() }), 'CANCELLED');
    expect(inner.getAll()).toEqual([]);
  });

  it('sends nothing but the listing when nothing changed, and only listings and lookups in a dry run', async () => {
    const { client, methods, calls } = target();
    await applySchedules(client, [spec('a'), spec('b')], { owner });
    calls.length = 0;
    expect((await applySchedules(client, [spec('a'), spec('b')], { owner, prune: true })).changed).toBe(false);
    expect(methods()).toEqual(['listJobs']);
    calls.length = 0;
    await applySchedules(client, [spec('a', { payload: 1 }), spec('c')], { owner, prune: true, dryRun: true });
    // A key to create is looked up: another owner's job may hold it.
    expect(methods()).toEqual(['listJobs', 'getJob']);
  });
});

describe('applySchedules: another writer between the listing and the change', () => {
  it('a job changed meanwhile is read again and applied over its new revision', async () => {
    const t = target({
      applyJob: async (n) => {
        if (n === 2) await t.inner.updateJob({ key: 'a' }, { payload: 'someone else' });
      },
    });
    await applySchedules(t.client, [spec('a')], { owner });
    const diff = await applySchedules(t.client, [spec('a', { payload: 'mine' })], { owner });
    expect(diff.entries[0]).toMatchObject({ key: 'a', action: 'update', changedFields: ['payload'], job: { revision: 3, payload: 'mine' } });
    expect(t.methods()).toEqual(['listJobs', 'applyJob', 'listJobs', 'applyJob', 'getJob', 'applyJob']);
    expect((t.calls[5]!.args[2] as { expectedRevision: number }).expectedRevision).toBe(2);
  });

  it('a job another replica already brought to the spec is unchanged', async () => {
    const t = target({
      applyJob: async (n, key) => {
        if (n === 1) await t.inner.applyJob(key as string, owned(spec('a')));
      },
    });
    const diff = await applySchedules(t.client, [spec('a')], { owner });
    expect(actions(diff)).toEqual([['a', 'unchanged']]);
    expect(t.inner.getAll()).toHaveLength(1);
    expect(diff.entries[0]!.job!.revision).toBe(1);
  });

  it('a job another replica created with another spec meanwhile is updated to this one', async () => {
    const t = target({
      applyJob: async (n, key) => {
        if (n === 1) await t.inner.applyJob(key as string, owned(spec('a', { payload: 'old' })));
      },
    });
    const diff = await applySchedules(t.client, [spec('a')], { owner });
    expect(diff.entries[0]).toMatchObject({ action: 'update', changedFields: ['payload'], job: { revision: 2, payload: { key: 'a' } } });
  });

  it('a key taken meanwhile by a job of another owner is a CONFLICT, and that job is left alone', async () => {
    const t = target({
      applyJob: async (n, key) => {
        if (n === 1) await t.inner.applyJob(key as string, owned(spec('a'), 'search'));
      },
    });
    const error = await expectCode(applySchedules(t.client, [spec('a')], { owner }), 'CONFLICT');
    const holder = t.inner.getAll()[0]!;
    expect(error).toMatchObject({ operation: 'applySchedules', field: 'key', jobId: holder.id, limit: 'a key no other job has' });
    expect(error.message).toContain("owner 'search'");
    expect(holder).toMatchObject({ revision: 1, labels: { [OWNER_LABEL]: 'search' } });
  });

  it('a job deleted meanwhile is created again', async () => {
    const t = target({
      applyJob: async (n) => {
        if (n === 2) await t.inner.deleteJob({ key: 'a' });
      },
    });
    const first = await applySchedules(t.client, [spec('a')], { owner });
    const diff = await applySchedules(t.client, [spec('a', { payload: 2 })], { owner });
    expect(diff.entries[0]).toMatchObject({ key: 'a', action: 'create', job: { revision: 1, payload: 2 } });
    expect(diff.entries[0]!.job!.id).not.toBe(first.entries[0]!.job!.id);
  });

  it('a job to prune that another replica deleted first counts as deleted', async () => {
    const t = target({
      deleteJob: async (_n, ref) => {
        await t.inner.deleteJob(ref as string);
      },
    });
    await applySchedules(t.client, [spec('a'), spec('b')], { owner });
    const diff = await applySchedules(t.client, [spec('a')], { owner, prune: true });
    expect(actions(diff)).toEqual([
      ['a', 'unchanged'],
      ['b', 'delete'],
    ]);
    expect(t.inner.getAll().map((j) => j.key)).toEqual(['a']);
  });

  it('a job to prune changed meanwhile is pruned at its new revision while still owned and unwanted, and kept otherwise', async () => {
    // Runs once, at the next delete.
    let change: ((id: string) => Promise<unknown>) | undefined;
    const t = target({
      deleteJob: async (_n, ref) => {
        const once = change;
        change = undefined;
        await once?.(ref as string);
      },
    });
    await applySchedules(t.client, [spec('a'), spec('b')], { owner });
    change = (id) => t.inner.updateJob(id, { payload: 'edited' });
    const pruned = await applySchedules(t.client, [spec('a')], { owner, prune: true });
    expect(pruned.entries[1]).toMatchObject({ key: 'b', action: 'delete', job: { revision: 2, payload: 'edited' } });
    expect(t.inner.getAll().map((j) => j.key)).toEqual(['a']);

    await applySchedules(t.client, [spec('a'), spec('c')], { owner });
    change = (id) => t.inner.updateJob(id, { labels: { [OWNER_LABEL]: 'search' } });
    const moved = await applySchedules(t.client, [spec('a')], { owner, prune: true });
    expect(moved.entries[1]).toMatchObject({ key: 'c', action: 'unchanged', job: { labels: { [OWNER_LABEL]: 'search' } } });
    expect(t.inner.getAll().map((j) => j.key)).toEqual(['a', 'c']);
  });

  it('gives up with the CONFLICT after five tries when the job keeps changing', async () => {
    let n = 0;
    const t = target({
      applyJob: async (call) => {
        if (call > 1) await t.inner.updateJob({ key: 'a' }, { payload: `edit ${++n}` });
      },
    });
    await applySchedules(t.client, [spec('a')], { owner });
    const error = await expectCode(applySchedules(t.client, [spec('a', { payload: 'mine' })], { owner }), 'CONFLICT');
    expect(error.field).toBe('expected_revision');
    expect(t.methods().filter((m) => m === 'applyJob')).toHaveLength(1 + 5);
    expect(t.inner.getAll()[0]!.payload).toBe('edit 5');
  });
});

describe('applySchedules: ended jobs', () => {
  it('leaves an ended job with the same spec alone, and refuses another spec for it with INVALID_STATE', async () => {
    const { client, inner, calls } = target();
    const once = spec('once', { schedule: Schedule.oneShot(new Date(inner.clock.now() + 1000)) });
    await applySchedules(client, [once], { owner });
    await inner.advanceTime(HOUR);
    const [job] = inner.getAll();
    expect(job!.status).toBe('completed');
    expect(actions(await applySchedules(client, [once], { owner }))).toEqual([['once', 'unchanged']]);
    calls.length = 0;
    for (const dryRun of [false, true]) {
      const error = await expectCode(applySchedules(client, [spec('other'), { ...once, payload: 'new' }], { owner, dryRun }), 'INVALID_STATE');
      expect(error).toMatchObject({ operation: 'applySchedules', jobId: job!.id, limit: 'a job that has not ended' });
      expect(error.message).toContain('completed');
    }
    // Found in the listing: refused before anything was changed.
    expect(calls.map((c) => c.method)).toEqual(['listJobs', 'listJobs']);
    expect(inner.getAll()).toEqual([job]);
  });
});

describe('ScheduleDiff', () => {
  it('prints an empty diff, a job without a key and the dry-run wording', async () => {
    const { client, inner } = target();
    expect(String(await applySchedules(client, [], { owner }))).toBe(['KEY  ACTION  CHANGED  JOB', `owner ${owner}: 0 created, 0 updated, 0 unchanged, 0 deleted`].join('\n'));
    const manual = await inner.createJob({ name: 'manual', schedule: Schedule.interval(HOUR), labels: { [OWNER_LABEL]: owner } });
    const dry = await applySchedules(client, [spec('new-one')], { owner, prune: true, dryRun: true });
    expect(String(dry).split('\n')).toEqual([
      'KEY      ACTION  CHANGED  JOB',
      'new-one  create  -        -',
      `-        delete  -        ${manual.id}`,
      `owner ${owner}: 1 to create, 0 to update, 0 unchanged, 1 to delete (dry run)`,
    ]);
    expect(inspect(dry)).toBe(String(dry));
    expect(dry.keys('delete')).toEqual([undefined]);
    expect(JSON.parse(JSON.stringify(dry))).toMatchObject({ dryRun: true, entries: [{ key: 'new-one', jobId: null, revision: null }, { key: null, jobId: manual.id }] });
  });

  it('is read-only: its entries are frozen', async () => {
    const { client } = target();
    const diff = await applySchedules(client, [spec('a')], { owner });
    expect(diff).toBeInstanceOf(ScheduleDiff);
    expect(Object.isFrozen(diff.entries)).toBe(true);
    expect(() => (diff.entries as unknown[]).push({})).toThrow(TypeError);
  });
});
