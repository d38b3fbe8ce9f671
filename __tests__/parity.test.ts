// The parity kit (conformance/): clients generated from the shared proto in other languages speak
// to the reference server exactly as the TypeScript client does, decode the conformance vectors,
// and produce Kafka events that our decoder reads; the proto passes buf lint and buf breaking.
//
// The Python and Go tools come from `bash conformance/setup.sh`; this file installs nothing. Without
// them the tests are skipped locally and fail under CI=true.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startParityServer } from '../conformance/parity-server.js';
import { runProgramScenario, runTsScenario, type ScenarioRun } from '../conformance/run-scenario.js';
import { diffLines, normaliseTranscript } from '../conformance/transcript.js';
import { decodeEvent, InvalidEventError } from '../src/kafka/codec.js';
import { asAnnounced, type AnnouncedEvent } from './support/announced.js';
import { rawClient } from './support/raw-client.js';
import { GO_BIN, PYTHON, ROOT, RUST_BIN, RUST_TOOLS, cargoBuild, cargoTest, goBuild, missingOf, requireTools as requireToolsOf, run, skipWithout, type Tool } from './support/conformance-tools.js';

const BUF = join(ROOT, 'node_modules/.bin/buf');
const VECTORS = join(ROOT, 'proto/testdata');
const VECTOR_FILES = readdirSync(VECTORS)
  .filter((f) => f.endsWith('.json'))
  .sort();

// What setup.sh provides, and buf, which `npm ci` installs.
const STUBS: Tool[] = [
  [PYTHON, 'the Python venv conformance/.venv'],
  [join(ROOT, 'conformance/gen/python/k1s0/system/scheduler/v2/scheduler_pb2_grpc.py'), 'the Python stubs in conformance/gen/python'],
  [join(ROOT, 'conformance/gen/go/k1s0/system/scheduler/v2/scheduler_grpc.pb.go'), 'the Go stubs in conformance/gen/go'],
];
const BUF_TOOL: Tool[] = [[BUF, 'node_modules/.bin/buf (npm ci installs @bufbuild/buf)']];
const skipStubs = skipWithout('parity', STUBS);
// The Rust programs: cargo, and the build that setup.sh made.
const skipRust = skipWithout('parity (Rust)', RUST_TOOLS);
const skipBuf = missingOf(BUF_TOOL).length > 0 && process.env.CI !== 'true';
if (skipBuf) console.warn(`parity: buf checks skipped, ${missingOf(BUF_TOOL).join(', ')} missing: run npm ci`);

/** Fails the test (so, under CI) when the tools it needs are missing. */
function requireTools(tools: Tool[] = STUBS): void {
  if (tools === STUBS) return requireToolsOf('parity', tools);
  const missing = missingOf(tools);
  if (missing.length > 0) throw new Error(`parity: ${missing.join(', ')} missing: run npm ci`);
}

function expectSameTranscript(language: string, scenario: ScenarioRun, reference: string): void {
  expect(scenario.exitCode, `${language} scenario failed:\n${scenario.stderr}`).toBe(0);
  const diff = diffLines(reference, normaliseTranscript(scenario.stdout), { expected: 'typescript (reference)', actual: language });
  if (diff !== '') expect.fail(`the ${language} transcript differs from the TypeScript one:\n${diff}`);
  // The TIMEOUT and CANCELLED steps were real calls that the server held and the client abandoned.
  expect(scenario.delayed).toEqual({ received: 2, abandoned: 2 });
}

