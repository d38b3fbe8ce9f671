// The subscriber contract against the in-memory subscriber. Its source is driven by hand, and
// feeds raw wire-format messages through `onRawMessage`, so that invalid messages are the same
// bytes the Kafka target publishes.
import { InMemoryJobCompletedSubscriber, type CompletionSource, type JobCompletedEvent, type RawEventMessage } from '../../src/index.js';
import { subscriberContract, type Stream } from './contract.js';

class HandDrivenSource implements CompletionSource {
  readonly events = new Set<(event: JobCompletedEvent) => void>();
  readonly raws = new Set<(raw: RawEventMessage) => void>();

  onCompleted(listener: (event: JobCompletedEvent) => void): () => void {
    this.events.add(listener);
    return () => this.events.delete(listener);
  }

  onRawMessage(listener: (raw: RawEventMessage) => void): () => void {
    this.raws.add(listener);
    return () => this.raws.delete(listener);
  }
}

const open: InMemoryJobCompletedSubscriber[] = [];

subscriberContract({
  name: 'InMemoryJobCompletedSubscriber',
  caseTimeoutMs: 10_000,
  async open({ deadLetter, ...options }): Promise<Stream> {
    const source = new HandDrivenSource();
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
          if ('raw' in item) {
            const raw: RawEventMessage = { key: null, value: typeof item.raw.value === 'string' ? Buffer.from(item.raw.value) : item.raw.value, headers: item.raw.headers };
            for (const listener of source.raws) listener(raw);
          } else {
            for (const listener of source.events) listener(item);
          }
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
