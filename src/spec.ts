// When two job specs are the same (proto, "Keys, revisions and labels"): one comparison for the
// engine's ApplyJob and UpdateJob and for the client-side diff of applySchedules, so the two
// cannot disagree.
import { DEFAULTS } from './limits.js';
import type { JsonValue } from './primitives.js';
import { samePolicy, type ResolvedPolicy } from './policy.js';
import type { Schedule } from './schedule.js';
import { JOB_SPEC_FIELDS, type JobSpecField } from './validation.js';

/** The fields of a spec as a job holds them, with the defaults applied. */
export interface SpecValues {
  name: string;
  schedule: Schedule;
  payload: JsonValue;
  maxRetries: number;
  timeoutSecs: number;
  labels: Readonly<Record<string, string>>;
  /** The policy with every default applied: an unset policy and one that spells out the defaults are the same. */
  policy: ResolvedPolicy;
}

/** The fields whose values differ between `current` and `next`, in field-number order. */
export function specChanges(current: SpecValues, next: Partial<SpecValues>, fields: readonly JobSpecField[] = JOB_SPEC_FIELDS): JobSpecField[] {
  return fields.filter((field) => field in next && !sameValue(field, current, next as SpecValues));
}

function sameValue(field: JobSpecField, a: SpecValues, b: SpecValues): boolean {
  switch (field) {
    case 'name':
    case 'maxRetries':
    case 'timeoutSecs':
      return a[field] === b[field];
    case 'schedule':
      return sameSchedule(a.schedule, b.schedule);
    case 'payload':
      return samePayload(a.payload, b.payload);
    case 'labels':
      return sameLabels(a.labels, b.labels);
    case 'policy':
      return samePolicy(a.policy, b.policy);
  }
}

/** Same kind and fields: a cron time zone unset is "UTC", run_at to the millisecond. */
export function sameSchedule(a: Schedule, b: Schedule): boolean {
  switch (a.type) {
    case 'cron':
      return b.type === 'cron' && a.expression === b.expression && (a.timezone ?? DEFAULTS.timezone) === (b.timezone ?? DEFAULTS.timezone);
    case 'one_shot':
      return b.type === 'one_shot' && a.runAt.getTime() === b.runAt.getTime();
    case 'interval':
      return b.type === 'interval' && a.intervalMs === b.intervalMs;
  }
}

/** Equal JSON values: object members in any order, numbers equal as doubles (0 and -0 alike). */
export function samePayload(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((item, i) => samePayload(item, y[i]));
  }
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  return keys.every((k) => Object.hasOwn(y, k) && samePayload(x[k], y[k]));
}

/** Equal maps. */
export function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
