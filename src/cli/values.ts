import { RFC3339_FORMAT, readTimestamp, timestampToMillis } from '../timestamp.js';
import { UsageError } from './args.js';

const UNITS: readonly (readonly [unit: string, ms: number])[] = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/;

/** What a duration looks like, for messages. */
export const DURATION_EXAMPLES = 'a duration like 30s, 5m, 1h';

/**
 * Reads a duration: numbers with the units `h`, `m`, `s` and `ms`, largest first, each at most
 * once (`500ms`, `30s`, `1m30s`, `1h30m`, `1.5s`), or a bare `0`. Any other bare number is refused,
 * so that `5000` is never silently read in the wrong unit.
 *
 * @returns whole milliseconds.
 * @throws {UsageError} when `text` is not such a duration or is finer than a millisecond.
 */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const match = DURATION.exec(text);
  if (text === '' || match === null) {
    const bare = /^\d+(?:\.\d+)?$/.test(text) ? ' with a unit' : '';
    throw new UsageError(`expected ${DURATION_EXAMPLES}${bare}; got ${JSON.stringify(text)}`);
  }
  let ms = 0;
  UNITS.forEach(([, size], i) => {
    const amount = match[i + 1];
    if (amount !== undefined) ms += Number(amount) * size;
  });
  const whole = Math.round(ms);
  if (Math.abs(ms - whole) > 1e-6) throw new UsageError(`expected whole milliseconds; got ${JSON.stringify(text)}`);
  return whole;
}

/**
 * Writes milliseconds as a duration in the largest exact units, each unit once, largest first:
 * `30000` is `30s`, `90000` is `1m30s`, `3600000` is `1h`, `1500` is `1s500ms`, `0` is `0s`.
 * {@link parseDuration} reads every result back to the same number.
 */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) return `${ms}ms`;
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  for (const [unit, size] of UNITS) {
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      text += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return text;
}

/** Reads the duration option `--option` and checks it against `[min, max]` milliseconds. */
export function durationOption(option: string, text: string, min: number, max: number, { wholeSeconds = false } = {}): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`, { option });
  }
  const limit = `${formatDuration(min)} to ${formatDuration(max)}`;
  if (ms < min || ms > max) throw new UsageError(`${option}: must be from ${limit}; got ${JSON.stringify(text)}`, { option, limit });
  if (wholeSeconds && ms % 1000 !== 0) throw new UsageError(`${option}: must be whole seconds; got ${JSON.stringify(text)}`, { option, limit: 'whole seconds' });
  return ms;
}

/** Reads the whole-number option `--option` and checks it against `[min, max]`. */
export function integerOption(option: string, text: string, min: number, max: number): number {
  if (!/^[+-]?\d+$/.test(text)) throw new UsageError(`${option}: expected a whole number; got ${JSON.stringify(text)}`, { option });
  const value = Number(text);
  const limit = `${min} to ${max}`;
  if (value < min || value > max) throw new UsageError(`${option}: must be from ${limit}; got ${JSON.stringify(text)}`, { option, limit });
  return value;
}

// The shapes of the proto's timestamp text, to word the refusal: zone missing, or fields out of range.
const SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const ZONELESS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** An example of a TIME, for help and messages. */
export const TIME_EXAMPLES = '2026-12-24T18:00:00Z or 2026-12-24T18:00:00+09:00';

/**
 * Reads the time option `--option`: an RFC 3339 timestamp as the proto's "Timestamps" rule
 * defines it, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` with seconds, upper-case `T` and
 * `Z`, and a zone. A time without a zone is refused rather than read in some machine's zone, and
 * a time that does not exist (`2026-02-30`, `24:00:00`) rather than rolled over.
 *
 * @throws {UsageError} when `text` is not such a time, has no zone, names a day or hour that does
 *   not exist, or has a part finer than a millisecond (a one-shot runs at a whole millisecond).
 */
export function timeOption(option: string, text: string): Date {
  const read = readTimestamp(text);
  if (typeof read !== 'string') {
    if (read.nanos % 1_000_000 !== 0) {
      throw new UsageError(`${option}: must be a whole number of milliseconds; got ${JSON.stringify(text)}`, { option, limit: 'whole milliseconds' });
    }
    return new Date(timestampToMillis(read));
  }
  if (ZONELESS.test(text)) {
    throw new UsageError(`${option}: the time needs a zone, Z for UTC or an offset such as +09:00; got ${JSON.stringify(text)}`, { option });
  }
  if (SHAPE.test(text)) throw new UsageError(`${option}: no such date and time (it ${read}); got ${JSON.stringify(text)}`, { option });
  throw new UsageError(`${option}: expected a date and time like ${TIME_EXAMPLES} (${RFC3339_FORMAT}); got ${JSON.stringify(text)}`, { option });
}

/**
 * Reads the decimal option `--option` (`2`, `1.5`; no sign, exponent or unit) and checks it
 * against `[min, max]`.
 */
export function decimalOption(option: string, text: string, min: number, max: number): number {
  if (!/^\d+(?:\.\d+)?$/.test(text)) throw new UsageError(`${option}: expected a number such as 2 or 1.5; got ${JSON.stringify(text)}`, { option });
  const value = Number(text);
  const limit = `${min} to ${max}`;
  if (value < min || value > max) throw new UsageError(`${option}: must be from ${limit}; got ${JSON.stringify(text)}`, { option, limit });
  return value;
}
