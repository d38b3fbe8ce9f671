// The file of `k1s0-scheduler jobs apply -f FILE`: JSON, read strictly, every job checked before
// anything is sent. Every refusal names its place in the file (`jobs[2].schedule.cron`) and the limit.
import { OWNER_LABEL } from '../apply-schedules.js';
import { LIMITS } from '../limits.js';
import { POLICY_FIELDS, RETRY_BACKOFF_FIELDS } from '../policy.js';
import { Schedule } from '../schedule.js';
import { RFC3339_FORMAT } from '../timestamp.js';
import type { JsonValue, KeyedJobSpec } from '../types.js';
import { JobKeySchema, JobSpecSchema } from '../validation.js';
import { closest, UsageError } from './args.js';
import { durationOption, timeOption } from './values.js';

/** The members a job of an apply file may have, in the order of the help. */
export const APPLY_JOB_MEMBERS = ['key', 'name', 'schedule', 'payload', 'maxRetries', 'timeoutSecs', 'labels', 'policy'] as const;

/** The members a schedule of an apply file may have: one of `cron`, `every`, `at`, and `timezone` with `cron`. */
export const APPLY_SCHEDULE_MEMBERS = ['cron', 'timezone', 'every', 'at'] as const;

/** The members an apply file may have. */
const FILE_MEMBERS = ['jobs'] as const;

type Path = readonly (string | number)[];

/**
 * Writes a place in the file as a JavaScript accessor from its top level: `jobs[2].schedule.cron`,
 * `jobs[0].labels["k1s0.owner"]`, `jobs[1].payload.items[3]`. A member whose name is not an
 * identifier is written in brackets as a JSON string; the top level itself is `the file`.
 */
export function formatPlace(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? 'the file' : out;
}

/**
 * Reads the bytes of an apply file: UTF-8 JSON `{ "jobs": [ { "key": ..., "name": ..., "schedule":
 * ..., ... } ] }` (see `k1s0-scheduler jobs apply --help`). With `owner`, each job is checked as
 * `applySchedules` will send it, with the `k1s0.owner` label; a job whose own `k1s0.owner` label
 * names another owner is refused. Nothing is repaired: a byte order mark, malformed UTF-8, a member
 * given twice, an unknown member, a number where a duration is expected, all are refused.
 *
 * @param bytes the file's content.
 * @param source how the file is named in messages: its path, or `stdin`.
 * @returns the jobs, in the order of the file, without the owner label (`applySchedules` adds it).
 * @throws {UsageError} for the first problem: option `--file`, field the place in the file.
 */
export function readApplyFile(bytes: Uint8Array, source: string, owner?: string): KeyedJobSpec[] {
  const fail = (path: Path, message: string, limit?: string): never => {
    const place = formatPlace(path);
    // The file as a whole is no field of it.
    const field = path.length === 0 ? {} : { field: place };
    throw new UsageError(`${source}: ${place}: ${message}`, { option: '--file', ...field, ...(limit === undefined ? {} : { limit }) });
  };

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fail([], 'is not UTF-8 text', 'UTF-8 JSON');
  }
  if (text.startsWith('\uFEFF')) fail([], 'starts with a byte order mark; save it as UTF-8 without one', 'UTF-8 JSON');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail([], `is not JSON: ${withLine((error as Error).message, text)} (YAML is not read; convert it to JSON)`, 'JSON');
  }
  const twice = duplicateMember(text);
  if (twice !== undefined) fail(twice.path, `has the member ${JSON.stringify(twice.name)} twice`, 'each member once');

  const root = object(json, [], 'a JSON object { "jobs": [...] }', fail);
  members(root, [], FILE_MEMBERS, fail);
  if (!('jobs' in root)) fail([], 'has no "jobs" member; expected { "jobs": [...] }', 'a "jobs" array');
  if (!Array.isArray(root.jobs)) fail(['jobs'], `must be an array of jobs, got ${describe(root.jobs)}`, 'an array');
  const keys = new Map<string, number>();
  return (root.jobs as unknown[]).map((entry, i) => readJob(entry, ['jobs', i], keys, owner, fail));
}

type Fail = (path: Path, message: string, limit?: string) => never;

