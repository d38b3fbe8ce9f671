import { DEFAULTS, LIMITS } from '../limits.js';
import { JOB_STATUSES } from '../types.js';
import type { OptionSpec } from './args.js';
import { formatDuration, TIME_EXAMPLES } from './values.js';

/** The name the CLI is installed under. */
export const PROGRAM = 'k1s0-scheduler';

/** The port `k1s0-scheduler dev` listens on, as in the platform's local set-up. */
export const DEV_PORT = 8093;

/** The deadline of a jobs call unless `--deadline` says otherwise. */
export const DEFAULT_DEADLINE_MS = 10_000;

/** The jobs subcommands that take one job ID. */
export const ID_SUBCOMMANDS = ['get', 'pause', 'resume', 'cancel', 'trigger', 'executions'] as const;

/** Every jobs subcommand, in the order of the help. */
export const JOBS_SUBCOMMANDS = ['create', 'list', ...ID_SUBCOMMANDS] as const;

/** A jobs subcommand. */
export type JobsSubcommand = (typeof JOBS_SUBCOMMANDS)[number];

/** The top-level commands. */
export const COMMANDS = ['dev', 'jobs', 'help'] as const;

/** Options every jobs subcommand accepts. */
export const JOBS_COMMON_OPTIONS: readonly OptionSpec[] = [
  { name: 'server', kind: 'string' },
  { name: 'token', kind: 'string' },
  { name: 'deadline', kind: 'string' },
  { name: 'json', kind: 'boolean' },
];

/** The options of each command, besides `-h`/`--help`. */
export const OPTIONS: Readonly<Record<string, readonly OptionSpec[]>> = {
  dev: [
    { name: 'host', kind: 'string' },
    { name: 'port', kind: 'string' },
    { name: 'kafka-brokers', kind: 'string' },
  ],
  'jobs create': [
    ...['name', 'cron', 'timezone', 'at', 'every', 'payload', 'max-retries', 'timeout', 'request-id'].map((name) => ({ name, kind: 'string' as const })),
    ...JOBS_COMMON_OPTIONS,
  ],
  'jobs list': [{ name: 'status', kind: 'string' }, { name: 'prefix', kind: 'string' }, ...JOBS_COMMON_OPTIONS],
  ...Object.fromEntries(ID_SUBCOMMANDS.map((sub) => [`jobs ${sub}`, JOBS_COMMON_OPTIONS])),
};

const HELP_OPTION = '  -h, --help             show this help';

const common = (heading: string): string => `${heading}:
  --server URL           the scheduler: host:port, http://host:port or https://host:port
                         (default $K1S0_SCHEDULER_URL, else 127.0.0.1:${DEV_PORT})
  --token TOKEN          sent as "authorization: Bearer TOKEN" (default $K1S0_SCHEDULER_TOKEN)
  --deadline DURATION    how long the call may take (default ${formatDuration(DEFAULT_DEADLINE_MS)})
  --json                 print JSON instead of a table; errors go to stderr as JSON too
${HELP_OPTION}`;
const SHARED = 'Options of every jobs subcommand';

const DURATION = `DURATION is a number with a unit, h, m, s or ms, largest first, each at most once:
500ms, 30s, 5m, 1h, 1m30s, 1h30m. A bare number other than 0 is refused. Durations are shown
the same way, in the largest exact units (90000 ms is 1m30s).`;

const EXIT = 'Exit status: 0 on success, 1 when the scheduler reports an error, 2 on a usage error.';

const ONE_JOB: Readonly<Record<(typeof ID_SUBCOMMANDS)[number], string>> = {
  get: 'Shows a job.',
  pause: 'Pauses a job: nothing fires until it is resumed. Prints the job after the change.',
  resume: 'Resumes a paused job; its next run is computed from now. Prints the job after the change.',
  cancel: 'Cancels a job for good (an attempt in flight is aborted). Prints the job after the change.',
  trigger: 'Runs a pending job now, besides its schedule, and prints the execution that starts.',
  executions: "Lists a job's executions (attempts), oldest first.",
};

