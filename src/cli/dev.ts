import { createServer } from 'node:net';
import type { SchedulerServer } from '../testing.js';
import { parseOptions, UsageError } from './args.js';
import { DEV_PORT, OPTIONS } from './help.js';
import { CommandFailure, type CliIo } from './io.js';
import { integerOption } from './values.js';

type LogLine = readonly [level: 'error' | 'info' | 'debug', args: unknown[]];

/**
 * Runs `k1s0-scheduler dev ARGS...`: the reference server until `io.shutdown` (or SIGINT/SIGTERM).
 *
 * @returns the exit status: 0 once stopped.
 * @throws {UsageError} for a usage error; {@link CommandFailure} when the server cannot start.
 */
export async function dev(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS.dev!);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const host = (values.get('host') as string | undefined) ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host: expected a host name or address; got ""', { option: '--host' });
  const portText = values.get('port') as string | undefined;
  const port = portText === undefined ? DEV_PORT : integerOption('--port', portText, 0, 65_535);
  const brokersText = values.get('kafka-brokers') as string | undefined;
  const brokers = brokersText?.split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers !== undefined && brokers.length === 0) {
    throw new UsageError(`--kafka-brokers: expected HOST:PORT,...; got ${JSON.stringify(brokersText)}`, { option: '--kafka-brokers' });
  }

  const server = await start(host, port, brokers);
  const events = server.completions();
  await events.run((e) => {
    io.stdout.write(`${e.completedAt.toISOString()}  job ${e.jobId}  attempt ${e.attempt ?? '?'}  ${e.result}${e.error ? `  ${e.error}` : ''}\n`);
  });
  const publishing = brokers?.length ? `; publishing completions to Kafka at ${brokers.join(',')}` : '';
  io.stdout.write(`k1s0 scheduler (reference server) listening on ${server.address}${publishing}; Ctrl-C stops it\n`);
  await (io.shutdown ?? signalled());
  io.stdout.write('stopping...\n');
  await events.close();
  await server.close();
  return 0;
}

/**
 * Starts the reference server. grpc-js logs its own line when it cannot bind; that line is held
 * back while the server starts, so a failure is reported once, in the CLI's words, and replayed
 * when the server starts after all.
 */
async function start(host: string, port: number, brokers: string[] | undefined): Promise<SchedulerServer> {
  const [{ startSchedulerServer }, grpc] = await Promise.all([import('../testing.js'), import('@grpc/grpc-js')]);
  const held: LogLine[] = [];
  grpc.setLogger({
    error: (...a: unknown[]) => held.push(['error', a]),
    info: (...a: unknown[]) => held.push(['info', a]),
    debug: (...a: unknown[]) => held.push(['debug', a]),
  });
  let server: SchedulerServer;
  try {
    server = await startSchedulerServer({ host, port, ...(brokers?.length ? { kafka: { brokers } } : {}) });
  } catch (error) {
    if (port !== 0 && (mentionsAddressInUse(error) || (await addressInUse(host, port)))) {
      throw new CommandFailure('PORT_IN_USE', `port ${port} on ${host} is already in use`, { cause: error });
    }
    const detail = /errors: \[(.*)\]$/.exec(error instanceof Error ? error.message : '')?.[1] ?? (error instanceof Error ? error.message : String(error));
    throw new CommandFailure('SERVER_ERROR', `cannot start the server on ${host}:${port}: ${detail}`, { cause: error });
  } finally {
    grpc.setLogger(GRPC_DEFAULT_LOGGER);
  }
  for (const [level, a] of held) GRPC_DEFAULT_LOGGER[level](...(a as [string]));
  return server;
}

/** What grpc-js logs with when no logger is set (its own default is not exported). */
const GRPC_DEFAULT_LOGGER = {
  error: (message: unknown, ...rest: unknown[]) => console.error(`E ${String(message)}`, ...rest),
  info: (message: unknown, ...rest: unknown[]) => console.error(`I ${String(message)}`, ...rest),
  debug: (message: unknown, ...rest: unknown[]) => console.error(`D ${String(message)}`, ...rest),
};

function mentionsAddressInUse(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === 'EADDRINUSE' || /EADDRINUSE/.test(String((e as { message?: unknown }).message ?? e))) return true;
  }
  return false;
}

/** Whether listening on `host:port` fails with EADDRINUSE right now. */
function addressInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

function signalled(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
