import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { HealthDefinition } from '../generated/grpc/health/v1/Health';
import type { SchedulerServiceDefinition } from '../generated/k1s0/system/scheduler/v2/SchedulerService';
import { PROTO_FILES, protoRoot } from '../wire/proto-files.js';
import { WIRE_OBJECT_OPTIONS } from '../wire/proto.js';

/** The proto package of the scheduler's messages and service. */
export const SCHEDULER_PACKAGE = 'k1s0.system.scheduler.v2';
/** The gRPC service name of the scheduler. */
export const SCHEDULER_SERVICE = `${SCHEDULER_PACKAGE}.SchedulerService`;
const HEALTH_SERVICE = 'grpc.health.v1.Health';

/** The unary RPCs of SchedulerService, by their proto name. */
export const RPC_NAMES = ['CreateJob', 'GetJob', 'ListJobs', 'PauseJob', 'ResumeJob', 'CancelJob', 'ListExecutions', 'TriggerJob', 'ApplyJob', 'UpdateJob', 'DeleteJob', 'DescribeJob'] as const;

/** The server-streaming RPCs of SchedulerService, by their proto name. */
export const STREAMING_RPC_NAMES = ['WatchExecutions'] as const;

/** The name of one unary RPC of SchedulerService. */
export type RpcName = (typeof RPC_NAMES)[number];

/** The name of one server-streaming RPC of SchedulerService. */
export type StreamingRpcName = (typeof STREAMING_RPC_NAMES)[number];

/** The name of any RPC of SchedulerService, unary or streaming. */
export type AnyRpcName = RpcName | StreamingRpcName;

// Every RPC's four message types, read off the generated service definition:
// MethodDefinition<request as sent, response as sent, request as decoded, response as decoded>.
// For a streaming RPC, the response types are those of one message of the stream.
type MethodOf<R extends AnyRpcName> = SchedulerServiceDefinition[R];

/** The request of an RPC as a client sends it (generated `XRequest`). */
export type RpcRequest<R extends AnyRpcName> = MethodOf<R> extends protoLoader.MethodDefinition<infer T, object, object, object> ? T : never;
/** The response of an RPC (one message of a stream) as a client decodes it (generated `XResponse__Output`). */
export type RpcResponse<R extends AnyRpcName> = MethodOf<R> extends protoLoader.MethodDefinition<object, object, object, infer T> ? T : never;
/** The request of an RPC as a server decodes it (generated `XRequest__Output`). */
export type RpcServerRequest<R extends AnyRpcName> = MethodOf<R> extends protoLoader.MethodDefinition<object, object, infer T, object> ? T : never;
/** The response of an RPC (one message of a stream) as a server sends it (generated `XResponse`). */
export type RpcServerResponse<R extends AnyRpcName> = MethodOf<R> extends protoLoader.MethodDefinition<object, infer T, object, object> ? T : never;

/**
 * The typed stub: every RPC of SchedulerService mapped to its method definition, with the
 * generated request and response types. Indexing it with a generic RPC name keeps the types tied
 * to that RPC, so a call cannot pass one RPC's request to another.
 */
export type SchedulerMethods = {
  [R in AnyRpcName]: protoLoader.MethodDefinition<RpcRequest<R>, RpcServerResponse<R>, RpcServerRequest<R>, RpcResponse<R>>;
};

interface Loaded {
  scheduler: SchedulerServiceDefinition;
  health: HealthDefinition;
}

let loaded: Loaded | undefined;

/**
 * The service definitions, loaded once from the proto files shipped in the package, with the same
 * object options as the rest of the wire code (see WIRE_OBJECT_OPTIONS).
 */
export function services(): Loaded {
  if (loaded !== undefined) return loaded;
  const definition = protoLoader.loadSync(PROTO_FILES, { ...WIRE_OBJECT_OPTIONS, keepCase: false, includeDirs: [protoRoot()] });
  const scheduler = definition[SCHEDULER_SERVICE];
  const health = definition[HEALTH_SERVICE];
  if (!isSchedulerService(scheduler)) throw new Error(`@k1s0/scheduler-client: the shipped proto does not define ${SCHEDULER_SERVICE} with ${[...RPC_NAMES, ...STREAMING_RPC_NAMES].join(', ')}`);
  if (!isHealthService(health)) throw new Error(`@k1s0/scheduler-client: the shipped proto does not define ${HEALTH_SERVICE}`);
  loaded = { scheduler, health };
  return loaded;
}

/** The method definitions of SchedulerService, typed per RPC. */
export function schedulerMethods(): SchedulerMethods {
  return services().scheduler;
}

function isService(definition: protoLoader.AnyDefinition | undefined, methods: readonly string[]): definition is protoLoader.ServiceDefinition {
  if (definition === undefined || 'format' in definition) return false;
  return methods.every((name) => typeof definition[name]?.path === 'string' && typeof definition[name]?.requestSerialize === 'function');
}

function isSchedulerService(definition: protoLoader.AnyDefinition | undefined): definition is SchedulerServiceDefinition & protoLoader.ServiceDefinition {
  return isService(definition, [...RPC_NAMES, ...STREAMING_RPC_NAMES]);
}

function isHealthService(definition: protoLoader.AnyDefinition | undefined): definition is HealthDefinition & protoLoader.ServiceDefinition {
  return isService(definition, ['Check', 'Watch']);
}

export { grpc };

/** The largest message either side accepts: a 1 MiB JSON payload can grow several times as protobuf. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
