// KafkaJobCompletedSubscriber when the broker goes away: each Kafka version gets a broker of its
// own from `scripts/kafka.sh start --name <unique>`, which the tests halt and resume (same port,
// same data) and stop afterwards. Case 7 of the Kafka issue, and case 10 for it (Kafka 4.1), and a
// crash that kafkajs will not restart.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { KafkaJobCompletedSubscriber, SchedulerError, type CrashNotice, type DeliveryErrorContext, type KafkaSubscriberOptions } from '../src/index.js';
import {
  checkNothingLost,
  committedToEnd,
  createTopic,
  describeDedicated,
  produceEvents,
  startDedicatedBroker,
  unique,
  until,
  within,
  type DedicatedBroker,
  type DedicatedVersion,
} from './support/kafka.js';

const OUTAGE_MS = 20_000;


function outageCases(version: DedicatedVersion): void {
  // Per suite: the suites of the two versions run at the same time.
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const subscriber = (brokers: string[], options: Partial<KafkaSubscriberOptions> & { topic: string; groupId: string }): KafkaJobCompletedSubscriber => {
    const sub = new KafkaJobCompletedSubscriber({ brokers, fromBeginning: true, sessionTimeout: 6_000, heartbeatInterval: 1_000, closeTimeoutMs: 20_000, ...options });
    cleanups.push(() => sub.close());
    return sub;
  };
  let broker: DedicatedBroker;
  beforeAll(async () => {
    broker = await startDedicatedBroker(version.label, `outage-${version.label}`);
  }, 240_000);
  afterAll(async () => {
    await broker?.stop();
  }, 120_000);

  it.sequential(`7. the broker stopped for 20 s mid-stream: the subscriber recovers in-process and loses nothing (Kafka ${version.label})`, { timeout: 180_000 }, async ({ expect }) => {
    const topic = unique('c7');
    const groupId = unique('g7');
    await createTopic(broker.brokers, topic, 3);
    const before = await produceEvents(broker.brokers, topic, 3_000, 3);
    const handled: string[] = [];
    const errors: [SchedulerError, DeliveryErrorContext][] = [];
    const sub = subscriber(broker.brokers, { topic, groupId, onError: (e, c) => errors.push([e, c]) });
    await sub.run(async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 3));
      handled.push(e.executionId);
    });
    await until(() => handled.length >= 1_500, 30_000, '1,500 events before the outage');
    const t0 = Date.now();
    await broker.halt();
    const handledAtHalt = handled.length;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)); // the outage itself
    await broker.resume();
    const outage = Date.now() - t0;
    await until(() => before.events.every((e) => handled.includes(e.executionId)), 90_000, 'every event produced before the outage').catch((error: unknown) => {
      const log = errors.map(([e, c]) => `${c.action}: ${e.message}`).join('\n  ');
      throw new Error(`${String(error)}; handled ${new Set(handled).size} of ${before.events.length}; health ${JSON.stringify(sub.health())}; reports:\n  ${log}`);
    });
    // Consuming goes on in the same process: new events arrive.
    const after = await produceEvents(broker.brokers, topic, 300, 3);
    await until(() => after.events.every((e) => handled.includes(e.executionId)), 60_000, 'the events produced after the outage');
    await expect.poll(async () => (await committedToEnd(broker.brokers, groupId, topic)).done, { timeout: 20_000, interval: 250 }).toBe(true);
    const health = sub.health();
    expect(health.state).toBe('running');
    expect(errors.filter(([, c]) => c.action === 'stopped')).toEqual([]);
    const report = await checkNothingLost({
      label: `case 7 (Kafka ${version.label}; halted after ${handledAtHalt} handled, down ${outage} ms, ${health.restarts} restart(s), ${health.groupJoins} join(s), ${errors.length} error report(s))`,
      produced: [...before.byId.keys(), ...after.byId.keys()],
      handled,
    });
    expect(report.lost).toEqual([]);
  });

  it.sequential(`7. the subscriber started before the broker: it connects once the broker is up and loses nothing (Kafka ${version.label})`, { timeout: 180_000 }, async ({ expect }) => {
    const topic = unique('c7b');
    const groupId = unique('g7b');
    await createTopic(broker.brokers, topic, 3);
    const before = await produceEvents(broker.brokers, topic, 600, 3);
    await broker.halt();
    const handled: string[] = [];
    const unreachable: SchedulerError[] = [];
    const sub = subscriber(broker.brokers, {
      topic,
      groupId,
      // It waits for the broker as long as the test needs: run() must not give up meanwhile.
      connectTimeoutMs: 600_000,
      onError: (e, c) => {
        if (c.action === 'retrying' && /cannot reach Kafka/.test(e.message)) unreachable.push(e);
      },
    });
    const running = sub.run(async (e) => void handled.push(e.executionId));
    running.catch(() => {});
    await until(() => unreachable.length >= 1, 60_000, 'a report that Kafka cannot be reached');
    expect(sub.state).toBe('starting');
    // Meanwhile, another subscriber that is closed while it still waits for the broker: close()
    // and run() settle at once, and stopped resolves.
    const early = subscriber(broker.brokers, { topic, groupId: unique('g7c'), connectTimeoutMs: 600_000 });
    const earlyRun = early.run(() => {});
    earlyRun.catch(() => {});
    await until(() => early.state === 'starting', 5_000, 'the second subscriber starting');
    const t0 = Date.now();
    await within(early.close(), 5_000, 'close() while connecting');
    await within(earlyRun, 5_000, 'run() settling after close()');
    await within(early.stopped, 1_000, 'stopped after close()');
    expect(early.state).toBe('closed');
    const closeMs = Date.now() - t0;
    await broker.resume();
    await within(running, 90_000, 'run() after the broker came up');
    expect(sub.state).toBe('running');
    await until(() => before.events.every((e) => handled.includes(e.executionId)), 60_000, 'the events produced before');
    const after = await produceEvents(broker.brokers, topic, 300, 3);
    await until(() => after.events.every((e) => handled.includes(e.executionId)), 60_000, 'the events produced after');
    await expect.poll(async () => (await committedToEnd(broker.brokers, groupId, topic)).done, { timeout: 20_000, interval: 250 }).toBe(true);
    const report = await checkNothingLost({
      label: `case 7, started first (Kafka ${version.label}; ${unreachable.length} 'cannot reach' report(s); a subscriber closed while connecting settled in ${closeMs} ms)`,
      produced: [...before.byId.keys(), ...after.byId.keys()],
      handled,
    });
    expect(report.lost).toEqual([]);
  });

  if (version.label === '3.9') {
    it.sequential('a crash that kafkajs will not restart rejects `stopped`, sets state to failed and tells onError', { timeout: 180_000 }, async ({ expect }) => {
      const topic = unique('crash');
      await createTopic(broker.brokers, topic, 1);
      await produceEvents(broker.brokers, topic, 10, 1);
      const handled: string[] = [];
      const errors: [SchedulerError, DeliveryErrorContext][] = [];
      const sub = subscriber(broker.brokers, {
        topic,
        groupId: unique('g-crash'),
        // The documented way to make kafkajs give up instead of restarting.
        kafka: { retry: { retries: 0, restartOnFailure: async () => false } },
        onError: (e, c) => errors.push([e, c]),
      });
      const crashes: CrashNotice[] = [];
      sub.on('crash', (notice) => crashes.push(notice));
      await sub.run(async (e) => void handled.push(e.executionId));
      await until(() => handled.length >= 10, 30_000, 'the first events');
      expect(sub.health().state).toBe('running');
      await broker.halt();
      try {
        const error = await within(
          sub.stopped.then(
            () => new Error('stopped resolved'),
            (e: unknown) => e,
          ),
          90_000,
          'stopped rejecting',
        );
        expect(error).toBeInstanceOf(SchedulerError);
        expect((error as SchedulerError).code).toBe('SERVER_ERROR');
        expect((error as SchedulerError).message).toMatch(/crashed and will not restart/);
        expect(sub.state).toBe('failed');
        expect(sub.health().state).toBe('failed');
        expect(errors.some(([e, c]) => c.action === 'stopped' && e === error)).toBe(true);
        // Reported once as a crash event, and once to onError.
        expect(crashes).toEqual([{ error, restart: false }]);
        expect(errors.filter(([e]) => e === error)).toHaveLength(1);
        // close() after the failure resolves once the consumer has let go; state stays failed.
        await within(sub.close(), 30_000, 'close() after the crash');
        expect(sub.state).toBe('failed');
        console.log(`[kafka] crash without restart: ${(error as Error).message}`);
      } finally {
        await broker.resume();
      }
    });
  }
}

describeDedicated('KafkaJobCompletedSubscriber when the broker goes away (dedicated brokers)', 'outage cases', outageCases);
