// One race the kernel runs against itself: after a peer's FIN, Linux delays its ACK to the next jiffy (tcp_fin
// enters pingpong mode; with no ato yet the delayed-ACK timer is one tick, 0-4 ms away at HZ=250 depending on the
// phase of the tick clock). If the application's close() comes first, the ACK rides on its FIN-ACK; if the tick
// comes first, a bare ACK goes out and the FIN-ACK follows. Both are right, and which one a run shows is luck.
// foldFinAcks makes the two look the same: a bare ACK of the peer's FIN followed within `window` by this side's
// FIN-ACK with the same seq and ack is folded into the FIN-ACK.
import type { NormalSegment, Normalised } from './normalise.js';

export interface Folded {
  normal: Normalised;
  /** The bare ACKs that were folded away. */
  folded: NormalSegment[];
}

/** Whether `ack` acknowledges a FIN the other direction of `conn` sent before time t. */
function acksPeerFin(all: readonly NormalSegment[], s: NormalSegment): boolean {
  return all.some((p) => p.conn === s.conn && p.from === s.to && p.t <= s.t && p.flags.includes('FIN') && s.ack === p.seq + p.len + 1);
}

export function foldFinAcks(n: Normalised, window: number): Folded {
  const folded: NormalSegment[] = [];
  const drop = new Set<NormalSegment>();
  const segs = n.segments;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (s.flags !== 'ACK' || s.len !== 0 || s.retransmit) continue;
    const next = segs.slice(i + 1).find((x) => x.conn === s.conn && x.from === s.from);
    if (!next || next.flags !== 'FIN-ACK' || next.len !== 0 || next.seq !== s.seq || next.ack !== s.ack) continue;
    if (next.t - s.t > window || !acksPeerFin(segs, s)) continue;
    drop.add(s);
    folded.push(s);
  }
  return { normal: { ...n, segments: segs.filter((s) => !drop.has(s)) }, folded };
}
