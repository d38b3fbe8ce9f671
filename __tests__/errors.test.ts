import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULER_ERROR_CODES, SchedulerError, failureMessage, jobNotFound, keyNotFound, optionError } from '../src/errors.js';
import { GrpcCode, codeOfGrpc, grpcCodeOf, isRetryableGrpc, statusOf } from '../src/wire/status.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('SchedulerError', () => {
  it('carries its code, message and context fields', () => {
    const error = new SchedulerError('INVALID_ARGUMENT', 'createJob: name must be 1 to 128 characters', {
      operation: 'createJob',
      jobId: 'job-1',
      field: 'name',
      limit: '1..128 characters',
      grpcCode: 3,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SchedulerError');
    expect(error.message).toBe('createJob: name must be 1 to 128 characters');
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', operation: 'createJob', jobId: 'job-1', field: 'name', limit: '1..128 characters', grpcCode: 3 });
    expect(error.stack).toContain('SchedulerError');
  });

  it('is not retryable unless told so', () => {
    expect(new SchedulerError('SERVER_ERROR', 'boom').retryable).toBe(false);
    expect(new SchedulerError('SERVER_ERROR', 'boom', { retryable: true }).retryable).toBe(true);
  });

  it('leaves the context fields undefined when none is given', () => {
    const error = new SchedulerError('TIMEOUT', 'late');
    expect(error.operation).toBeUndefined();
    expect(error.jobId).toBeUndefined();
    expect(error.field).toBeUndefined();
    expect(error.limit).toBeUndefined();
    expect(error.grpcCode).toBeUndefined();
  });

  it('keeps the cause, and has none when none is given', () => {
    const cause = new Error('socket hang up');
    expect(new SchedulerError('SERVER_ERROR', 'boom', { cause }).cause).toBe(cause);
    expect('cause' in new SchedulerError('SERVER_ERROR', 'boom')).toBe(false);
  });

  it('lists the eight codes of the error table, frozen', () => {
    expect([...SCHEDULER_ERROR_CODES].sort()).toEqual(
      ['JOB_NOT_FOUND', 'INVALID_SCHEDULE', 'INVALID_ARGUMENT', 'INVALID_STATE', 'CONFLICT', 'TIMEOUT', 'CANCELLED', 'SERVER_ERROR'].sort(),
    );
    expect(Object.isFrozen(SCHEDULER_ERROR_CODES)).toBe(true);
  });

  it('CONFLICT is ALREADY_EXISTS for a key that another job has and ABORTED for a stale revision, never retryable', () => {
    expect(grpcCodeOf('CONFLICT', 'key')).toBe(GrpcCode.ALREADY_EXISTS);
    expect(grpcCodeOf('CONFLICT', 'expected_revision')).toBe(GrpcCode.ABORTED);
    expect(grpcCodeOf('CONFLICT')).toBe(GrpcCode.ABORTED);
    const taken = new SchedulerError('CONFLICT', "createJob: key 'k' belongs to job 'j'", { operation: 'createJob', field: 'key', jobId: 'j' });
    expect(statusOf(taken).code).toBe(GrpcCode.ALREADY_EXISTS);
    const stale = new SchedulerError('CONFLICT', "updateJob: job 'j' is at revision 2, not 1", { operation: 'updateJob', field: 'expected_revision' });
    expect(statusOf(stale).code).toBe(GrpcCode.ABORTED);
    expect(taken.retryable).toBe(false);
    // Without an ErrorInfo: ALREADY_EXISTS is a CONFLICT; ABORTED stays a retryable SERVER_ERROR.
    expect(codeOfGrpc(GrpcCode.ALREADY_EXISTS)).toBe('CONFLICT');
    expect(codeOfGrpc(GrpcCode.ABORTED)).toBe('SERVER_ERROR');
    expect(isRetryableGrpc(GrpcCode.ABORTED)).toBe(true);
  });

  it('keyNotFound names the operation, the key and the field', () => {
    const error = keyNotFound('getJob', 'nightly');
    expect(error).toMatchObject({ code: 'JOB_NOT_FOUND', operation: 'getJob', field: 'key', retryable: false });
    expect(error.jobId).toBeUndefined();
    expect(error.message).toBe("getJob: no job has key 'nightly'");
    expect(keyNotFound('applyJob', 'k', 'spec.key').field).toBe('spec.key');
  });

  it('jobNotFound names the operation and the job id', () => {
    const error = jobNotFound('pauseJob', 'job-42');
    expect(error).toMatchObject({ code: 'JOB_NOT_FOUND', operation: 'pauseJob', jobId: 'job-42', retryable: false });
    expect(error.message).toContain('pauseJob');
    expect(error.message).toContain('job-42');
  });

  it('is not matched by instanceof for other errors and non-objects', () => {
    expect(new Error('x')).not.toBeInstanceOf(SchedulerError);
    expect(Object.assign(new Error('x'), { code: 'SERVER_ERROR', name: 'SchedulerError' })).not.toBeInstanceOf(SchedulerError);
    for (const value of [null, undefined, 'SchedulerError', 42]) expect((value as unknown as object) instanceof SchedulerError).toBe(false);
  });
});

