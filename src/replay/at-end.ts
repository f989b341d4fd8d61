// When the capture ends, which packets still waiting for evidence are taken as having arrived.
// Everything, as on a loopback capture, except:
// - what the endpoint would have answered at once (a SYN, a SYN-ACK; receive-model.ts needsEvidence):
//   no answer in the capture, no arrival;
// - data or a FIN the endpoint's later acknowledgments never covered: it would have acknowledged
//   them, so they were lost (or wait behind lost data);
// - data or a FIN at or after the sequence number of a RST that reset the endpoint first.
import { FIN, RST } from '../wire/segment.js';
import { seqAdd, seqLe, seqLt } from '../wire/seq.js';
import type { Profile } from '../tcp/profile.js';
import type { EndpointModel } from './endpoint.js';
import { has, seqEnd, seqLen } from './packet-facts.js';
import type { PendingPacket } from './pending.js';
import { needsEvidence } from './receive-model.js';

/** `later`: the packets pending after `item` (only its RSTs are looked at). */
export function arrivesAtEnd(m: EndpointModel, item: PendingPacket, later: readonly PendingPacket[], profile: Profile): boolean {
  if (needsEvidence(m, item.packet)) return false;
  if (seqLen(item.packet) === 0) return true;
  return !neverAcknowledged(m, item) && !overtakenByReset(m, item, later, profile);
}

/** The endpoint acknowledged after this packet was sent, and not up to its end. */
function neverAcknowledged(m: EndpointModel, item: PendingPacket): boolean {
  return m.lastAckIndex > item.index && m.lastAck !== undefined && !seqLe(seqEnd(item.packet), m.lastAck);
}

/**
 * A later RST, which the endpoint never answered, sits at or before what this packet brings and not
 * behind what the endpoint acknowledged: it was exact, so this packet had not arrived when it reset
 * the connection (RFC 5961 3.2: only a RST at RCV.NXT resets).
 */
function overtakenByReset(m: EndpointModel, item: PendingPacket, later: readonly PendingPacket[], profile: Profile): boolean {
  const rcvNxt = m.rcvNxt;
  if (rcvNxt === undefined) return false;
  const p = item.packet;
  // What the packet brings beyond what was received already.
  const fresh = seqLt(p.segment.seq, rcvNxt) ? rcvNxt : p.segment.seq;
  // Linux tcp_reset_check: a RST at RCV.NXT - 1 still resets after a FIN, so a FIN alone at the
  // RST's own sequence number may well have come first (it was sent first).
  const finFirst = profile.name === 'linux' && has(p, FIN) && seqAdd(fresh, 1) === seqEnd(p);
  return later.some((it) => {
    const rst = it.packet.segment.seq;
    if (!has(it.packet, RST) || !seqLe(rcvNxt, rst)) return false;
    return seqLt(rst, fresh) || (rst === fresh && !finFirst);
  });
}
