// pcapng files (draft-ietf-opsawg-pcapng): sections, each a section header block (4.1) followed by interface
// description blocks (4.2) and packet blocks naming an interface: enhanced (4.3), simple (4.4) and the
// obsolete packet block (appendix A). Other blocks are skipped. Every section has its own byte order.
import { CaptureError } from './errors.js';
import { Cursor, MAX_RECORD_BYTES, copyBytes, hexBytes, viewOf } from './cursor.js';
import {
  BLOCK_EPB,
  BLOCK_IDB,
  BLOCK_OVERHEAD,
  BLOCK_PB,
  BLOCK_SHB,
  BLOCK_SPB,
  BYTE_ORDER_MAGIC,
  blockName,
  isQuietBlock,
  pad4,
  readOptions,
} from './pcapng-block.js';
import { type ReadState, stopWith, warnOnce } from './read-state.js';
import { MICROSECONDS, type TsResolution, tsResolution, unitsToTime } from './timestamps.js';
import type { CapturedFrame } from './types.js';

/** Type, length, byte-order magic, version, section length, trailing length. */
const SHB_MIN_LENGTH = 28;
/** Type, length, link type, reserved, snaplen, trailing length. */
const IDB_MIN_LENGTH = 20;
/** Interface description options beyond this many bytes are ignored (they are names and comments). */
const MAX_IDB_BYTES = 65_536;

const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

export interface SectionHeader {
  littleEndian: boolean;
  versionMajor: number;
  versionMinor: number;
  totalLength: number;
}

interface Interface {
  linkType: number;
  snaplen: number;
  resolution: TsResolution;
  offsetSeconds: bigint;
}

/** Checks a block's total length against the file and its trailing copy; returns a problem or undefined. */
function framingProblem(cursor: Cursor, offset: number, totalLength: number, littleEndian: boolean, minimum: number): string | undefined {
  const remaining = cursor.remaining(offset);
  if (totalLength < minimum) return `has total length ${totalLength}, less than the ${minimum} it needs`;
  if (totalLength % 4 !== 0) return `has total length ${totalLength}, not a multiple of 4`;
  if (totalLength > remaining) return `is cut short: it claims ${totalLength} bytes, the file has ${remaining} left`;
  const tail = cursor.bytes(offset + totalLength - 4, 4);
  if (tail.length < 4) return `is cut short: the source ended before its trailing length`;
  const trailing = viewOf(tail).getUint32(0, littleEndian);
  if (trailing !== totalLength) return `has trailing length ${trailing}, not matching its total length ${totalLength}`;
  return undefined;
}

/** The section header block at `offset`, or a description of what is wrong with it. */
function parseSectionHeader(cursor: Cursor, offset: number): SectionHeader | string {
  const head = cursor.bytes(offset, SHB_MIN_LENGTH);
  if (head.length < SHB_MIN_LENGTH) {
    return `is cut short: the file ends ${head.length} bytes into it (it needs at least ${SHB_MIN_LENGTH})`;
  }
  const view = viewOf(head);
  let littleEndian: boolean;
  if (view.getUint32(8, true) === BYTE_ORDER_MAGIC) littleEndian = true;
  else if (view.getUint32(8, false) === BYTE_ORDER_MAGIC) littleEndian = false;
  else return `has byte-order magic ${hexBytes(head.subarray(8, 12))} (expected 1a 2b 3c 4d in either order)`;
  const versionMajor = view.getUint16(12, littleEndian);
  const versionMinor = view.getUint16(14, littleEndian);
  const totalLength = view.getUint32(4, littleEndian);
  const framing = framingProblem(cursor, offset, totalLength, littleEndian, SHB_MIN_LENGTH);
  if (framing !== undefined) return framing;
  if (versionMajor !== 1) return `has version ${versionMajor}.${versionMinor}, not the supported 1.x`;
  // The section length (bytes 16..23) may be -1 ("not given") and is not needed to walk the blocks.
  return { littleEndian, versionMajor, versionMinor, totalLength };
}

/** The first section header; throws CaptureError if it is unusable. */
export function readPcapngHeader(cursor: Cursor): SectionHeader {
  const shb = parseSectionHeader(cursor, 0);
  if (typeof shb === 'string') throw new CaptureError(`pcapng section header block at byte 0 ${shb}`);
  return shb;
}

function parseInterface(cursor: Cursor, offset: number, totalLength: number, le: boolean, state: ReadState, where: string): Interface {
  const body = cursor.bytes(offset + 8, Math.min(totalLength - BLOCK_OVERHEAD, MAX_IDB_BYTES));
  const view = viewOf(body);
  const iface: Interface = {
    linkType: view.getUint16(0, le),
    snaplen: view.getUint32(4, le),
    resolution: MICROSECONDS,
    offsetSeconds: 0n,
  };
  const { options, complete } = readOptions(body.subarray(8), le);
  if (!complete) warnOnce(state, `idb-options@${offset}`, `${where}: its options run past the block (or its first 64 KiB); the rest were ignored`);
  for (const { code, value } of options) {
    if (code === OPT_IF_TSRESOL && value.length >= 1) iface.resolution = tsResolution(value[0] as number);
    if (code === OPT_IF_TSOFFSET && value.length >= 8) iface.offsetSeconds = viewOf(value).getBigInt64(0, le);
  }
  return iface;
}

