import { expect } from 'vitest';
import { SchedulerError, type SchedulerErrorCode } from '../../src/index.js';

/** Awaits a call that must fail with a SchedulerError of `code`, and returns that error. */
export async function expectCode(promise: Promise<unknown>, code: SchedulerErrorCode): Promise<SchedulerError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a SchedulerError ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SchedulerError);
  expect((error as SchedulerError).code).toBe(code);
  return error as SchedulerError;
}
