// KafkaJobCompletedSubscriber against a real broker (see support/kafka.ts for where it comes from).
// Each case checks "nothing lost": every produced executionId was handled at least once or sits in
// the dead-letter topic; duplicates are allowed and reported on a `[kafka] …` line.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DLQ_HEADERS,
  GrpcSchedulerClient,
  KafkaJobCompletedSubscriber,
  Schedule,
  SchedulerError,
  VirtualClock,
  type DeliveryErrorContext,
  type JobCompletedEvent,
  type KafkaSubscriberOptions,
  type RawKafkaMessage,
} from '../src/index.js';
import { startSchedulerServer } from '../src/testing.js';
import { encodeEvent } from '../src/kafka/codec.js';
import { KafkaEventPublisher } from '../src/server/kafka-publisher.js';
import { decodeMessage } from '../src/wire/proto.js';
import { spawnConsumerChild } from './support/kafka-child.js';
import { outcomeLog } from './subscriber-contract/outcomes.js';
import {
  KAFKA_39,
  KAFKA_41,
  checkNothingLost,
  committedOffsets,
  committedToEnd,
  createTopic,
  describeKafka,
  kafkaClient,
  makeEvent,
  produce,
  produceEvents,
  readTopic,
  unique,
  until,
  withAdmin,
  within,
  type KafkaTarget,
  type ProduceResult,
} from './support/kafka.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A subscriber with test-friendly timings, closed after the test. */
function subscriber(kafka: KafkaTarget, options: Partial<KafkaSubscriberOptions> & { topic: string; groupId: string }): KafkaJobCompletedSubscriber {
  const sub = new KafkaJobCompletedSubscriber({
    brokers: kafka.brokers,
    fromBeginning: true,
    sessionTimeout: 6_000,
    heartbeatInterval: 1_000,
    closeTimeoutMs: 20_000,
    ...options,
  });
  cleanups.push(() => sub.close());
  return sub;
}

/** A handler that records every executionId it finishes, in order. */
function recorder(body?: (event: JobCompletedEvent) => Promise<void> | void): { ids: string[]; events: JobCompletedEvent[]; handler: (event: JobCompletedEvent) => Promise<void> } {
  const ids: string[] = [];
  const events: JobCompletedEvent[] = [];
  return {
    ids,
    events,
    handler: async (event) => {
      await body?.(event);
      ids.push(event.executionId);
      events.push(event);
    },
  };
}

const uniqueCount = (ids: readonly string[]) => new Set(ids).size;

const outcomes = (sub: KafkaJobCompletedSubscriber) => outcomeLog(sub);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The handled ids of one partition, first occurrences only, must be in offset order. */
function expectPartitionOrder(produced: ProduceResult, handled: readonly string[]): void {
  const last = new Map<number, number>();
  const seen = new Set<string>();
  for (const id of handled) {
    if (seen.has(id)) continue;
    seen.add(id);
    const p = produced.byId.get(id);
    if (p === undefined) continue;
    expect(p.offset, `event ${id} of partition ${p.partition} handled out of order`).toBeGreaterThan(last.get(p.partition) ?? -1);
    last.set(p.partition, p.offset);
  }
}

// ---- cases that also run against Kafka 4.1 (case 10) --------------------------------------------

function versionedCases(kafka: KafkaTarget): void {
  it(`1. 10,000 events over 3 partitions are all handled, and the committed offsets reach the end offsets (Kafka ${kafka.label})`, { timeout: 120_000 }, async () => {
    const topic = unique('c1');
    const groupId = unique('g1');
    await createTopic(kafka.brokers, topic, 3);
    const produced = await produceEvents(kafka.brokers, topic, 10_000, 3);
    const rec = recorder();
    const sub = subscriber(kafka, { topic, groupId });
    const t0 = Date.now();
    await sub.run(rec.handler);
    await until(() => uniqueCount(rec.ids) >= 10_000, 90_000, 'handling 10,000 events');
    const elapsed = Date.now() - t0;
    // Committed without close(): the batch that ends commits what it handled.
    await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
    await sub.close();
    const { committed, end } = await committedToEnd(kafka.brokers, groupId, topic);
    expect(committed).toEqual(end);
    expect(end).toEqual({ 0: 3334, 1: 3333, 2: 3333 });
    expectPartitionOrder(produced, rec.ids);
    const health = sub.health();
    expect(health.state).toBe('closed');
    expect(health.handled).toBe(rec.ids.length);
    expect(health.restarts).toBe(0);
    const report = await checkNothingLost({ label: `case 1 (Kafka ${kafka.label}, ${elapsed} ms)`, produced: produced.byId.keys(), handled: rec.ids });
    expect(report.lost).toEqual([]);
  });

  it(`3. SIGTERM during a slow handler: the handler finishes and is committed, and the other member takes over the rest (Kafka ${kafka.label})`, { timeout: 120_000 }, async () => {
    const topic = unique('c3');
    const groupId = unique('g3');
    await createTopic(kafka.brokers, topic, 3);
    const produced = await produceEvents(kafka.brokers, topic, 36, 3);
    const a = spawnConsumerChild({ brokers: kafka.brokers, topic, groupId, delayMs: 1_000 });
    cleanups.push(() => a.kill('SIGKILL'));
    await a.waitFor(() => a.started.length >= 1, 60_000, 'member A starting a handler');
    // Member B joins; the group rebalances and A keeps some of the partitions.
    const b = recorder(() => sleep(20));
    const subB = subscriber(kafka, { topic, groupId });
    await subB.run(b.handler);
    // Wait for A to be in the middle of a handler that started after the rebalance.
    const startedBefore = a.started.length;
    await a.waitFor(() => a.started.length > startedBefore && a.started.length > a.handled.length, 30_000, 'A in a handler after the rebalance');
    const inFlight = a.started[a.started.length - 1]!;
    a.kill('SIGTERM');
    const exit = await within(a.exited, 30_000, 'member A exiting after SIGTERM');
    expect(exit.code).toBe(0);
    expect(a.lines).toContain('CLOSED');
    // The handler in flight finished, and its offset was committed: nobody gets it again.
    expect(a.handled).toContain(inFlight);
    const where = produced.byId.get(inFlight)!;
    const committedAfterA = await committedOffsets(kafka.brokers, groupId, topic);
    expect(committedAfterA[where.partition]).toBeGreaterThan(where.offset);
    await until(() => new Set([...a.handled, ...b.ids]).size >= produced.events.length, 60_000, 'member B taking over the rest');
    expect(b.ids).not.toContain(inFlight);
    await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
    expect(subB.health().partitions).toEqual([0, 1, 2]);
    const report = await checkNothingLost({ label: `case 3 (Kafka ${kafka.label}; in flight at SIGTERM: ${inFlight})`, produced: produced.byId.keys(), handled: [...a.handled, ...b.ids] });
    expect(report.lost).toEqual([]);
  });
}

