// The subscriber contract: the same cases, run against every JobCompletedSubscriber (the in-memory
// one, and the Kafka one on a real broker), so that a worker tested against the in-memory
// subscriber meets the same behaviour in production.
//
// Every wait is on something the subscriber does (a handler call, an outcome event, close()); a
// case that never gets there fails at its timeout. Nothing sleeps, and nothing compares clocks.
//
// Invalid messages: the in-memory target takes the same bytes as the Kafka one, through its
// source's `onRawMessage`, and decodes them with the same codec. What the contract leaves out,
// because only one of the two can do it:
// - copying an invalid message to a dead-letter topic (`onDeadLetter` takes events, not bytes):
//   the invalid cases run without a dead-letter destination, where both set the message aside;
// - a dead-letter destination that fails: Kafka pauses the partition and tries again later (a
//   broker may come back), the in-memory subscriber parks (its `onDeadLetter` threw);
// - `crash` events and retries that pause a partition (`mode: 'paused'`, after about a second of
//   waiting in place): there is no consumer to crash, and no other partition to keep flowing,
//   in memory. The Kafka tests cover them (kafka.subscriber.test.ts, kafka.outage.test.ts).
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/backoff.js';
import type {
  DeliveryErrorContext,
  DeliveryOptions,
  JobCompletedEvent,
  JobCompletedSubscriber,
  RawEventMessage,
  SchedulerError,
} from '../../src/index.js';
import { outcomeLog } from './outcomes.js';

/** A message that is not a valid event, as bytes on the wire. */
export interface RawItem {
  raw: { value: string | Buffer | null; headers: Record<string, string> };
}

/** What a case publishes: events, and raw messages among them. */
export type Item = JobCompletedEvent | RawItem;

/** The options a case gives its subscriber. */
export interface ContractOptions extends DeliveryOptions {
  /** Give the subscriber a dead-letter destination. */
  deadLetter?: boolean;
  onInvalid?: (raw: RawEventMessage, error: SchedulerError) => void;
}

/** One stream (a one-partition topic, an in-memory source) and a subscriber on it. */
export interface Stream {
  readonly subscriber: JobCompletedSubscriber;
  /** Appends to the stream in this order. */
  publish(items: Item[]): Promise<void>;
  /** The executionIds that reached the dead-letter destination, in order. */
  deadLetters(): Promise<string[]>;
  /** How many published messages a next subscriber would get again (after `close()`). */
  unacknowledged(): Promise<number>;
}

