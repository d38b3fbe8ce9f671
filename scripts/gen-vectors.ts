// Writes the conformance vectors of proto/testdata/ from the domain values below. Run it only when
// the proto changes on purpose (`npm run gen:vectors`); the tests then check that the codec still
// reproduces every byte.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Job, JobCompletedEvent, JobExecution } from '../src/index.js';
import { jobNotFound } from '../src/errors.js';
import { eventToSnakeJson } from '../src/kafka/codec.js';
import { formatTimestamp, parseTimestamp, timestampToMillis } from '../src/timestamp.js';
import { eventToWire, executionToWire, jobToWire } from '../src/wire/convert.js';
import { decodeMessage, encodeMessage } from '../src/wire/proto.js';
import { toProto3Json } from './lib/proto3-json.js';
import { protoRoot } from '../src/wire/proto-files.js';
import { statusOf } from '../src/wire/status.js';

const PKG = 'k1s0.system.scheduler.v2';
const out = join(protoRoot(), 'testdata');

interface Vector {
  description: string;
  message: string;
  domain: unknown;
  proto3_json: unknown;
  binary_base64: string;
  snake_case_json?: string;
}

function write(file: string, vector: Vector): void {
  writeFileSync(join(out, file), `${JSON.stringify(vector, null, 2)}\n`);
}

// The domain value as the files hold it: every timestamp as exact RFC 3339 text in UTC with 3, 6 or 9
// fraction digits (the fewest that hold it). In TypeScript each becomes a Date and, beside it, its
// exact `…Exact` field (one-shot `runAt` is a Date only: it is whole milliseconds).
const EXACT_KEYS = new Set(['createdAt', 'nextRunAt', 'startedAt', 'finishedAt', 'completedAt']);

/** The TypeScript domain value of a file's `domain`. */
function revive<T>(fileForm: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fileForm)) {
    if (EXACT_KEYS.has(k) && typeof v === 'string') {
      const exact = parseTimestamp(v);
      if (formatTimestamp(exact) !== v) throw new Error(`${k} ${v} is not in the form the files use: ${formatTimestamp(exact)}`);
      out[k] = new Date(timestampToMillis(exact));
      out[`${k}Exact`] = exact;
    } else if (k === 'schedule' && (v as { type: string }).type === 'one_shot') {
      out[k] = { ...(v as object), runAt: new Date((v as { runAt: string }).runAt) };
    } else {
      out[k] = v;
    }
  }
  return out as T;
}

function messageVector(description: string, message: string, domain: Record<string, unknown>, wire: Record<string, unknown>): Vector {
  const bytes = encodeMessage(message, wire);
  return {
    description,
    message,
    domain,
    proto3_json: toProto3Json(message, decodeMessage(message, bytes)),
    binary_base64: Buffer.from(bytes).toString('base64'),
  };
}

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
    },
  ],
  [
    'job_one_shot.json',
    'A completed one-shot job: payload null, max_retries 0 (a default value, so absent from binary and proto3 JSON), no next_run_at, millisecond timestamps.',
    {
      id: '01a20750-0000-7000-8000-000000000002',
      name: 'send-welcome-mail',
      schedule: { type: 'one_shot', runAt: '2026-11-22T10:05:00.250Z' },
      status: 'completed',
      payload: null,
      maxRetries: 0,
      timeoutSecs: 30,
      createdAt: '2026-11-22T10:00:00.001Z',
    },
  ],
  [
    'job_interval.json',
    'A paused interval job of 1.5 s with an array payload; paused jobs have no next_run_at.',
    {
      id: '01a20750-0000-7000-8000-000000000003',
      name: 'poll',
      schedule: { type: 'interval', intervalMs: 1500 },
      status: 'paused',
      payload: ['a', 1, true, { x: [] }],
      maxRetries: 100,
      timeoutSecs: 86400,
      createdAt: '2026-11-22T10:00:00.000Z',
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
    },
  ],
];
for (const [file, description, job] of jobs) {
  write(file, messageVector(description, `${PKG}.Job`, job, jobToWire(revive<Job>(job)) as Record<string, unknown>));
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
  write(file, messageVector(description, `${PKG}.JobExecution`, e, executionToWire(revive<JobExecution>(e)) as Record<string, unknown>));
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
  write(file, { ...messageVector(description, `${PKG}.JobCompletedEvent`, e, eventToWire(event) as Record<string, unknown>), snake_case_json: eventToSnakeJson(event) });
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
console.log(`wrote vectors to ${out}`);
