// Which packets an endpoint can send in which state (RFC 9293 3.10: the SEND, CLOSE and
// retransmission rules). Used to keep the inferred receive order consistent with what the endpoint
// itself sent next: a packet it could not have sent after processing something shows it had not
// processed it yet.
import { ACK, FIN, RST, SYN } from '../wire/segment.js';
import type { TcpState } from '../tcp/states.js';
import type { EndpointModel } from './endpoint.js';
import { finSeqOf, has } from './packet-facts.js';
import type { ObservedPacket } from './types.js';

const SENDS_DATA: ReadonlySet<TcpState> = new Set(['ESTABLISHED', 'CLOSE_WAIT', 'FIN_WAIT_1', 'CLOSING', 'LAST_ACK']);
const FIRST_FIN: ReadonlySet<TcpState> = new Set(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT']);
const FIN_AGAIN: ReadonlySet<TcpState> = new Set(['FIN_WAIT_1', 'CLOSING', 'LAST_ACK']);
const BEFORE_SYNC: ReadonlySet<TcpState> = new Set(['CLOSED', 'LISTEN', 'SYN_SENT']);

export function canSend(m: EndpointModel, p: ObservedPacket): boolean {
  if (has(p, RST)) return true;
  if (has(p, SYN)) return has(p, ACK) ? BEFORE_SYNC.has(m.state) || m.state === 'SYN_RECEIVED' : BEFORE_SYNC.has(m.state);
  if (has(p, FIN)) {
    const again = m.finSeq !== undefined && finSeqOf(p) === m.finSeq;
    return again ? FIN_AGAIN.has(m.state) : FIRST_FIN.has(m.state);
  }
  if (p.payloadLength > 0) return SENDS_DATA.has(m.state);
  return !BEFORE_SYNC.has(m.state);
}

/**
 * A copy of the model to try a delivery on (receive-model.ts). What the endpoint SENT is not changed by
 * receiving, so the history of its acknowledgments is shared, not copied: a copy per packet made replay
 * quadratic in the length of a connection.
 */
export function cloneModel(m: EndpointModel): EndpointModel {
  return { ...m, states: [...m.states], synTimes: [...m.synTimes] };
}
