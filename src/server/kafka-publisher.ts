// Publishes JobCompletedEvents to Kafka for the reference server. Loaded only when the server is
// given `kafka` options.
import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type CompressionTypes, type KafkaConfig, type LogEntry, type Producer, type SASLOptions } from 'kafkajs';
import { optionError, SchedulerError } from '../errors.js';
import { JOB_COMPLETED_TOPIC } from '../events.js';
import type { EventSink } from '../events.js';
import type { Logger } from '../logger.js';
import { sleep } from '../sleep.js';
import type { JobCompletedEvent } from '../types.js';
import { encodeEvent } from '../kafka/codec.js';
import { compressionType, PUBLISHER_COMPRESSIONS, registerCompressionCodecs, type PublisherCompression } from '../kafka/compression.js';

/** Where and how the reference server publishes completion events. */
export interface KafkaPublisherOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** @default 'k1s0.system.scheduler.job_completed.v1' */
  topic?: string;
  /** @default 'k1s0-scheduler-server' */
  clientId?: string;
  /** Value encoding: the snake_case JSON of the proto docs, or binary protobuf. @default 'json' */
  format?: 'json' | 'protobuf';
  /**
   * How record batches are compressed: `'none'`, or one of the four codecs every subscriber must
   * read (`'gzip'`, `'snappy'` in the xerial framing, `'lz4'` as an LZ4 frame, `'zstd'` at level
   * 3). Anything else is refused with `INVALID_ARGUMENT`. A codec the application registered in
   * kafkajs's `CompressionCodecs` itself is used instead of the package's. @default 'none'
   */
  compression?: PublisherCompression;
  /** TLS to the brokers. */
  ssl?: ConnectionOptions | boolean;
  /** SASL authentication. */
  sasl?: SASLOptions;
  /** Other kafkajs client settings, passed through. */
  kafka?: Partial<KafkaConfig>;
  /** Receives kafkajs's log lines and publishing failures. @default none */
  logger?: Logger;
}

const MAX_BATCH = 500;
/**
 * Kafka refuses a record batch larger than its message.max.bytes (1 MiB by default), and an event
 * may carry up to 4 KiB of error text: 500 such events would be refused on every retry, and the
 * queue behind them would never move. Batches stay well below the limit.
 */
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * An idempotent kafkajs producer (`acks: -1`, one request in flight, so per-job order holds) fed
 * by the scheduler engine. Events queue while Kafka is unreachable and are sent when it returns;
 * `close()` flushes what is queued.
 */
export class KafkaEventPublisher implements EventSink {
  private readonly producer: Producer;
  private readonly queue: JobCompletedEvent[] = [];
  private readonly topic: string;
  private readonly format: 'json' | 'protobuf';
  private readonly compression: CompressionTypes;
  private wake: (() => void) | undefined;
  private closing = false;
  private readonly loop: Promise<void>;
  /** How many events were sent. */
  sent = 0;

  constructor(private readonly options: KafkaPublisherOptions) {
    this.topic = options.topic ?? JOB_COMPLETED_TOPIC;
    this.format = options.format ?? 'json';
    const compression = options.compression === undefined ? 'none' : options.compression;
    if (!(PUBLISHER_COMPRESSIONS as readonly unknown[]).includes(compression)) {
      throw optionError('startSchedulerServer', 'kafka.compression', `one of ${PUBLISHER_COMPRESSIONS.map((c) => `'${c}'`).join(', ')}`, compression);
    }
    this.compression = compressionType(compression);
    if (compression !== 'none' && compression !== 'gzip') registerCompressionCodecs();
    const kafka = new Kafka({
      ...options.kafka,
      clientId: options.clientId ?? 'k1s0-scheduler-server',
      brokers: options.brokers,
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
      ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
      logLevel: options.logger === undefined ? logLevel.NOTHING : logLevel.WARN,
      logCreator: () => (entry: LogEntry) => options.logger?.[entry.level === logLevel.ERROR ? 'error' : 'warn']?.(`[kafkajs ${entry.namespace}] ${entry.log.message}`),
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    this.loop = this.run();
  }

  /** Queues an event; never throws. */
  publish(event: JobCompletedEvent): void {
    this.queue.push(event);
    this.wake?.();
  }

  /** How many events wait to be sent. */
  get pending(): number {
    return this.queue.length;
  }

  private async run(): Promise<void> {
    let connected = false;
    for (let failures = 0; ; ) {
      if (this.queue.length === 0) {
        if (this.closing) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      try {
        if (!connected) {
          await this.producer.connect();
          connected = true;
        }
        const messages: { key: string; value: Buffer; headers: Record<string, string> }[] = [];
        let bytes = 0;
        for (const event of this.queue) {
          if (messages.length === MAX_BATCH) break;
          const m = encodeEvent(event, this.format);
          const size = m.value.length + Buffer.byteLength(m.key) + 64;
          if (messages.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
          messages.push(m);
          bytes += size;
        }
        await this.producer.send({ topic: this.topic, acks: -1, compression: this.compression, messages });
        this.queue.splice(0, messages.length);
        this.sent += messages.length;
        failures = 0;
      } catch (error) {
        failures++;
        this.options.logger?.warn?.(`could not publish ${this.queue.length} completion event(s) yet; retrying`, { error: String(error), failures });
        if (this.closing && failures >= 3) break;
        await sleep(Math.min(100 * 2 ** failures, 5_000));
      }
    }
    if (connected) await this.producer.disconnect().catch(() => {});
  }

  /** Sends what is queued (trying a few more times if Kafka is down), then disconnects. */
  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.loop;
    if (this.queue.length > 0) {
      throw new SchedulerError('SERVER_ERROR', `${this.queue.length} completion event(s) could not be published to '${this.topic}' before shutdown`);
    }
  }
}
