// Types shared by the connection modules: endpoints, what a connection reports, what it sends.
import type { Segment } from '../wire/segment.js';
import type { TimerName } from './timer-names.js';
import type { Errno } from './errno.js';
import type { TcpEventType, TcpState } from './states.js';

/** Never changed in place: a socket and its connection may share one. */
export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/** A segment the connection wants on the wire, with what the trace should say about it. */
export interface Outgoing {
  segment: Segment;
  /** The sequence range was sent before (or it is a repeated SYN/SYN-ACK). */
  retransmit: boolean;
  note?: string;
}

/** What a connection reports to its owner, in order. */
export type ConnectionEvent =
  | { kind: 'state'; from: TcpState; to: TcpState; cause: TcpEventType }
  | { kind: 'timer'; timer: TimerName; action: 'set' | 'fired' | 'cancelled'; deadline?: number }
  | { kind: 'error'; errno: Errno };
