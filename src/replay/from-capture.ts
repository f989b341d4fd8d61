// A capture file's TCP packets, ready for replayPackets: frames read and decoded by src/pcap, times made
// relative to the first frame, everything that is not TCP counted and left out.
import { decodeFrame, openCapture, type ByteSource } from '../pcap/index.js';
import type { ObservedPacket } from './types.js';

export interface CapturePackets {
  packets: ObservedPacket[];
  /** Frames read (all kinds). */
  frames: number;
  format: 'pcap' | 'pcapng';
  /** Reader warnings, skipped frames by reason, cut payloads: one line each. */
  warnings: string[];
  /** The file ended mid-record or the frame limit was reached: a partial result. */
  truncated: boolean;
}

export interface CaptureOptions {
  /** Stop after this many frames (a partial result, marked). Default 1,000,000. */
  maxFrames?: number;
  /** Called every 10,000 frames with the number read so far (the CLI's memory guard); may throw to stop. */
  onProgress?: (frames: number) => void;
}

export const DEFAULT_MAX_FRAMES = 1_000_000;
/** Distinct reasons for skipped frames listed one per line; the rest are counted together. */
const MAX_REASONS = 5;

export function packetsFromCapture(source: ByteSource | Uint8Array, options: CaptureOptions = {}): CapturePackets {
  const src: ByteSource = source instanceof Uint8Array ? { size: source.length, read: (o, n) => source.subarray(o, o + n) } : source;
  const reader = openCapture(src, { maxFrames: options.maxFrames ?? DEFAULT_MAX_FRAMES });
  const packets: ObservedPacket[] = [];
  const skipped = new Map<string, number>();
  let frames = 0;
  let cut = 0;
  let first: { sec: number; nsec: number } | undefined;
  for (const frame of reader.frames()) {
    frames++;
    if (options.onProgress && frames % 10_000 === 0) options.onProgress(frames);
    first ??= frame;
    const decoded = decodeFrame(frame);
    if (decoded.kind === 'skipped') {
      skipped.set(decoded.reason, (skipped.get(decoded.reason) ?? 0) + 1);
      continue;
    }
    if (decoded.packet.proto !== 'tcp') {
      skipped.set('UDP', (skipped.get('UDP') ?? 0) + 1);
      continue;
    }
    if (decoded.truncated) cut++;
    const t = Math.round((frame.sec - first.sec) * 1e6 + (frame.nsec - first.nsec) / 1e3);
    packets.push({ frame: frame.index, t, src: decoded.packet.src, dst: decoded.packet.dst, segment: decoded.packet.segment, payloadLength: decoded.payloadLength });
  }
  const warnings = [...reader.warnings];
  const reasons = [...skipped].sort((x, y) => y[1] - x[1]);
  for (const [reason, n] of reasons.slice(0, MAX_REASONS)) warnings.push(`${n} frame${n === 1 ? '' : 's'} left out (not TCP, or not readable): ${reason}`);
  if (reasons.length > MAX_REASONS) {
    const rest = reasons.slice(MAX_REASONS).reduce((sum, [, n]) => sum + n, 0);
    warnings.push(`${rest} more frame${rest === 1 ? '' : 's'} left out for ${reasons.length - MAX_REASONS} other reasons`);
  }
  if (cut > 0) warnings.push(`${cut} packet${cut === 1 ? '' : 's'} cut short by the snap length: payload lengths come from the IP header`);
  return { packets, frames, format: reader.format, warnings, truncated: reader.truncated };
}
