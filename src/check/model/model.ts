// What the application should observe, kept apart from the engine: no sequence numbers, windows or
// timers, only the promises of a TCP connection to its programs (RFC 9293 3.1, 3.10): connect() to a
// listening port succeeds and to a closed one is refused; each side reads exactly the bytes the other
// sent, in order, each once; after the peer shuts down its sending side, reads end with end-of-file.
// Network faults change none of that, only when things happen.

export type Side = 'client' | 'server';

/** One direction of the byte stream. */
export interface StreamModel {
  /** Every byte the sender's program sent, in order. */
  sent: number[];
  /** How many of them the receiver's program has read. */
  read: number;
  /** The sender shut down its sending side (SHUT_WR): after the last byte comes end-of-file. */
  shut: boolean;
}

export interface AppModel {
  listening: boolean;
  connect: 'not yet' | 'ok' | 'refused';
  accepted: boolean;
  /** client -> server, and server -> client. */
  stream: Record<Side, StreamModel>;
}

export function initialModel(): AppModel {
  return { listening: false, connect: 'not yet', accepted: false, stream: { client: { sent: [], read: 0, shut: false }, server: { sent: [], read: 0, shut: false } } };
}

/** The side's socket is usable: the client once connected, the server once it accepted. */
export function connected(m: AppModel, side: Side): boolean {
  return m.connect === 'ok' && (side === 'client' || m.accepted);
}

export const peerOf = (side: Side): Side => (side === 'client' ? 'server' : 'client');
