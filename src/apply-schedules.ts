// applySchedules: the declarative reconcile a service runs at start-up, on top of the client's own
// listJobs, applyJob and deleteJob, so that both clients reconcile the same way.
import type { ApplyJobOptions, ApplySchedulesOptions, CallOptions, RevisionOptions } from './call-options.js';
import { SchedulerError, failureMessage } from './errors.js';
import { LIMITS } from './limits.js';
import { specChanges, type SpecValues } from './spec.js';
import { resolvePolicy } from './policy.js';
import type { ApplyJobResult, Job, JobFilter, JobRef, JobSpec, JsonValue, KeyedJobSpec } from './types.js';
import { parseJobSpec, validateJobKey, type JobSpecField, type ValidatedJobSpec } from './validation.js';

/** The label that marks the jobs `applySchedules` owns: `k1s0.owner` = the owner's name. */
export const OWNER_LABEL = 'k1s0.owner';

/** What `applySchedules` does, or did, to one key. */
export type ScheduleDiffAction = 'create' | 'update' | 'unchanged' | 'delete';

/** One line of a {@link ScheduleDiff}. */
export interface ScheduleDiffEntry<P = JsonValue> {
  /** The job's key; absent for an owned job without one (only `delete` has such entries). */
  key: string | undefined;
  /** What happens (or, in a dry run, would happen) to the job with this key. */
  action: ScheduleDiffAction;
  /** For `update`, the fields that differ, in proto field order; empty otherwise. */
  changedFields: JobSpecField[];
  /**
   * The job after the change (for `delete`: as it was deleted). In a dry run, the job as it is;
   * absent for a `create`.
   */
  job: Job<P> | undefined;
}

/**
 * The result of `applySchedules`: one entry per spec (in the order given) and one per pruned job.
 * `String(diff)` prints it as a table; `JSON.stringify(diff)` gives `{ owner, dryRun, counts,
 * entries }` with job ids instead of jobs.
 */
export class ScheduleDiff<P = JsonValue> {
  /** The owner reconciled. */
  readonly owner: string;
  /** True when nothing was changed (the diff says what would happen). */
  readonly dryRun: boolean;
  /** Every key's action, specs first in their order, then pruned jobs in creation order. */
  readonly entries: readonly ScheduleDiffEntry<P>[];

  /** @internal built by applySchedules */
  constructor(owner: string, dryRun: boolean, entries: readonly ScheduleDiffEntry<P>[]) {
    this.owner = owner;
    this.dryRun = dryRun;
    this.entries = Object.freeze([...entries]);
  }

  /** How many entries have each action. */
  get counts(): Record<ScheduleDiffAction, number> {
    const counts: Record<ScheduleDiffAction, number> = { create: 0, update: 0, unchanged: 0, delete: 0 };
    for (const e of this.entries) counts[e.action]++;
    return counts;
  }

  /** True when some entry is not `unchanged`: applying it changes (or changed) something. */
  get changed(): boolean {
    return this.entries.some((e) => e.action !== 'unchanged');
  }

  /** The keys whose entries have `action`. */
  keys(action: ScheduleDiffAction): (string | undefined)[] {
    return this.entries.filter((e) => e.action === action).map((e) => e.key);
  }

  /**
   * A table, one row per entry, and a summary line:
   *
   * ```text
   * KEY            ACTION     CHANGED           JOB
   * report-daily   update     schedule,payload  0192…
   * owner billing: 0 created, 1 updated, 2 unchanged, 0 deleted
   * ```
   */
  toString(): string {
    const rows = [['KEY', 'ACTION', 'CHANGED', 'JOB']];
    for (const e of this.entries) rows.push([e.key ?? '-', e.action, e.changedFields.join(',') || '-', e.job?.id ?? '-']);
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    const lines = rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
    const c = this.counts;
    const verbs = this.dryRun ? ['to create', 'to update', 'unchanged', 'to delete'] : ['created', 'updated', 'unchanged', 'deleted'];
    lines.push(`owner ${this.owner}: ${c.create} ${verbs[0]}, ${c.update} ${verbs[1]}, ${c.unchanged} ${verbs[2]}, ${c.delete} ${verbs[3]}${this.dryRun ? ' (dry run)' : ''}`);
    return lines.join('\n');
  }

