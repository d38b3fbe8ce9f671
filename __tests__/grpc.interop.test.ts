import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { GrpcSchedulerClient, Schedule, SchedulerError, VirtualClock, type JobRequest } from '../src/index.js';
import { startSchedulerServer, type SchedulerServer, type SchedulerServerOptions } from '../src/testing.js';
import { delayInterceptor, loseResponsesInterceptor, recordingInterceptor } from './support/interceptors.js';
import { expectCode } from './support/expect-code.js';
import { generatePki } from './support/tls.js';

const run = promisify(execFile);
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(options: SchedulerServerOptions = {}): Promise<SchedulerServer> {
  const server = await startSchedulerServer({ clock: new VirtualClock(), ...options });
  cleanups.push(() => server.close({ graceMs: 100 }));
  return server;
}

function connect(options: ConstructorParameters<typeof GrpcSchedulerClient>[0]): GrpcSchedulerClient {
  const client = new GrpcSchedulerClient(options);
  cleanups.push(() => client.close());
  return client;
}

const request = (name = 'job'): JobRequest => ({ name, schedule: Schedule.interval(60_000), payload: { x: 1 } });

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
    expect(error.message).toContain('GetJob');
    expect(error.message).toContain(job.id);
    expect(error.message).toContain(server.address);
    expect(error.message).toContain('300 ms');
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
    expect(error.message).toContain('unavailable');
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
      await expectCode(withoutCert.listJobs(), 'SERVER_ERROR');
    });

    it('fails clearly with the wrong CA, and a plaintext client cannot talk to a TLS server', async () => {
      const server = await serve({ tls: { cert: pki.serverCert, key: pki.serverKey } });
      const client = connect({ address: `https://localhost:${server.port}`, credentials: { ca: wrong.ca }, retry: false });
      const error = await expectCode(client.listJobs(), 'SERVER_ERROR');
      expect(error.message).toContain(`localhost:${server.port}`);
      expect(error.message.toLowerCase()).toMatch(/certificate|ssl|tls|handshake/);
      const plain = connect({ address: `http://localhost:${server.port}`, retry: false, defaultTimeoutMs: 3000 });
      await expectCode(plain.listJobs(), 'SERVER_ERROR');
    });
  });

  it('10,000 sequential calls on one client leave heap growth under 5 MiB after GC', async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', '__tests__/support/heap-probe.ts'], { timeout: 120_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { calls: number; growth: number };
    expect(result.calls).toBe(10_000);
    expect(result.growth).toBeLessThan(5 * 1024 * 1024);
  }, 120_000);
});
