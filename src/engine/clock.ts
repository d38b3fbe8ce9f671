import { IndexedHeap, type HeapEntry } from './heap.js';

/** An opaque handle of a timer set with {@link Clock.setTimer}. */
export type TimerHandle = object;

/**
 * The time source of a scheduler. The engine asks it for the current time and for one timer at a
 * time (its earliest due wake-up), so a clock never needs to poll.
 */
export interface Clock {
  /** The current time in epoch milliseconds. */
  now(): number;
  /** Calls `callback` once, when the clock reaches `at` (epoch ms), or soon after if `at` has passed. */
  setTimer(at: number, callback: () => void): TimerHandle;
  /** Cancels a timer; a no-op for one that already fired or was cleared. */
  clearTimer(handle: TimerHandle): void;
}

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Real time, with real timers that fire at the due millisecond (never before it). Timers are
 * unref'd: a scheduler alone does not keep the process alive.
 */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(at: number, callback: () => void): TimerHandle {
    const handle: { timeout?: NodeJS.Timeout } = {};
    const arm = (): void => {
      const delay = at - Date.now();
      if (delay <= 0) {
        handle.timeout = undefined;
        callback();
        return;
      }
      // setTimeout can wake a millisecond early, and cannot wait longer than 2^31-1 ms: re-arm.
      handle.timeout = setTimeout(arm, Math.min(delay, MAX_TIMEOUT_MS));
      handle.timeout.unref();
    };
    handle.timeout = setTimeout(arm, Math.max(0, Math.min(at - Date.now(), MAX_TIMEOUT_MS)));
    handle.timeout.unref();
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    const h = handle as { timeout?: NodeJS.Timeout };
    if (h.timeout !== undefined) clearTimeout(h.timeout);
    h.timeout = undefined;
  }
}

interface VirtualTimer extends HeapEntry {
  at: number;
  seq: number;
  callback: () => void;
}

/** Lets pending promise callbacks and I/O callbacks run, so async work started by a timer settles. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told to. {@link VirtualClock.advance} fires every timer that falls
 * due, in time order, and lets the work each one starts settle before the next, so a day of cron
 * runs takes milliseconds and always happens the same way.
 */
export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new IndexedHeap<VirtualTimer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  private queue: Promise<void> = Promise.resolve();

  /** @param start the initial time. @default the real current time */
  constructor(start: Date | number = Date.now()) {
    this.current = typeof start === 'number' ? start : start.getTime();
    if (!Number.isFinite(this.current)) throw new RangeError('VirtualClock: start must be a valid time');
  }

  now(): number {
    return this.current;
  }

  setTimer(at: number, callback: () => void): TimerHandle {
    const timer: VirtualTimer = { index: -1, at, seq: this.seq++, callback };
    this.timers.push(timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers.remove(handle as VirtualTimer);
  }

  /**
   * Moves the clock forward by `ms`, firing every timer that falls due on the way at its own time.
   * Calls queue behind each other; the returned promise resolves when this one is done.
   */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new RangeError(`advance: ms must be a finite number >= 0, got ${ms}`));
    const run = this.queue.then(() => this.advanceTo(this.current + ms));
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * Moves the clock forward by `ms` at once, as if the process had been suspended or the server
   * down meanwhile: the timers that fall due on the way fire afterwards, all at the new time (late),
   * in order. Use it to test catch-up; {@link VirtualClock.advance} fires each timer on time.
   */
  jump(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new RangeError(`jump: ms must be a finite number >= 0, got ${ms}`));
    const run = this.queue.then(async () => {
      await settle();
      this.current += ms;
      await this.advanceTo(this.current);
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async advanceTo(target: number): Promise<void> {
    for (;;) {
      await settle();
      const next = this.timers.peek();
      if (next === undefined || next.at > target) break;
      this.timers.pop();
      if (next.at > this.current) this.current = next.at;
      next.callback();
    }
    this.current = target;
    await settle();
  }
}
