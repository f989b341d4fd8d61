// The scheduler's priority queue: a binary min-heap ordered by (time, insertion sequence), so items
// due at the same virtual time come out in the order they were pushed and every run is repeatable.
// Cancellation is lazy: a cancelled item stays in the heap, is skipped when it reaches the top, and
// the heap is rebuilt without such items once they outnumber the live ones.

interface Entry<T> {
  time: number;
  seq: number;
  item: T;
}

export interface EventQueueOptions {
  /**
   * Rebuild the heap once it holds at least this many cancelled items and they outnumber the live
   * ones. Default 64, so small queues never pay for compaction; tests lower it.
   */
  compactMinDead?: number;
}

export class EventQueue<T> {
  private heap: Array<Entry<T>> = [];
  /** Handles pushed and neither popped nor cancelled. */
  private readonly live = new Set<number>();
  private nextSeq = 1;
  private readonly compactMinDead: number;

  constructor(options: EventQueueOptions = {}) {
    const minDead = options.compactMinDead ?? 64;
    if (!Number.isSafeInteger(minDead) || minDead < 1) {
      throw new Error(`EventQueue: compactMinDead must be a positive integer, got ${String(minDead)}`);
    }
    this.compactMinDead = minDead;
  }

  /**
   * Schedules `item` at `time` (integer microseconds). Returns its handle: the insertion sequence
   * number, starting at 1 and increasing with every push, so a handle is never 0.
   */
  push(time: number, item: T): number {
    if (!Number.isSafeInteger(time)) {
      throw new Error(`EventQueue.push: time must be an integer number of microseconds, got ${String(time)}`);
    }
    const seq = this.nextSeq++;
    this.heap.push({ time, seq, item });
    this.live.add(seq);
    this.siftUp(this.heap.length - 1);
    return seq;
  }

  /** Removes and returns the earliest live item (ties: earliest pushed), or undefined when empty. */
  pop(): { time: number; seq: number; item: T } | undefined {
    this.dropDeadTop();
    const top = this.removeTop();
    if (top) this.live.delete(top.seq);
    return top;
  }

  /** The item `pop` would return next, left in the queue. */
  peek(): { time: number; seq: number; item: T } | undefined {
    this.dropDeadTop();
    return this.heap[0];
  }

  /** The time of the item `pop` would return next. */
  peekTime(): number | undefined {
    this.dropDeadTop();
    return this.heap[0]?.time;
  }

  /** Cancels a pushed item. False when the handle is unknown, already popped or already cancelled. */
  cancel(handle: number): boolean {
    if (!this.live.delete(handle)) return false;
    const dead = this.heap.length - this.live.size;
    if (dead >= this.compactMinDead && dead > this.live.size) this.compact();
    return true;
  }

  /** Whether the handle's item is still waiting to be popped. */
  has(handle: number): boolean {
    return this.live.has(handle);
  }

  /** Live (pushed, not popped, not cancelled) items. */
  get size(): number {
    return this.live.size;
  }

  private dropDeadTop(): void {
    while (this.heap.length > 0 && !this.live.has(this.heap[0]!.seq)) this.removeTop();
  }

  private removeTop(): Entry<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top !== undefined && last !== undefined && heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private compact(): void {
    this.heap = this.heap.filter((e) => this.live.has(e.seq));
    // Floyd's bottom-up heap construction.
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const e = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(e, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = e;
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
      i = child;
    }
    heap[i] = e;
  }
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
