// The jitter and retry-backoff vectors (proto/testdata/jitter/, proto "Schedule policies"): the
// TypeScript jitterDelay, dueTime and retryWait give every value they list. The files are written
// by scripts/gen-jitter-vectors.ts, which computes them without src/policy.ts; the Python and Go
// checkers of conformance/ compute them again (run by __tests__/parity.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dueTime, jitterDelay, retryWait, DEFAULT_RETRY_BACKOFF } from '../src/policy.js';
import { LIMITS } from '../src/limits.js';
import type { BackoffCase as Backoff, CappedDelayCase as Capped, JitterDelayCase as Delay } from '../scripts/lib/jitter-vectors.js';
import { ROOT } from './support/conformance-tools.js';


const DIR = join(ROOT, 'proto/testdata/jitter');
const { delays, capped } = JSON.parse(readFileSync(join(DIR, 'delays.json'), 'utf8')) as { delays: Delay[]; capped: Capped[] };
const { backoffs } = JSON.parse(readFileSync(join(DIR, 'backoff.json'), 'utf8')) as { backoffs: Backoff[] };
const TWO_63 = 2n ** 63n;
const label = (d: Delay) => `${JSON.stringify(d.job_id)} at ${d.scheduled_ms} jitter ${d.jitter_ms}`;

describe('jitter vectors (proto/testdata/jitter/delays.json)', () => {
  it('cover non-ASCII ids, instants before 1970 and at 0, jitters of 1 and 86,400,000, and hashes of 2^63 and more', () => {
    expect(delays.length).toBeGreaterThanOrEqual(100);
    expect(delays.some((d) => /[^\x00-\x7f]/.test(d.job_id))).toBe(true);
    expect(delays.some((d) => [...d.job_id].some((c) => c.codePointAt(0)! > 0xffff))).toBe(true);
    expect(delays.some((d) => d.scheduled_ms < 0)).toBe(true);
    expect(delays.some((d) => d.scheduled_ms === 0)).toBe(true);
    expect(delays.some((d) => d.jitter_ms === 1)).toBe(true);
    expect(delays.some((d) => d.jitter_ms === LIMITS.jitterMsMax && d.delay_ms > 2 ** 26)).toBe(true);
    expect(delays.some((d) => BigInt(d.hash_u64) >= TWO_63)).toBe(true);
    expect(delays.some((d) => BigInt(d.hash_u64) < TWO_63)).toBe(true);
    // Every jitter is inside the proto's bounds, every delay below its jitter.
    for (const d of delays) {
      expect(d.jitter_ms, label(d)).toBeGreaterThanOrEqual(1);
      expect(d.jitter_ms, label(d)).toBeLessThanOrEqual(LIMITS.jitterMsMax);
      expect(d.delay_ms, label(d)).toBeLessThan(d.jitter_ms);
    }
  });

  it('each case is H mod jitter, H as written, and scheduled_at is scheduled_ms as RFC 3339 UTC text', () => {
    const wrong = delays.filter((d) => Number(BigInt(d.hash_u64) % BigInt(d.jitter_ms)) !== d.delay_ms || new Date(d.scheduled_ms).toISOString() !== d.scheduled_at);
    expect(wrong.map(label)).toEqual([]);
  });

  it('jitterDelay gives every delay', () => {
    const wrong = delays.filter((d) => jitterDelay(d.job_id, d.scheduled_ms, d.jitter_ms) !== d.delay_ms).map((d) => `${label(d)}: ${jitterDelay(d.job_id, d.scheduled_ms, d.jitter_ms)}, want ${d.delay_ms}`);
    expect(wrong).toEqual([]);
    // And none with a jitter of 0.
    for (const d of delays.slice(0, 20)) expect(jitterDelay(d.job_id, d.scheduled_ms, 0)).toBe(0);
  });

  it('a signed or a double reading of H would give other delays: the vectors catch both', () => {
    const signed = delays.filter((d) => Number(BigInt.asIntN(64, BigInt(d.hash_u64)) % BigInt(d.jitter_ms)) !== d.delay_ms);
    const double = delays.filter((d) => Number(BigInt(d.hash_u64)) % d.jitter_ms !== d.delay_ms);
    expect(signed.length).toBeGreaterThan(0);
    expect(double.length).toBeGreaterThan(0);
  });

  it('dueTime gives every capped due time, and the delay as it is when the next instant lies beyond it', () => {
    expect(capped.some((c) => c.due_ms - c.scheduled_ms < c.delay_ms)).toBe(true);
    expect(capped.some((c) => c.due_ms - c.scheduled_ms === c.delay_ms)).toBe(true);
    expect(capped.some((c) => c.next_scheduled_ms === c.scheduled_ms + 1 && c.delay_ms > 0)).toBe(true);
    const wrong = capped
      .filter((c) => dueTime(c.job_id, c.scheduled_ms, c.jitter_ms, c.next_scheduled_ms) !== c.due_ms)
      .map((c) => `${label(c)} next ${c.next_scheduled_ms}: ${dueTime(c.job_id, c.scheduled_ms, c.jitter_ms, c.next_scheduled_ms)}, want ${c.due_ms}`);
    expect(wrong).toEqual([]);
    for (const c of capped) {
      expect(c.due_ms, label(c)).toBe(c.scheduled_ms + Math.min(c.delay_ms, c.next_scheduled_ms - c.scheduled_ms - 1));
      expect(jitterDelay(c.job_id, c.scheduled_ms, c.jitter_ms), label(c)).toBe(c.delay_ms);
      expect([new Date(c.next_scheduled_ms).toISOString(), new Date(c.due_ms).toISOString()]).toEqual([c.next_scheduled_at, c.due_at]);
    }
    // Without a next instant (a one-shot, or the last fire) nothing is capped.
    for (const d of delays) expect(dueTime(d.job_id, d.scheduled_ms, d.jitter_ms, undefined), label(d)).toBe(d.scheduled_ms + d.delay_ms);
  });
});

describe('retry backoff vectors (proto/testdata/jitter/backoff.json)', () => {
  it('cover the default and the backoffs of the proto, with a product that a double rounds down', () => {
    const keys = backoffs.map((b) => `${b.initial_ms}/${b.max_ms}/${b.multiplier}`);
    for (const k of ['1000/60000/2', '500/4000/3', '1/86400000/10', '1000/60000/1.1', '7/100/1.5']) expect(keys).toContain(k);
    const def = backoffs.find((b) => b.initial_ms === DEFAULT_RETRY_BACKOFF.initialMs && b.max_ms === DEFAULT_RETRY_BACKOFF.maxMs && b.multiplier === DEFAULT_RETRY_BACKOFF.multiplier)!;
    // The default is min(2^(n-1) s, 60 s).
    expect(def.waits_ms).toEqual(def.waits_ms.map((_, i) => Math.min(2 ** i * 1000, 60_000)));
    // 100 x 1.15 is 114.99999999999999 in a double: w(2) is 114, where decimal arithmetic gives 115.
    expect(backoffs.find((b) => b.multiplier === 1.15)?.waits_ms[1]).toBe(114);
  });

  it('retryWait gives every wait', () => {
    const wrong: string[] = [];
    for (const b of backoffs) {
      const backoff = { initialMs: b.initial_ms, maxMs: b.max_ms, multiplier: b.multiplier };
      b.waits_ms.forEach((w, i) => {
        const got = retryWait(backoff, i + 1);
        if (got !== w) wrong.push(`${b.description}: w(${i + 1}) = ${got}, want ${w}`);
      });
    }
    expect(wrong).toEqual([]);
  });
});
