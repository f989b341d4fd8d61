// Initial sequence numbers and timestamp offsets: a keyed hash of the addresses plus a clock, so a
// new connection on the same 4-tuple starts above an old one unless that one sent more bytes than the
// clock moved (RFC 9293 3.4.1, RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport, key)).
import type { Seq } from '../wire/seq.js';
import type { Endpoint } from './tcb.js';
import type { Profile } from './profile.js';

/** FNV-1a over the text, seeded with the secret, then a 32-bit finaliser (lowbias32). */
export function keyedHash(secret: number, text: string): number {
  let h = (0x811c9dc5 ^ secret) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * The ISN for a connection at time `now` (microseconds).
 * linux (secure_tcp_seq): the hash plus ktime_get_real_ns() >> 6, a clock ticking every 64 ns.
 * rfc9293 (3.4.1): the hash plus M, "a 4 microsecond timer".
 */
export function initialSequenceNumber(profile: Profile, secret: number, local: Endpoint, remote: Endpoint, now: number): Seq {
  const f = keyedHash(secret, `${local.ip}:${local.port}>${remote.ip}:${remote.port}`);
  const m = profile.name === 'linux' ? Math.floor((now * 1000) / 64) : Math.floor(now / 4);
  return (f + m) >>> 0;
}

/**
 * The offset added to the millisecond clock in TSval (Linux secure_tcp_ts_off): one per pair of
 * addresses, not per connection, so TSval keeps growing across connections between two hosts.
 */
export function timestampOffset(secret: number, localIp: string, remoteIp: string): number {
  return keyedHash(secret ^ 0x5bd1e995, `${localIp}>${remoteIp}`);
}
