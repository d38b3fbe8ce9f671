// Timestamps as text and as exact values: the one strict RFC 3339 reader of the package (Kafka JSON
// `completed_at`, the proto3 JSON form of events, the CLI's `--at`) and the writers of the exact form.
// The accepted text is the proto's "Timestamps" rule (scheduler.proto, file header):
//
//   YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)
//
// upper-case T and Z only, years 0001-9999, real calendar days, hours 00-23, minutes and seconds
// 00-59 (no leap second), offsets up to ±23:59 (-00:00 is UTC), and the instant, once the offset
// is applied, inside 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z.
import { SchedulerError } from './errors.js';
import { LIMITS } from './limits.js';

/**
 * A point in time, exactly, as `google.protobuf.Timestamp` holds it: whole seconds since
 * 1970-01-01T00:00:00Z and a nanosecond part. Both are plain numbers: every second of the years
 * 0001-9999 is a safe integer.
 */
export interface Timestamp {
  /** Whole seconds since the epoch, from -62,135,596,800 (0001-01-01T00:00:00Z) to 253,402,300,799 (9999-12-31T23:59:59Z). */
  seconds: number;
  /** Nanoseconds within the second, 0 to 999,999,999; never negative. */
  nanos: number;
}

/** The first second a Timestamp may hold: 0001-01-01T00:00:00Z (-62,135,596,800). */
export const TIMESTAMP_MIN_SECONDS: number = LIMITS.timestampMinMs / 1000;
/** The last second a Timestamp may hold: 9999-12-31T23:59:59Z (253,402,300,799). */
export const TIMESTAMP_MAX_SECONDS: number = Math.floor(LIMITS.timestampMaxMs / 1000);

/** The accepted text form, for messages. */
export const RFC3339_FORMAT = 'YYYY-MM-DDTHH:MM:SS[.fraction of 1 to 9 digits](Z|+HH:MM|-HH:MM)';

const C0 = 48; // '0'

function digitsAt(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - C0;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to the given proleptic Gregorian date (exact integer arithmetic). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Reads an RFC 3339 timestamp strictly (see the module comment).
 *
 * @returns the exact instant, or a sentence saying why `text` is not an accepted timestamp.
 */
export function readTimestamp(text: string): Timestamp | string {
  const s = text;
  const n = s.length;
  // Fixed positions: YYYY-MM-DDTHH:MM:SS is 19 characters.
  if (n < 20 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') {
    return `is not of the form ${RFC3339_FORMAT}`;
  }
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return `is not of the form ${RFC3339_FORMAT}`;
  let at = 19;
  let nanos = 0;
  if (s[at] === '.') {
    const start = ++at;
    while (at < n && at - start < 10) {
      const d = s.charCodeAt(at) - C0;
      if (d < 0 || d > 9) break;
      nanos = nanos * 10 + d;
      at++;
    }
    const count = at - start;
    if (count === 0 || count > 9) return `must have 1 to 9 fraction digits after '.'`;
    for (let i = count; i < 9; i++) nanos *= 10;
  }
  let offsetMinutes = 0;
  if (s[at] === 'Z' && at + 1 === n) {
    // UTC
  } else if ((s[at] === '+' || s[at] === '-') && at + 6 === n && s[at + 3] === ':') {
    const oh = digitsAt(s, at + 1, 2);
    const om = digitsAt(s, at + 4, 2);
    if (oh < 0 || om < 0) return `is not of the form ${RFC3339_FORMAT}`;
    if (oh > 23 || om > 59) return 'has an offset outside -23:59..+23:59';
    offsetMinutes = (s[at] === '-' ? -1 : 1) * (oh * 60 + om);
  } else {
    return `must end in Z, +HH:MM or -HH:MM (upper-case T and Z, no other text)`;
  }
  if (year < 1) return 'has year 0000; years are 0001 to 9999';
  if (month < 1 || month > 12) return `has month ${s.slice(5, 7)}, not 01 to 12`;
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > monthDays) return `has day ${s.slice(8, 10)}, but ${s.slice(0, 7)} has days 01 to ${monthDays}`;
  if (hour > 23) return `has hour ${s.slice(11, 13)}, not 00 to 23`;
  if (minute > 59) return `has minute ${s.slice(14, 16)}, not 00 to 59`;
  if (second > 59) return `has second ${s.slice(17, 19)}, not 00 to 59 (leap seconds are not accepted)`;
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  if (seconds < TIMESTAMP_MIN_SECONDS || seconds > TIMESTAMP_MAX_SECONDS) {
    return 'is outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z once its offset is applied';
  }
  return { seconds, nanos };
}

