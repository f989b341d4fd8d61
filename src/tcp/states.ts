// The eleven connection states of RFC 9293 section 3.3.2, and the events that move between them.
// The transitions themselves are defined once, in machine.ts (xstate), and compiled to a table in
// transitions.ts for the hot path.

export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN_SENT',
  'SYN_RECEIVED',
  'ESTABLISHED',
  'FIN_WAIT_1',
  'FIN_WAIT_2',
  'CLOSE_WAIT',
  'CLOSING',
  'LAST_ACK',
  'TIME_WAIT',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

/**
 * Events of the connection statechart.
 * User calls (RFC 9293 3.10.1-3.10.6): PASSIVE_OPEN, ACTIVE_OPEN, SEND, CLOSE, ABORT.
 * Segment arrivals (3.10.7): RCV_SYN, RCV_SYN_ACK, RCV_ACK_OF_SYN, RCV_FIN, RCV_ACK_OF_FIN, RCV_RST.
 * Timeouts (3.10.8, and Linux's orphaned FIN_WAIT_2 timer): TIMEOUT_2MSL, RETRANSMIT_GIVE_UP,
 * FIN_WAIT_2_TIMEOUT.
 */
export const TCP_EVENTS = [
  'PASSIVE_OPEN',
  'ACTIVE_OPEN',
  'SEND',
  'CLOSE',
  'ABORT',
  'RCV_SYN',
  'RCV_SYN_ACK',
  'RCV_ACK_OF_SYN',
  'RCV_FIN',
  'RCV_ACK_OF_FIN',
  'RCV_RST',
  'TIMEOUT_2MSL',
  'RETRANSMIT_GIVE_UP',
  'FIN_WAIT_2_TIMEOUT',
] as const;

export type TcpEventType = (typeof TCP_EVENTS)[number];

/** Synchronized states: a SYN has been seen in both directions (RFC 9293 3.5). */
export function isSynchronized(state: TcpState): boolean {
  return state !== 'CLOSED' && state !== 'LISTEN' && state !== 'SYN_SENT' && state !== 'SYN_RECEIVED';
}
