// Port ownership: bind() conflicts and ephemeral port choice
// (Linux inet_csk_bind_conflict / inet_bind_conflict, __inet_hash_connect; RFC 6056).
import type { Profile } from './profile.js';
import type { TcpState } from './states.js';

/** What the bind rules need to know about a socket that already owns a port. */
export interface PortOwner {
  ip: string;
  port: number;
  /** SO_REUSEADDR of that socket (an accepted socket inherits its listener's). */
  reuseAddr: boolean;
  /** Its TCP state; a socket that is only bound is CLOSED. */
  state: TcpState;
}

export function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

export function addressesOverlap(a: string, b: string): boolean {
  return a === b || isWildcard(a) || isWildcard(b);
}

/**
 * Would binding (ip, port) with SO_REUSEADDR = reuseAddr conflict with `owner`?
 * linux: no conflict only when BOTH sockets set SO_REUSEADDR and the owner is not listening
 *   (inet_bind_conflict: `sk->sk_reuse && sk2->sk_reuse && sk2->sk_state != TCP_LISTEN`). This is
 *   why a server restarted over its own TIME_WAIT connections needs SO_REUSEADDR in the old
 *   process too: the TIME_WAIT socket keeps the flag the old listener had.
 * rfc9293 (BSD semantics, which most tutorials describe): SO_REUSEADDR on the new socket alone
 *   allows sharing a port with sockets that are not listening.
 */
export function bindConflict(
  profile: Profile,
  ip: string,
  port: number,
  reuseAddr: boolean,
  owner: PortOwner,
): boolean {
  if (owner.port !== port || !addressesOverlap(ip, owner.ip)) return false;
  if (owner.state === 'LISTEN') return true;
  if (profile.name === 'linux') return !(reuseAddr && owner.reuseAddr);
  return !reuseAddr;
}

/** True for 127.0.0.0/8 and ::1. */
export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1';
}
