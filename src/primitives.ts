// The values that the request schemas and the domain types share: JSON values, and the job and
// execution states of the proto's enums.

/** Any value that JSON can represent. Job payloads are JSON values. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Every {@link JobStatus}, in proto enum order. */
export const JOB_STATUSES = Object.freeze(['pending', 'running', 'completed', 'failed', 'paused', 'cancelled'] as const);

/**
 * Where a job is in its lifecycle. The strings of the proto enum `JobStatus` without its prefix, in
 * lower case (`JOB_STATUS_PAUSED` is `'paused'`).
 */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The outcome of one attempt (proto `ExecutionResult`, lower case, without its prefix). */
export type ExecutionResult = 'running' | 'succeeded' | 'failed' | 'timed_out';

/** Every {@link ExecutionResult}, in proto enum order. */
export const EXECUTION_RESULTS: readonly ExecutionResult[] = Object.freeze([
  'running',
  'succeeded',
  'failed',
  'timed_out',
]);

/**
 * One reference token of a JSON Pointer (RFC 6901): an object key with `~` written `~0` and `/`
 * written `~1`, or an array index. Error fields inside a payload are `payload` followed by `/` and
 * these tokens (`payload/a~1b/0`).
 */
export function jsonPointerToken(key: string | number): string {
  return typeof key === 'number' ? String(key) : key.replaceAll('~', '~0').replaceAll('/', '~1');
}
