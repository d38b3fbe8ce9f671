// Strict wire decoding (proto "Decoding"): malformed request bytes are refused on every RPC with
// INVALID_ARGUMENT and ErrorInfo, never read as another value; a malformed response is a
// SERVER_ERROR; the Python, Go and Rust runtimes refuse the same vectors (or are on record as lenient).
// Also the deadline rule (a call whose deadline has passed is not performed, nor sent) and paging.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GrpcSchedulerClient } from '../src/index.js';
import { decodeEvent, InvalidEventError } from '../src/kafka/codec.js';
import { SCHEDULER_SERVICE, schedulerMethods } from '../src/grpc/service.js';
import { decodeMessage, encodeMessage } from '../src/wire/proto.js';
import { decodeStatus, type DecodedStatus } from '../src/wire/status.js';
import { checkStrict, decodeStrict, MAX_MESSAGE_DEPTH, WireDecodeError } from '../src/wire/strict.js';
import { expectCode } from './support/expect-code.js';
import { recordingInterceptor } from './support/interceptors.js';
import { rawClient } from './support/raw-client.js';
import { GO_BIN as GO_BIN_DIR, PYTHON, ROOT, RUST_BIN, RUST_TOOLS, cargoBuild, goBuild, missingOf, requireTools, run, skipWithout, type Tool } from './support/conformance-tools.js';
import { grpcHarness } from './support/grpc-harness.js';

const { cleanups, serve } = grpcHarness();

const VECTORS_FILE = join(ROOT, 'proto/testdata/invalid/requests.json');
const PKG = 'k1s0.system.scheduler.v2';

interface InvalidVector {
  name: string;
  rpc: string;
  message: string;
  binary_hex: string;
  comment: string;
  expect: { code: string; grpc_status: string; grpc_code: number; field: string | null; limit: string };
  lenient: string[];
}
const VECTORS: InvalidVector[] = (JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as { vectors: InvalidVector[] }).vectors;

type RawBytesResult = { ok: true; bytes: Buffer } | { ok: false; code: number; details: string; status: DecodedStatus | undefined };

/** Sends `bytes` as the request message of `rpc` over real HTTP/2, with no encoding of our own. */
function sendBytes(address: string, rpc: string, bytes: Uint8Array): Promise<RawBytesResult> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  cleanups.push(() => client.close());
  const same = (b: Buffer): Buffer => b;
  return new Promise((resolve) => {
    client.makeUnaryRequest(`/${SCHEDULER_SERVICE}/${rpc}`, same, same, Buffer.from(bytes), new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (error, response) => {
      if (error === null) return resolve({ ok: true, bytes: response! });
      const raw = error.metadata?.get('grpc-status-details-bin')[0];
      resolve({ ok: false, code: error.code, details: error.details, status: raw instanceof Buffer ? decodeStatus(raw) : undefined });
    });
  });
}

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const SCHEDULE = '12 06 1a 04 0a 02 08 3c'; // schedule.interval.every = 60 s

