// Replayed connections as a trace the renderers draw: packets as segment events, the inferred state
// changes as state events, violations as notes on the packets that broke a rule. One connection
// (`synack replay`'s ladders) or the whole capture at once (the web app).
import type { SegmentEvent, StateEvent, Trace, TraceEvent } from '../sim/trace.js';
import { traceOption } from '../sim/trace.js';
import { formatEndpoint } from '../wire/address.js';
import { FIN, SYN, flagNames } from '../wire/segment.js';
import { seqGt } from '../wire/seq.js';
import type { ConnectionReport, ObservedPacket, ReplayReport } from './types.js';

/** One packet of a connection: its segment event and the state changes it caused. */
interface Step {
  frame: number;
  segment: SegmentEvent;
  states: StateEvent[];
}

/** `socketOf(k)`: the socket number given to endpoint k (0 = a, 1 = b) in state events. */
function connectionSteps(conn: ConnectionReport, packets: ReadonlyMap<number, ObservedPacket>, socketOf: (k: number) => number): Step[] {
  const endpoints = [conn.a, conn.b];
  const notes = new Map<number, string[]>();
  for (const v of conn.violations) notes.set(v.packet, [...(notes.get(v.packet) ?? []), `VIOLATION ${v.rule}`]);
  const last: Record<string, string> = {};
  const sent = new Map<string, number>();
  return conn.perPacket.map((step, i) => {
    const p = packets.get(step.frame)!;
    const seg = p.segment;
    const retransmit = resent(sent, p);
    const segment: SegmentEvent = {
      t: p.t,
      kind: 'segment',
      id: p.frame,
      src: formatEndpoint(p.src, seg.srcPort),
      dst: formatEndpoint(p.dst, seg.dstPort),
      flags: flagNames(seg.flags),
      seq: seg.seq,
      ack: seg.ack,
      len: p.payloadLength,
      win: seg.window,
      options: seg.options.map(traceOption),
      fate: 'delivered',
      ...(retransmit ? { retransmit: true } : {}),
      ...(notes.has(p.frame) ? { note: notes.get(p.frame)!.join(', ') } : {}),
    };
    const states: StateEvent[] = [];
    for (const [k, endpoint] of endpoints.entries()) {
      const to = step.states[endpoint];
      const from = last[endpoint] ?? (i === 0 && conn.midstream ? 'ESTABLISHED' : 'CLOSED');
      if (to === undefined || to === from) continue;
      last[endpoint] = to;
      states.push({ t: p.t, kind: 'state', host: endpoint, endpoint, peer: endpoints[1 - k]!, socket: socketOf(k), from, to, cause: 'inferred' });
    }
    return { frame: p.frame, segment, states };
  });
}

/**
 * Did this packet's sender send its sequence space before (as Wireshark's tcp.analysis.retransmission): a SYN,
 * FIN or data whose end is not past the furthest sequence number the sender had used. `sent` keeps that
 * furthest end per sender, for one connection (a new incarnation of the 4-tuple is another connection).
 */
function resent(sent: Map<string, number>, p: ObservedPacket): boolean {
  const seg = p.segment;
  const from = formatEndpoint(p.src, seg.srcPort);
  const syn = (seg.flags & SYN) !== 0;
  const fin = (seg.flags & FIN) !== 0;
  const space = p.payloadLength + (syn ? 1 : 0) + (fin ? 1 : 0);
  if (space === 0) return false;
  const end = (seg.seq + space) >>> 0;
  const before = sent.get(from);
  if (before !== undefined && !seqGt(end, before)) return true;
  sent.set(from, before === undefined || seqGt(end, before) ? end : before);
  return false;
}

function replayedTrace(source: string, profile: string, endpoints: string[], events: TraceEvent[]): Trace {
  return {
    format: 'synack-trace',
    version: 1,
    scenario: source,
    profile,
    seed: 0,
    // Each lifeline is an endpoint: on loopback both ends share an address.
    hosts: endpoints.map((e) => ({ name: e, address: e })),
    events,
  };
}

export function connectionTrace(conn: ConnectionReport, packets: ReadonlyMap<number, ObservedPacket>, source: string, profile: string): Trace {
  const events = connectionSteps(conn, packets, (k) => k + 1).flatMap((s) => [s.segment, ...s.states]);
  return replayedTrace(source, profile, [conn.a, conn.b], events);
}

export interface CaptureTrace {
  /** Every connection in one trace, its packets in capture order; one lifeline per endpoint. */
  trace: Trace;
  /** Index in trace.events of each segment that broke a rule -> the rule ids (docs/reading-captures.md). */
  violations: Map<number, string[]>;
}

export function captureTrace(report: ReplayReport, packets: readonly ObservedPacket[], source: string, profile: string): CaptureTrace {
  const byFrame = new Map(packets.map((p) => [p.frame, p]));
  const order = new Map(packets.map((p, i) => [p.frame, i]));
  const endpoints: string[] = [];
  const steps: Step[] = [];
  report.connections.forEach((conn, c) => {
    for (const e of [conn.a, conn.b]) if (!endpoints.includes(e)) endpoints.push(e);
    // Socket numbers unique over the capture: an endpoint reused by a later connection is a new socket.
    for (const step of connectionSteps(conn, byFrame, (k) => 2 * c + k + 1)) steps.push(step); // no spread: a long connection overflows the stack
  });
  steps.sort((x, y) => order.get(x.frame)! - order.get(y.frame)!);
  const rules = new Map<number, string[]>();
  for (const conn of report.connections) for (const v of conn.violations) rules.set(v.packet, [...(rules.get(v.packet) ?? []), v.rule]);
  const events: TraceEvent[] = [];
  const violations = new Map<number, string[]>();
  for (const step of steps) {
    const found = rules.get(step.frame);
    if (found) violations.set(events.length, found);
    events.push(step.segment, ...step.states);
  }
  return { trace: replayedTrace(source, profile, endpoints, events), violations };
}
