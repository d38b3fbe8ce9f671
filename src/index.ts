// @k1s0/scheduler-client: the public API. Everything a service needs is exported by name here;
// generated wire types are never re-exported.

// --- The clients -----------------------------------------------------------------------------------
export type { SchedulerClient } from './client.js';
export type {
  ApplyJobOptions,
  ApplySchedulesOptions,
  CallOptions,
  DescribeOptions,
  NoteOptions,
  PageOptions,
  RevisionOptions,
  TriggerOptions,
  WaitOptions,
  WatchOptions,
} from './call-options.js';
export { OWNER_LABEL, ScheduleDiff, type ScheduleDiffAction, type ScheduleDiffEntry } from './apply-schedules.js';
export type { Logger } from './logger.js';
export { InMemorySchedulerClient, type InMemorySchedulerClientOptions } from './in-memory-client.js';
export { GrpcSchedulerClient } from './grpc-client.js';
export type {
  GrpcSchedulerClientOptions,
  GrpcTlsCredentials,
  KeepaliveOptions,
  MetadataSource,
  RetryOptions,
} from './grpc/options.js';

// --- The domain ------------------------------------------------------------------------------------
export type {
  ApplyJobResult,
  ExecutionResult,
  Job,
  JobCompletedEvent,
  JobDescription,
  JobExecution,
  JobFilter,
  JobRef,
  JobRequest,
  JobSpec,
  JobSpecField,
  JobStats,
  JobStatus,
  JsonValue,
  KeyedJobSpec,
  Timestamp,
} from './types.js';
export { formatTimestamp, parseTimestamp } from './timestamp.js';
export {
  DEFAULT_RETRY_BACKOFF,
  MAX_RUNS_IN_PROGRESS,
  OVERLAP_POLICIES,
  jitterDelay,
  retryWait,
  type JobPolicy,
  type OverlapPolicy,
  type RetryBackoffPolicy,
  type SchedulePolicy,
} from './policy.js';
export { EXECUTION_RESULTS, JOB_STATUSES } from './types.js';
export { CRON_NICKNAMES, Schedule, type CronOptions } from './schedule.js';
export { nextRuns } from './next-runs.js';
export { DEFAULTS, LIMITS } from './limits.js';

// --- Errors ----------------------------------------------------------------------------------------
export { SCHEDULER_ERROR_CODES, SchedulerError, type SchedulerErrorCode, type SchedulerErrorDetails } from './errors.js';

// --- Validation (zod schemas, for checking input before it reaches a client) -----------------------
export {
  JobFilterSchema,
  JobIdSchema,
  JobKeySchema,
  JobNameSchema,
  JobRequestSchema,
  JobSpecSchema,
  JOB_SPEC_FIELDS,
  LabelsSchema,
  PayloadSchema,
  SchedulePolicySchema,
  ScheduleSchema,
  validateJobRequest,
  type ValidatedJobRequest,
  type ValidationContext,
} from './validation.js';

// --- Completion events -----------------------------------------------------------------------------
export {
  JOB_COMPLETED_TOPIC,
  type DeliveryErrorContext,
  type DeliveryOptions,
  type JobCompletedHandler,
  type JobCompletedSubscriber,
  type SubscriberState,
} from './events.js';
export {
  KafkaJobCompletedSubscriber,
  type KafkaSubscriberHealth,
  type KafkaSubscriberOptions,
  type RawKafkaMessage,
} from './kafka-subscriber.js';
export { DLQ_HEADERS } from './kafka/dead-letter.js';
export {
  InMemoryJobCompletedSubscriber,
  type CompletionSource,
  type InMemorySubscriberOptions,
} from './subscriber/in-memory-subscriber.js';
export type {
  CrashNotice,
  DeadLetteredNotice,
  InvalidNotice,
  ParkedNotice,
  RawEventMessage,
  RetryNotice,
  SubscriberEventName,
  SubscriberEvents,
} from './subscriber/types.js';

// --- Time and execution, for tests and for embedding the engine -------------------------------------
export { SystemClock, VirtualClock, type Clock, type TimerHandle } from './engine/clock.js';
export type { JobExecutor } from './engine/engine.js';
