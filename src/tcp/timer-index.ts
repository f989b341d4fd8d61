// One host's armed timers in one place: a binary min-heap of connections keyed by their earliest
// deadline, so the next timer is read off the top and a firing touches only the connections that
// are due (Linux keeps per-socket timers in the kernel's timer wheel for the same reason). Each
// entry knows its position in the heap, so a deadline that moves is re-filed in O(log n) and an
// entry is never left behind stale. The deadlines sit in the index beside the entries (one array
// each, same positions), not in the entries: the comparisons read one array, and an entry that is
// not filed keeps no deadline field.

export interface TimerEntry {
  /** Tie-break and firing order: the order the connection entered the host's 4-tuple table. */
  readonly order: number;
  /** Position in the heap, -1 when not filed. */
  pos: number;
}

export class TimerIndex<E extends TimerEntry> {
  private readonly heap: E[] = [];
  /** ats[i]: the deadline heap[i] is filed under. */
  private readonly ats: number[] = [];

  /** Files `entry` under `at`, moves it there, or (undefined) takes it out. */
  schedule(entry: E, at: number | undefined): void {
    if (at === undefined) {
      if (entry.pos >= 0) this.removeAt(entry.pos);
      return;
    }
    const i = entry.pos;
    if (i < 0) {
      this.heap.push(entry);
      this.ats.push(at);
      this.siftUp(this.heap.length - 1);
      return;
    }
    const earlier = at < this.ats[i]!;
    this.ats[i] = at;
    if (earlier) this.siftUp(i);
    else this.siftDown(i);
  }

  /** The earliest deadline filed. */
  next(): number | undefined {
    return this.ats[0];
  }

  /** Takes out every entry due at `now`, in the order they entered the table (not by deadline). */
  takeDue(now: number): E[] {
    const due: E[] = [];
    while (this.heap.length > 0 && this.ats[0]! <= now) due.push(this.removeAt(0));
    if (due.length > 1) due.sort((a, b) => a.order - b.order);
    return due;
  }

  get size(): number {
    return this.heap.length;
  }

  private removeAt(i: number): E {
    const { heap, ats } = this;
    const entry = heap[i]!;
    const last = heap.pop()!;
    const lastAt = ats.pop()!;
    entry.pos = -1;
    if (last !== entry) {
      heap[i] = last;
      ats[i] = lastAt;
      last.pos = i;
      const parent = (i - 1) >> 1;
      if (i > 0 && before(lastAt, last, ats[parent]!, heap[parent]!)) this.siftUp(i);
      else this.siftDown(i);
    }
    return entry;
  }

  private siftUp(i: number): void {
    const { heap, ats } = this;
    const e = heap[i]!;
    const at = ats[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      const pAt = ats[parent]!;
      if (!before(at, e, pAt, p)) break;
      heap[i] = p;
      ats[i] = pAt;
      p.pos = i;
      i = parent;
    }
    heap[i] = e;
    ats[i] = at;
    e.pos = i;
  }

  private siftDown(i: number): void {
    const { heap, ats } = this;
    const n = heap.length;
    const e = heap[i]!;
    const at = ats[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(ats[right]!, heap[right]!, ats[left]!, heap[left]!) ? right : left;
      const c = heap[child]!;
      const cAt = ats[child]!;
      if (!before(cAt, c, at, e)) break;
      heap[i] = c;
      ats[i] = cAt;
      c.pos = i;
      i = child;
    }
    heap[i] = e;
    ats[i] = at;
    e.pos = i;
  }
}

/** Entry a (due at aAt) fires before entry b (due at bAt): the earlier deadline, then the table's order. */
function before(aAt: number, a: TimerEntry, bAt: number, b: TimerEntry): boolean {
  return aAt < bAt || (aAt === bAt && a.order < b.order);
}
