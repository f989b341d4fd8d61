// Test fixtures for the sans-IO Connection (smoltcp style): each builds a Connection in a given
// state by feeding it the segments a peer would send, then hands back a Harness that plays the
// peer. No World, no event queue: the test moves the clock itself.
//
// Numbers used throughout: we are 10.0.0.1:40000 with ISS 1000, the peer is 10.0.0.2:80 with
// ISS 5000, the peer's SYN-ACK (or our SYN-ACK's ACK) arrives one RTT (100 ms) after our SYN.
import { Connection } from '../../src/tcp/connection.js';
import type { Errno } from '../../src/tcp/errno.js';
import { LINUX, type Profile } from '../../src/tcp/profile.js';
import type { Rng } from '../../src/tcp/rng.js';
import { TcpStack, type TcpSocket } from '../../src/tcp/stack.js';
import type { TcpState } from '../../src/tcp/states.js';
import type { ConnectionEvent } from '../../src/tcp/tcb.js';
import { ACK, FIN, RST, SYN, makeSegment, type Segment, type TcpOption } from '../../src/wire/segment.js';
import { seqAdd, type Seq } from '../../src/wire/seq.js';

export const MS = 1000;
export const S = 1_000_000;

export const LOCAL = { ip: '10.0.0.1', port: 40000 } as const;
export const REMOTE = { ip: '10.0.0.2', port: 80 } as const;
/** Our initial sequence number. */
export const ISS = 1000;
/** The peer's initial sequence number (our IRS). */
export const PEER_ISS = 5000;
/** Round trip of the fixtures' handshakes. */
export const RTT = 100 * MS;
/** Ethernet: MTU 1500 - 40. */
export const MSS = 1460;

export { ACK, FIN, RST, SYN };

export interface FixtureOptions {
  profile?: Profile;
  /** The peer offers (and then sends) RFC 7323 timestamps. Off by default. */
  timestamps?: boolean;
  /** The peer's MSS option. */
  peerMss?: number;
  /** The peer's window field (unscaled; the fixtures' peer does not offer window scaling). */
  peerWindow?: number;
  nodelay?: boolean;
}

/** A deterministic stand-in for the simulator's PRNG. */
export function counterRng(start = 0x1234): Rng {
  let n = start;
  return {
    u32: () => {
      n = (Math.imul(n, 1103515245) + 12345) >>> 0;
      return n;
    },
  };
}

export interface Sent {
  t: number;
  seg: Segment;
  retransmit: boolean;
  note?: string;
}

/** Plays the peer of one Connection and records everything the connection does. */
export class Harness {
  now = 0;
  /** The peer's SND.NXT: where its next segment starts. */
  peerNxt: Seq = PEER_ISS;
  peerWindow: number;
  readonly peerTimestamps: boolean;
  /** Every segment the connection sent since the last clear(). */
  sent: Sent[] = [];
  /** Every event the connection reported since the last clear(). */
  log: Array<ConnectionEvent & { t: number }> = [];

  constructor(
    readonly c: Connection,
    opts: FixtureOptions,
  ) {
    this.peerWindow = opts.peerWindow ?? 65535;
    this.peerTimestamps = opts.timestamps ?? false;
  }

  get state(): TcpState {
    return this.c.state;
  }

  /** Collects output and events after a step; returns the segments this step produced. */
  collect(): Segment[] {
    const out = this.c.takeOutput().map((o) => ({ t: this.now, seg: o.segment, retransmit: o.retransmit, ...(o.note ? { note: o.note } : {}) }));
    this.sent.push(...out);
    for (const ev of this.c.takeEvents()) this.log.push({ ...ev, t: this.now });
    return out.map((o) => o.seg);
  }

  /** Forgets what was recorded so far (fixtures call this once the state is reached). */
  clear(): void {
    this.collect();
    this.sent = [];
    this.log = [];
  }

