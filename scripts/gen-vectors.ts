// Writes the conformance vectors of proto/testdata/ from the domain values below. Run it only when
// the proto changes on purpose (`npm run gen:vectors`); the tests then check that the codec still
// reproduces every byte.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import type { JobCompletedEvent } from '../src/index.js';
import { jobNotFound } from '../src/errors.js';
import { jitterDelay } from '../src/policy.js';
import { eventToSnakeJson } from '../src/kafka/codec.js';
import { formatTimestamp, parseTimestamp, readTimestamp, timestampFromMillis, timestampToMillis, type Timestamp } from '../src/timestamp.js';
import { decodeMessage, encodeMessage, messageType } from '../src/wire/proto.js';
import { toProto3Json } from './lib/proto3-json.js';
import { PKG, VECTOR_CODECS } from './lib/vector-codecs.js';
import { protoRoot } from '../src/wire/proto-files.js';
import { statusOf } from '../src/wire/status.js';

const out = join(protoRoot(), 'testdata');

interface Vector {
  description: string;
  message: string;
  domain: unknown;
  proto3_json: unknown;
  binary_base64: string;
  binary_base64_map_reordered?: string;
  snake_case_json?: string;
}

function write(file: string, vector: Vector): void {
  writeFileSync(join(out, file), `${JSON.stringify(vector, null, 2)}\n`);
}

// The domain value as the files hold it: every timestamp as exact RFC 3339 text in UTC with 3, 6 or 9
// fraction digits (the fewest that hold it). In TypeScript each becomes a Date and, beside it, its
// exact `…Exact` field (one-shot `runAt`, a policy's `startAt` and `endAt` and a description's
// `upcomingRuns` are Dates only: they are whole milliseconds). Nested values (an ApplyJobResponse's
// job, a request's spec, a job's policy and running executions) are revived alike; payloads and
// labels are data.
const EXACT_KEYS = new Set(['createdAt', 'nextRunAt', 'startedAt', 'finishedAt', 'completedAt', 'updatedAt', 'lastRunAt']);
const DATE_KEYS = new Set(['runAt', 'startAt', 'endAt']);

// A timestamp of a file, checked to be in the form the files use.
function exactText(key: string, text: string): Timestamp {
  const exact = parseTimestamp(text);
  if (formatTimestamp(exact) !== text) throw new Error(`${key} ${text} is not in the form the files use: ${formatTimestamp(exact)}`);
  return exact;
}

/** The TypeScript domain value of a file's `domain`. */
function revive<T>(fileForm: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fileForm)) {
    if (EXACT_KEYS.has(k) && typeof v === 'string') {
      const exact = exactText(k, v);
      out[k] = new Date(timestampToMillis(exact));
      out[`${k}Exact`] = exact;
    } else if (DATE_KEYS.has(k) && typeof v === 'string') {
      out[k] = new Date(timestampToMillis(exactText(k, v)));
    } else if (k === 'upcomingRuns' && Array.isArray(v)) {
      out[k] = v.map((t: string) => new Date(timestampToMillis(exactText(k, t))));
    } else if (k !== 'payload' && k !== 'labels' && Array.isArray(v)) {
      out[k] = v.map((item: unknown) => (typeof item === 'object' && item !== null ? revive(item as Record<string, unknown>) : item));
    } else if (k !== 'payload' && k !== 'labels' && typeof v === 'object' && v !== null) {
      out[k] = revive(v as Record<string, unknown>);
    } else {
      out[k] = v;
    }
  }
  return out as T;
}

/**
 * The same message as `bytes` with the entries of every map (labels, and Struct fields inside a
 * payload) in reverse key order: as valid as the sorted form, and read as the same message.
 */
