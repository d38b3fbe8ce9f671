/**
 * A command-line mistake: an unknown command or option, a missing or malformed argument, a value
 * outside its limits. The CLI prints it as one line naming the command, with a hint to `--help`,
 * and exits with status 2.
 */
export class UsageError extends Error {
  /** The option at fault, such as `--every`, if any. */
  readonly option: string | undefined;
  /** The bound that was broken, such as `0 to 100`, if any. */
  readonly limit: string | undefined;
  /**
   * The place at fault when it is not an option's own value: a place in a file the command reads,
   * such as `jobs[2].schedule.cron` for `jobs apply -f FILE`.
   */
  readonly field: string | undefined;

  /**
   * @param message what is wrong, without the command name and without a final period.
   * @param details the option at fault, the limit broken, and the place in a file.
   */
  constructor(message: string, details: { option?: string; limit?: string; field?: string } = {}) {
    super(message);
    this.name = 'UsageError';
    this.option = details.option;
    this.limit = details.limit;
    this.field = details.field;
  }
}

/**
 * An option a command accepts: `--name VALUE` (string), `--label K=V` given any number of times
 * (list), or `--json` (boolean).
 */
export interface OptionSpec {
  /** The name without the leading dashes. */
  name: string;
  /** Whether the option takes a value, and whether it may be given more than once. */
  kind: 'string' | 'boolean' | 'list';
  /** A one-letter form, such as `f` for `-f FILE`, if any. */
  short?: string;
}

/** The options and positional arguments of one command line. */
export interface ParsedArgs {
  /** Each option given once at most, by name: its value, or `true` for a boolean option. */
  values: Map<string, string | true>;
  /** Each list option given, by name: its values in order. */
  lists: Map<string, string[]>;
  /** The arguments that are not options, in order. */
  positionals: string[];
}

/** Options that an earlier version of the CLI had, and what replaces them. */
const RENAMED: Readonly<Record<string, string>> = Object.freeze({
  'timeout-secs': "use --timeout with a unit, such as '--timeout 30s'",
});

/** Whether `arg` asks for help. */
export function isHelpFlag(arg: string): boolean {
  return arg === '-h' || arg === '--help';
}

/** The arguments before a `--` terminator, where options can appear. */
export function optionArea(args: readonly string[]): readonly string[] {
  const end = args.indexOf('--');
  return end === -1 ? args : args.slice(0, end);
}

/**
 * Reads `args` against `specs`. Options are long (`--name VALUE` or `--name=VALUE`), or the short
 * form a spec names (`-f VALUE`); a string option takes the next argument as its value even when
 * it starts with a dash (so `--every -5s` reaches the duration check), unless that argument is
 * itself an option of the command. A list option may be given any number of times; any other
 * option once. `--` ends the options. An option given in its short form is reported (and
 * stored) under its long name.
 *
 * @throws {UsageError} for an unknown option, a missing value, a value given to a boolean option,
 *   or an option other than a list given twice.
 */
export function parseOptions(args: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short !== undefined).map((s) => [`-${s.short}`, s]));
  const isKnownOption = (arg: string): boolean => isHelpFlag(arg) || byShort.has(arg) || (arg.startsWith('--') && byName.has(arg.slice(2).split('=')[0]!));
  const values = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const short = byShort.get(arg);
    if (short !== undefined) arg = `--${short.name}`;
    if (!arg.startsWith('--')) throw unknownOption(arg, specs);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (spec === undefined) throw unknownOption(`--${name}`, specs);
    if (values.has(name)) throw new UsageError(`--${name} is given more than once`, { option: `--${name}` });
    if (spec.kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value; got ${JSON.stringify(arg.slice(eq + 1))}`, { option: `--${name}` });
      values.set(name, true);
      continue;
    }
    const set = (value: string): void => {
      if (spec.kind === 'list') lists.set(name, [...(lists.get(name) ?? []), value]);
      else values.set(name, value);
    };
    if (eq !== -1) {
      set(arg.slice(eq + 1));
      continue;
    }
    const next = args[i + 1];
    if (next === undefined || next === '--' || isKnownOption(next)) throw new UsageError(`--${name} needs a value`, { option: `--${name}` });
    set(next);
    i++;
  }
  return { values, lists, positionals };
}

function unknownOption(option: string, specs: readonly OptionSpec[]): UsageError {
  const renamed = RENAMED[option.replace(/^--?/, '')];
  if (renamed !== undefined) return new UsageError(`${option} is no longer an option; ${renamed}`, { option });
  const guess = closest(option.replace(/^--?/, ''), specs.map((s) => s.name));
  return new UsageError(`unknown option '${option}'${guess === undefined ? '' : ` (did you mean '--${guess}'?)`}`, { option });
}

/** The candidate closest to `word`, if it is within two edits (one for short words). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const within = Math.min(2, Math.floor(word.length / 2));
  let best: string | undefined;
  let bestDistance = within + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
