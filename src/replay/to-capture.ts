// A trace's packets as capture records (for writePcap/writePcapng): what a capture on the wire sees.
// Each TCP segment and UDP datagram is written once, when it was sent (a capture at the sender sees a
// copy the network later loses; a copy the network duplicates is written once, as the sender sent it once).
import { writePcap, writePcapng, type PacketRecord } from '../pcap/index.js';
import { Prng } from '../sim/prng.js';
import type { DatagramEvent, SegmentEvent, Trace } from '../sim/trace.js';
import { parseEndpoint } from '../wire/address.js';
import type { Packet } from '../wire/segment.js';
import { packetOf } from './from-trace.js';
import { TraceFileError } from './trace-json.js';
import { base64Bytes } from './trace-values.js';

export function traceRecords(trace: Trace): PacketRecord[] {
  return traceRecordEvents(trace).map((r) => r.record);
}

/** Each record with the index in trace.events of the event it was written from (the first copy). */
export function traceRecordEvents(trace: Trace): Array<{ event: number; record: PacketRecord }> {
  const seen = new Set<number>();
  const ipIds = new Map<string, number>();
  const seeds = new Prng(trace.seed);
  const out: Array<{ event: number; record: PacketRecord }> = [];
  trace.events.forEach((ev, event) => {
    if (ev.kind !== 'segment' && ev.kind !== 'datagram') return;
    if (seen.has(ev.id)) return; // the second copy of a duplicated packet
    seen.add(ev.id);
    const packet = ev.kind === 'segment' ? tcpPacket(ev) : udpPacket(ev);
    // IPv4 identification: a counter per direction, started from the seed, as a stack with per-socket
    // IDs would give (Linux: inet_sk(sk)->inet_id, ip_select_ident_segs).
    const flow = `${ev.src}>${ev.dst}`;
    const ipId = ipIds.get(flow) ?? (seeds.fork(`ipid:${flow}`).u32() & 0xffff);
    ipIds.set(flow, (ipId + 1) & 0xffff);
    out.push({ event, record: { timeMicros: ev.t, packet, ipId } });
  });
  return out;
}

/** The whole capture file (`synack run … --pcap/--pcapng`, the web app's export). */
export function captureBytes(trace: Trace, format: 'pcap' | 'pcapng'): Uint8Array {
  const records = traceRecords(trace);
  return format === 'pcap'
    ? writePcap(records)
    : writePcapng(records, { comment: `synack ${trace.scenario} --profile ${trace.profile} --seed ${trace.seed}` });
}

function tcpPacket(ev: SegmentEvent): Packet {
  const p = packetOf(ev, 0);
  const payload = p.segment.payload.length === ev.len ? p.segment.payload : new Uint8Array(ev.len);
  return { proto: 'tcp', src: p.src, dst: p.dst, segment: { ...p.segment, payload } };
}

function udpPacket(ev: DatagramEvent): Packet {
  const src = parseEndpoint(ev.src);
  const dst = parseEndpoint(ev.dst);
  return { proto: 'udp', src: src.ip, dst: dst.ip, datagram: { srcPort: src.port, dstPort: dst.port, payload: payloadOf(ev.payload, ev.len) } };
}

/** The payload bytes, or `len` zero bytes when the trace left them out. */
function payloadOf(base64: string | undefined, len: number): Uint8Array {
  if (base64 === undefined) return new Uint8Array(len);
  const bytes = base64Bytes(base64);
  if (bytes === undefined) throw new TraceFileError(`datagram payload "${base64}" is not valid base64`);
  return bytes;
}