function mapsReordered(message: string, bytes: Uint8Array): Uint8Array {
  const type = messageType(message);
  // A decoded protobufjs message has own properties only for the fields on the wire, so encoding it
  // writes the same fields; its maps are written in the order of their keys.
  const decoded = type.decode(bytes);
  const reverse = (t: protobuf.Type, m: Record<string, unknown>): void => {
    for (const field of t.fieldsArray) {
      field.resolve();
      if (!Object.hasOwn(m, field.name)) continue;
      const value = m[field.name];
      const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
      if (field.map) {
        const entries = Object.entries(value as Record<string, unknown>).reverse();
        m[field.name] = Object.fromEntries(entries);
        if (nested !== undefined) for (const [, v] of entries) reverse(nested, v as Record<string, unknown>);
      } else if (nested !== undefined && field.repeated) {
        for (const v of value as Record<string, unknown>[]) reverse(nested, v);
      } else if (nested !== undefined && value !== null) {
        reverse(nested, value as Record<string, unknown>);
      }
    }
  };
  reverse(type, decoded as unknown as Record<string, unknown>);
  const reordered = type.encode(decoded).finish();
  if (Buffer.compare(Buffer.from(reordered), Buffer.from(bytes)) === 0) throw new Error(`${message}: reversing its maps changed no byte`);
  if (Buffer.compare(Buffer.from(encodeMessage(message, decodeMessage(message, reordered))), Buffer.from(bytes)) !== 0) {
    throw new Error(`${message}: the reordered bytes do not decode to the same message`);
  }
  return reordered;
}

function messageVector(description: string, message: string, domain: Record<string, unknown>, wire: object, options: { mapReordered?: boolean } = {}): Vector {
  const bytes = encodeMessage(message, wire as Record<string, unknown>);
  const vector: Vector = {
    description,
    message,
    domain,
    proto3_json: toProto3Json(message, decodeMessage(message, bytes)),
    binary_base64: Buffer.from(bytes).toString('base64'),
  };
  if (options.mapReordered === true) vector.binary_base64_map_reordered = Buffer.from(mapsReordered(message, bytes)).toString('base64');
  return vector;
}

/** A vector of `message` from its file-form domain value, through the message's TypeScript codec. */
function domainVector(description: string, message: string, domain: Record<string, unknown>, options: { mapReordered?: boolean } = {}): Vector {
  return messageVector(description, message, domain, VECTOR_CODECS[message]!.toWire(revive(domain) as never), options);
}

// What a job without a policy shows: the effective overlap and retry backoff filled in.
const DEFAULT_JOB_POLICY = { overlap: 'buffer_one', retryBackoff: { initialMs: 1000, maxMs: 60000, multiplier: 2 }, pauseOnFailure: false };
const NO_STATS = { runs: 0, succeeded: 0, failed: 0, timedOut: 0, skipped: 0, missed: 0 };

/** A job's file form with the fields of a job that has no policy and no run in flight filled in where it does not set them. */
function withJobDefaults(job: Record<string, unknown>): Record<string, unknown> {
  return { ...job, policy: job.policy ?? DEFAULT_JOB_POLICY, stats: job.stats ?? NO_STATS, runningExecutions: job.runningExecutions ?? [] };
}

// A job with every field of a schedule policy, a status note, a last run, an attempt in flight and
// runs left under max_runs. Its due times are its cron instants plus the jitter delay of the proto
// (jitterDelay), so the vector agrees with the jitter rule.
const POLICY_JOB_ID = '01a20750-0000-7000-8000-000000000007';
const POLICY_JITTER_MS = 1_500;
const dueMs = (instant: string): number => Date.parse(instant) + jitterDelay(POLICY_JOB_ID, Date.parse(instant), POLICY_JITTER_MS);
const dueAt = (instant: string): string => formatTimestamp(timestampFromMillis(dueMs(instant)));
const policyJob = {
  id: POLICY_JOB_ID,
  name: 'reconcile-ledger',
  schedule: { type: 'cron', expression: '*/5 * * * *', timezone: 'Asia/Tokyo' },
  status: 'running',
  payload: { ledger: 'eu' },
  maxRetries: 2,
  timeoutSecs: 300,
  createdAt: '2026-11-20T00:00:00.000Z',
  nextRunAt: dueAt('2026-11-22T10:05:00.000Z'),
  labels: {},
  revision: 2,
  updatedAt: '2026-11-21T08:00:00.000Z',
  policy: {
    overlap: 'allow_all',
    catchupWindowMs: 90_000,
    startAt: '2026-11-21T00:00:00.000Z',
    endAt: '2027-11-21T00:00:00.000Z',
    maxRuns: 1_000,
    jitterMs: POLICY_JITTER_MS,
    retryBackoff: { initialMs: 250, maxMs: 30_000, multiplier: 1.5 },
    pauseOnFailure: true,
  },
  statusNote: 'resumed after the ledger migration',
  stats: { runs: 400, succeeded: 380, failed: 12, timedOut: 7, skipped: 9, missed: 2 },
  lastRunAt: '2026-11-22T09:55:00.123456Z',
  lastResult: 'timed_out',
  runningExecutions: [
    { id: '01a20750-0000-7000-8000-0000000000e8', jobId: POLICY_JOB_ID, startedAt: dueAt('2026-11-22T10:00:00.000Z'), result: 'running', attempt: 1 },
  ],
  remainingRuns: 600,
};

