// Which connections have a timer due (timeouts.ts), without looking at every connection for every
// packet of a large capture: a binary heap of (deadline, item), where an item whose deadline has
// moved since it was pushed is skipped when it comes out.
export class DeadlineQueue<T> {
  private heap: Array<{ at: number; item: T }> = [];
  private readonly current = new Map<T, number>();

  /** Sets (or moves) the deadline of `item`; Infinity removes it. */
  set(item: T, at: number): void {
    if (this.current.get(item) === at) return;
    if (!Number.isFinite(at)) {
      this.current.delete(item);
      return;
    }
    this.current.set(item, at);
    this.heap.push({ at, item });
    this.up(this.heap.length - 1);
  }

  /** Removes and returns every item whose deadline is at or before `t`, earliest first. */
  takeDue(t: number): T[] {
    const due: T[] = [];
    while (this.heap.length > 0 && this.heap[0]!.at <= t) {
      const top = this.pop();
      if (this.current.get(top.item) !== top.at) continue; // moved since
      this.current.delete(top.item);
      due.push(top.item);
    }
    return due;
  }

  private pop(): { at: number; item: T } {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.at <= h[i]!.at) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < h.length && h[l]!.at < h[smallest]!.at) smallest = l;
      if (r < h.length && h[r]!.at < h[smallest]!.at) smallest = r;
      if (smallest === i) return;
      [h[smallest], h[i]] = [h[i]!, h[smallest]!];
      i = smallest;
    }
  }
}
