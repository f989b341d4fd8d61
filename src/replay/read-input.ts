// Replay's input, told apart by its first bytes: a pcap, a pcapng or a trace JSON. Shared by
// `synack replay` / `synack diff` (a file read in pieces) and the web app (bytes in memory). Bad input
// is a ReplayInputError with one line; the CLI puts the path in front of it.
import { CaptureError, detectCapture, type ByteSource } from '../pcap/index.js';
import { packetsFromCapture, type CapturePackets } from './from-capture.js';
import { packetsFromTrace } from './from-trace.js';
import { parseTraceJson, TraceFileError } from './trace-json.js';
import type { ObservedPacket } from './types.js';

/** A trace JSON bigger than this is refused (a capture is read in pieces, whatever its size). */
export const MAX_TRACE_BYTES = 256 * 1024 * 1024;

export class ReplayInputError extends Error {
  override name = 'ReplayInputError';
}

export interface ReplayInput {
  packets: ObservedPacket[];
  warnings: string[];
  /** The file ended mid-record or the frame limit was reached. */
  partial: boolean;
}

/** `onProgress`: called every 10,000 frames of a capture (packetsFromCapture); may throw to stop. */
export function readReplayInput(source: ByteSource | Uint8Array, maxFrames?: number, onProgress?: (frames: number) => void): ReplayInput {
  const file: ByteSource = source instanceof Uint8Array ? { size: source.length, read: (o, n) => source.subarray(o, o + n) } : source;
  if (file.size === 0) throw new ReplayInputError('empty file (0 bytes): expected a pcap, a pcapng or a trace JSON');
  const head = file.read(0, 16);
  if (detectCapture(head) !== undefined) {
    let got: CapturePackets;
    try {
      got = packetsFromCapture(file, { ...(maxFrames !== undefined ? { maxFrames } : {}), ...(onProgress ? { onProgress } : {}) });
    } catch (err) {
      if (err instanceof CaptureError) throw new ReplayInputError(err.message);
      throw err;
    }
    const warnings = got.truncated ? [...got.warnings, `partial result: ${got.frames} frames read`] : got.warnings;
    return { packets: got.packets, warnings, partial: got.truncated };
  }
  if (/^\s*\{/.test(new TextDecoder().decode(head))) {
    if (file.size > MAX_TRACE_BYTES) throw new ReplayInputError(`a trace JSON of ${file.size} bytes is more than synack reads (${MAX_TRACE_BYTES}); replay a pcap instead`);
    try {
      const trace = parseTraceJson(new TextDecoder().decode(file.read(0, file.size)));
      return { packets: packetsFromTrace(trace), warnings: [], partial: false };
    } catch (err) {
      if (err instanceof TraceFileError) throw new ReplayInputError(err.message);
      throw err;
    }
  }
  const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new ReplayInputError(`not a pcap, pcapng or trace JSON (it starts with ${hex})`);
}
