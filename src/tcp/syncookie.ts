// SYN cookies (RFC 4987 3.6; Linux net/ipv4/syncookies.c): when the SYN queue overflows, the
// listener keeps no state and encodes what it needs in the ISN of its SYN-ACK. The MSS is
// rounded down to one of four values (Linux msstab); window scale and SACK survive only when
// the peer sent timestamps, encoded in the low bits of our TSval (cookie_init_timestamp).
import { ACK, SYN, type Segment, type TcpOption } from '../wire/segment.js';
import { seqAdd } from '../wire/seq.js';
import type { Profile } from './profile.js';
import { initialReceiveWindow, windowScaleFor } from './window.js';

/** Linux msstab: the MSS values a cookie can carry. */
export const COOKIE_MSS_TABLE = [536, 1300, 1440, 1460] as const;

/** Cookies older than this many 64-second periods are rejected (Linux MAX_SYNCOOKIE_AGE = 2). */
const MAX_AGE = 2;
const PERIOD_US = 64_000_000;

export interface CookieTuple {
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

/** FNV-1a over the tuple, the host's secret and the time period: a stand-in for siphash. */
function cookieHash(t: CookieTuple, secret: number, period: number, peerIsn: number): number {
  let h = 0x811c9dc5 ^ secret;
  const text = `${t.srcIp}|${t.srcPort}|${t.dstIp}|${t.dstPort}|${period}|${peerIsn}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The index of the largest table MSS not above the peer's MSS. */
export function cookieMssIndex(peerMss: number): number {
  let index = 0;
  COOKIE_MSS_TABLE.forEach((mss, i) => {
    if (mss <= peerMss) index = i;
  });
  return index;
}

/** Our ISN for a cookie SYN-ACK answering a SYN with sequence number peerIsn. */
export function makeCookie(t: CookieTuple, secret: number, now: number, peerIsn: number, peerMss: number): number {
  const period = Math.floor(now / PERIOD_US);
  const h = cookieHash(t, secret, period, peerIsn);
  return ((h & ~3) | cookieMssIndex(peerMss)) >>> 0;
}

/**
 * Checks the ACK completing a cookie handshake: SEG.ACK - 1 must be a cookie we could have made
 * for this tuple recently. Returns the MSS it encodes, or undefined.
 */
export function checkCookie(t: CookieTuple, secret: number, now: number, segSeq: number, segAck: number): number | undefined {
  const cookie = seqAdd(segAck, -1);
  const peerIsn = seqAdd(segSeq, -1);
  const period = Math.floor(now / PERIOD_US);
  for (let age = 0; age <= MAX_AGE; age++) {
    const h = cookieHash(t, secret, period - age, peerIsn);
    if (((h & ~3) >>> 0) === ((cookie & ~3) >>> 0)) return COOKIE_MSS_TABLE[cookie & 3];
  }
  return undefined;
}

/** Linux cookie_init_timestamp: options the cookie keeps, in the low 6 bits of TSval. */
export function encodeCookieOptions(tsVal: number, wscale: number | undefined, sack: boolean): number {
  const bits = (wscale === undefined ? 0xf : wscale & 0xf) | (sack ? 0x10 : 0);
  return ((tsVal & ~0x3f) | bits) >>> 0;
}

export function decodeCookieOptions(tsEcr: number): { wscale: number | undefined; sack: boolean } {
  const ws = tsEcr & 0xf;
  return { wscale: ws === 0xf ? undefined : ws, sack: (tsEcr & 0x10) !== 0 };
}

export interface CookieSynAckInput {
  profile: Profile;
  /** The MSS this host advertises (MTU - 40). */
  advertisedMss: number;
  localPort: number;
  remotePort: number;
  /** The SYN being answered. */
  syn: Segment;
  /** Our ISN: makeCookie's value. */
  cookie: number;
  /** The offset of our TSval clock towards this peer (timestampOffset). */
  tsOffset: number;
  now: number;
}

const NO_PAYLOAD = new Uint8Array(0);

/**
 * The SYN-ACK of a cookie handshake, built from the SYN alone (no connection: the listener keeps no state).
 * It is the SYN-ACK a listener's child would send (Connection.acceptSyn: synOptions, an unscaled window of
 * the initial receive window), with the cookie's options in the low bits of TSval (cookie_init_timestamp);
 * without timestamps a cookie cannot carry window scale or SACK, so only MSS is offered.
 */
export function cookieSynAck(x: CookieSynAckInput): Segment {
  const p = x.profile;
  let wsShift: number | undefined; // the first window scale option, as cookie_init_timestamp sees it
  let peerWs = false;
  let peerTsVal: number | undefined;
  let peerSack = false;
  for (const o of x.syn.options) {
    if (o.kind === 'windowScale') {
      if (!peerWs) wsShift = o.shift;
      peerWs = true;
    } else if (o.kind === 'timestamps') peerTsVal = o.tsVal;
    else if (o.kind === 'sackPermitted') peerSack = true;
  }
  // What the handshake negotiates (takeSynOptions): each option only if this profile has it too.
  const tsOk = p.timestamps && peerTsVal !== undefined;
  const sackOk = p.sack && peerSack;
  const wsOk = p.windowScaling && peerWs;
  const options: TcpOption[] = [{ kind: 'mss', mss: x.advertisedMss }];
  if (tsOk) {
    // synOptions' order (tcp_options_write): MSS, SACK-permitted or two NOPs, timestamps, NOP + window scale.
    if (sackOk) options.push({ kind: 'sackPermitted' });
    else options.push({ kind: 'nop' }, { kind: 'nop' });
    const tsVal = (Math.floor(x.now / 1000) + x.tsOffset) >>> 0;
    options.push({ kind: 'timestamps', tsVal: encodeCookieOptions(tsVal, wsShift, peerSack), tsEcr: peerTsVal as number });
    if (wsOk) options.push({ kind: 'nop' }, { kind: 'windowScale', shift: windowScaleFor(p) });
  }
  // The window a fresh child offers in its SYN-ACK (Connection.receiveWindow with nothing received):
  // the initial window, or 0 if less than a segment is free (receiver silly-window avoidance).
  const rcvMss = x.advertisedMss - (tsOk ? 12 : 0);
  const target = initialReceiveWindow(p, rcvMss);
  let free = Math.min(Math.max(0, p.receiveBuffer), target);
  if (free < Math.min(Math.floor(target / 2), rcvMss)) free = 0;
  return {
    srcPort: x.localPort,
    dstPort: x.remotePort,
    seq: x.cookie,
    ack: seqAdd(x.syn.seq, 1),
    flags: SYN | ACK,
    window: Math.min(65535, free),
    urgentPointer: 0,
    options,
    payload: NO_PAYLOAD,
  };
}