function readJob(entry: unknown, at: Path, keys: Map<string, number>, owner: string | undefined, fail: Fail): KeyedJobSpec {
  const job = object(entry, at, 'a job object', fail);
  members(job, at, APPLY_JOB_MEMBERS, fail);
  for (const required of ['key', 'name', 'schedule'] as const) {
    if (!(required in job)) fail(at, `has no "${required}"; a job needs key, name and schedule`, `a ${required}`);
  }

  const key = JobKeySchema.safeParse(job.key);
  if (!key.success) fail([...at, 'key'], issueText(key.error.issues[0]!, job.key), issueLimit(key.error.issues[0]!) ?? `1..${LIMITS.idMaxChars} code points`);
  const first = keys.get(job.key as string);
  if (first !== undefined) fail([...at, 'key'], `${JSON.stringify(job.key)} is also the key of jobs[${first}]`, 'one job per key');
  keys.set(job.key as string, at[1] as number);

  const spec: Record<string, unknown> = { name: job.name, schedule: readSchedule(job.schedule, [...at, 'schedule'], fail) };
  for (const member of ['payload', 'maxRetries', 'timeoutSecs', 'labels'] as const) if (member in job) spec[member] = job[member];
  if ('policy' in job) spec.policy = readPolicy(job.policy, [...at, 'policy'], fail);

  const labels = job.labels;
  const ownLabel = typeof labels === 'object' && labels !== null ? (labels as Record<string, unknown>)[OWNER_LABEL] : undefined;
  if (owner !== undefined && Object.hasOwn(Object(labels), OWNER_LABEL) && ownLabel !== owner) {
    fail([...at, 'labels', OWNER_LABEL], `is ${JSON.stringify(ownLabel)}, but --owner is ${JSON.stringify(owner)}; leave the label out (--owner sets it)`, 'the --owner value');
  }
  // Checked as it will be sent: with --owner, with the owner label.
  const sent = owner === undefined ? spec : { ...spec, labels: { ...((spec.labels as object | undefined) ?? {}), [OWNER_LABEL]: owner } };
  const checked = JobSpecSchema.safeParse(sent);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const counted = owner !== undefined && issue.path.length === 1 && issue.path[0] === 'labels' && issueLimit(issue) === `at most ${LIMITS.labelsMax} labels`;
    fail([...at, ...placeInJob(issue.path)], `${issue.message}${counted ? ` (counting the ${OWNER_LABEL} label --owner adds)` : ''}`, issueLimit(issue));
  }
  return { key: job.key as string, ...(spec as Omit<KeyedJobSpec, 'key'>) };
}

// The schedule of a job: { "cron": EXPR[, "timezone": TZ] } | { "every": DURATION } | { "at": TIME }.
function readSchedule(value: unknown, at: Path, fail: Fail): Schedule {
  const shapes = '{ "cron": EXPR, "timezone": TZ }, { "every": DURATION } or { "at": TIME }';
  const s = object(value, at, shapes, fail);
  members(s, at, APPLY_SCHEDULE_MEMBERS, fail);
  const kinds = (['cron', 'every', 'at'] as const).filter((k) => k in s);
  if (kinds.length === 0) fail(at, `has none of cron, every, at; expected ${shapes}`, 'one of cron, every, at');
  if (kinds.length > 1) fail([...at, kinds[1]!], `cannot be combined with "${kinds[0]}"; give one of cron, every, at`, 'one of cron, every, at');
  const kind = kinds[0]!;
  if ('timezone' in s && kind !== 'cron') fail([...at, 'timezone'], 'goes only with "cron"', 'with cron only');
  for (const member of ['cron', 'timezone', 'every', 'at'] as const) {
    if (!(member in s) || typeof s[member] === 'string') continue;
    const why = member === 'every' && typeof s[member] === 'number' ? ' (a duration with its unit, such as "90s": a bare number is refused so that no unit is guessed)' : '';
    fail([...at, member], `must be a string, got ${describe(s[member])}${why}`, 'a string');
  }
  // The CLI's own readers, so that a file and an option accept exactly the same text.
  const read = <T>(member: string, f: (place: string) => T, limit?: string): T => {
    try {
      return f(formatPlace([...at, member]));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      const place = formatPlace([...at, member]);
      return fail([...at, member], error.message.slice(place.length + 2), error.limit ?? limit);
    }
  };
  switch (kind) {
    case 'cron':
      return Schedule.cron(s.cron as string, 'timezone' in s ? { timezone: s.timezone as string } : {});
    case 'every':
      return Schedule.interval(read('every', (place) => durationOption(place, s.every as string, LIMITS.intervalMsMin, LIMITS.intervalMsMax)));
    case 'at':
      return Schedule.oneShot(read('at', (place) => timeOption(place, s.at as string), RFC3339_FORMAT));
  }
}

