// Which connection a state line is about, when its host has several: ":80 LISTEN",
// ":80<-:40001 SYN_RECEIVED" (accepted from port 40001), ":40001->:80" (opened towards port 80).
import type { TraceEvent, TraceHost } from '../sim/trace.js';
import { endpointAddress, endpointPort } from './endpoint.js';
import { addressName, hostName } from './hosts.js';

export interface SocketRef {
  host: string;
  endpoint: string;
  peer?: string;
  socket?: number;
}

/**
 * Returns a function giving the prefix for a socket's lines: "" when its host has a single socket in the
 * trace, else ":port" plus "<-" (passively opened) or "->" (actively opened) and the peer's port. The peer
 * host is named only when it is not `counterpart` (the host on the other lifeline).
 */
export function socketLabeler(
  hosts: readonly TraceHost[],
  events: readonly TraceEvent[],
): (ref: SocketRef, counterpart: TraceHost) => string {
  const sockets = new Map<string, Set<number>>();
  const passive = new Set<string>();
  for (const ev of events) {
    if (ev.kind !== 'state') continue;
    const host = hostName(hosts, ev.host);
    const seen = sockets.get(host) ?? new Set<number>();
    const id = `${host}#${ev.socket}`;
    // Passive: it listened, or it was born in SYN_RECEIVED (a child of a listener).
    if (ev.from === 'LISTEN' || ev.to === 'LISTEN' || (!seen.has(ev.socket) && ev.to === 'SYN_RECEIVED')) {
      passive.add(id);
    }
    seen.add(ev.socket);
    sockets.set(host, seen);
  }
  return (ref, counterpart) => {
    const host = hostName(hosts, ref.host);
    if ((sockets.get(host)?.size ?? 0) <= 1) return '';
    const local = `:${endpointPort(ref.endpoint) ?? ref.endpoint}`;
    if (ref.peer === undefined) return local;
    const peerAddress = endpointAddress(ref.peer);
    const peerHost = peerAddress === counterpart.address ? '' : addressName(hosts, peerAddress);
    const peerPort = endpointPort(ref.peer);
    const peer = peerPort === undefined ? addressName(hosts, peerAddress) : `${peerHost}:${peerPort}`;
    const arrow = passive.has(`${host}#${ref.socket}`) ? '<-' : '->';
    return `${local}${arrow}${peer}`;
  };
}