  /** The diff as plain data: entries carry the job's id and revision instead of the job. */
  toJSON(): object {
    return {
      owner: this.owner,
      dryRun: this.dryRun,
      counts: this.counts,
      entries: this.entries.map((e) => ({
        key: e.key ?? null,
        action: e.action,
        changedFields: e.changedFields,
        jobId: e.job?.id ?? null,
        revision: e.job?.revision ?? null,
      })),
    };
  }

  /** Prints as the table in the Node.js REPL and console.log. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * The calls `applySchedules` makes, as every `SchedulerClient` offers them (declared here rather
 * than imported, since `SchedulerClient` names {@link ScheduleDiff}).
 */
export interface ReconcilingClient {
  listJobs<P = JsonValue>(filter?: JobFilter, options?: CallOptions): Promise<Job<P>[]>;
  getJob<P = JsonValue>(ref: JobRef, options?: CallOptions): Promise<Job<P>>;
  applyJob<P = JsonValue>(key: string, spec: JobSpec<P>, options?: ApplyJobOptions): Promise<ApplyJobResult<P>>;
  deleteJob<P = JsonValue>(ref: JobRef, options?: RevisionOptions): Promise<Job<P>>;
}

const OPERATION = 'applySchedules';
/** How many times a key is re-read and applied again when another writer changed it meanwhile. */
const ATTEMPTS = 5;

interface Planned<P> {
  key: string;
  spec: JobSpec<P>;
  valid: ValidatedJobSpec;
}

/**
 * The reconcile behind `SchedulerClient.applySchedules` (see there), over any client.
 *
 * @throws {SchedulerError} `INVALID_ARGUMENT` for bad options or specs (nothing is sent), `CONFLICT`
 *   for a key held by a job of another owner, `INVALID_STATE` for an ended job whose spec changed.
 */
export async function applySchedules<P>(client: ReconcilingClient, specs: readonly KeyedJobSpec<P>[], options: ApplySchedulesOptions): Promise<ScheduleDiff<P>> {
  const { owner, prune, dryRun } = checkOptions(options);
  const planned = checkSpecs(specs, owner);
  const call = { ...(options.signal === undefined ? {} : { signal: options.signal }), ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) };

  const owned = await client.listJobs<P>({ labels: { [OWNER_LABEL]: owner } }, call);
  const byKey = new Map(owned.filter((j) => j.key !== undefined).map((j) => [j.key!, j]));
  const entries: ScheduleDiffEntry<P>[] = [];
  for (const p of planned) {
    const current = byKey.get(p.key);
    if (current === undefined) {
      entries.push({ key: p.key, action: 'create', changedFields: [], job: undefined });
      continue;
    }
    const changed = specChanges(specValues(current), p.valid);
    if (changed.length > 0 && isEnded(current)) throw endedError(current);
    entries.push({ key: p.key, action: changed.length === 0 ? 'unchanged' : 'update', changedFields: changed, job: current });
  }
  const wanted = new Set(planned.map((p) => p.key));
  if (prune) {
    for (const job of owned) if (job.key === undefined || !wanted.has(job.key)) entries.push({ key: job.key, action: 'delete', changedFields: [], job });
  }

  if (dryRun) {
    // A key that is not among the owner's jobs may still be held by another job: say so now.
    for (const [i, e] of entries.entries()) {
      if (e.action !== 'create') continue;
      const holder = await findByKey<P>(client, e.key!, call);
      if (holder !== undefined) entries[i] = reclassify(planned[i]!, holder, owner);
    }
    return new ScheduleDiff(owner, true, entries);
  }

  for (const [i, e] of entries.entries()) {
    if (e.action === 'unchanged') continue;
    if (e.action === 'delete') {
      entries[i] = await prunePlanned(client, e, wanted, owner, call);
      continue;
    }
    entries[i] = await applyPlanned(client, planned[i]!, e.job?.revision ?? 0, owner, call);
  }
  return new ScheduleDiff(owner, false, entries);
}

