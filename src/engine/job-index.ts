import { NameIndex } from './name-index.js';

/** What the index needs of a job: its creation sequence number, name, key and labels. */
export interface Indexed {
  /** Increases with every job created; never reused. */
  readonly seq: number;
  readonly name: string;
  readonly key: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
}

/** A NameIndex item: a job, at its place among the jobs the name index was built from. */
interface NameEntry<T> {
  readonly name: string;
  readonly seq: number;
  readonly record: T;
}

/**
 * The jobs that exist, in creation order, with the lookups that listing and naming need: by name
 * prefix, by label and by key. Each view keeps its jobs in seq order, so that a page is a binary
 * search for its cursor away.
 *
 * Jobs can be removed, renamed and relabelled. A label's list is updated in place (a binary search
 * and a splice). The name index ({@link NameIndex}, which takes names as final) is dropped on a
 * rename or a removal and built again at the next prefix listing.
 */
export class JobIndex<T extends Indexed> {
  private readonly live: T[] = [];
  private readonly keys = new Map<string, T>();
  private readonly labelled = new Map<string, T[]>();
  /** Kept up to date as jobs are added; dropped on a rename or a removal and built again when next listed. */
  private names: NameIndex<NameEntry<T>> | undefined = new NameIndex<NameEntry<T>>();

  /** Every job, in seq order. The index's own array: never write. */
  get all(): readonly T[] {
    return this.live;
  }

  /** The job with this key, if any. */
  byKey(key: string): T | undefined {
    return this.keys.get(key);
  }

  /** Adds a job newer than every job in the index. */
  add(item: T): void {
    const last = this.live[this.live.length - 1];
    if (last !== undefined && last.seq >= item.seq) throw new RangeError(`JobIndex: seq ${item.seq} is not above ${last.seq}`);
    this.live.push(item);
    if (item.key !== undefined) this.keys.set(item.key, item);
    for (const label of labelIds(item.labels)) {
      let list = this.labelled.get(label);
      if (list === undefined) this.labelled.set(label, (list = []));
      list.push(item);
    }
    this.names?.add({ name: item.name, seq: this.names.size, record: item });
  }

  /** Removes a job; its key is free from now on. */
  remove(item: T): void {
    removeSorted(this.live, item);
    if (item.key !== undefined && this.keys.get(item.key) === item) this.keys.delete(item.key);
    for (const label of labelIds(item.labels)) this.unlabel(label, item);
    this.names = undefined;
  }

  /** Call after a job's name changed. */
  renamed(): void {
    this.names = undefined;
  }

  /** Call after a job's labels changed from `before` to its current ones. */
  relabelled(item: T, before: Readonly<Record<string, string>>): void {
    const old = new Set(labelIds(before));
    const now = new Set(labelIds(item.labels));
    for (const label of old) if (!now.has(label)) this.unlabel(label, item);
    for (const label of now) {
      if (old.has(label)) continue;
      let list = this.labelled.get(label);
      if (list === undefined) this.labelled.set(label, (list = []));
      list.splice(lowerBound(list, item.seq), 0, item);
    }
  }

  /**
   * Every job whose name starts with `prefix`, in seq order: a view of the index's own entries, to
   * read before the next change.
   */
  byPrefix(prefix: string): SeqView<T> {
    if (this.names === undefined) {
      const names = new NameIndex<NameEntry<T>>();
      for (const record of this.live) names.add({ name: record.name, seq: names.size, record });
      this.names = names;
    }
    const entries = this.names.inOrder(prefix);
    return { length: entries.length, at: (i) => entries[i]?.record };
  }

  /** Every job with label `key` = `value`, in seq order. The index's own array: never write. */
  withLabel(key: string, value: string): readonly T[] {
    return this.labelled.get(labelId(key, value)) ?? [];
  }

  private unlabel(label: string, item: T): void {
    const list = this.labelled.get(label);
    if (list === undefined) return;
    removeSorted(list, item);
    if (list.length === 0) this.labelled.delete(label);
  }
}

// A label key holds no "=" (see the label key rule), so key=value names one label.
const labelId = (key: string, value: string): string => `${key}=${value}`;
const labelIds = (labels: Readonly<Record<string, string>>): string[] => Object.entries(labels).map(([k, v]) => labelId(k, v));

/**
 * Jobs in seq order, read by place: an array (every job, one label's jobs) or the view of a name
 * prefix's matches ({@link JobIndex.byPrefix}).
 */
export interface SeqView<T> {
  readonly length: number;
  at(index: number): T | undefined;
}

/** The first place in a seq-sorted view whose seq is at least `seq`. */
export function lowerBound(items: SeqView<{ readonly seq: number }>, seq: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items.at(mid)!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function removeSorted<T extends { readonly seq: number }>(items: T[], item: T): void {
  const i = lowerBound(items, item.seq);
  if (items[i] === item) items.splice(i, 1);
}
