// Replayed connections as a trace the renderers draw: packets as segment events, the inferred state
// changes as state events, violations as notes on the packets that broke a rule. One connection
// (`synack replay`'s ladders) or the whole capture at once (the web app).
import type { SegmentEvent, StateEvent, Trace, TraceEvent } from '../sim/trace.js';
import { traceOption } from '../sim/trace.js';
import { formatEndpoint } from '../wire/address.js';
import { flagNames } from '../wire/segment.js';
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
  return conn.perPacket.map((step, i) => {
    const p = packets.get(step.frame)!;
    const seg = p.segment;
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