// A policy: the members of the TypeScript SchedulePolicy, with its times as TIME strings (read as
// --start-at reads them) and its durations as numbers of milliseconds. Its members' values are
// checked with the rest of the job, by the client's own rules.
function readPolicy(value: unknown, at: Path, fail: Fail): Record<string, unknown> {
  const p = object(value, at, 'a policy object', fail);
  members(p, at, POLICY_FIELDS, fail);
  const policy: Record<string, unknown> = { ...p };
  for (const member of ['startAt', 'endAt'] as const) {
    if (!(member in p)) continue;
    const place = [...at, member];
    if (typeof p[member] !== 'string') fail(place, `must be a string, got ${describe(p[member])} (a TIME such as "2026-12-24T18:00:00Z")`, RFC3339_FORMAT);
    try {
      policy[member] = timeOption(formatPlace(place), p[member] as string);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      fail(place, error.message.slice(formatPlace(place).length + 2), error.limit ?? RFC3339_FORMAT);
    }
  }
  if ('retryBackoff' in p) {
    const backoff = object(p.retryBackoff, [...at, 'retryBackoff'], 'an object { "initialMs", "maxMs", "multiplier" }', fail);
    members(backoff, [...at, 'retryBackoff'], RETRY_BACKOFF_FIELDS, fail);
    policy.retryBackoff = { ...backoff };
  }
  return policy;
}

// Where a JobSpec issue is in the file: the schedule's fields by their file names.
function placeInJob(path: readonly PropertyKey[]): Path {
  const parts = path.map((p) => (typeof p === 'number' ? p : String(p)));
  if (parts[0] !== 'schedule') return parts;
  const member = { expression: 'cron', timezone: 'timezone', runAt: 'at', intervalMs: 'every' }[String(parts[1])];
  return member === undefined ? ['schedule'] : ['schedule', member];
}

function object(value: unknown, at: Path, what: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(at, `must be ${what}, got ${describe(value)}`, 'an object');
  return value as Record<string, unknown>;
}

function members(value: Record<string, unknown>, at: Path, known: readonly string[], fail: Fail): void {
  for (const name of Object.keys(value)) {
    if (known.includes(name)) continue;
    const guess = closest(name, known);
    fail([...at, name], `is not a member${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; ${at.length === 0 ? 'the file has' : 'expected'} ${known.map((k) => `"${k}"`).join(', ')}`, `one of ${known.join(', ')}`);
  }
}

// JSON.parse names an offset ("at position 10"); a person looks for a line and a column.
function withLine(message: string, text: string): string {
  const at = /at position (\d+)/.exec(message);
  if (at === null || /\bline\b/.test(message)) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return `${message} (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

function issueText(issue: { message: string }, value: unknown): string {
  return typeof value === 'string' || issue.message !== 'must be a string' ? issue.message : `must be a string, got ${describe(value)}`;
}

function issueLimit(issue: object): string | undefined {
  return (issue as { params?: { limit?: string } }).params?.limit;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${JSON.stringify(value as JsonValue)}`;
}

/**
 * The first object member given twice in `text`, which must be valid JSON: where (the path of the
 * object that has it) and its name. JSON.parse keeps the last value silently; a file that says
 * two things about one member is refused instead.
 */
export function duplicateMember(text: string): { path: Path; name: string } | undefined {
  type Frame = { kind: 'object'; names: Set<string>; current?: string } | { kind: 'array'; index: number };
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      let next = end + 1;
      while (next < text.length && ' \t\r\n'.includes(text[next]!)) next++;
      if (top?.kind === 'object' && text[next] === ':') {
        const name = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.names.has(name)) return { path: stack.slice(0, -1).map((f) => (f.kind === 'object' ? f.current! : f.index)), name };
        top.names.add(name);
        top.current = name;
      }
      i = end;
    } else if (c === '{') stack.push({ kind: 'object', names: new Set() });
    else if (c === '[') stack.push({ kind: 'array', index: 0 });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'array') top.index++;
    }
  }
  return undefined;
}
