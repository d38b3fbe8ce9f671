import { SchedulerError, failureMessage, jobNotFound, keyNotFound } from '../errors.js';
import { MAX_RUNS_IN_PROGRESS, PAUSED_ON_FAILURE_NOTE, dueTime, jobPolicyOf, retryWait, type OverlapPolicy, type ResolvedPolicy } from '../policy.js';
import { plannedFireAfter, type Schedule } from '../schedule.js';
import { specChanges } from '../spec.js';
import { timestampFromMillis } from '../timestamp.js';
import type { ExecutionResult, Job, JobCompletedEvent, JobExecution, JobStats, JobStatus, JsonValue } from '../types.js';
import {
  checkScheduleTiming,
  parseJobChanges,
  parseJobRequest,
  parseJobSpec,
  validateExecutionId,
  validateExpectedRevision,
  validateFlag,
  validateJobFilter,
  validateJobKey,
  validateJobRef,
  validateNote,
  validateOverlap,
  validateUpcoming,
  type JobSpecField,
  type ValidatedJobRequest,
  type ValidatedJobSpec,
} from '../validation.js';
import type { Clock, TimerHandle } from './clock.js';
import { IndexedHeap, type HeapEntry } from './heap.js';
import { createIdGenerator } from './ids.js';
import { JobIndex, lowerBound, type SeqView } from './job-index.js';

/**
 * Decides what one attempt of a job does. Resolving (or returning) means the attempt succeeded;
 * throwing or rejecting means it failed, with the error's message recorded; never settling within
 * the job's `timeoutSecs` means it timed out, and `signal` is then aborted. `signal` is also
 * aborted when the job is cancelled or the scheduler closes.
 */
export type JobExecutor = (job: Job, attempt: number, signal: AbortSignal) => unknown;

/** Options of a {@link SchedulerEngine}. */
export interface SchedulerEngineOptions {
  /** The time source; a VirtualClock for tests, a SystemClock in production. */
  clock: Clock;
  /** What a run does. @default an executor that succeeds at once */
  executor?: JobExecutor;
  /** How many executions of each job to keep (the oldest are dropped). @default 1000 */
  executionHistoryLimit?: number;
  /** Called when a completion listener throws; the engine itself carries on. */
  onListenerError?: (error: unknown) => void;
}

/** A page of results and where the next one starts. */
export interface Page<T> {
  items: T[];
  /** Where each item stands: `after: cursors[i]` continues right after `items[i]`. */
  cursors: number[];
  /** Pass back as `after` for the next page; absent on the last page. */
  next?: number;
}

/** Where a page starts and how long it is. */
export interface PageRequest {
  /** The `next` of the previous page. */
  after?: number;
  /** The most items to return. @default all */
  limit?: number;
}

/** What an apply did, or would do with `dryRun`. */
export type ApplyAction = 'created' | 'updated' | 'unchanged';

/** The outcome of {@link SchedulerEngine.apply}. */
export interface ApplyOutcome {
  action: ApplyAction;
  /** The job after the apply; with `dryRun`, the job as it is (absent when it would be created). */
  job: Job | undefined;
  /** For `updated`, the fields whose values differ, in field-number order. */
  changedFields: JobSpecField[];
}

/** The error of an attempt in flight when its job is deleted (proto, "Keys, revisions and labels"). */
export const DELETED_ERROR = 'the job was deleted';

const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

interface ExecRecord {
  /** Ordinal within the job, for paging. */
  n: number;
  id: string;
  startedAt: number;
  finishedAt: number | undefined;
  result: ExecutionResult;
  error: string | undefined;
  attempt: number;
  /** Watches of this execution alone (WatchExecutions by execution_id). */
  watchers: Set<WatchEntry> | undefined;
}

interface Attempt {
  exec: ExecRecord;
  run: Run;
  /** Tells the executor to stop; absent for the default executor, which reads neither job nor signal. */
  controller: AbortController | undefined;
  timeout: Wake | undefined;
}

interface Run {
  /** When its first attempt started. */
  startedAt: number;
  /** The number of the latest attempt. */
  attempt: number;
  /** The attempt in flight; undefined while waiting for a retry. */
  current: Attempt | undefined;
  /** The retry wake-up while waiting for one. */
  retry: Wake | undefined;
  /** The result and error of its latest finished attempt. */
  result?: Exclude<ExecutionResult, 'running'>;
  error?: string;
}

/** The counters of a job (proto JobStats). */
type Stats = JobStats;

interface JobRecord {
  readonly seq: number;
  readonly id: string;
  readonly key: string | undefined;
  name: string;
  schedule: Schedule;
  payloadJson: string;
  maxRetries: number;
  timeoutSecs: number;
  labels: Record<string, string>;
  policy: ResolvedPolicy;
  readonly createdAt: number;
  revision: number;
  updatedAt: number;
  status: JobStatus;
  statusNote: string;
  /** A one-shot whose fire has started a run: it has no fire left (until its schedule changes). */
  spent: boolean;
  /** The scheduled instant of the next planned fire; undefined when none is planned. */
  fireAt: number | undefined;
  /** Its due time (fireAt plus its jitter delay): what next_run_at shows. */
  nextRunAt: number | undefined;
  /** The wake-up of the next fire. */
  wake: Wake | undefined;
  /** A fire held by the BUFFER_ONE overlap policy until no run is in progress. */
  held: boolean;
  /** The runs in progress, oldest first; undefined until the first run. */
  runs: Run[] | undefined;
  /** Counters; undefined until something is counted. */
  stats: Stats | undefined;
  lastRunAt: number | undefined;
  lastResult: Exclude<ExecutionResult, 'running'> | undefined;
  executions: ExecRecord[] | undefined;
  execCount: number;
  /** Watches of this job's executions. */
  watchers: Set<WatchEntry> | undefined;
}

type WakeKind = 'fire' | 'retry' | 'timeout';
interface Wake extends HeapEntry {
  at: number;
  seq: number;
  kind: WakeKind;
  job: JobRecord;
  attempt: Attempt | undefined;
  run: Run | undefined;
}

interface WatchEntry {
  listener: (update: WatchUpdate) => void;
  active: boolean;
}