describeKafka('KafkaJobCompletedSubscriber against a real Kafka 3.9 broker', KAFKA_39, (kafka) => {
  versionedCases(kafka);

  it('2. a consumer killed with SIGKILL mid-batch: a new one loses nothing and gets only the uncommitted tail again', { timeout: 120_000 }, async () => {
    const topic = unique('c2');
    const groupId = unique('g2');
    await createTopic(kafka.brokers, topic, 3);
    const TOTAL = 4_500;
    const produced = await produceEvents(kafka.brokers, topic, TOTAL, 3);
    const first = spawnConsumerChild({ brokers: kafka.brokers, topic, groupId, delayMs: 3 });
    cleanups.push(() => first.kill('SIGKILL'));
    // Kill it mid-batch, once it has committed something and handled well past that.
    let committedSeen = 0;
    await until(
      async () => {
        const c = await committedOffsets(kafka.brokers, groupId, topic);
        committedSeen = Object.values(c).reduce((sum, o) => sum + Math.max(o, 0), 0);
        return committedSeen > 0 && first.handled.length > committedSeen + 150;
      },
      60_000,
      'the first consumer committing some events and handling more',
      100,
    );
    first.kill('SIGKILL');
    expect((await within(first.exited, 10_000, 'the first consumer dying')).signal).toBe('SIGKILL');
    const handledByFirst = [...first.handled];
    expect(handledByFirst.length).toBeLessThan(TOTAL);
    // The dead member stays in the group until its session (6 s) expires; its commits are final then.
    await until(
      () => withAdmin(kafka.brokers, async (admin) => (await admin.describeGroups([groupId])).groups[0]?.members.length === 0),
      30_000,
      'the dead member leaving the group',
      250,
    );
    const committed = await committedOffsets(kafka.brokers, groupId, topic);
    const committedTotal = Object.values(committed).reduce((sum, o) => sum + Math.max(o, 0), 0);
    expect(committedTotal).toBeGreaterThan(0);
    // Never more than was handled. Usually less (a tail handled after the last commit), but a kill
    // that lands just after a commit, with the child stalled by a busy machine, leaves no tail.
    expect(committedTotal).toBeLessThanOrEqual(handledByFirst.length);
    const second = spawnConsumerChild({ brokers: kafka.brokers, topic, groupId });
    cleanups.push(() => second.kill('SIGKILL'));
    await second.waitFor(() => new Set([...handledByFirst, ...second.handled]).size >= TOTAL, 60_000, 'the second consumer handling the rest');
    second.kill('SIGTERM');
    await within(second.exited, 30_000, 'the second consumer exiting');

    const tail = (id: string) => {
      const p = produced.byId.get(id)!;
      return p.offset >= Math.max(committed[p.partition] ?? -1, 0);
    };
    // The second consumer starts exactly at the committed offsets...
    expect(new Set(second.handled)).toEqual(new Set(produced.events.filter((e) => tail(e.executionId)).map((e) => e.executionId)));
    // ...so the duplicates are exactly the events the first one handled past its last commit.
    const secondSet = new Set(second.handled);
    const duplicates = handledByFirst.filter((id) => secondSet.has(id));
    expect(new Set(duplicates)).toEqual(new Set(handledByFirst.filter(tail)));
    const report = await checkNothingLost({
      label: `case 2 (SIGKILL after ${handledByFirst.length} handled; committed ${JSON.stringify(committed)})`,
      produced: produced.byId.keys(),
      handled: [...handledByFirst, ...second.handled],
    });
    expect(report.lost).toEqual([]);
    expect(report.duplicates).toBe(duplicates.length);
  });

  describe('4. poison messages', () => {
    it('each is reported to onInvalid and dead-lettered with its origin, every good one after it is handled, and the offsets reach the end', { timeout: 60_000 }, async () => {
      const topic = unique('c4');
      const dlq = `${topic}.dlq`;
      const groupId = unique('g4');
      await createTopic(kafka.brokers, topic, 2);
      await createTopic(kafka.brokers, dlq, 1);
      const tag = unique('t');
      const truncated = encodeEvent({ ...makeEvent(tag, 0, 999), result: 'failed', error: 'the downstream service timed out' }, 'protobuf').value;
      const poisons = [
        { label: 'not JSON', value: '{"job_id": "x", oops', headers: { 'content-type': 'application/json' } },
        { label: 'wrong schema', value: '{"job_id": 42, "execution_id": "", "result": "maybe"}', headers: { 'content-type': 'application/json' } },
        { label: 'empty value', value: Buffer.alloc(0), headers: { 'content-type': 'application/json' } },
        { label: 'null value', value: null, headers: {} },
        { label: 'unknown content-type', value: '<event/>', headers: { 'content-type': 'application/xml' } },
        { label: 'garbage protobuf', value: Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x12]), headers: { 'content-type': 'application/x-protobuf' } },
        // A valid protobuf event cut short inside its last field (the error text).
        { label: 'truncated protobuf', value: truncated.subarray(0, truncated.length - 3), headers: { 'content-type': 'application/x-protobuf' } },
      ];
      const items: Parameters<typeof produce>[2] = [];
      let n = 0;
      for (const partition of [0, 1]) {
        for (const poison of poisons) {
          items.push({ event: makeEvent(tag, partition, n++), partition });
          items.push({ raw: { partition, key: 'poison', value: poison.value, headers: poison.headers, label: poison.label } });
        }
        items.push({ event: makeEvent(tag, partition, n++), partition });
        items.push({ event: makeEvent(tag, partition, n++, 1), partition, format: 'protobuf' });
      }
      const produced = await produce(kafka.brokers, topic, items);
      const invalid: { raw: RawKafkaMessage; error: SchedulerError }[] = [];
      const errors: SchedulerError[] = [];
      const rec = recorder();
      const sub = subscriber(kafka, { topic, groupId, deadLetterTopic: dlq, onInvalid: (raw, error) => invalid.push({ raw, error }), onError: (e) => errors.push(e) });
      const seen = outcomes(sub);
      await sub.run(rec.handler);
      await until(() => uniqueCount(rec.ids) >= produced.events.length, 30_000, 'handling every good event');
      await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
      expectPartitionOrder(produced, rec.ids);

      expect(invalid.map((i) => `${i.raw.partition}@${i.raw.offset}`).sort()).toEqual(produced.raws.map((r) => `${r.partition}@${r.offset}`).sort());
      for (const { raw, error } of invalid) {
        expect(error).toBeInstanceOf(SchedulerError);
        expect(error.code).toBe('INVALID_ARGUMENT');
        expect(raw.topic).toBe(topic);
        expect(error.message).toContain(`${topic}/${raw.partition}@${raw.offset}`);
      }
      const reasons = invalid.filter((i) => i.raw.partition === 0).map((i) => i.error.message);
      expect(reasons[0]).toMatch(/not JSON/);
      expect(reasons[1]).toMatch(/job_id must be a string/);
      expect(reasons[2]).toMatch(/no value/);
      expect(reasons[3]).toMatch(/no value/);
      expect(reasons[4]).toMatch(/unknown content-type 'application\/xml'/);
      expect(reasons[5]).toMatch(/not a protobuf JobCompletedEvent/);
      expect(reasons[6]).toMatch(/not a protobuf JobCompletedEvent: error has a length of \d+ bytes, past the end of the message/);

      const dead = await readTopic(kafka.brokers, dlq);
      expect(dead.length).toBe(produced.raws.length);
      for (const raw of produced.raws) {
        const m = dead.find((d) => d.headers[DLQ_HEADERS.partition] === String(raw.partition) && d.headers[DLQ_HEADERS.offset] === String(raw.offset));
        expect(m, `dead letter of ${raw.label} at ${raw.partition}@${raw.offset}`).toBeDefined();
        expect(m!.headers[DLQ_HEADERS.topic]).toBe(topic);
        expect(m!.headers[DLQ_HEADERS.reason]).toBe('invalid');
        expect(m!.headers[DLQ_HEADERS.error]).toContain('invalid JobCompletedEvent');
        expect(m!.key).toBe('poison');
        const original = raw.value === null ? null : Buffer.from(raw.value);
        if (original === null || original.length === 0) expect(m!.value === null || m!.value.length === 0).toBe(true);
        else expect(m!.value).toEqual(original);
      }
      const health = sub.health();
      expect(health.invalid).toBe(produced.raws.length);
      expect(health.deadLettered).toBe(produced.raws.length);
      expect(health.state).toBe('running');
      // Each poison message was reported once: one invalid event and one onInvalid call, the same
      // raw message and error, and never to onError.
      expect(seen.names.filter((n) => n !== 'crash')).toEqual(produced.raws.map(() => 'invalid'));
      expect(seen.of('invalid').map((n) => [n.raw, n.error, n.deadLettered])).toEqual(invalid.map((i) => [i.raw, i.error, true]));
      expect(errors.filter((e) => e.code === 'INVALID_ARGUMENT')).toEqual([]);
      const report = await checkNothingLost({ label: 'case 4 (poison)', produced: produced.byId.keys(), handled: rec.ids, brokers: kafka.brokers, deadLetterTopic: dlq });
      expect(report.lost).toEqual([]);
    });

    it('trap (a): a SyntaxError thrown in a raw kafkajs eachMessage crashes the consumer for good (restart: false) while the process lives on', { timeout: 60_000 }, async () => {
      const topic = unique('trap-a');
      await createTopic(kafka.brokers, topic, 1);
      await produceEvents(kafka.brokers, topic, 5, 1);
      const consumer = kafkaClient(kafka.brokers).consumer({ groupId: unique('raw-a'), sessionTimeout: 6_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
      cleanups.push(() => consumer.disconnect());
      const crash = new Promise<{ error: Error; restart: boolean }>((resolve) => consumer.on(consumer.events.CRASH, (e) => resolve(e.payload)));
      let calls = 0;
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          calls++;
          JSON.parse(`{${message.value!.toString()}`); // user code's SyntaxError
        },
      });
      const payload = await within(crash, 30_000, 'the CRASH event');
      expect(payload.restart).toBe(false);
      let root: unknown = payload.error;
      while ((root as { cause?: unknown }).cause !== undefined) root = (root as { cause: unknown }).cause;
      expect(root).toBeInstanceOf(SyntaxError);
      // Crashed for good: no restart, no further delivery, and this process is still here.
      const callsAtCrash = calls;
      await sleep(2_000);
      expect(calls).toBe(callsAtCrash);
      expect(calls).toBe(1);
      console.log(`[kafka] trap (a): raw kafkajs consumer crashed with ${payload.error.name} (root ${(root as Error).name}), restart=${payload.restart}, after ${calls} eachMessage call(s)`);
    });

    it('trap (a): our subscriber survives a handler that throws SyntaxError: it retries, then dead-letters (with a topic) or pauses the partition (without), and state and health() say so', { timeout: 60_000 }, async () => {
      const topic = unique('trap-a-sub');
      const dlq = `${topic}.dlq`;
      await createTopic(kafka.brokers, topic, 2);
      await createTopic(kafka.brokers, dlq, 1);
      const tag = unique('t');
      const bad = makeEvent(tag, 0, 1);
      const produced = await produce(kafka.brokers, topic, [
        { event: makeEvent(tag, 0, 0), partition: 0 },
        { event: bad, partition: 0 },
        { event: makeEvent(tag, 0, 2), partition: 0 },
        { event: makeEvent(tag, 1, 0), partition: 1 },
        { event: makeEvent(tag, 1, 1), partition: 1 },
      ]);
      const userCode = (event: JobCompletedEvent) => {
        if (event.executionId === bad.executionId) JSON.parse('{"unterminated": '); // throws SyntaxError
      };

      // With a dead-letter topic: retried maxAttempts times, dead-lettered, and the partition goes on.
      let attempts = 0;
      const errors: [SchedulerError, DeliveryErrorContext][] = [];
      const rec = recorder((e) => {
        if (e.executionId === bad.executionId) attempts++;
        userCode(e);
      });
      const groupId = unique('g-trap-a');
      const sub = subscriber(kafka, { topic, groupId, deadLetterTopic: dlq, maxAttempts: 3, retryInitialMs: 20, onError: (e, c) => errors.push([e, c]) });
      const seen = outcomes(sub);
      await sub.run(rec.handler);
      await until(() => uniqueCount(rec.ids) >= 4, 30_000, 'the four good events');
      expect(attempts).toBe(3);
      // Two retries in place (20 ms, 40 ms), then one dead letter; onError is told of the dead letter only.
      expect(seen.names.filter((n) => n !== 'crash')).toEqual(['retry', 'retry', 'deadLettered']);
      expect(seen.of('retry').map((n) => [n.attempt, n.delayMs, n.mode, n.partition, n.event.executionId])).toEqual([
        [1, 20, 'in-place', 0, bad.executionId],
        [2, 40, 'in-place', 0, bad.executionId],
      ]);
      expect(seen.of('retry').every((n) => n.error instanceof SyntaxError)).toBe(true);
      expect(seen.of('deadLettered')).toEqual([expect.objectContaining({ attempts: 3, partition: 0, event: expect.objectContaining({ executionId: bad.executionId }) })]);
      expect(errors.filter(([, c]) => c.action === 'dead-lettered')).toHaveLength(1);
      expect(errors.find(([, c]) => c.action === 'dead-lettered')![0]).toBe(seen.of('deadLettered')[0]!.error);
      expect(sub.state).toBe('running');
      expect(sub.health()).toMatchObject({ state: 'running', deadLettered: 1, restarts: 0, parkedPartitions: [] });
      const dead = errors.find(([, c]) => c.action === 'dead-lettered');
      expect(dead?.[0].message).toMatch(/SyntaxError|JSON/);
      expect(dead?.[1]).toMatchObject({ attempts: 3, event: { executionId: bad.executionId } });
      await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
      const report = await checkNothingLost({ label: 'trap (a) subscriber with DLQ', produced: produced.byId.keys(), handled: rec.ids, brokers: kafka.brokers, deadLetterTopic: dlq });
      expect(report.lost).toEqual([]);
      await sub.close();

      // Without one: the partition is paused (not skipped), the other keeps flowing, state is 'paused'.
      const rec2 = recorder(userCode);
      const groupId2 = unique('g-trap-a2');
      const sub2 = subscriber(kafka, { topic, groupId: groupId2, maxAttempts: 2, retryInitialMs: 20 });
      const seen2 = outcomes(sub2);
      await sub2.run(rec2.handler);
      await until(() => sub2.state === 'paused' && rec2.ids.length >= 3, 30_000, 'the partition to park');
      expect(sub2.health()).toMatchObject({ state: 'paused', parkedPartitions: [0], restarts: 0 });
      expect(seen2.names.filter((n) => n !== 'crash')).toEqual(['retry', 'parked']);
      expect(seen2.of('parked')).toEqual([expect.objectContaining({ attempts: 2, partition: 0, event: expect.objectContaining({ executionId: bad.executionId }) })]);
      expect(rec2.ids).not.toContain(bad.executionId);
      expect(rec2.ids).not.toContain(makeEvent(tag, 0, 2).executionId);
      // Committed up to the event it gave up on, not past it.
      await expect.poll(() => committedOffsets(kafka.brokers, groupId2, topic), { timeout: 15_000, interval: 200 }).toEqual({ 0: 1, 1: 2 });
    });

    it('trap (b): a plain Error (a ZodError) thrown in a raw kafkajs eachMessage redelivers the same offset over and over', { timeout: 60_000 }, async () => {
      const topic = unique('trap-b');
      await createTopic(kafka.brokers, topic, 1);
      await produce(kafka.brokers, topic, [{ raw: { partition: 0, value: '{"job_id": 7}' } }, ...Array.from({ length: 3 }, (_, i) => ({ event: makeEvent('trap-b', 0, i), partition: 0 }))]);
      const consumer = kafkaClient(kafka.brokers).consumer({ groupId: unique('raw-b'), sessionTimeout: 6_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
      cleanups.push(() => consumer.disconnect());
      const deliveries: string[] = [];
      const schema = z.object({ job_id: z.string(), execution_id: z.string() });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          deliveries.push(message.offset);
          schema.parse(JSON.parse(message.value!.toString())); // throws ZodError on offset 0
        },
      });
      // The first delivery and three redeliveries of the same offset, within a few seconds.
      const t0 = Date.now();
      await until(() => deliveries.filter((o) => o === '0').length >= 4, 15_000, 'three redeliveries of offset 0');
      await consumer.disconnect();
      expect(deliveries.every((o) => o === '0')).toBe(true);
      console.log(`[kafka] trap (b): raw kafkajs consumer got offset 0 ${deliveries.length} times in ${Date.now() - t0} ms (${deliveries.length - 1} redeliveries) and never got past it`);
    });

    it('trap (b): our subscriber does not block on a schema-invalid message', { timeout: 60_000 }, async () => {
      const topic = unique('trap-b-sub');
      await createTopic(kafka.brokers, topic, 1);
      const produced = await produce(kafka.brokers, topic, [
        { raw: { partition: 0, value: '{"job_id": 7}', headers: { 'content-type': 'application/json' } } },
        ...Array.from({ length: 3 }, (_, i) => ({ event: makeEvent('trap-b-sub', 0, i), partition: 0 })),
      ]);
      const invalid: string[] = [];
      const rec = recorder();
      const groupId = unique('g-trap-b');
      const sub = subscriber(kafka, { topic, groupId, onInvalid: (raw) => invalid.push(raw.offset) });
      await sub.run(rec.handler);
      await until(() => rec.ids.length >= 3, 15_000, 'the events after the invalid one');
      expect(invalid).toEqual(['0']);
      expect(rec.ids).toEqual(produced.events.map((e) => e.executionId));
      await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
      const report = await checkNothingLost({ label: 'trap (b) subscriber', produced: produced.byId.keys(), handled: rec.ids });
      expect(report.lost).toEqual([]);
    });
  });

  it('5. a handler that fails for 20 s on one partition: the other partitions keep flowing meanwhile, and nothing of the failing one is skipped', { timeout: 90_000 }, async () => {
    const topic = unique('c5');
    const groupId = unique('g5');
    await createTopic(kafka.brokers, topic, 3);
    const first = await produceEvents(kafka.brokers, topic, 150, 3);
    const FAIL_MS = 20_000;
    let failUntil = Number.POSITIVE_INFINITY;
    let failures = 0;
    const handledAt = new Map<string, number>();
    const rec = recorder((e) => {
      const p = first.byId.get(e.executionId)?.partition ?? second?.byId.get(e.executionId)?.partition;
      if (p === 0 && Date.now() < failUntil) {
        failures++;
        throw new Error('downstream of partition 0 is down');
      }
      handledAt.set(e.executionId, Date.now());
    });
    let second: ProduceResult | undefined;
    const sub = subscriber(kafka, { topic, groupId, maxAttempts: 1_000, retryInitialMs: 100, retryMaxMs: 1_000 });
    const seen = outcomes(sub);
    failUntil = Date.now() + FAIL_MS;
    await sub.run(rec.handler);
    const others = (r: ProduceResult) => r.events.filter((e) => e.partition !== 0).map((e) => e.executionId);
    await until(() => others(first).every((id) => handledAt.has(id)), 15_000, 'partitions 1 and 2 handled');
    // More events for the healthy partitions while partition 0 is still failing.
    second = await produce(
      kafka.brokers,
      topic,
      Array.from({ length: 40 }, (_, i) => ({ event: makeEvent(unique('t5'), 1 + (i % 2), i), partition: 1 + (i % 2) })),
    );
    await until(() => others(second!).every((id) => handledAt.has(id)), 10_000, 'the new events of partitions 1 and 2');
    const healthyDone = Math.max(...[...others(first), ...others(second)].map((id) => handledAt.get(id)!));
    expect(healthyDone).toBeLessThan(failUntil);
    expect(first.events.filter((e) => e.partition === 0).some((e) => handledAt.has(e.executionId))).toBe(false);
    expect(sub.state).toBe('running');
    // After the outage, partition 0 is handled in full and in order.
    const p0 = first.events.filter((e) => e.partition === 0).map((e) => e.executionId);
    await until(() => p0.every((id) => handledAt.has(id)), 45_000, 'partition 0 after it recovers');
    expect(Math.min(...p0.map((id) => handledAt.get(id)!))).toBeGreaterThanOrEqual(failUntil);
    expect(rec.ids.filter((id) => p0.includes(id))).toEqual(p0);
    expectPartitionOrder(first, rec.ids);
    await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
    expect(sub.health()).toMatchObject({ state: 'running', restarts: 0, groupJoins: 1, parkedPartitions: [] });
    // Every failed attempt but the last of each event was a retry event, on partition 0: first in
    // place (100 + 200 + 400 ms fit the 1 s budget), then with the partition paused.
    const retries = seen.of('retry');
    expect(retries).toHaveLength(failures);
    expect(retries.every((n) => n.partition === 0)).toBe(true);
    expect(retries.slice(0, 4).map((n) => [n.attempt, n.delayMs, n.mode])).toEqual([
      [1, 100, 'in-place'],
      [2, 200, 'in-place'],
      [3, 400, 'in-place'],
      [4, 800, 'paused'],
    ]);
    expect(seen.names.filter((n) => n !== 'retry' && n !== 'crash')).toEqual([]);
    const report = await checkNothingLost({
      label: `case 5 (${failures} failed attempts on partition 0 in ${FAIL_MS} ms)`,
      produced: [...first.byId.keys(), ...second.byId.keys()],
      handled: rec.ids,
    });
    expect(report.lost).toEqual([]);
  });

  it('6. a handler slower than sessionTimeout causes no rebalance storm and loses nothing', { timeout: 90_000 }, async () => {
    const topic = unique('c6');
    const groupId = unique('g6');
    await createTopic(kafka.brokers, topic, 3);
    const produced = await produceEvents(kafka.brokers, topic, 30, 3);
    const slow = new Set([produced.events[3]!, produced.events[4]!, produced.events[15]!].map((e) => e.executionId));
    const rec = recorder((e) => (slow.has(e.executionId) ? sleep(8_000) : undefined));
    const errors: SchedulerError[] = [];
    const sub = subscriber(kafka, { topic, groupId, sessionTimeout: 6_000, heartbeatInterval: 1_000, onError: (e) => errors.push(e) });
    await sub.run(rec.handler);
    await until(() => uniqueCount(rec.ids) >= 30, 60_000, 'all 30 events, 3 of them taking 8 s');
    await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
    expect(sub.health()).toMatchObject({ state: 'running', groupJoins: 1, restarts: 0 });
    expect(errors).toEqual([]);
    const report = await checkNothingLost({ label: 'case 6 (3 handlers of 8 s, sessionTimeout 6 s)', produced: produced.byId.keys(), handled: rec.ids });
    expect(report.lost).toEqual([]);
    expect(report.duplicates).toBe(0);
  });

  it('8. two members of one group, one added and one removed mid-stream: nothing lost', { timeout: 120_000 }, async () => {
    const topic = unique('c8');
    const groupId = unique('g8');
    await createTopic(kafka.brokers, topic, 4);
    const handled: string[] = [];
    const member = () => {
      const sub = subscriber(kafka, { topic, groupId });
      return { sub, run: () => sub.run(async (e) => void handled.push(e.executionId)) };
    };
    const a = member();
    const b = member();
    await Promise.all([a.run(), b.run()]);
    const producedIds: string[] = [];
    const stream = (async () => {
      for (let round = 0; round < 24; round++) {
        const tag = unique(`t8r${round}`);
        const r = await produce(
          kafka.brokers,
          topic,
          Array.from({ length: 200 }, (_, i) => ({ event: makeEvent(tag, i % 4, i), partition: i % 4 })),
        );
        producedIds.push(...r.byId.keys());
        await sleep(250);
      }
    })();
    await until(() => producedIds.length >= 1_200, 30_000, 'a third of the stream');
    const c = member();
    await c.run();
    await until(() => producedIds.length >= 3_000, 30_000, 'two thirds of the stream');
    await a.sub.close();
    await stream;
    await until(() => uniqueCount(handled) >= producedIds.length && producedIds.every((id) => handled.includes(id)), 60_000, 'every event of the stream');
    await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
    expect([...(b.sub.health().partitions ?? []), ...(c.sub.health().partitions ?? [])].sort()).toEqual([0, 1, 2, 3]);
    const report = await checkNothingLost({ label: 'case 8 (members: +A +B, +C, -A)', produced: producedIds, handled });
    expect(report.lost).toEqual([]);
  });

  it('9. end to end: createJob over gRPC -> the reference server fires it on the real clock -> Kafka -> the subscriber gets the completion', { timeout: 60_000 }, async () => {
    const topic = unique('c9');
    await createTopic(kafka.brokers, topic, 3);
    const server = await startSchedulerServer({
      kafka: { brokers: kafka.brokers, topic },
      executor: (job) => {
        if (job.name.startsWith('fails')) throw new Error(`the work of ${job.name} broke`);
      },
    });
    cleanups.push(() => server.close({ graceMs: 100 }));
    const client = new GrpcSchedulerClient(server.address);
    cleanups.push(() => client.close());
    const rec = recorder();
    const sub = subscriber(kafka, { topic, groupId: unique('g9') });
    await sub.run(rec.handler);
    const ok = await client.createJob({ name: 'works-every-second', schedule: Schedule.interval(1_000), payload: { n: 1 } });
    const bad = await client.createJob({ name: 'fails-every-second', schedule: Schedule.interval(1_000), payload: { n: 2 }, maxRetries: 0 });
    await until(
      () => rec.events.some((e) => e.jobId === ok.id) && rec.events.some((e) => e.jobId === bad.id),
      20_000,
      'a completion of each job',
    );
    await client.cancelJob(ok.id);
    await client.cancelJob(bad.id);
    const good = rec.events.find((e) => e.jobId === ok.id)!;
    expect(good.result).toBe('succeeded');
    expect(good.error).toBeUndefined();
    const failed = rec.events.find((e) => e.jobId === bad.id)!;
    expect(failed.result).toBe('failed');
    expect(failed.error).toContain('the work of fails-every-second broke');
    const executions = await client.getExecutions(ok.id);
    expect(executions.map((x) => x.id)).toContain(good.executionId);
    expect(good.completedAt.getTime()).toBe(executions.find((x) => x.id === good.executionId)!.finishedAt!.getTime());
  });

  describe('smaller cases', () => {
    it('for await yields events, and break closes without committing the event in hand: the next member gets it', { timeout: 60_000 }, async () => {
      const topic = unique('iter');
      const groupId = unique('g-iter');
      await createTopic(kafka.brokers, topic, 1);
      const produced = await produceEvents(kafka.brokers, topic, 6, 1);
      const ids = produced.events.map((e) => e.executionId);
      const sub = subscriber(kafka, { topic, groupId });
      const seen: string[] = [];
      for await (const event of sub) {
        seen.push(event.executionId);
        if (seen.length === 3) break;
      }
      expect(seen).toEqual(ids.slice(0, 3));
      expect(sub.state).toBe('closed');
      expect((await committedOffsets(kafka.brokers, groupId, topic))[0]).toBe(2);
      const next = recorder();
      const sub2 = subscriber(kafka, { topic, groupId });
      await sub2.run(next.handler);
      await until(() => next.ids.length >= 4, 20_000, 'the rest, from the event in hand');
      expect(next.ids).toEqual(ids.slice(2));
    });

    it('dedupe skips a redelivered executionId', { timeout: 60_000 }, async () => {
      const topic = unique('dedupe');
      await createTopic(kafka.brokers, topic, 1);
      const [a, b] = [makeEvent('dd', 0, 0), makeEvent('dd', 0, 1)];
      await produce(kafka.brokers, topic, [
        { event: a, partition: 0 },
        { event: a, partition: 0 },
        { event: b, partition: 0 },
        { event: a, partition: 0 },
      ]);
      const rec = recorder();
      const groupId = unique('g-dedupe');
      const sub = subscriber(kafka, { topic, groupId, dedupe: true });
      await sub.run(rec.handler);
      await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
      expect(rec.ids).toEqual([a.executionId, b.executionId]);
    });

    it('the dead-letter topic receives handler-exhausted events with their origin in headers', { timeout: 60_000 }, async () => {
      const topic = unique('dlq');
      const dlq = `${topic}.dead`;
      const groupId = unique('g-dlq');
      await createTopic(kafka.brokers, topic, 1);
      await createTopic(kafka.brokers, dlq, 1);
      const produced = await produceEvents(kafka.brokers, topic, 4, 1);
      const doomed = produced.events[1]!;
      const rec = recorder((e) => {
        if (e.executionId === doomed.executionId) throw new Error('cannot settle this one');
      });
      const sub = subscriber(kafka, { topic, groupId, deadLetterTopic: dlq, maxAttempts: 2, retryInitialMs: 10 });
      await sub.run(rec.handler);
      await until(() => rec.ids.length >= 3, 20_000, 'the other events');
      await expect.poll(async () => (await committedToEnd(kafka.brokers, groupId, topic)).done, { timeout: 15_000, interval: 200 }).toBe(true);
      const [dead, ...more] = await readTopic(kafka.brokers, dlq);
      expect(more).toEqual([]);
      expect(dead!.key).toBe(doomed.jobId);
      expect(JSON.parse(dead!.value!.toString()).execution_id).toBe(doomed.executionId);
      expect(dead!.headers).toMatchObject({
        'content-type': 'application/json',
        [DLQ_HEADERS.topic]: topic,
        [DLQ_HEADERS.partition]: '0',
        [DLQ_HEADERS.offset]: String(doomed.offset),
        [DLQ_HEADERS.reason]: 'handler-failed',
        [DLQ_HEADERS.attempts]: '2',
      });
      expect(dead!.headers[DLQ_HEADERS.error]).toContain('cannot settle this one');
      const report = await checkNothingLost({ label: 'dead-letter', produced: produced.byId.keys(), handled: rec.ids, brokers: kafka.brokers, deadLetterTopic: dlq });
      expect(report.lost).toEqual([]);
      expect(report.deadLettered).toBe(1);
    });

    it('a dead-letter topic that refuses the event: the partition pauses and the send is tried again with backoff; the event is neither committed nor skipped', { timeout: 60_000 }, async () => {
      const topic = unique('dlq-refused');
      const groupId = unique('g-dlq-refused');
      await createTopic(kafka.brokers, topic, 1);
      const produced = await produceEvents(kafka.brokers, topic, 3, 1);
      const doomed = produced.events[1]!;
      let tries = 0;
      const rec = recorder((e) => {
        if (e.executionId === doomed.executionId) {
          tries++;
          throw new Error('cannot settle this one');
        }
      });
      const refusals: SchedulerError[] = [];
      let twoRefusals!: () => void;
      const refusedTwice = new Promise<void>((resolve) => (twoRefusals = resolve));
      // A name the broker refuses (Kafka topic names allow only [a-zA-Z0-9._-]).
      const sub = subscriber(kafka, {
        topic,
        groupId,
        deadLetterTopic: `${topic}.dlq!`,
        maxAttempts: 2,
        retryInitialMs: 10,
        onError: (e, c) => {
          if (c.action === 'retrying' && /could not dead-letter/.test(e.message) && refusals.push(e) === 2) twoRefusals();
        },
      });
      const seen = outcomes(sub);
      await sub.run(rec.handler);
      await refusedTwice;
      expect(refusals[0]!.message).toContain(`${topic}/0@${doomed.offset}`);
      // Given up after 2 attempts, then once more after each refusal (the event is fetched again).
      expect(tries).toBeGreaterThanOrEqual(3);
      expect(seen.names.filter((n) => n === 'deadLettered' || n === 'parked')).toEqual([]);
      expect(sub.state).toBe('running');
      await sub.close();
      expect(rec.ids).toEqual([produced.events[0]!.executionId]);
      expect((await committedOffsets(kafka.brokers, groupId, topic))[0]).toBe(doomed.offset);
    });

    it('a partition parked after maxAttempts is resumed by a rebalance (kafkajs keeps a pause across rebalances) and its event retried', { timeout: 60_000 }, async () => {
      const topic = unique('parked');
      const groupId = unique('g-parked');
      await createTopic(kafka.brokers, topic, 1);
      const tag = unique('t');
      const [e0, e1, e2, e3] = [0, 1, 2, 3].map((n) => makeEvent(tag, 0, n));
      await produce(kafka.brokers, topic, [e0!, e1!, e2!].map((event) => ({ event, partition: 0 })));
      let broken = true;
      const handled: string[] = [];
      const handler = async (e: JobCompletedEvent) => {
        if (broken && e.executionId === e1!.executionId) throw new Error('not yet');
        handled.push(e.executionId);
      };
      const a = subscriber(kafka, { topic, groupId, maxAttempts: 2, retryInitialMs: 10 });
      await a.run(handler);
      await until(() => a.state === 'paused', 20_000, 'the partition to park');
      expect(a.health()).toMatchObject({ parkedPartitions: [0], retryingPartitions: [] });
      broken = false;
      // A second member joins and leaves: two rebalances, after which A owns partition 0 again.
      const b = subscriber(kafka, { topic, groupId });
      await b.run(handler);
      await b.close();
      await until(() => handled.includes(e2!.executionId), 30_000, 'the parked event and the next one');
      expect(a.state).toBe('running');
      expect(a.health()).toMatchObject({ parkedPartitions: [], partitions: [0] });
      // And A really consumes partition 0 again.
      await produce(kafka.brokers, topic, [{ event: e3!, partition: 0 }]);
      await until(() => handled.includes(e3!.executionId), 20_000, 'a new event on the once parked partition');
      const report = await checkNothingLost({ label: 'parked partition after a rebalance', produced: [e0!, e1!, e2!, e3!].map((e) => e.executionId), handled });
      expect(report.lost).toEqual([]);
    });

    it("the server's publisher keeps each batch below the broker's message size limit, so a backlog of events with long errors gets through", { timeout: 60_000 }, async () => {
      const topic = unique('pub-big');
      await createTopic(kafka.brokers, topic, 1);
      const publisher = new KafkaEventPublisher({ brokers: kafka.brokers, topic });
      // 600 events of about 4 KiB (the engine keeps up to 4096 characters of error text): one batch
      // of 500 would be 2 MiB, over Kafka's default message.max.bytes of 1 MiB.
      const events = Array.from({ length: 600 }, (_, i): JobCompletedEvent => ({ ...makeEvent('big', 0, i), result: 'failed', error: `stack ${i} `.padEnd(4_000, '.') }));
      for (const event of events) publisher.publish(event);
      await within(publisher.close(), 45_000, 'the publisher flushing 600 large events');
      expect(publisher.sent).toBe(600);
      const read = await readTopic(kafka.brokers, topic);
      expect(read.map((m) => JSON.parse(m.value!.toString()).execution_id)).toEqual(events.map((e) => e.executionId));
    });

    it('a new consumer group starts at the earliest event by default, so events published before its first join are not lost', { timeout: 60_000 }, async () => {
      const topic = unique('earliest');
      const groupId = unique('g-earliest');
      await createTopic(kafka.brokers, topic, 1);
      const before = await produceEvents(kafka.brokers, topic, 3, 1);
      // No fromBeginning option: the default applies.
      const sub = new KafkaJobCompletedSubscriber({ brokers: kafka.brokers, topic, groupId, sessionTimeout: 6_000, heartbeatInterval: 1_000 });
      cleanups.push(() => sub.close());
      const rec = recorder();
      await sub.run(rec.handler);
      const after = await produceEvents(kafka.brokers, topic, 2, 1);
      await until(() => rec.ids.length >= 5, 20_000, 'the events from before and after the join');
      expect(rec.ids).toEqual([...before.events, ...after.events].map((e) => e.executionId));
    });

    it('the signal option closes the subscriber', { timeout: 60_000 }, async () => {
      const topic = unique('signal');
      await createTopic(kafka.brokers, topic, 1);
      const controller = new AbortController();
      const sub = subscriber(kafka, { topic, groupId: unique('g-signal'), signal: controller.signal });
      await sub.run(() => {});
      expect(sub.state).toBe('running');
      controller.abort();
      await within(sub.stopped, 20_000, 'stopped after abort');
      expect(sub.state).toBe('closed');
      // Aborted before run(): closed at once, run() refuses.
      const early = new AbortController();
      early.abort();
      const sub2 = subscriber(kafka, { topic, groupId: unique('g-signal'), signal: early.signal });
      await within(sub2.stopped, 1_000, 'stopped at once');
      expect(sub2.state).toBe('closed');
      await expect(sub2.run(() => {})).rejects.toMatchObject({ code: 'INVALID_STATE' });
    });

    it("the reference server's messages are byte-exactly SPEC §7 (key = job id, content-type application/json, snake_case JSON), and protobuf works too", { timeout: 60_000 }, async () => {
      for (const format of ['json', 'protobuf'] as const) {
        const topic = unique(`pub-${format}`);
        await createTopic(kafka.brokers, topic, 1);
        // The client checks runAt against the real clock, so the virtual one starts at a real second.
        const t0 = Math.ceil(Date.now() / 1000) * 1000;
        const clock = new VirtualClock(t0);
        const server = await startSchedulerServer({ clock, kafka: { brokers: kafka.brokers, topic, format } });
        const client = new GrpcSchedulerClient(server.address);
        const job = await client.createJob({ name: `pub-${format}`, schedule: Schedule.oneShot(clock.now() + 1_000), payload: null });
        await server.advanceTime(1_000);
        const [exec] = await client.getExecutions(job.id);
        await client.close();
        await server.close({ graceMs: 100 }); // flushes the publisher
        const [m, ...more] = await readTopic(kafka.brokers, topic);
        expect(more).toEqual([]);
        expect(m!.key).toBe(job.id);
        if (format === 'json') {
          expect(m!.headers).toEqual({ 'content-type': 'application/json' });
          expect(m!.value!.toString('utf8')).toBe(
            `{"job_id":"${job.id}","execution_id":"${exec!.id}","completed_at":"${new Date(t0 + 1_000).toISOString()}","result":"succeeded","attempt":1}`,
          );
        } else {
          expect(m!.headers).toEqual({ 'content-type': 'application/x-protobuf' });
          const wire = decodeMessage<Record<string, unknown>>('k1s0.system.scheduler.v2.JobCompletedEvent', m!.value!);
          expect(wire).toMatchObject({ jobId: job.id, executionId: exec!.id, result: 'EXECUTION_RESULT_SUCCEEDED', attempt: 1 });
        }
        // And the subscriber reads it back as the same event.
        const rec = recorder();
        const sub = subscriber(kafka, { topic, groupId: unique('g-pub') });
        await sub.run(rec.handler);
        await until(() => rec.events.length >= 1, 20_000, 'the published event');
        const completedAtExact = { seconds: (t0 + 1_000) / 1000, nanos: 0 };
        expect(rec.events[0]).toEqual({ jobId: job.id, executionId: exec!.id, completedAt: new Date(t0 + 1_000), completedAtExact, result: 'succeeded', attempt: 1 });
        await sub.close();
      }
    });
  });
});

