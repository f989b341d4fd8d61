// Windowed reads over a ByteSource, so that a reader walks a file of any size holding at most one window
// (64 KiB, or one record when that is larger) in memory.
import type { ByteSource } from './types.js';

/** The most captured bytes a record may claim before it is taken as damage: libpcap's MAXIMUM_SNAPLEN. */
export const MAX_RECORD_BYTES = 262_144;

const WINDOW = 65_536;

export class Cursor {
  private window: Uint8Array = new Uint8Array(0);
  private base = 0;

  constructor(private readonly source: ByteSource) {}

  get size(): number {
    return this.source.size;
  }

  /** Bytes left from `offset` to the end of the source. */
  remaining(offset: number): number {
    return Math.max(0, this.source.size - offset);
  }

  /**
   * Up to `length` bytes at `offset`; fewer only where the source ends. The view is valid until the next call:
   * copy what must outlive it.
   */
  bytes(offset: number, length: number): Uint8Array {
    const start = offset - this.base;
    if (start >= 0 && start + length <= this.window.length) return this.window.subarray(start, start + length);
    const want = Math.min(Math.max(length, WINDOW), this.remaining(offset));
    const got = want > 0 ? this.source.read(offset, want) : new Uint8Array(0);
    this.window = got.length > want ? got.subarray(0, want) : got;
    this.base = offset;
    return this.window.subarray(0, Math.min(length, this.window.length));
  }
}

/** A DataView over a Uint8Array view (which may start inside a larger buffer). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** "00 0a 0d ff": bytes as hex for messages. */
export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * A plain Uint8Array copy of `view`. Not `view.slice()`: on a Node Buffer (what fs hands a ByteSource) slice
 * returns a view that would keep the whole window alive and change with it.
 */
export function copyBytes(view: Uint8Array): Uint8Array {
  return new Uint8Array(view);
}
