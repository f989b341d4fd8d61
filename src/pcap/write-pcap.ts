// Writes classic pcap (draft-ietf-opsawg-pcap sections 4 and 5): little-endian, version 2.4, Ethernet.
import { PCAP_HEADER_LENGTH, PCAP_MAGIC_MICROS, PCAP_MAGIC_NANOS, PCAP_RECORD_HEADER_LENGTH } from './pcap-read.js';
import { LINKTYPE_ETHERNET } from './types.js';
import { concatBytes } from '../wire/bytes.js';
import { type PacketRecord, type WriteOptions, checkedSnaplen, framesToWrite } from './write-common.js';

export function writePcap(records: Iterable<PacketRecord>, options: WriteOptions = {}): Uint8Array {
  const nanos = options.resolution === 'ns';
  const header = new Uint8Array(PCAP_HEADER_LENGTH);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, nanos ? PCAP_MAGIC_NANOS : PCAP_MAGIC_MICROS, true);
  hv.setUint16(4, 2, true);
  hv.setUint16(6, 4, true);
  // Bytes 8..15: the reserved fields (once thiszone and sigfigs), zero.
  hv.setUint32(16, checkedSnaplen(options), true);
  hv.setUint32(20, LINKTYPE_ETHERNET, true);
  const chunks = [header];
  for (const frame of framesToWrite(records, options)) {
    const record = new Uint8Array(PCAP_RECORD_HEADER_LENGTH + frame.data.length);
    const rv = new DataView(record.buffer);
    rv.setUint32(0, frame.sec, true);
    rv.setUint32(4, nanos ? frame.micros * 1000 : frame.micros, true);
    rv.setUint32(8, frame.data.length, true);
    rv.setUint32(12, frame.origLen, true);
    record.set(frame.data, PCAP_RECORD_HEADER_LENGTH);
    chunks.push(record);
  }
  return concatBytes(chunks);
}