const jobs: [string, string, Record<string, unknown>][] = [
  [
    'job_cron.json',
    'A pending cron job in a non-UTC time zone, with a nested unicode payload and next_run_at.',
    {
      id: '01a20750-0000-7000-8000-000000000001',
      name: 'nightly-report ✓',
      schedule: { type: 'cron', expression: '30 2 * * MON-FRI', timezone: 'Europe/Berlin' },
      status: 'pending',
      payload: { format: 'pdf', pages: [1, 2.5, -3], recipients: ['ops@example.com'], meta: { draft: false, note: null, 'ключ': 'значение' } },
      maxRetries: 3,
      timeoutSecs: 60,
      createdAt: '2026-11-22T10:00:00.000Z',
      nextRunAt: '2026-11-23T01:30:00.000Z',
      labels: {},
      revision: 1,
      updatedAt: '2026-11-22T10:00:00.000Z',
    },
  ],
  [
    'job_one_shot.json',
    'A completed one-shot job: payload null, max_retries 0 (a default value, so absent from binary and proto3 JSON), no next_run_at, millisecond timestamps; its one run succeeded (stats, last_run_at, last_result).',
    {
      id: '01a20750-0000-7000-8000-000000000002',
      name: 'send-welcome-mail',
      schedule: { type: 'one_shot', runAt: '2026-11-22T10:05:00.250Z' },
      status: 'completed',
      payload: null,
      maxRetries: 0,
      timeoutSecs: 30,
      createdAt: '2026-11-22T10:00:00.001Z',
      labels: {},
      revision: 1,
      updatedAt: '2026-11-22T10:00:00.001Z',
      stats: { ...NO_STATS, runs: 1, succeeded: 1 },
      lastRunAt: '2026-11-22T10:05:00.251Z',
      lastResult: 'succeeded',
    },
  ],
  [
    'job_interval.json',
    'A paused interval job of 1.5 s with an array payload; paused jobs have no next_run_at. The pause made it revision 2, and its note is the status_note.',
    {
      id: '01a20750-0000-7000-8000-000000000003',
      name: 'poll',
      schedule: { type: 'interval', intervalMs: 1500 },
      status: 'paused',
      payload: ['a', 1, true, { x: [] }],
      maxRetries: 100,
      timeoutSecs: 86400,
      createdAt: '2026-11-22T10:00:00.000Z',
      labels: {},
      revision: 2,
      updatedAt: '2026-11-22T10:30:00.000Z',
      statusNote: 'upstream API down — see INC-42',
    },
  ],
  [
    'job_interval_nanos.json',
    'A pending interval job from a server whose clock has nanoseconds: created_at with 9 fraction digits, next_run_at with 6. Decoding and re-encoding keeps every digit.',
    {
      id: '01a20750-0000-7000-8000-000000000004',
      name: 'heartbeat',
      schedule: { type: 'interval', intervalMs: 60000 },
      status: 'pending',
      payload: { ok: true },
      maxRetries: 3,
      timeoutSecs: 60,
      createdAt: '2026-11-22T10:00:00.123456789Z',
      nextRunAt: '2026-11-22T10:01:00.123456Z',
      labels: {},
      revision: 1,
      updatedAt: '2026-11-22T10:00:00.123456789Z',
    },
  ],
  [
    'job_keyed.json',
    'A pending job with a key, three labels (a key with a dot, a non-ASCII value) and a revision above 2^32 (an int64: a JSON string in proto3 JSON), updated_at with 6 fraction digits. binary_base64 holds the label entries sorted by key; binary_base64_map_reordered holds them in reverse order, which reads as the same message.',
    {
      id: '01a20750-0000-7000-8000-000000000005',
      name: 'nightly-export',
      schedule: { type: 'cron', expression: '0 3 * * *' },
      status: 'pending',
      payload: { target: 's3://exports', days: 7 },
      maxRetries: 3,
      timeoutSecs: 600,
      createdAt: '2026-11-22T10:00:00.000Z',
      nextRunAt: '2026-11-23T03:00:00.000Z',
      key: 'billing/nightly-export',
      labels: { 'k1s0.owner': 'billing', team: 'payments', tier: 'バッチ' },
      revision: 4294967297,
      updatedAt: '2026-11-22T12:34:56.789012Z',
      stats: { runs: 4294967301, succeeded: 4294967296, failed: 5, timedOut: 0, skipped: 0, missed: 0 },
      lastRunAt: '2026-11-22T03:00:00.000Z',
      lastResult: 'succeeded',
    },
  ],
  [
    'job_policy.json',
    'A running cron job with every field of a schedule policy (Durations as "90s", "1.500s", "0.250s"; a multiplier of 1.5; start_at and end_at), a status note, counters, the last run (last_run_at with 6 fraction digits, last_result TIMED_OUT), its attempt in flight in running_executions, and remaining_runs = max_runs - runs. next_run_at and the attempt\'s started_at are the cron instants plus the jitter delay of the proto.',
    policyJob,
  ],
];
/** Whether a domain value holds a label map of 2 or more entries (its vector then has a reordered binary). */
function hasLabelsOfTwo(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => (k === 'labels' ? Object.keys(v as object).length > 1 : k !== 'payload' && hasLabelsOfTwo(v)));
}
for (const [file, description, job] of jobs) {
  write(file, domainVector(description, `${PKG}.Job`, withJobDefaults(job), { mapReordered: hasLabelsOfTwo(job) }));
}

