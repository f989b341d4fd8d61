// What processing a packet from the peer does to an endpoint: RFC 9293 3.10.7 "SEGMENT ARRIVES",
// reduced to what changes the state (the engine's src/tcp/input.ts does the same steps in full).
// Called by the endpoint tracker once it has decided the packet was processed (see there).
import { ACK, FIN, RST, SYN } from '../wire/segment.js';
import { seqAdd, seqGt, seqLe, seqMax } from '../wire/seq.js';
import type { Profile } from '../tcp/profile.js';
import type { TcpEventType } from '../tcp/states.js';
import { acceptableSynSentAck, rstVerdict } from './acceptance.js';
import { hasOpened, type EndpointModel } from './endpoint.js';
import { has, isPureSyn } from './packet-facts.js';
import type { StepResult } from './transition.js';
import type { ObservedPacket } from './types.js';

export interface DeliveryContext {
  profile: Profile;
  /** Applies one statechart event to the endpoint (see transition.ts). */
  step(event: TcpEventType, options?: { unlisted?: boolean }): StepResult;
  /**
   * The endpoint's own acknowledgment covers this packet's sequence space: it took the packet in,
   * whatever a correct stack would have made of its other fields (those are the rules' business).
   */
  proven?: boolean;
  /**
   * The endpoint answered this packet's text with a RST: its socket was closed and new data resets
   * it (RFC 9293 3.10.7.4 seventh after CLOSE; Linux tcp_rcv_state_process, TCPAbortOnData). The ACK
   * is processed; the text and a FIN after it are not.
   */
  resetByText?: boolean;
}

/**
 * Receiving this packet would make the endpoint answer at once: a SYN-ACK to a SYN (3.10.7.2,
 * 3.10.7.3 fourth), an ACK to a SYN-ACK (3.10.7.3). Its receipt is believed only when that answer
 * is in the capture, never assumed.
 */
export function needsEvidence(m: EndpointModel, p: ObservedPacket): boolean {
  if (!has(p, SYN) || has(p, RST)) return false;
  if (m.state === 'CLOSED' && !hasOpened(m)) return !has(p, ACK);
  return m.state === 'SYN_SENT';
}

export function deliver(m: EndpointModel, p: ObservedPacket, ctx: DeliveryContext): void {
  switch (m.state) {
    case 'CLOSED':
      // An endpoint that never had a TCB and gets a SYN: a listener's child (3.10.7.2). The
      // listener's LISTEN belongs to the listening socket, so it is stepped through unlisted.
      if (!hasOpened(m) && isPureSyn(p)) {
        ctx.step('PASSIVE_OPEN', { unlisted: true });
        m.passive = true;
        takeSyn(m, p);
        ctx.step('RCV_SYN');
      }
      return;
    case 'LISTEN':
      if (isPureSyn(p)) {
        takeSyn(m, p);
        ctx.step('RCV_SYN');
      }
      return;
    case 'SYN_SENT':
      return synSent(m, p, ctx);
    case 'TIME_WAIT':
      return timeWait(m, p, ctx);
    default:
      return synchronized(m, p, ctx);
  }
}

/** The peer's SYN: RCV.NXT = IRS + 1 (RFC 9293 3.10.7.2-3). */
function takeSyn(m: EndpointModel, p: ObservedPacket): void {
  m.rcvNxt = seqAdd(p.segment.seq, 1);
}

/** RFC 9293 3.10.7.3. */
function synSent(m: EndpointModel, p: ObservedPacket, ctx: DeliveryContext): void {
  if (has(p, ACK) && !acceptableSynSentAck(m, p.segment.ack) && !ctx.proven) return; // answered with RST, dropped
  if (has(p, RST)) {
    if (rstVerdict(m, p, ctx.profile) === 'reset') ctx.step('RCV_RST');
    return;
  }
  if (!has(p, SYN)) return;
  takeSyn(m, p);
  ctx.step(has(p, ACK) ? 'RCV_SYN_ACK' : 'RCV_SYN');
}

