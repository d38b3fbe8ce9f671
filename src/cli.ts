import { version } from '../package.json';
import { SchedulerError } from './errors.js';
import { closest, isHelpFlag, optionArea, UsageError } from './cli/args.js';
import { dev } from './cli/dev.js';
import { COMMANDS, HELP, JOBS_SUBCOMMANDS, type JobsSubcommand } from './cli/help.js';
import { CommandFailure, type CliIo } from './cli/io.js';
import { jobs } from './cli/jobs.js';
import { commandName, failureText, schedulerErrorText, usageErrorText } from './cli/render.js';

export { UsageError } from './cli/args.js';
export { DEV_PORT } from './cli/help.js';
export { CommandFailure, type CliIo } from './cli/io.js';
export { formatDuration, parseDuration } from './cli/values.js';

/** The version of this package, as `k1s0-scheduler --version` prints it. */
export const VERSION: string = version;

/** What the command line asks for once its command words are read. */
type Resolved =
  | { kind: 'version' }
  | { kind: 'help'; words: string[] }
  | { kind: 'dev'; words: string[]; rest: string[] }
  | { kind: 'jobs'; words: string[]; sub: JobsSubcommand; rest: string[] };

/**
 * Runs the CLI with `argv` (without node and the script) and returns the exit status: 0 on
 * success, 1 when the scheduler (or the server `dev` starts) reports an error, 2 on a usage error.
 * Errors are printed to `io.stderr` as one line, or as one line of JSON when `argv` has `--json`.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const json = optionArea(argv).includes('--json');
  let words: string[] = [];
  try {
    const resolved = resolve(argv, (w) => (words = w));
    switch (resolved.kind) {
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case 'help':
        io.stdout.write(HELP[resolved.words.join(' ')]!);
        return 0;
      case 'dev':
        return await dev(resolved.rest, io);
      case 'jobs':
        return await jobs(resolved.sub, resolved.rest, io);
    }
  } catch (error) {
    const command = commandName(words);
    if (error instanceof UsageError) {
      io.stderr.write(usageErrorText(error, command, json));
      return 2;
    }
    if (error instanceof CommandFailure) {
      io.stderr.write(failureText(error, command, json));
      return 1;
    }
    io.stderr.write(schedulerErrorText(SchedulerError.from(error), command, json));
    return 1;
  }
}

/**
 * Reads the command words. `--help` anywhere before `--` asks for the help of the deepest command
 * named so far, whatever else the line holds. `at` is told each command word as it is accepted, so
 * that a usage error names the command it belongs to.
 */
function resolve(argv: readonly string[], at: (words: string[]) => void): Resolved {
  const help = optionArea(argv).some(isHelpFlag);
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`expected a command: ${COMMANDS.join(', ')}`);
  if (first === '--version') {
    if (rest.length > 0) throw new UsageError(`--version takes no arguments; got '${rest[0]}'`, { option: '--version' });
    return { kind: 'version' };
  }
  if (isHelpFlag(first)) return { kind: 'help', words: [] };
  if (first === 'help') {
    at(['help']);
    const topic = rest.filter((a) => !isHelpFlag(a));
    if (topic.length === 0) return { kind: 'help', words: help ? ['help'] : [] };
    if (HELP[topic.join(' ')] === undefined) throw unknownWord('command', topic.join(' '), Object.keys(HELP).filter((k) => k !== ''));
    return { kind: 'help', words: topic };
  }
  if (first === 'dev') {
    at(['dev']);
    return help ? { kind: 'help', words: ['dev'] } : { kind: 'dev', words: ['dev'], rest };
  }
  if (first === 'jobs') {
    at(['jobs']);
    const [sub, ...subRest] = rest;
    if ((JOBS_SUBCOMMANDS as readonly (string | undefined)[]).includes(sub)) {
      const words = ['jobs', sub!];
      at(words);
      return help ? { kind: 'help', words } : { kind: 'jobs', words, sub: sub as JobsSubcommand, rest: subRest };
    }
    if (help) return { kind: 'help', words: ['jobs'] };
    if (sub === undefined) throw new UsageError(`expected a subcommand: ${JOBS_SUBCOMMANDS.join(', ')}`);
    if (sub.startsWith('-')) throw new UsageError(`expected a subcommand (${JOBS_SUBCOMMANDS.join(', ')}) before '${sub}'`);
    throw unknownWord('subcommand', sub, JOBS_SUBCOMMANDS);
  }
  if (help) return { kind: 'help', words: [] };
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'`, { option: first });
  throw unknownWord('command', first, COMMANDS);
}

function unknownWord(what: string, word: string, candidates: readonly string[]): UsageError {
  const guess = closest(word, candidates);
  return new UsageError(`unknown ${what} '${word}'${guess === undefined ? '' : ` (did you mean '${guess}'?)`}`);
}
