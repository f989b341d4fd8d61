// Classic pcap files (draft-ietf-opsawg-pcap): a 24-byte file header (section 4) then records, each a 16-byte
// header (seconds, microseconds or nanoseconds, captured length, original length) and the captured bytes
// (section 5). All fields are in the byte order of the writer, told apart by the magic number.
import { CaptureError } from './errors.js';
import { Cursor, MAX_RECORD_BYTES, copyBytes, hexBytes, viewOf } from './cursor.js';
import { type ReadState, stopWith, warnOnce } from './read-state.js';
import type { CapturedFrame } from './types.js';

export const PCAP_MAGIC_MICROS = 0xa1b2c3d4;
export const PCAP_MAGIC_NANOS = 0xa1b23c4d;
/** Alexey Kuznetzov's modified format (24-byte record headers); recognised only to name it in the error. */
const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

export const PCAP_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;

export interface PcapHeader {
  littleEndian: boolean;
  nanos: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  /** LinkType: the lower 16 bits of the last header field; the upper bits hold FCS information (section 4). */
  linkType: number;
}

/** The byte order and timestamp unit a pcap magic number announces, or undefined if it is not one. */
export function pcapMagic(head: Uint8Array): { littleEndian: boolean; nanos: boolean } | undefined {
  if (head.length < 4) return undefined;
  const view = viewOf(head);
  for (const littleEndian of [true, false]) {
    const magic = view.getUint32(0, littleEndian);
    if (magic === PCAP_MAGIC_MICROS) return { littleEndian, nanos: false };
    if (magic === PCAP_MAGIC_NANOS) return { littleEndian, nanos: true };
  }
  return undefined;
}

/** True for the magic of the modified (Kuznetzov) pcap variant, which this reader does not handle. */
export function isModifiedPcap(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const view = viewOf(head);
  return view.getUint32(0, true) === PCAP_MAGIC_MODIFIED || view.getUint32(0, false) === PCAP_MAGIC_MODIFIED;
}

/** Parses the file header; throws CaptureError if it is cut short or not version 2. */
export function readPcapHeader(cursor: Cursor): PcapHeader {
  const head = cursor.bytes(0, PCAP_HEADER_LENGTH);
  const magic = pcapMagic(head);
  if (!magic) throw new CaptureError(`not a pcap file: magic number ${hexBytes(head.subarray(0, 4))}`);
  if (head.length < PCAP_HEADER_LENGTH) {
    throw new CaptureError(
      `pcap file header is cut short: the file has ${head.length} bytes, the header needs ${PCAP_HEADER_LENGTH}`,
    );
  }
  const view = viewOf(head);
  const le = magic.littleEndian;
  const header: PcapHeader = {
    ...magic,
    versionMajor: view.getUint16(4, le),
    versionMinor: view.getUint16(6, le),
    snaplen: view.getUint32(16, le),
    linkType: view.getUint32(20, le) & 0xffff,
  };
  if (header.versionMajor !== 2) {
    throw new CaptureError(`pcap version ${header.versionMajor}.${header.versionMinor} is not supported (expected 2.4)`);
  }
  return header;
}

/** Warnings about the file header itself (given before any record). */
export function pcapHeaderWarnings(header: PcapHeader): string[] {
  if (header.snaplen === 0 || header.snaplen > MAX_RECORD_BYTES) {
    return [
      `pcap file header has an implausible snapshot length ${header.snaplen} (expected 1..${MAX_RECORD_BYTES}); ignored`,
    ];
  }
  return [];
}

/**
 * The records after the file header. Damage stops the walk with a warning and `state.truncated`; a first record
 * that cannot be read means the file is not a usable pcap (CaptureError).
 */
export function* pcapFrames(cursor: Cursor, header: PcapHeader, state: ReadState): Generator<CapturedFrame> {
  const le = header.littleEndian;
  const unit = header.nanos ? 1_000_000_000 : 1_000_000;
  const snaplenSane = header.snaplen > 0 && header.snaplen <= MAX_RECORD_BYTES;
  let offset = PCAP_HEADER_LENGTH;
  for (let index = 1; ; index++) {
    const remaining = cursor.remaining(offset);
    if (remaining === 0) return;
    const where = `pcap record ${index} at byte ${offset}`;
    const head = cursor.bytes(offset, PCAP_RECORD_HEADER_LENGTH);
    if (head.length < PCAP_RECORD_HEADER_LENGTH) {
      stopWith(state, `${where} is cut short: the file ends ${head.length} bytes into its ${PCAP_RECORD_HEADER_LENGTH}-byte header`);
      return;
    }
    const view = viewOf(head);
    const sec = view.getUint32(0, le);
    const fraction = view.getUint32(4, le);
    const caplen = view.getUint32(8, le);
    const origLen = view.getUint32(12, le);
    const left = remaining - PCAP_RECORD_HEADER_LENGTH;
    let problem: string | undefined;
    if (caplen > left && caplen > MAX_RECORD_BYTES) {
      problem = `${where} claims ${caplen} captured bytes, more than the file's remaining ${left}`;
    } else if (caplen > MAX_RECORD_BYTES) {
      problem = `${where} claims ${caplen} captured bytes, more than the ${MAX_RECORD_BYTES} a record may hold`;
    } else if (caplen > left) {
      problem = `${where} is cut short: the file ends ${left} bytes into its ${caplen} captured bytes`;
    }
    if (problem !== undefined) {
      if (index === 1) throw new CaptureError(problem);
      stopWith(state, problem);
      return;
    }
    const data = copyBytes(cursor.bytes(offset + PCAP_RECORD_HEADER_LENGTH, caplen));
    if (data.length < caplen) {
      // The source delivered less than its size promised (a file that shrank while being read).
      stopWith(state, `${where} is cut short: the source ended ${data.length} bytes into its ${caplen} captured bytes`);
      return;
    }
    checkOddities(state, index, header, snaplenSane, fraction, unit, caplen, origLen);
    yield {
      index,
      sec: sec + Math.floor(fraction / unit),
      nsec: (fraction % unit) * (header.nanos ? 1 : 1000),
      linkType: header.linkType,
      data,
      origLen,
    };
    offset += PCAP_RECORD_HEADER_LENGTH + caplen;
  }
}

function checkOddities(
  state: ReadState,
  index: number,
  header: PcapHeader,
  snaplenSane: boolean,
  fraction: number,
  unit: number,
  caplen: number,
  origLen: number,
): void {
  if (snaplenSane && caplen > header.snaplen) {
    warnOnce(state, 'caplen>snaplen', `pcap record ${index} captures ${caplen} bytes, more than the file's snapshot length ${header.snaplen}`);
  }
  if (caplen > origLen) {
    warnOnce(state, 'caplen>origlen', `pcap record ${index} captures ${caplen} bytes, more than its original length ${origLen}`);
  }
  if (fraction >= unit) {
    const what = unit === 1_000_000 ? 'microseconds' : 'nanoseconds';
    warnOnce(state, 'fraction', `pcap record ${index} has ${fraction} ${what}, a second or more; carried into the seconds`);
  }
}
