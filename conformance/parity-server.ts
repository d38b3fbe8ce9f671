// The reference server as the parity scenarios meet it: a fresh scheduler on a virtual clock that
// starts at a fixed instant (so every language's run sees the same times), plus a server
// interceptor that lets a client ask for a slow response, which makes TIMEOUT and CANCELLED
// deterministic in every language, and an executor whose runs a job's payload can make fail or
// hold, which makes failures and runs in flight deterministic too.
import * as grpc from '@grpc/grpc-js';
import { VirtualClock } from '../src/index.js';
import { startSchedulerServer, type JobExecutor, type SchedulerServer } from '../src/testing.js';

/**
 * Request header that asks the parity server to hold its response (message and status) for this
 * many milliseconds after the request arrived. The response headers go out at once, so a client
 * can tell that the call has reached the server (and cancel it then) while the answer is held.
 */
export const DELAY_HEADER = 'x-k1s0-test-delay-ms';

/** The longest delay a call may ask for; larger values are clamped. */
export const MAX_DELAY_MS = 60_000;

/**
 * Where the parity server's virtual clock starts. It never moves during a scenario: only
 * TriggerJob runs anything. It lies far in the future because the TypeScript client checks a
 * one-shot's run_at against the real clock before sending it, and the scenario derives run_at
 * from the server's created_at.
 */
export const PARITY_START = new Date('2100-01-01T00:00:00.000Z');

/** The error of an attempt that {@link parityExecutor} fails on request. */
export const PARITY_FAILURE = 'parity: the run failed as asked';
/** The error of a held attempt that the scheduler stopped (CancelJob, DeleteJob). */
export const PARITY_STOPPED = 'parity: the run was stopped';

/**
 * What a run does on the parity server, chosen by the job's payload: `{"parity": "fail"}` fails
 * every attempt with {@link PARITY_FAILURE}; `{"parity": "hold"}` keeps every attempt in flight
 * until the scheduler stops it (CancelJob, DeleteJob), and it then fails with
 * {@link PARITY_STOPPED}; any other payload succeeds at once, as the reference server's default
 * executor does. The clock never moves, so a held attempt never times out.
 */
export const parityExecutor: JobExecutor = (job, _attempt, signal) => {
  const payload = job.payload as { parity?: unknown } | null;
  const asked = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload.parity : undefined;
  if (asked === 'fail') throw new Error(PARITY_FAILURE);
  if (asked !== 'hold') return undefined;
  return new Promise<never>((_, reject) => {
    const stop = () => reject(new Error(PARITY_STOPPED));
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
};

/** What the parity server saw of the calls that asked for a delay. */
export interface DelayedCalls {
  /** Calls that carried {@link DELAY_HEADER}. */
  received: number;
  /** Of those, the calls that ended before the server answered (client deadline or cancel). */
  abandoned: number;
}

/** Holds the response of every call that carries {@link DELAY_HEADER}; see there. */
export function requestedDelayInterceptor(seen: DelayedCalls = { received: 0, abandoned: 0 }): grpc.ServerInterceptor {
  return (_method, call) => {
    let releaseAt = 0;
    const hold = (send: () => void): void => {
      const wait = releaseAt - Date.now();
      if (wait <= 0) return send();
      // A call the client has given up on ends before this fires; sending then is a no-op.
      setTimeout(send, wait).unref();
    };
    const intercepted: grpc.ServerInterceptingCall = new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const asked = Number(metadata.get(DELAY_HEADER)[0] ?? 0);
            const delay = Number.isInteger(asked) && asked > 0 ? Math.min(asked, MAX_DELAY_MS) : 0;
            nextMetadata(metadata);
            if (delay > 0) {
              seen.received++;
              releaseAt = Date.now() + delay;
              intercepted.sendMetadata(new grpc.Metadata());
            }
          },
          onCancel: () => {
            if (releaseAt > Date.now()) seen.abandoned++;
          },
        }),
      sendMessage: (message, next) => hold(() => next(message)),
      sendStatus: (status, next) => hold(() => next(status)),
    });
    return intercepted;
  };
}

/** Options of {@link startParityServer}. */
export interface ParityServerOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
}

/** A reference server for one scenario run, and what it saw of delayed calls. */
export interface ParityServer {
  server: SchedulerServer;
  delayed: DelayedCalls;
}

/** Starts a fresh reference server for one scenario run. Close it with `server.close()`. */
export async function startParityServer(options: ParityServerOptions = {}): Promise<ParityServer> {
  const delayed: DelayedCalls = { received: 0, abandoned: 0 };
  const server = await startSchedulerServer({
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    clock: new VirtualClock(PARITY_START),
    executor: parityExecutor,
    interceptors: [requestedDelayInterceptor(delayed)],
  });
  return { server, delayed };
}
