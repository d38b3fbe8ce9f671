// A completion source that tests drive by hand, for the in-memory subscriber.
import type { CompletionSource, JobCompletedEvent, RawEventMessage } from '../../src/index.js';
import { encodeEvent } from '../../src/kafka/codec.js';

/**
 * A completion source that a test drives by hand, so it can emit anything, duplicates included,
 * and raw wire-format messages, malformed ones included.
 */
export class FakeSource implements CompletionSource {
  private readonly listeners = new Set<(event: JobCompletedEvent) => void>();
  private readonly rawListeners = new Set<(raw: RawEventMessage) => void>();

  onCompleted(listener: (event: JobCompletedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onRawMessage(listener: (raw: RawEventMessage) => void): () => void {
    this.rawListeners.add(listener);
    return () => this.rawListeners.delete(listener);
  }

  emit(...events: JobCompletedEvent[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event);
  }

  emitRaw(value: string | Buffer | null, headers: Record<string, string> = { 'content-type': 'application/json' }): void {
    const raw: RawEventMessage = { key: null, value: typeof value === 'string' ? Buffer.from(value) : value, headers };
    for (const listener of this.rawListeners) listener(raw);
  }

  /** An event as a producer writes it to Kafka. */
  emitEncoded(event: JobCompletedEvent, format: 'json' | 'protobuf' = 'json'): void {
    const m = encodeEvent(event, format);
    this.emitRaw(m.value, m.headers);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  get rawListenerCount(): number {
    return this.rawListeners.size;
  }
}
