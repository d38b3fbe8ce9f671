import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { optionError, type SchedulerError } from '../errors.js';
import { JOB_COMPLETED_TOPIC, type DeliveryOptions } from '../events.js';
import type { Logger } from '../logger.js';
import type { RawEventMessage } from '../subscriber/types.js';

/** A Kafka message that could not be read as a JobCompletedEvent, as `onInvalid` and the `invalid` event receive it. */
export interface RawKafkaMessage extends RawEventMessage {
  /** The topic it was read from. */
  topic: string;
  /** Its partition. */
  partition: number;
  /** Its offset, as kafkajs gives it (a decimal string). */
  offset: string;
  /** Its timestamp, ms since the epoch as a decimal string. */
  timestamp: string;
}

/** What a KafkaJobCompletedSubscriber reports about its consumer, for health checks. */
export interface KafkaSubscriberHealth {
  /** How many times the member joined the group (1 after a clean start; more after rebalances). */
  groupJoins: number;
  /** The member id from the last join. */
  memberId: string | undefined;
  /** The partitions assigned at the last join. */
  partitions: number[];
  /** Partitions paused for good because an event exhausted its attempts (no dead-letter topic). */
  parkedPartitions: number[];
  /** Partitions whose current event is being retried (paused until its next attempt, or waiting). */
  retryingPartitions: number[];
  /** Crashes of the kafkajs consumer that the subscriber restarted it from. */
  restarts: number;
  /** Events handled successfully. */
  handled: number;
  /** Messages that were not valid events (reported as `invalid`). */
  invalid: number;
  /** Messages and events sent to the dead-letter topic. */
  deadLettered: number;
}

/**
 * Options of a KafkaJobCompletedSubscriber.
 *
 * The subscriber reads batches compressed with gzip, snappy (xerial-framed or raw), lz4 (the LZ4
 * frame format) and zstd. kafkajs brings only gzip: when `run()` starts, the others are
 * registered in kafkajs's global `CompressionCodecs` (pure JavaScript, loaded on the first batch
 * that needs them), except a codec the application registered there itself, which is kept and
 * used. A batch that cannot be decompressed does not stop the subscriber: each of its records is
 * reported as an invalid event (with no key and no value, and the reason in the
 * `k1s0-decompression-error` header), dead-lettered if a dead-letter topic is set, and committed.
 */
export interface KafkaSubscriberOptions extends DeliveryOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** The consumer group; members of one group share the partitions. */
  groupId: string;
  /** The topic. @default 'k1s0.system.scheduler.job_completed.v1' */
  topic?: string;
  /** The Kafka client id. @default 'k1s0-scheduler-subscriber' */
  clientId?: string;
  /**
   * Where a consumer group with no committed offset starts: at the earliest event still in the
   * topic (`true`, Kafka's `auto.offset.reset=earliest`, as the Rust client does), so that
   * events published before the group's first join are not lost; or at the end (`false`), handling
   * only events published from then on. A group that has committed offsets always resumes from
   * them. @default true
   */
  fromBeginning?: boolean;
  /** TLS to the brokers: `true` for the system roots, or node TLS options. */
  ssl?: ConnectionOptions | boolean;
  /** SASL authentication (plain, scram-sha-256/512, aws, oauthbearer), as kafkajs takes it. */
  sasl?: SASLOptions;
  /** Other kafkajs client settings, passed through (brokers, ssl, sasl, clientId and logging above win). */
  kafka?: Partial<KafkaConfig>;
  /** The group session timeout, ms; a member silent this long is dropped. @default 30000 */
  sessionTimeout?: number;
  /** How often the member heartbeats, ms; must be below a third of sessionTimeout. @default 3000 */
  heartbeatInterval?: number;
  /**
   * Partitions whose handlers run at the same time (one event at a time within a partition). Each
   * partition is worked on by itself: a slow handler holds only its own partition (paused while it
   * works) and one of these slots, never the fetching of the others. @default 4
   */
  partitionsConsumedConcurrently?: number;
  /**
   * Where events go that the handler gave up on, and messages that are not valid events, with the
   * original topic, partition, offset and error in headers. Without it, a failing event pauses its
   * partition (and `onError` is told); it is never skipped.
   */
  deadLetterTopic?: string;
  /**
   * Told of every message that is not a valid event (bad JSON, wrong schema, empty value, unknown
   * content type). The message is then dead-lettered (if a topic is set) and committed, so the
   * partition keeps flowing. Without it, `onError` is told instead. Must not throw.
   */
  onInvalid?: (raw: RawKafkaMessage, error: SchedulerError) => void;
  /** Receives kafkajs's own log lines, and the subscriber's. @default none */
  logger?: Logger;
  /** Aborting it closes the subscriber. */
  signal?: AbortSignal;
  /** How long `close()` waits for the running handler and for leaving the group, ms. @default 30000 */
  closeTimeoutMs?: number;
  /**
   * How long `run()` keeps trying to reach the brokers (connect and subscribe), ms; each failed
   * try is reported to `onError` (action `retrying`). After that, `run()` rejects with a retryable
   * `SERVER_ERROR` that names the brokers, and `state` becomes `failed`. Joining the group once
   * connected is not bounded by it (a join may wait for other members). @default 30000
   */
  connectTimeoutMs?: number;
  /**
   * The first wait before reconnecting to a broker that cannot be reached (or retrying a request
   * that failed with a transient error), ms; each further wait doubles, up to `reconnectMaxMs`.
   * The member keeps its place in the group while it reconnects, so once a broker answers again
   * consuming resumes within about `reconnectMaxMs`. @default 100
   */
  reconnectInitialMs?: number;
  /** The longest wait between reconnect attempts, ms (Kafka's `reconnect.backoff.max.ms`). @default 1000 */
  reconnectMaxMs?: number;
}

