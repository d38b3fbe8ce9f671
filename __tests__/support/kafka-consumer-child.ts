// A consumer process for the crash and shutdown tests:
//
//   node --import tsx __tests__/support/kafka-consumer-child.ts '<json options>'
//
// It runs a KafkaJobCompletedSubscriber and writes one line per step to stdout with
// process.stdout.write (synchronous for pipes on Linux, so a SIGKILL loses no line that was written):
//   READY             run() resolved: the member joined the group
//   S <executionId>   the handler started on an event
//   H <executionId>   the handler finished with it (the event counts as handled)
//   E <message>       onError was told something
//   CLOSED            close() resolved after SIGTERM; the process then exits with 0
import { KafkaJobCompletedSubscriber } from '../../src/index.js';

/** What the parent passes, as JSON in argv[2]. */
export interface ChildOptions {
  brokers: string[];
  topic: string;
  groupId: string;
  /** How long the handler takes on each event, ms. */
  delayMs?: number;
  sessionTimeout?: number;
  heartbeatInterval?: number;
  closeTimeoutMs?: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const subscriber = new KafkaJobCompletedSubscriber({
  brokers: options.brokers,
  topic: options.topic,
  groupId: options.groupId,
  fromBeginning: true,
  sessionTimeout: options.sessionTimeout ?? 6_000,
  heartbeatInterval: options.heartbeatInterval ?? 1_000,
  closeTimeoutMs: options.closeTimeoutMs ?? 30_000,
  onError: (error) => say(`E ${error.message.replace(/\n/g, ' ')}`),
});

process.on('SIGTERM', () => {
  void subscriber.close().then(() => {
    say('CLOSED');
    process.exit(0);
  });
});

const delay = options.delayMs ?? 0;
await subscriber.run(async (event) => {
  say(`S ${event.executionId}`);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  say(`H ${event.executionId}`);
});
say('READY');
await subscriber.stopped.catch((error: unknown) => {
  say(`E stopped: ${String(error)}`);
  process.exit(1);
});