describe('strict decoding of protobuf binary', () => {
  it('decodes well-formed messages as protobufjs does', () => {
    const request = { name: 'caf\u00e9 \u{1f600}', schedule: { cron: { expression: '0 9 * * *', timezone: 'Asia/Tokyo' } }, payload: { structValue: { fields: { a: { listValue: { values: [{ stringValue: 'x\u00ff' }, { numberValue: 1.5 }] } } } } }, maxRetries: 0, requestId: 'r' };
    const bytes = encodeMessage(`${PKG}.CreateJobRequest`, request);
    expect(decodeMessage(`${PKG}.CreateJobRequest`, bytes)).toMatchObject({ name: request.name, maxRetries: 0, requestId: 'r', payload: { structValue: { fields: { a: { listValue: { values: [{ stringValue: 'x\u00ff' }, { numberValue: 1.5 }] } } } } } });
  });

  for (const v of VECTORS) {
    it(`refuses the vector ${v.name}, naming ${v.expect.field ?? 'no field'}`, () => {
      const error = (() => {
        try {
          decodeMessage(v.message, hex(v.binary_hex));
        } catch (e) {
          return e;
        }
        throw new Error(`${v.name} was decoded: ${v.comment}`);
      })();
      expect(error).toBeInstanceOf(WireDecodeError);
      expect((error as WireDecodeError).field).toBe(v.expect.field ?? undefined);
      expect((error as WireDecodeError).limit).toBe(v.expect.limit);
    });
  }

  it('refuses every truncation of a message that cuts a field, from a Buffer and from a Uint8Array', () => {
    const bytes = encodeMessage(`${PKG}.GetJobRequest`, { jobId: 'job-123' });
    for (let n = 1; n < bytes.length; n++) {
      for (const cut of [Buffer.from(bytes.subarray(0, n)), bytes.slice(0, n)]) {
        expect(() => decodeMessage(`${PKG}.GetJobRequest`, cut), `${n} bytes`).toThrow(WireDecodeError);
      }
    }
  });

  it('skips unknown fields of every valid wire type, and reads a repeated field at any position', () => {
    // job_id = "a", then unknown fields 5 (varint), 6 (64-bit), 7 (length-delimited), 8 (32-bit).
    const bytes = hex('0a 01 61  28 96 01  31 0102030405060708  3a 02 ff ff  45 01020304');
    expect(decodeMessage(`${PKG}.GetJobRequest`, bytes)).toEqual({ jobId: 'a', key: '' });
  });

  it('accepts repeated numeric fields packed and unpacked, and refuses a packed run of partial values', () => {
    const root = protobuf.parse('syntax = "proto3"; message P { repeated int32 a = 1; repeated fixed32 b = 2; map<string, string> m = 3; }').root;
    const P = root.lookupType('P');
    const packed = hex('0a 03 01 02 03  12 08 01000000 02000000');
    const unpacked = hex('08 01 08 02 08 03  15 01000000 15 02000000');
    for (const bytes of [packed, unpacked]) expect(P.toObject(decodeStrict(P, bytes))).toEqual({ a: [1, 2, 3], b: [1, 2] });
    expect(() => checkStrict(P, hex('12 06 01000000 0200'))).toThrow(/b is a packed run of 6 bytes/);
    expect(() => checkStrict(P, hex('0a 02 01 80'))).toThrow(/a ends inside a packed varint/);
    // A map's values are strings too; the path names the key.
    expect(() => checkStrict(P, hex('1a 07 0a 01 6b 12 02 61 ff'))).toThrow(new WireDecodeError('is not well-formed UTF-8', 'm.k', 'well-formed UTF-8'));
    expect(() => checkStrict(P, hex('1a 07 0a 01 ff 12 02 61 62'))).toThrow(/^m has a key that is not well-formed UTF-8$/);
  });

  it(`nests messages at most ${MAX_MESSAGE_DEPTH} deep: a payload of depth 33 decodes (for the payload rule to report), one of 34 does not`, () => {
    // Depth as the proto defines it for payloads: objects in objects around a scalar.
    const nest = (depth: number): object => (depth === 0 ? { numberValue: 1 } : { structValue: { fields: { k: nest(depth - 1) } } });
    const request = (depth: number) => encodeMessage(`${PKG}.CreateJobRequest`, { name: 'deep', payload: nest(depth) });
    expect(() => decodeMessage(`${PKG}.CreateJobRequest`, request(33))).not.toThrow();
    const error = (() => {
      try {
        decodeMessage(`${PKG}.CreateJobRequest`, request(34));
      } catch (e) {
        return e as WireDecodeError;
      }
      throw new Error('a payload of depth 34 was decoded');
    })();
    expect(error).toBeInstanceOf(WireDecodeError);
    expect([error.problem, error.limit]).toEqual([`is nested more than ${MAX_MESSAGE_DEPTH} messages deep`, `at most ${MAX_MESSAGE_DEPTH} levels of nested messages`]);
    // The 34th object's Struct is the message at depth 101.
    expect(error.field).toBe(`payload${'/k'.repeat(33)}`);
  });

  it('names a JSON Pointer inside the payload, escaping ~ and /', () => {
    const bytes = encodeMessage(`${PKG}.CreateJobRequest`, { name: 'p', payload: { structValue: { fields: { 'a/b~c': { listValue: { values: [{ nullValue: 'NULL_VALUE' }, { stringValue: 'PLACEHOLDER' }] } } } } } });
    const at = Buffer.from(bytes).indexOf('PLACEHOLDER');
    const broken = Buffer.from(bytes);
    broken[at + 3] = 0xff;
    expect(() => decodeMessage(`${PKG}.CreateJobRequest`, broken)).toThrow(new WireDecodeError('is not well-formed UTF-8', 'payload/a~1b~0c/1', 'well-formed UTF-8'));
  });

  it('refuses a protobuf Kafka event with malformed UTF-8 as an invalid event', () => {
    const event = encodeMessage(`${PKG}.JobCompletedEvent`, { jobId: 'jobX', executionId: 'e', completedAt: { seconds: '1', nanos: 0 }, result: 'EXECUTION_RESULT_SUCCEEDED', attempt: 1 });
    const broken = Buffer.from(event);
    broken[broken.indexOf('jobX') + 3] = 0xc3;
    expect(() => decodeEvent(broken, { 'content-type': 'application/x-protobuf' })).toThrow(InvalidEventError);
    expect(() => decodeEvent(broken, { 'content-type': 'application/x-protobuf' })).toThrow(/job_id is not well-formed UTF-8/);
  });
});

