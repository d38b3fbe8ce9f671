import type { SchedulerError } from '../errors.js';
import type { Schedule } from '../schedule.js';
import type { JobPolicy } from '../policy.js';
import type { Job, JobDescription, JobExecution, JobStats } from '../types.js';
import type { UsageError } from './args.js';
import { PROGRAM } from './help.js';
import type { CommandFailure } from './io.js';
import { formatDuration } from './values.js';

/** The code of a usage error in JSON output; the others are {@link SchedulerError} codes. */
export const USAGE_ERROR_CODE = 'USAGE';

/** Each `jobs` option and the request field it sets, as `SchedulerError.field` names it. */
export const OPTION_FIELDS: Readonly<Record<string, string>> = Object.freeze({
  '--name': 'name',
  '--cron': 'schedule.cron.expression',
  '--timezone': 'schedule.cron.timezone',
  '--at': 'schedule.one_shot.run_at',
  '--every': 'schedule.interval.every',
  '--payload': 'payload',
  '--max-retries': 'max_retries',
  '--timeout': 'timeout_secs',
  '--request-id': 'request_id',
  '--status': 'status',
  '--prefix': 'name_prefix',
  '--key': 'key',
  '--label': 'labels',
  '--no-labels': 'labels',
  '--expected-revision': 'expected_revision',
  '--overlap': 'policy.overlap',
  '--catchup-window': 'policy.catchup_window',
  '--start-at': 'policy.start_at',
  '--end-at': 'policy.end_at',
  '--max-runs': 'policy.max_runs',
  '--jitter': 'policy.jitter',
  '--retry-initial': 'policy.retry_backoff.initial',
  '--retry-max': 'policy.retry_backoff.maximum',
  '--retry-multiplier': 'policy.retry_backoff.multiplier',
  '--pause-on-failure': 'policy.pause_on_failure',
  '--no-policy': 'policy',
  '--note': 'note',
  '--upcoming': 'upcoming',
});

/** Where an option of one command sets another field than {@link OPTION_FIELDS} says, or none (`null`). */
const COMMAND_OPTION_FIELDS: Readonly<Record<string, Readonly<Record<string, string | null>>>> = Object.freeze({
  'jobs trigger': { '--overlap': 'overlap' },
  // The wait's own bound, no request field.
  'jobs wait': { '--timeout': null },
});

const FIELD_OPTIONS = new Map([
  ...Object.entries(OPTION_FIELDS)
    .filter(([option]) => option !== '--no-labels' && option !== '--no-policy')
    .map(([option, field]) => [field, option] as const),
  ['overlap', '--overlap'] as const,
]);

/** The request field the option `option` of `command` (such as `k1s0-scheduler jobs create`) sets, if any. */
function optionField(command: string, option: string): string | null {
  const own = COMMAND_OPTION_FIELDS[command.replace(/^\S+ /, '')];
  if (own !== undefined && option in own) return own[option]!;
  return OPTION_FIELDS[option] ?? null;
}

/**
 * The option that sets the request field `field`: a JobSpec field without its `spec.` prefix, a
 * label (`labels.team`) by its map, a spot inside the payload (`payload/a/0`) by the payload.
 */
function optionOf(field: string): string | undefined {
  const path = field.replace(/^spec\./, '').split('/')[0]!;
  if (path.startsWith('labels.')) return FIELD_OPTIONS.get('labels');
  return FIELD_OPTIONS.get(path);
}

/** The schedule as a person would write it: `cron '0 2 * * *' UTC`, `once at ...`, `every 30s`. */
export function describeSchedule(s: Schedule): string {
  switch (s.type) {
    case 'cron':
      return `cron '${s.expression}' ${s.timezone ?? 'UTC'}`;
    case 'one_shot':
      return `once at ${s.runAt.toISOString()}`;
    case 'interval':
      return `every ${formatDuration(s.intervalMs)}`;
  }
}

/**
 * Jobs as a table, one per line: ID, KEY (when some job has a key), NAME, STATUS, SCHEDULE,
 * NEXT RUN, REV (the revision, for `--expected-revision`), COUNTERS (when some job has run or
 * missed a fire, see {@link describeCounters}), LABELS (when some job has labels, as `k=v,k2=v2`
 * in key order), and NOTE (when some job has a status note; last, as it may hold spaces).
 */
export function jobTable(list: readonly Job[]): string {
  const keys = list.some((j) => j.key !== undefined);
  const counters = list.some((j) => j.stats !== undefined && Object.values(j.stats).some((n) => n > 0));
  const labels = list.some((j) => Object.keys(j.labels ?? {}).length > 0);
  const notes = list.some((j) => (j.statusNote ?? '') !== '');
  const header = [
    'ID',
    ...(keys ? ['KEY'] : []),
    'NAME',
    'STATUS',
    'SCHEDULE',
    'NEXT RUN',
    'REV',
    ...(counters ? ['COUNTERS'] : []),
    ...(labels ? ['LABELS'] : []),
    ...(notes ? ['NOTE'] : []),
  ];
  return table(
    header,
    list.map((j) => [
      j.id,
      ...(keys ? [j.key ?? '-'] : []),
      j.name,
      j.status,
      describeSchedule(j.schedule),
      j.nextRunAt?.toISOString() ?? '-',
      String(j.revision),
      ...(counters ? [describeCounters(j.stats)] : []),
      ...(labels ? [describeLabels(j.labels ?? {})] : []),
      ...(notes ? [oneLine(j.statusNote ?? '') || '-'] : []),
    ]),
  );
}

