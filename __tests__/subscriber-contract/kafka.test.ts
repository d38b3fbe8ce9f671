// The subscriber contract against the Kafka subscriber on a real broker (see ../support/kafka.ts
// for where it comes from): each case gets a topic of one partition, a consumer group and, when it
// asks for one, a dead-letter topic of its own.
import { KafkaJobCompletedSubscriber } from '../../src/index.js';
import { KAFKA_39, committedOffsets, createTopic, describeKafka, endOffsets, produce, readTopic, unique } from '../support/kafka.js';
import { subscriberContract, type Stream } from './contract.js';

describeKafka('the subscriber contract on Kafka', KAFKA_39, (kafka) => {
  const open: KafkaJobCompletedSubscriber[] = [];
  subscriberContract({
    name: 'KafkaJobCompletedSubscriber',
    // A topic, a group join and a close; each well under this on a loaded machine.
    caseTimeoutMs: 90_000,
    async open({ deadLetter, ...options }): Promise<Stream> {
      const topic = unique('contract');
      const groupId = unique('g-contract');
      const deadLetterTopic = deadLetter === true ? `${topic}.dlq` : undefined;
      await createTopic(kafka.brokers, topic, 1);
      if (deadLetterTopic !== undefined) await createTopic(kafka.brokers, deadLetterTopic, 1);
      const subscriber = new KafkaJobCompletedSubscriber({
        brokers: kafka.brokers,
        topic,
        groupId,
        sessionTimeout: 6_000,
        heartbeatInterval: 1_000,
        closeTimeoutMs: 20_000,
        ...(deadLetterTopic === undefined ? {} : { deadLetterTopic }),
        ...options,
      });
      open.push(subscriber);
      return {
        subscriber,
        async publish(items) {
          await produce(
            kafka.brokers,
            topic,
            items.map((item) => ('raw' in item ? { raw: { partition: 0, key: 'raw', value: item.raw.value, headers: item.raw.headers } } : { event: item, partition: 0 })),
          );
        },
        async deadLetters() {
          if (deadLetterTopic === undefined) return [];
          const dead = await readTopic(kafka.brokers, deadLetterTopic);
          return dead.map((m) => (JSON.parse(m.value!.toString()) as { execution_id: string }).execution_id);
        },
        async unacknowledged() {
          const [committed, end] = await Promise.all([committedOffsets(kafka.brokers, groupId, topic), endOffsets(kafka.brokers, topic)]);
          return end[0]! - Math.max(committed[0] ?? 0, 0);
        },
      };
    },
    async cleanup() {
      for (const subscriber of open.splice(0)) await subscriber.close();
    },
  });
});
