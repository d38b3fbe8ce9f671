// The Kafka broker and clients the Kafka benchmark sections share: KAFKA_BROKERS when set, else a
// broker of their own from scripts/kafka.sh.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const run$ = promisify(execFile);
export const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

// ---- the broker ------------------------------------------------------------------------------

export async function broker(): Promise<{ brokers: string[]; stop: () => Promise<void>; where: string }> {
  const env = process.env.KAFKA_BROKERS;
  if (env !== undefined && env.trim() !== '') return { brokers: env.split(',').map((b) => b.trim()), stop: async () => {}, where: `KAFKA_BROKERS (${env})` };
  const name = unique('bench');
  console.log(`   starting a broker with scripts/kafka.sh start --name ${name}`);
  const { stdout } = await run$('scripts/kafka.sh', ['start', '--name', name], { timeout: 300_000 });
  const line = stdout.split('\n').find((l) => l.startsWith('KAFKA_BROKERS='));
  if (line === undefined) throw new Error(`scripts/kafka.sh start printed no KAFKA_BROKERS line: ${stdout}`);
  return {
    brokers: [line.slice('KAFKA_BROKERS='.length)],
    stop: async () => void (await run$('scripts/kafka.sh', ['stop', '--name', name], { timeout: 120_000 })),
    where: `a broker of its own (scripts/kafka.sh start, Kafka 3.9.2)`,
  };
}

export const client = (brokers: string[]) => new Kafka({ clientId: 'k1s0-bench', brokers, logLevel: logLevel.NOTHING });

export async function createTopic(brokers: string[], topic: string, partitions: number): Promise<void> {
  const admin = client(brokers).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