/** One message of a watch: an execution as it is after a change, or the end of the watch. */
export type WatchUpdate = { execution: JobExecution } | { end: 'done' | 'closed' };

/** A live watch (see {@link SchedulerEngine.watch}). */
export interface Watch {
  /** What the watch starts with: the execution as it is, or the job's attempts in flight. */
  initial: JobExecution[];
  /** True when nothing more will come (the listener is never called). */
  ended: boolean;
  /** Stops the watch and frees it; idempotent. */
  stop(): void;
}

/** What {@link SchedulerEngine.watch} watches: one job (by id or key), or one execution. */
export type WatchTarget = { ref: unknown } | { executionId: unknown };

interface RememberedRequest {
  jobId: string;
  fingerprint: string;
  at: number;
}

const succeedAtOnce: JobExecutor = () => undefined;

/**
 * The scheduling engine behind both the in-memory client and the reference gRPC server, so their
 * behaviour cannot drift. It owns the jobs, follows the lifecycle table of the proto cell by cell,
 * plans fires with their policy (bounds, jitter, overlap, catch-up), runs attempts through the
 * executor, retries with the job's backoff and enforces timeouts in its clock's time, records
 * executions, counts what fires did, emits one JobCompletedEvent per finished attempt, and tells
 * watchers of every execution change.
 *
 * Every public method validates its input and throws {@link SchedulerError}.
 */
export class SchedulerEngine {
  private readonly clock: Clock;
  private readonly executor: JobExecutor;
  private readonly historyLimit: number;
  private readonly onListenerError: (error: unknown) => void;
  private readonly newId = createIdGenerator();
  private readonly jobs = new Map<string, JobRecord>();
  /** Every execution kept, by id (WatchExecutions by execution_id). */
  private readonly execs = new Map<string, { r: JobRecord; e: ExecRecord }>();
  /** Every job in creation order, and by name prefix, label and key. */
  private readonly index = new JobIndex<JobRecord>();
  private nextSeq = 0;
  private readonly requests = new Map<string, RememberedRequest>();
  private readonly wakes = new IndexedHeap<Wake>(
    (a, b) => a.at < b.at || (a.at === b.at && (a.job.seq < b.job.seq || (a.job.seq === b.job.seq && a.seq < b.seq))),
  );
  private readonly listeners = new Set<(event: JobCompletedEvent) => void>();
  private liveWatches = 0;
  private wakeSeq = 0;
  private lastNow = -Infinity;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private armQueued = false;
  private closed = false;

  constructor(options: SchedulerEngineOptions) {
    this.clock = options.clock;
    this.executor = options.executor ?? succeedAtOnce;
    this.historyLimit = options.executionHistoryLimit ?? 1000;
    this.onListenerError = options.onListenerError ?? ((error) => process.emitWarning(`k1s0 scheduler: a completion listener threw: ${String(error)}`));
  }

  /** The engine's current time: its clock's, but never going backwards. */
  now(): number {
    const t = this.clock.now();
    if (t > this.lastNow) this.lastNow = t;
    return this.lastNow;
  }

  /** Registers a job. Idempotent by `requestId` (see the proto). */
  create(request: unknown, operation = 'createJob'): Job {
    this.assertOpen(operation);
    const now = this.now();
    const valid = parseJobRequest(request, operation, now);
    const fingerprint = valid.requestId === undefined ? '' : fingerprintOf(valid);
    if (valid.requestId !== undefined) {
      this.forgetOldRequests(now);
      const seen = this.requests.get(valid.requestId);
      if (seen !== undefined) {
        if (seen.fingerprint !== fingerprint) {
          throw new SchedulerError(
            'INVALID_ARGUMENT',
            `${operation}: requestId '${valid.requestId}' was already used for a different request (job '${seen.jobId}')`,
            { operation, field: 'request_id', jobId: seen.jobId, limit: 'one request per request_id' },
          );
        }
        const first = this.jobs.get(seen.jobId);
        if (first === undefined) {
          throw new SchedulerError('JOB_NOT_FOUND', failureMessage({ operation }, `requestId '${valid.requestId}' created job '${seen.jobId}', which has been deleted`), {
            operation,
            jobId: seen.jobId,
          });
        }
        return this.toJob(first);
      }
    }
    checkScheduleTiming(valid.schedule, { operation, now });
    if (valid.key !== undefined) this.assertKeyFree(valid.key, operation);
    const record = this.insert(valid, valid.key, now);
    if (valid.requestId !== undefined) this.requests.set(valid.requestId, { jobId: record.id, fingerprint, at: now });
    return this.toJob(record);
  }

  private assertKeyFree(key: string, operation: string): void {
    const holder = this.index.byKey(key);
    if (holder === undefined) return;
    throw new SchedulerError('CONFLICT', failureMessage({ operation }, `key '${key}' belongs to job '${holder.id}'`), {
      operation,
      jobId: holder.id,
      field: 'key',
      limit: 'a key no other job has',
    });
  }

  private insert(spec: ValidatedJobSpec, key: string | undefined, now: number): JobRecord {
    const record: JobRecord = {
      seq: this.nextSeq++,
      id: this.newId(now),
      key,
      name: spec.name,
      schedule: spec.schedule,
      payloadJson: spec.payloadJson,
      maxRetries: spec.maxRetries,
      timeoutSecs: spec.timeoutSecs,
      labels: spec.labels, // the validated spec is the engine's own copy
      policy: spec.policy,
      createdAt: now,
      revision: 1,
      updatedAt: now,
      status: 'pending',
      statusNote: '',
      spent: false,
      fireAt: undefined,
      nextRunAt: undefined,
      wake: undefined,
      held: false,
      runs: undefined,
      stats: undefined,
      lastRunAt: undefined,
      lastResult: undefined,
      executions: undefined,
      execCount: 0,
      watchers: undefined,
    };
    this.jobs.set(record.id, record);
    this.index.add(record);
    this.planFrom(record, now);
    this.settleIdle(record);
    return record;
  }

  /** Returns one job, named by id (a string or `{ id }`) or by `{ key }`. */
  get(ref: unknown, operation = 'getJob'): Job {
    return this.toJob(this.find(ref, operation));
  }

  /** The id of the job named by id or key (JOB_NOT_FOUND when there is none). */
  idOf(ref: unknown, operation: string): string {
    return this.find(ref, operation).id;
  }