const executions: [string, string, Record<string, unknown>][] = [
  [
    'job_execution_failed.json',
    'The second attempt of a run, finished with an error.',
    {
      id: '01a20750-0000-7000-8000-0000000000e1',
      jobId: '01a20750-0000-7000-8000-000000000001',
      startedAt: '2026-11-23T01:30:01.000Z',
      finishedAt: '2026-11-23T01:30:03.456Z',
      result: 'failed',
      error: 'upstream returned 503',
      attempt: 2,
    },
  ],
  [
    'job_execution_running.json',
    'An attempt in flight: no finished_at, no error.',
    {
      id: '01a20750-0000-7000-8000-0000000000e2',
      jobId: '01a20750-0000-7000-8000-000000000003',
      startedAt: '2026-11-23T01:30:00.000Z',
      result: 'running',
      attempt: 1,
    },
  ],
  [
    'job_execution_micros.json',
    'A succeeded attempt from a server with a finer clock: started_at with 6 fraction digits, finished_at with 9.',
    {
      id: '01a20750-0000-7000-8000-0000000000e5',
      jobId: '01a20750-0000-7000-8000-000000000004',
      startedAt: '2026-11-22T10:01:00.000001Z',
      finishedAt: '2026-11-22T10:01:00.999999999Z',
      result: 'succeeded',
      attempt: 1,
    },
  ],
];
for (const [file, description, e] of executions) {
  write(file, domainVector(description, `${PKG}.JobExecution`, e));
}

const events: [string, string, Record<string, unknown>][] = [
  [
    'job_completed_event.json',
    'A succeeded attempt, as published to k1s0.system.scheduler.job_completed.v1. snake_case_json is the exact Kafka value with content-type application/json.',
    {
      jobId: '01a20750-0000-7000-8000-000000000001',
      executionId: '01a20750-0000-7000-8000-0000000000e3',
      completedAt: '2026-11-22T10:00:00.000Z',
      result: 'succeeded',
      attempt: 1,
    },
  ],
  [
    'job_completed_event_timed_out.json',
    'A timed-out attempt with an error message and a non-zero millisecond.',
    {
      jobId: '01a20750-0000-7000-8000-000000000002',
      executionId: '01a20750-0000-7000-8000-0000000000e4',
      completedAt: '2026-11-22T10:01:00.123Z',
      result: 'timed_out',
      error: 'timed out after 60 s',
      attempt: 3,
    },
  ],
  [
    'job_completed_event_micros.json',
    'A failed attempt whose completed_at has microseconds (6 fraction digits), as a chrono producer writes it; snake_case_json keeps all 6.',
    {
      jobId: '01a20750-0000-7000-8000-000000000004',
      executionId: '01a20750-0000-7000-8000-0000000000e6',
      completedAt: '2026-11-22T10:02:00.123456Z',
      result: 'failed',
      error: 'exit status 1',
      attempt: 1,
    },
  ],
  [
    'job_completed_event_nanos.json',
    'A succeeded attempt whose completed_at has nanoseconds (9 fraction digits); snake_case_json keeps all 9.',
    {
      jobId: '01a20750-0000-7000-8000-000000000004',
      executionId: '01a20750-0000-7000-8000-0000000000e7',
      completedAt: '2026-11-22T10:03:00.000000001Z',
      result: 'succeeded',
      attempt: 2,
    },
  ],
];
for (const [file, description, e] of events) {
  const event = revive<JobCompletedEvent>(e);
  write(file, { ...domainVector(description, `${PKG}.JobCompletedEvent`, e), snake_case_json: eventToSnakeJson(event) });
}

