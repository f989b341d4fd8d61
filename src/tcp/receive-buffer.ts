// The receive side: in-order bytes waiting for the application, and out-of-order segments held
// for reassembly (RFC 9293 3.10.7.4, "seventh, process the segment text").
import { seqAdd, seqDiff, seqGt, seqLe, seqLt, seqMax, type Seq } from '../wire/seq.js';

interface Pending {
  seq: Seq;
  data: Uint8Array;
}

/** The lists of an empty buffer: shared, never written (an idle connection holds no array of its own). */
const NO_READY: Uint8Array[] = Object.freeze([]) as unknown as Uint8Array[];
const NO_PENDING: Pending[] = Object.freeze([]) as unknown as Pending[];
/** The SACK blocks of a buffer holding nothing out of order: shared, never written. */
const NO_BLOCKS: Array<readonly [Seq, Seq]> = Object.freeze([]) as unknown as Array<readonly [Seq, Seq]>;

export class ReceiveBuffer {
  /** In-order data for the application; NO_READY when there is none. */
  private ready: Uint8Array[] = NO_READY;
  private readyLength = 0;
  /** Out-of-order data, sorted by seq, non-overlapping; NO_PENDING when there is none. */
  private outOfOrder: Pending[] = NO_PENDING;
  /** Bytes in `outOfOrder`, kept as it changes (read for every window the connection offers). */
  private held = 0;

  constructor(
    /** Capacity in bytes available for data (in order plus out of order). */
    readonly capacity: number,
  ) {}

  /** Bytes the application can read now. */
  get readable(): number {
    return this.readyLength;
  }

  /** Bytes held out of order. */
  get heldOutOfOrder(): number {
    return this.held;
  }

  /** Free space, which bounds the window we advertise. */
  get free(): number {
    return Math.max(0, this.capacity - this.readyLength - this.heldOutOfOrder);
  }

  /**
   * Accepts segment text starting at `seq` given the current RCV.NXT. Returns the new RCV.NXT
   * (advanced over any in-order data, including held segments the new data made contiguous).
   * Data beyond both the free space and `rightEdge` (the right edge of the window we advertised)
   * is trimmed; the caller has already checked acceptability. Data up to an advertised edge is
   * kept even past the nominal capacity: a window once offered is honoured (RFC 9293 3.8.6: the
   * window is not shrunk), which Linux can do because its real buffer (sk_rcvbuf) is about twice
   * the window it offers, while its rounded-up scaled windows can promise slightly more than the
   * free space (tcp_select_window: ALIGN(cur_win, 1 << rcv_wscale)).
   */
  accept(seq: Seq, data: Uint8Array, rcvNxt: Seq, rightEdge?: Seq): Seq {
    // Trim what we already have.
    let start = seq;
    let bytes = data;
    if (seqLt(start, rcvNxt)) {
      const skip = seqDiff(rcvNxt, start);
      if (skip >= bytes.length) return rcvNxt;
      bytes = bytes.subarray(skip);
      start = rcvNxt;
    }
    // Trim what does not fit in the buffer.
    const room = this.capacity - this.readyLength;
    let limit = seqAdd(rcvNxt, Math.max(0, room));
    if (rightEdge !== undefined && seqGt(rightEdge, limit)) limit = rightEdge;
    if (!seqLt(start, limit)) return rcvNxt;
    if (seqGt(seqAdd(start, bytes.length), limit)) bytes = bytes.subarray(0, seqDiff(limit, start));
    if (bytes.length === 0) return rcvNxt;

    if (start === rcvNxt) {
      this.pushReady(bytes);
      let next = seqAdd(rcvNxt, bytes.length);
      // Pull in held segments that are now contiguous.
      while (this.outOfOrder.length > 0 && seqLe(this.outOfOrder[0]!.seq, next)) {
        const held = this.outOfOrder.shift()!;
        this.held -= held.data.length;
        const end = seqAdd(held.seq, held.data.length);
        if (seqGt(end, next)) {
          this.pushReady(held.data.subarray(seqDiff(next, held.seq)));
          next = end;
        }
      }
      if (this.outOfOrder.length === 0) this.outOfOrder = NO_PENDING;
      return next;
    }
    this.hold(start, bytes);
    return rcvNxt;
  }

  /** Removes and returns up to `max` readable bytes. */
  read(max: number): Uint8Array {
    const n = Math.min(max, this.readyLength);
    const out = new Uint8Array(n);
    let written = 0;
    while (written < n) {
      const head = this.ready[0]!;
      const take = Math.min(head.length, n - written);
      out.set(head.subarray(0, take), written);
      written += take;
      if (take === head.length) this.ready.shift();
      else this.ready[0] = head.subarray(take);
    }
    this.readyLength -= n;
    if (this.readyLength === 0) this.ready = NO_READY;
    return out;
  }

  /** SACK blocks (RFC 2018) describing held data, most recently changed first is not tracked: lowest first. */
  sackBlocks(max: number): Array<readonly [Seq, Seq]> {
    if (this.outOfOrder.length === 0) return NO_BLOCKS;
    return this.outOfOrder.slice(0, max).map((p) => [p.seq, seqAdd(p.seq, p.data.length)] as const);
  }

  // Kept by reference: segment payloads are never changed once sent, and read() hands out copies.
  private pushReady(bytes: Uint8Array): void {
    if (this.ready === NO_READY) this.ready = [bytes];
    else this.ready.push(bytes);
    this.readyLength += bytes.length;
  }

  /** Inserts out-of-order data, merging with what is held so ranges stay disjoint. */
  private hold(seq: Seq, data: Uint8Array): void {
    let start = seq;
    let end = seqAdd(seq, data.length);
    // By reference, as pushReady keeps it: a merge below builds a new array, it never writes into `data`.
    let merged = data;
    const kept: Pending[] = [];
    for (const p of this.outOfOrder) {
      const pEnd = seqAdd(p.seq, p.data.length);
      if (seqLt(pEnd, start) || seqGt(p.seq, end)) {
        kept.push(p);
        continue;
      }
      // Overlapping or adjacent: merge (existing bytes win where both have data).
      const newStart = seqLt(p.seq, start) ? p.seq : start;
      const newEnd = seqMax(pEnd, end);
      const buf = new Uint8Array(seqDiff(newEnd, newStart));
      buf.set(merged, seqDiff(start, newStart));
      buf.set(p.data, seqDiff(p.seq, newStart));
      merged = buf;
      start = newStart;
      end = newEnd;
    }
    kept.push({ seq: start, data: merged });
    kept.sort((a, b) => seqDiff(a.seq, b.seq));
    this.outOfOrder = kept;
    let held = 0;
    for (const p of kept) held += p.data.length;
    this.held = held;
  }
}
