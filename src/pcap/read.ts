// Opening a capture: tells classic pcap from pcapng by the first four bytes and streams the frames.
import { CaptureError } from './errors.js';
import { Cursor, hexBytes, viewOf } from './cursor.js';
import { BLOCK_SHB } from './pcapng-block.js';
import { isModifiedPcap, pcapFrames, pcapHeaderWarnings, pcapMagic, readPcapHeader } from './pcap-read.js';
import { pcapngFrames, readPcapngHeader } from './pcapng-read.js';
import { newReadState } from './read-state.js';
import type { ByteSource, CapturedFrame } from './types.js';

export interface CaptureReader {
  format: 'pcap' | 'pcapng';
  /** Byte order of the file (of its first section, for pcapng). */
  byteOrder: 'le' | 'be';
  /**
   * The frames, read as they are asked for. Each call starts again from the beginning and resets `warnings`
   * and `truncated`. Throws only CaptureError (for a first pcap record that cannot be read).
   */
  frames(): Generator<CapturedFrame>;
  /** Filled while iterating: damage that stopped the walk, skipped blocks, odd lengths. */
  warnings: string[];
  /** True when the walk stopped before the end of the file (damage, or maxFrames). */
  truncated: boolean;
}

export interface OpenOptions {
  /** Stop after this many frames (the result is then marked truncated if more follow). */
  maxFrames?: number;
}

/** 'pcap' or 'pcapng' from the first bytes of a file (4 are enough), or undefined. */
export function detectCapture(head: Uint8Array): 'pcap' | 'pcapng' | undefined {
  if (pcapMagic(head)) return 'pcap';
  // The section header block type 0x0a0d0d0a reads the same in either byte order.
  if (head.length >= 4 && viewOf(head).getUint32(0) === BLOCK_SHB) return 'pcapng';
  return undefined;
}

/** Names a few formats people mistake for captures, for the error message. */
function notACapture(head: Uint8Array): CaptureError {
  const first = hexBytes(head.subarray(0, 4));
  if (head[0] === 0x1f && head[1] === 0x8b) {
    return new CaptureError(`not a capture file: it is gzip-compressed (first bytes ${first}); decompress it first`);
  }
  if (isModifiedPcap(head)) {
    return new CaptureError(`unsupported capture format: the modified (Kuznetzov) pcap variant (magic ${first})`);
  }
  return new CaptureError(`not a capture file: the first 4 bytes are ${first} (expected a pcap or pcapng magic number)`);
}

/** Opens a capture: reads its header now (CaptureError if unusable) and the frames when iterated. */
export function openCapture(source: ByteSource, options: OpenOptions = {}): CaptureReader {
  const maxFrames = options.maxFrames ?? Infinity;
  if (!(maxFrames >= 0) || (maxFrames !== Infinity && !Number.isInteger(maxFrames))) {
    throw new RangeError(`maxFrames must be a non-negative integer, got ${String(options.maxFrames)}`);
  }
  if (source.size === 0) throw new CaptureError('empty file (0 bytes)');
  const cursor = new Cursor(source);
  const head = cursor.bytes(0, 4);
  if (head.length < 4) {
    throw new CaptureError(`too short to be a capture file: ${head.length} byte(s) (a pcap header is 24 bytes)`);
  }
  const format = detectCapture(head);
  if (format === undefined) throw notACapture(head);

  let byteOrder: 'le' | 'be';
  let headerWarnings: string[] = [];
  let walk: (state: ReturnType<typeof newReadState>) => Generator<CapturedFrame>;
  if (format === 'pcap') {
    const header = readPcapHeader(cursor);
    byteOrder = header.littleEndian ? 'le' : 'be';
    headerWarnings = pcapHeaderWarnings(header);
    walk = (state) => pcapFrames(cursor, header, state);
  } else {
    const shb = readPcapngHeader(cursor);
    byteOrder = shb.littleEndian ? 'le' : 'be';
    walk = (state) => pcapngFrames(cursor, shb, state);
  }

  const reader: CaptureReader = {
    format,
    byteOrder,
    warnings: [...headerWarnings],
    truncated: false,
    *frames() {
      const state = newReadState();
      state.warnings = reader.warnings;
      state.warnings.splice(0, state.warnings.length, ...headerWarnings);
      reader.truncated = false;
      const inner = walk(state);
      let count = 0;
      try {
        for (;;) {
          const next = inner.next();
          reader.truncated = state.truncated;
          if (next.done) return;
          if (count === maxFrames) {
            state.warnings.push(`stopped after ${maxFrames} frames (maxFrames)`);
            reader.truncated = true;
            return;
          }
          count++;
          yield next.value;
        }
      } finally {
        inner.return(undefined);
      }
    },
  };
  return reader;
}
