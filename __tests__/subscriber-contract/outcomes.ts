// Records the outcome events of a subscriber, for the contract and the subscribers' own tests.
import type { JobCompletedSubscriber, RawEventMessage, SubscriberEventName, SubscriberEvents } from '../../src/index.js';

/** Every outcome event of `sub`, in order, and a promise of the next one of a kind. */
export interface OutcomeLog<Raw extends RawEventMessage> {
  /** The names, in the order emitted. */
  readonly names: SubscriberEventName[];
  /** The notices of one kind, in order. */
  of<K extends SubscriberEventName>(name: K): SubscriberEvents<Raw>[K][];
  /** Resolves with the next notice of this kind. */
  next<K extends SubscriberEventName>(name: K): Promise<SubscriberEvents<Raw>[K]>;
}

/** Starts recording every outcome event of `sub`. */
export function outcomeLog<Raw extends RawEventMessage = RawEventMessage>(sub: JobCompletedSubscriber<Raw>): OutcomeLog<Raw> {
  const all: { name: SubscriberEventName; notice: unknown }[] = [];
  const names: SubscriberEventName[] = [];
  for (const name of ['retry', 'invalid', 'deadLettered', 'parked', 'crash'] as const) {
    sub.on(name, (notice) => {
      names.push(name);
      all.push({ name, notice });
    });
  }
  return {
    names,
    of: (name) => all.filter((x) => x.name === name).map((x) => x.notice) as never[],
    next: (name) =>
      new Promise((resolve) => {
        const off = sub.on(name, (notice) => {
          off();
          resolve(notice);
        });
      }),
  };
}
