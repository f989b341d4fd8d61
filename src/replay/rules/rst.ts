// Resets (RFC 9293 3.10.7.3 and 3.10.7.4 "second, check the RST bit"; RFC 5961 3.2). Judged from
// what the receiver has acknowledged: its RCV.NXT is at least its last ACK, and at most what the
// RST's sender has sent.
import { ACK, RST } from '../../wire/segment.js';
import { seqAdd, seqInRange, seqLe, type Seq } from '../../wire/seq.js';
import { acceptableSynSentAck } from '../acceptance.js';
import type { EndpointModel } from '../endpoint.js';
import { has } from '../packet-facts.js';
import type { ExpectationRule, PacketRule, RuleContext } from './types.js';

/** RFC 5961 7 / Linux tcp_challenge_ack_limit: at most one challenge ACK per 500 ms per socket. */
const CHALLENGE_ACK_INTERVAL = 500_000;

/** The receiver holds a synchronized connection the RST could reset (not TIME_WAIT: see acceptance.ts). */
function synchronizedReceiver(r: Readonly<EndpointModel>): boolean {
  return r.lastAck !== undefined && r.state !== 'CLOSED' && r.state !== 'TIME_WAIT' && r.state !== 'SYN_SENT' && !r.abortedByOwnReset;
}

interface RstPosition {
  /** RCV.NXT for certain: what the receiver acknowledged. */
  lo: Seq;
  /** Could be exactly RCV.NXT, given what arrived of the sender's data. */
  plausiblyExact: boolean;
  inWindow: boolean;
}

function position(ctx: RuleContext): RstPosition | undefined {
  const { packet, sender, receiver, receiverRightEdge, profile } = ctx;
  const lo = receiver.rcvNxt ?? receiver.lastAck;
  if (lo === undefined || receiverRightEdge === undefined) return undefined;
  const seq = packet.segment.seq;
  const hi = sender.sndMax ?? lo;
  // Linux tcp_reset_check: after the peer's FIN, RCV.NXT - 1 resets too.
  const resetCheck = profile.name === 'linux' && sender.finSeq !== undefined && seq === seqAdd(lo, -1);
  const plausiblyExact = (seqLe(lo, seq) && seqLe(seq, hi)) || resetCheck;
  const inWindow = receiverRightEdge === lo ? seq === lo : seqInRange(seq, lo, receiverRightEdge);
  return { lo, plausiblyExact, inWindow };
}

/**
 * rst-out-of-window: a RST outside the receiver's window. The receiver must ignore it: its state
 * does not change (RFC 9293 3.10.7.4 second; RFC 5961 3.2 "silently drop"). Not raised for a RST
 * whose sequence number is an acknowledgment the receiver sent: that is a correct reply
 * (<SEQ=SEG.ACK>, 3.10.7.1) that went stale while the receiver moved on.
 */
export const rstOutOfWindow: PacketRule = {
  id: 'rst-out-of-window',
  check(ctx) {
    if (!has(ctx.packet, RST) || !synchronizedReceiver(ctx.receiver)) return undefined;
    const pos = position(ctx);
    if (!pos || pos.plausiblyExact || pos.inWindow) return undefined;
    // A reply to one of the receiver's own segments (<SEQ=SEG.ACK>) gone stale on the way is a correct
    // stack's RST; the receiver drops it all the same.
    if (ctx.receiver.acksSent.has(ctx.packet.segment.seq)) return undefined;
    return {
      rule: 'rst-out-of-window',
      detail: `RST seq ${ctx.packet.segment.seq} outside ${ctx.receiver.name}'s window [${pos.lo}, ${ctx.receiverRightEdge}): ignored`,
    };
  },
};

/**
 * rst-unacceptable-ack: a RST to a SYN_SENT endpoint without ACK = ISS + 1. Only a RST acknowledging
 * the SYN refuses the connection; any other is dropped (RFC 9293 3.10.7.3; the reply to a SYN is
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, 3.10.7.1).
 */
export const rstUnacceptableAck: PacketRule = {
  id: 'rst-unacceptable-ack',
  check({ packet, receiver }) {
    if (!has(packet, RST) || receiver.passive || !receiver.sentSyn || receiver.lastAck !== undefined) return undefined;
    if (receiver.state !== 'SYN_SENT') return undefined;
    if (has(packet, ACK) && acceptableSynSentAck(receiver as EndpointModel, packet.segment.ack)) return undefined;
    const why = has(packet, ACK) ? `ACK ${packet.segment.ack}` : 'no ACK';
    return { rule: 'rst-unacceptable-ack', detail: `RST with ${why} to ${receiver.name} in SYN_SENT (ISS ${receiver.iss}): ignored` };
  },
};

/**
 * rst-not-exact: a RST inside the window but not at RCV.NXT. The receiver must not reset; it owes a
 * challenge ACK (RFC 5961 3.2, adopted by RFC 9293 3.10.7.4; Linux tcp_send_challenge_ack), and the
 * sender, if genuine, answers that with an exact RST. Raised only when the capture shows no
 * challenge ACK: the receiver sent no ACK afterwards (and none was sent in the 500 ms before, which
 * the Linux rate limit would have counted).
 */
export const rstNotExact: ExpectationRule = {
  id: 'rst-not-exact',
  expect(ctx) {
    const { packet, receiver, profile } = ctx;
    if (!has(packet, RST) || !synchronizedReceiver(receiver)) return undefined;
    if (receiver.state === 'SYN_RECEIVED' && receiver.passive && profile.name === 'linux') return undefined; // tcp_check_req resets
    if (!profile.challengeAcks) return undefined;
    const pos = position(ctx);
    if (!pos || pos.plausiblyExact || !pos.inWindow) return undefined;
    const limited = profile.name === 'linux' && receiver.lastPureAckTime !== undefined && packet.t - receiver.lastPureAckTime < CHALLENGE_ACK_INTERVAL;
    if (limited) return undefined;
    return {
      finding: {
        rule: 'rst-not-exact',
        detail: `RST seq ${packet.segment.seq} in ${receiver.name}'s window but not at RCV.NXT ${pos.lo}, and no challenge ACK followed`,
      },
      packet,
      from: receiver.name,
      met: (p) => has(p, ACK) && !has(p, RST),
    };
  },
};