// Applies one spec under the revision it was diffed against; when another writer got there first,
// reads the job again and decides anew.
async function applyPlanned<P>(client: ReconcilingClient, p: Planned<P>, revision: number, owner: string, call: object): Promise<ScheduleDiffEntry<P>> {
  let expected = revision;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await client.applyJob<P>(p.key, p.spec, { ...call, expectedRevision: expected });
      const action = result.action === 'created' ? 'create' : result.action === 'updated' ? 'update' : 'unchanged';
      return { key: p.key, action, changedFields: result.changedFields, job: result.job };
    } catch (error) {
      if (!(error instanceof SchedulerError) || error.code !== 'CONFLICT' || attempt === ATTEMPTS) throw error;
    }
    const holder = await findByKey<P>(client, p.key, call);
    if (holder === undefined) {
      expected = 0;
      continue;
    }
    const entry = reclassify(p, holder, owner);
    if (entry.action === 'unchanged') return entry;
    expected = holder.revision;
  }
}

async function prunePlanned<P>(client: ReconcilingClient, e: ScheduleDiffEntry<P>, wanted: Set<string>, owner: string, call: object): Promise<ScheduleDiffEntry<P>> {
  let job = e.job!;
  for (let attempt = 1; ; attempt++) {
    try {
      return { ...e, job: await client.deleteJob<P>(job.id, { ...call, expectedRevision: job.revision }) };
    } catch (error) {
      if (!(error instanceof SchedulerError)) throw error;
      // Another replica pruned it first: it is gone, as this one wanted.
      if (error.code === 'JOB_NOT_FOUND') return e;
      if (error.code !== 'CONFLICT' || attempt === ATTEMPTS) throw error;
    }
    let now: Job<P>;
    try {
      now = await client.getJob<P>(job.id, call);
    } catch (error) {
      if (error instanceof SchedulerError && error.code === 'JOB_NOT_FOUND') return e;
      throw error;
    }
    // Changed meanwhile: prune it only if it is still the owner's and still unwanted.
    if (now.labels[OWNER_LABEL] !== owner || (now.key !== undefined && wanted.has(now.key))) return { ...e, action: 'unchanged', job: now };
    job = now;
  }
}

// A job found under a spec's key that the listing did not show as the owner's.
function reclassify<P>(p: Planned<P>, holder: Job<P>, owner: string): ScheduleDiffEntry<P> {
  if (holder.labels[OWNER_LABEL] !== owner) {
    const whose = holder.labels[OWNER_LABEL] === undefined ? 'no owner' : `owner '${holder.labels[OWNER_LABEL]}'`;
    throw new SchedulerError('CONFLICT', failureMessage({ operation: OPERATION }, `key '${p.key}' belongs to job '${holder.id}' of ${whose}, not '${owner}'; applySchedules never changes another owner's job`), {
      operation: OPERATION,
      jobId: holder.id,
      field: 'key',
      limit: 'a key no other job has',
    });
  }
  const changed = specChanges(specValues(holder), p.valid);
  if (changed.length > 0 && isEnded(holder)) throw endedError(holder);
  return { key: p.key, action: changed.length === 0 ? 'unchanged' : 'update', changedFields: changed, job: holder };
}

async function findByKey<P>(client: ReconcilingClient, key: string, call: object): Promise<Job<P> | undefined> {
  try {
    return await client.getJob<P>({ key }, call);
  } catch (error) {
    if (error instanceof SchedulerError && error.code === 'JOB_NOT_FOUND') return undefined;
    throw error;
  }
}

function specValues(job: Job<unknown>): SpecValues {
  return { name: job.name, schedule: job.schedule, payload: job.payload as JsonValue, maxRetries: job.maxRetries, timeoutSecs: job.timeoutSecs, labels: job.labels, policy: resolvePolicy(job.policy) };
}

