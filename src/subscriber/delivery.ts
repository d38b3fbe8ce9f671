import { SchedulerError, optionError } from '../errors.js';
import { sleep } from '../sleep.js';
import type { DeliveryOptions, JobCompletedHandler } from '../events.js';
import type { JobCompletedEvent } from '../types.js';

/** Thrown into a handler's promise when a `for await` loop is left: stop, acknowledge nothing. */
export const ITERATION_STOPPED: unique symbol = Symbol('iteration stopped');

/** What became of one event. */
export type DeliveryOutcome =
  | { kind: 'handled' }
  | { kind: 'duplicate' }
  | { kind: 'stopped' }
  | { kind: 'exhausted'; error: SchedulerError; attempts: number };

/** Delivery options with defaults applied. */
export interface DeliveryPolicy {
  maxAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
  dedupe: RecentIds | undefined;
}

/** Applies defaults and checks the options once, at construction. */
export function resolveDeliveryPolicy(options: DeliveryOptions, owner: string): DeliveryPolicy {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryInitialMs = options.retryInitialMs ?? 200;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const check = (ok: boolean, field: string, limit: string, value: unknown): void => {
    if (!ok) throw optionError(owner, field, limit, value);
  };
  check(Number.isInteger(maxAttempts) && maxAttempts >= 1, 'maxAttempts', 'an integer >= 1', maxAttempts);
  check(Number.isFinite(retryInitialMs) && retryInitialMs >= 0, 'retryInitialMs', 'a number >= 0', retryInitialMs);
  check(Number.isFinite(retryMaxMs) && retryMaxMs >= retryInitialMs, 'retryMaxMs', 'a number >= retryInitialMs', retryMaxMs);
  const dedupeSize = options.dedupe === true ? 10_000 : options.dedupe === false || options.dedupe === undefined ? 0 : options.dedupe;
  check(Number.isInteger(dedupeSize) && dedupeSize >= 0, 'dedupe', 'a boolean or an integer >= 0', options.dedupe);
  return { maxAttempts, retryInitialMs, retryMaxMs, dedupe: dedupeSize > 0 ? new RecentIds(dedupeSize) : undefined };
}

/**
 * Hands one event to the handler, retrying with exponential backoff up to `maxAttempts` times;
 * `closing` ends the waits and stops further attempts. It never skips an event silently: the
 * caller decides, from the outcome, whether to acknowledge it, dead-letter it or pause.
 */
export async function deliver(
  event: JobCompletedEvent,
  handler: JobCompletedHandler,
  policy: DeliveryPolicy,
  closing: AbortSignal,
): Promise<DeliveryOutcome> {
  if (policy.dedupe?.has(event.executionId)) return { kind: 'duplicate' };
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    if (closing.aborted) return { kind: 'stopped' };
    try {
      await handler(event);
      policy.dedupe?.add(event.executionId);
      return { kind: 'handled' };
    } catch (error) {
      if (error === ITERATION_STOPPED) return { kind: 'stopped' };
      lastError = error;
    }
    if (attempt < policy.maxAttempts) {
      const wait = Math.min(policy.retryInitialMs * 2 ** (attempt - 1), policy.retryMaxMs);
      await sleep(wait, closing);
    }
  }
  const cause = lastError;
  const text = cause instanceof Error ? cause.message : String(cause);
  return {
    kind: 'exhausted',
    attempts: policy.maxAttempts,
    error: new SchedulerError(
      'SERVER_ERROR',
      `handler failed ${policy.maxAttempts} time${policy.maxAttempts === 1 ? '' : 's'} on execution '${event.executionId}' of job '${event.jobId}': ${text}`,
      { operation: 'handleJobCompleted', jobId: event.jobId, cause },
    ),
  };
}

/** A bounded set of recently seen ids; the oldest is forgotten first. */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }
}