describe('reference server: malformed requests over HTTP/2', () => {
  it('answers every vector with INVALID_ARGUMENT, ErrorInfo (operation, field) and performs nothing', async () => {
    const server = await serve();
    const r = rawClient(server.address);
    cleanups.push(() => r.close());
    const created = await r.call('CreateJob', { name: 'existing', schedule: { interval: { every: { seconds: '60', nanos: 0 } } } });
    expect(created.ok).toBe(true);
    for (const v of VECTORS) {
      const result = await sendBytes(server.address, v.rpc, hex(v.binary_hex));
      expect(result.ok, `${v.name}: ${v.comment}`).toBe(false);
      if (result.ok) continue;
      expect(result.code, `${v.name}: ${result.details}`).toBe(v.expect.grpc_code);
      expect(grpc.status[result.code]).toBe(v.expect.grpc_status);
      const info = result.status?.errorInfo;
      expect(info, `${v.name} has no ErrorInfo`).toBeDefined();
      expect(info?.reason).toBe(v.expect.code);
      expect(info?.domain).toBe('scheduler.k1s0.system');
      expect(info?.metadata.operation).toBe(v.rpc);
      expect(info?.metadata.field, v.name).toBe(v.expect.field ?? undefined);
      expect(info?.metadata.limit, v.name).toBe(v.expect.limit);
      expect(result.details.startsWith(`${v.rpc}: malformed request: `), result.details).toBe(true);
    }
    const list = await r.call('ListJobs', {});
    expect(list.ok && (list.response.jobs as { name: string }[]).map((j) => j.name)).toEqual(['existing']);
  });

  it('still answers a well-formed request sent as raw bytes', async () => {
    const server = await serve();
    const result = await sendBytes(server.address, 'CreateJob', hex(`0a 02 6f 6b ${SCHEDULE}`));
    expect(result.ok).toBe(true);
    if (result.ok) expect(decodeMessage<{ job: { name: string } }>(`${PKG}.CreateJobResponse`, result.bytes).job.name).toBe('ok');
  });
});

