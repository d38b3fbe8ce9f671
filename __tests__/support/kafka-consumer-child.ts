// A consumer process for the crash and shutdown tests:
//
//   node --import tsx __tests__/support/kafka-consumer-child.ts '<json options>'
//
// It runs a KafkaJobCompletedSubscriber and writes one line per step to stdout with
// process.stdout.write (synchronous for pipes on Linux, so a SIGKILL loses no line that was written):
//   BASELINE <json>   process.getActiveResourcesInfo() before the subscriber was created
//   READY             run() resolved: the member joined the group
//   S <executionId>   the handler started on an event
//   H <executionId>   the handler finished with it (the event counts as handled)
//   E <message>       onError was told something
//   CLOSED            close() resolved after SIGTERM; the process then exits with 0
//   CLOSE_SETTLED <epoch ms> <close ms> <json>
//                     with `closeOnSignal`: close() settled after SIGUSR2, at that time, after so
//                     long, with process.getActiveResourcesInfo() at that moment. The process then
//                     calls no process.exit: it must exit by itself, once nothing holds it.
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
  /**
   * SIGUSR2 calls close(); when it settles the child prints CLOSE_SETTLED and lets the process
   * end on its own (no process.exit), so a test sees whether close() left anything behind.
   */
  closeOnSignal?: boolean;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
say(`BASELINE ${JSON.stringify(process.getActiveResourcesInfo())}`);

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

const onTerm = (): void => {
  void subscriber.close().then(() => {
    say('CLOSED');
    process.exit(0);
  });
};
process.on('SIGTERM', onTerm);
if (options.closeOnSignal === true) {
  process.once('SIGUSR2', () => {
    process.off('SIGTERM', onTerm);
    const t0 = Date.now();
    const settled = (): void => {
      const at = Date.now();
      say(`CLOSE_SETTLED ${at} ${at - t0} ${JSON.stringify(process.getActiveResourcesInfo())}`);
    };
    subscriber.close().then(settled, (error: unknown) => {
      say(`E close: ${String(error)}`);
      settled();
    });
  });
}

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
