import { DEFAULT_POLICY, jobPolicyOf } from '../policy.js';
import { backoffDelay, type Backoff } from '../backoff.js';
import { SchedulerError, failureMessage, jobNotFound, keyNotFound } from '../errors.js';
import { plannedFireAfter, type Schedule } from '../schedule.js';
import { specChanges } from '../spec.js';
import { timestampFromMillis } from '../timestamp.js';
import type { ExecutionResult, Job, JobCompletedEvent, JobExecution, JobStatus, JsonValue } from '../types.js';
import {
  checkScheduleTiming,
  parseJobChanges,
  parseJobRequest,
  parseJobSpec,
  validateExpectedRevision,
  validateFlag,
  validateJobFilter,
  validateJobKey,
  validateJobRef,
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
/** Retry n of a job's run waits min(2^(n−1) s, 60 s) (proto, "Retries"). */
const JOB_RETRY_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 60_000 };

interface ExecRecord {
  /** Ordinal within the job, for paging. */
  n: number;
  id: string;
  startedAt: number;
  finishedAt: number | undefined;
  result: ExecutionResult;
  error: string | undefined;
  attempt: number;
}

interface Attempt {
  exec: ExecRecord;
  controller: AbortController;
  timeout: Wake | undefined;
}

interface Run {
  /** The number of the latest attempt. */
  attempt: number;
  /** The attempt in flight; undefined while waiting for a retry. */
  current: Attempt | undefined;
}

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
  readonly createdAt: number;
  revision: number;
  updatedAt: number;
  status: JobStatus;
  /** The schedule changed during the current run: when it ends, the job is planned afresh. */
  replan: boolean;
  /** The next planned fire; while running, the next fire after this run. */
  nextRunAt: number | undefined;
  /** The pending fire or retry wake-up. */
  wake: Wake | undefined;
  run: Run | undefined;
  executions: ExecRecord[] | undefined;
  execCount: number;
}

type WakeKind = 'fire' | 'retry' | 'timeout';
interface Wake extends HeapEntry {
  at: number;
  seq: number;
  kind: WakeKind;
  job: JobRecord;
  attempt: Attempt | undefined;
}

interface RememberedRequest {
  jobId: string;
  fingerprint: string;
  at: number;
}

const succeedAtOnce: JobExecutor = () => undefined;

