// A simulated trace read as a capture: its segment events become observed packets, as tcpdump on
// the SENDING host would record them: every segment once, lost ones included (the sender's capture
// sees them leave), the extra copy a duplicating link made left out (no host sent it), at the time
// it was sent. Also the trace's own record of states, for comparing the replay with the engine.
import { parseEndpoint } from '../wire/address.js';
import { flagsFromNames } from '../wire/segment.js';
import type { SegmentEvent, StateEvent, Trace } from '../sim/trace.js';
import { connectionKey } from './connections.js';
import { TraceFileError } from './trace-json.js';
import { base64Bytes, wireOption } from './trace-values.js';
import type { ObservedPacket } from './types.js';

// The schema (trace-json.ts) refuses what these would refuse, with the same decoders (trace-values.ts); a
// trace built in code that skipped it still gets a TraceFileError naming the event, never a crash later.
function fromBase64(text: string, where: string): Uint8Array {
  const bytes = base64Bytes(text);
  if (bytes === undefined) throw new TraceFileError(`${where}: payload is not valid base64`);
  return bytes;
}

/** One segment event as the packet on the wire (also used to write a trace as a pcap). */
export function packetOf(e: SegmentEvent, frame: number): ObservedPacket {
  const where = `trace segment #${e.id} (event ${frame})`;
  let src: ReturnType<typeof parseEndpoint>;
  let dst: ReturnType<typeof parseEndpoint>;
  try {
    src = parseEndpoint(e.src);
    dst = parseEndpoint(e.dst);
  } catch (err) {
    throw new TraceFileError(`${where}: ${(err as Error).message}`);
  }
  const payload = e.payload !== undefined ? fromBase64(e.payload, where) : new Uint8Array(0);
  if (payload.length > e.len) throw new TraceFileError(`${where}: len ${e.len} is less than the ${payload.length} payload bytes`);
  return {
    frame,
    t: e.t,
    src: src.ip,
    dst: dst.ip,
    segment: {
      srcPort: src.port,
      dstPort: dst.port,
      seq: e.seq,
      ack: e.ack,
      flags: flagsFromNames(e.flags),
      window: e.win,
      urgentPointer: 0,
      options: e.options.map((o) => wireOption(o, (data) => new TraceFileError(`${where}: option data "${data}" is not hex`))),
      payload,
    },
    payloadLength: e.len,
  };
}

/** One packet per segment sent, in the order sent; frame = 1-based position among the trace's segment events. */
export function packetsFromTrace(trace: Trace): ObservedPacket[] {
  if (trace === null || typeof trace !== 'object' || trace.format !== 'synack-trace' || !Array.isArray(trace.events)) {
    throw new TraceFileError('packetsFromTrace: not a synack trace (expected {format: "synack-trace", events: [...]})');
  }
  const out: ObservedPacket[] = [];
  const seen = new Set<number>();
  let frame = 0;
  for (const e of trace.events) {
    if (e.kind !== 'segment') continue;
    frame += 1;
    if (seen.has(e.id)) continue; // the second copy of a duplicated segment
    seen.add(e.id);
    out.push(packetOf(e, frame));
  }
  return out;
}

/** One socket's states over one connection, as the trace's state events record them. */
export interface TraceSocketStates {
  host: string;
  socket: number;
  /** "ip:port" of the socket and of its peer. */
  endpoint: string;
  peer: string;
  /** Its state events in order; the first one starts from CLOSED (active) or LISTEN (a listener's child). */
  events: StateEvent[];
}

/**
 * The trace's own record, per connection: keyed like replay connections (connectionKey), each
 * socket that took part, split into incarnations (a socket that reached CLOSED and starts again is
 * a new one), in the order they began. Listeners (state events without a peer) are left out: their
 * LISTEN and CLOSED belong to no connection.
 */
export function traceStatesByConnection(trace: Trace): Map<string, TraceSocketStates[]> {
  const open = new Map<string, TraceSocketStates>();
  const byKey = new Map<string, TraceSocketStates[]>();
  for (const e of trace.events) {
    if (e.kind !== 'state' || e.peer === undefined) continue;
    const id = `${e.host}#${e.socket}|${e.endpoint}|${e.peer}`;
    let current = open.get(id);
    if (!current || (current.events[current.events.length - 1]!.to === 'CLOSED' && e.from === 'CLOSED') || (e.from === 'LISTEN' && current.events.length > 0)) {
      current = { host: e.host, socket: e.socket, endpoint: e.endpoint, peer: e.peer, events: [] };
      open.set(id, current);
      const key = connectionKey(e.endpoint, e.peer);
      const list = byKey.get(key) ?? [];
      list.push(current);
      byKey.set(key, list);
    }
    current.events.push(e);
  }
  return byKey;
}