// The requests and the response of keys, apply, update, delete and labels. A request's domain value
// is what the TypeScript client takes (scripts/lib/vector-codecs.ts): the arguments of applyJob,
// updateJob, deleteJob, and one page of listJobs.
const keyedJob = withJobDefaults({
  id: '01a20750-0000-7000-8000-000000000006',
  name: 'hourly-sync',
  schedule: { type: 'interval', intervalMs: 3_600_000 },
  status: 'pending',
  payload: { source: 'crm' },
  maxRetries: 5,
  timeoutSecs: 60,
  createdAt: '2026-11-22T10:00:00.000Z',
  nextRunAt: '2026-11-22T11:00:00.000Z',
  key: 'crm/hourly-sync',
  labels: { 'k1s0.owner': 'crm', team: 'sales' },
  revision: 3,
  updatedAt: '2026-11-22T10:15:00.500Z',
});
const requests: [string, string, string, Record<string, unknown>][] = [
  [
    'apply_job_request.json',
    'ApplyJobRequest',
    'An ApplyJob dry run that creates only if no job has the key: expected_revision explicitly 0 (an optional field, so present in binary and proto3 JSON, unlike an unset one), max_retries explicitly 0, timeout_secs unset (its default, 60), two labels sorted by key in binary_base64 and reversed in binary_base64_map_reordered.',
    {
      key: 'crm/hourly-sync',
      spec: {
        name: 'hourly-sync',
        schedule: { type: 'interval', intervalMs: 3_600_000 },
        payload: { source: 'crm' },
        maxRetries: 0,
        labels: { 'k1s0.owner': 'crm', team: 'sales' },
      },
      dryRun: true,
      expectedRevision: 0,
    },
  ],
  [
    'apply_job_request_revision.json',
    'ApplyJobRequest',
    'An ApplyJob of a one-shot spec that must find the job at revision 12; payload unset (JSON null), no labels, no dry run.',
    {
      key: 'welcome-mail/42',
      spec: { name: 'send-welcome-mail', schedule: { type: 'one_shot', runAt: '2026-11-22T10:05:00.250Z' }, labels: {} },
      expectedRevision: 12,
    },
  ],
  [
    'apply_job_response.json',
    'ApplyJobResponse',
    'An ApplyJob that updated the job in place: action UPDATED, changed_fields in field-number order, the job after the change (revision 3, updated_at with 3 fraction digits).',
    { action: 'updated', changedFields: ['schedule', 'maxRetries', 'labels'], job: keyedJob },
  ],
  [
    'apply_job_response_dry_run_create.json',
    'ApplyJobResponse',
    'An ApplyJob dry run where no job has the key: action CREATED, no job, no changed_fields.',
    { action: 'created', changedFields: [] },
  ],
  [
    'update_job_request.json',
    'UpdateJobRequest',
    'An UpdateJob by job_id of three fields, with expected_revision 3. update_mask is a google.protobuf.FieldMask: its paths are the proto names (max_retries) in binary, and one lowerCamelCase string joined by commas in proto3 JSON ("name,maxRetries,labels").',
    {
      ref: '01a20750-0000-7000-8000-000000000006',
      changes: { name: 'hourly-sync-eu', maxRetries: 1, labels: { 'k1s0.owner': 'crm', region: 'eu', team: 'sales' } },
      expectedRevision: 3,
    },
  ],
  [
    'update_job_request_policy.json',
    'UpdateJobRequest',
    'An UpdateJob by key of the policy alone (update_mask "policy"): overlap SKIP and a retry backoff whose multiplier alone is set (initial and maximum keep their defaults). The policy replaces the whole previous one.',
    { ref: { key: 'crm/hourly-sync' }, changes: { policy: { overlap: 'skip', retryBackoff: { multiplier: 3 } } } },
  ],
  [
    'create_job_request_policy.json',
    'CreateJobRequest',
    'A CreateJob with every field of a schedule policy: overlap SKIP, catch_up window 90 s, start_at and end_at, max_runs, jitter 1.5 s (a Duration "1.500s"), a retry backoff of 250 ms to 30 s by 1.5, pause_on_failure.',
    {
      name: 'reconcile-ledger',
      schedule: { type: 'cron', expression: '*/5 * * * *', timezone: 'Asia/Tokyo' },
      payload: { ledger: 'eu' },
      maxRetries: 2,
      timeoutSecs: 300,
      requestId: '5f0c6a52-8d0e-4b8e-9a53-2b1f8f7f3c11',
      key: 'ledger/reconcile-eu',
      labels: {},
      policy: {
        overlap: 'skip',
        catchupWindowMs: 90_000,
        startAt: '2026-11-21T00:00:00.000Z',
        endAt: '2027-11-21T00:00:00.000Z',
        maxRuns: 1_000,
        jitterMs: 1_500,
        retryBackoff: { initialMs: 250, maxMs: 30_000, multiplier: 1.5 },
        pauseOnFailure: true,
      },
    },
  ],
  [
    'trigger_job_request_overlap.json',
    'TriggerJobRequest',
    'A TriggerJob by id that lets this run start beside runs in progress (overlap ALLOW_ALL for this run alone).',
    { ref: POLICY_JOB_ID, overlap: 'allow_all' },
  ],
  [
    'pause_job_request_note.json',
    'PauseJobRequest',
    'A PauseJob by key with a note (non-ASCII), shown as the job\'s status_note once the call pauses it.',
    { ref: { key: 'ledger/reconcile-eu' }, note: 'ledger migration — back at 14:00 JST' },
  ],
  [
    'describe_job_request.json',
    'DescribeJobRequest',
    'A DescribeJob by id asking for the next 3 due times (upcoming 3; 0 would mean 10).',
    { ref: POLICY_JOB_ID, upcoming: 3 },
  ],
  [
    'describe_job_response.json',
    'DescribeJobResponse',
    'A DescribeJob of the policy job: the job, and the due times of its next 3 fires (cron instants plus the jitter delay of the proto), earliest first.',
    { job: withJobDefaults(policyJob), upcomingRuns: ['2026-11-22T10:05:00.000Z', '2026-11-22T10:10:00.000Z', '2026-11-22T10:15:00.000Z'].map(dueAt) },
  ],
  [
    'watch_executions_request.json',
    'WatchExecutionsRequest',
    'A WatchExecutions of one execution (execution_id), as waitForExecution sends it.',
    { executionId: '01a20750-0000-7000-8000-0000000000e8' },
  ],
  [
    'watch_executions_response.json',
    'WatchExecutionsResponse',
    'One message of WatchExecutions: the attempt after it finished, with its error.',
    {
      execution: {
        id: '01a20750-0000-7000-8000-0000000000e8',
        jobId: POLICY_JOB_ID,
        startedAt: dueAt('2026-11-22T10:00:00.000Z'),
        // It ran for its whole timeout_secs, 300 s.
        finishedAt: formatTimestamp(timestampFromMillis(dueMs('2026-11-22T10:00:00.000Z') + 300_000)),
        result: 'timed_out',
        error: 'timed out after 300 s',
        attempt: 1,
      },
    },
  ],
  [
    'delete_job_request.json',
    'DeleteJobRequest',
    'A DeleteJob by key (job_id empty) that must find the job at revision 4294967297.',
    { ref: { key: 'billing/nightly-export' }, expectedRevision: 4294967297 },
  ],
  [
    'list_jobs_request_labels.json',
    'ListJobsRequest',
    'One page of ListJobs with a label selector of two labels and a status: the jobs that have both labels with exactly these values.',
    { status: 'pending', labels: { 'k1s0.owner': 'crm', team: 'sales' }, pageSize: 500 },
  ],
];
for (const [file, message, description, domain] of requests) {
  write(file, domainVector(description, `${PKG}.${message}`, domain, { mapReordered: hasLabelsOfTwo(domain) }));
}