/** The help text of each command, by its words after the program name (`''` for the program). */
export const HELP: Readonly<Record<string, string>> = {
  '': `${PROGRAM}: the k1s0 scheduler from the command line

Usage: ${PROGRAM} COMMAND [ARGUMENTS] [OPTIONS]

Commands:
  dev                    run the reference scheduler server on 127.0.0.1:${DEV_PORT}
  jobs                   create, show, list, pause, resume, cancel and trigger jobs
  help [COMMAND...]      show the help of a command, like '${PROGRAM} help jobs create'

Options:
${HELP_OPTION} (also after any command: '${PROGRAM} jobs create --help')
  --version              print the version

A usage error prints one line and a hint to --help. With --json, errors go to stderr as
{"error":{"code":...,"message":...}}.
${EXIT}
`,
  help: `Usage: ${PROGRAM} help [COMMAND...]

Shows the help of a command, as '${PROGRAM} COMMAND... --help' does.
`,
  dev: `Usage: ${PROGRAM} dev [--host HOST] [--port PORT] [--kafka-brokers HOST:PORT,...]

Runs the reference scheduler server (in memory, on real time) until Ctrl-C, and prints every
finished attempt.

Options:
  --host HOST            the address to listen on (default 127.0.0.1)
  --port PORT            the port, 0 for any free one (default ${DEV_PORT})
  --kafka-brokers LIST   also publish completion events to these Kafka brokers (HOST:PORT,...)
${HELP_OPTION}

Exit status: 0 when stopped, 1 when the server cannot start (a port in use), 2 on a usage error.
`,
  jobs: `Usage: ${PROGRAM} jobs SUBCOMMAND [ARGUMENTS] [OPTIONS]

Subcommands:
  create                 create a job with a cron, one-shot or interval schedule
  list                   list jobs
  get ID                 show a job
  pause ID               pause a job
  resume ID              resume a paused job
  cancel ID              cancel a job for good
  trigger ID             run a job now, besides its schedule
  executions ID          list a job's executions

${common(SHARED)}

Run '${PROGRAM} jobs SUBCOMMAND --help' for the options of a subcommand.
${EXIT}
`,
  'jobs create': `Usage: ${PROGRAM} jobs create --name NAME (--cron EXPR [--timezone TZ] | --at TIME | --every DURATION)
                             [--payload JSON] [--max-retries N] [--timeout DURATION] [--request-id ID]

Creates a job and prints it.

Options:
  --name NAME            the job's name, 1 to ${LIMITS.nameMaxChars} characters
  --cron EXPR            run on a cron expression: 5 fields, 6 with seconds first, or
                         @hourly, @daily, @weekly, @monthly, @yearly
  --timezone TZ          the IANA time zone --cron is read in (default ${DEFAULTS.timezone})
  --at TIME              run once at TIME
  --every DURATION       run every DURATION, ${formatDuration(LIMITS.intervalMsMin)} or more
  --payload JSON         the JSON value every run receives (default null)
  --max-retries N        how many times a failed attempt is retried, ${LIMITS.maxRetriesMin} to ${LIMITS.maxRetriesMax} (default ${DEFAULTS.maxRetries})
  --timeout DURATION     how long one attempt may run, whole seconds from ${formatDuration(LIMITS.timeoutSecsMin * 1000)} to ${formatDuration(LIMITS.timeoutSecsMax * 1000)}
                         (default ${formatDuration(DEFAULTS.timeoutSecs * 1000)})
  --request-id ID        makes the create idempotent: the same ID and request give the same job

${common(SHARED)}

TIME is an RFC 3339 date and time with a zone: ${TIME_EXAMPLES}.
Seconds are required, T and Z are upper case, and at most 3 fraction digits are allowed (a run
time is whole milliseconds). A time without Z or an offset is refused, so that it never depends on
the zone of the machine that runs the command.

${DURATION}
`,
  'jobs list': `Usage: ${PROGRAM} jobs list [--status STATUS] [--prefix NAME_PREFIX]

Lists jobs, oldest first.

Options:
  --status STATUS        only jobs in STATUS: ${JOB_STATUSES.join(', ')}
  --prefix NAME_PREFIX   only jobs whose name starts with NAME_PREFIX (case-sensitive)

${common(SHARED)}
`,
  ...Object.fromEntries(
    ID_SUBCOMMANDS.map((sub) => [
      `jobs ${sub}`,
      `Usage: ${PROGRAM} jobs ${sub} ID

${ONE_JOB[sub]}

${common('Options')}
`,
    ]),
  ),
};
