import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { GrpcSchedulerClient, Schedule, SchedulerError, VirtualClock, type JobRequest } from '../src/index.js';
import { startSchedulerServer } from '../src/testing.js';
import { delayInterceptor, loseResponsesInterceptor, recordingInterceptor } from './support/interceptors.js';
import { expectCode } from './support/expect-code.js';
import { generatePki } from './support/tls.js';
import { grpcHarness } from './support/grpc-harness.js';

const { cleanups, serve, connect } = grpcHarness();

const run = promisify(execFile);

const request = (name = 'job'): JobRequest => ({ name, schedule: Schedule.interval(60_000), payload: { x: 1 } });
const HOUR = 3_600_000;
/** What a message must never hold: grpc-js's raw connection report or an OpenSSL error dump. */
const RAW_TRANSPORT_TEXT = /Resolution note|No connection established|SSL routines|ssl3_|openssl|:error:/i;

describe('GrpcSchedulerClient against real HTTP/2', () => {
  it('accepts host:port, http:// and https:// forms and rejects bad addresses at construction', async () => {
    const server = await serve();
    for (const address of [server.address, `http://${server.address}`, `http://${server.address}/`]) {
      const client = connect(address);
      expect((await client.createJob(request(address))).name).toBe(address);
    }
    for (const bad of ['', 'no-port', 'ftp://h:1', 'h:99999', 'http://h:1/path']) {
      expect(() => new GrpcSchedulerClient(bad)).toThrow(SchedulerError);
    }
    expect(() => new GrpcSchedulerClient({ address: `http://${server.address}`, credentials: { ca: 'x' } })).toThrow(/credentials/);
    expect(() => new GrpcSchedulerClient({ address: server.address, retry: { maxAttempts: 0 } })).toThrow(/retry.maxAttempts/);
  });

  it('a sleeping server gives TIMEOUT at about the deadline, without retry', async () => {
    const seen = recordingInterceptor();
    const server = await serve({ interceptors: [seen.interceptor, delayInterceptor('GetJob', 60_000)] });
    const client = connect(server.address);
    const job = await client.createJob(request());
    const t0 = Date.now();
    const error = await expectCode(client.getJob(job.id, { timeoutMs: 300 }), 'TIMEOUT');
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    expect(error.message).toContain('getJob');
    expect(error.message).toContain(job.id);
    expect(error.message).toContain(server.address);
    expect(error.message).toContain('300 ms');
    expect(error.message).toBe(`getJob: deadline of 300 ms exceeded (job '${job.id}', ${server.address})`);
    expect(error.operation).toBe('getJob');
    expect(error.retryable).toBe(false);
    expect(seen.calls.filter((c) => c.method.endsWith('/GetJob')).length).toBe(1);
  });

  it('the default deadline applies when a call sets none', async () => {
    const server = await serve({ interceptors: [delayInterceptor('GetJob', 60_000)] });
    const client = connect({ address: server.address, defaultTimeoutMs: 200 });
    const job = await client.createJob(request());
    await expectCode(client.getJob(job.id), 'TIMEOUT');
  });

  it('an AbortSignal gives CANCELLED, before and during the call', async () => {
    const server = await serve({ interceptors: [delayInterceptor('GetJob', 60_000)] });
    const client = connect(server.address);
    const job = await client.createJob(request());
    const controller = new AbortController();
    const pending = client.getJob(job.id, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await expectCode(pending, 'CANCELLED');
    expect(error.message).toContain('cancelled by the caller');
    await expectCode(client.getJob(job.id, { signal: AbortSignal.abort() }), 'CANCELLED');
  });

  it('a server that is down gives a retryable SERVER_ERROR naming the address, quickly', async () => {
    const server = await serve();
    const address = server.address;
    await server.close();
    const client = connect(address);
    const t0 = Date.now();
    const error = await expectCode(client.getJob('00000000-0000-7000-8000-000000000000'), 'SERVER_ERROR');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(error.retryable).toBe(true);
    expect(error.grpcCode).toBe(grpc.status.UNAVAILABLE);
    expect(error.message).toContain(address);
    expect(error.message).toBe(`getJob: cannot connect to ${address}: connection refused (job '00000000-0000-7000-8000-000000000000')`);
    expect(error.message).not.toMatch(RAW_TRANSPORT_TEXT);
    expect((error.cause as grpc.ServiceError).details).toContain('ECONNREFUSED'); // the detail stays in cause
  });

  it('names the SDK method, the job and the address once, without repeating the server\'s own prefix', async () => {
    const server = await serve();
    const client = connect(server.address);
    const missing = await expectCode(client.getJob('missing'), 'JOB_NOT_FOUND');
    expect(missing.message).toBe(`getJob: job 'missing' not found (${server.address})`);
    expect(missing).toMatchObject({ operation: 'getJob', jobId: 'missing', grpcCode: grpc.status.NOT_FOUND });
    const job = await client.createJob(request());
    await client.cancelJob(job.id);
    const state = await expectCode(client.pauseJob(job.id), 'INVALID_STATE');
    expect(state.operation).toBe('pauseJob');
    expect(state.message.startsWith(`pauseJob: job '${job.id}' is cancelled; `), state.message).toBe(true);
    expect(state.message.endsWith(` (${server.address})`), state.message).toBe(true);
    // The RPC is ListExecutions; the method, and so the operation, is getExecutions or iterateExecutions.
    const executions = await expectCode(client.getExecutions('missing'), 'JOB_NOT_FOUND');
    expect(executions.message).toBe(`getExecutions: job 'missing' not found (${server.address})`);
    const iterated = await expectCode(client.iterateExecutions('missing').next(), 'JOB_NOT_FOUND');
    expect(iterated.operation).toBe('iterateExecutions');
    for (const error of [missing, state, executions, iterated]) expect(error.message).not.toMatch(/GetJob|PauseJob|ListExecutions/);
  });

  it('leaves "a one-shot at most 1 s in the past" to the server\'s clock', async () => {
    const seen = recordingInterceptor();
    // The server's clock is an hour behind this process's.
    const behind = await serve({ clock: new VirtualClock(Date.now() - HOUR), interceptors: [seen.interceptor] });
    const client = connect(behind.address);
    for (const ago of [900, 1100, 30 * 60_000]) {
      // In the past by the client's clock, in the future by the scheduler's: accepted.
      const runAt = new Date(Date.now() - ago);
      const job = await client.createJob({ name: `ago-${ago}`, schedule: Schedule.oneShot(runAt), payload: null });
      expect(job.nextRunAt).toEqual(runAt);
    }
    // 1.1 s before the server's clock: the request goes out and the server refuses it.
    const late = Schedule.oneShot(new Date(behind.now().getTime() - 1100));
    const refused = await expectCode(client.createJob({ name: 'late', schedule: late, payload: null }), 'INVALID_SCHEDULE');
    expect(refused.grpcCode).toBe(grpc.status.INVALID_ARGUMENT);
    expect(refused.field).toBe('schedule.one_shot.run_at');
    expect(refused.message.startsWith('createJob: '), refused.message).toBe(true);
    expect(refused.message).not.toContain('CreateJob');
    expect(seen.calls.filter((c) => c.method.endsWith('/CreateJob')).length).toBe(4);
    // A server ahead of this clock refuses what is still in the future here.
    const ahead = await serve({ clock: new VirtualClock(Date.now() + HOUR) });
    const soon = Schedule.oneShot(new Date(Date.now() + 60_000));
    expect((await expectCode(connect(ahead.address).createJob({ name: 'soon', schedule: soon, payload: null }), 'INVALID_SCHEDULE')).grpcCode).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
  });

  it('after a server restart on the same port, the same client object succeeds', async () => {
    const first = await startSchedulerServer({ clock: new VirtualClock() });
    const client = connect(first.address);
    await client.createJob(request('before'));
    await first.close();
    await expectCode(client.listJobs(), 'SERVER_ERROR');
    const second = await serve({ port: first.port });
    expect(second.address).toBe(first.address);
    const job = await client.createJob(request('after'));
    expect((await client.getJob(job.id)).name).toBe('after');
  });

  it('a create retried through an injected UNAVAILABLE makes exactly one job', async () => {
    const lose = loseResponsesInterceptor('CreateJob', 2);
    const seen = recordingInterceptor();
    const server = await serve({ interceptors: [seen.interceptor, lose.interceptor] });
    const client = connect(server.address);
    const job = await client.createJob(request('exactly-once'));
    expect(lose.lost()).toBe(2);
    const creates = seen.calls.filter((c) => c.method.endsWith('/CreateJob'));
    expect(creates.length).toBe(3); // the first try and two retries, all with the same request_id
    const jobs = await client.listJobs();
    expect(jobs.map((j) => j.id)).toEqual([job.id]);
  });

  it('does not retry a trigger (it could start a second run)', async () => {
    const lose = loseResponsesInterceptor('TriggerJob', 1);
    const server = await serve({ interceptors: [lose.interceptor] });
    const client = connect(server.address);
    const job = await client.createJob(request());
    const error = await expectCode(client.triggerJob(job.id), 'SERVER_ERROR');
    expect(error.retryable).toBe(true);
    expect((await client.getExecutions(job.id)).length).toBe(1);
  });

  it('reports an unimplemented method clearly', async () => {
    const bare = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      bare.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    cleanups.push(() => new Promise<void>((resolve) => bare.tryShutdown(() => resolve())));
    const client = connect(`127.0.0.1:${port}`);
    const error = await expectCode(client.getJob('00000000-0000-7000-8000-000000000000'), 'SERVER_ERROR');
    expect(error.grpcCode).toBe(grpc.status.UNIMPLEMENTED);
    expect(error.message).toContain('does not implement');
    expect(error.message).toContain('k1s0 scheduler v2');
    expect(error.retryable).toBe(false);
  });

  it('custom metadata and the bearer token reach the server', async () => {
    const seen = recordingInterceptor();
    const server = await serve({ interceptors: [seen.interceptor] });
    let issued = 0;
    const client = connect({
      address: server.address,
      metadata: async ({ method }) => ({ authorization: `Bearer token-${++issued}`, 'x-tenant': 'tier-2', 'x-method': method }),
    });
    const job = await client.createJob(request());
    await client.getJob(job.id);
    expect(seen.calls.map((c) => c.metadata.get('authorization')[0])).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(seen.calls.every((c) => c.metadata.get('x-tenant')[0] === 'tier-2')).toBe(true);
    expect(seen.calls[1]!.metadata.get('x-method')[0]).toBe('/k1s0.system.scheduler.v2.SchedulerService/GetJob');
    const statics = connect({ address: server.address, metadata: { 'x-static': 'yes' } });
    await statics.getJob(job.id);
    expect(seen.calls.at(-1)!.metadata.get('x-static')).toEqual(['yes']);
  });

  it('a failing metadata provider fails the call with a SchedulerError, and the token never appears in messages', async () => {
    const server = await serve();
    const client = connect({
      address: server.address,
      metadata: () => {
        throw new Error('vault is sealed');
      },
    });
    const error = await expectCode(client.listJobs(), 'SERVER_ERROR');
    expect(error.message).toContain('metadata provider failed: vault is sealed');
    const secret = connect({ address: server.address, metadata: { authorization: 'Bearer s3cr3t-t0ken' } });
    const notFound = await expectCode(secret.getJob('missing'), 'JOB_NOT_FOUND');
    expect(notFound.message).not.toContain('s3cr3t');
  });

  it('bad input never reaches the network', async () => {
    const seen = recordingInterceptor();
    const server = await serve({ interceptors: [seen.interceptor] });
    const client = connect(server.address);
    await expectCode(client.createJob({ ...request(), name: '' }), 'INVALID_ARGUMENT');
    await expectCode(client.createJob({ ...request(), schedule: Schedule.cron('nope') }), 'INVALID_SCHEDULE');
    await expectCode(client.getJob(''), 'INVALID_ARGUMENT');
    await expectCode(client.listJobs({ namePrefix: 'x'.repeat(200) }), 'INVALID_ARGUMENT');
    expect(seen.calls).toEqual([]);
  });

  it('calls after close() fail with a SchedulerError', async () => {
    const server = await serve();
    const client = new GrpcSchedulerClient(server.address);
    await client.createJob(request());
    await client.close();
    await client.close(); // idempotent
    const error = await expectCode(client.listJobs(), 'SERVER_ERROR');
    expect(error.message).toContain('closed');
    const unused = new GrpcSchedulerClient(server.address);
    await unused.close();
    await expectCode(unused.getJob('x'), 'SERVER_ERROR');
  });

  it('supports await using', async () => {
    const server = await serve();
    let captured: GrpcSchedulerClient;
    {
      await using client = new GrpcSchedulerClient(server.address);
      captured = client;
      await client.createJob(request());
    }
    await expectCode(captured.listJobs(), 'SERVER_ERROR');
  });

  it('lists every job across pages and iterates lazily', async () => {
    const server = await serve();
    const client = connect(server.address);
    const ids: string[] = [];
    for (let i = 0; i < 2500; i++) ids.push((await client.createJob(request(`bulk-${i}`))).id);
    expect((await client.listJobs()).map((j) => j.id)).toEqual(ids);
    const firstTen: string[] = [];
    for await (const job of client.iterateJobs({ namePrefix: 'bulk-1' }, { pageSize: 7 })) {
      firstTen.push(job.name);
      if (firstTen.length === 10) break;
    }
    expect(firstTen).toEqual(['bulk-1', 'bulk-10', 'bulk-11', 'bulk-12', 'bulk-13', 'bulk-14', 'bulk-15', 'bulk-16', 'bulk-17', 'bulk-18']);
    await expect(async () => {
      for await (const _ of client.iterateJobs({}, { pageSize: 0 })) break;
    }).rejects.toThrow(/pageSize/);
  });

  it('a loop that breaks early fetches no further page', async () => {
    const seen = recordingInterceptor();
    const server = await serve({ interceptors: [seen.interceptor] });
    const client = connect(server.address);
    for (let i = 0; i < 10; i++) await client.createJob(request(`page-${i}`));
    let n = 0;
    for await (const _ of client.iterateJobs({}, { pageSize: 3 })) if (++n === 4) break;
    expect(seen.calls.filter((c) => c.method.endsWith('/ListJobs')).length).toBe(2);
  });

  it('a client and server round trip prints no warning, over plaintext, TLS to an IP address and mutual TLS', async () => {
    // The built package, in a child process of its own: Node prints each deprecation once per process.
    const pki = generatePki();
    const script = `
      import { GrpcSchedulerClient, Schedule } from './dist/index.js';
      import { startSchedulerServer, VirtualClock } from './dist/testing.js';
      const warnings = [];
      process.on('warning', (w) => warnings.push(w.name + ' ' + (w.code ?? '') + ': ' + w.message));
      const pki = JSON.parse(process.env.K1S0_TEST_PKI);
      const plain = await startSchedulerServer({ clock: new VirtualClock() });
      const tls = await startSchedulerServer({ clock: new VirtualClock(), tls: { cert: pki.serverCert, key: pki.serverKey } });
      const mtls = await startSchedulerServer({ clock: new VirtualClock(), tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca } });
      const targets = [
        plain.address,
        { address: 'https://127.0.0.1:' + tls.port, credentials: { ca: pki.ca } },
        { address: 'https://localhost:' + tls.port, credentials: { ca: pki.ca } },
        { address: '127.0.0.1:' + mtls.port, credentials: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } },
      ];
      let calls = 0;
      for (const target of targets) {
        const client = new GrpcSchedulerClient(target);
        const job = await client.createJob({ name: 'quiet', schedule: Schedule.interval(60000), payload: { a: [1] } });
        await client.getJob(job.id);
        await client.listJobs();
        await client.getJob('missing').catch(() => undefined);
        await client.close();
        calls += 4;
      }
      const refused = new GrpcSchedulerClient({ address: 'https://127.0.0.1:' + tls.port, credentials: { ca: pki.ca }, retry: false });
      await tls.close();
      await refused.listJobs().catch(() => undefined);
      await refused.close();
      await plain.close();
      await mtls.close();
      await new Promise((resolve) => setImmediate(resolve));
      console.log(JSON.stringify({ calls, warnings }));
    `;
    const { stdout, stderr } = await run(process.execPath, ['--trace-deprecation', '--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, K1S0_TEST_PKI: JSON.stringify(pki), NODE_OPTIONS: '' },
      timeout: 60_000,
    });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ calls: 16, warnings: [] });
    expect(stderr).not.toMatch(/Warning/);
  }, 60_000);

  describe('TLS', () => {
    const pki = generatePki();
    const wrong = generatePki('some other CA');

    it('works with a CA generated in the test, including mutual TLS', async () => {
      const server = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey } });
      const port = server.port;
      const client = connect({ address: `https://localhost:${port}`, credentials: { ca: pki.ca } });
      const job = await client.createJob(request('over-tls'));
      expect((await client.getJob(job.id)).name).toBe('over-tls');

      const mutual = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca } });
      const withCert = connect({ address: `127.0.0.1:${mutual.port}`, credentials: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
      expect((await withCert.createJob(request('mtls'))).name).toBe('mtls');
      const withoutCert = connect({ address: `127.0.0.1:${mutual.port}`, credentials: { ca: pki.ca }, retry: false, defaultTimeoutMs: 3000 });
      const refused = await expectCode(withoutCert.listJobs(), 'SERVER_ERROR');
      expect(refused.message).toBe(`listJobs: TLS handshake with 127.0.0.1:${mutual.port} failed: the server requires a client certificate`);
      expect((refused.cause as grpc.ServiceError).details).toMatch(/certificate required/);
    });

    it('checks the server certificate against an IP address', async () => {
      const named = generatePki('k1s0 test CA', ['DNS:localhost']);
      const server = await serve({ tls: { cert: named.serverCert, key: named.serverKey } });
      const byName = connect({ address: `https://localhost:${server.port}`, credentials: { ca: named.ca } });
      expect((await byName.createJob(request('by-name'))).name).toBe('by-name');
      const byIp = connect({ address: `https://127.0.0.1:${server.port}`, credentials: { ca: named.ca }, retry: false });
      const error = await expectCode(byIp.listJobs(), 'SERVER_ERROR');
      expect(error.message).toBe(`listJobs: TLS handshake with 127.0.0.1:${server.port} failed: the server certificate does not name this host`);
      const overridden = connect({ address: `https://127.0.0.1:${server.port}`, credentials: { ca: named.ca, serverName: 'localhost' } });
      expect((await overridden.createJob(request('override'))).name).toBe('override');
    });

    it('fails clearly with the wrong CA, and a plaintext client cannot talk to a TLS server', async () => {
      const server = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey } });
      const client = connect({ address: `https://localhost:${server.port}`, credentials: { ca: wrong.ca }, retry: false });
      const error = await expectCode(client.listJobs(), 'SERVER_ERROR');
      expect(error.message).toContain(`localhost:${server.port}`);
      expect(error.message.toLowerCase()).toMatch(/certificate|ssl|tls|handshake/);
      expect(error.message).toBe(`listJobs: TLS handshake with localhost:${server.port} failed: certificate not trusted`);
      expect((error.cause as grpc.ServiceError).details).toMatch(/unable to verify/);
      const plain = connect({ address: `http://localhost:${server.port}`, retry: false, defaultTimeoutMs: 3000 });
      const plainError = await expectCode(plain.listJobs(), 'SERVER_ERROR');
      expect(plainError.message).toMatch(/^listJobs: cannot connect to localhost:\d+: .*does it expect TLS\?$/);
      const plaintextServer = await serve();
      const tlsToPlain = connect({ address: `https://localhost:${plaintextServer.port}`, credentials: { ca: pki.ca }, retry: false });
      const tlsError = await expectCode(tlsToPlain.listJobs(), 'SERVER_ERROR');
      expect(tlsError.message).toBe(`listJobs: TLS handshake with localhost:${plaintextServer.port} failed: the server does not speak TLS`);
      expect((tlsError.cause as grpc.ServiceError).details).toMatch(/wrong version number/); // the OpenSSL detail stays in cause
      for (const e of [error, plainError, tlsError]) expect(e.message).not.toMatch(RAW_TRANSPORT_TEXT);
    });
  });

  it('10,000 sequential calls on one client leave heap growth under 5 MiB after GC', async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', '__tests__/support/heap-probe.ts'], { timeout: 120_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { calls: number; growth: number };
    expect(result.calls).toBe(10_000);
    expect(result.growth).toBeLessThan(5 * 1024 * 1024);
  }, 120_000);
});
