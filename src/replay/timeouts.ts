// State changes no packet announces, inferred from time passing in the capture:
// - TIME_WAIT ends after the profile's timeWaitLength (RFC 9293 3.10.8 "Timeout=2MSL"; Linux
//   TCP_TIMEWAIT_LEN, a fixed 60 s);
// - a handshake whose SYN or SYN-ACK stopped being retransmitted was given up (RFC 9293 3.8.3 R2;
//   Linux tcp_write_timeout for a SYN, reqsk_timer_handler for a SYN-ACK). Retransmissions back off
//   at most by doubling (RFC 6298 5.5), so one not seen by twice the last gap will never come; the
//   give-up happens when that retransmission would have been due. A real kernel's timers run a little
//   late (docs/linux-vs-rfc.md), so the endpoint tracker takes the give-up back if the retransmission
//   shows up after all.
import type { Profile } from '../tcp/profile.js';
import type { EndpointModel } from './endpoint.js';

export function timeWaitOver(m: EndpointModel, t: number, profile: Profile): boolean {
  return m.state === 'TIME_WAIT' && m.timeWaitSince !== undefined && t >= m.timeWaitSince + profile.timeWaitLength;
}

/**
 * When the next SYN (SYN-ACK) retransmission would be due at the latest, or undefined if not
 * retransmitting: twice the longest gap so far (the timer doubles; a SYN-ACK sent to answer a
 * repeated SYN only pushes the timer out, Linux inet_rtx_syn_ack), never less than twice the initial RTO.
 */
export function nextHandshakeRetransmission(m: EndpointModel, profile: Profile): number | undefined {
  const retransmitting = m.state === 'SYN_SENT' || (m.state === 'SYN_RECEIVED' && m.passive);
  const n = m.synTimes.length;
  if (!retransmitting || n === 0) return undefined;
  let gap = profile.initialRto;
  for (let i = 1; i < n; i++) gap = Math.max(gap, m.synTimes[i]! - m.synTimes[i - 1]!);
  return m.synTimes[n - 1]! + 2 * gap;
}

/** True once the capture has gone past the latest time the next retransmission could have been sent. */
export function handshakeGiveUpDue(m: EndpointModel, t: number, profile: Profile): boolean {
  const due = nextHandshakeRetransmission(m, profile);
  return due !== undefined && t > due;
}

/** Beyond this, a packet that has not shown its effect is taken as lost; never less than 200 ms. */
const MIN_ARRIVAL_HORIZON = 200_000;

/**
 * How long after it was sent a packet has surely arrived, if it arrives at all: four round trips
 * (the handshake's, as captured: SYN out, ACK of the SYN-ACK out), never less than 200 ms (Linux's
 * smallest RTO, TCP_RTO_MIN: a sender retransmits no sooner).
 */
export function arrivalHorizon(roundTrip: number | undefined): number {
  return Math.max(MIN_ARRIVAL_HORIZON, 4 * (roundTrip ?? 0));
}
