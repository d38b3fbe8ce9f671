// The subscriber contract against the in-memory subscriber. Its source is driven by hand, and
// feeds raw wire-format messages through `onRawMessage`, so that invalid messages are the same
// bytes the Kafka target publishes.
import { InMemoryJobCompletedSubscriber, type JobCompletedEvent } from '../../src/index.js';
import { FakeSource } from './fake-source.js';
import { subscriberContract, type Stream } from './contract.js';

const open: InMemoryJobCompletedSubscriber[] = [];

subscriberContract({
  name: 'InMemoryJobCompletedSubscriber',
  caseTimeoutMs: 10_000,
  async open({ deadLetter, ...options }): Promise<Stream> {
    const source = new FakeSource();
    const dead: string[] = [];
    const subscriber = new InMemoryJobCompletedSubscriber(source, {
      ...options,
      ...(deadLetter === true ? { onDeadLetter: (event: JobCompletedEvent) => void dead.push(event.executionId) } : {}),
    });
    open.push(subscriber);
    return {
      subscriber,
      async publish(items) {
        for (const item of items) {
          if ('raw' in item) source.emitRaw(item.raw.value, item.raw.headers);
          else source.emit(item);
        }
      },
      deadLetters: async () => [...dead],
      unacknowledged: async () => subscriber.pending,
    };
  },
  async cleanup() {
    for (const subscriber of open.splice(0)) await subscriber.close();
  },
});
