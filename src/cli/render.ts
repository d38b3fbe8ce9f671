import type { SchedulerError } from '../errors.js';
import type { Schedule } from '../schedule.js';
import type { Job, JobExecution } from '../types.js';
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
});

const FIELD_OPTIONS = new Map(Object.entries(OPTION_FIELDS).filter(([option]) => option !== '--no-labels').map(([option, field]) => [field, option]));

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
 * NEXT RUN, REV (the revision, for `--expected-revision`), and LABELS (when some job has labels,
 * as `k=v,k2=v2` in key order).
 */
export function jobTable(list: readonly Job[]): string {
  const keys = list.some((j) => j.key !== undefined);
  const labels = list.some((j) => Object.keys(j.labels ?? {}).length > 0);
  const header = ['ID', ...(keys ? ['KEY'] : []), 'NAME', 'STATUS', 'SCHEDULE', 'NEXT RUN', 'REV', ...(labels ? ['LABELS'] : [])];
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
      ...(labels ? [describeLabels(j.labels ?? {})] : []),
    ]),
  );
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
        field: error.field ?? ((error.option && OPTION_FIELDS[error.option]) || null),
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