/** RFC 9293 3.10.7.4 for SYN_RECEIVED and the synchronized states but TIME_WAIT. */
function synchronized(m: EndpointModel, p: ObservedPacket, ctx: DeliveryContext): void {
  const s = p.segment;
  // Simultaneous open: the peer's SYN-ACK answers ours; it is taken as the ACK of our SYN (figure 7).
  const crossedSynAck =
    m.state === 'SYN_RECEIVED' && !m.passive && has(p, SYN) && has(p, ACK) && !has(p, RST) && m.rcvNxt !== undefined && seqAdd(s.seq, 1) === m.rcvNxt;
  if (has(p, RST)) {
    if (rstVerdict(m, p, ctx.profile) === 'reset') ctx.step('RCV_RST');
    return;
  }
  // A repeated SYN is answered with the SYN-ACK again; any other SYN with a challenge ACK (RFC 5961 4).
  if (has(p, SYN) && !crossedSynAck) return;
  if (!has(p, ACK)) return; // 3.10.7.4 fifth: no ACK, drop
  // In (ISS, SND.MAX]; a midstream capture knows no ISS.
  const ackable = m.iss === undefined ? m.sndMax === undefined || seqLe(s.ack, m.sndMax) : acceptableSynSentAck(m, s.ack);
  if (m.state === 'SYN_RECEIVED') {
    if (!ackable && !ctx.proven) return; // answered with RST
    ctx.step('RCV_ACK_OF_SYN');
  }
  // An ACK of unsent data is dropped (Linux tcp_ack: TCP_ACK_UNSENT_DATA; RFC 9293: ACK and drop).
  if (!ackable && m.sndMax !== undefined && seqGt(s.ack, m.sndMax) && !ctx.proven) return;
  if (ackable && m.finSeq !== undefined && seqGt(s.ack, m.finSeq)) {
    if (m.state === 'FIN_WAIT_1' || m.state === 'CLOSING' || m.state === 'LAST_ACK') ctx.step('RCV_ACK_OF_FIN');
    if (m.state === 'CLOSED') return;
  }
  if (ctx.resetByText && p.payloadLength > 0) return;
  takeText(m, p);
  if (has(p, FIN)) m.peerFinSeq ??= seqAdd(s.seq, p.payloadLength);
  takeFin(m, ctx);
}

/** Seventh step: in-order text moves RCV.NXT (only states that still receive take it). */
function takeText(m: EndpointModel, p: ObservedPacket): void {
  if (p.payloadLength === 0 || m.rcvNxt === undefined) return;
  if (m.state !== 'ESTABLISHED' && m.state !== 'FIN_WAIT_1' && m.state !== 'FIN_WAIT_2') return;
  const end = seqAdd(p.segment.seq, p.payloadLength);
  if (seqLe(p.segment.seq, m.rcvNxt) && seqGt(end, m.rcvNxt)) m.rcvNxt = end;
}

/** Eighth step: the peer's FIN, once RCV.NXT has reached it. */
function takeFin(m: EndpointModel, ctx: DeliveryContext): void {
  if (m.peerFinProcessed || m.peerFinSeq === undefined || m.rcvNxt === undefined) return;
  if (seqGt(m.peerFinSeq, m.rcvNxt)) return; // data before it is missing
  m.peerFinProcessed = true;
  m.rcvNxt = seqMax(m.rcvNxt, seqAdd(m.peerFinSeq, 1));
  if (m.state === 'SYN_RECEIVED' || m.state === 'ESTABLISHED' || m.state === 'FIN_WAIT_1' || m.state === 'FIN_WAIT_2') {
    ctx.step('RCV_FIN');
  }
}

/** TIME_WAIT (Linux tcp_timewait_state_process): a repeated FIN restarts the timer; a RST at RCV.NXT ends it. */
function timeWait(m: EndpointModel, p: ObservedPacket, ctx: DeliveryContext): void {
  if (has(p, RST)) {
    if (rstVerdict(m, p, ctx.profile) === 'reset') ctx.step('RCV_RST');
    return;
  }
  if (has(p, FIN) && !has(p, SYN)) ctx.step('RCV_FIN'); // the self-loop: ACK again, restart 2MSL
}
