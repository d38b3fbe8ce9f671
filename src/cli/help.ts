import { OWNER_LABEL } from '../apply-schedules.js';
import { DEFAULTS, LIMITS } from '../limits.js';
import { DEFAULT_RETRY_BACKOFF, MAX_RUNS_IN_PROGRESS } from '../policy.js';
import { JOB_STATUSES } from '../types.js';
import type { OptionSpec } from './args.js';
import { formatDuration, TIME_EXAMPLES } from './values.js';

/** The name the CLI is installed under. */
export const PROGRAM = 'k1s0-scheduler';

/** The port `k1s0-scheduler dev` listens on, as in the platform's local set-up. */
export const DEV_PORT = 8093;

/** The deadline of a jobs call unless `--deadline` says otherwise. */
export const DEFAULT_DEADLINE_MS = 10_000;

/** The jobs subcommands that take one job, by ID or `--key`, and no other option of their own. */
export const ID_SUBCOMMANDS = ['get', 'cancel', 'executions'] as const;

/** Every jobs subcommand, in the order of the help. */
export const JOBS_SUBCOMMANDS = [
  'create',
  'apply',
  'list',
  'get',
  'describe',
  'update',
  'delete',
  'pause',
  'resume',
  'cancel',
  'trigger',
  'wait',
  'executions',
] as const;

/** The exit status of `jobs wait` when the execution ended failed or timed out. */
export const WAIT_FAILED_STATUS = 3;

/** The exit status of `jobs wait` when Ctrl-C (SIGINT) or SIGTERM stopped the wait. */
export const INTERRUPTED_STATUS = 130;

/** The longest `jobs wait --timeout`. */
export const MAX_WAIT_MS = 24 * 3_600_000;

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

const strings = (...names: string[]): OptionSpec[] => names.map((name) => ({ name, kind: 'string' as const }));
const LABEL: OptionSpec = { name: 'label', kind: 'list' };
// The options that set a job's fields, in `jobs create` and `jobs update`.
const SPEC_OPTIONS = strings('name', 'cron', 'timezone', 'at', 'every', 'payload', 'max-retries', 'timeout');

/** The options that set a job's schedule policy, in `jobs create` and `jobs update`, in the order of the help. */
export const POLICY_OPTIONS: readonly OptionSpec[] = [
  ...strings('overlap', 'catchup-window', 'start-at', 'end-at', 'max-runs', 'jitter', 'retry-initial', 'retry-max', 'retry-multiplier'),
  { name: 'pause-on-failure', kind: 'boolean' },
];
const NOTE = strings('key', 'note');

/** The options of each command, besides `-h`/`--help`. */
export const OPTIONS: Readonly<Record<string, readonly OptionSpec[]>> = {
  dev: strings('host', 'port', 'kafka-brokers'),
  'jobs create': [...SPEC_OPTIONS, ...strings('request-id', 'key'), LABEL, ...POLICY_OPTIONS, ...JOBS_COMMON_OPTIONS],
  'jobs apply': [
    { name: 'file', kind: 'string', short: 'f' },
    { name: 'owner', kind: 'string' },
    { name: 'prune', kind: 'boolean' },
    { name: 'dry-run', kind: 'boolean' },
    ...JOBS_COMMON_OPTIONS,
  ],
  'jobs list': [...strings('status', 'prefix'), LABEL, ...JOBS_COMMON_OPTIONS],
  'jobs update': [
    ...strings('key'),
    ...SPEC_OPTIONS,
    LABEL,
    { name: 'no-labels', kind: 'boolean' },
    ...POLICY_OPTIONS,
    { name: 'no-policy', kind: 'boolean' },
    ...strings('expected-revision'),
    ...JOBS_COMMON_OPTIONS,
  ],
  'jobs delete': [...strings('key', 'expected-revision'), ...JOBS_COMMON_OPTIONS],
  'jobs describe': [...strings('key', 'upcoming'), ...JOBS_COMMON_OPTIONS],
  'jobs pause': [...NOTE, ...JOBS_COMMON_OPTIONS],
  'jobs resume': [...NOTE, ...JOBS_COMMON_OPTIONS],
  'jobs trigger': [...strings('key', 'overlap'), { name: 'quiet', kind: 'boolean', short: 'q' }, ...JOBS_COMMON_OPTIONS],
  // The wait is bounded by --timeout, so the per-call --deadline is no option of it.
  'jobs wait': [...strings('timeout'), ...JOBS_COMMON_OPTIONS.filter((o) => o.name !== 'deadline')],
  ...Object.fromEntries(ID_SUBCOMMANDS.map((sub) => [`jobs ${sub}`, [...strings('key'), ...JOBS_COMMON_OPTIONS]])),
};

