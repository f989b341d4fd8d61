// The state change an endpoint's own packet is certain evidence of (RFC 9293 3.10: what each state
// sends). Pure: the endpoint tracker applies the events.
import { ACK, FIN, SYN } from '../wire/segment.js';
import { isSynchronized, type TcpEventType } from '../tcp/states.js';
import { hasOpened, type EndpointModel } from './endpoint.js';
import { has } from './packet-facts.js';
import type { ObservedPacket } from './types.js';

export interface OwnStep {
  event: TcpEventType;
  /** The passive side's LISTEN: stepped through, not listed (it is the listener's). */
  unlisted?: boolean;
  /** Take the peer's ISN from the SYN-ACK's ACK number first (its SYN is not in the capture). */
  peerIsnFromAck?: boolean;
}

/** The events sending `p` (not a RST) implies, or an impossibility to report. */
export function sendingSteps(m: EndpointModel, p: ObservedPacket): { steps: OwnStep[]; impossible?: string } {
  if (has(p, SYN)) {
    // RFC 9293 3.10.1 OPEN: CLOSED -> SYN_SENT. In SYN_SENT it is a retransmission.
    if (!has(p, ACK)) return { steps: m.state === 'CLOSED' && !hasOpened(m) ? [{ event: 'ACTIVE_OPEN' }] : [] };
    // A SYN-ACK whose SYN is not in the capture: the SYN was received all the same (3.10.7.2).
    if (m.state === 'CLOSED' && !hasOpened(m)) {
      return { steps: [{ event: 'PASSIVE_OPEN', unlisted: true }, { event: 'RCV_SYN', peerIsnFromAck: true }] };
    }
    if (m.state === 'SYN_SENT') return { steps: [{ event: 'RCV_SYN', peerIsnFromAck: true }] }; // simultaneous open
    return { steps: [] };
  }
  if (has(p, FIN) && m.finSeq === undefined) {
    // RFC 9293 3.10.4 CLOSE: ESTABLISHED / SYN_RECEIVED -> FIN_WAIT_1, CLOSE_WAIT -> LAST_ACK.
    if (m.state === 'ESTABLISHED' || m.state === 'SYN_RECEIVED' || m.state === 'CLOSE_WAIT') return { steps: [{ event: 'CLOSE' }] };
    if (!isSynchronized(m.state)) return { steps: [], impossible: `${m.name} sent a FIN in ${m.state}, where no CLOSE sends one` };
  }
  return { steps: [] };
}

/**
 * What a RST from a live, synchronized endpoint means: ABORT (3.10.5); or, from TIME_WAIT, a TCB
 * whose 2MSL ran out answering as "no socket" (3.10.7.1); from FIN_WAIT_2, a reply without ACK to a
 * segment without new data comes from an orphan that timed out (Linux tcp_fin_timeout), while new
 * data for a closed socket is reset by the live one (TCPAbortOnData: `answeredData`).
 */
export function resetEvent(m: EndpointModel, p: ObservedPacket, answeredData: boolean): TcpEventType {
  if (m.state === 'TIME_WAIT') return 'TIMEOUT_2MSL';
  if (m.state === 'FIN_WAIT_2' && !has(p, ACK) && !answeredData) return 'FIN_WAIT_2_TIMEOUT';
  return 'ABORT';
}
