// The subscriber's hold on kafkajs's sockets and retry loops: how long kafkajs waits between
// attempts, how many attempts it makes in each phase of the subscriber's life, and a way to let go
// of everything at once when close() runs out of time, so that no socket or timer outlives it.
import { Socket, connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { ISocketFactory, RetryOptions } from 'kafkajs';
import type { Backoff } from '../backoff.js';

/** Where the subscriber is in its life; it decides how many attempts a kafkajs retry loop makes. */
export type Phase = 'connecting' | 'running' | 'closing' | 'abandoned';

/**
 * Attempts per kafkajs retry loop while running: in effect unlimited, so that an outage of any
 * length never makes kafkajs give up and drop the member's place in the group (a new member would
 * wait for the old one's session to expire before the group lets it in).
 */
const RUNNING_RETRIES = Number.MAX_SAFE_INTEGER;
/** While connecting: a few, the subscriber's own loop tries again (and reports each failure). */
const CONNECTING_RETRIES = 3;
/** While closing: leave the group if the broker answers soon, else give up quickly. */
const CLOSING_RETRIES = 2;

/** kafkajs's own socket set-up (keep-alive after a minute, SNI for host names). */
const KEEP_ALIVE_DELAY_MS = 60_000;
const defaultSocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? tlsConnect(Object.assign({ host, port }, isIP(host) === 0 ? { servername: host } : {}, ssl as ConnectionOptions), onConnect)
    : netConnect({ host, port }, onConnect);
  socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
  return socket;
};

/**
 * Tracks the sockets kafkajs opens through it and the subscriber's phase. kafkajs cannot be told
 * to stop a retry loop, and it reads `retries` by comparing a number with it at every attempt:
 * the count handed to it is an object whose value follows the phase, so a loop that is waiting on
 * a broker that does not answer ends at its next attempt once the subscriber closes.
 */
export class KafkaConnections {
  private phase: Phase = 'connecting';
  private readonly sockets = new Set<Socket>();

  /**
   * @param userFactory the application's socket factory (`kafka.socketFactory`), if any.
   * @param waits the waits between kafkajs's attempts (`reconnectInitialMs`, `reconnectMaxMs`).
   */
  constructor(
    private readonly userFactory: ISocketFactory | undefined,
    private readonly waits: Backoff,
  ) {}

  /** Moves to `phase` (never back from closing or abandoned). */
  enter(phase: Phase): void {
    if (this.phase === 'abandoned' || (this.phase === 'closing' && phase !== 'abandoned')) return;
    this.phase = phase;
  }

  get current(): Phase {
    return this.phase;
  }

  /** The socket factory for kafkajs: the application's (from `kafka.socketFactory`) or kafkajs's own, tracked. */
  readonly socketFactory: ISocketFactory = (args) => {
    if (this.phase === 'abandoned') {
      // A connection attempt after close() let go: fail it at once, holding nothing.
      const refused = new Socket();
      process.nextTick(() => refused.destroy(new Error('the subscriber is closed')));
      return refused;
    }
    const socket = (this.userFactory ?? defaultSocketFactory)(args);
    this.sockets.add(socket as Socket);
    socket.once('close', () => this.sockets.delete(socket as Socket));
    return socket;
  };

  /** kafkajs retry options for the consumer and its cluster: our waits, a count that follows the phase. */
  retry(user: RetryOptions | undefined): RetryOptions {
    return this.options(user, (running) => Math.min(running, CONNECTING_RETRIES));
  }

  /**
   * kafkajs retry options for the dead-letter producer: a send waits out an outage like the
   * consumer does (its partition stays paused meanwhile), and ends when the subscriber closes.
   */
  producerRetry(user: RetryOptions | undefined): RetryOptions {
    return this.options(user, (running) => running);
  }

  private options(user: RetryOptions | undefined, whileConnecting: (running: number) => number): RetryOptions {
    const running = user?.retries ?? RUNNING_RETRIES;
    return { initialRetryTime: this.waits.initialMs, maxRetryTime: this.waits.maxMs, ...user, retries: this.retries(running, whileConnecting(running)) };
  }

  private retries(running: number, connecting: number): number {
    const phase = (): number => {
      switch (this.phase) {
        case 'connecting':
          return connecting;
        case 'running':
          return running;
        case 'closing':
          return Math.min(running, CLOSING_RETRIES);
        case 'abandoned':
          return 0;
      }
    };
    // kafkajs compares `retryCount < retries` at each attempt: valueOf is read every time.
    return { valueOf: phase } as unknown as number;
  }

  /**
   * Lets go of everything: every retry loop ends at its next attempt, every open socket is
   * destroyed with an error (which fails the requests waiting on it at once, even on a broker that
   * does not answer), and new connections fail immediately.
   */
  abandon(): void {
    this.phase = 'abandoned';
    for (const socket of this.sockets) socket.destroy(new Error('the subscriber is closed'));
  }

  /** Resolves once every socket opened through it has closed, or after `ms` (false). */
  async closed(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.sockets.size > 0) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  /** Open sockets, for diagnostics. */
  get openSockets(): number {
    return this.sockets.size;
  }
}
