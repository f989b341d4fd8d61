// The send buffer: bytes the application wrote that are not yet acknowledged (RFC 9293 3.8).
// Byte 0 of the buffer has sequence number `startSeq` (SND.UNA once the SYN is acknowledged).
import { seqAdd, seqDiff, type Seq } from '../wire/seq.js';

/** The largest block the buffer allocates at a time (bytes); a bigger write gets a block of its own size. */
const MAX_BLOCK = 256 * 1024;

/** The chunks of an empty buffer: one array for all, never written (an idle connection holds none of its own). */
const NO_CHUNKS: Uint8Array[] = Object.freeze([]) as unknown as Uint8Array[];

export class SendBuffer {
  /** The buffered bytes in order: views of `block`s, never written again once filled. NO_CHUNKS when empty. */
  private chunks: Uint8Array[] = NO_CHUNKS;
  private length = 0;
  /**
   * Where writes are copied: filled from the front, and only past `blockUsed`, so the bytes of every chunk
   * (and of every segment that shares a view of them) stay as they were. Blocks grow (double, up to
   * MAX_BLOCK) while the application keeps writing: a 64 MB transfer allocates a few hundred blocks, not one
   * array per write. Dropped when the buffer empties, so an idle connection holds none.
   */
  private block: Uint8Array | undefined;
  private blockUsed = 0;
  /** startSeq as signed 32-bit, which V8 in Node keeps unboxed (Connection keeps its sequence numbers so too). */
  private start32: number;

  constructor(
    /** Capacity in bytes of payload (SO_SNDBUF; setsockopt may change it on an open connection). */
    public capacity: number,
    startSeq: Seq,
  ) {
    this.start32 = startSeq | 0;
  }

  /** Sequence number of the first buffered byte. */
  get startSeq(): Seq {
    return this.start32 >>> 0;
  }

  set startSeq(v: Seq) {
    this.start32 = v | 0;
  }

  get size(): number {
    return this.length;
  }

  get free(): number {
    return Math.max(0, this.capacity - this.length);
  }

  /** Sequence number just past the last buffered byte. */
  get endSeq(): Seq {
    return seqAdd(this.startSeq, this.length);
  }

  /** Appends as much of `data` as fits; returns the number of bytes taken. */
  write(data: Uint8Array): number {
    const n = Math.min(this.free, data.length);
    if (n <= 0) return 0;
    let block = this.block;
    if (block === undefined || block.length - this.blockUsed < n) {
      // The first block is just this write (a one-off 100-byte request costs what a copy of it costs).
      const size = block === undefined ? n : Math.max(n, Math.min(2 * block.length, MAX_BLOCK));
      block = this.block = new Uint8Array(size);
      this.blockUsed = 0;
    }
    const start = this.blockUsed;
    block.set(n === data.length ? data : data.subarray(0, n), start);
    this.blockUsed = start + n;
    const last = this.chunks.length - 1;
    const tail = last >= 0 ? this.chunks[last]! : undefined;
    if (tail !== undefined && tail.buffer === block.buffer && tail.byteOffset + tail.length === block.byteOffset + start) {
      // Contiguous with the last chunk in the same block: one longer view, so a segment spanning both is a view too.
      this.chunks[last] = block.subarray(tail.byteOffset - block.byteOffset, start + n);
    } else if (this.chunks === NO_CHUNKS) {
      this.chunks = [block.subarray(start, start + n)];
    } else {
      this.chunks.push(block.subarray(start, start + n));
    }
    this.length += n;
    return n;
  }

  /** Drops bytes acknowledged up to (not including) `ackSeq`. */
  acknowledge(ackSeq: Seq): void {
    let drop = seqDiff(ackSeq, this.startSeq);
    if (drop <= 0) return;
    drop = Math.min(drop, this.length);
    this.startSeq = seqAdd(this.startSeq, drop);
    this.length -= drop;
    if (this.length === 0) {
      // Empty: let go of the chunks and the block (an idle connection keeps no buffer).
      this.chunks = NO_CHUNKS;
      this.block = undefined;
      this.blockUsed = 0;
      return;
    }
    while (drop > 0) {
      const head = this.chunks[0]!;
      if (head.length <= drop) {
        this.chunks.shift();
        drop -= head.length;
      } else {
        this.chunks[0] = head.subarray(drop);
        drop = 0;
      }
    }
  }

  /**
   * Up to `max` bytes starting at sequence number `seq`: a view when they lie in one chunk (chunks
   * are the buffer's own copies and never change, so a segment may share them), else a copy.
   */
  read(seq: Seq, max: number): Uint8Array {
    let offset = seqDiff(seq, this.startSeq);
    if (offset < 0 || offset >= this.length || max <= 0) return new Uint8Array(0);
    const n = Math.min(max, this.length - offset);
    for (const chunk of this.chunks) {
      if (offset >= chunk.length) {
        offset -= chunk.length;
        continue;
      }
      if (offset + n <= chunk.length) return chunk.subarray(offset, offset + n);
      break;
    }
    offset = seqDiff(seq, this.startSeq);
    const out = new Uint8Array(n);
    let written = 0;
    for (const chunk of this.chunks) {
      if (offset >= chunk.length) {
        offset -= chunk.length;
        continue;
      }
      const take = Math.min(chunk.length - offset, n - written);
      out.set(chunk.subarray(offset, offset + take), written);
      written += take;
      offset = 0;
      if (written === n) break;
    }
    return out;
  }
}