/**
 * Reads an RFC 3339 timestamp strictly: `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)` with
 * upper-case `T` and `Z`, a real calendar day of the years 0001-9999, hours 00-23, no leap second,
 * an offset up to ±23:59, and an instant inside 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z.
 * Nothing is rounded or rolled over: `2026-02-30` and `24:00:00` are refused.
 *
 * @returns the exact instant.
 * @throws {SchedulerError} `INVALID_ARGUMENT` naming the text and what is wrong with it; `limit` is
 *   the accepted form.
 */
export function parseTimestamp(text: string): Timestamp {
  const read = readTimestamp(text);
  if (typeof read === 'string') throw new SchedulerError('INVALID_ARGUMENT', `timestamp ${JSON.stringify(text)} ${read}`, { limit: RFC3339_FORMAT });
  return read;
}

/** Whether `t` is a Timestamp of the years 0001-9999 with integer seconds and nanos 0..999,999,999. */
export function isValidTimestamp(t: Timestamp): boolean {
  return (
    Number.isInteger(t.seconds) &&
    t.seconds >= TIMESTAMP_MIN_SECONDS &&
    t.seconds <= TIMESTAMP_MAX_SECONDS &&
    Number.isInteger(t.nanos) &&
    t.nanos >= 0 &&
    t.nanos <= 999_999_999
  );
}

/** The exact form of a `Date` (or of epoch milliseconds): its nanos are whole milliseconds. */
export function timestampFromMillis(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** Epoch milliseconds of a Timestamp, its digits finer than a millisecond dropped (what a `Date` holds). */
export function timestampToMillis(t: Timestamp): number {
  return t.seconds * 1000 + Math.floor(t.nanos / 1_000_000);
}

/**
 * Checks that an exact timestamp given beside a `Date` agrees with it: its millisecond part must be
 * the Date's value. Without one, the Date's own value is the exact one.
 *
 * @param field the name of the exact field, for the error (`completedAtExact`).
 * @returns the exact value to encode.
 * @throws {SchedulerError} `INVALID_ARGUMENT` naming `field` when they disagree, or when the exact
 *   value is not a valid Timestamp.
 */
export function exactOf(date: Date, exact: Timestamp | undefined, field: string): Timestamp {
  const ms = date.getTime();
  if (exact === undefined) return timestampFromMillis(ms);
  if (!isValidTimestamp(exact)) {
    throw new SchedulerError('INVALID_ARGUMENT', `${field} must have integer seconds of the years 0001-9999 and nanos 0 to 999999999, got ${JSON.stringify(exact)}`, {
      field,
      limit: 'seconds -62135596800 to 253402300799, nanos 0 to 999999999',
    });
  }
  if (timestampToMillis(exact) !== ms) {
    const shown = Number.isNaN(ms) ? 'an invalid Date' : date.toISOString();
    throw new SchedulerError(
      'INVALID_ARGUMENT',
      `${field} (${formatTimestamp(exact)}) does not agree with ${field.replace(/Exact$/, '')} (${shown}): its millisecond part must equal the Date`,
      { field, limit: 'the millisecond part of the Date' },
    );
  }
  return exact;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Writes a Timestamp as RFC 3339 in UTC with the fewest of 3, 6 or 9 fraction digits that hold it
 * (`2026-11-22T10:00:00.000Z`, `…00.123456Z`, `…00.123456789Z`): a whole-millisecond value is
 * exactly what `Date.toISOString()` writes. {@link parseTimestamp} reads every result back to the
 * same value.
 *
 * @param minDigits 0 to leave out a zero fraction (proto3 JSON: 0, 3, 6 or 9 digits).
 */
export function formatTimestamp(t: Timestamp, minDigits: 0 | 3 = 3): string {
  const days = Math.floor(t.seconds / 86_400);
  const rest = t.seconds - days * 86_400;
  // The calendar date of `days` (days since 1970-01-01), inverse of daysFromCivil.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hh = Math.floor(rest / 3600);
  const mm = Math.floor((rest % 3600) / 60);
  const ss = rest % 60;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}${fraction(t.nanos, minDigits)}Z`;
}

function fraction(nanos: number, minDigits: 0 | 3): string {
  if (nanos === 0 && minDigits === 0) return '';
  const digits = pad(nanos, 9);
  if (nanos % 1_000_000 === 0) return `.${digits.slice(0, 3)}`;
  if (nanos % 1000 === 0) return `.${digits.slice(0, 6)}`;
  return `.${digits}`;
}
