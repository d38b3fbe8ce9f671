/** Where the CLI reads and writes; process streams by default, buffers in tests. */
export interface CliIo {
  /** Where results, help and the version go. */
  stdout: { write(text: string): unknown };
  /** Where errors go. */
  stderr: { write(text: string): unknown };
  /** Where `jobs apply -f -` reads the file from. @default process.stdin */
  stdin?: AsyncIterable<Uint8Array | string>;
  /** The environment: `K1S0_SCHEDULER_URL`, `K1S0_SCHEDULER_TOKEN`. */
  env: Record<string, string | undefined>;
  /** Resolves when the process should stop: `dev` stops its server, `jobs wait` stops waiting. @default SIGINT or SIGTERM */
  shutdown?: Promise<void>;
}

/**
 * A command that was used correctly but could not do its work, for a reason that is neither a
 * usage error nor a {@link SchedulerError} (a port in use). Printed as one line; exit status 1.
 */
export class CommandFailure extends Error {
  /** A stable code for `--json` output, such as `PORT_IN_USE`. */
  readonly code: string;

  /**
   * @param code a stable code for `--json` output.
   * @param message one sentence, without the command name.
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandFailure';
    this.code = code;
  }
}
