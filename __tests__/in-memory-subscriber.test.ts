import { afterEach, describe, expect, it } from 'vitest';
import {
  InMemoryJobCompletedSubscriber,
  InMemorySchedulerClient,
  Schedule,
  SchedulerError,
  VirtualClock,
  type CompletionSource,
  type DeliveryErrorContext,
  type JobCompletedEvent,
  type RawEventMessage,
  type SubscriberEventName,
  type SubscriberEvents,
} from '../src/index.js';
import { backoffDelay } from '../src/backoff.js';
import { expectCode } from './support/expect-code.js';
import { FakeSource } from './subscriber-contract/fake-source.js';
import { outcomeLog } from './subscriber-contract/outcomes.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

const outcomes = (sub: InMemoryJobCompletedSubscriber) => outcomeLog(sub);

const event = (n: number, jobId = 'job-1'): JobCompletedEvent => ({
  jobId,
  executionId: `exec-${n}`,
  completedAt: new Date(T0 + n),
  result: 'succeeded',
});

const ids = (events: JobCompletedEvent[]) => events.map((e) => e.executionId);

/** A promise and the function that resolves it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves or rejects with `promise`, or rejects once `ms` have passed without it settling. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Lets every pending promise callback and I/O callback run once. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

function subscriber(source: CompletionSource, options?: ConstructorParameters<typeof InMemoryJobCompletedSubscriber>[1]): InMemoryJobCompletedSubscriber {
  const sub = new InMemoryJobCompletedSubscriber(source, options);
  open.push(sub);
  return sub;
}

function schedulerClient(): InMemorySchedulerClient {
  const client = new InMemorySchedulerClient({ clock: new VirtualClock(T0) });
  open.push(client);
  return client;
}

describe('delivery order and buffering', () => {
  it('delivers the events of a scheduler in the order they happened', async () => {
    const client = schedulerClient();
    const sub = client.completions();
    open.push(sub);
    const seen: JobCompletedEvent[] = [];
    await sub.run((e) => void seen.push(e));
    const a = await client.createJob({ name: 'a', schedule: Schedule.interval(1000), payload: null });
    const b = await client.createJob({ name: 'b', schedule: Schedule.interval(1500), payload: null });
    await client.advanceTime(6000);
    await sub.idle();
    const times = seen.map((e) => e.completedAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(seen.filter((e) => e.jobId === a.id).map((e) => e.executionId)).toEqual((await client.getExecutions(a.id)).map((x) => x.id));
    expect(seen.filter((e) => e.jobId === b.id).map((e) => e.executionId)).toEqual((await client.getExecutions(b.id)).map((x) => x.id));
  });

  it('delivers events that happened after completions() but before run()', async () => {
    const client = schedulerClient();
    const job = await client.createJob({ name: 'early', schedule: Schedule.interval(1000), payload: null });
    const sub = client.completions();
    open.push(sub);
    await client.advanceTime(3000);
    expect(sub.pending).toBe(3);
    const seen: JobCompletedEvent[] = [];
    await sub.run((e) => void seen.push(e));
    await sub.idle();
    expect(ids(seen)).toEqual((await client.getExecutions(job.id)).map((x) => x.id));
    expect(sub.pending).toBe(0);
  });

  it('does not deliver events that happened before completions()', async () => {
    const client = schedulerClient();
    await client.createJob({ name: 'before', schedule: Schedule.interval(1000), payload: null });
    await client.advanceTime(2000);
    const sub = client.completions();
    open.push(sub);
    const seen: JobCompletedEvent[] = [];
    await sub.run((e) => void seen.push(e));
    await client.advanceTime(1000);
    await sub.idle();
    expect(seen.map((e) => e.completedAt.getTime())).toEqual([T0 + 3000]);
  });

  it('hands events to the handler one at a time', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    let active = 0;
    let most = 0;
    await sub.run(async () => {
      active++;
      most = Math.max(most, active);
      await turn();
      active--;
    });
    source.emit(event(1), event(2), event(3), event(4));
    await sub.idle();
    expect(most).toBe(1);
  });

  it('idle() resolves once every queued event has been handled', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    const handled: string[] = [];
    await sub.run(async (e) => {
      await turn();
      handled.push(e.executionId);
    });
    source.emit(event(1), event(2), event(3), event(4), event(5));
    expect(sub.pending).toBeGreaterThan(0);
    await sub.idle();
    expect(handled).toEqual(['exec-1', 'exec-2', 'exec-3', 'exec-4', 'exec-5']);
    expect(sub.pending).toBe(0);
  });
});

describe('handler failures', () => {
  it('retries a handler that fails twice, then delivers the event once successfully', async () => {
    const source = new FakeSource();
    const sub = subscriber(source, { maxAttempts: 5, retryInitialMs: 5 });
    const tries = new Map<string, number>();
    const succeeded: string[] = [];
    await sub.run((e) => {
      const n = (tries.get(e.executionId) ?? 0) + 1;
      tries.set(e.executionId, n);
      if (e.executionId === 'exec-1' && n <= 2) throw new Error(`failure ${n}`);
      succeeded.push(e.executionId);
    });
    source.emit(event(1), event(2));
    await within(sub.idle(), 10_000, 'handling both events');
    expect(tries.get('exec-1')).toBe(3);
    expect(succeeded).toEqual(['exec-1', 'exec-2']);
    expect(sub.state).toBe('running');
  });

  it('dead-letters an event after maxAttempts, reports it, and goes on with the next event', async () => {
    const source = new FakeSource();
    const deadLetters: [JobCompletedEvent, Error][] = [];
    const reports: [SchedulerError, DeliveryErrorContext][] = [];
    const sub = subscriber(source, {
      maxAttempts: 3,
      retryInitialMs: 1,
      onDeadLetter: (e, error) => void deadLetters.push([e, error]),
      onError: (error, context) => void reports.push([error, context]),
    });
    let attemptsOnPoison = 0;
    const handled: string[] = [];
    await sub.run((e) => {
      if (e.executionId === 'exec-1') {
        attemptsOnPoison++;
        throw new Error('poison');
      }
      handled.push(e.executionId);
    });
    source.emit(event(1), event(2));
    await within(sub.idle(), 10_000, 'dead-lettering and the next event');
    expect(attemptsOnPoison).toBe(3);
    expect(deadLetters.map(([e]) => e.executionId)).toEqual(['exec-1']);
    expect(deadLetters[0]![1]).toBeInstanceOf(SchedulerError);
    expect(deadLetters[0]![1].message).toContain('poison');
    expect(reports.map(([, context]) => context.action)).toEqual(['dead-lettered']);
    expect(reports[0]![1]).toMatchObject({ attempts: 3, event: event(1) });
    expect(handled).toEqual(['exec-2']);
    expect(sub.state).toBe('running');
    expect(sub.pending).toBe(0);
  });

  it('without onDeadLetter, pauses on the event, reports it, and neither delivers nor skips later events', async () => {
    const source = new FakeSource();
    const reports: DeliveryErrorContext[] = [];
    const sub = subscriber(source, { maxAttempts: 2, retryInitialMs: 1, onError: (_error, context) => void reports.push(context) });
    const handled: string[] = [];
    await sub.run((e) => {
      if (e.executionId === 'exec-2') throw new Error('cannot handle');
      handled.push(e.executionId);
    });
    source.emit(event(1), event(2), event(3));
    await within(sub.idle(), 10_000, 'the pause');
    expect(sub.state).toBe('paused');
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ action: 'paused', attempts: 2, event: event(2) });
    expect(handled).toEqual(['exec-1']);
    expect(sub.pending).toBe(2); // exec-2 stays at the head, exec-3 behind it

    source.emit(event(4));
    await turn();
    expect(handled).toEqual(['exec-1']);
    expect(sub.pending).toBe(3);
  });

  it('pauses, too, when the first queued event fails synchronously on its only attempt', async () => {
    const source = new FakeSource();
    let reported!: (context: DeliveryErrorContext) => void;
    const report = new Promise<DeliveryErrorContext>((resolve) => (reported = resolve));
    const sub = subscriber(source, { maxAttempts: 1, onError: (_error, context) => reported(context) });
    source.emit(event(1), event(2));
    await sub.run(() => {
      throw new Error('always');
    });
    expect((await within(report, 5_000, 'the report')).action).toBe('paused');
    await turn();
    expect(sub.state).toBe('paused');
    await within(sub.idle(), 5_000, 'idle() after the pause');
    expect(sub.pending).toBe(2);
  });

  it('pauses when onDeadLetter itself fails', async () => {
    const source = new FakeSource();
    const sub = subscriber(source, {
      maxAttempts: 1,
      onDeadLetter: () => {
        throw new Error('dead-letter destination is down');
      },
    });
    const handled: string[] = [];
    await sub.run((e) => {
      if (e.executionId === 'exec-1') throw new Error('poison');
      handled.push(e.executionId);
    });
    source.emit(event(1), event(2));
    await within(sub.idle(), 10_000, 'the pause');
    expect(sub.state).toBe('paused');
    expect(handled).toEqual([]);
    expect(sub.pending).toBe(2);
  });

  it('rejects bad delivery options at construction', () => {
    const source = new FakeSource();
    for (const options of [{ maxAttempts: 0 }, { maxAttempts: 1.5 }, { retryInitialMs: -1 }, { retryInitialMs: 100, retryMaxMs: 10 }, { dedupe: -1 }]) {
      expect(() => new InMemoryJobCompletedSubscriber(source, options)).toThrow(SchedulerError);
    }
    expect(source.listenerCount).toBe(0);
  });
});

describe('dedupe', () => {
  it('skips an executionId that was already handled', async () => {
    const source = new FakeSource();
    const sub = subscriber(source, { dedupe: true });
    const seen: JobCompletedEvent[] = [];
    await sub.run((e) => void seen.push(e));
    source.emit(event(1), event(1), event(2), event(1), event(2));
    await sub.idle();
    expect(ids(seen)).toEqual(['exec-1', 'exec-2']);
  });

  it('delivers every copy when dedupe is off', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    const seen: JobCompletedEvent[] = [];
    await sub.run((e) => void seen.push(e));
    source.emit(event(1), event(1), event(2));
    await sub.idle();
    expect(ids(seen)).toEqual(['exec-1', 'exec-1', 'exec-2']);
  });

  it('remembers only the last N handled ids', async () => {
    const source = new FakeSource();
    const sub = subscriber(source, { dedupe: 1 });
    const seen: JobCompletedEvent[] = [];
    await sub.run((e) => void seen.push(e));
    source.emit(event(1), event(1), event(2), event(1));
    await sub.idle();
    expect(ids(seen)).toEqual(['exec-1', 'exec-2', 'exec-1']);
  });

  it('does not remember an event whose handling failed', async () => {
    const source = new FakeSource();
    let failFirst = true;
    const sub = subscriber(source, { dedupe: true, maxAttempts: 1, onDeadLetter: () => {} });
    const seen: string[] = [];
    await sub.run((e) => {
      if (failFirst) {
        failFirst = false;
        throw new Error('first copy fails');
      }
      seen.push(e.executionId);
    });
    source.emit(event(1), event(1));
    await sub.idle();
    expect(seen).toEqual(['exec-1']);
  });
});

describe('for await', () => {
  it('yields events in order', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    source.emit(event(1), event(2), event(3));
    const seen: string[] = [];
    for await (const e of sub) {
      seen.push(e.executionId);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['exec-1', 'exec-2', 'exec-3']);
  });

  it('break closes the subscriber and leaves the event in hand unacknowledged', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    source.emit(event(1), event(2), event(3));
    const seen: string[] = [];
    for await (const e of sub) {
      seen.push(e.executionId);
      if (e.executionId === 'exec-2') break;
    }
    expect(seen).toEqual(['exec-1', 'exec-2']);
    expect(sub.state).toBe('closed');
    await within(sub.stopped, 2_000, 'stopped');
    // exec-1 was acknowledged when the loop asked for exec-2; exec-2 was in hand and stays.
    expect(sub.pending).toBe(2);
    expect(source.listenerCount).toBe(0);
  });

  it('yields events that arrive while it waits', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    const seen: string[] = [];
    const loop = (async () => {
      for await (const e of sub) {
        seen.push(e.executionId);
        if (seen.length === 2) break;
      }
    })();
    await turn();
    source.emit(event(7));
    await turn();
    source.emit(event(8));
    await within(loop, 5_000, 'the loop');
    expect(seen).toEqual(['exec-7', 'exec-8']);
  });

  it('ends when the subscriber is closed from outside', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    const seen: string[] = [];
    const loop = (async () => {
      for await (const e of sub) seen.push(e.executionId);
    })();
    source.emit(event(1));
    await turn();
    await sub.close();
    await within(loop, 5_000, 'the end of the loop');
    expect(seen).toEqual(['exec-1']);
  });
});

describe('lifecycle', () => {
  it('goes from idle to running to closed, and stopped resolves after close', async () => {
    const sub = subscriber(new FakeSource());
    expect(sub.state).toBe('idle');
    await sub.run(() => {});
    expect(sub.state).toBe('running');
    await sub.close();
    expect(sub.state).toBe('closed');
    await expect(sub.stopped).resolves.toBeUndefined();
  });

  it('run() twice is INVALID_STATE', async () => {
    const sub = subscriber(new FakeSource());
    await sub.run(() => {});
    await expectCode(sub.run(() => {}), 'INVALID_STATE');
  });

  it('run() after close is INVALID_STATE', async () => {
    const sub = subscriber(new FakeSource());
    await sub.close();
    await expectCode(sub.run(() => {}), 'INVALID_STATE');
  });

  it('run(notAFunction) is INVALID_ARGUMENT and leaves the subscriber usable', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    await expectCode(sub.run('handler' as unknown as () => void), 'INVALID_ARGUMENT');
    expect(sub.state).toBe('idle');
    const seen: JobCompletedEvent[] = [];
    await sub.run((e) => void seen.push(e));
    source.emit(event(1));
    await sub.idle();
    expect(ids(seen)).toEqual(['exec-1']);
  });

  it('close() waits for the running handler to finish, then acknowledges its event', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    const started = gate();
    const release = gate();
    let finished = false;
    await sub.run(async () => {
      started.open();
      await release.promise;
      finished = true;
    });
    source.emit(event(1), event(2));
    await within(started.promise, 5_000, 'the handler start');

    let closed = false;
    const closing = sub.close().then(() => (closed = true));
    await turn();
    await turn();
    expect(closed).toBe(false);
    expect(sub.state).toBe('closing');

    release.open();
    await within(closing, 5_000, 'close()');
    expect(finished).toBe(true);
    expect(sub.state).toBe('closed');
    expect(sub.pending).toBe(1); // exec-1 handled and acknowledged; exec-2 never started
  });

  it('concurrent close() calls share one promise', async () => {
    const sub = subscriber(new FakeSource());
    await sub.run(() => {});
    const first = sub.close();
    const second = sub.close();
    expect(second).toBe(first);
    await first;
    expect(sub.close()).toBe(first);
  });

  it('stops listening to its source when closed', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    await sub.run(() => {});
    expect(source.listenerCount).toBe(1);
    expect(source.rawListenerCount).toBe(1);
    await sub.close();
    expect(source.listenerCount).toBe(0);
    expect(source.rawListenerCount).toBe(0);
    source.emit(event(1));
    source.emitEncoded(event(2));
    expect(sub.pending).toBe(0);
  });

  it('closes at the end of an await using block', async () => {
    const source = new FakeSource();
    let escaped: InMemoryJobCompletedSubscriber | undefined;
    const seen: string[] = [];
    {
      await using sub = new InMemoryJobCompletedSubscriber(source);
      escaped = sub;
      await sub.run((e) => void seen.push(e.executionId));
      source.emit(event(1));
      await sub.idle();
    }
    expect(escaped.state).toBe('closed');
    expect(seen).toEqual(['exec-1']);
    await expect(escaped.stopped).resolves.toBeUndefined();
  });
});

describe('outcome events', () => {
  it('emits retry once per failed attempt that is retried, with the backoff wait, and tells onError nothing', async () => {
    const source = new FakeSource();
    const errors: DeliveryErrorContext[] = [];
    const sub = subscriber(source, { maxAttempts: 4, retryInitialMs: 2, retryMaxMs: 5, onError: (_e, c) => void errors.push(c) });
    const seen = outcomes(sub);
    let tries = 0;
    const failures: Error[] = [];
    await sub.run((e) => {
      if (e.executionId === 'exec-1' && ++tries <= 3) {
        const failure = new Error(`failure ${tries}`);
        failures.push(failure);
        throw failure;
      }
    });
    source.emit(event(1), event(2));
    await within(sub.idle(), 10_000, 'both events');
    expect(seen.names).toEqual(['retry', 'retry', 'retry']);
    expect(seen.of('retry')).toEqual(
      [1, 2, 3].map((attempt) => ({
        event: event(1),
        error: failures[attempt - 1],
        attempt,
        maxAttempts: 4,
        delayMs: backoffDelay({ initialMs: 2, maxMs: 5 }, attempt),
        mode: 'in-place',
      })),
    );
    expect(seen.of('retry').map((n) => n.delayMs)).toEqual([2, 4, 5]);
    expect(errors).toEqual([]);
  });

  it('emits deadLettered once after the retries, and onError is told once', async () => {
    const source = new FakeSource();
    const errors: [SchedulerError, DeliveryErrorContext][] = [];
    const sub = subscriber(source, { maxAttempts: 3, retryInitialMs: 1, onDeadLetter: () => {}, onError: (e, c) => void errors.push([e, c]) });
    const seen = outcomes(sub);
    await sub.run((e) => {
      if (e.executionId === 'exec-1') throw new Error('poison');
    });
    source.emit(event(1), event(2));
    await within(sub.idle(), 10_000, 'dead-lettering');
    expect(seen.names).toEqual(['retry', 'retry', 'deadLettered']);
    const [notice] = seen.of('deadLettered');
    expect(notice).toMatchObject({ event: event(1), attempts: 3 });
    expect(notice!.partition).toBeUndefined();
    expect(notice!.error.message).toMatch(/handler failed 3 times on execution 'exec-1' of job 'job-1': Error: poison/);
    expect(errors).toHaveLength(1);
    expect(errors[0]![0]).toBe(notice!.error);
    expect(errors[0]![1]).toMatchObject({ action: 'dead-lettered', attempts: 3, event: event(1) });
  });

  it('emits parked once, with the state already paused, and onError is told once', async () => {
    const source = new FakeSource();
    const errors: DeliveryErrorContext[] = [];
    const sub = subscriber(source, { maxAttempts: 2, retryInitialMs: 1, onError: (_e, c) => void errors.push(c) });
    const seen = outcomes(sub);
    let stateWhenParked: string | undefined;
    sub.on('parked', () => (stateWhenParked = sub.state));
    await sub.run(() => {
      throw new Error('never');
    });
    source.emit(event(1), event(2));
    await within(sub.idle(), 10_000, 'the pause');
    expect(seen.names).toEqual(['retry', 'parked']);
    expect(seen.of('parked')[0]).toMatchObject({ event: event(1), attempts: 2 });
    expect(seen.of('parked')[0]!.deadLetterError).toBeUndefined();
    expect(stateWhenParked).toBe('paused');
    expect(errors.map((c) => c.action)).toEqual(['paused']);
  });

  it('emits parked with the dead-letter error when onDeadLetter throws', async () => {
    const source = new FakeSource();
    const broken = new Error('dead-letter destination is down');
    const errors: DeliveryErrorContext[] = [];
    const sub = subscriber(source, {
      maxAttempts: 1,
      onDeadLetter: () => {
        throw broken;
      },
      onError: (_e, c) => void errors.push(c),
    });
    const seen = outcomes(sub);
    await sub.run(() => {
      throw new Error('poison');
    });
    source.emit(event(1));
    await within(sub.idle(), 10_000, 'the pause');
    expect(seen.names).toEqual(['parked']);
    expect(seen.of('parked')[0]).toMatchObject({ event: event(1), attempts: 1, deadLetterError: broken });
    expect(errors.map((c) => c.action)).toEqual(['paused']);
  });

  it('a listener that throws is ignored, and the unsubscribe function stops one listener', async () => {
    const source = new FakeSource();
    const sub = subscriber(source, { maxAttempts: 3, retryInitialMs: 1 });
    const calls: string[] = [];
    sub.on('retry', () => {
      throw new Error('bad listener');
    });
    const listener = (n: SubscriberEvents['retry']) => void calls.push(`a${n.attempt}`);
    const offA = sub.on('retry', listener);
    sub.on('retry', listener); // the same function twice: called twice, removed once per unsubscribe
    sub.on('retry', (n) => {
      calls.push(`b${n.attempt}`);
      if (n.attempt === 1) offA();
    });
    await sub.run((e) => {
      if (e.executionId === 'exec-1' && calls.length < 4) throw new Error('again');
    });
    source.emit(event(1));
    await within(sub.idle(), 10_000, 'the event');
    expect(calls).toEqual(['a1', 'a1', 'b1', 'a2', 'b2']);
    expect(sub.state).toBe('running');
  });

  it('on() refuses an unknown event name or a non-function listener', () => {
    const sub = subscriber(new FakeSource());
    expect(() => sub.on('error' as SubscriberEventName, () => {})).toThrow(/unknown event 'error'/);
    expect(() => sub.on('retry', 'listener' as unknown as () => void)).toThrow(SchedulerError);
  });
});

describe('raw messages', () => {
  it('decodes wire-format messages (JSON and protobuf) in their turn among plain events', async () => {
    const source = new FakeSource();
    const sub = subscriber(source);
    const seen: JobCompletedEvent[] = [];
    await sub.run((e) => void seen.push(e));
    source.emit(event(1));
    source.emitEncoded(event(2));
    source.emit(event(3));
    source.emitEncoded({ ...event(4), result: 'failed', error: 'boom', attempt: 2 }, 'protobuf');
    await within(sub.idle(), 10_000, 'the four events');
    // A decoded event carries its exact completedAtExact too; a plain one is delivered as given.
    const exact = (e: JobCompletedEvent): JobCompletedEvent => ({ ...e, completedAtExact: { seconds: Math.floor(e.completedAt.getTime() / 1000), nanos: (e.completedAt.getTime() % 1000) * 1e6 } });
    expect(seen).toEqual([event(1), exact(event(2)), event(3), exact({ ...event(4), result: 'failed', error: 'boom', attempt: 2 })]);
  });

  it('sets an invalid message aside: emits invalid once, tells onInvalid once (not onError), and goes on in order', async () => {
    const source = new FakeSource();
    const invalid: [RawEventMessage, SchedulerError][] = [];
    const errors: DeliveryErrorContext[] = [];
    const sub = subscriber(source, { onInvalid: (raw, error) => void invalid.push([raw, error]), onError: (_e, c) => void errors.push(c) });
    const seen = outcomes(sub);
    const handled: string[] = [];
    await sub.run((e) => void handled.push(e.executionId));
    source.emitEncoded(event(1));
    source.emitRaw('{"job_id": "x", oops');
    source.emitRaw('{"job_id": 42}');
    source.emitRaw(null, {});
    source.emitRaw('<event/>', { 'content-type': 'application/xml' });
    source.emitEncoded(event(2));
    await within(sub.idle(), 10_000, 'the messages');
    expect(handled).toEqual(['exec-1', 'exec-2']);
    expect(seen.names).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect(errors).toEqual([]);
    expect(invalid.map(([, error]) => error.code)).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
    expect(invalid.map(([, error]) => error.message)).toEqual([
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/job_id must be a string/),
      expect.stringMatching(/no value/),
      expect.stringMatching(/unknown content-type 'application\/xml'/),
    ]);
    expect(seen.of('invalid').map((n) => [n.raw, n.error, n.deadLettered])).toEqual(invalid.map(([raw, error]) => [raw, error, false]));
    expect(invalid[0]![0].value!.toString()).toBe('{"job_id": "x", oops');
    expect(sub.pending).toBe(0);
  });

  it('without onInvalid, an invalid message is told to onError once, as reported', async () => {
    const source = new FakeSource();
    const errors: [SchedulerError, DeliveryErrorContext][] = [];
    const sub = subscriber(source, { onError: (e, c) => void errors.push([e, c]) });
    const seen = outcomes(sub);
    await sub.run(() => {});
    source.emitRaw('not json');
    await within(sub.idle(), 10_000, 'the message');
    expect(seen.names).toEqual(['invalid']);
    expect(errors).toHaveLength(1);
    expect(errors[0]![0]).toBe(seen.of('invalid')[0]!.error);
    expect(errors[0]![1]).toEqual({ action: 'reported' });
  });

  it('dedupe applies to decoded messages too', async () => {
    const source = new FakeSource();
    const sub = subscriber(source, { dedupe: true });
    const seen: string[] = [];
    await sub.run((e) => void seen.push(e.executionId));
    source.emitEncoded(event(1));
    source.emit(event(1));
    source.emitEncoded(event(1), 'protobuf');
    source.emit(event(2));
    await within(sub.idle(), 10_000, 'the messages');
    expect(seen).toEqual(['exec-1', 'exec-2']);
  });
});