describe('GrpcSchedulerClient: malformed responses', () => {
  /** A server whose GetJob answers with the given bytes, whatever the request. */
  async function serveBytes(bytes: Buffer): Promise<string> {
    const server = new grpc.Server();
    const method = schedulerMethods().GetJob;
    server.addService({ GetJob: { ...method, responseSerialize: (b: Buffer) => b } }, { GetJob: (_call: unknown, callback: grpc.sendUnaryData<Buffer>) => callback(null, bytes) });
    const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    cleanups.push(() => server.forceShutdown());
    return `127.0.0.1:${port}`;
  }

  const cases: [string, string, RegExp][] = [
    ['a job name with malformed UTF-8', '0a 05 12 03 6f 6b c3', /malformed GetJob response: job\.name is not well-formed UTF-8/],
    ['a job cut short', '0a 09 12 03 6f 6b', /malformed GetJob response: job has a length of 9 bytes, past the end of the message/],
    ['a job sent as a varint', '08 01', /malformed GetJob response: job has wire type varint/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what} as a SERVER_ERROR naming the RPC`, async () => {
      const address = await serveBytes(hex(bytes));
      const client = new GrpcSchedulerClient(address);
      cleanups.push(() => client.close());
      const error = await expectCode(client.getJob('job-1'), 'SERVER_ERROR');
      expect(error.message).toMatch(message);
      expect(error.message.startsWith('getJob: ')).toBe(true);
      expect(error.retryable).toBe(false);
    });
  }
});

describe('deadlines', () => {
  /** Reports the deadline of every CreateJob as already passed, as for a call that waited past it. */
  const pastDeadline: grpc.ServerInterceptor = (method, call) => {
    const intercepting = new grpc.ServerInterceptingCall(call);
    if (method.path.endsWith('/CreateJob')) intercepting.getDeadline = () => new Date(Date.now() - 1);
    return intercepting;
  };

  it('the server does not perform a call whose deadline has passed when it gets to it: DEADLINE_EXCEEDED (TIMEOUT)', async () => {
    const server = await serve({ interceptors: [pastDeadline] });
    const r = rawClient(server.address);
    cleanups.push(() => r.close());
    const result = await r.call('CreateJob', { name: 'late', schedule: { interval: { every: { seconds: '60', nanos: 0 } } } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(result.status?.errorInfo?.reason).toBe('TIMEOUT');
    expect(result.status?.errorInfo?.metadata.operation).toBe('CreateJob');
    expect(result.details).toBe('CreateJob: the deadline passed before the server started the call; nothing was done');
    const list = await r.call('ListJobs', {});
    expect(list.ok && list.response.jobs).toEqual([]);
  });

  it('the client does not send a call whose deadline passed before it could be sent', async () => {
    const seen = recordingInterceptor();
    const server = await serve({ interceptors: [seen.interceptor] });
    const client = new GrpcSchedulerClient({
      address: server.address,
      // A metadata provider that returns only once the call's deadline has passed: the client sets
      // the deadline (50 ms) before it asks the provider, so 50 ms after the provider was asked, the
      // deadline lies behind, however late the call started.
      metadata: async () => {
        const passed = Date.now() + 50;
        while (Date.now() <= passed) await new Promise((resolve) => setTimeout(resolve, passed - Date.now() + 1));
        return {};
      },
    });
    cleanups.push(() => client.close());
    const error = await expectCode(client.getJob('job-1', { timeoutMs: 50 }), 'TIMEOUT');
    expect(error.message).toContain('deadline of 50 ms exceeded before the call was sent');
    expect(seen.calls).toEqual([]);
  });
});

describe('paging', () => {
  it('page_size may change from one page to the next; tokens stay bound to their filters and job', async () => {
    const server = await serve();
    const r = rawClient(server.address);
    cleanups.push(() => r.close());
    const every = { interval: { every: { seconds: '60', nanos: 0 } } };
    for (let i = 0; i < 6; i++) expect((await r.call('CreateJob', { name: `p-${i}`, schedule: every })).ok).toBe(true);
    const ok = async (rpc: string, request: object) => {
      const result = await r.call(rpc, request);
      if (!result.ok) throw new Error(`${rpc} failed: ${result.details}`);
      return result.response;
    };
    const names = (page: { jobs: { name: string }[] }) => page.jobs.map((j) => j.name);
    const first = await ok('ListJobs', { pageSize: 1 });
    const second = await ok('ListJobs', { pageSize: 3, pageToken: first.nextPageToken });
    const third = await ok('ListJobs', { pageSize: 0, pageToken: second.nextPageToken });
    expect([names(first), names(second), names(third)]).toEqual([['p-0'], ['p-1', 'p-2', 'p-3'], ['p-4', 'p-5']]);
    expect(third.nextPageToken).toBe('');
    // Bound to the status filter as well as the name prefix.
    const pending = await ok('ListJobs', { pageSize: 2, status: 'JOB_STATUS_PENDING' });
    const wrong = await r.call('ListJobs', { pageSize: 2, pageToken: pending.nextPageToken });
    expect(!wrong.ok && wrong.status?.errorInfo?.metadata.field).toBe('page_token');
    expect(!wrong.ok && wrong.code).toBe(grpc.status.INVALID_ARGUMENT);

    const [a, b] = first.jobs.concat(second.jobs).map((j: { id: string }) => j.id) as [string, string];
    await server.advanceTime(300_000);
    const e1 = await ok('ListExecutions', { jobId: a, pageSize: 1 });
    const e2 = await ok('ListExecutions', { jobId: a, pageSize: 10, pageToken: e1.nextPageToken });
    expect([e1.executions.length, e2.executions.length, e2.nextPageToken]).toEqual([1, 4, '']);
    // Another job's token is refused, even where that job has as many executions.
    const other = await r.call('ListExecutions', { jobId: b, pageSize: 1, pageToken: e1.nextPageToken });
    expect(!other.ok && [other.code, other.status?.errorInfo?.reason, other.status?.errorInfo?.metadata.field]).toEqual([grpc.status.INVALID_ARGUMENT, 'INVALID_ARGUMENT', 'page_token']);
  });
});

// ---- the Python and Go runtimes ------------------------------------------------------------------

const TOOLS: Tool[] = [
  [PYTHON, 'the Python venv conformance/.venv'],
  [join(ROOT, 'conformance/gen/python/k1s0/system/scheduler/v2/scheduler_pb2.py'), 'the Python stubs in conformance/gen/python'],
  [join(ROOT, 'conformance/gen/go/k1s0/system/scheduler/v2/scheduler.pb.go'), 'the Go stubs in conformance/gen/go'],
];
const missing = missingOf(TOOLS);
const skipTools = skipWithout('strict decoding: Python and Go checks', TOOLS);

describe.skipIf(skipTools)('the Python and Go runtimes refuse the malformed requests', () => {
  const GO_BIN = join(GO_BIN_DIR, 'invalidrequests');
  beforeAll(async () => {
    if (missing.length > 0) return;
    await goBuild('./invalidrequests');
  }, 180_000);
  const lenientFor = (runtime: string) => VECTORS.filter((v) => v.lenient.includes(runtime)).map((v) => v.name);

  it('Python (upb) refuses every vector not on record as lenient for it', async () => {
    if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run \`bash conformance/setup.sh\``);
    const out = await run(PYTHON, ['conformance/python/invalid_requests.py', VECTORS_FILE]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('protobuf runtime: upb');
    expect(out.stdout).toContain(`all ${VECTORS.length} vectors as expected`);
    for (const name of lenientFor('python')) expect(out.stdout).toContain(`ok   ${name}: accepted`);
  });

  it('Go (proto.Unmarshal) refuses every vector not on record as lenient for it', async () => {
    if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run \`bash conformance/setup.sh\``);
    const out = await run(GO_BIN, [VECTORS_FILE]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain(`all ${VECTORS.length} vectors as expected`);
    for (const name of lenientFor('go')) expect(out.stdout).toContain(`ok   ${name}: accepted`);
  });

  it('the checkers fail when a vector is not handled as its file says', async () => {
    if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run \`bash conformance/setup.sh\``);
    const dir = mkdtempSync(join(tmpdir(), 'k1s0-invalid-'));
    // A well-formed request among the vectors, and a lenient mark that is not true.
    const tampered = [
      { ...VECTORS[0]!, name: 'well-formed', binary_hex: `0a026f6b${SCHEDULE.replace(/ /g, '')}`, lenient: [] },
      { ...VECTORS.find((v) => v.name === 'get-job-id-bad-utf8')!, lenient: ['go', 'python'] },
    ];
    const file = join(dir, 'requests.json');
    writeFileSync(file, JSON.stringify({ vectors: tampered }));
    const python = await run(PYTHON, ['conformance/python/invalid_requests.py', file]);
    const go = await run(GO_BIN, [file]);
    for (const out of [python, go]) {
      expect(out.code).toBe(1);
      expect(out.stdout).toMatch(/FAIL well-formed: accepted/);
      expect(out.stdout).toMatch(/FAIL get-job-id-bad-utf8: refused .*but its lenient list names/);
    }
  });
});