  /**
   * Returns one job and the due times of its next `upcoming` fires (default 10, 1 to 100), as
   * they will fall due: bounds, max runs and jitter applied; none for a paused or ended job.
   */
  describe(ref: unknown, upcoming?: unknown, operation = 'describeJob'): { job: Job; upcoming: number[] } {
    this.assertOpen(operation);
    const named = validateJobRef(ref, operation);
    const n = validateUpcoming(upcoming, operation);
    const r = this.lookup(named, operation);
    const out: number[] = [];
    if (r.status === 'pending' || r.status === 'running') {
      let left = r.policy.maxRuns === 0 ? Infinity : r.policy.maxRuns - this.runsCommitted(r);
      let s = r.fireAt;
      let due = r.nextRunAt;
      while (s !== undefined && due !== undefined && out.length < n && left > 0) {
        out.push(due);
        left--;
        s = this.instantAfter(r, s);
        due = s === undefined ? undefined : this.dueOf(r, s);
      }
    }
    return { job: this.toJob(r), upcoming: out };
  }

  /**
   * Makes the job with `key` have `spec` (proto, ApplyJob): creates it, updates it in place, or
   * leaves it alone. With `dryRun`, changes nothing and says what it would do.
   */
  apply(key: unknown, spec: unknown, options: { dryRun?: boolean; expectedRevision?: unknown } = {}, operation = 'applyJob'): ApplyOutcome {
    this.assertOpen(operation);
    const k = validateJobKey(key, operation);
    const valid = parseJobSpec(spec, operation);
    const dryRun = validateFlag(options.dryRun, operation, 'dry_run');
    const expected = validateExpectedRevision(options.expectedRevision, operation, 0);
    const now = this.now();
    const r = this.index.byKey(k);
    const changed = r === undefined ? [] : specChanges(this.specOf(r), valid);
    if (r === undefined || changed.includes('schedule')) checkScheduleTiming(valid.schedule, { operation, now, prefix: 'spec.' });
    if (expected !== undefined && (expected === 0 ? r !== undefined : r?.revision !== expected)) {
      const is = r === undefined ? `no job has key '${k}'` : `job '${r.id}' with key '${k}' is at revision ${r.revision}`;
      const want = expected === 0 ? 'no job with this key' : `revision ${expected}`;
      throw this.conflict(operation, `${is}, not ${want}`, r);
    }
    if (r === undefined) {
      return { action: 'created', job: dryRun ? undefined : this.toJob(this.insert(valid, k, now)), changedFields: [] };
    }
    if (changed.length === 0) return { action: 'unchanged', job: this.toJob(r), changedFields: [] };
    if (isEnded(r.status)) throw this.ended(operation, r);
    if (!dryRun) this.change(r, valid, changed, now);
    return { action: 'updated', job: this.toJob(r), changedFields: changed };
  }

  /**
   * Changes the fields of a job that `changes` names (proto, UpdateJob): an object whose own keys
   * are the update mask.
   */
  update(ref: unknown, changes: unknown, options: { expectedRevision?: unknown } = {}, operation = 'updateJob'): Job {
    this.assertOpen(operation);
    const named = validateJobRef(ref, operation);
    const { fields, values } = parseJobChanges(changes, operation);
    const expected = validateExpectedRevision(options.expectedRevision, operation, 1);
    const r = this.lookup(named, operation);
    const now = this.now();
    const changed = specChanges(this.specOf(r), values, fields);
    if (changed.includes('schedule')) checkScheduleTiming(values.schedule!, { operation, now, prefix: 'spec.' });
    if (expected !== undefined && r.revision !== expected) throw this.conflict(operation, `job '${r.id}' is at revision ${r.revision}, not revision ${expected}`, r);
    if (isEnded(r.status)) throw this.ended(operation, r);
    if (changed.length > 0) this.change(r, values, changed, now);
    return this.toJob(r);
  }

  /**
   * Removes a job and its executions (proto, DeleteJob); its key is free at once. Attempts in
   * flight are aborted and recorded first. Returns the job as it was.
   */
  delete(ref: unknown, options: { expectedRevision?: unknown } = {}, operation = 'deleteJob'): Job {
    this.assertOpen(operation);
    const named = validateJobRef(ref, operation);
    const expected = validateExpectedRevision(options.expectedRevision, operation, 1);
    const r = this.lookup(named, operation);
    if (expected !== undefined && r.revision !== expected) throw this.conflict(operation, `job '${r.id}' is at revision ${r.revision}, not revision ${expected}`, r);
    const runs = r.runs ?? [];
    // Without its runs, settling records each attempt and publishes its event, and plans nothing.
    r.runs = undefined;
    this.clearFire(r);
    r.held = false;
    for (const run of runs) {
      if (run.retry !== undefined) this.wakes.remove(run.retry);
      const attempt = run.current;
      if (attempt === undefined) continue;
      attempt.controller?.abort(new SchedulerError('CANCELLED', `job '${r.id}' was deleted`, { jobId: r.id }));
      this.settle(r, attempt, 'failed', DELETED_ERROR);
    }
    const job = this.toJob(r);
    this.jobs.delete(r.id);
    this.index.remove(r);
    for (const e of r.executions ?? []) this.execs.delete(e.id);
    this.endWatchers(r.watchers, 'done');
    r.watchers = undefined;
    return job;
  }

  private specOf(r: JobRecord): ValidatedJobSpec {
    return {
      name: r.name,
      schedule: r.schedule,
      payload: JSON.parse(r.payloadJson) as JsonValue,
      payloadJson: r.payloadJson,
      maxRetries: r.maxRetries,
      timeoutSecs: r.timeoutSecs,
      labels: r.labels,
      policy: r.policy,
    };
  }

