// @k1s0/scheduler-client/testing: the reference scheduler server, for integration tests that need a
// real gRPC endpoint, and the clocks to drive it.
export {
  startSchedulerServer,
  type SchedulerServer,
  type SchedulerServerOptions,
  type ServerTlsOptions,
} from './server/reference-server.js';
export type { EventSink } from './events.js';
export type { KafkaPublisherOptions } from './server/kafka-publisher.js';
export { SystemClock, VirtualClock, type Clock } from './engine/clock.js';
export type { JobExecutor } from './engine/engine.js';