/**
 * The scheduling engine behind both the in-memory client and the reference gRPC server, so their
 * behaviour cannot drift. It owns the jobs, follows the lifecycle table of the proto cell by cell,
 * runs attempts through the executor, retries with backoff and enforces timeouts in its clock's
 * time, records executions and emits one JobCompletedEvent per finished attempt.
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
  /** Every job in creation order, and by name prefix, label and key. */
  private readonly index = new JobIndex<JobRecord>();
  private nextSeq = 0;
  private readonly requests = new Map<string, RememberedRequest>();
  private readonly wakes = new IndexedHeap<Wake>(
    (a, b) => a.at < b.at || (a.at === b.at && (a.job.seq < b.job.seq || (a.job.seq === b.job.seq && a.seq < b.seq))),
  );
  private readonly listeners = new Set<(event: JobCompletedEvent) => void>();
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
      createdAt: now,
      revision: 1,
      updatedAt: now,
      status: 'pending',
      replan: false,
      nextRunAt: undefined,
      wake: undefined,
      run: undefined,
      executions: undefined,
      execCount: 0,
    };
    this.jobs.set(record.id, record);
    this.index.add(record);
    this.planFire(record, firstFire(record.schedule, now));
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
   * Removes a job and its executions (proto, DeleteJob); its key is free at once. An attempt in
   * flight is aborted and recorded first. Returns the job as it was.
   */
  delete(ref: unknown, options: { expectedRevision?: unknown } = {}, operation = 'deleteJob'): Job {
    this.assertOpen(operation);
    const named = validateJobRef(ref, operation);
    const expected = validateExpectedRevision(options.expectedRevision, operation, 1);
    const r = this.lookup(named, operation);
    if (expected !== undefined && r.revision !== expected) throw this.conflict(operation, `job '${r.id}' is at revision ${r.revision}, not revision ${expected}`, r);
    const attempt = r.run?.current;
    // Without its run, settling records the attempt and publishes its event, and plans nothing.
    r.run = undefined;
    this.clearWake(r);
    r.nextRunAt = undefined;
    if (attempt !== undefined) {
      attempt.controller.abort(new SchedulerError('CANCELLED', `job '${r.id}' was deleted`, { jobId: r.id }));
      this.settle(r, attempt, 'failed', DELETED_ERROR);
    }
    const job = this.toJob(r);
    this.jobs.delete(r.id);
    this.index.remove(r);
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
    };
  }

  // Applies changed fields to a job that has not ended, and plans its next run when its schedule changed.
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
      }
    }
    if (changed.includes('schedule')) {
      if (r.status === 'pending') {
        this.planFire(r, firstFire(r.schedule, now));
      } else if (r.run !== undefined) {
        // The run in progress goes on; when it ends, the job is planned from the new schedule.
        r.replan = true;
        if (r.status === 'running') r.nextRunAt = r.schedule.type === 'one_shot' ? undefined : plannedFireAfter(r.schedule, now);
      }
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

  /** Pauses a job (see the lifecycle table). */
  pause(id: unknown, operation = 'pauseJob'): Job {
    const r = this.find(id, operation);
    switch (r.status) {
      case 'paused':
        break;
      case 'pending':
      case 'running':
        r.status = 'paused';
        r.nextRunAt = undefined;
        this.clearWake(r);
        this.touch(r);
        // Waiting for a retry: that run ends here. An attempt in flight finishes on its own.
        if (r.run !== undefined && r.run.current === undefined) r.run = undefined;
        break;
      default:
        throw this.invalidState(operation, r, 'pause');
    }
    return this.toJob(r);
  }

  /** Resumes a paused job (see the lifecycle table). */
  resume(id: unknown, operation = 'resumeJob'): Job {
    const r = this.find(id, operation);
    switch (r.status) {
      case 'pending':
      case 'running':
        break;
      case 'paused': {
        const now = this.now();
        this.touch(r, now);
        const next = firstFire(r.schedule, now);
        if (r.run?.current !== undefined) {
          // Its attempt is still in flight: the run continues, and the job fires again after it.
          r.status = 'running';
          r.nextRunAt = r.schedule.type === 'one_shot' ? undefined : next;
        } else {
          r.status = 'pending';
          this.planFire(r, next);
        }
        break;
      }
      default:
        throw this.invalidState(operation, r, 'resume');
    }
    return this.toJob(r);
  }

  /** Cancels a job for good (see the lifecycle table). */
  cancel(id: unknown, operation = 'cancelJob'): Job {
    const r = this.find(id, operation);
    switch (r.status) {
      case 'cancelled':
        break;
      case 'pending':
      case 'running':
      case 'paused':
        r.status = 'cancelled';
        r.nextRunAt = undefined;
        this.clearWake(r);
        this.touch(r);
        if (r.run?.current !== undefined) {
          r.run.current.controller.abort(new SchedulerError('CANCELLED', `job '${r.id}' was cancelled`, { jobId: r.id }));
        } else {
          r.run = undefined;
        }
        break;
      default:
        throw this.invalidState(operation, r, 'cancel');
    }
    return this.toJob(r);
  }

  /** Starts a run of a pending job now and returns its first attempt. */
  trigger(id: unknown, operation = 'triggerJob'): JobExecution {
    const r = this.find(id, operation);
    if (r.status !== 'pending') throw this.invalidState(operation, r, 'trigger');
    this.startRun(r);
    return toExecution(r.run!.current!.exec, r.id);
  }

  /** Lists the executions of a job, oldest first, one page at a time. */
  executions(id: unknown, page: PageRequest = {}, operation = 'getExecutions'): Page<JobExecution> {
    const r = this.find(id, operation);
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

  /** Calls `listener` with every JobCompletedEvent from now on. Returns a function that stops it. */
  onCompleted(listener: (event: JobCompletedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Stops the engine: no further fires, retries or events. Attempts in flight are told to stop
   * through their signal. Later calls fail with SERVER_ERROR.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.wakes.clear();
    for (const r of this.index.all) {
      r.run?.current?.controller.abort(new SchedulerError('SERVER_ERROR', 'the scheduler was closed'));
    }
    this.listeners.clear();
  }

  // ---- scheduling -------------------------------------------------------------------------------

  private planFire(r: JobRecord, at: number | undefined): void {
    r.nextRunAt = at;
    if (at === undefined) {
      // A cron expression with no further match: nothing left to run.
      r.status = 'completed';
      this.clearWake(r);
      return;
    }
    this.setWake(r, 'fire', at);
  }

  private setWake(r: JobRecord, kind: 'fire' | 'retry', at: number): void {
    this.clearWake(r);
    r.wake = this.pushWake(r, kind, at, undefined);
  }

  private clearWake(r: JobRecord): void {
    if (r.wake !== undefined) this.wakes.remove(r.wake);
    r.wake = undefined;
  }

  private pushWake(job: JobRecord, kind: WakeKind, at: number, attempt: Attempt | undefined): Wake {
    const wake: Wake = { index: -1, at, seq: this.wakeSeq++, kind, job, attempt };
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
          if (r.status === 'pending') this.startRun(r);
          break;
        case 'retry':
          r.wake = undefined;
          if (r.status === 'running' && r.run !== undefined && r.run.current === undefined) this.startAttempt(r);
          break;
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

  private startRun(r: JobRecord): void {
    const now = this.now();
    this.clearWake(r);
    r.status = 'running';
    r.replan = false;
    // Fires that fall due during this run are coalesced into the one planned here.
    r.nextRunAt = r.schedule.type === 'one_shot' ? undefined : plannedFireAfter(r.schedule, now);
    r.run = { attempt: 0, current: undefined };
    this.startAttempt(r);
  }

  private startAttempt(r: JobRecord): void {
    const run = r.run!;
    const now = this.now();
    const exec: ExecRecord = {
      n: r.execCount++,
      id: this.newId(now),
      startedAt: now,
      finishedAt: undefined,
      result: 'running',
      error: undefined,
      attempt: ++run.attempt,
    };
    const history = (r.executions ??= []);
    history.push(exec);
    if (history.length > this.historyLimit) history.splice(0, history.length - this.historyLimit);
    const attempt: Attempt = { exec, controller: new AbortController(), timeout: undefined };
    run.current = attempt;
    attempt.timeout = this.pushWake(r, 'timeout', now + r.timeoutSecs * 1000, attempt);
    const job = this.toJob(r);
    // The executor starts on a later microtask, so it can call back into the engine safely.
    Promise.resolve()
      .then(() => this.executor(job, exec.attempt, attempt.controller.signal))
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
    if (result === 'timed_out') attempt.controller.abort(new SchedulerError('TIMEOUT', `attempt ${exec.attempt} of job '${r.id}' timed out`, { jobId: r.id }));
    const run = r.run;
    if (run?.current === attempt) run.current = undefined;
    this.emit({
      jobId: r.id,
      executionId: exec.id,
      completedAt: new Date(now),
      completedAtExact: timestampFromMillis(now),
      result,
      ...(error === undefined ? {} : { error }),
      attempt: exec.attempt,
    });
    if (run === undefined || run.current !== undefined) return;
    switch (r.status) {
      case 'running':
        if (result !== 'succeeded' && run.attempt <= r.maxRetries) {
          this.setWake(r, 'retry', now + backoffDelay(JOB_RETRY_BACKOFF, run.attempt));
          return;
        }
        r.run = undefined;
        if (r.schedule.type === 'one_shot' && !r.replan) {
          r.status = result === 'succeeded' ? 'completed' : 'failed';
        } else {
          // A recurring job, or a one-shot whose schedule changed during this run (its new run_at is still to come).
          r.status = 'pending';
          const next = r.schedule.type === 'one_shot' ? firstFire(r.schedule, now) : r.nextRunAt;
          this.planFire(r, next === undefined ? undefined : Math.max(next, now));
        }
        r.replan = false;
        return;
      case 'paused':
        r.run = undefined;
        // The single run of a one-shot happened while it was paused: nothing is left to resume.
        if (r.schedule.type === 'one_shot' && result === 'succeeded' && !r.replan) r.status = 'completed';
        r.replan = false;
        return;
      default:
        r.run = undefined;
    }
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

  private invalidState(operation: string, r: JobRecord, verb: string): SchedulerError {
    const allowed: Record<string, string> = {
      pause: 'pending, running or paused',
      resume: 'pending, running or paused',
      cancel: 'pending, running, paused or cancelled',
      trigger: 'pending',
    };
    const reason = verb === 'trigger' && r.status === 'running' ? ' (a job never runs twice at once)' : '';
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
      policy: jobPolicyOf(DEFAULT_POLICY),
      stats: { runs: 0, succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0 },
      runningExecutions: [],
    };
    if (r.nextRunAt !== undefined) {
      job.nextRunAt = new Date(r.nextRunAt);
      job.nextRunAtExact = timestampFromMillis(r.nextRunAt);
    }
    if (r.key !== undefined) job.key = r.key;
    return job;
  }
}

/** The first fire of a schedule from `now` (creation, resume, a changed schedule). */
function firstFire(schedule: Schedule, now: number): number | undefined {
  return schedule.type === 'one_shot' ? Math.max(schedule.runAt.getTime(), now) : plannedFireAfter(schedule, now);
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
  return JSON.stringify([v.name, schedule, sortedKeys(v.payload), v.maxRetries, v.timeoutSecs, v.key ?? '', sortedKeys(v.labels)]);
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

