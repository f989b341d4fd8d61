// The scheduler's priority queue: a binary min-heap ordered by (time, insertion sequence), so items
// due at the same virtual time come out in the order they were pushed and every run is repeatable.
// Cancellation is lazy: a cancelled item stays in the heap, is skipped when it reaches the top, and
// the heap is rebuilt without such items once they outnumber the live ones.

/** An entry's state: waiting in the heap, or gone (popped, or cancelled and not yet swept out). */
const LIVE = 0;
const POPPED = 1;
const CANCELLED = 2;

/**
 * A scheduled item, and the handle to cancel it by: the entry itself, so cancelling needs no lookup table
 * (a Set of live handles cost an add and a delete per event, and its deletes reallocate its table).
 */
export interface QueueEntry<T> {
  readonly time: number;
  /** The insertion sequence number: 1, 2, 3, ... in push order. */
  readonly seq: number;
  readonly item: T;
}

interface Entry<T> extends QueueEntry<T> {
  state: number;
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
  /** Entries pushed and neither popped nor cancelled. */
  private liveCount = 0;
  /** Cancelled entries still in the heap. */
  private deadCount = 0;
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
   * Schedules `item` at `time` (integer microseconds). Returns its entry, the handle to cancel it by; entries'
   * `seq` count pushes from 1.
   */
  push(time: number, item: T): QueueEntry<T> {
    if (!Number.isSafeInteger(time)) {
      throw new Error(`EventQueue.push: time must be an integer number of microseconds, got ${String(time)}`);
    }
    const entry: Entry<T> = { time, seq: this.nextSeq++, item, state: LIVE };
    this.heap.push(entry);
    this.liveCount++;
    this.siftUp(this.heap.length - 1);
    return entry;
  }

  /** Removes and returns the earliest live item (ties: earliest pushed), or undefined when empty. */
  pop(): QueueEntry<T> | undefined {
    this.dropDeadTop();
    const top = this.removeTop();
    if (top) {
      top.state = POPPED;
      this.liveCount--;
    }
    return top;
  }

  /** The item `pop` would return next, left in the queue. */
  peek(): QueueEntry<T> | undefined {
    this.dropDeadTop();
    return this.heap[0];
  }

  /** The time of the item `pop` would return next. */
  peekTime(): number | undefined {
    this.dropDeadTop();
    return this.heap[0]?.time;
  }

  /** Cancels a pushed item (its entry, from push). False when it was already popped or cancelled. */
  cancel(handle: QueueEntry<T>): boolean {
    const entry = handle as Entry<T>;
    if (entry.state !== LIVE) return false;
    entry.state = CANCELLED;
    this.liveCount--;
    this.deadCount++;
    if (this.deadCount >= this.compactMinDead && this.deadCount > this.liveCount) this.compact();
    return true;
  }

  /** Whether the entry's item is still waiting to be popped. */
  has(handle: QueueEntry<T>): boolean {
    return (handle as Entry<T>).state === LIVE;
  }

  /** Live (pushed, not popped, not cancelled) items. */
  get size(): number {
    return this.liveCount;
  }

  private dropDeadTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.state !== LIVE) {
      this.removeTop();
      this.deadCount--;
    }
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
    this.heap = this.heap.filter((e) => e.state === LIVE);
    this.deadCount = 0;
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
