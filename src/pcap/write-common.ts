// What the writers share: the record and option types, checked timestamps, and the frames themselves.
import type { Packet } from '../wire/segment.js';
import { MAX_RECORD_BYTES } from './cursor.js';
import { ethernetFrame } from './ethernet.js';

export interface PacketRecord {
  /** Virtual time since the start, integer microseconds >= 0. */
  timeMicros: number;
  packet: Packet;
  /** IPv4 identification field (default 0; ignored for IPv6). */
  ipId?: number;
}

export interface WriteOptions {
  /** Timestamp resolution: 'us' (default) or 'ns'. */
  resolution?: 'us' | 'ns';
  /** Whole seconds added to every timestamp (default 0, i.e. 1970-01-01). */
  epochSeconds?: number;
  /** Frames longer than this are cut to it (caplen < origLen); default 262144. */
  snaplen?: number;
}

export interface FrameToWrite {
  /** Whole seconds since the epoch and microseconds within the second. */
  sec: number;
  micros: number;
  data: Uint8Array;
  origLen: number;
}

export function checkedSnaplen(options: WriteOptions): number {
  const snaplen = options.snaplen ?? MAX_RECORD_BYTES;
  if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > 0xffffffff) {
    throw new RangeError(`snaplen must be an integer in 1..4294967295, got ${String(snaplen)}`);
  }
  return snaplen;
}

function checkedEpoch(options: WriteOptions): number {
  const epoch = options.epochSeconds ?? 0;
  if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`epochSeconds must be a non-negative integer, got ${String(epoch)}`);
  return epoch;
}

/** The frames for `records`, each with its time split into seconds and microseconds and cut to the snaplen. */
export function* framesToWrite(records: Iterable<PacketRecord>, options: WriteOptions): Generator<FrameToWrite> {
  const snaplen = checkedSnaplen(options);
  const epoch = checkedEpoch(options);
  let n = 0;
  for (const record of records) {
    n++;
    const t = record.timeMicros;
    if (!Number.isSafeInteger(t) || t < 0) {
      throw new RangeError(`record ${n}: timeMicros must be a non-negative integer number of microseconds, got ${String(t)}`);
    }
    const sec = epoch + Math.floor(t / 1_000_000);
    if (sec > 0xffffffff) throw new RangeError(`record ${n}: time ${sec} s is past what a 32-bit seconds field holds`);
    const frame = ethernetFrame(record.packet, record.ipId ?? 0);
    yield {
      sec,
      micros: t % 1_000_000,
      data: frame.length > snaplen ? frame.subarray(0, snaplen) : frame,
      origLen: frame.length,
    };
  }
}
