import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { decodeStatus, type DecodedStatus } from '../../src/wire/status.js';

const PROTO_DIR = join(import.meta.dirname, '..', '..', 'proto');

/** The outcome of one raw call: the response, or the status and its decoded details. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are checked by the tests
export type RawResult = { ok: true; response: any } | { ok: false; code: number; details: string; status: DecodedStatus | undefined };

/**
 * A grpc-js client made straight from the proto with no SDK layer, as another language's client
 * would be: it sends whatever it is given, unvalidated.
 */
export function rawClient(address: string, service: 'scheduler' | 'health' = 'scheduler') {
  const definition = protoLoader.loadSync(
    service === 'scheduler' ? 'k1s0/system/scheduler/v2/scheduler.proto' : 'grpc/health/v1/health.proto',
    { includeDirs: [PROTO_DIR], longs: String, enums: String, defaults: true, oneofs: true },
  );
  const root = grpc.loadPackageDefinition(definition) as Record<string, any>;
  const Ctor = service === 'scheduler' ? root.k1s0.system.scheduler.v2.SchedulerService : root.grpc.health.v1.Health;
  const client = new Ctor(address, grpc.credentials.createInsecure()) as grpc.Client & Record<string, Function>;
  const call = (method: string, request: object, metadata = new grpc.Metadata()): Promise<RawResult> =>
    new Promise((resolve) => {
      client[method]!(request, metadata, { deadline: Date.now() + 10_000 }, (error: grpc.ServiceError | null, response: Record<string, unknown>) => {
        if (error === null) return resolve({ ok: true, response });
        const raw = error.metadata?.get('grpc-status-details-bin')[0];
        resolve({ ok: false, code: error.code, details: error.details, status: raw instanceof Buffer ? decodeStatus(raw) : undefined });
      });
    });
  return { client, call, close: () => client.close() };
}