// As the server writes it: the message and the "operation" metadata name the RPC.
const notFound = jobNotFound('PauseJob', '01a20750-0000-7000-8000-000000000009');
const status = statusOf(notFound);
write('status_error_info.json', {
  description:
    'The grpc-status-details-bin trailer of a failed PauseJob: google.rpc.Status with gRPC code NOT_FOUND (5) and one google.rpc.ErrorInfo whose reason is the SchedulerErrorCode.',
  message: 'google.rpc.Status',
  domain: { code: notFound.code, grpcCode: status.code, message: notFound.message, operation: notFound.operation!, jobId: notFound.jobId! },
  proto3_json: toProto3Json('google.rpc.Status', decodeMessage('google.rpc.Status', status.bytes)),
  binary_base64: Buffer.from(status.bytes).toString('base64'),
});
// Timestamps as text (the proto's "Timestamps" rule): what every reader accepts, exactly, and what it refuses.
const VALID_TEXTS = [
  '1970-01-01T00:00:00Z',
  '2026-11-22T10:00:00Z',
  '2026-11-22T10:00:00.1Z',
  '2026-11-22T10:00:00.12Z',
  '2026-11-22T10:00:00.123Z',
  '2026-11-22T10:00:00.1234Z',
  '2026-11-22T10:00:00.12345Z',
  '2026-11-22T10:00:00.123456Z',
  '2026-11-22T10:00:00.1234567Z',
  '2026-11-22T10:00:00.12345678Z',
  '2026-11-22T10:00:00.123456789Z',
  '2026-11-22T10:00:00.000000001Z',
  '2026-11-22T10:00:00.100000000Z',
  '2026-11-22T10:00:00.000Z',
  '2026-11-22T19:00:00.5+09:00',
  '2026-11-22T04:30:05-05:30',
  '2026-11-22T15:45:00.987654321+05:45',
  '2026-11-22T10:00:00+00:00',
  '2026-11-22T10:00:00-00:00',
  '2026-11-22T10:00:00+23:59',
  '2026-11-22T10:00:00-23:59',
  '2026-11-22T00:00:00-01:00',
  '2026-12-31T23:59:59.999999999Z',
  '2027-01-01T08:59:59.999+09:00',
  '0001-01-01T00:00:00Z',
  '0001-01-01T00:59:00+00:59',
  '0001-01-01T23:59:59+23:59',
  '9999-12-31T23:59:59.999999999Z',
  '9999-12-31T00:00:00-23:59',
  '9999-12-31T23:59:59.999999999-00:00',
  '0099-12-31T23:59:59Z',
  '1969-12-31T23:59:59.999999999Z',
  '1900-03-01T00:00:00Z',
  '2000-02-29T00:00:00Z',
  '2024-02-29T12:00:00Z',
  '1600-02-29T23:59:59Z',
  '2026-01-31T00:00:00Z',
  '2026-04-30T00:00:00Z',
  '2026-06-30T00:00:00Z',
  '2026-09-30T00:00:00Z',
  '2026-11-30T00:00:00Z',
  '2026-02-28T23:59:59Z',
];
const INVALID_TEXTS: [string, string][] = [
  ['', 'empty'],
  ['2026-11-22t10:00:00Z', "lower-case 't'"],
  ['2026-11-22T10:00:00z', "lower-case 'z'"],
  ['2026-11-22 10:00:00Z', "a space instead of 'T'"],
  ['2026-11-22_10:00:00Z', "another separator instead of 'T'"],
  ['2026-11-22T10:00:00', 'no zone'],
  ['2026-11-22T10:00Z', 'no seconds'],
  ['2026-11-22', 'a date only'],
  ['2026-11-22T10:00:00.Z', "'.' without digits"],
  ['2026-11-22T10:00:00.1234567890Z', '10 fraction digits'],
  ['2026-11-22T10:00:00,5Z', "',' as the decimal mark"],
  ['2026-02-30T00:00:00Z', '30 February'],
  ['2025-02-29T00:00:00Z', '29 February of a common year'],
  ['1900-02-29T00:00:00Z', '29 February of a century that is not a leap year'],
  ['2100-02-29T00:00:00Z', '29 February 2100'],
  ['2026-04-31T00:00:00Z', '31 April'],
  ['2026-06-31T00:00:00Z', '31 June'],
  ['2026-13-01T00:00:00Z', 'month 13'],
  ['2026-00-01T00:00:00Z', 'month 00'],
  ['2026-01-00T00:00:00Z', 'day 00'],
  ['2026-01-32T00:00:00Z', 'day 32'],
  ['2026-01-01T24:00:00Z', 'hour 24'],
  ['2026-01-01T23:60:00Z', 'minute 60'],
  ['2016-12-31T23:59:60Z', 'a leap second'],
  ['0000-01-01T00:00:00Z', 'year 0000'],
  ['0000-12-31T23:59:59-00:01', 'year 0000 even when the offset brings it into 0001'],
  ['0001-01-01T00:00:00+00:01', 'before 0001-01-01T00:00:00Z once the offset is applied'],
  ['0001-01-01T00:30:00+01:00', 'before 0001-01-01T00:00:00Z once the offset is applied'],
  ['9999-12-31T23:59:59-00:01', 'after 9999-12-31T23:59:59.999999999Z once the offset is applied'],
  ['9999-12-31T23:30:00-01:00', 'after 9999-12-31T23:59:59.999999999Z once the offset is applied'],
  ['10000-01-01T00:00:00Z', 'a five-digit year'],
  ['+2026-11-22T10:00:00Z', 'a signed year'],
  ['-0001-01-01T00:00:00Z', 'a negative year'],
  ['2026-1-22T10:00:00Z', 'a one-digit month'],
  ['2026-11-22T1:00:00Z', 'a one-digit hour'],
  ['2026-11-22T10:00:00+24:00', 'offset hour 24'],
  ['2026-11-22T10:00:00+05:60', 'offset minute 60'],
  ['2026-11-22T10:00:00+0900', 'an offset without a colon'],
  ['2026-11-22T10:00:00+09', 'an offset without minutes'],
  ['2026-11-22T10:00:00+09:00Z', 'an offset and Z'],
  ['2026-11-22T10:00:00UTC', 'a zone name'],
  ['2026-11-22T10:00:00 Z', 'a space before Z'],
  [' 2026-11-22T10:00:00Z', 'leading white space'],
  ['2026-11-22T10:00:00Z ', 'trailing white space'],
  ['2026-11-22T10:00:00Z\n', 'a trailing newline'],
  ['２０２６-11-22T10:00:00Z', 'non-ASCII digits'],
  ['2026-11-22T10:00:00.१Z', 'a non-ASCII fraction digit'],
  ['2026-11-22T10:00:00\u221205:00', 'a minus sign that is not ASCII'],
];
const valid = VALID_TEXTS.map((text) => {
  const t = parseTimestamp(text);
  // An independent check of the arithmetic: Date.parse agrees to the millisecond where it reads the text.
  const ms = Date.parse(text);
  if (!Number.isNaN(ms) && ms !== timestampToMillis(t) && text.slice(0, 4) >= '0100') throw new Error(`${text}: Date.parse gives ${ms}, the reader ${JSON.stringify(t)}`);
  return { text, seconds: t.seconds, nanos: t.nanos, utc: formatTimestamp(t) };
});
for (const [text] of INVALID_TEXTS) {
  if (typeof readTimestamp(text) !== 'string') throw new Error(`${text} is read, but is listed as invalid`);
}
mkdirSync(join(out, 'timestamps'), { recursive: true });
writeFileSync(
  join(out, 'timestamps', 'rfc3339.json'),
  `${JSON.stringify(
    {
      description:
        'Timestamps as text, as the proto\'s "Timestamps" rule defines them: every reader (the Kafka JSON completed_at, proto3 JSON, a command line) accepts each valid text as exactly {seconds, nanos} (seconds since 1970-01-01T00:00:00Z, nanos 0 to 999999999), and refuses each invalid one. utc is the text a writer produces (UTC, the fewest of 3, 6 or 9 fraction digits).',
      format: 'YYYY-MM-DDTHH:MM:SS[.F](Z|+HH:MM|-HH:MM), F = 1 to 9 digits',
      valid,
      invalid: INVALID_TEXTS.map(([text, why]) => ({ text, why })),
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote vectors to ${out}`);
