// KafkaConnections, the subscriber's hold on kafkajs's retry loops and sockets, against kafkajs's
// own retry loop and real loopback sockets (a server that accepts and never answers, as a paused
// broker does).
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { KafkaConnections } from '../src/kafka/connections.js';
import { transient } from '../src/kafka/consumer.js';

// kafkajs's error classes as its code builds them (its type definitions omit the options argument).
type ErrorClass = new (e: unknown, options?: object) => Error;
const errors = kafkajs as unknown as Record<string, ErrorClass>;
const KafkaJSConnectionError = errors.KafkaJSConnectionError!;
const KafkaJSNonRetriableError = errors.KafkaJSNonRetriableError!;
const KafkaJSNumberOfRetriesExceeded = errors.KafkaJSNumberOfRetriesExceeded!;
const KafkaJSSASLAuthenticationError = errors.KafkaJSSASLAuthenticationError!;

type Retrier = (options: object) => <T>(fn: (bail: (e: Error) => void, retryCount: number) => Promise<T>) => Promise<T>;
// kafkajs's retry loop, as its consumer, cluster and producer use it.
const createRetry = createRequire(import.meta.url)('kafkajs/src/retry/index.js') as Retrier;

/** Short waits between attempts, so that a test of many attempts takes little time. */
const WAITS = { initialMs: 1, maxMs: 2 };

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A loopback server that accepts connections and never answers. */
async function silentServer(): Promise<{ port: number; accepted: Socket[] }> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => void accepted.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  server.on('close', () => accepted.forEach((s) => s.destroy()));
  return { port: address.port, accepted };
}

describe('KafkaConnections', () => {
  it("gives kafkajs's retry loop a count that follows the phase: unlimited while running, ended at the next attempt once abandoned", async () => {
    const connections = new KafkaConnections(undefined, WAITS);
    connections.enter('running');
    const retry = createRetry(connections.retry(undefined));
    let attempts = 0;
    const loop = retry(async () => {
      attempts++;
      if (attempts === 50) connections.abandon();
      throw new Error('broker unreachable');
    });
    const error = (await loop.catch((e: unknown) => e)) as Error;
    // kafkajs's default would have given up after 6 attempts; running, it went on until abandoned,
    // then made the one attempt it had already decided on (the count is read before each attempt).
    expect(attempts).toBe(51);
    expect(error.name).toBe('KafkaJSNumberOfRetriesExceeded');
  });

  it('allows a few attempts while connecting and closing, and respects a count the application set', async () => {
    const count = async (connections: KafkaConnections, user?: { retries: number }): Promise<number> => {
      let attempts = 0;
      await createRetry(connections.retry(user))(async () => {
        attempts++;
        throw new Error('x');
      }).catch(() => {});
      return attempts;
    };
    const connecting = new KafkaConnections(undefined, WAITS);
    expect(await count(connecting)).toBe(4); // the first attempt and 3 retries
    const closing = new KafkaConnections(undefined, WAITS);
    closing.enter('closing');
    closing.enter('running'); // never back from closing
    expect(closing.current).toBe('closing');
    expect(await count(closing)).toBe(3);
    const user = new KafkaConnections(undefined, WAITS);
    user.enter('running');
    expect(await count(user, { retries: 1 })).toBe(2);
  });

  it('destroys every socket it opened when abandoned, failing what waits on one that never answers, and refuses new ones at once', async () => {
    const { port, accepted } = await silentServer();
    const connections = new KafkaConnections(undefined, WAITS);
    const socket = connections.socketFactory({ host: '127.0.0.1', port, ssl: undefined as never, onConnect: () => {} });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    expect(connections.openSockets).toBe(1);
    const failed = new Promise<Error>((resolve) => socket.once('error', resolve));
    connections.abandon();
    expect((await failed).message).toBe('the subscriber is closed');
    expect(await connections.closed(1_000)).toBe(true);
    expect(connections.openSockets).toBe(0);
    // A connection attempt after that fails on its own, without reaching the server.
    const before = accepted.length;
    const refused = connections.socketFactory({ host: '127.0.0.1', port, ssl: undefined as never, onConnect: () => {} });
    const refusal = await new Promise<Error>((resolve) => refused.once('error', resolve));
    expect(refusal.message).toBe('the subscriber is closed');
    expect(accepted.length).toBe(before);
    expect(connections.openSockets).toBe(0);
  });

  it("uses the application's socket factory when it gives one, and tracks its sockets", async () => {
    const { port } = await silentServer();
    const made: Socket[] = [];
    const { connect } = await import('node:net');
    const connections = new KafkaConnections(({ host, port: p, onConnect }) => {
      const s = connect({ host, port: p }, onConnect);
      made.push(s);
      return s;
    }, WAITS);
    const socket = connections.socketFactory({ host: '127.0.0.1', port, ssl: undefined as never, onConnect: () => {} });
    expect(made).toEqual([socket]);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const failed = new Promise<Error>((resolve) => socket.once('error', resolve));
    connections.abandon();
    expect((await failed).message).toBe('the subscriber is closed');
    expect(await connections.closed(1_000)).toBe(true);
  });
});

describe('which kafkajs crashes the subscriber restarts from', () => {
  it('restarts from the network, and from a retry loop that ran out, even wrapped as non-retriable', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    expect(transient(refused)).toBe(true);
    const ranOut = new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 3, retryTime: 1000 });
    expect(transient(new KafkaJSNonRetriableError(ranOut, { cause: ranOut }))).toBe(true);
    expect(transient(new KafkaJSNonRetriableError(refused, { cause: refused }))).toBe(true);
  });

  it('fails for good on authentication errors and bugs', () => {
    expect(transient(new KafkaJSSASLAuthenticationError('SASL PLAIN authentication failed'))).toBe(false);
    const bug = new TypeError("Cannot read properties of undefined (reading 'offset')");
    expect(transient(bug)).toBe(false);
    expect(transient(new KafkaJSNonRetriableError(bug, { cause: bug }))).toBe(false);
    expect(transient('not an error')).toBe(false);
  });
});