describeKafka('KafkaJobCompletedSubscriber against a real Kafka 4.1 broker (case 10)', KAFKA_41, (kafka) => {
  versionedCases(kafka);
});

describe('KafkaJobCompletedSubscriber when no broker answers', () => {
  /** A loopback port that nothing listens on. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('run() rejects with a retryable SERVER_ERROR naming the brokers after connectTimeoutMs, and state leaves starting', async () => {
    const port = await closedPort();
    const brokers = [`127.0.0.1:${port}`];
    const errors: [SchedulerError, DeliveryErrorContext][] = [];
    // kafkajs gives up on each connect quickly, so that several attempts fall within the time.
    const sub = new KafkaJobCompletedSubscriber({ brokers, groupId: 'g-unreachable', connectTimeoutMs: 1_500, kafka: { retry: { retries: 0 } }, onError: (e, c) => errors.push([e, c]) });
    cleanups.push(() => sub.close());
    const running = sub.run(() => {});
    expect(sub.state).toBe('starting');
    const error = await running.then(
      () => new Error('run() resolved'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchedulerError);
    expect(error).toMatchObject({ code: 'SERVER_ERROR', retryable: true });
    expect((error as SchedulerError).message).toContain(`cannot reach Kafka at 127.0.0.1:${port} within connectTimeoutMs (1500 ms)`);
    expect(sub.state).toBe('failed');
    await expect(sub.stopped).rejects.toBe(error);
    // Each failed attempt was reported as retrying, then the end once as stopped.
    expect(errors.at(-1)).toEqual([error, { action: 'stopped' }]);
    for (const [e, c] of errors.slice(0, -1)) {
      expect(c).toEqual({ action: 'retrying' });
      expect(e.message).toMatch(new RegExp(`^cannot reach Kafka at 127\\.0\\.0\\.1:${port} \\(attempt \\d+, next in \\d+ ms\\)`));
    }
    await sub.close();
    expect(sub.state).toBe('failed');
    expect(sub.health()).toMatchObject({ state: 'failed', groupJoins: 0, partitions: [] });
  });

  it('the default connect time is 30 s, and fromBeginning defaults to true', async () => {
    const { resolveKafkaOptions } = await import('../src/kafka/options.js');
    expect(resolveKafkaOptions({ brokers: ['127.0.0.1:9092'], groupId: 'g' })).toMatchObject({ connectTimeoutMs: 30_000, fromBeginning: true });
    expect(resolveKafkaOptions({ brokers: ['127.0.0.1:9092'], groupId: 'g', fromBeginning: false })).toMatchObject({ fromBeginning: false });
  });

  it('close() while run() is still trying settles both at once', async () => {
    const port = await closedPort();
    const sub = new KafkaJobCompletedSubscriber({ brokers: [`127.0.0.1:${port}`], groupId: 'g-close-while-connecting' });
    const running = sub.run(() => {});
    expect(sub.state).toBe('starting');
    await sub.close();
    await running;
    expect(sub.state).toBe('closed');
    await expect(sub.stopped).resolves.toBeUndefined();
  });
});

describe('KafkaJobCompletedSubscriber options', () => {
  const base = { brokers: ['127.0.0.1:9092'], groupId: 'g' };
  const bad: [string, Record<string, unknown>][] = [
    ['brokers', { brokers: [] }],
    ['brokers', { brokers: ['no-port'] }],
    ['brokers', { brokers: 'h:1' }],
    ['groupId', { groupId: '' }],
    ['topic', { topic: '' }],
    ['sessionTimeout', { sessionTimeout: 500 }],
    ['heartbeatInterval', { heartbeatInterval: 20_000 }],
    ['heartbeatInterval', { heartbeatInterval: 0 }],
    ['partitionsConsumedConcurrently', { partitionsConsumedConcurrently: 0 }],
    ['partitionsConsumedConcurrently', { partitionsConsumedConcurrently: 1.5 }],
    ['deadLetterTopic', { deadLetterTopic: 'k1s0.system.scheduler.job_completed.v1' }],
    ['deadLetterTopic', { deadLetterTopic: '' }],
    ['closeTimeoutMs', { closeTimeoutMs: 0 }],
    ['connectTimeoutMs', { connectTimeoutMs: 0 }],
    ['connectTimeoutMs', { connectTimeoutMs: Number.NaN }],
    ['connectTimeoutMs', { connectTimeoutMs: 2 ** 31 }],
    ['reconnectInitialMs', { reconnectInitialMs: 0 }],
    ['reconnectInitialMs', { reconnectInitialMs: 2.5 }],
    ['reconnectInitialMs', { reconnectInitialMs: 60_001, reconnectMaxMs: 60_001 }],
    ['reconnectMaxMs', { reconnectInitialMs: 500, reconnectMaxMs: 100 }],
    ['reconnectMaxMs', { reconnectMaxMs: Number.POSITIVE_INFINITY }],
    ['maxAttempts', { maxAttempts: 0 }],
    ['retryMaxMs', { retryInitialMs: 500, retryMaxMs: 100 }],
    ['dedupe', { dedupe: -1 }],
  ];
  for (const [field, options] of bad) {
    it(`rejects a bad ${field} at construction: ${JSON.stringify(options)}`, () => {
      let error: unknown;
      try {
        new KafkaJobCompletedSubscriber({ ...base, ...options } as KafkaSubscriberOptions);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SchedulerError);
      expect((error as SchedulerError).code).toBe('INVALID_ARGUMENT');
      expect((error as SchedulerError).message).toContain(field);
    });
  }

  it('names the limit of the reconnect waits it refuses', () => {
    expect(() => new KafkaJobCompletedSubscriber({ ...base, reconnectInitialMs: 0 })).toThrow(/reconnectInitialMs.*an integer from 1 to 60000 ms/);
    expect(() => new KafkaJobCompletedSubscriber({ ...base, reconnectMaxMs: 50 })).toThrow(/reconnectMaxMs.*an integer from reconnectInitialMs to 60000 ms/);
  });

  it('accepts good options without touching the network, and reports its topic', () => {
    const sub = new KafkaJobCompletedSubscriber({ ...base, deadLetterTopic: 'dlq', partitionsConsumedConcurrently: 2 });
    expect(sub.topic).toBe('k1s0.system.scheduler.job_completed.v1');
    expect(sub.state).toBe('idle');
    expect(sub.health()).toEqual({ state: 'idle' });
  });
});
