// Whether a receiver accepts a RST, from what it knows (RFC 9293 3.10.7.3 and 3.10.7.4 "second, check
// the RST bit", RFC 5961 3.2, Linux tcp_validate_incoming / tcp_reset_check / tcp_check_req and
// tcp_timewait_state_process). Shared by the receive model (state changes) and the RST rules.
import { ACK } from '../wire/segment.js';
import { seqAdd, seqDiff, seqGt, seqInRange, seqLe, type Seq } from '../wire/seq.js';
import type { Profile } from '../tcp/profile.js';
import type { EndpointModel } from './endpoint.js';
import { has } from './packet-facts.js';
import type { ObservedPacket } from './types.js';

/**
 * reset: the connection is reset. challenge: in the window but not at RCV.NXT, a challenge ACK is
 * due (RFC 5961 3.2). outside: outside the window, dropped. ignored: dropped by the state's rules
 * (a RST in SYN_SENT without an acceptable ACK, in TIME_WAIT not at RCV.NXT, or with no TCB).
 */
export type RstVerdict = 'reset' | 'challenge' | 'outside' | 'ignored';

/** The receive window [RCV.NXT, RCV.NXT + RCV.WND) as the endpoint announced it. */
export function receiveWindow(m: EndpointModel, rcvNxt: Seq): { lo: Seq; size: number } {
  const size = m.rightEdge === undefined ? 0 : Math.max(0, seqDiff(m.rightEdge, rcvNxt));
  return { lo: rcvNxt, size };
}

/** RFC 9293 3.10.7.4 acceptability of a zero-length segment at `seq`. */
export function inWindow(seq: Seq, window: { lo: Seq; size: number }): boolean {
  return window.size === 0 ? seq === window.lo : seqInRange(seq, window.lo, seqAdd(window.lo, window.size));
}

/** SYN_SENT accepts an ACK in (ISS, SND.NXT] (RFC 9293 3.10.7.3 first). */
export function acceptableSynSentAck(m: EndpointModel, ack: Seq): boolean {
  if (m.iss === undefined) return false;
  const sndMax = m.sndMax ?? seqAdd(m.iss, 1);
  return seqGt(ack, m.iss) && seqLe(ack, sndMax);
}

export function rstVerdict(m: EndpointModel, p: ObservedPacket, profile: Profile): RstVerdict {
  const seq = p.segment.seq;
  switch (m.state) {
    case 'CLOSED':
    case 'LISTEN':
      return 'ignored';
    case 'SYN_SENT':
      return has(p, ACK) && acceptableSynSentAck(m, p.segment.ack) ? 'reset' : 'ignored';
    case 'TIME_WAIT':
      // Linux kills TIME_WAIT only with a RST at exactly RCV.NXT (tcp_rfc1337 = 0).
      if (m.rcvNxt === undefined || seq === m.rcvNxt) return 'reset';
      if (profile.name !== 'linux' && inWindow(seq, receiveWindow(m, m.rcvNxt))) return 'challenge';
      return 'ignored';
    default: {
      if (m.rcvNxt === undefined || seq === m.rcvNxt) return 'reset';
      // Linux tcp_reset_check: RCV.NXT - 1 also resets once the peer's FIN was taken.
      if (profile.name === 'linux' && seq === seqAdd(m.rcvNxt, -1) && (m.state === 'CLOSE_WAIT' || m.state === 'CLOSING' || m.state === 'LAST_ACK')) {
        return 'reset';
      }
      if (!inWindow(seq, receiveWindow(m, m.rcvNxt))) return 'outside';
      // Linux tcp_check_req: a request socket is reset by any RST in its window.
      if (m.state === 'SYN_RECEIVED' && m.passive && profile.name === 'linux') return 'reset';
      return profile.challengeAcks ? 'challenge' : 'reset';
    }
  }
}
