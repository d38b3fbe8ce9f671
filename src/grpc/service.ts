import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as HealthProto } from '../generated/health';
import type { ProtoGrpcType as SchedulerProto } from '../generated/scheduler';
import { PROTO_FILES, protoRoot } from '../wire/proto-files.js';
import { WIRE_OBJECT_OPTIONS } from '../wire/proto.js';

/** The gRPC service name of the scheduler. */
export const SCHEDULER_SERVICE = 'k1s0.system.scheduler.v2.SchedulerService';

interface Loaded {
  scheduler: SchedulerProto['k1s0']['system']['scheduler']['v2'];
  health: HealthProto['grpc']['health']['v1'];
}

let loaded: Loaded | undefined;

/**
 * The service definitions, loaded once from the proto files shipped in the package, with the same
 * object options as the rest of the wire code (see WIRE_OBJECT_OPTIONS).
 */
export function services(): Loaded {
  if (loaded !== undefined) return loaded;
  const definition = protoLoader.loadSync(PROTO_FILES, { ...WIRE_OBJECT_OPTIONS, keepCase: false, includeDirs: [protoRoot()] });
  const root = grpc.loadPackageDefinition(definition) as unknown as SchedulerProto & HealthProto;
  loaded = { scheduler: root.k1s0.system.scheduler.v2, health: root.grpc.health.v1 };
  return loaded;
}

/** The RPCs of SchedulerService, by their proto name. */
export type RpcName = 'CreateJob' | 'GetJob' | 'ListJobs' | 'PauseJob' | 'ResumeJob' | 'CancelJob' | 'ListExecutions' | 'TriggerJob';

export { grpc };

/** The largest message either side accepts: a 1 MiB JSON payload can grow several times as protobuf. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