  peerOptions(): TcpOption[] {
    if (!this.peerTimestamps) return [];
    return [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsVal: 900_000 + Math.floor(this.now / MS), tsEcr: 0 }];
  }

  /** A segment from the peer; defaults: seq = peer's SND.NXT, ack = our SND.NXT, ACK flag. */
  seg(fields: Partial<Segment> = {}): Segment {
    return makeSegment({
      srcPort: REMOTE.port,
      dstPort: LOCAL.port,
      seq: this.peerNxt,
      ack: this.c.sndNxt,
      flags: ACK,
      window: this.peerWindow,
      options: this.peerOptions(),
      ...fields,
    });
  }

  /** Delivers a segment (built from `fields`) at time `at` (default: now). */
  deliver(fields: Partial<Segment> = {}, at?: number): Segment[] {
    if (at !== undefined) this.now = at;
    this.c.handleSegment(this.now, this.seg(fields));
    return this.collect();
  }

  /** The peer sends `n` bytes (or the bytes given) at its SND.NXT and advances it. */
  data(payload: number | Uint8Array, fields: Partial<Segment> = {}, at?: number): Segment[] {
    const bytes = typeof payload === 'number' ? fill(payload, this.peerNxt) : payload;
    const out = this.deliver({ payload: bytes, ...fields }, at);
    this.peerNxt = seqAdd(this.peerNxt, bytes.length + ((fields.flags ?? ACK) & FIN ? 1 : 0));
    return out;
  }

  /** The peer's FIN|ACK at its SND.NXT (acknowledging `ack`, default all we sent). */
  fin(fields: Partial<Segment> = {}, at?: number): Segment[] {
    const out = this.deliver({ flags: FIN | ACK, ...fields }, at);
    this.peerNxt = seqAdd(this.peerNxt, 1);
    return out;
  }

  /** The peer acknowledges everything we have sent. */
  ackAll(fields: Partial<Segment> = {}, at?: number): Segment[] {
    return this.deliver({ ack: this.c.sndMax, ...fields }, at);
  }

  /** Our user calls, at the harness clock. */
  send(bytes: number | Uint8Array, at?: number): Segment[] {
    if (at !== undefined) this.now = at;
    this.c.send(this.now, typeof bytes === 'number' ? fill(bytes, 0) : bytes);
    return this.collect();
  }

  read(max: number, at?: number): Uint8Array {
    if (at !== undefined) this.now = at;
    const data = this.c.read(this.now, max);
    this.collect();
    return data;
  }

  closeWrite(at?: number): Segment[] {
    if (at !== undefined) this.now = at;
    this.c.closeWrite(this.now);
    return this.collect();
  }

  /** Fires every timer due up to `to`, in deadline order, and leaves the clock at `to`. */
  advance(to: number): Sent[] {
    const from = this.sent.length;
    for (let guard = 0; guard < 10_000; guard++) {
      const due = this.c.pollTimeout();
      if (due === undefined || due > to) break;
      this.now = Math.max(this.now, due);
      this.c.handleTimeout(this.now);
      this.collect();
    }
    this.now = Math.max(this.now, to);
    return this.sent.slice(from);
  }

  /** Errors the connection reported since the last clear(). */
  errors(): Errno[] {
    return this.log.flatMap((e) => (e.kind === 'error' ? [e.errno] : []));
  }

  /** States entered since the last clear(). */
  states(): TcpState[] {
    return this.log.flatMap((e) => (e.kind === 'state' ? [e.to] : []));
  }
}

/** Recognisable payload bytes: byte i is (seed + i) mod 256. */
export function fill(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed + i) & 0xff;
  return b;
}

function newConnection(opts: FixtureOptions): Connection {
  return new Connection({
    profile: opts.profile ?? LINUX,
    rng: counterRng(),
    local: { ...LOCAL },
    remote: { ...REMOTE },
    advertisedMss: MSS,
    iss: ISS,
    nodelay: opts.nodelay ?? false,
  });
}

function synOptions(opts: FixtureOptions, now: number): TcpOption[] {
  const o: TcpOption[] = [{ kind: 'mss', mss: opts.peerMss ?? MSS }];
  if (opts.timestamps) o.push({ kind: 'sackPermitted' }, { kind: 'timestamps', tsVal: 900_000 + Math.floor(now / MS), tsEcr: 0 });
  return o;
}

function expectState(h: Harness, state: TcpState, fixture: string): Harness {
  if (h.state !== state) throw new Error(`${fixture}: expected ${state}, the connection is in ${h.state}`);
  h.clear();
  return h;
}

/** A fresh connection in CLOSED (nothing called yet). */
export function connectionClosed(opts: FixtureOptions = {}): Harness {
  const h = new Harness(newConnection(opts), opts);
  return expectState(h, 'CLOSED', 'connectionClosed');
}