  // Applies changed fields to a job that has not ended, and plans its fires afresh when its
  // schedule or policy changed.
  private change(r: JobRecord, values: Partial<ValidatedJobSpec>, changed: readonly JobSpecField[], now: number): void {
    for (const field of changed) {
      switch (field) {
        case 'name':
          r.name = values.name!;
          this.index.renamed();
          break;
        case 'schedule':
          r.schedule = values.schedule!;
          break;
        case 'payload':
          r.payloadJson = values.payloadJson!;
          break;
        case 'maxRetries':
          r.maxRetries = values.maxRetries!;
          break;
        case 'timeoutSecs':
          r.timeoutSecs = values.timeoutSecs!;
          break;
        case 'labels': {
          const before = r.labels;
          r.labels = { ...values.labels! };
          this.index.relabelled(r, before);
          break;
        }
        case 'policy':
          r.policy = values.policy!;
          break;
      }
    }
    if (changed.includes('schedule')) r.spent = false;
    if (r.status === 'pending' || r.status === 'running') {
      // The runs in progress go on. A new schedule is planned from now; a new policy keeps the
      // planned fire's instant (with the new bounds, max runs and jitter) unless start_at moved past it.
      const startAt = r.policy.startAtMs;
      if (changed.includes('schedule')) this.planFrom(r, now);
      else if (changed.includes('policy')) {
        if (r.fireAt !== undefined && (startAt === undefined || r.fireAt >= startAt)) this.planFire(r, r.fireAt);
        else this.planFrom(r, now);
      }
      this.settleIdle(r);
    }
    this.touch(r, now);
  }

  private touch(r: JobRecord, now = this.now()): void {
    r.revision++;
    r.updatedAt = now;
  }

  /** Every job, in creation order. */
  all(): Job[] {
    return this.index.all.map((r) => this.toJob(r));
  }

  /**
   * Lists jobs in creation order (createdAt, then id), filtered, one page at a time. A page starts
   * with a binary search for its cursor and walks on in creation order, through all jobs or through
   * the matches of the name prefix, which are kept in creation order (see
   * {@link NameIndex.inOrder}); so paging through every match of a prefix costs about what an
   * unfiltered listing of as many jobs does.
   */
  list(filter: unknown, page: PageRequest = {}, operation = 'listJobs'): Page<Job> {
    this.assertOpen(operation);
    const { status, namePrefix, labels } = validateJobFilter(filter, operation);
    const after = page.after ?? -1;
    const limit = page.limit ?? Infinity;
    const selector = Object.entries(labels ?? {});
    // Walk the shortest seq-sorted view that holds every match: all jobs, the prefix's matches or
    // one label's jobs; every filter is checked on each job walked.
    let candidates: SeqView<JobRecord> = namePrefix ? this.index.byPrefix(namePrefix) : this.index.all;
    for (const [k, v] of selector) {
      const tagged = this.index.withLabel(k, v);
      if (tagged.length < candidates.length) candidates = tagged;
    }
    const items: Job[] = [];
    const cursors: number[] = [];
    // A binary search finds the page start (the cursor is a job's seq) in the seq-sorted candidates.
    for (let i = lowerBound(candidates, after + 1); i < candidates.length; i++) {
      const r = candidates.at(i)!;
      if (status !== undefined && r.status !== status) continue;
      if (namePrefix && !r.name.startsWith(namePrefix)) continue;
      if (selector.length > 0 && !selector.every(([k, v]) => r.labels[k] === v)) continue;
      if (items.length === limit) return { items, cursors, next: cursors[cursors.length - 1] };
      items.push(this.toJob(r));
      cursors.push(r.seq);
    }
    return { items, cursors };
  }

  /** Pauses a job (see the lifecycle table); `note` is shown as its status note. */
  pause(ref: unknown, note?: unknown, operation = 'pauseJob'): Job {
    this.assertOpen(operation);
    const named = validateJobRef(ref, operation);
    const text = validateNote(note, operation);
    const r = this.lookup(named, operation);
    switch (r.status) {
      case 'paused':
        break;
      case 'pending':
      case 'running':
        this.pauseRecord(r, text, this.now());
        this.touch(r);
        break;
      default:
        throw this.invalidState(operation, r, 'pause');
    }
    return this.toJob(r);
  }

  // PENDING or RUNNING -> PAUSED, by PauseJob or by the pause-on-failure policy.
  private pauseRecord(r: JobRecord, note: string, now: number): void {
    r.status = 'paused';
    r.statusNote = note;
    this.clearFire(r);
    if (r.held) {
      // A held fire is dropped by a pause.
      r.held = false;
      this.count(r).skipped++;
    }
    // A run waiting for a retry ends here; an attempt in flight finishes on its own.
    for (const run of [...(r.runs ?? [])]) {
      if (run.current === undefined) this.endRun(r, run, now);
    }
  }

  /** Resumes a paused job (see the lifecycle table); `note` is shown as its status note. */
  resume(ref: unknown, note?: unknown, operation = 'resumeJob'): Job {
    this.assertOpen(operation);
    const named = validateJobRef(ref, operation);
    const text = validateNote(note, operation);
    const r = this.lookup(named, operation);
    switch (r.status) {
      case 'pending':
      case 'running':
        break;
      case 'paused': {
        const now = this.now();
        this.touch(r, now);
        r.statusNote = text;
        // With an attempt still in flight the run continues, and the job fires again after it.
        r.status = (r.runs?.length ?? 0) > 0 ? 'running' : 'pending';
        this.planFrom(r, now);
        this.settleIdle(r);
        break;
      }
      default:
        throw this.invalidState(operation, r, 'resume');
    }
    return this.toJob(r);
  }

  /** Cancels a job for good (see the lifecycle table). */
  cancel(ref: unknown, operation = 'cancelJob'): Job {
    const r = this.find(ref, operation);
    switch (r.status) {
      case 'cancelled':
        break;
      case 'pending':
      case 'running':
      case 'paused': {
        r.status = 'cancelled';
        this.clearFire(r);
        r.held = false;
        this.touch(r);
        const now = this.now();
        for (const run of [...(r.runs ?? [])]) {
          if (run.current !== undefined) {
            run.current.controller?.abort(new SchedulerError('CANCELLED', `job '${r.id}' was cancelled`, { jobId: r.id }));
          } else {
            this.endRun(r, run, now);
          }
        }
        this.endWatchersIfIdle(r);
        break;
      }
      default:
        throw this.invalidState(operation, r, 'cancel');
    }
    return this.toJob(r);
  }

