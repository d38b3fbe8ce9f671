// KafkaJobCompletedSubscriber under faults, against a steady stream of events on a dedicated broker
// (scripts/kafka.sh start --name <unique>): the broker stopped for 20 s, killed and restarted,
// paused; a group of three where one member is killed and another closed; a slow handler; close()
// during an outage in a child process that must then exit by itself. The scenarios live in
// support/faults.ts (bench/kafka-faults.ts repeats them for the numbers); each test asserts that
// nothing was lost and what its scenario guarantees, and prints its measurements (recovery times
// and rates are printed, never asserted). The scenarios of a version share one broker, each leaving
// it running; the 3.9 and 4.1 suites run at the same time (about 2.5 minutes in all on 2 cores).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WATCHED_OTHERS, brokerOutage, closeDuringOutage, groupOfThree, slowHandler, type ScenarioResult } from './support/faults.js';
import { describeDedicated, startDedicatedBroker, type DedicatedBroker, type DedicatedVersion } from './support/kafka.js';


const print = (version: string, result: ScenarioResult): void => console.log(`[kafka] faults (Kafka ${version}) ${result.summary}`);

function faultCases(version: DedicatedVersion): void {
  // Per suite: the suites of the two versions run at the same time.
  let broker: DedicatedBroker;
  beforeAll(async () => {
    broker = await startDedicatedBroker(version.label, `faults-${version.label}`);
  }, 240_000);
  afterAll(async () => {
    await broker?.stop();
  }, 120_000);

  it.sequential('the broker stopped for 20 s: the subscriber recovers in-process and loses nothing', { timeout: 300_000 }, async () => {
    const result = await brokerOutage(broker, 'stopped');
    print(version.label, result);
    expect(result.lost).toEqual([]);
    expect(result.produced).toBeGreaterThan(0);
  });

  it.sequential('the broker killed (SIGKILL) and restarted: the subscriber recovers in-process and loses nothing', { timeout: 300_000 }, async () => {
    const result = await brokerOutage(broker, 'killed');
    print(version.label, result);
    expect(result.lost).toEqual([]);
    expect(result.produced).toBeGreaterThan(0);
  });

  it.sequential('the broker paused (SIGSTOP) for 15 s and continued: the subscriber goes on and loses nothing', { timeout: 300_000 }, async () => {
    const result = await brokerOutage(broker, 'paused');
    print(version.label, result);
    expect(result.lost).toEqual([]);
    expect(result.produced).toBeGreaterThan(0);
  });

  it.sequential('a group of three: one member killed (SIGKILL), one closed; the survivor takes every partition over and nothing is lost', { timeout: 300_000 }, async () => {
    const result = await groupOfThree(broker);
    print(version.label, result);
    expect(result.lost).toEqual([]);
    // Each member had its share before the faults, so each fault moved work that was under way.
    expect(result.perMember.killed).toBeGreaterThan(0);
    expect(result.perMember.closed).toBeGreaterThan(0);
    expect(result.survivorPartitions).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it.sequential('a 15 s handler on partition 0 (session timeout 10 s): the other partitions go on, no rebalance, partition 0 keeps its order', { timeout: 300_000 }, async () => {
    const result = await slowHandler(broker);
    print(version.label, result);
    expect(result.lost).toEqual([]);
    // The slow handler ends only once the first events of the other partitions produced after it
    // started are handled (or at a failure detector's bound): they were produced, and each was
    // handled while it still ran.
    expect(result.producedDuring).toBe(WATCHED_OTHERS);
    expect(result.notHandledInTime).toEqual([]);
    // Heartbeats went on: the member joined once and never again (the scenario's topic answers
    // ListOffsets before the member joins, so no start-up rejoin muddles this).
    expect({ joins: result.groupJoins, beforeTheSlowHandler: result.joinsBeforeSlow }).toEqual({ joins: 1, beforeTheSlowHandler: 1 });
    // Partition 0: in order, and nothing after the slow event started before it was done.
    expect(result.partition0InOrder).toBe(true);
    expect(result.startedDuringSlow).toEqual([]);
    expect(result.handledBeforeSlowEnded).toEqual([]);
  });

  for (const outage of ['paused', 'stopped'] as const) {
    it.sequential(`close() with the broker ${outage}: close settles, the process holds no socket or timer of the subscriber and exits by itself`, { timeout: 300_000 }, async () => {
      const result = await closeDuringOutage(broker, outage);
      print(version.label, result);
      expect(result.lost).toEqual([]);
      // No TCPSocketWrap or Timeout beyond those of the process before the subscriber existed.
      expect(result.leftoverHandles).toEqual([]);
      expect(result.exitedByItself).toBe(true);
      expect(result.exit).toEqual({ code: 0, signal: null });
    });
  }
}

describeDedicated('KafkaJobCompletedSubscriber under faults (dedicated brokers, a steady stream of events)', 'fault cases', faultCases);