const isEnded = (job: Job<unknown>): boolean => job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled';

function endedError(job: Job<unknown>): SchedulerError {
  return new SchedulerError('INVALID_STATE', failureMessage({ operation: OPERATION }, `job '${job.id}' (key '${job.key}') is ${job.status} and its spec changed; an ended job's spec is final (delete it to reuse its key)`), {
    operation: OPERATION,
    jobId: job.id,
    limit: 'a job that has not ended',
  });
}

function checkOptions(options: ApplySchedulesOptions): { owner: string; prune: boolean; dryRun: boolean } {
  const bad = (field: string, limit: string, text: string): SchedulerError =>
    new SchedulerError('INVALID_ARGUMENT', failureMessage({ operation: OPERATION }, `${field} ${text}`), { operation: OPERATION, field, limit });
  if (typeof options !== 'object' || options === null) throw bad('options', 'an object with owner', 'must be an object with an owner');
  const { owner, prune = false, dryRun = false } = options;
  if (typeof owner !== 'string' || owner === '' || !owner.isWellFormed() || [...owner].length > LIMITS.labelValueMaxChars) {
    throw bad('owner', `1..${LIMITS.labelValueMaxChars} code points`, `must be a label value of 1 to ${LIMITS.labelValueMaxChars} characters, got ${JSON.stringify(owner)}`);
  }
  if (typeof prune !== 'boolean') throw bad('prune', 'a boolean', 'must be a boolean');
  if (typeof dryRun !== 'boolean') throw bad('dryRun', 'a boolean', 'must be a boolean');
  return { owner, prune, dryRun };
}

// Every spec is checked before anything is sent: keys valid and distinct, fields valid, and the
// owner label either absent (it is added) or the owner.
function checkSpecs<P>(specs: readonly KeyedJobSpec<P>[], owner: string): Planned<P>[] {
  if (!Array.isArray(specs)) {
    throw new SchedulerError('INVALID_ARGUMENT', failureMessage({ operation: OPERATION }, 'specs must be an array of job specs with keys'), { operation: OPERATION, field: 'specs' });
  }
  const seen = new Map<string, number>();
  return specs.map((entry, i) => {
    const where = (e: SchedulerError): SchedulerError =>
      new SchedulerError(e.code, failureMessage({ operation: OPERATION }, `specs[${i}]: ${e.message.replace(/^applySchedules: /, '')}`), {
        operation: OPERATION,
        // specs[i] and the field inside the spec, as a JobSpec names it (no "spec." in front).
        ...(e.field === undefined ? {} : { field: `specs[${i}].${e.field.replace(/^spec\./, '')}` }),
        ...(e.limit === undefined ? {} : { limit: e.limit }),
      });
    try {
      if (typeof entry !== 'object' || entry === null) throw new SchedulerError('INVALID_ARGUMENT', `${OPERATION}: must be an object`, { operation: OPERATION });
      const { key, ...spec } = entry;
      const k = validateJobKey(key, OPERATION);
      const first = seen.get(k);
      if (first !== undefined) {
        throw new SchedulerError('INVALID_ARGUMENT', `${OPERATION}: key '${k}' is also the key of specs[${first}]`, { operation: OPERATION, field: 'key', limit: 'one spec per key' });
      }
      seen.set(k, i);
      const ownerLabel = spec.labels?.[OWNER_LABEL];
      if (ownerLabel !== undefined && ownerLabel !== owner) {
        throw new SchedulerError('INVALID_ARGUMENT', `${OPERATION}: label ${OWNER_LABEL} is '${ownerLabel}', but the owner is '${owner}'`, {
          operation: OPERATION,
          field: `labels.${OWNER_LABEL}`,
          limit: 'the owner',
        });
      }
      const owned = { ...spec, labels: { ...(spec.labels ?? {}), [OWNER_LABEL]: owner } } as JobSpec<P>;
      return { key: k, spec: owned, valid: parseJobSpec(owned, OPERATION) };
    } catch (error) {
      throw error instanceof SchedulerError ? where(error) : error;
    }
  });
}