  /**
   * Starts a run now and returns its first attempt (see (3) in the lifecycle table): from
   * pending, or from running with the ALLOW_ALL overlap (`overlap`, or the job's).
   */
  trigger(ref: unknown, overlap?: unknown, operation = 'triggerJob'): JobExecution {
    this.assertOpen(operation);
    const named = validateJobRef(ref, operation);
    const choice = validateOverlap(overlap, operation);
    const r = this.lookup(named, operation);
    const policy = choice ?? r.policy.overlap;
    const now = this.now();
    if (r.policy.maxRuns !== 0 && this.runsCommitted(r) >= r.policy.maxRuns && (r.status === 'pending' || r.status === 'running')) {
      throw new SchedulerError('INVALID_STATE', failureMessage({ operation }, `job '${r.id}' has started all of its ${r.policy.maxRuns} runs (policy.max_runs)`), {
        operation,
        jobId: r.id,
        limit: 'a run left under policy.max_runs',
      });
    }
    let run: Run;
    if (r.status === 'pending') {
      // The trigger is a fire now: the next fire is planned after it.
      this.clearFire(r);
      run = this.startRun(r, now);
      this.planFrom(r, now);
    } else if (r.status === 'running' && policy === 'allow_all' && (r.runs?.length ?? 0) < MAX_RUNS_IN_PROGRESS) {
      run = this.startRun(r, now);
    } else {
      throw this.invalidState(operation, r, 'trigger', policy);
    }
    return toExecution(run.current!.exec, r.id);
  }

  /** Lists the executions of a job, oldest first, one page at a time. */
  executions(ref: unknown, page: PageRequest = {}, operation = 'getExecutions'): Page<JobExecution> {
    const r = this.find(ref, operation);
    const history = r.executions ?? [];
    const after = page.after ?? -1;
    const limit = page.limit ?? Infinity;
    let i = 0;
    while (i < history.length && history[i]!.n <= after) i++;
    const items: JobExecution[] = [];
    const cursors: number[] = [];
    for (; i < history.length; i++) {
      if (items.length === limit) return { items, cursors, next: cursors[cursors.length - 1] };
      items.push(toExecution(history[i]!, r.id));
      cursors.push(history[i]!.n);
    }
    return { items, cursors };
  }

  // The execution with this id among those kept (JOB_NOT_FOUND, field `execution_id`, otherwise).
  private findExecution(executionId: unknown, operation: string): { r: JobRecord; e: ExecRecord } {
    const id = validateExecutionId(executionId, operation);
    const found = this.execs.get(id);
    if (found === undefined) {
      throw new SchedulerError('JOB_NOT_FOUND', failureMessage({ operation }, `no execution has id '${id}' (a scheduler keeps the ${this.historyLimit} most recent executions of each job)`), {
        operation,
        field: 'execution_id',
      });
    }
    return found;
  }

  /**
   * Watches one execution (`{ executionId }`) or the executions of one job (`{ ref }`), as
   * WatchExecutions streams them: `initial` first, then every change through `listener`, in order,
   * synchronously, and `{ end }` last. See {@link Watch}.
   */
  watch(target: WatchTarget, listener: (update: WatchUpdate) => void, operation = 'watchExecutions'): Watch {
    this.assertOpen(operation);
    let set: Set<WatchEntry>;
    let initial: JobExecution[];
    if ('executionId' in target) {
      const { r, e } = this.findExecution(target.executionId, operation);
      initial = [toExecution(e, r.id)];
      if (e.result !== 'running') return { initial, ended: true, stop: () => undefined };
      set = e.watchers ??= new Set();
    } else {
      const r = this.find(target.ref, operation);
      initial = this.inFlight(r).map((e) => toExecution(e, r.id));
      if (isEnded(r.status) && initial.length === 0) return { initial, ended: true, stop: () => undefined };
      set = r.watchers ??= new Set();
    }
    const entry: WatchEntry = { listener, active: true };
    set.add(entry);
    this.liveWatches++;
    return {
      initial,
      ended: false,
      stop: () => {
        if (!entry.active) return;
        entry.active = false;
        this.liveWatches--;
        set.delete(entry);
      },
    };
  }

  /** How many watches are live (for tests: a stream that ends must leave none behind). */
  watching(): number {
    return this.liveWatches;
  }