describe.skipIf(skipStubs)('parity: scenarios of generated clients against the reference server', () => {
  let reference = '';

  beforeAll(async () => {
    requireTools();
    const ts = await runTsScenario();
    expect(ts.delayed).toEqual({ received: 2, abandoned: 2 });
    reference = normaliseTranscript(ts.stdout);
  }, 30_000);

  it('the TypeScript transcript is the committed one (conformance/expected-transcript.txt)', () => {
    const golden = readFileSync(join(ROOT, 'conformance/expected-transcript.txt'), 'utf8').trimEnd();
    const diff = diffLines(golden, reference, { expected: 'conformance/expected-transcript.txt', actual: 'typescript' });
    if (diff !== '') {
      expect.fail(`if the change is intended, regenerate it with \`node --import tsx conformance/run-scenario.ts ts > conformance/expected-transcript.txt\`:\n${diff}`);
    }
    for (const code of ['JOB_NOT_FOUND', 'INVALID_SCHEDULE', 'INVALID_ARGUMENT', 'INVALID_STATE', 'CONFLICT', 'TIMEOUT', 'CANCELLED']) expect(reference).toContain(`-> ${code}`);
    for (const action of ['CREATED', 'UPDATED', 'UNCHANGED']) expect(reference).toContain(`-> APPLY_ACTION_${action} `);
  });

  it('the policy, describe and watch steps show what they check (jitter computed by the client, streams read to the end)', () => {
    const line = (label: string) => reference.split('\n').find((l) => l.startsWith(`${label} -> `)) ?? `${label}: no such step`;
    const jitter = reference.match(/jitter_ok=\w+/g) ?? [];
    expect(jitter.length).toBeGreaterThanOrEqual(4);
    expect(new Set(jitter)).toEqual(new Set(['jitter_ok=true']));
    expect(line('describe policy')).toMatch(/ upcoming=\[<time-\d+>,<time-\d+>,<time-\d+>\] scheduled=\[/);
    expect(line('describe policy, upcoming 101')).toBe('describe policy, upcoming 101 -> INVALID_ARGUMENT field=upcoming');
    expect(line("watch the trigger's execution")).toMatch(/-> 1 message\(s\): EXECUTION_RESULT_SUCCEEDED exec=<exec-\d+> /);
    expect(line('watch held, to the end')).toMatch(/-> 3 message\(s\): EXECUTION_RESULT_RUNNING .*; EXECUTION_RESULT_FAILED .*; EXECUTION_RESULT_FAILED /);
    expect(line('get held, two runs in flight')).toMatch(/ running=\(exec=<exec-\d+>,exec=<exec-\d+>\) /);
    expect(line('pause policy again, another note')).toMatch(/ status_note=maintenance 窓$/);
    expect(line('get failing')).toMatch(/^get failing -> JOB_STATUS_PAUSED .* stats=\{runs:1,succeeded:0,failed:1,timed_out:0,skipped:0,missed:0\} .* status_note=paused on failure: parity: the run failed as asked$/);
    expect(line('get policy, max_runs reached')).toMatch(/-> JOB_STATUS_COMPLETED .* stats=\{runs:3,succeeded:3,failed:0,timed_out:0,skipped:0,missed:0\} .* remaining_runs=0 /);
    expect(line('trigger paused policy')).toBe('trigger paused policy -> INVALID_STATE');
    expect(line('watch with job_id and execution_id')).toBe('watch with job_id and execution_id -> INVALID_ARGUMENT field=execution_id');
    expect(line('wait for unknown execution')).toBe('wait for unknown execution -> JOB_NOT_FOUND field=execution_id');
  });

  it('Python (grpcio) prints the same transcript as TypeScript', async () => {
    const scenario = await runProgramScenario(PYTHON, ['conformance/python/scenario.py'], { cwd: ROOT, timeoutMs: 60_000 });
    expectSameTranscript('python', scenario, reference);
  }, 90_000);

  it('Go (grpc-go) prints the same transcript as TypeScript', async () => {
    await goBuild('./scenario');
    const scenario = await runProgramScenario(join(GO_BIN, 'scenario'), [], { cwd: ROOT, timeoutMs: 60_000 });
    expectSameTranscript('go', scenario, reference);
  }, 180_000);

  it.skipIf(skipRust)('Rust (tonic) prints the same transcript as TypeScript', async () => {
    requireToolsOf('parity (Rust)', RUST_TOOLS);
    await cargoBuild('scenario');
    const scenario = await runProgramScenario(join(RUST_BIN, 'scenario'), [], { cwd: ROOT, timeoutMs: 60_000 });
    expectSameTranscript('rust', scenario, reference);
  }, 600_000);

  it.skipIf(skipRust)("the Rust library's unit tests pass (the transcript format, the error outcome, the event decoder, the timestamp rule)", async () => {
    requireToolsOf('parity (Rust)', RUST_TOOLS);
    expect(await cargoTest('--lib')).toBeGreaterThanOrEqual(10);
  }, 600_000);
});

describe.skipIf(skipStubs)('parity: conformance vectors in Python, Go and Rust', () => {
  let tampered = '';
  const checkers: [string, () => [string, string[]]][] = [
    ['Python', () => [PYTHON, ['conformance/python/vectors.py']]],
    ['Go', () => [join(GO_BIN, 'vectors'), []]],
    ...(skipRust ? [] : ([['Rust', () => [join(RUST_BIN, 'vectors'), []]]] as [string, () => [string, string[]]][])),
  ];

  beforeAll(async () => {
    requireTools();
    await goBuild('./vectors');
    if (!skipRust) await cargoBuild('vectors');
    // A copy of the vectors with two broken on purpose, to prove that the checkers can fail.
    tampered = mkdtempSync(join(tmpdir(), 'k1s0-vectors-'));
    cpSync(VECTORS, tampered, { recursive: true });
    const edit = (file: string, change: (vector: Record<string, any>) => void) => {
      const vector = JSON.parse(readFileSync(join(tampered, file), 'utf8'));
      change(vector);
      writeFileSync(join(tampered, file), JSON.stringify(vector));
    };
    edit('job_one_shot.json', (v) => (v.proto3_json.timeoutSecs = 31));
    edit('status_error_info.json', (v) => (v.domain.code = 'INVALID_STATE'));
    // A FieldMask path in proto3 JSON must be lowerCamelCase; the proto name is refused.
    edit('update_job_request.json', (v) => (v.proto3_json.updateMask = 'name,max_retries,labels'));
    // The reordered labels of a job carry another value: not the same message.
    edit('job_keyed.json', (v) => {
      const bytes = Buffer.from(v.binary_base64_map_reordered, 'base64');
      const at = bytes.indexOf('payments');
      expect(at).toBeGreaterThan(0);
      bytes.write('paymentz', at);
      v.binary_base64_map_reordered = bytes.toString('base64');
    });
  }, 150_000);
  afterAll(() => {
    if (tampered !== '') rmSync(tampered, { recursive: true, force: true });
  });

  for (const [language, command] of checkers) {
    it(`${language} decodes, re-encodes and prints every vector as proto/testdata says`, async () => {
      const [cmd, args] = command();
      const { code, stdout, stderr } = await run(cmd, args);
      expect(code, `${stdout}${stderr}`).toBe(0);
      expect(stdout.split('\n').filter((l) => l.startsWith('ok   '))).toEqual(VECTOR_FILES.map((f) => `ok   ${f}`));
    }, 60_000);

    it(`${language} reports the vectors that do not match`, async () => {
      const [cmd, args] = command();
      const { code, stdout } = await run(cmd, [...args, tampered]);
      expect(code, stdout).toBe(1);
      expect(stdout.split('\n').filter((l) => l.startsWith('FAIL '))).toEqual([
        'FAIL job_keyed.json',
        'FAIL job_one_shot.json',
        'FAIL status_error_info.json',
        'FAIL update_job_request.json',
      ]);
      expect(stdout).toMatch(/FAIL job_keyed\.json\n {2}- binary_base64_map_reordered decodes to another message/);
      expect(stdout).toContain(`${VECTOR_FILES.length} vector(s), 4 failed`);
    }, 60_000);
  }
});

describe.skipIf(skipStubs)('parity: jitter and retry backoff vectors in Python, Go and Rust (proto/testdata/jitter)', () => {
  const JITTER = join(ROOT, 'proto/testdata/jitter');
  const delays = JSON.parse(readFileSync(join(JITTER, 'delays.json'), 'utf8')) as { delays: unknown[]; capped: unknown[] };
  const backoffs = (JSON.parse(readFileSync(join(JITTER, 'backoff.json'), 'utf8')) as { backoffs: unknown[] }).backoffs;
  const cases = delays.delays.length + delays.capped.length + backoffs.length;
  let tampered = '';
  const checkers: [string, () => [string, string[]]][] = [
    ['Python', () => [PYTHON, ['conformance/python/jitter.py']]],
    ['Go', () => [join(GO_BIN, 'jitter'), []]],
    ...(skipRust ? [] : ([['Rust', () => [join(RUST_BIN, 'jitter'), []]]] as [string, () => [string, string[]]][])),
  ];

  beforeAll(async () => {
    requireTools();
    await goBuild('./jitter');
    if (!skipRust) await cargoBuild('jitter');
    // A copy with one delay, one due time and one wait broken on purpose, to prove that the checkers can fail.
    tampered = mkdtempSync(join(tmpdir(), 'k1s0-jitter-'));
    cpSync(JITTER, tampered, { recursive: true });
    const edit = (file: string, change: (vectors: Record<string, any>) => void) => {
      const vectors = JSON.parse(readFileSync(join(tampered, file), 'utf8'));
      change(vectors);
      writeFileSync(join(tampered, file), JSON.stringify(vectors));
    };
    edit('delays.json', (v) => {
      const d = v.delays.find((c: { jitter_ms: number }) => c.jitter_ms === 86_400_000);
      d.delay_ms = (d.delay_ms + 1) % d.jitter_ms;
      v.capped[0].due_ms += 1;
    });
    edit('backoff.json', (v) => (v.backoffs[0].waits_ms[9] = 61_000));
  }, 150_000);
  afterAll(() => {
    if (tampered !== '') rmSync(tampered, { recursive: true, force: true });
  });

  const outputs: string[] = [];
  for (const [language, command] of checkers) {
    it(`${language} computes every delay, capped due time and retry wait of the vectors`, async () => {
      const [cmd, args] = command();
      const { code, stdout, stderr } = await run(cmd, args);
      expect(code, `${stdout}${stderr}`).toBe(0);
      expect(stdout.split('\n').filter((l) => l.startsWith('ok   ')).length).toBe(cases);
      expect(stdout).toContain(`${cases} case(s), 0 failed`);
      outputs.push(stdout);
    }, 60_000);

    it(`${language} reports the jitter and backoff vectors that do not match`, async () => {
      const [cmd, args] = command();
      const { code, stdout } = await run(cmd, [...args, tampered]);
      expect(code, stdout).toBe(1);
      const failures = stdout.split('\n').filter((l) => l.startsWith('FAIL '));
      expect(failures).toHaveLength(3);
      expect(failures[0]).toMatch(/^FAIL delay .* jitter 86400000: delay \d+, want \d+$/);
      expect(failures[1]).toMatch(/^FAIL capped .*: due \d+, want \d+; due_at /);
      expect(failures[2]).toBe('FAIL backoff 1000/60000/2: waits [1000 2000 4000 8000 16000 32000 60000 60000 60000 60000], want [1000 2000 4000 8000 16000 32000 60000 60000 60000 61000]'.replace(/\[(.*?)\]/g, (_, l: string) => (language === 'Go' ? `[${l}]` : `[${l.split(' ').join(', ')}]`)));
      expect(stdout).toContain(`${cases} case(s), 3 failed`);
    }, 60_000);
  }

  it('every language prints the same lines', () => {
    expect(outputs).toHaveLength(checkers.length);
    for (const output of outputs.slice(1)) expect(output).toBe(outputs[0]);
  });
});

describe('parity: interop findings', () => {
  // Go's proto.Marshal writes map entries (the fields of a Struct payload) in random order, so a Go
  // client's retry of a create is, byte for byte, another request: the server must compare the
  // payload as a JSON value, not as text in the order that it arrived.
  it('a CreateJob retried with the payload map entries in another order returns the first job', async () => {
    const { server } = await startParityServer();
    const raw = rawClient(server.address);
    try {
      const request = (fields: Record<string, unknown>) => ({
        name: 'retried',
        schedule: { interval: { every: { seconds: '60', nanos: 0 } } },
        payload: { structValue: { fields } },
        requestId: 'parity-retry',
      });
      const first = await raw.call('CreateJob', request({ a: { numberValue: 1 }, b: { stringValue: 'x' } }));
      const retry = await raw.call('CreateJob', request({ b: { stringValue: 'x' }, a: { numberValue: 1 } }));
      expect(first.ok).toBe(true);
      expect(retry.ok ? retry.response.job.id : retry.status?.errorInfo).toBe(first.ok && first.response.job.id);
    } finally {
      raw.close();
      await server.close({ graceMs: 100 });
    }
  });
});

describe.skipIf(skipStubs)('parity: the Python foreign Kafka producer', () => {

  it('writes messages that decodeEvent reads as the events it announces (no broker)', async () => {
    requireTools();
    const { code, stdout, stderr } = await run(PYTHON, ['conformance/python/produce_events.py', '--dry-run']);
    expect(code, stderr).toBe(0);
    const messages = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { what: string; key: string; headers: Record<string, string>; value_base64: string; expected: AnnouncedEvent | null });
    expect(messages.length).toBe(20);
    expect(messages.filter((m) => m.expected === null).length).toBe(5);
    for (const { what, key, headers, value_base64, expected } of messages) {
      const value = Buffer.from(value_base64, 'base64');
      if (expected === null) {
        expect(() => decodeEvent(value, headers), what).toThrow(InvalidEventError);
        continue;
      }
      expect(asAnnounced(decodeEvent(value, headers)), what).toEqual(expected);
      expect(key).toBe(expected.jobId);
    }
  });

  const brokers = process.env.KAFKA_BROKERS;
  it.skipIf(!brokers)('publishes to a real broker what a kafkajs consumer decodes as announced (needs KAFKA_BROKERS)', async () => {
    requireTools();
    const topic = `parity-foreign-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const kafka = new Kafka({ clientId: 'parity-test', brokers: brokers!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const produced = await run(PYTHON, ['conformance/python/produce_events.py', '--brokers', brokers!, '--topic', topic]);
    expect(produced.code, produced.stderr).toBe(0);
    const expected = produced.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AnnouncedEvent | null);

    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    const received: { key: string; contentType: string; event: AnnouncedEvent | null }[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              let event: AnnouncedEvent | null;
              try {
                event = asAnnounced(decodeEvent(message.value, message.headers));
              } catch (error) {
                if (!(error instanceof InvalidEventError)) throw error;
                event = null; // announced as a message to refuse
              }
              received.push({ key: String(message.key), contentType: String(message.headers?.['content-type']), event });
              if (received.length === expected.length) resolve();
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    expect(received.map((m) => m.event)).toEqual(expected); // one partition: in the order sent
    for (const m of received) if (m.event !== null) expect([m.key, m.contentType]).toEqual([m.event.jobId, 'application/json']);
  }, 90_000);
});

describe.skipIf(skipBuf)('parity: buf', () => {
  it('buf lint passes on proto/ (STANDARD rules; the upstream copies are ignored)', async () => {
    requireTools(BUF_TOOL);
    const { code, stdout, stderr } = await run(BUF, ['lint']);
    expect(code, `buf lint:\n${stdout}${stderr}`).toBe(0);
    expect(stdout + stderr).toBe('');
  });

  it('scripts/buf-breaking.sh passes against the previous commit', async () => {
    requireTools(BUF_TOOL);
    const { code, stdout, stderr } = await run('bash', ['scripts/buf-breaking.sh']);
    expect(code, `${stdout}${stderr}`).toBe(0);
    expect(stderr).toMatch(/no breaking change|breaking changes accepted|skipped/);
  });

  it('scripts/buf-breaking.sh fails on a breaking change unless the major version changes', async (ctx) => {
    requireTools(BUF_TOOL);
    const work = mkdtempSync(join(tmpdir(), 'k1s0-buf-breaking-'));
    try {
      const cloned = await run('git', ['clone', '--quiet', '--depth', '2', `file://${ROOT}`, work]);
      expect(cloned.code, cloned.stderr).toBe(0);
      if ((await run('git', ['rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}'], { cwd: work })).code !== 0) {
        return ctx.skip('this repository has no parent commit to compare with');
      }
      // The clone holds the last commit; the script and the config under test come from the work tree.
      for (const file of ['buf.yaml', 'scripts/buf-breaking.sh']) cpSync(join(ROOT, file), join(work, file));
      symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
      // Break the proto: ListJobsRequest loses its field 2 (name_prefix).
      const proto = join(work, 'proto/k1s0/system/scheduler/v2/scheduler.proto');
      const text = readFileSync(proto, 'utf8');
      expect(text).toContain('  string name_prefix = 2;');
      writeFileSync(proto, text.replace('  string name_prefix = 2;', '  reserved 2;'));
      const refused = await run('bash', ['scripts/buf-breaking.sh'], { cwd: work });
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stdout).toContain('"name_prefix" on message "ListJobsRequest" was deleted');
      // A new major version of the package makes the same change acceptable.
      const pkgPath = join(work, 'package.json');
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string };
      pkg.version = `${Number(pkg.version.split('.')[0]) + 1}.0.0`;
      writeFileSync(pkgPath, JSON.stringify(pkg));
      const accepted = await run('bash', ['scripts/buf-breaking.sh'], { cwd: work });
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stderr).toContain('breaking changes accepted');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);
});