/** connect(): our SYN is out (sent at t=0). */
export function connectionSynSent(opts: FixtureOptions = {}): Harness {
  const h = new Harness(newConnection(opts), opts);
  h.c.open(0);
  return expectState(h, 'SYN_SENT', 'connectionSynSent');
}

/** Active open completed: the peer's SYN-ACK arrived at t = RTT and we ACKed it. */
export function connectionEstablished(opts: FixtureOptions = {}): Harness {
  const h = connectionSynSent(opts);
  h.now = RTT;
  h.c.handleSegment(h.now, h.seg({ seq: PEER_ISS, ack: seqAdd(ISS, 1), flags: SYN | ACK, options: synOptions(opts, h.now) }));
  h.peerNxt = seqAdd(PEER_ISS, 1);
  return expectState(h, 'ESTABLISHED', 'connectionEstablished');
}

/** A listener's child: the peer's SYN arrived at t=0 and our SYN-ACK is out. */
export function connectionSynReceived(opts: FixtureOptions = {}): Harness {
  const h = new Harness(newConnection(opts), opts);
  h.c.acceptSyn(0, h.seg({ seq: PEER_ISS, ack: 0, flags: SYN, options: synOptions(opts, 0) }));
  h.peerNxt = seqAdd(PEER_ISS, 1);
  return expectState(h, 'SYN_RECEIVED', 'connectionSynReceived');
}

/** Simultaneous open: our SYN is out and the peer's own SYN (no ACK) arrived at t = RTT / 2. */
export function connectionSynReceivedActive(opts: FixtureOptions = {}): Harness {
  const h = connectionSynSent(opts);
  h.now = RTT / 2;
  h.c.handleSegment(h.now, h.seg({ seq: PEER_ISS, ack: 0, flags: SYN, options: synOptions(opts, h.now) }));
  h.peerNxt = seqAdd(PEER_ISS, 1);
  return expectState(h, 'SYN_RECEIVED', 'connectionSynReceivedActive');
}

/** ESTABLISHED, then close(): our FIN (seq ISS+1) is out at t = 2 RTT, not yet acknowledged. */
export function connectionFinWait1(opts: FixtureOptions = {}): Harness {
  const h = connectionEstablished(opts);
  h.closeWrite(2 * RTT);
  return expectState(h, 'FIN_WAIT_1', 'connectionFinWait1');
}

/** FIN_WAIT_1, then the peer ACKed our FIN at t = 3 RTT. The socket is still open (not orphaned). */
export function connectionFinWait2(opts: FixtureOptions = {}): Harness {
  const h = connectionFinWait1(opts);
  h.ackAll({}, 3 * RTT);
  return expectState(h, 'FIN_WAIT_2', 'connectionFinWait2');
}

/** FIN_WAIT_1, then the peer's FIN crossed ours (it does not acknowledge our FIN): CLOSING at 3 RTT. */
export function connectionClosing(opts: FixtureOptions = {}): Harness {
  const h = connectionFinWait1(opts);
  h.fin({ ack: seqAdd(ISS, 1) }, 3 * RTT);
  return expectState(h, 'CLOSING', 'connectionClosing');
}

/** FIN_WAIT_2, then the peer's FIN at t = 4 RTT: TIME_WAIT. */
export function connectionTimeWait(opts: FixtureOptions = {}): Harness {
  const h = connectionFinWait2(opts);
  h.fin({}, 4 * RTT);
  return expectState(h, 'TIME_WAIT', 'connectionTimeWait');
}

/** ESTABLISHED, then the peer's FIN at t = 2 RTT: CLOSE_WAIT, our (possibly delayed) ACK of it sent by 3 RTT. */
export function connectionCloseWait(opts: FixtureOptions = {}): Harness {
  const h = connectionEstablished(opts);
  h.fin({}, 2 * RTT);
  h.advance(3 * RTT);
  return expectState(h, 'CLOSE_WAIT', 'connectionCloseWait');
}

/** CLOSE_WAIT, then close() at t = 3 RTT: our FIN is out, LAST_ACK. */
export function connectionLastAck(opts: FixtureOptions = {}): Harness {
  const h = connectionCloseWait(opts);
  h.closeWrite();
  return expectState(h, 'LAST_ACK', 'connectionLastAck');
}

/** Sequence number helpers for expectations. */
export const seq = (base: Seq, n: number): Seq => seqAdd(base, n);