interface PacketFields {
  interfaceId: number;
  units: bigint | undefined;
  caplen: number;
  origLen: number;
  dataOffset: number;
}

/** The fixed fields of an EPB, SPB or PB, or a problem. `bodyLength` excludes the 12 bytes of framing. */
function packetFields(cursor: Cursor, offset: number, type: number, bodyLength: number, le: boolean, interfaces: Interface[]): PacketFields | string {
  if (type === BLOCK_SPB) {
    if (bodyLength < 4) return `is too short (${bodyLength + BLOCK_OVERHEAD} bytes) for its original-length field`;
    const origLen = viewOf(cursor.bytes(offset + 8, 4)).getUint32(0, le);
    // Captured length: the original length cut to interface 0's snaplen and to the block (4.4).
    const snaplen = interfaces[0]?.snaplen ?? 0;
    let caplen = Math.min(origLen, bodyLength - 4);
    if (snaplen > 0) caplen = Math.min(caplen, snaplen);
    return { interfaceId: 0, units: undefined, caplen, origLen, dataOffset: offset + 12 };
  }
  if (bodyLength < 20) return `is too short (${bodyLength + BLOCK_OVERHEAD} bytes) for its fixed fields`;
  const view = viewOf(cursor.bytes(offset + 8, 20));
  const interfaceId = type === BLOCK_EPB ? view.getUint32(0, le) : view.getUint16(0, le);
  const units = (BigInt(view.getUint32(4, le)) << 32n) | BigInt(view.getUint32(8, le));
  const caplen = view.getUint32(12, le);
  const origLen = view.getUint32(16, le);
  if (caplen > MAX_RECORD_BYTES) return `claims ${caplen} captured bytes, more than the ${MAX_RECORD_BYTES} a packet may hold`;
  if (20 + pad4(caplen) > bodyLength) return `claims ${caplen} captured bytes, more than the block holds`;
  return { interfaceId, units, caplen, origLen, dataOffset: offset + 28 };
}

/** Every packet of every section. Damage stops the walk with a warning and `state.truncated`. */
export function* pcapngFrames(cursor: Cursor, first: SectionHeader, state: ReadState): Generator<CapturedFrame> {
  let le = first.littleEndian;
  let interfaces: Interface[] = [];
  let offset = first.totalLength;
  let index = 0;
  let last = { sec: 0, nsec: 0 };
  for (let blockNumber = 2; offset < cursor.size; blockNumber++) {
    const head = cursor.bytes(offset, 8);
    if (head.length < 8) {
      stopWith(state, `pcapng block ${blockNumber} at byte ${offset} is cut short: the file ends ${head.length} bytes into it`);
      return;
    }
    const type = viewOf(head).getUint32(0, le);
    const where = `pcapng ${blockName(type)} (block ${blockNumber}) at byte ${offset}`;
    if (type === BLOCK_SHB) {
      const shb = parseSectionHeader(cursor, offset);
      if (typeof shb === 'string') {
        stopWith(state, `${where} ${shb}`);
        return;
      }
      le = shb.littleEndian;
      interfaces = [];
      offset += shb.totalLength;
      continue;
    }
    const totalLength = viewOf(head).getUint32(4, le);
    const minimum = type === BLOCK_IDB ? IDB_MIN_LENGTH : BLOCK_OVERHEAD;
    const framing = framingProblem(cursor, offset, totalLength, le, minimum);
    if (framing !== undefined) {
      stopWith(state, `${where} ${framing}`);
      return;
    }
    const bodyLength = totalLength - BLOCK_OVERHEAD;
    if (type === BLOCK_IDB) {
      interfaces.push(parseInterface(cursor, offset, totalLength, le, state, where));
    } else if (type === BLOCK_EPB || type === BLOCK_SPB || type === BLOCK_PB) {
      const fields = packetFields(cursor, offset, type, bodyLength, le, interfaces);
      if (typeof fields === 'string') {
        stopWith(state, `${where} ${fields}`);
        return;
      }
      const iface = interfaces[fields.interfaceId];
      if (iface === undefined) {
        stopWith(state, `${where} names interface ${fields.interfaceId}, but its section describes ${interfaces.length} interface(s)`);
        return;
      }
      if (iface.snaplen > 0 && fields.caplen > iface.snaplen) {
        warnOnce(state, 'caplen>snaplen', `${where} captures ${fields.caplen} bytes, more than its interface's snapshot length ${iface.snaplen}`);
      }
      const data = copyBytes(cursor.bytes(fields.dataOffset, fields.caplen));
      if (fields.units !== undefined) last = unitsToTime(fields.units, iface.resolution, iface.offsetSeconds);
      index++;
      yield { index, sec: last.sec, nsec: last.nsec, linkType: iface.linkType, data, origLen: fields.origLen };
    } else if (!isQuietBlock(type)) {
      warnOnce(state, `block ${type}`, `skipped ${where} and any others of its type: not a block this reader knows`);
    }
    offset += totalLength;
  }
}
