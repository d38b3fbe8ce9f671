/** Something with a name and a creation sequence number. */
export interface Named {
  readonly name: string;
  readonly seq: number;
}

/** New items wait unsorted until there are this many, or an eighth of the index, whichever is more. */
const MERGE_MIN = 1024;
/** A query merges the waiting items first when there are more than this many to scan. */
const SCAN_MAX = 256;

/**
 * Finds every item whose name starts with a prefix in O(log n + matches). Names are kept sorted;
 * new items wait in an unsorted buffer that is merged in when it grows past an eighth of the
 * index (so merging costs O(1) amortised per insert) or when a query would otherwise scan more
 * than 256 of them. Items are never removed (jobs are kept after they end).
 */
export class NameIndex<T extends Named> {
  private sorted: T[] = [];
  private buffer: T[] = [];

  add(item: T): void {
    this.buffer.push(item);
    if (this.buffer.length >= Math.max(MERGE_MIN, this.sorted.length >> 3)) this.merge();
  }

  /** Every item whose name starts with `prefix`, in no particular order. */
  match(prefix: string): T[] {
    if (this.buffer.length > SCAN_MAX) this.merge();
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