/** Flags of a segment as a sorted readable string, e.g. "ACK|FIN". */
export function flagsOf(s: Segment): string {
  const names: string[] = [];
  if (s.flags & SYN) names.push('SYN');
  if (s.flags & RST) names.push('RST');
  if (s.flags & FIN) names.push('FIN');
  if (s.flags & ACK) names.push('ACK');
  return names.join('|');
}

// ---------------------------------------------------------------------------------------------
// Stack fixtures: TcpStacks joined by a zero-latency wire, and a hand-made peer (sans-IO, no World).

export const CLIENT_IP = '10.0.0.1';
export const SERVER_IP = '10.0.0.2';

export interface WireSegment {
  t: number;
  src: string;
  dst: string;
  seg: Segment;
  retransmit: boolean;
  note?: string;
  /** Not delivered (dropped by the test's filter or addressed to no stack). */
  dropped: boolean;
}

/** Hosts whose TcpStacks exchange segments instantly; the test moves the clock. */
export class Wire {
  now = 0;
  readonly stacks = new Map<string, TcpStack>();
  /** Every segment any stack sent, in order. */
  log: WireSegment[] = [];
  /** Segments for which this returns true are dropped instead of delivered. */
  drop: (w: WireSegment) => boolean = () => false;

  constructor(hosts: Array<{ ip: string; profile?: Profile }>) {
    let seed = 7;
    for (const h of hosts) {
      this.stacks.set(h.ip, new TcpStack({ addresses: [h.ip], profile: h.profile ?? LINUX, rng: counterRng(seed++ * 7919), mtu: 1500 }));
    }
  }

  stack(ip: string): TcpStack {
    const s = this.stacks.get(ip);
    if (!s) throw new Error(`no stack at ${ip}`);
    return s;
  }

  /** Delivers everything the stacks sent, until nothing more is sent. Returns the new wire log entries. */
  pump(): WireSegment[] {
    const from = this.log.length;
    for (let guard = 0; guard < 10_000; guard++) {
      let moved = false;
      for (const stack of this.stacks.values()) {
        for (const out of stack.takeOutput()) {
          moved = true;
          const w: WireSegment = { t: this.now, src: out.src, dst: out.dst, seg: out.segment, retransmit: out.retransmit, ...(out.note ? { note: out.note } : {}), dropped: false };
          const to = this.stacks.get(out.dst);
          w.dropped = !to || this.drop(w);
          this.log.push(w);
          if (!w.dropped) to!.receive(this.now, out.src, out.dst, out.segment);
        }
      }
      if (!moved) break;
    }
    for (const s of this.stacks.values()) s.takeEvents();
    return this.log.slice(from);
  }

  /** Fires every due timer of every stack, in time order, up to `to`; delivers what they send. */
  advance(to: number): WireSegment[] {
    const from = this.log.length;
    this.pump();
    for (let guard = 0; guard < 100_000; guard++) {
      let next: number | undefined;
      for (const s of this.stacks.values()) {
        const due = s.pollTimeout();
        if (due !== undefined && (next === undefined || due < next)) next = due;
      }
      if (next === undefined || next > to) break;
      this.now = Math.max(this.now, next);
      for (const s of this.stacks.values()) s.handleTimeout(this.now);
      this.pump();
    }
    this.now = Math.max(this.now, to);
    return this.log.slice(from);
  }

  /** A hand-made segment from `src` to the stack at `dst`; returns what that stack sent back (not delivered). */
  inject(src: string, dst: string, fields: Partial<Segment> & Pick<Segment, 'srcPort' | 'dstPort'>): Segment[] {
    this.pump();
    const stack = this.stack(dst);
    stack.receive(this.now, src, dst, makeSegment(fields));
    const out = stack.takeOutput().map((o) => o.segment);
    stack.takeEvents();
    return out;
  }
}

/** socket() + bind() + listen() on a stack; throws on an errno. */
export function listenOn(stack: TcpStack, port: number, backlog: number, opts: { reuseAddr?: boolean; ip?: string } = {}): TcpSocket {
  const s = stack.socket();
  s.reuseAddr = opts.reuseAddr ?? false;
  const bindErr = stack.bind(s, opts.ip ?? '0.0.0.0', port);
  if (bindErr) throw new Error(`bind: ${bindErr}`);
  const listenErr = stack.listen(s, backlog);
  if (listenErr) throw new Error(`listen: ${listenErr}`);
  return s;
}
