/** Something with a name and a creation sequence number. */
export interface Named {
  readonly name: string;
  readonly seq: number;
}

const MERGE_THRESHOLD = 1024;

/**
 * Finds every item whose name starts with a prefix in O(log n + matches). Names are kept sorted;
 * new items wait in a small unsorted buffer that is merged in once it passes 1024 entries, so an
 * insert costs amortised O(n / 1024) moves instead of O(n). Items are never removed (jobs are
 * kept after they end).
 */
export class NameIndex<T extends Named> {
  private sorted: T[] = [];
  private buffer: T[] = [];

  add(item: T): void {
    this.buffer.push(item);
    if (this.buffer.length >= MERGE_THRESHOLD) this.merge();
  }

  /** Every item whose name starts with `prefix`, in no particular order. */
  match(prefix: string): T[] {
    const out: T[] = [];
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]!.name < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && sorted[i]!.name.startsWith(prefix); i++) out.push(sorted[i]!);
    for (const item of this.buffer) if (item.name.startsWith(prefix)) out.push(item);
    return out;
  }

  private merge(): void {
    const incoming = this.buffer.sort(compare);
    this.buffer = [];
    const old = this.sorted;
    const merged = new Array<T>(old.length + incoming.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < incoming.length) merged[k++] = compare(old[i]!, incoming[j]!) <= 0 ? old[i++]! : incoming[j++]!;
    while (i < old.length) merged[k++] = old[i++]!;
    while (j < incoming.length) merged[k++] = incoming[j++]!;
    this.sorted = merged;
  }
}

// Code-unit order, the order String.prototype.startsWith agrees with.
function compare(a: Named, b: Named): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.seq - b.seq;
}
