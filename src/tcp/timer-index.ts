// One host's armed timers in one place: a binary min-heap of connections keyed by their earliest
// deadline, so the next timer is read off the top and a firing touches only the connections that
// are due (Linux keeps per-socket timers in the kernel's timer wheel for the same reason). Each
// entry knows its position in the heap, so a deadline that moves is re-filed in O(log n) and an
// entry is never left behind stale.

export interface TimerEntry {
  /** The deadline the entry is filed under (valid while pos >= 0). */
  at: number;
  /** Tie-break and firing order: the order the connection entered the host's 4-tuple table. */
  readonly order: number;
  /** Position in the heap, -1 when not filed. */
  pos: number;
}

export class TimerIndex<E extends TimerEntry> {
  private readonly heap: E[] = [];

  /** Files `entry` under `at`, moves it there, or (undefined) takes it out. */
  schedule(entry: E, at: number | undefined): void {
    if (at === undefined) {
      if (entry.pos >= 0) this.removeAt(entry.pos);
      return;
    }
    if (entry.pos < 0) {
      entry.at = at;
      entry.pos = this.heap.length;
      this.heap.push(entry);
      this.siftUp(entry.pos);
      return;
    }
    const earlier = at < entry.at;
    entry.at = at;
    if (earlier) this.siftUp(entry.pos);
    else this.siftDown(entry.pos);
  }

  /** The earliest deadline filed. */
  next(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Takes out every entry due at `now`, in the order they entered the table (not by deadline). */
  takeDue(now: number): E[] {
    const due: E[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= now) due.push(this.removeAt(0));
    if (due.length > 1) due.sort((a, b) => a.order - b.order);
    return due;
  }

  get size(): number {
    return this.heap.length;
  }

  private removeAt(i: number): E {
    const heap = this.heap;
    const entry = heap[i]!;
    const last = heap.pop()!;
    entry.pos = -1;
    if (last !== entry) {
      heap[i] = last;
      last.pos = i;
      if (i > 0 && before(last, heap[(i - 1) >> 1]!)) this.siftUp(i);
      else this.siftDown(i);
    }
    return entry;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const e = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(e, p)) break;
      heap[i] = p;
      p.pos = i;
      i = parent;
    }
    heap[i] = e;
    e.pos = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const e = heap[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left;
      const c = heap[child]!;
      if (!before(c, e)) break;
      heap[i] = c;
      c.pos = i;
      i = child;
    }
    heap[i] = e;
    e.pos = i;
  }
}

function before(a: TimerEntry, b: TimerEntry): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