/** A subscriber implementation under the contract. */
export interface ContractTarget {
  readonly name: string;
  /** The longest a case may take. */
  readonly caseTimeoutMs: number;
  /** A fresh stream with a subscriber made with `options`; closed after the case. */
  open(options: ContractOptions): Promise<Stream>;
  /** Runs after each case. */
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
let sequence = 0;

/** Events with ids no other case uses. */
function events(count: number): JobCompletedEvent[] {
  const tag = `${process.pid}-${(sequence++).toString(36)}-${Date.now().toString(36)}`;
  return Array.from({ length: count }, (_, n) => ({
    jobId: `contract-${tag}-job-${n % 3}`,
    executionId: `contract-${tag}-exec-${n}`,
    completedAt: new Date(T0 + n),
    result: n % 4 === 3 ? 'failed' : 'succeeded',
  }));
}

const NOT_JSON: RawItem = { raw: { value: '{"job_id": "x", oops', headers: { 'content-type': 'application/json' } } };
const WRONG_SCHEMA: RawItem = { raw: { value: '{"job_id": 42, "execution_id": "", "result": "maybe"}', headers: { 'content-type': 'application/json' } } };

/** Handled executionIds, and promises that resolve when they reach a condition. */
function handledLog(): { ids: string[]; push(id: string): void; reach(check: (ids: string[]) => boolean): Promise<void> } {
  const ids: string[] = [];
  const waits: { check: (ids: string[]) => boolean; resolve: () => void }[] = [];
  return {
    ids,
    push(id) {
      ids.push(id);
      for (const wait of waits.splice(0)) {
        if (wait.check(ids)) wait.resolve();
        else waits.push(wait);
      }
    },
    reach(check) {
      if (check(ids)) return Promise.resolve();
      return new Promise((resolve) => waits.push({ check, resolve }));
    },
  };
}

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Declares the contract's cases for `target`. */
export function subscriberContract(target: ContractTarget): void {
  describe(`the subscriber contract: ${target.name}`, () => {
    const test = (name: string, body: () => Promise<void>): void => {
      it(name, { timeout: target.caseTimeoutMs }, async () => {
        try {
          await body();
        } finally {
          await target.cleanup();
        }
      });
    };

    /** A stream whose subscriber reports to these lists. */
    async function open(options: ContractOptions = {}) {
      const errors: [SchedulerError, DeliveryErrorContext][] = [];
      const stream = await target.open({ ...options, onError: (e, c) => errors.push([e, c]) });
      return { stream, sub: stream.subscriber, errors, outcomes: outcomeLog(stream.subscriber), handled: handledLog() };
    }

    test('delivers events in the order they were published, each once, with no outcome events', async () => {
      const { stream, sub, errors, outcomes, handled } = await open();
      const published = events(20);
      await stream.publish(published.slice(0, 10));
      await sub.run((e) => handled.push(e.executionId));
      await stream.publish(published.slice(10));
      await handled.reach((ids) => ids.length >= 20);
      expect(handled.ids).toEqual(published.map((e) => e.executionId));
      expect(sub.state).toBe('running');
      expect(outcomes.names).toEqual([]);
      expect(errors).toEqual([]);
    });

    test('retries a failing handler with backoff (a retry event per failed attempt), then goes on in order', async () => {
      const { stream, sub, errors, outcomes, handled } = await open({ maxAttempts: 5, retryInitialMs: 2, retryMaxMs: 50 });
      const [first, second] = events(2);
      let tries = 0;
      await sub.run((e) => {
        if (e.executionId === first!.executionId && ++tries <= 2) throw new Error(`failure ${tries}`);
        handled.push(e.executionId);
      });
      await stream.publish([first!, second!]);
      await handled.reach((ids) => ids.length >= 2);
      expect(tries).toBe(3);
      expect(handled.ids).toEqual([first!.executionId, second!.executionId]);
      expect(outcomes.names).toEqual(['retry', 'retry']);
      expect(outcomes.of('retry').map((n) => [n.event.executionId, n.attempt, n.maxAttempts, n.delayMs, n.mode, (n.error as Error).message])).toEqual([
        [first!.executionId, 1, 5, backoffDelay({ initialMs: 2, maxMs: 50 }, 1), 'in-place', 'failure 1'],
        [first!.executionId, 2, 5, backoffDelay({ initialMs: 2, maxMs: 50 }, 2), 'in-place', 'failure 2'],
      ]);
      expect(errors).toEqual([]);
      expect(sub.state).toBe('running');
    });

    test('after maxAttempts, dead-letters the event (deadLettered once, onError once) and goes on', async () => {
      const { stream, sub, errors, outcomes, handled } = await open({ maxAttempts: 3, retryInitialMs: 1, deadLetter: true });
      const [a, poison, c] = events(3);
      await sub.run((e) => {
        if (e.executionId === poison!.executionId) throw new Error('cannot settle this one');
        handled.push(e.executionId);
      });
      await stream.publish([a!, poison!, c!]);
      await handled.reach((ids) => ids.includes(c!.executionId));
      expect(handled.ids).toEqual([a!.executionId, c!.executionId]);
      expect(await stream.deadLetters()).toEqual([poison!.executionId]);
      expect(outcomes.names).toEqual(['retry', 'retry', 'deadLettered']);
      const [notice] = outcomes.of('deadLettered');
      expect(notice!.event.executionId).toBe(poison!.executionId);
      expect(notice!.attempts).toBe(3);
      expect(notice!.error.code).toBe('SERVER_ERROR');
      expect(notice!.error.message).toContain('cannot settle this one');
      expect(errors).toHaveLength(1);
      expect(errors[0]![0]).toBe(notice!.error);
      expect(errors[0]![1]).toMatchObject({ action: 'dead-lettered', attempts: 3 });
      expect(sub.state).toBe('running');
      await sub.close();
      expect(await stream.unacknowledged()).toBe(0);
    });

    test('after maxAttempts without a dead-letter destination, parks on the event: paused, nothing after it delivered, nothing skipped', async () => {
      const { stream, sub, errors, outcomes, handled } = await open({ maxAttempts: 2, retryInitialMs: 1 });
      const [a, poison, c] = events(3);
      const parked = outcomes.next('parked');
      await sub.run((e) => {
        if (e.executionId === poison!.executionId) throw new Error('not now');
        handled.push(e.executionId);
      });
      await stream.publish([a!, poison!, c!]);
      const notice = await parked;
      expect(notice.event.executionId).toBe(poison!.executionId);
      expect(notice.attempts).toBe(2);
      expect(sub.state).toBe('paused');
      expect(outcomes.names).toEqual(['retry', 'parked']);
      expect(errors.map(([e, c]) => [e, c.action])).toEqual([[notice.error, 'paused']]);
      await sub.close();
      expect(handled.ids).toEqual([a!.executionId]);
      // The event given up on and the one behind it are still there for the next subscriber.
      expect(await stream.unacknowledged()).toBe(2);
    });

    test('dedupe skips an executionId handled recently, without an outcome event', async () => {
      const { stream, sub, outcomes, handled } = await open({ dedupe: true });
      const [a, b, end] = events(3);
      await sub.run((e) => handled.push(e.executionId));
      await stream.publish([a!, a!, b!, a!, b!, end!]);
      await handled.reach((ids) => ids.includes(end!.executionId));
      expect(handled.ids).toEqual([a!.executionId, b!.executionId, end!.executionId]);
      expect(outcomes.names).toEqual([]);
    });

    test('sets an invalid message aside: invalid once and onInvalid once each, never the handler or onError, and goes on in order', async () => {
      const invalid: [RawEventMessage, SchedulerError][] = [];
      const { stream, sub, errors, outcomes, handled } = await open({ onInvalid: (raw, error) => invalid.push([raw, error]) });
      const [a, b] = events(2);
      await sub.run((e) => handled.push(e.executionId));
      await stream.publish([a!, NOT_JSON, WRONG_SCHEMA, b!]);
      await handled.reach((ids) => ids.includes(b!.executionId));
      expect(handled.ids).toEqual([a!.executionId, b!.executionId]);
      expect(outcomes.names).toEqual(['invalid', 'invalid']);
      expect(invalid.map(([raw]) => raw.value?.toString())).toEqual([NOT_JSON.raw.value, WRONG_SCHEMA.raw.value]);
      expect(invalid.map(([, error]) => [error.code, /not JSON/.test(error.message), /job_id must be a string/.test(error.message)])).toEqual([
        ['INVALID_ARGUMENT', true, false],
        ['INVALID_ARGUMENT', false, true],
      ]);
      expect(outcomes.of('invalid').map((n) => [n.raw, n.error, n.deadLettered])).toEqual(invalid.map(([raw, error]) => [raw, error, false]));
      expect(errors).toEqual([]);
      await sub.close();
      expect(await stream.unacknowledged()).toBe(0);
    });

    test('without onInvalid, an invalid message reaches onError once, as reported', async () => {
      const { stream, sub, errors, outcomes, handled } = await open();
      const [a] = events(1);
      await sub.run((e) => handled.push(e.executionId));
      await stream.publish([NOT_JSON, a!]);
      await handled.reach((ids) => ids.length >= 1);
      expect(outcomes.names).toEqual(['invalid']);
      expect(errors).toEqual([[outcomes.of('invalid')[0]!.error, { action: 'reported' }]]);
    });

    test('close() lets the running handler finish and acknowledges its event, then stops; it is idempotent and final', async () => {
      const { stream, sub, handled } = await open();
      const [a, b] = events(2);
      const started = gate();
      const release = gate();
      await sub.run(async (e) => {
        started.open();
        await release.promise;
        handled.push(e.executionId);
      });
      await stream.publish([a!, b!]);
      await started.promise;
      const closing = sub.close();
      expect(sub.close()).toBe(closing);
      expect(sub.state).toBe('closing');
      let finishedFirst = false;
      const order = closing.then(() => (finishedFirst = handled.ids.length === 1));
      release.open();
      await order;
      expect(finishedFirst).toBe(true);
      expect(sub.state).toBe('closed');
      await expect(sub.stopped).resolves.toBeUndefined();
      expect(handled.ids).toEqual([a!.executionId]);
      expect(await stream.unacknowledged()).toBe(1);
      await expect(sub.run(() => {})).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });

    test('for await yields events in order; break closes and leaves the event in hand unacknowledged', async () => {
      const { stream, sub } = await open();
      const published = events(3);
      await stream.publish(published);
      const seen: string[] = [];
      for await (const event of sub) {
        seen.push(event.executionId);
        if (seen.length === 2) break;
      }
      expect(seen).toEqual(published.slice(0, 2).map((e) => e.executionId));
      expect(sub.state).toBe('closed');
      await expect(sub.stopped).resolves.toBeUndefined();
      // The first was acknowledged when the loop asked for the second; the second was in hand.
      expect(await stream.unacknowledged()).toBe(2);
    });
  });
}
