import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchedulerError } from '../src/index.js';
import { decodeEvent, eventToSnakeJson } from '../src/kafka/codec.js';
import { eventToWire } from '../src/wire/convert.js';
import { decodeMessage, encodeMessage } from '../src/wire/proto.js';
import { protoRoot } from '../src/wire/proto-files.js';
import { fromProto3Json, toProto3Json } from '../scripts/lib/proto3-json.js';
import { PKG, VECTOR_CODECS } from '../scripts/lib/vector-codecs.js';
import { decodeStatus, statusOf } from '../src/wire/status.js';
import { formatTimestamp, parseTimestamp, timestampToMillis } from '../src/timestamp.js';

const dir = join(protoRoot(), 'testdata');
// Timestamps with an exact sibling field (`createdAtExact`, ...); a one-shot's runAt, a policy's
// startAt and endAt, and a description's upcomingRuns are Dates only (whole milliseconds).
const EXACT_KEYS = new Set(['createdAt', 'nextRunAt', 'startedAt', 'finishedAt', 'completedAt', 'updatedAt', 'lastRunAt']);
const DATE_KEYS = new Set(['runAt', 'startAt', 'endAt']);

interface Vector {
  message: string;
  domain: Record<string, unknown>;
  proto3_json: unknown;
  binary_base64: string;
  binary_base64_map_reordered?: string;
  snake_case_json?: string;
}

// Timestamps of the domain value are exact RFC 3339 strings in the file; the TS domain has a Date
// and, beside it, the exact value.
function reviveDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveDates);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).flatMap(([k, v]): [string, unknown][] => {
      if (EXACT_KEYS.has(k) && typeof v === 'string') {
        const exact = parseTimestamp(v);
        return [
          [k, new Date(timestampToMillis(exact))],
          [`${k}Exact`, exact],
        ];
      }
      if (DATE_KEYS.has(k) && typeof v === 'string') return [[k, new Date(v)]];
      if (k === 'upcomingRuns' && Array.isArray(v)) return [[k, v.map((t: string) => new Date(t))]];
      return [[k, k === 'payload' || k === 'labels' ? v : reviveDates(v)]];
    }),
  );
}

function load(file: string): Vector {
  const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Vector;
  return { ...raw, domain: reviveDates(raw.domain) as Record<string, unknown> };
}

