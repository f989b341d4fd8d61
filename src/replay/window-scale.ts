// Window scaling (RFC 7323 2.2-2.3): windows in segments other than SYNs are shifted left by the
// scale their sender offered in its SYN, but only when both SYNs carried the option.
import { seqAdd, seqMax, type Seq } from '../wire/seq.js';
import type { EndpointModel } from './endpoint.js';

/**
 * The shift to apply to windows sent by `m`, or undefined when it cannot be known (a SYN was not
 * captured: a midstream capture).
 */
export function windowShift(m: EndpointModel, peer: EndpointModel): number | undefined {
  if (!m.sentSyn) return undefined;
  if (peer.sentSyn) return m.wscaleOffered !== undefined && peer.wscaleOffered !== undefined ? m.wscaleOffered : 0;
  // Only our SYN-ACK is in the capture: it carries the option only if the peer's SYN did (RFC 7323 2.2).
  return m.passive || m.wscaleOffered === undefined ? (m.wscaleOffered ?? 0) : undefined;
}

/**
 * The right edge of the window `m` has offered (RCV.NXT + RCV.WND at its most generous), counting
 * the window of its SYN, which applies from the peer's ISS + 1 (RFC 9293 3.3.1, RFC 7323 2.2).
 */
export function offeredRightEdge(m: EndpointModel, peer: EndpointModel): Seq | undefined {
  const fromSyn = m.synWindow !== undefined && peer.iss !== undefined ? seqAdd(peer.iss, 1 + m.synWindow) : undefined;
  if (m.rightEdge === undefined) return fromSyn;
  return fromSyn === undefined ? m.rightEdge : seqMax(m.rightEdge, fromSyn);
}
