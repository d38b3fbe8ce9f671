/** An exponential backoff: the wait before retry n is `min(initialMs × multiplier^(n−1), maxMs)`. */
export interface Backoff {
  /** The wait before the first retry, in ms. */
  initialMs: number;
  /** The longest wait, in ms. */
  maxMs: number;
  /** How much each wait grows over the previous one. @default 2 */
  multiplier?: number;
  /**
   * Spread each wait uniformly over `wait × (1 ± jitter)`, 0 to 1, so that many clients retrying
   * at once do not retry in step. @default 0
   */
  jitter?: number;
}

/**
 * The wait before retry `retry` (1 = the first retry) under `backoff`, in whole ms. Every retry
 * loop in the package (gRPC calls, job retries in the engine, event delivery, Kafka connects)
 * computes its waits here.
 *
 * @param backoff the policy.
 * @param retry which retry, from 1.
 * @param random a number in [0, 1); only used when `jitter` is set.
 */
export function backoffDelay(backoff: Backoff, retry: number, random: () => number = Math.random): number {
  const base = Math.min(backoff.initialMs * (backoff.multiplier ?? 2) ** Math.max(0, retry - 1), backoff.maxMs);
  const jitter = backoff.jitter ?? 0;
  if (jitter === 0) return Math.round(base);
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))));
}