/** Options after defaults. */
export type ResolvedKafkaOptions = Required<
  Pick<KafkaSubscriberOptions, 'topic' | 'clientId' | 'fromBeginning' | 'sessionTimeout' | 'heartbeatInterval' | 'partitionsConsumedConcurrently' | 'closeTimeoutMs' | 'connectTimeoutMs' | 'reconnectInitialMs' | 'reconnectMaxMs'>
> &
  KafkaSubscriberOptions;

const invalid = (field: string, limit: string, got: unknown): SchedulerError => optionError('KafkaJobCompletedSubscriber', field, limit, got);

/** Applies defaults and rejects bad combinations at construction. */
export function resolveKafkaOptions(options: KafkaSubscriberOptions): ResolvedKafkaOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options', 'an object', options);
  if (!Array.isArray(options.brokers) || options.brokers.length === 0 || !options.brokers.every((b) => typeof b === 'string' && /^\S+:\d+$/.test(b))) {
    throw invalid('brokers', 'a non-empty list of host:port', options.brokers);
  }
  if (typeof options.groupId !== 'string' || options.groupId === '') throw invalid('groupId', 'a non-empty string', options.groupId);
  const resolved: ResolvedKafkaOptions = {
    ...options,
    topic: options.topic ?? JOB_COMPLETED_TOPIC,
    clientId: options.clientId ?? 'k1s0-scheduler-subscriber',
    fromBeginning: options.fromBeginning ?? true,
    sessionTimeout: options.sessionTimeout ?? 30_000,
    heartbeatInterval: options.heartbeatInterval ?? 3_000,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
    closeTimeoutMs: options.closeTimeoutMs ?? 30_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
    reconnectInitialMs: options.reconnectInitialMs ?? 100,
    reconnectMaxMs: options.reconnectMaxMs ?? 1_000,
  };
  if (typeof resolved.topic !== 'string' || resolved.topic === '') throw invalid('topic', 'a non-empty string', resolved.topic);
  if (!(resolved.sessionTimeout >= 1000)) throw invalid('sessionTimeout', '>= 1000 ms', resolved.sessionTimeout);
  if (!(resolved.heartbeatInterval > 0 && resolved.heartbeatInterval * 3 <= resolved.sessionTimeout)) {
    throw invalid('heartbeatInterval', 'positive and at most a third of sessionTimeout', resolved.heartbeatInterval);
  }
  if (!Number.isInteger(resolved.partitionsConsumedConcurrently) || resolved.partitionsConsumedConcurrently < 1) {
    throw invalid('partitionsConsumedConcurrently', 'an integer >= 1', resolved.partitionsConsumedConcurrently);
  }
  if (resolved.deadLetterTopic !== undefined && (resolved.deadLetterTopic === '' || resolved.deadLetterTopic === resolved.topic)) {
    throw invalid('deadLetterTopic', 'a topic other than the one consumed', resolved.deadLetterTopic);
  }
  if (!(resolved.closeTimeoutMs > 0)) throw invalid('closeTimeoutMs', '> 0', resolved.closeTimeoutMs);
  if (!(resolved.connectTimeoutMs > 0 && resolved.connectTimeoutMs <= 2_147_483_647)) throw invalid('connectTimeoutMs', '> 0 and at most 2147483647 ms', resolved.connectTimeoutMs);
  if (!(Number.isInteger(resolved.reconnectInitialMs) && resolved.reconnectInitialMs >= 1 && resolved.reconnectInitialMs <= 60_000)) {
    throw invalid('reconnectInitialMs', 'an integer from 1 to 60000 ms', resolved.reconnectInitialMs);
  }
  if (!(Number.isInteger(resolved.reconnectMaxMs) && resolved.reconnectMaxMs >= resolved.reconnectInitialMs && resolved.reconnectMaxMs <= 60_000)) {
    throw invalid('reconnectMaxMs', 'an integer from reconnectInitialMs to 60000 ms', resolved.reconnectMaxMs);
  }
  return resolved;
}
