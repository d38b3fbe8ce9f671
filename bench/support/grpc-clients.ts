// The two clients the gRPC benchmark compares, making identical requests: the SDK, and a raw
// grpc-js client made from the same proto with no SDK layer (same loader options, same deadline).
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { GrpcSchedulerClient, Schedule } from '../../src/index.js';

/** One operation under test. */
export type Op = 'getJob' | 'createJob';
/** Which client. */
export type Mode = 'sdk' | 'raw';

const DEADLINE_MS = 10_000; // the SDK's default deadline, given to the raw client too

/** A client that makes one call of an operation. */
export interface BenchClient {
  call(op: Op): Promise<void>;
  close(): void;
}

const createRequest = () => ({ name: 'bench', schedule: Schedule.interval(3_600_000), payload: { k: 'v', n: 1 } });

export function sdkClient(address: string, jobId: string): BenchClient {
  const client = new GrpcSchedulerClient(address);
  return {
    call: async (op) => {
      if (op === 'getJob') await client.getJob(jobId);
      else await client.createJob(createRequest());
    },
    close: () => void client.close(),
  };
}

export function rawClient(address: string, jobId: string): BenchClient {
  const definition = protoLoader.loadSync('k1s0/system/scheduler/v2/scheduler.proto', {
    includeDirs: [join(import.meta.dirname, '..', '..', 'proto')],
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const root = grpc.loadPackageDefinition(definition) as unknown as Record<string, any>;
  const Service = root.k1s0.system.scheduler.v2.SchedulerService as typeof grpc.Client;
  const client = new Service(address, grpc.credentials.createInsecure()) as grpc.Client & Record<string, Function>;
  const unary = (method: string, request: object): Promise<void> =>
    new Promise((resolve, reject) => {
      client[method]!(request, new grpc.Metadata(), { deadline: Date.now() + DEADLINE_MS }, (error: Error | null) => (error ? reject(error) : resolve()));
    });
  return {
    call: (op) =>
      op === 'getJob'
        ? unary('GetJob', { jobId })
        : unary('CreateJob', {
            name: 'bench',
            schedule: { interval: { every: { seconds: '3600', nanos: 0 } } },
            payload: { structValue: { fields: { k: { stringValue: 'v' }, n: { numberValue: 1 } } } },
            requestId: randomUUID(),
          }),
    close: () => client.close(),
  };
}

export function makeClient(mode: Mode, address: string, jobId: string): BenchClient {
  return mode === 'sdk' ? sdkClient(address, jobId) : rawClient(address, jobId);
}

/** Keeps `inFlight` calls going for `ms`, returns how many completed. */
export async function saturate(client: BenchClient, op: Op, inFlight: number, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      await client.call(op);
      done++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return done;
}