/**
 * A job's counters in one cell without spaces: `runs=N` and each other counter that is not 0,
 * such as `runs=3,succeeded=2,failed=1,skipped=4`.
 */
export function describeCounters(stats: JobStats | undefined): string {
  if (stats === undefined) return '-';
  const others: [string, number][] = [
    ['succeeded', stats.succeeded],
    ['failed', stats.failed],
    ['timed_out', stats.timedOut],
    ['skipped', stats.skipped],
    ['missed', stats.missed],
  ];
  return [`runs=${stats.runs}`, ...others.filter(([, n]) => n > 0).map(([name, n]) => `${name}=${n}`)].join(',');
}

/**
 * A policy as the options of `jobs create` that give it, in the order of the help, each field at
 * its default left out but the overlap and the retry backoff (a job shows them always).
 */
export function describePolicy(p: JobPolicy): string {
  const parts = [`--overlap ${p.overlap}`];
  if (p.catchupWindowMs !== undefined) parts.push(`--catchup-window ${formatDuration(p.catchupWindowMs)}`);
  if (p.startAt !== undefined) parts.push(`--start-at ${p.startAt.toISOString()}`);
  if (p.endAt !== undefined) parts.push(`--end-at ${p.endAt.toISOString()}`);
  if (p.maxRuns !== undefined && p.maxRuns !== 0) parts.push(`--max-runs ${p.maxRuns}`);
  if (p.jitterMs !== undefined && p.jitterMs !== 0) parts.push(`--jitter ${formatDuration(p.jitterMs)}`);
  const b = p.retryBackoff;
  parts.push(`--retry-initial ${formatDuration(b.initialMs)}`, `--retry-max ${formatDuration(b.maxMs)}`, `--retry-multiplier ${b.multiplier}`);
  if (p.pauseOnFailure) parts.push('--pause-on-failure');
  return parts.join(' ');
}

/**
 * What `jobs describe` prints: the job as `jobs get` shows it, then one line each for its policy,
 * status note, counters, last run, the attempts in flight and the runs left, and its next due
 * times, one per line:
 *
 * ```text
 * Policy:          --overlap skip --jitter 10s --retry-initial 1s --retry-max 1m --retry-multiplier 2
 * Status note:     -
 * Counters:        runs 3, succeeded 2, failed 1, timed out 0, skipped 0, missed 0
 * Last run:        2026-01-01T00:02:00.000Z failed
 * In flight:       -
 * Remaining runs:  no limit
 * Upcoming (2):    2026-01-01T00:03:04.512Z
 *                  2026-01-01T00:04:01.077Z
 * ```
 */
export function describeText(d: JobDescription): string {
  const j = d.job;
  const s = j.stats;
  const pad = (label: string): string => label.padEnd(17);
  const lines = [
    `${pad('Policy:')}${describePolicy(j.policy)}`,
    `${pad('Status note:')}${oneLine(j.statusNote ?? '') || '-'}`,
    `${pad('Counters:')}runs ${s.runs}, succeeded ${s.succeeded}, failed ${s.failed}, timed out ${s.timedOut}, skipped ${s.skipped}, missed ${s.missed}`,
    `${pad('Last run:')}${j.lastRunAt === undefined ? '-' : `${j.lastRunAt.toISOString()} ${j.lastResult ?? '-'}`}`,
  ];
  const inFlight = j.runningExecutions.map((e) => `${e.id} attempt ${e.attempt} started ${e.startedAt.toISOString()}`);
  lines.push(...column(pad('In flight:'), inFlight));
  lines.push(`${pad('Remaining runs:')}${j.remainingRuns ?? 'no limit'}`);
  lines.push(...column(pad(`Upcoming (${d.upcomingRuns.length}):`), d.upcomingRuns.map((t) => t.toISOString())));
  return `${jobTable([j])}\n${lines.join('\n')}\n`;
}

// Items under a label: the first beside it, the others below it, aligned; `-` for none.
function column(label: string, items: readonly string[]): string[] {
  if (items.length === 0) return [`${label}-`];
  return items.map((item, i) => `${i === 0 ? label : ' '.repeat(label.length)}${item}`);
}

/** Labels as `k=v,k2=v2`, in code-unit order of their keys; `-` for none. */
export function describeLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '-' : keys.map((k) => `${k}=${oneLine(labels[k]!)}`).join(',');
}