const HELP_OPTION = '  -h, --help             show this help';

const common = (heading: string, { deadline = true } = {}): string => `${heading}:
  --server URL           the scheduler: host:port, http://host:port or https://host:port
                         (default $K1S0_SCHEDULER_URL, else 127.0.0.1:${DEV_PORT})
  --token TOKEN          sent as "authorization: Bearer TOKEN" (default $K1S0_SCHEDULER_TOKEN)
${deadline ? `  --deadline DURATION    how long the call may take (default ${formatDuration(DEFAULT_DEADLINE_MS)})\n` : ''}\
  --json                 print JSON instead of a table; errors go to stderr as JSON too
${HELP_OPTION}`;
const SHARED = 'Options of every jobs subcommand';

const DURATION = `DURATION is a number with a unit, h, m, s or ms, largest first, each at most once:
500ms, 30s, 5m, 1h, 1m30s, 1h30m. A bare number other than 0 is refused. Durations are shown
the same way, in the largest exact units (90000 ms is 1m30s).`;

const TIME = `TIME is an RFC 3339 date and time with a zone: ${TIME_EXAMPLES}.
Seconds are required, T and Z are upper case, and at most 3 fraction digits are allowed (a run
time is whole milliseconds). A time without Z or an offset is refused, so that it never depends on
the zone of the machine that runs the command.`;

// The options that set a job's fields, as 'jobs create' and 'jobs update' describe them.
const SPEC_HELP = `  --name NAME            the job's name, 1 to ${LIMITS.nameMaxChars} characters
  --cron EXPR            run on a cron expression: 5 fields, 6 with seconds first, or
                         @hourly, @daily, @weekly, @monthly, @yearly
  --timezone TZ          the IANA time zone --cron is read in (default ${DEFAULTS.timezone})
  --at TIME              run once at TIME
  --every DURATION       run every DURATION, ${formatDuration(LIMITS.intervalMsMin)} or more
  --payload JSON         the JSON value every run receives (default null)
  --max-retries N        how many times a failed attempt is retried, ${LIMITS.maxRetriesMin} to ${LIMITS.maxRetriesMax} (default ${DEFAULTS.maxRetries})
  --timeout DURATION     how long one attempt may run, whole seconds from ${formatDuration(LIMITS.timeoutSecsMin * 1000)} to ${formatDuration(LIMITS.timeoutSecsMax * 1000)}
                         (default ${formatDuration(DEFAULTS.timeoutSecs * 1000)})`;

const LABEL_RULES = `                         KEY is 1 to ${LIMITS.labelKeyMaxChars} of a-z 0-9 _ - . starting with a-z; VALUE is
                         0 to ${LIMITS.labelValueMaxChars} characters`;

const KEY_OPTION = `  --key KEY              the job with this key (as 'jobs create --key' or 'jobs apply' gave it),
                         instead of ID`;

const EXIT = 'Exit status: 0 on success, 1 when the scheduler reports an error, 2 on a usage error.';

