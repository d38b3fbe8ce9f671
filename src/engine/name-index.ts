/** Something with a name and a creation sequence number. */
export interface Named {
  readonly name: string;
  readonly seq: number;
}

/** New items wait unsorted until there are this many, or an eighth of the index, whichever is more. */
const MERGE_MIN = 1024;
/** How many prefixes keep their matches in seq order; the least recently listed one goes first. */
const PREFIXES_KEPT = 8;

/**
 * The items in seq order, and by name prefix. Item n has seq n (the number of items added before
 * it). Items are never removed (jobs are kept after they end), and names never change.
 *
 * Names are kept sorted, each with its item's seq beside it; new items wait in an unsorted buffer
 * that is merged in when it grows past an eighth of the index (so merging costs O(1) amortised per
 * insert).
 *
 * {@link inOrder} serves paging from a cursor: the matches of a prefix in seq order. The first
 * call for a prefix collects them from the sorted names and their seqs, without reading the items:
 * in O(m·log m) for m matches, or in O(n) when most of the n items match. From then on every added
 * item that matches is appended, so a page is a binary search for its cursor away. The eight most
 * recently listed prefixes are kept (at most 8·n references in all); one that was dropped is
 * collected again when next listed.
 */
export class NameIndex<T extends Named> {
  private readonly items: T[] = [];
  /** The names of the merged items in code-unit order (ties: lower seq first). */
  private names: string[] = [];
  /** `seqs[i]` is the seq of the item named `names[i]`. */
  private seqs = new Int32Array(0);
  /** Items added since the last merge, in seq order. */
  private buffer: T[] = [];
  /** Prefix → its matches in seq order, least recently listed first. */
  private readonly kept = new Map<string, T[]>();

  /** Every item, in seq order. The index's own array: never write. */
  get all(): readonly T[] {
    return this.items;
  }

  /** How many items there are. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Adds an item.
   * @throws {RangeError} when its seq is not the number of items added before it.
   */
  add(item: T): void {
    if (item.seq !== this.items.length) throw new RangeError(`NameIndex: expected seq ${this.items.length}, got ${item.seq}`);
    this.items.push(item);
    if (this.kept.size > 0) for (const [prefix, matches] of this.kept) if (item.name.startsWith(prefix)) matches.push(item);
    this.buffer.push(item);
    if (this.buffer.length >= Math.max(MERGE_MIN, this.names.length >> 3)) this.merge();
  }

  /**
   * Every item whose name starts with `prefix`, in seq order. The array is the index's own, and
   * grows as matching items are added while the prefix is kept: read it before the next call of
   * `inOrder`, and never write.
   */
  inOrder(prefix: string): readonly T[] {
    let matches = this.kept.get(prefix);
    if (matches === undefined) {
      matches = this.collect(prefix);
      if (this.kept.size >= PREFIXES_KEPT) this.kept.delete(this.kept.keys().next().value!);
    } else {
      this.kept.delete(prefix); // set again below, as the most recently listed
    }
    this.kept.set(prefix, matches);
    return matches;
  }

  private collect(prefix: string): T[] {
    const [lo, hi] = this.range(prefix);
    const merged = this.names.length;
    const m = hi - lo;
    // Every waiting item is newer than every merged one, so the waiting matches go last.
    const waiting = this.buffer.filter((item) => item.name.startsWith(prefix));
    const out = new Array<T>(m + waiting.length); // filled below; growing it item by item costs more
    let k = 0;
    if (m * Math.log2(m + 1) >= merged) {
      // Most merged items match: mark their seqs, then sweep the seqs in order.
      const marks = new Uint8Array(merged);
      for (let i = lo; i < hi; i++) marks[this.seqs[i]!] = 1;
      for (let seq = 0; seq < merged; seq++) if (marks[seq] === 1) out[k++] = this.items[seq]!;
    } else {
      for (const seq of this.seqs.slice(lo, hi).sort()) out[k++] = this.items[seq]!;
    }
    for (const item of waiting) out[k++] = item;
    return out;
  }

  /** The range of `names` that start with `prefix`. */
  private range(prefix: string): [number, number] {
    const names = this.names;
    let lo = 0;
    let hi = names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (names[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    // Names that start with `prefix` are contiguous from `lo` on in code-unit order.
    const start = lo;
    hi = names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (names[mid]!.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return [start, lo];
  }

  private merge(): void {
    const incoming = this.buffer.sort(compare);
    this.buffer = [];
    const names = this.names;
    const seqs = this.seqs;
    const total = names.length + incoming.length;
    const outNames = new Array<string>(total);
    const outSeqs = new Int32Array(total);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < names.length && j < incoming.length) {
      const next = incoming[j]!;
      // On equal names the merged item goes first: every incoming item is newer.
      if (names[i]! <= next.name) {
        outNames[k] = names[i]!;
        outSeqs[k++] = seqs[i++]!;
      } else {
        outNames[k] = next.name;
        outSeqs[k++] = next.seq;
        j++;
      }
    }
    outSeqs.set(seqs.subarray(i), k);
    while (i < names.length) outNames[k++] = names[i++]!;
    for (; j < incoming.length; j++, k++) {
      outNames[k] = incoming[j]!.name;
      outSeqs[k] = incoming[j]!.seq;
    }
    this.names = outNames;
    this.seqs = outSeqs;
  }
}

// Code-unit order, the order String.prototype.startsWith agrees with.
function compare(a: Named, b: Named): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.seq - b.seq;
}
