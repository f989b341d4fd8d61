// A sparse array of bytes over a stream's offsets (0 up to 2^32), kept in typed blocks made on first write:
// an invariant can lay out every byte of a long transfer (a plain array of numbers cost ~10 times more time
// and memory), and a forged segment far out in sequence space costs one block, not a huge array.

const BLOCK_BITS = 12;
const BLOCK = 1 << BLOCK_BITS;
const MASK = BLOCK - 1;

/** One block: its bytes, and which of them are set (1). */
interface Block {
  readonly values: Uint8Array;
  readonly present: Uint8Array;
}

export class ByteSpace {
  /** Blocks by number (offset >>> BLOCK_BITS). */
  private readonly blocks = new Map<number, Block>();

  private block(o: number): Block {
    const n = o >>> BLOCK_BITS;
    let b = this.blocks.get(n);
    if (b === undefined) {
      b = { values: new Uint8Array(BLOCK), present: new Uint8Array(BLOCK) };
      this.blocks.set(n, b);
    }
    return b;
  }

  /** Whether offset `o` has a byte. */
  has(o: number): boolean {
    return this.blocks.get(o >>> BLOCK_BITS)?.present[o & MASK] === 1;
  }

  /**
   * Writes `bytes` at `offset` where the space has none yet; where it has, compares. Returns the first offset
   * whose byte differs from the one already there, or -1 when every byte agreed or was new.
   */
  writeOrCompare(offset: number, bytes: Uint8Array): number {
    let i = 0;
    while (i < bytes.length) {
      const o = offset + i;
      const { values, present } = this.block(o);
      const start = o & MASK;
      const n = Math.min(bytes.length - i, BLOCK - start);
      for (let k = 0; k < n; k++) {
        const b = bytes[i + k]!;
        if (present[start + k] === 0) {
          values[start + k] = b;
          present[start + k] = 1;
        } else if (values[start + k] !== b) {
          return o + k;
        }
      }
      i += n;
    }
    return -1;
  }

  /** The byte at `o` (0 when it has none: ask `has` first). */
  get(o: number): number {
    return this.blocks.get(o >>> BLOCK_BITS)?.values[o & MASK] ?? 0;
  }

  /** Marks offsets [from, to) as present (their values stay 0): for a space that records only where bytes are. */
  mark(from: number, to: number): void {
    for (let o = Math.max(0, from); o < to; ) {
      const { present } = this.block(o);
      const start = o & MASK;
      const n = Math.min(to - o, BLOCK - start);
      present.fill(1, start, start + n);
      o += n;
    }
  }

  /** The first offset at or after `o` with no byte. */
  firstGap(o: number): number {
    for (;;) {
      const present = this.blocks.get(o >>> BLOCK_BITS)?.present;
      if (present === undefined) return o;
      const start = o & MASK;
      const gap = present.indexOf(0, start);
      if (gap >= 0) return o - start + gap;
      o += BLOCK - start;
    }
  }
}