describe('failureMessage: the one sentence of every error', () => {
  it('is the operation, what happened, then the job and the address that the text does not name yet', () => {
    expect(failureMessage({ operation: 'getJob', jobId: 'x', address: '127.0.0.1:8093' }, "job 'x' not found")).toBe("getJob: job 'x' not found (127.0.0.1:8093)");
    expect(failureMessage({ operation: 'getJob', jobId: 'x', address: 'h:1' }, 'deadline of 300 ms exceeded')).toBe("getJob: deadline of 300 ms exceeded (job 'x', h:1)");
    expect(failureMessage({ operation: 'listJobs', address: 'h:1' }, 'cannot connect to h:1: connection refused')).toBe('listJobs: cannot connect to h:1: connection refused');
    expect(failureMessage({ operation: 'createJob' }, 'name must not be blank')).toBe('createJob: name must not be blank');
  });

  it('quotes the job id as the messages do, so a short id inside another word is not taken for it', () => {
    expect(failureMessage({ operation: 'getJob', jobId: 'x' }, 'deadline exceeded')).toBe("getJob: deadline exceeded (job 'x')");
  });

  it('builds the messages of jobNotFound, optionError and from()', () => {
    expect(jobNotFound('pauseJob', 'j').message).toBe(failureMessage({ operation: 'pauseJob' }, "job 'j' not found"));
    expect(optionError('iterateJobs', 'pageSize', 'an integer from 1 to 1000', 0).message).toBe('iterateJobs: pageSize must be an integer from 1 to 1000, got 0');
    expect(SchedulerError.from(new Error('boom'), 'getJob').message).toBe('getJob: boom');
  });
});

describe('SchedulerError.from', () => {
  it('returns a SchedulerError unchanged', () => {
    const original = new SchedulerError('JOB_NOT_FOUND', 'getJob: missing', { jobId: 'j' });
    expect(SchedulerError.from(original, 'getJob')).toBe(original);
  });

  it('turns an AbortError into CANCELLED, keeping it as cause', () => {
    const reason = AbortSignal.abort().reason as Error;
    expect(reason.name).toBe('AbortError');
    const error = SchedulerError.from(reason, 'listJobs');
    expect(error).toMatchObject({ code: 'CANCELLED', operation: 'listJobs', retryable: false });
    expect(error.cause).toBe(reason);
    expect(error.message).toContain('listJobs');
  });

  it('turns a TimeoutError into TIMEOUT, keeping it as cause', () => {
    const reason = new DOMException('The operation timed out.', 'TimeoutError');
    const error = SchedulerError.from(reason, 'getJob');
    expect(error).toMatchObject({ code: 'TIMEOUT', operation: 'getJob', retryable: false });
    expect(error.cause).toBe(reason);
  });

  it('turns a plain Error into a non-retryable SERVER_ERROR with the original as cause', () => {
    const reason = new TypeError('cannot read properties of undefined');
    const error = SchedulerError.from(reason, 'createJob');
    expect(error).toMatchObject({ code: 'SERVER_ERROR', operation: 'createJob', retryable: false });
    expect(error.cause).toBe(reason);
    expect(error.message).toContain('createJob');
    expect(error.message).toContain('cannot read properties of undefined');
  });

  it('turns a thrown non-Error into SERVER_ERROR', () => {
    const error = SchedulerError.from('just a string');
    expect(error.code).toBe('SERVER_ERROR');
    expect(error.cause).toBe('just a string');
    expect(error.message).toContain('just a string');
    expect(SchedulerError.from(undefined).code).toBe('SERVER_ERROR');
  });
});

describe('SchedulerError across two copies of the package', () => {
  let Other: typeof SchedulerError;

  beforeAll(() => {
    // dist/ is built from the current source once, by the global setup, before any test file runs.
    const cjs = join(ROOT, 'dist', 'index.cjs');
    if (!existsSync(cjs)) throw new Error(`${cjs} is missing; the global setup builds it (run the tests through vitest)`);
    Other = (createRequire(cjs)(cjs) as { SchedulerError: typeof SchedulerError }).SchedulerError;
  });

  it('the CJS build holds a different class object', () => {
    expect(Other).toBeTypeOf('function');
    expect(Other).not.toBe(SchedulerError);
  });

  it('instanceof recognises an error of the other copy, both ways', () => {
    const fromCjs = new Other('INVALID_STATE', 'pauseJob: job is completed');
    expect(fromCjs).toBeInstanceOf(SchedulerError);
    expect(new SchedulerError('INVALID_STATE', 'x')).toBeInstanceOf(Other);
    expect(new Error('x')).not.toBeInstanceOf(Other);
  });

  it('from() returns an error of the other copy unchanged', () => {
    const fromCjs = new Other('JOB_NOT_FOUND', 'getJob: missing');
    expect(SchedulerError.from(fromCjs, 'getJob')).toBe(fromCjs);
  });
});
