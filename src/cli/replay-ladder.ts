// One replayed connection as a trace the ladder renderer draws: its packets as segment events, the
// inferred state changes as state events, violations as notes on the packets that broke a rule.
import type { ConnectionReport, ObservedPacket } from '../replay/index.js';
import { traceOption } from '../sim/recorder.js';
import type { SegmentEvent, StateEvent, Trace, TraceEvent } from '../sim/trace.js';
import { formatEndpoint } from '../wire/address.js';
import { flagNames } from '../wire/segment.js';

export function connectionTrace(conn: ConnectionReport, packets: ReadonlyMap<number, ObservedPacket>, source: string, profile: string): Trace {
  const endpoints = [conn.a, conn.b];
  const notes = new Map<number, string[]>();
  for (const v of conn.violations) notes.set(v.packet, [...(notes.get(v.packet) ?? []), `VIOLATION ${v.rule}`]);
  const events: TraceEvent[] = [];
  const last: Record<string, string> = {};
  conn.perPacket.forEach((step, i) => {
    const p = packets.get(step.frame)!;
    const seg = p.segment;
    const ev: SegmentEvent = {
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
    events.push(ev);
    for (const [k, endpoint] of endpoints.entries()) {
      const to = step.states[endpoint];
      const from = last[endpoint] ?? (i === 0 && conn.midstream ? 'ESTABLISHED' : 'CLOSED');
      if (to === undefined || to === from) continue;
      last[endpoint] = to;
      const state: StateEvent = { t: p.t, kind: 'state', host: endpoint, endpoint, peer: endpoints[1 - k]!, socket: k + 1, from, to, cause: 'inferred' };
      events.push(state);
    }
  });
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