// The options that set a job's schedule policy, as 'jobs create' and 'jobs update' describe them.
const POLICY_HELP = `  --overlap POLICY       what a fire does while a run of the job is in progress: skip (it does
                         not run; counted as skipped), buffer_one (the first one is held and runs
                         when no run is in progress; the default) or allow_all (it runs beside,
                         at most ${MAX_RUNS_IN_PROGRESS} runs of the job at once)
  --catchup-window DURATION
                         a fire the scheduler gets to more than DURATION late (it was down) does
                         not run and is counted as missed; ${formatDuration(LIMITS.catchupWindowMsMin)} to ${formatDuration(LIMITS.catchupWindowMsMax)}
                         (default: no limit; of several late fires only the latest runs)
  --start-at TIME        no fire has a scheduled instant before TIME (an interval fires first
                         at TIME)
  --end-at TIME          no fire has a scheduled instant after TIME, no earlier than --start-at;
                         the job then completes
  --max-runs N           the job completes once N runs have started (fires and triggers),
                         0 to ${LIMITS.maxRunsMax}; 0 means no limit (the default)
  --jitter DURATION      each fire falls due up to DURATION after its scheduled instant, by a
                         delay computed from the job ID and the instant (the same every time),
                         0s to ${formatDuration(LIMITS.jitterMsMax)} (default 0s)
  --retry-initial DURATION
                         the wait before the first retry of a run, ${formatDuration(LIMITS.backoffInitialMsMin)} to ${formatDuration(LIMITS.backoffInitialMsMax)}
                         (default ${formatDuration(DEFAULT_RETRY_BACKOFF.initialMs)})
  --retry-max DURATION   the longest wait between two attempts, ${formatDuration(LIMITS.backoffMaxMsMin)} to ${formatDuration(LIMITS.backoffMaxMsMax)}, no less than
                         --retry-initial (default ${formatDuration(DEFAULT_RETRY_BACKOFF.maxMs)})
  --retry-multiplier X   how much each wait grows: a number from ${LIMITS.backoffMultiplierMin} to ${LIMITS.backoffMultiplierMax}, such as 1.5
                         (default ${DEFAULT_RETRY_BACKOFF.multiplier}): each wait is the one before times X, in whole
                         milliseconds rounded down, up to --retry-max
  --pause-on-failure     pause a recurring job whose run ends failed or timed out (after its
                         retries), with the status note "paused on failure: " and the error`;

const ONE_JOB: Readonly<Record<(typeof ID_SUBCOMMANDS)[number], string>> = {
  get: 'Shows a job: the table of \'jobs list\', with its counters (COUNTERS) and status note (NOTE)\nwhen it has them. \'jobs describe\' shows everything.',
  cancel: 'Cancels a job for good (an attempt in flight is aborted). Prints the job after the change.',
  executions: "Lists a job's executions (attempts), oldest first.",
};

const NOTE_OPTION = `  --note TEXT            why, 0 to ${LIMITS.noteMaxChars} characters; shown as the job's status note (NOTE) when
                         the call changes its status (a call that changes nothing keeps the note)`;