  /** Calls `listener` with every JobCompletedEvent from now on. Returns a function that stops it. */
  onCompleted(listener: (event: JobCompletedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops the engine: no further fires, retries or events. Attempts in flight are told to stop
   * through their signal, and every watch ends with `{ end: 'closed' }`. Later calls fail with
   * SERVER_ERROR.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.wakes.clear();
    for (const r of this.index.all) {
      for (const run of r.runs ?? []) run.current?.controller?.abort(new SchedulerError('SERVER_ERROR', 'the scheduler was closed'));
      this.endWatchers(r.watchers, 'closed');
      r.watchers = undefined;
    }
    for (const { e } of this.execs.values()) {
      this.endWatchers(e.watchers, 'closed');
      e.watchers = undefined;
    }
    this.listeners.clear();
  }

  // ---- planning fires ---------------------------------------------------------------------------

  /** The first scheduled instant when the job is planned from `from` (creation, resume, a new schedule, a trigger). */
  private firstInstant(r: JobRecord, from: number): number | undefined {
    const s = r.schedule;
    const { startAtMs, endAtMs } = r.policy;
    switch (s.type) {
      case 'one_shot': {
        const at = s.runAt.getTime();
        // A one-shot outside its bounds never fires; one whose run has started has no fire left.
        if (r.spent || (startAtMs !== undefined && at < startAtMs) || (endAtMs !== undefined && at > endAtMs)) return undefined;
        return Math.max(at, from);
      }
      case 'interval':
        return startAtMs !== undefined && from < startAtMs ? startAtMs : plannedFireAfter(s, from);
      case 'cron':
        return plannedFireAfter(s, startAtMs !== undefined && from < startAtMs ? startAtMs - 1 : from);
    }
  }

  /** The scheduled instant after `s` that may fire (end_at applied), if any. */
  private instantAfter(r: JobRecord, s: number): number | undefined {
    if (r.schedule.type === 'one_shot') return undefined;
    const next = plannedFireAfter(r.schedule, s);
    return next === undefined || (r.policy.endAtMs !== undefined && next > r.policy.endAtMs) ? undefined : next;
  }

  /** The due time of the fire at scheduled instant `s`: `s` plus its jitter delay, capped before the next instant. */
  private dueOf(r: JobRecord, s: number): number {
    const jitter = r.policy.jitterMs;
    if (jitter === 0) return s;
    return dueTime(r.id, s, jitter, r.schedule.type === 'one_shot' ? undefined : plannedFireAfter(r.schedule, s));
  }

  /** Runs started plus a held fire: what max_runs counts against. */
  private runsCommitted(r: JobRecord): number {
    return (r.stats?.runs ?? 0) + (r.held ? 1 : 0);
  }

  private runsLeft(r: JobRecord): number {
    return r.policy.maxRuns === 0 ? Infinity : r.policy.maxRuns - this.runsCommitted(r);
  }

  private planFrom(r: JobRecord, from: number): void {
    this.planFire(r, this.firstInstant(r, from));
  }

  /** Plans the fire of scheduled instant `s`, or none when `s` is undefined, past end_at, or max_runs is reached. */
  private planFire(r: JobRecord, s: number | undefined): void {
    this.clearFire(r);
    if (s === undefined || (r.policy.endAtMs !== undefined && s > r.policy.endAtMs) || this.runsLeft(r) <= 0) return;
    r.fireAt = s;
    r.nextRunAt = this.dueOf(r, s);
    r.wake = this.pushWake(r, 'fire', r.nextRunAt, undefined, undefined);
  }

  private clearFire(r: JobRecord): void {
    if (r.wake !== undefined) this.wakes.remove(r.wake);
    r.wake = undefined;
    r.fireAt = undefined;
    r.nextRunAt = undefined;
  }

  /** A pending job with no fire left and nothing in progress has ended (proto, "Bounds"). */
  private settleIdle(r: JobRecord): void {
    if (r.status === 'pending' && r.fireAt === undefined && !r.held && (r.runs?.length ?? 0) === 0) {
      r.status = 'completed';
      this.endWatchersIfIdle(r);
    }
  }

  /**
   * The planned fire is due: handles it with every later fire that is due too (catch-up), starts
   * at most one run for them (overlap), and plans the next fire.
   */
  private onFire(r: JobRecord, now: number): void {
    let s = r.fireAt!;
    let due = r.nextRunAt!;
    let missed = 0;
    let next = this.instantAfter(r, s);
    if (next !== undefined && r.schedule.type === 'interval') {
      // Far behind: every fire whose next instant has passed is surely due; skip to the last few at once.
      const every = r.schedule.intervalMs;
      let j = Math.floor((now - every + 1 - s) / every);
      if (r.policy.endAtMs !== undefined) j = Math.min(j, Math.floor((r.policy.endAtMs - s) / every));
      if (j >= 2) {
        missed += j - 1;
        s += (j - 1) * every;
        due = this.dueOf(r, s);
        next = this.instantAfter(r, s);
      }
    }
    for (let nextDue = next === undefined ? undefined : this.dueOf(r, next); next !== undefined && nextDue! <= now; ) {
      missed++;
      s = next;
      due = nextDue!;
      next = this.instantAfter(r, s);
      nextDue = next === undefined ? undefined : this.dueOf(r, next);
    }
    const window = r.policy.catchupWindowMs;
    const late = window !== undefined && now - due > window;
    if (late) missed++;
    if (missed > 0) this.count(r).missed += missed;
    this.clearFire(r);
    if (!late) this.fire(r, now);
    this.planFire(r, next);
    this.settleIdle(r);
  }

  /** One fire that runs (not missed): the overlap policy decides. */
  private fire(r: JobRecord, now: number): void {
    const inProgress = r.runs?.length ?? 0;
    if (inProgress === 0) {
      this.startRun(r, now);
      return;
    }
    switch (r.policy.overlap) {
      case 'skip':
        this.count(r).skipped++;
        break;
      case 'buffer_one':
        if (r.held) this.count(r).skipped++;
        else r.held = true;
        break;
      case 'allow_all':
        if (inProgress < MAX_RUNS_IN_PROGRESS) this.startRun(r, now);
        else this.count(r).skipped++;
        break;
    }
  }

  private count(r: JobRecord): Stats {
    return (r.stats ??= { runs: 0, succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0 });
  }

  // ---- wake-ups ---------------------------------------------------------------------------------

  private pushWake(job: JobRecord, kind: WakeKind, at: number, attempt: Attempt | undefined, run: Run | undefined): Wake {
    const wake: Wake = { index: -1, at, seq: this.wakeSeq++, kind, job, attempt, run };
    this.wakes.push(wake);
    this.queueArm();
    return wake;
  }

  // Re-arms the clock's single timer once per burst of changes, not once per job.
  private queueArm(): void {
    if (this.armQueued || this.closed) return;
    this.armQueued = true;
    queueMicrotask(() => {
      this.armQueued = false;
      this.arm();
    });
  }

  private arm(): void {
    if (this.closed) return;
    const top = this.wakes.peek();
    const at = top?.at ?? Infinity;
    if (at === this.timerAt && this.timer !== undefined) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (top !== undefined) {
      this.timer = this.clock.setTimer(at, () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.runDue();
      });
    }
  }

  private runDue(): void {
    const now = this.now();
    for (let wake = this.wakes.peek(); wake !== undefined && wake.at <= now && !this.closed; wake = this.wakes.peek()) {
      this.wakes.pop();
      const r = wake.job;
      switch (wake.kind) {
        case 'fire':
          r.wake = undefined;
          if (r.status === 'pending' || r.status === 'running') this.onFire(r, now);
          break;
        case 'retry': {
          const run = wake.run!;
          run.retry = undefined;
          if (r.status === 'running' && r.runs?.includes(run) && run.current === undefined) this.startAttempt(r, run);
          break;
        }
        case 'timeout': {
          const attempt = wake.attempt!;
          attempt.timeout = undefined;
          this.settle(r, attempt, 'timed_out', `timed out after ${r.timeoutSecs} s`);
          break;
        }
      }
    }
    this.arm();
  }

  // ---- runs and attempts ------------------------------------------------------------------------

