// WatchExecutions on the reference server: one engine watch per stream, its messages written in
// order with backpressure, and every way a stream can end (OK, deadline, cancel, shutdown) freeing
// the watch at once.
import type { SchedulerEngine, Watch, WatchUpdate } from '../engine/engine.js';
import { SchedulerError, failureMessage } from '../errors.js';
import type { WatchExecutionsRequest__Output } from '../generated/k1s0/system/scheduler/v2/WatchExecutionsRequest';
import type { WatchExecutionsResponse } from '../generated/k1s0/system/scheduler/v2/WatchExecutionsResponse';
import type { grpc } from '../grpc/service.js';
import { validateJobRef } from '../validation.js';
import { executionToWire } from '../wire/convert.js';
import { GrpcCode } from '../wire/status.js';

const RPC = 'WatchExecutions';

/** The `limit` of a WatchExecutions request that sets more than one target (the proto's fixed phrase). */
export const WATCH_TARGET_LIMIT = 'one of job_id, key, execution_id';

/** A server-streaming call of WatchExecutions, as grpc-js hands it to the handler. */
export type WatchCall = grpc.ServerWritableStream<Buffer, WatchExecutionsResponse>;

/** What the engine watches for one request: a job (by id or key) or one execution. */
export type WatchTarget = { ref: string | { key: string } } | { executionId: string };

/**
 * The target of a WatchExecutions request. Exactly one of job_id, key and execution_id is set:
 * none is the empty job id (the engine refuses it on job_id, as every request that names a job);
 * with two or more, the first one set is checked as it would be alone, and the second one set is
 * refused (INVALID_ARGUMENT on its field, limit "one of job_id, key, execution_id").
 *
 * @throws {SchedulerError} `INVALID_ARGUMENT`.
 */
export function watchTargetOf(req: WatchExecutionsRequest__Output): WatchTarget {
  const set = (['job_id', 'key', 'execution_id'] as const).filter((f) => (f === 'job_id' ? req.jobId : f === 'key' ? req.key : req.executionId) !== '');
  if (set.length > 1) {
    const [first, second] = set as [string, string];
    if (first === 'job_id') validateJobRef(req.jobId, RPC);
    else validateJobRef({ key: req.key }, RPC);
    throw new SchedulerError('INVALID_ARGUMENT', failureMessage({ operation: RPC }, `set one of job_id, key and execution_id, not both ${first} and ${second}`), {
      operation: RPC,
      field: second,
      limit: WATCH_TARGET_LIMIT,
    });
  }
  if (req.executionId !== '') return { executionId: req.executionId };
  return { ref: req.key !== '' ? { key: req.key } : req.jobId };
}

/** The streams of one server that are open, and whether the server is shutting down. */
export class LiveWatches {
  private readonly streams = new Set<WatchStream>();
  private shuttingDown = false;

  /** How many streams are open. */
  get size(): number {
    return this.streams.size;
  }

  /** True once {@link LiveWatches.shutDown} was called: new streams are refused with UNAVAILABLE. */
  get closing(): boolean {
    return this.shuttingDown;
  }

  /** Adds an open stream. */
  add(stream: WatchStream): void {
    this.streams.add(stream);
  }

  /** Forgets a stream that ended. */
  delete(stream: WatchStream): void {
    this.streams.delete(stream);
  }

  /**
   * Ends every open stream at once with UNAVAILABLE (ErrorInfo SERVER_ERROR), dropping what they
   * had not written yet, and refuses later ones: the server is going away. A client reopens the
   * stream against the next server and starts from the state as it is then.
   */
  shutDown(): void {
    this.shuttingDown = true;
    for (const stream of [...this.streams]) stream.fail(unavailable('the server is shutting down'));
  }
}

/** The UNAVAILABLE failure of a stream cut by a shutdown; retryable (a server that restarts serves it again). */
export function unavailable(text: string): SchedulerError {
  return new SchedulerError('SERVER_ERROR', failureMessage({ operation: RPC }, text), { operation: RPC, retryable: true, grpcCode: GrpcCode.UNAVAILABLE });
}

/** A stream's queued item: a message to write, or the OK end. */
type Item = WatchExecutionsResponse | typeof END;
const END = Symbol('end');

/**
 * One WatchExecutions stream: the engine watch behind it and the messages not yet written. Messages
 * are converted when the engine reports them (a snapshot), queued in order, and written while
 * grpc-js accepts them; when `write` returns false the queue waits for 'drain', so nothing is lost
 * or reordered and a slow reader costs only its own queue. Every ending stops the watch.
 */
export class WatchStream {
  private watch: Watch | undefined;
  // The items not yet written are queue[head..]; the written ones are dropped in batches.
  private queue: Item[] = [];
  private head = 0;
  private waitingForDrain = false;
  private ended = false;

  /**
   * @param sendFailure how a failure is sent (status and ErrorInfo); called at most once.
   */
  constructor(
    private readonly call: WatchCall,
    private readonly live: LiveWatches,
    private readonly sendFailure: (call: WatchCall, error: unknown) => void,
  ) {
    // Every way the call goes away: the client cancels or its deadline passes ('cancelled', which
    // grpc-js also emits once the HTTP/2 stream has closed after a normal end), or an error.
    const gone = (): void => this.release();
    call.on('cancelled', gone);
    call.on('close', gone);
    call.on('error', gone);
    call.on('drain', () => {
      this.waitingForDrain = false;
      this.pump();
    });
  }

  /**
   * Opens the engine watch and writes its initial messages; a target the engine refuses (a bad id,
   * no such job or execution) ends the stream with that error.
   */
  start(engine: SchedulerEngine, target: WatchTarget): void {
    if (this.ended || this.call.cancelled) return this.release();
    this.live.add(this);
    // Updates reported before engine.watch returns (none are expected) follow the initial messages.
    let early: WatchUpdate[] | undefined = [];
    let watch: Watch;
    try {
      watch = engine.watch(target, (update) => (early !== undefined ? early.push(update) : this.onUpdate(update)), RPC);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.watch = watch;
    if (this.ended) return watch.stop();
    for (const execution of watch.initial) this.queue.push({ execution: executionToWire(execution) });
    const pending = early;
    early = undefined;
    if (watch.ended) this.queue.push(END);
    else for (const update of pending) this.onUpdate(update);
    this.pump();
  }

  private onUpdate(update: WatchUpdate): void {
    if (this.ended) return;
    if ('execution' in update) {
      this.queue.push({ execution: executionToWire(update.execution) });
    } else if (update.end === 'done') {
      this.queue.push(END);
    } else {
      // The engine closed: the server is going away.
      return this.fail(unavailable('the scheduler is shutting down'));
    }
    this.pump();
  }

  private pump(): void {
    while (!this.ended && !this.waitingForDrain && this.head < this.queue.length) {
      const item = this.queue[this.head++]!;
      if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      if (item === END) {
        this.release();
        this.call.end();
        return;
      }
      if (!this.call.write(item)) this.waitingForDrain = true;
    }
  }

  /** Ends the stream with `error` (status and ErrorInfo), dropping what was not written. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.release();
    this.sendFailure(this.call, error);
  }

  // Stops the engine watch and forgets the queue; idempotent.
  private release(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    this.head = 0;
    this.watch?.stop();
    this.watch = undefined;
    this.live.delete(this);
  }
}
