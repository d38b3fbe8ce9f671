import { randomFillSync } from 'node:crypto';

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

// Random words drawn from the CSPRNG 1024 at a time: one call per id would dominate its cost.
const pool = new Uint32Array(1024);
let next = pool.length;
function random32(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]!;
}

/**
 * Makes UUIDv7 ids (RFC 9562) that sort in creation order even within one millisecond: the
 * 48-bit time comes from the scheduler's clock, followed by a counter that starts at a random
 * value each millisecond (method 1 of the RFC) and 32 random bits.
 */
export function createIdGenerator(): (nowMs: number) => string {
  let lastMs = -1;
  let counter = 0;
  return (nowMs: number): string => {
    const ms = Math.max(Math.floor(nowMs), lastMs);
    if (ms !== lastMs) {
      lastMs = ms;
      counter = (random32() % 2 ** 9) * 2 ** 32 + random32(); // below 2^41
    } else if (++counter >= 2 ** 42) {
      // 2^41 ids in one millisecond: borrow the next millisecond rather than wrap.
      lastMs = ms + 1;
      counter = 0;
    }
    const high = Math.floor(counter / 2 ** 30); // 12 bits
    const low = counter % 2 ** 30; // 30 bits
    const time = hex(lastMs, 12);
    return `${time.slice(0, 8)}-${time.slice(8)}-7${hex(high, 3)}-${hex(0x8000 | (low >>> 16), 4)}-${hex(low & 0xffff, 4)}${hex(random32(), 8)}`;
  };
}