/** One `jobs apply` result (without `--owner`): an `applyJob` result and the key it was applied under. */
export interface AppliedRow {
  /** The key the job was applied under. */
  key: string;
  /** What `applyJob` did, or with `--dry-run` would do. */
  action: 'created' | 'updated' | 'unchanged';
  /** For `updated`, the fields that differ. */
  changedFields: readonly string[];
  /** The job after the call (absent in a dry run that would create it). */
  job?: Job;
}

/**
 * The results of `jobs apply` without `--owner`, one row per key, and a summary line:
 *
 * ```text
 * KEY     ACTION     CHANGED           JOB   REV
 * report  updated    schedule,payload  0192  2
 * 0 created, 1 updated, 0 unchanged
 * ```
 */
export function appliedTable(rows: readonly AppliedRow[], dryRun: boolean): string {
  const count = (action: AppliedRow['action']): number => rows.filter((r) => r.action === action).length;
  const verbs = dryRun ? ['to create', 'to update', 'unchanged'] : ['created', 'updated', 'unchanged'];
  const summary = `${count('created')} ${verbs[0]}, ${count('updated')} ${verbs[1]}, ${count('unchanged')} ${verbs[2]}${dryRun ? ' (dry run: nothing changed)' : ''}\n`;
  if (rows.length === 0) return `(none)\n${summary}`;
  return (
    table(
      ['KEY', 'ACTION', 'CHANGED', 'JOB', 'REV'],
      rows.map((r) => [r.key, r.action, r.changedFields.join(',') || '-', r.job?.id ?? '-', r.job === undefined ? '-' : String(r.job.revision)]),
    ) + summary
  );
}

/** Executions as a table, one per line. */
export function executionTable(list: readonly JobExecution[]): string {
  return table(
    ['ID', 'ATTEMPT', 'RESULT', 'STARTED', 'FINISHED', 'ERROR'],
    list.map((e) => [e.id, String(e.attempt), e.result, e.startedAt.toISOString(), e.finishedAt?.toISOString() ?? '-', oneLine(e.error ?? '')]),
  );
}

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '(none)\n';
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The shape of an error printed with `--json`: one line on stderr. */
export interface JsonError {
  error: {
    /** `USAGE`, or the {@link SchedulerError} code. */
    code: string;
    /** One line saying what is wrong. */
    message: string;
    /** The command-line option at fault, such as `--every`. */
    option: string | null;
    /**
     * The request field at fault, the proto field path such as `schedule.interval.every`; for an
     * error in the file of `jobs apply`, the place in the file, such as `jobs[2].schedule.cron`.
     */
    field: string | null;
    /** The bound that was broken. */
    limit: string | null;
    /** The job the failed call was about. */
    jobId: string | null;
    /** Whether the same command may succeed later. */
    retryable: boolean;
    /** For a usage error, the command that shows the usage. */
    help?: string;
  };
}

/**
 * Prints a usage error of `command` (such as `k1s0-scheduler jobs create`): one line with a hint
 * to `--help`, or one line of JSON.
 */
export function usageErrorText(error: UsageError, command: string, json: boolean): string {
  const help = `${command} --help`;
  if (json) {
    const body: JsonError = {
      error: {
        code: USAGE_ERROR_CODE,
        message: oneLine(error.message),
        option: error.option ?? null,
        field: error.field ?? (error.option === undefined ? null : optionField(command, error.option)),
        limit: error.limit ?? null,
        jobId: null,
        retryable: false,
        help,
      },
    };
    return `${JSON.stringify(body)}\n`;
  }
  return `${command}: ${oneLine(error.message)}. See '${help}'.\n`;
}

/** Prints an error the scheduler or the client reported while `command` ran: one line, or one line of JSON. */
export function schedulerErrorText(error: SchedulerError, command: string, json: boolean): string {
  // `jobs apply` reads the fields from a file, not from options.
  const option = error.field === undefined || command.endsWith(' jobs apply') ? undefined : optionOf(error.field);
  if (json) {
    const body: JsonError = {
      error: {
        code: error.code,
        message: oneLine(error.message),
        option: option ?? null,
        field: error.field ?? null,
        limit: error.limit ?? null,
        jobId: error.jobId ?? null,
        retryable: error.retryable,
      },
    };
    return `${JSON.stringify(body)}\n`;
  }
  return `${command}: ${error.code}: ${option === undefined ? '' : `${option}: `}${oneLine(error.message)}\n`;
}

/** Prints a {@link CommandFailure} of `command`: one line, or one line of JSON. */
export function failureText(error: CommandFailure, command: string, json: boolean): string {
  if (json) {
    const body: JsonError = {
      error: { code: error.code, message: oneLine(error.message), option: null, field: null, limit: null, jobId: null, retryable: false },
    };
    return `${JSON.stringify(body)}\n`;
  }
  return `${command}: ${oneLine(error.message)}\n`;
}

/** `k1s0-scheduler` followed by the command's words. */
export function commandName(words: readonly string[]): string {
  return [PROGRAM, ...words].join(' ');
}