/** The help text of each command, by its words after the program name (`''` for the program). */
export const HELP: Readonly<Record<string, string>> = {
  '': `${PROGRAM}: the k1s0 scheduler from the command line

Usage: ${PROGRAM} COMMAND [ARGUMENTS] [OPTIONS]

Commands:
  dev                    run the reference scheduler server on 127.0.0.1:${DEV_PORT}
  jobs                   create, apply, show, list, update, delete, pause, resume, cancel and
                         trigger jobs
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
  apply -f FILE          create or update the jobs of a JSON file by key (--owner: reconcile)
  list                   list jobs
  get ID                 show a job
  describe ID            show a job's policy, counters, last run, runs in flight and next due times
  update ID              change some fields of a job
  delete ID              delete a job and its executions
  pause ID               pause a job
  resume ID              resume a paused job
  cancel ID              cancel a job for good
  trigger ID             run a job now, besides its schedule
  wait EXECUTION_ID      wait until an execution ends; exit status ${WAIT_FAILED_STATUS} if it failed
  executions ID          list a job's executions

Every subcommand that takes an ID also takes --key KEY instead, for a job created with a key.

${common(SHARED)}
('jobs wait' takes --timeout instead of --deadline.)

Run '${PROGRAM} jobs SUBCOMMAND --help' for the options of a subcommand.
${EXIT}
'jobs wait' also exits with ${WAIT_FAILED_STATUS} when the execution failed or timed out, and ${INTERRUPTED_STATUS} when Ctrl-C stopped it.
`,
  'jobs create': `Usage: ${PROGRAM} jobs create --name NAME (--cron EXPR [--timezone TZ] | --at TIME | --every DURATION)
                             [--payload JSON] [--max-retries N] [--timeout DURATION] [--request-id ID]
                             [--key KEY] [--label KEY=VALUE ...] [POLICY OPTIONS]

Creates a job and prints it.

Options:
${SPEC_HELP}
  --request-id ID        makes the create idempotent: the same ID and request give the same job
  --key KEY              the job's key, 1 to ${LIMITS.idMaxChars} characters, unique among the jobs that exist;
                         other subcommands then name the job by --key KEY. A key that another job
                         has is a CONFLICT ('jobs apply' creates or updates by key)
  --label KEY=VALUE      a label of the job; give it once per label (at most ${LIMITS.labelsMax}).
${LABEL_RULES}

Policy options (what the job's fires do; each one unset keeps its default):
${POLICY_HELP}

${common(SHARED)}

${TIME}

${DURATION}
`,
  'jobs apply': `Usage: ${PROGRAM} jobs apply -f FILE [--owner NAME [--prune]] [--dry-run]

Makes the jobs of FILE be as FILE says, by key: a job whose key no job has is created, a job
whose fields differ is updated in place (its next run recomputed from a new schedule), and a job
that is the same is left alone, whatever its status (a one-shot that has run does not run again).
A job that has ended (completed, failed, cancelled) and differs is refused (INVALID_STATE): an
ended job's fields are final, and 'jobs delete --key KEY' frees its key.

Without --owner, the jobs are applied one by one, in the order of FILE, and one row per key is
printed: the action (created, updated, unchanged), the fields that changed, the job ID and its
revision. When the scheduler refuses a job, the rows of the jobs already applied are printed,
then the error, which names the job's place in FILE.

With --owner, the jobs are reconciled as the SDK's applySchedules does at a service's start:
the jobs labelled ${OWNER_LABEL}=NAME are listed, every job of FILE gets that label, and the diff
(create, update, unchanged, and with --prune delete) is applied and printed, one row per key and
a summary line. Jobs of other owners are never changed: a key that one of them has is a CONFLICT.
Applying the same FILE twice changes nothing the second time.

Options:
  -f, --file FILE        the JSON file; - reads standard input (required)
  --owner NAME           reconcile as the owner NAME (a label value: 1 to ${LIMITS.labelValueMaxChars} characters)
  --prune                with --owner only: also delete the owner's jobs that FILE does not list
  --dry-run              change nothing; print what would be done

${common(SHARED)}

With --json: without --owner, an array of { "key", "action", "changedFields", "job" } (job is
null in a dry run that would create it); with --owner, the diff as { "owner", "dryRun",
"counts", "entries": [{ "key", "action", "changedFields", "jobId", "revision" }] }.

FILE is JSON (YAML is not read: convert it to JSON first), such as:

  { "jobs": [
      { "key": "report-daily", "name": "daily report",
        "schedule": { "cron": "0 9 * * MON-FRI", "timezone": "Asia/Tokyo" },
        "payload": { "kind": "daily" }, "maxRetries": 3, "timeoutSecs": 60,
        "labels": { "team": "billing" } },
      { "key": "poll", "name": "poll", "schedule": { "every": "90s" },
        "policy": { "overlap": "skip", "jitterMs": 5000, "retryBackoff": { "initialMs": 500 } } },
      { "key": "new-year", "name": "new year", "schedule": { "at": "2026-12-31T15:00:00Z" } } ] }

A job has a key, a name and a schedule, and may have a payload (any JSON value, default null),
maxRetries (${LIMITS.maxRetriesMin} to ${LIMITS.maxRetriesMax}, default ${DEFAULTS.maxRetries}), timeoutSecs (whole seconds, ${LIMITS.timeoutSecsMin} to ${LIMITS.timeoutSecsMax}, default ${DEFAULTS.timeoutSecs}),
labels (a map of strings) and a policy. The key, the name and the labels follow the rules of
'jobs create'. A member left out takes its default, even when the job has another value (a job
without "policy" gets every default policy). A policy is an object with any of these members,
as the options of 'jobs create' describe them:
  "overlap"              "skip", "buffer_one" or "allow_all"          (--overlap)
  "catchupWindowMs"      whole milliseconds, ${LIMITS.catchupWindowMsMin} to ${LIMITS.catchupWindowMsMax}  (--catchup-window)
  "startAt", "endAt"     a TIME string, as --at reads it              (--start-at, --end-at)
  "maxRuns"              ${0} to ${LIMITS.maxRunsMax}; 0 means no limit            (--max-runs)
  "jitterMs"             whole milliseconds, 0 to ${LIMITS.jitterMsMax}              (--jitter)
  "retryBackoff"         { "initialMs": ${LIMITS.backoffInitialMsMin} to ${LIMITS.backoffInitialMsMax}, "maxMs": ${LIMITS.backoffMaxMsMin} to ${LIMITS.backoffMaxMsMax},
                           "multiplier": ${LIMITS.backoffMultiplierMin} to ${LIMITS.backoffMultiplierMax} }       (--retry-initial, --retry-max, --retry-multiplier)
  "pauseOnFailure"       true or false                                (--pause-on-failure)
A schedule is one of:
  { "cron": EXPR }       a cron expression, as --cron reads it; add "timezone": TZ for a zone
                         other than ${DEFAULTS.timezone}
  { "every": DURATION }  a string, as --every reads it ("90s", "1h30m"); a number is refused, so
                         that no unit is guessed
  { "at": TIME }         a string, as --at reads it: RFC 3339 with a zone; a day or hour that does
                         not exist is refused, never rolled over
Every job is checked before anything is sent. A member that is not one of these, a member given
twice, a key given to two jobs, a byte order mark and bytes that are not UTF-8 are refused. The
error names its place in FILE, such as jobs[2].schedule.cron, and the limit; exit status 2.

${DURATION}
`,
  'jobs list': `Usage: ${PROGRAM} jobs list [--status STATUS] [--prefix NAME_PREFIX] [--label KEY=VALUE ...]

Lists jobs, oldest first. The table has a COUNTERS column when some job has run or missed a
fire (runs=N and each other counter that is not 0, such as runs=3,succeeded=2,failed=1; the
others are timed_out, skipped and missed), and a NOTE column, last, when some job has a status
note. 'jobs describe' shows one job in full.

Options:
  --status STATUS        only jobs in STATUS: ${JOB_STATUSES.join(', ')}
  --prefix NAME_PREFIX   only jobs whose name starts with NAME_PREFIX (case-sensitive)
  --label KEY=VALUE      only jobs that have this label with exactly this value; give it once per
                         label: a job must have them all. '--label ${OWNER_LABEL}=NAME' lists the
                         jobs that 'jobs apply --owner NAME' manages

${common(SHARED)}
`,
  'jobs update': `Usage: ${PROGRAM} jobs update ID|--key KEY [--name NAME]
                             [--cron EXPR [--timezone TZ] | --at TIME | --every DURATION]
                             [--payload JSON] [--max-retries N] [--timeout DURATION]
                             [--label KEY=VALUE ... | --no-labels] [POLICY OPTIONS | --no-policy]
                             [--expected-revision N]

Changes the fields the options give, and only those, and prints the job after the change. An
attempt in flight finishes and is recorded; a new schedule takes effect from now (a paused job's
next run is computed when it is resumed). A job that has ended (completed, failed, cancelled) is
refused (INVALID_STATE). When every value given is the job's already, nothing changes and the
revision stays.

The policy is one field, replaced as a whole: any policy option sets the job's policy to the
policy options given, every other one at its default (so '--jitter 5s' alone also sets the
overlap back to buffer_one and the retry backoff back to its default). Give every policy option
the job should keep ('jobs describe' shows them as options), or --no-policy for every default.
A changed policy applies from the change on: the planned fire keeps its scheduled instant, with
the new bounds, max runs and jitter applied to it; runs in progress go on.

Options:
${KEY_OPTION}
${SPEC_HELP}
  --label KEY=VALUE      the job's labels become exactly the --label options given (every other
                         label is removed); give it once per label (at most ${LIMITS.labelsMax})
  --no-labels            remove every label
  --expected-revision N  refuse the change (CONFLICT, exit status 1) unless the job is at revision
                         N, as 'jobs get' shows it (REV), so that no other change is overwritten
                         unseen

Policy options (any of them replaces the whole policy):
${POLICY_HELP}
  --no-policy            set the policy back to every default

${common(SHARED)}

A cron schedule is replaced as a whole: to change its time zone, give --cron and --timezone.
--payload null sets the payload to null. TIME and DURATION are read as 'jobs create' reads them.
`,
  'jobs delete': `Usage: ${PROGRAM} jobs delete ID|--key KEY [--expected-revision N]

Deletes a job, in any status, with its executions, and prints the job as it was. An attempt in
flight is aborted and recorded first. Its key is free at once; every later command that names
the job reports JOB_NOT_FOUND.

Options:
${KEY_OPTION}
  --expected-revision N  refuse (CONFLICT, exit status 1) unless the job is at revision N

${common(SHARED)}
`,
  ...Object.fromEntries(
    ID_SUBCOMMANDS.map((sub) => [
      `jobs ${sub}`,
      `Usage: ${PROGRAM} jobs ${sub} ID|--key KEY

${ONE_JOB[sub]}

Options:
${KEY_OPTION}

${common(SHARED)}
`,
    ]),
  ),
  'jobs describe': `Usage: ${PROGRAM} jobs describe ID|--key KEY [--upcoming N]

Shows a job as 'jobs get' does, and then: its policy (as the options of 'jobs create' that give
it), its status note, its counters (runs started; runs that succeeded, failed and timed out;
fires skipped by the overlap policy and missed by the catch-up window), its last run (when it
started and its result), the attempts in flight, the runs left under --max-runs, and the due
times of its next N fires, exactly as the scheduler will let them fall due (bounds, max runs and
jitter applied; none when the job is paused or has ended).

Options:
${KEY_OPTION}
  --upcoming N           how many due times to list, 1 to ${LIMITS.upcomingMax} (default ${DEFAULTS.upcoming})

${common(SHARED)}

With --json: { "job": the job as 'jobs get --json' prints it, "upcomingRuns": [TIME, ...] }.
`,
  'jobs pause': `Usage: ${PROGRAM} jobs pause ID|--key KEY [--note TEXT]

Pauses a job: nothing fires until it is resumed (a paused job misses nothing; its fires are
planned afresh when it is resumed). An attempt in flight finishes. Prints the job after the change.

Options:
${KEY_OPTION}
${NOTE_OPTION}

${common(SHARED)}
`,
  'jobs resume': `Usage: ${PROGRAM} jobs resume ID|--key KEY [--note TEXT]

Resumes a paused job; its next run is computed from now. Prints the job after the change.

Options:
${KEY_OPTION}
${NOTE_OPTION}

${common(SHARED)}
`,
  'jobs trigger': `Usage: ${PROGRAM} jobs trigger ID|--key KEY [--overlap POLICY] [-q]

Starts a run of a job now, besides its schedule, and prints the execution (attempt) it started,
still running. From pending, the schedule continues from this run. A running job can be
triggered only with the allow_all overlap policy (the job's or --overlap), up to ${MAX_RUNS_IN_PROGRESS} runs at
once; a paused job never (INVALID_STATE: resume it first), nor a job whose --max-runs runs have
all started.

Options:
${KEY_OPTION}
  --overlap POLICY       the overlap policy for this run alone: skip, buffer_one or allow_all
                         (default: the job's)
  -q, --quiet            print only the execution ID, for 'jobs wait':
                           ${PROGRAM} jobs wait "$(${PROGRAM} jobs trigger ID -q)"

${common(SHARED)}

The execution ID is also the first column of the table, and "id" with --json.
`,
  'jobs wait': `Usage: ${PROGRAM} jobs wait EXECUTION_ID [--timeout DURATION]

Waits until the execution (one attempt, as 'jobs trigger' and 'jobs executions' show it) is no
longer running, and prints it with its result. An execution that has already ended is printed at
once. The wait costs no polling: it is one stream of the execution's updates. Ctrl-C stops the
wait (the execution goes on).

Options:
  --timeout DURATION     give up after DURATION (TIMEOUT, exit status 1), ${formatDuration(1)} to ${formatDuration(MAX_WAIT_MS)}
                         (default: wait as long as it takes)

${common(SHARED, { deadline: false })}

${DURATION}

Exit status: 0 when the execution succeeded; ${WAIT_FAILED_STATUS} when it failed or timed out (its result and
error are printed as for success); 1 when the scheduler reports an error (JOB_NOT_FOUND for an
unknown execution ID, TIMEOUT after --timeout); 2 on a usage error; ${INTERRUPTED_STATUS} when Ctrl-C (or
SIGTERM) stopped the wait.
`,
};
