// Writes pcapng (draft-ietf-opsawg-pcapng): one little-endian section (4.1) naming synack as the writing
// application, one Ethernet interface (4.2) with if_tsresol 6 or 9, and an enhanced packet block per frame (4.3).
import { BLOCK_EPB, BLOCK_IDB, BLOCK_SHB, BYTE_ORDER_MAGIC, pad4 } from './pcapng-block.js';
import { LINKTYPE_ETHERNET } from './types.js';
import { concatBytes } from '../wire/bytes.js';
import { type PacketRecord, type WriteOptions, checkedSnaplen, framesToWrite } from './write-common.js';

const OPT_COMMENT = 1;
const OPT_SHB_HARDWARE = 2;
const OPT_SHB_USERAPPL = 4;
const OPT_IF_TSRESOL = 9;

export interface PcapngWriteOptions extends WriteOptions {
  /** opt_comment of the section header. */
  comment?: string;
  /** shb_hardware of the section header. */
  hardware?: string;
}

/** Option list (3.5): code, length, value padded to 32 bits, then opt_endofopt. */
function options(list: Array<[number, Uint8Array]>): Uint8Array {
  const out = new Uint8Array(list.reduce((n, [, v]) => n + 4 + pad4(v.length), 0) + 4);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const [code, value] of list) {
    if (value.length > 0xffff) throw new RangeError(`pcapng option ${code} of ${value.length} bytes is longer than 65535`);
    view.setUint16(at, code, true);
    view.setUint16(at + 2, value.length, true);
    out.set(value, at + 4);
    at += 4 + pad4(value.length);
  }
  return out; // the last 4 bytes are zero: opt_endofopt
}

/** A block: type, total length, `body` padded to 32 bits, total length again (3.1). */
function block(type: number, body: Uint8Array): Uint8Array {
  const total = 12 + pad4(body.length);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  out.set(body, 8);
  view.setUint32(total - 4, total, true);
  return out;
}

function sectionHeader(comment: string | undefined, hardware: string | undefined): Uint8Array {
  const text = new TextEncoder();
  const list: Array<[number, Uint8Array]> = [];
  if (comment !== undefined) list.push([OPT_COMMENT, text.encode(comment)]);
  if (hardware !== undefined) list.push([OPT_SHB_HARDWARE, text.encode(hardware)]);
  list.push([OPT_SHB_USERAPPL, text.encode('synack')]);
  const opts = options(list);
  const body = new Uint8Array(16 + opts.length);
  const view = new DataView(body.buffer);
  view.setUint32(0, BYTE_ORDER_MAGIC, true);
  view.setUint16(4, 1, true); // version 1.0
  view.setUint16(6, 0, true);
  view.setBigInt64(8, -1n, true); // section length not given
  body.set(opts, 16);
  return block(BLOCK_SHB, body);
}

function interfaceDescription(snaplen: number, nanos: boolean): Uint8Array {
  const opts = options([[OPT_IF_TSRESOL, Uint8Array.of(nanos ? 9 : 6)]]);
  const body = new Uint8Array(8 + opts.length);
  const view = new DataView(body.buffer);
  view.setUint16(0, LINKTYPE_ETHERNET, true);
  view.setUint32(4, snaplen, true);
  body.set(opts, 8);
  return block(BLOCK_IDB, body);
}

export function writePcapng(records: Iterable<PacketRecord>, options: PcapngWriteOptions = {}): Uint8Array {
  const nanos = options.resolution === 'ns';
  const chunks = [sectionHeader(options.comment, options.hardware), interfaceDescription(checkedSnaplen(options), nanos)];
  for (const frame of framesToWrite(records, options)) {
    const units = BigInt(frame.sec) * (nanos ? 1_000_000_000n : 1_000_000n) + BigInt(frame.micros) * (nanos ? 1000n : 1n);
    const body = new Uint8Array(20 + frame.data.length);
    const view = new DataView(body.buffer);
    view.setUint32(0, 0, true); // interface 0
    view.setUint32(4, Number(units >> 32n), true);
    view.setUint32(8, Number(units & 0xffffffffn), true);
    view.setUint32(12, frame.data.length, true);
    view.setUint32(16, frame.origLen, true);
    body.set(frame.data, 20);
    chunks.push(block(BLOCK_EPB, body));
  }
  return concatBytes(chunks);
}