  private startRun(r: JobRecord, now: number): Run {
    const run: Run = { startedAt: now, attempt: 0, current: undefined, retry: undefined };
    (r.runs ??= []).push(run);
    this.count(r).runs++;
    if (r.schedule.type === 'one_shot') r.spent = true;
    r.status = 'running';
    if (this.runsLeft(r) <= 0) this.clearFire(r);
    this.startAttempt(r, run);
    return run;
  }

  private startAttempt(r: JobRecord, run: Run): void {
    const now = this.now();
    const exec: ExecRecord = {
      n: r.execCount++,
      id: this.newId(now),
      startedAt: now,
      finishedAt: undefined,
      result: 'running',
      error: undefined,
      attempt: ++run.attempt,
      watchers: undefined,
    };
    const history = (r.executions ??= []);
    history.push(exec);
    this.execs.set(exec.id, { r, e: exec });
    if (history.length > this.historyLimit) {
      for (const old of history.splice(0, history.length - this.historyLimit)) this.execs.delete(old.id);
    }
    // The default executor succeeds at once and reads neither the job nor the signal: an attempt
    // of it costs no snapshot of the job and no AbortController.
    const own = this.executor !== succeedAtOnce;
    const attempt: Attempt = { exec, run, controller: own ? new AbortController() : undefined, timeout: undefined };
    run.current = attempt;
    attempt.timeout = this.pushWake(r, 'timeout', now + r.timeoutSecs * 1000, attempt, run);
    this.notify(r.watchers, exec, r.id);
    const job = own ? this.toJob(r) : undefined;
    // The executor starts on a later microtask, so it can call back into the engine safely.
    Promise.resolve()
      .then(() => (own ? this.executor(job!, exec.attempt, attempt.controller!.signal) : undefined))
      .then(
        () => this.settle(r, attempt, 'succeeded', undefined),
        (error: unknown) => this.settle(r, attempt, 'failed', describeFailure(error)),
      );
  }

  private settle(r: JobRecord, attempt: Attempt, result: Exclude<ExecutionResult, 'running'>, error: string | undefined): void {
    const exec = attempt.exec;
    if (exec.result !== 'running' || this.closed) return; // already timed out, or the engine stopped
    const now = this.now();
    exec.result = result;
    exec.error = error;
    exec.finishedAt = now;
    if (attempt.timeout !== undefined) this.wakes.remove(attempt.timeout);
    attempt.timeout = undefined;
    if (result === 'timed_out') attempt.controller?.abort(new SchedulerError('TIMEOUT', `attempt ${exec.attempt} of job '${r.id}' timed out`, { jobId: r.id }));
    const run = attempt.run;
    if (run.current === attempt) run.current = undefined;
    run.result = result;
    run.error = error;
    this.emit({
      jobId: r.id,
      executionId: exec.id,
      completedAt: new Date(now),
      completedAtExact: timestampFromMillis(now),
      result,
      ...(error === undefined ? {} : { error }),
      attempt: exec.attempt,
    });
    if (exec.watchers !== undefined) {
      this.notify(exec.watchers, exec, r.id);
      this.endWatchers(exec.watchers, 'done');
      exec.watchers = undefined;
    }
    this.notify(r.watchers, exec, r.id);
    if (r.runs?.includes(run) !== true) {
      // The job was deleted, or the run had already ended.
      this.endWatchersIfIdle(r);
      return;
    }
    if (r.status === 'running' && result !== 'succeeded' && run.attempt <= r.maxRetries) {
      run.retry = this.pushWake(r, 'retry', now + retryWait(r.policy.retryBackoff, run.attempt), undefined, run);
      return;
    }
    this.endRun(r, run, now);
  }

  /** A run is over (its last attempt finished, or a pause cut its retries): count it and move the job on (note (4)). */
  private endRun(r: JobRecord, run: Run, now: number): void {
    const runs = r.runs!;
    runs.splice(runs.indexOf(run), 1);
    if (run.retry !== undefined) this.wakes.remove(run.retry);
    run.retry = undefined;
    const result = run.result ?? 'failed';
    const stats = this.count(r);
    if (result === 'succeeded') stats.succeeded++;
    else if (result === 'failed') stats.failed++;
    else stats.timedOut++;
    r.lastRunAt = run.startedAt;
    r.lastResult = result;
    const oneShot = r.schedule.type === 'one_shot';
    switch (r.status) {
      case 'running':
        if (result !== 'succeeded' && r.policy.pauseOnFailure && !oneShot) {
          this.pauseRecord(r, `${PAUSED_ON_FAILURE_NOTE}${run.error ?? result}`, now);
          break;
        }
        if (runs.length > 0) break;
        if (r.held) {
          r.held = false;
          this.startRun(r, now);
        } else if (r.fireAt !== undefined) {
          r.status = 'pending';
        } else {
          r.status = oneShot && result !== 'succeeded' ? 'failed' : 'completed';
        }
        break;
      case 'paused':
        if (oneShot && runs.length === 0) {
          // Its single run happened while paused; or a pause cut it short, and resuming runs it again.
          if (result === 'succeeded' && r.spent) r.status = 'completed';
          else if (result !== 'succeeded') r.spent = false;
        }
        break;
    }
    this.endWatchersIfIdle(r);
  }

  private inFlight(r: JobRecord): ExecRecord[] {
    const out: ExecRecord[] = [];
    for (const run of r.runs ?? []) if (run.current !== undefined) out.push(run.current.exec);
    return out.length > 1 ? out.sort((a, b) => a.n - b.n) : out;
  }