describe.skipIf(skipWithout('strict decoding: Rust check', RUST_TOOLS))('the Rust runtime refuses the malformed requests', () => {
  const RUST = join(RUST_BIN, 'invalid_requests');
  beforeAll(async () => {
    requireTools('strict decoding: Rust check', RUST_TOOLS);
    await cargoBuild('invalid_requests');
  }, 600_000);
  const lenient = VECTORS.filter((v) => v.lenient.includes('rust')).map((v) => v.name);

  it("Rust (prost's Message::decode) refuses every vector not on record as lenient for it", async () => {
    const out = await run(RUST, [VECTORS_FILE]);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain(`all ${VECTORS.length} vectors as expected`);
    for (const name of lenient) expect(out.stdout).toContain(`ok   ${name}: accepted`);
    for (const v of VECTORS.filter((v) => !lenient.includes(v.name))) expect(out.stdout).toContain(`ok   ${v.name}: refused (failed to decode Protobuf message: `);
  });

  it('the checker fails when a vector is not handled as its file says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k1s0-invalid-rust-'));
    // A well-formed request among the vectors, a lenient mark that is not true, and one that is missing.
    const tampered = [
      { ...VECTORS[0]!, name: 'well-formed', binary_hex: `0a026f6b${SCHEDULE.replace(/ /g, '')}`, lenient: [] },
      { ...VECTORS.find((v) => v.name === 'get-job-id-bad-utf8')!, lenient: ['rust'] },
      { ...VECTORS.find((v) => v.name === 'pause-job-group')!, lenient: ['go', 'python'] },
    ];
    const file = join(dir, 'requests.json');
    writeFileSync(file, JSON.stringify({ vectors: tampered }));
    const out = await run(RUST, [file]).finally(() => rmSync(dir, { recursive: true, force: true }));
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^FAIL well-formed: accepted by Message::decode, but its lenient list does not name rust$/m);
    expect(out.stdout).toMatch(/^FAIL get-job-id-bad-utf8: refused \(.*not UTF-8.*\), but its lenient list names rust$/m);
    expect(out.stdout).toMatch(/^FAIL pause-job-group: accepted by Message::decode/m);
    expect(out.stdout).toContain('3 of 3 vectors not as expected');
  });
});

