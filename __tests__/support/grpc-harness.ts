import { afterEach } from 'vitest';
import { GrpcSchedulerClient, VirtualClock } from '../../src/index.js';
import { startSchedulerServer, type SchedulerServer, type SchedulerServerOptions } from '../../src/testing.js';
import { rawClient } from './raw-client.js';

/**
 * What the gRPC test files share: a reference server on a virtual clock, clients of it, and raw
 * clients, each closed after the test that made it (in reverse order), with `cleanups` for anything
 * else a test opens. Call once at the top of a test file.
 */
export function grpcHarness() {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    cleanups,
    /** A reference server on 127.0.0.1 and an ephemeral port, on a VirtualClock unless `options.clock` says otherwise. */
    async serve(options: SchedulerServerOptions = {}): Promise<SchedulerServer> {
      const server = await startSchedulerServer({ clock: new VirtualClock(), ...options });
      cleanups.push(() => server.close({ graceMs: 100 }));
      return server;
    },
    /** A GrpcSchedulerClient. */
    connect(options: ConstructorParameters<typeof GrpcSchedulerClient>[0]): GrpcSchedulerClient {
      const client = new GrpcSchedulerClient(options);
      cleanups.push(() => client.close());
      return client;
    },
    /** A raw client that sends requests as given (see raw-client.ts). */
    raw(address: string): ReturnType<typeof rawClient> {
      const r = rawClient(address);
      cleanups.push(() => r.close());
      return r;
    },
  };
}
