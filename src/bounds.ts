// The bounds that the clients and the reference server both check, each checked here once so that
// every side applies the same rule and words its error the same way.
import { VirtualClock, type Clock } from './engine/clock.js';
import { SchedulerError, failureMessage, optionError } from './errors.js';
import { DEFAULTS, LIMITS } from './limits.js';

/**
 * Checks a page size and returns the size to use. The rule is the same everywhere: an integer from
 * 1 to `LIMITS.pageSizeMax`, and unset means `DEFAULTS.pageSize`. Only "unset" is spelt
 * differently: the SDK's `pageSize` option is `undefined`, the proto's `page_size` is 0 (proto3 has
 * no presence for it).
 *
 * @param value the size asked for.
 * @param ctx the operation, and which spelling applies: `'sdk'` (`pageSize`, unset is `undefined`)
 *   or `'wire'` (`page_size`, unset is 0).
 * @throws {SchedulerError} `INVALID_ARGUMENT` with `field` `page_size` (the proto name, on both
 *   sides) and `limit` `1..1000` (`'sdk'`) or `0..1000` (`'wire'`).
 */
export function checkPageSize(value: number | undefined, ctx: { operation: string; side: 'sdk' | 'wire' }): number {
  const unset = ctx.side === 'sdk' ? value === undefined : value === 0;
  if (unset) return DEFAULTS.pageSize;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= LIMITS.pageSizeMax) return value;
  const [name, unsetSpelling, min] = ctx.side === 'sdk' ? ['pageSize', 'unset', 1] : ['page_size', '0', 0];
  const error = optionError(ctx.operation, name, `an integer from 1 to ${LIMITS.pageSizeMax} (${unsetSpelling} means ${DEFAULTS.pageSize})`, value);
  // ErrorInfo names the proto field on both sides; the limit is the range the side accepts.
  throw new SchedulerError('INVALID_ARGUMENT', error.message, { operation: ctx.operation, field: 'page_size', limit: `${min}..${LIMITS.pageSizeMax}` });
}

/**
 * Moves a VirtualClock forward by `ms`, firing what falls due: the `advanceTime` of the in-memory
 * client and of the reference server.
 *
 * @param clock the scheduler's clock.
 * @param ms how far, a finite number of milliseconds >= 0.
 * @param owner what runs on the clock, for the message (`client`, `server`).
 * @throws {SchedulerError} `INVALID_STATE` when `clock` is not a VirtualClock, `INVALID_ARGUMENT`
 *   naming `ms` and the limit when `ms` is negative or not finite.
 */
export async function advanceVirtualClock(clock: Clock, ms: number, owner: string): Promise<void> {
  const operation = 'advanceTime';
  if (!(clock instanceof VirtualClock)) {
    throw new SchedulerError('INVALID_STATE', failureMessage({ operation }, `this ${owner} does not run on a VirtualClock`), { operation });
  }
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw optionError(operation, 'ms', 'a finite number >= 0', ms);
  await clock.advance(ms);
}