  private emit(event: JobCompletedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  // ---- watches ----------------------------------------------------------------------------------

  private notify(set: Set<WatchEntry> | undefined, exec: ExecRecord, jobId: string): void {
    if (set === undefined || set.size === 0) return;
    for (const entry of [...set]) {
      if (!entry.active) continue;
      try {
        entry.listener({ execution: toExecution(exec, jobId) });
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  private endWatchers(set: Set<WatchEntry> | undefined, end: 'done' | 'closed'): void {
    if (set === undefined) return;
    for (const entry of [...set]) {
      if (!entry.active) continue;
      entry.active = false;
      this.liveWatches--;
      try {
        entry.listener({ end });
      } catch (error) {
        this.onListenerError(error);
      }
    }
    set.clear();
  }

  private endWatchersIfIdle(r: JobRecord): void {
    if (r.watchers === undefined || !isEnded(r.status) || this.inFlight(r).length > 0) return;
    this.endWatchers(r.watchers, 'done');
    r.watchers = undefined;
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private find(ref: unknown, operation: string): JobRecord {
    this.assertOpen(operation);
    return this.lookup(validateJobRef(ref, operation), operation);
  }

  private lookup(named: { id?: string; key?: string }, operation: string): JobRecord {
    if (named.key !== undefined) {
      const r = this.index.byKey(named.key);
      if (r === undefined) throw keyNotFound(operation, named.key);
      return r;
    }
    const r = this.jobs.get(named.id!);
    if (r === undefined) throw jobNotFound(operation, named.id!);
    return r;
  }

  private conflict(operation: string, text: string, r: JobRecord | undefined): SchedulerError {
    return new SchedulerError('CONFLICT', failureMessage({ operation }, `${text}; read the job again before changing it`), {
      operation,
      ...(r === undefined ? {} : { jobId: r.id }),
      field: 'expected_revision',
      limit: "the job's current revision",
    });
  }

  private ended(operation: string, r: JobRecord): SchedulerError {
    const text = `job '${r.id}' is ${r.status}; an ended job's spec is final (delete it to reuse its key)`;
    return new SchedulerError('INVALID_STATE', failureMessage({ operation }, text), { operation, jobId: r.id, limit: 'a job that has not ended' });
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new SchedulerError('SERVER_ERROR', `${operation}: the scheduler is closed`, { operation });
  }

  private invalidState(operation: string, r: JobRecord, verb: string, overlap?: OverlapPolicy): SchedulerError {
    const allowed: Record<string, string> = {
      pause: 'pending, running or paused',
      resume: 'pending, running or paused',
      cancel: 'pending, running, paused or cancelled',
      trigger: 'pending, or running with overlap allow_all',
    };
    let reason = '';
    if (verb === 'trigger' && r.status === 'running') {
      reason =
        overlap === 'allow_all'
          ? ` (${MAX_RUNS_IN_PROGRESS} runs are in progress, the most one job has at once)`
          : ` (a job runs twice at once only with overlap allow_all; its overlap here is ${overlap ?? r.policy.overlap})`;
    } else if (verb === 'trigger' && r.status === 'paused') {
      reason = ' (nothing starts while a job is paused; resume it first)';
    }
    return new SchedulerError(
      'INVALID_STATE',
      `${operation}: job '${r.id}' is ${r.status}; ${verb} is allowed only when it is ${allowed[verb]}${reason}`,
      { operation, jobId: r.id, limit: `status ${allowed[verb]}` },
    );
  }

  private forgetOldRequests(now: number): void {
    for (const [key, seen] of this.requests) {
      if (now - seen.at < IDEMPOTENCY_WINDOW_MS) break;
      this.requests.delete(key);
    }
  }

  private toJob(r: JobRecord): Job {
    const stats = r.stats;
    const job: Job = {
      id: r.id,
      name: r.name,
      schedule: copySchedule(r.schedule),
      status: r.status,
      payload: JSON.parse(r.payloadJson) as JsonValue,
      maxRetries: r.maxRetries,
      timeoutSecs: r.timeoutSecs,
      createdAt: new Date(r.createdAt),
      createdAtExact: timestampFromMillis(r.createdAt),
      labels: { ...r.labels },
      revision: r.revision,
      updatedAt: new Date(r.updatedAt),
      updatedAtExact: timestampFromMillis(r.updatedAt),
      policy: jobPolicyOf(r.policy),
      stats:
        stats === undefined
          ? { runs: 0, succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0 }
          : { runs: stats.runs, succeeded: stats.succeeded, failed: stats.failed, timedOut: stats.timedOut, skipped: stats.skipped, missed: stats.missed },
      runningExecutions: r.runs === undefined ? [] : this.inFlight(r).map((e) => toExecution(e, r.id)),
    };
    if (r.nextRunAt !== undefined && (r.status === 'pending' || r.status === 'running')) {
      job.nextRunAt = new Date(r.nextRunAt);
      job.nextRunAtExact = timestampFromMillis(r.nextRunAt);
    }
    if (r.key !== undefined) job.key = r.key;
    if (r.statusNote !== '') job.statusNote = r.statusNote;
    if (r.lastRunAt !== undefined) {
      job.lastRunAt = new Date(r.lastRunAt);
      job.lastRunAtExact = timestampFromMillis(r.lastRunAt);
      job.lastResult = r.lastResult!;
    }
    if (r.policy.maxRuns !== 0) job.remainingRuns = Math.max(0, r.policy.maxRuns - (stats?.runs ?? 0));
    return job;
  }
}

function isEnded(status: JobStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

function copySchedule(s: Schedule): Schedule {
  return s.type === 'one_shot' ? { type: 'one_shot', runAt: new Date(s.runAt.getTime()) } : { ...s };
}

function toExecution(e: ExecRecord, jobId: string): JobExecution {
  const out: JobExecution = { id: e.id, jobId, startedAt: new Date(e.startedAt), startedAtExact: timestampFromMillis(e.startedAt), result: e.result, attempt: e.attempt };
  if (e.finishedAt !== undefined) {
    out.finishedAt = new Date(e.finishedAt);
    out.finishedAtExact = timestampFromMillis(e.finishedAt);
  }
  if (e.error !== undefined) out.error = e.error;
  return out;
}

function describeFailure(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text === '' ? 'failed' : text.slice(0, 4096);
}

function fingerprintOf(v: ValidatedJobRequest): string {
  const s = v.schedule;
  const schedule = s.type === 'one_shot' ? `one_shot:${s.runAt.getTime()}` : s.type === 'cron' ? `cron:${s.timezone}:${s.expression}` : `interval:${s.intervalMs}`;
  return JSON.stringify([v.name, schedule, sortedKeys(v.payload), v.maxRetries, v.timeoutSecs, v.key ?? '', sortedKeys(v.labels), v.policy]);
}

// Object keys have no order on the wire (a Struct is a proto map, and Go writes maps in random
// order), so two requests are the same when their payloads are equal as JSON values.
function sortedKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortedKeys(value[key]!);
  return out;
}