const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('conformance vectors (proto/testdata)', () => {
  it('cover a Job of each schedule kind, executions, events, an error status, and the messages of keys, apply, update, delete, labels, policies, describe and watch', () => {
    const messages = files.map((f) => load(f).message);
    const names = [
      'Job',
      'JobExecution',
      'JobCompletedEvent',
      'ApplyJobRequest',
      'ApplyJobResponse',
      'UpdateJobRequest',
      'DeleteJobRequest',
      'ListJobsRequest',
      'CreateJobRequest',
      'TriggerJobRequest',
      'PauseJobRequest',
      'DescribeJobRequest',
      'DescribeJobResponse',
      'WatchExecutionsRequest',
      'WatchExecutionsResponse',
    ];
    for (const m of [...names.map((n) => `${PKG}.${n}`), 'google.rpc.Status']) expect(messages).toContain(m);
    const kinds = files.map(load).filter((v) => v.message.endsWith('.Job')).map((v) => (v.domain.schedule as { type: string }).type);
    expect([...new Set(kinds)].sort()).toEqual(['cron', 'interval', 'one_shot']);
    const keyed = files.map(load).find((v) => v.message === `${PKG}.Job` && v.domain.key !== undefined);
    expect(Object.keys(keyed?.domain.labels as object).length).toBeGreaterThan(1);
    expect(keyed?.proto3_json).toMatchObject({ key: keyed?.domain.key, revision: String(keyed?.domain.revision) });
    expect(keyed?.domain.revision).toBeGreaterThan(2 ** 32);
    // Counters are int64: one above 2^32, a JSON string in proto3 JSON.
    expect((keyed?.domain.stats as { runs: number }).runs).toBeGreaterThan(2 ** 32);
    expect(keyed?.proto3_json).toMatchObject({ stats: { runs: String((keyed?.domain.stats as { runs: number }).runs) } });
  });

  it('hold a job and a create request with every field of a schedule policy, and an update of the policy alone', () => {
    const policyFields = ['overlap', 'catchupWindowMs', 'startAt', 'endAt', 'maxRuns', 'jitterMs', 'retryBackoff', 'pauseOnFailure'];
    const job = load('job_policy.json');
    expect(Object.keys(job.domain.policy as object)).toEqual(policyFields);
    for (const key of ['statusNote', 'lastRunAt', 'lastResult', 'remainingRuns']) expect(job.domain, key).toHaveProperty(key);
    expect(job.domain.runningExecutions).toHaveLength(1);
    expect(job.proto3_json).toMatchObject({ policy: { catchupWindow: '90s', jitter: '1.500s', retryBackoff: { initial: '0.250s', multiplier: 1.5 } } });
    const create = load('create_job_request_policy.json');
    expect(Object.keys(create.domain.policy as object)).toEqual(policyFields);
    expect(load('update_job_request_policy.json').proto3_json).toMatchObject({ updateMask: 'policy' });
  });

  it('hold every message with a map of 2 or more entries also with the entries in another order', () => {
    const withMaps = files.map(load).filter((v) => /"labels":\{"[^}]*,/.test(JSON.stringify(v.proto3_json)));
    expect(new Set(withMaps.map((v) => v.message.slice(PKG.length + 1)))).toEqual(new Set(['Job', 'ApplyJobRequest', 'ApplyJobResponse', 'UpdateJobRequest', 'ListJobsRequest']));
    for (const v of withMaps) expect(v.binary_base64_map_reordered, v.message).toBeDefined();
  });

  it('hold timestamps with 0, 3, 6 and 9 fraction digits in proto3 JSON for jobs, executions and events, and 3, 6 and 9 in snake_case JSON', () => {
    const digitsOf = (text: string) => /(?:\.(\d+))?Z$/.exec(text)![1]?.length ?? 0;
    const timestamps = (o: Record<string, unknown>) => Object.entries(o).filter(([k]) => EXACT_KEYS.has(k)).map(([, v]) => digitsOf(v as string));
    for (const m of ['Job', 'JobExecution', 'JobCompletedEvent']) {
      const vectors = files.map(load).filter((v) => v.message === `k1s0.system.scheduler.v2.${m}`);
      expect(new Set(vectors.flatMap((v) => timestamps(v.proto3_json as Record<string, unknown>))), m).toEqual(new Set([0, 3, 6, 9]));
    }
    const snake = files.map(load).flatMap((v) => (v.snake_case_json === undefined ? [] : [digitsOf(JSON.parse(v.snake_case_json).completed_at as string)]));
    expect(new Set(snake)).toEqual(new Set([3, 6, 9]));
  });

  for (const file of files.filter((f) => load(f).message !== 'google.rpc.Status')) {
    describe(file, () => {
      const v = load(file);
      const codec = VECTOR_CODECS[v.message]!;

      it('domain -> binary gives the vector bytes', () => {
        const bytes = encodeMessage(v.message, codec.toWire(v.domain as never) as Record<string, unknown>);
        expect(Buffer.from(bytes).toString('base64')).toBe(v.binary_base64);
      });

      it('a truncated binary is refused, never read as a shorter message', () => {
        const bytes = Buffer.from(v.binary_base64, 'base64');
        // Cut inside the first field (its declared length runs past the end), and before the last
        // byte (the last field's value is then incomplete, whatever its type).
        for (const cut of [Math.min(6, bytes.length - 1), bytes.length - 1]) {
          expect(() => decodeMessage(v.message, bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(/out of range|past the end|ends inside/);
        }
      });

      it('binary -> domain gives the domain value', () => {
        const wire = decodeMessage(v.message, Buffer.from(v.binary_base64, 'base64'));
        expect(codec.fromWire(wire as never)).toEqual(v.domain);
      });

      it('domain -> proto3 JSON gives the vector JSON', () => {
        const bytes = encodeMessage(v.message, codec.toWire(v.domain as never) as Record<string, unknown>);
        expect(toProto3Json(v.message, decodeMessage(v.message, bytes))).toEqual(v.proto3_json);
      });

      it('proto3 JSON -> binary and -> domain give the vector bytes and value', () => {
        const wire = fromProto3Json(v.message, v.proto3_json);
        expect(Buffer.from(encodeMessage(v.message, wire)).toString('base64')).toBe(v.binary_base64);
        const decoded = decodeMessage(v.message, encodeMessage(v.message, wire));
        expect(codec.fromWire(decoded as never)).toEqual(v.domain);
      });

      if (v.binary_base64_map_reordered !== undefined) {
        it('the map entries in another order decode to the same value and re-encode to the vector bytes', () => {
          const reordered = Buffer.from(v.binary_base64_map_reordered!, 'base64');
          expect(reordered.equals(Buffer.from(v.binary_base64, 'base64'))).toBe(false);
          const wire = decodeMessage(v.message, reordered);
          expect(codec.fromWire(wire as never)).toEqual(v.domain);
          expect(Buffer.from(encodeMessage(v.message, wire)).toString('base64')).toBe(v.binary_base64);
        });
      }

      if (v.snake_case_json !== undefined) {
        it('the Kafka decoder reads the snake_case, proto3 JSON and binary forms alike, and the encoder writes the exact snake_case bytes', () => {
          expect(decodeEvent(Buffer.from(v.snake_case_json!))).toEqual(v.domain);
          expect(decodeEvent(Buffer.from(JSON.stringify(v.proto3_json)), { 'content-type': 'application/json' })).toEqual(v.domain);
          expect(decodeEvent(Buffer.from(v.binary_base64, 'base64'), { 'content-type': Buffer.from('application/x-protobuf') })).toEqual(v.domain);
          expect(eventToSnakeJson(v.domain as never)).toBe(v.snake_case_json);
        });

        it('decoding the Kafka value and encoding it again gives the same bytes, every fraction digit kept', () => {
          const decoded = decodeEvent(Buffer.from(v.snake_case_json!));
          expect(eventToSnakeJson(decoded)).toBe(v.snake_case_json);
          expect(formatTimestamp(decoded.completedAtExact!)).toBe(JSON.parse(v.snake_case_json!).completed_at);
          const binary = decodeEvent(Buffer.from(v.binary_base64, 'base64'), { 'content-type': 'application/x-protobuf' });
          expect(Buffer.from(encodeMessage(v.message, eventToWire(binary) as Record<string, unknown>)).toString('base64')).toBe(v.binary_base64);
        });
      }
    });
  }

  describe('status_error_info.json', () => {
    const v = load('status_error_info.json');
    const d = v.domain as { code: string; grpcCode: number; message: string; operation: string; jobId: string };

    it('a SchedulerError encodes to the vector bytes and JSON', () => {
      const status = statusOf(new SchedulerError(d.code as never, d.message, { operation: d.operation, jobId: d.jobId }));
      expect(status.code).toBe(d.grpcCode);
      expect(Buffer.from(status.bytes).toString('base64')).toBe(v.binary_base64);
      expect(toProto3Json('google.rpc.Status', decodeMessage('google.rpc.Status', status.bytes))).toEqual(v.proto3_json);
    });

    it('the vector bytes decode to the code, reason and metadata', () => {
      expect(decodeStatus(Buffer.from(v.binary_base64, 'base64'))).toEqual({
        code: d.grpcCode,
        message: d.message,
        errorInfo: { reason: d.code, domain: 'scheduler.k1s0.system', metadata: { operation: d.operation, job_id: d.jobId } },
      });
      const wire = fromProto3Json('google.rpc.Status', v.proto3_json);
      expect(Buffer.from(encodeMessage('google.rpc.Status', wire)).toString('base64')).toBe(v.binary_base64);
    });
  });
});
