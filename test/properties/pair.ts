// Two Connection objects wired back to back on a virtual clock, in the style of quinn-proto's test
// Pair: no World, no stack, no sockets. The pair moves each segment from one connection's
// takeOutput() to the other's handleSegment() after a latency, fires timers when their deadline
// comes, and lets a test decide the fate of every segment (deliver, drop, delay). Tests use it to
// drive the TCP layer with full control, e.g. with chosen ISNs (which the World draws at random).
import { Connection } from '../../src/tcp/connection.js';
import type { Profile } from '../../src/tcp/profile.js';
import type { ConnectionEvent } from '../../src/tcp/tcb.js';
import { ACK, RST, SYN, type Segment } from '../../src/wire/segment.js';
import type { Seq } from '../../src/wire/seq.js';

export type Side = 'client' | 'server';

/** What happens to one segment on the wire. */
export type Fate = { kind: 'deliver'; extraDelay?: number } | { kind: 'drop' };

export interface PairOptions {
  profile: Profile;
  clientIss: Seq;
  serverIss: Seq;
  /** One-way delay in microseconds (default 1000). */
  latency?: number;
  /** The MSS each side advertises (default 1460). */
  mss?: number;
  /** Decides each segment's fate; `n` counts the segments put on the wire so far (from 0). */
  fate?: (segment: Segment, from: Side, n: number) => Fate;
}

export interface WireRecord {
  /** When the segment was sent. */
  t: number;
  from: Side;
  segment: Segment;
  retransmit: boolean;
  /** When it arrives; undefined if dropped. */
  arrival: number | undefined;
}

export interface PairEvent {
  t: number;
  side: Side;
  event: ConnectionEvent;
}

interface InFlight {
  at: number;
  order: number;
  to: Side;
  segment: Segment;
}

const CLIENT_ENDPOINT = { ip: '10.0.0.1', port: 40000 };
const SERVER_ENDPOINT = { ip: '10.0.0.2', port: 80 };

/** A deterministic Rng for the connections (the pair never asks it for an ISN: both are given). */
function fixedRng(seed: number): { u32(): number } {
  let x = seed >>> 0 || 1;
  return {
    u32() {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x;
    },
  };
}

export class Pair {
  /** Virtual time, microseconds. */
  now = 0;
  readonly client: Connection;
  readonly server: Connection;
  /** Every segment put on the wire, in order. */
  readonly wire: WireRecord[] = [];
  /** Every event the connections reported (state changes, timers, errors), in order. */
  readonly events: PairEvent[] = [];
  private readonly latency: number;
  private readonly fate: NonNullable<PairOptions['fate']>;
  private inFlight: InFlight[] = [];
  private order = 0;
  /** Application callbacks at chosen times (see `at`). */
  private wakeups: Array<{ at: number; order: number; run: () => void }> = [];

  constructor(o: PairOptions) {
    this.latency = o.latency ?? 1000;
    this.fate = o.fate ?? (() => ({ kind: 'deliver' }));
    const mss = o.mss ?? 1460;
    this.client = new Connection({ profile: o.profile, rng: fixedRng(1), local: CLIENT_ENDPOINT, remote: SERVER_ENDPOINT, advertisedMss: mss, iss: o.clientIss });
    this.server = new Connection({ profile: o.profile, rng: fixedRng(2), local: SERVER_ENDPOINT, remote: CLIENT_ENDPOINT, advertisedMss: mss, iss: o.serverIss });
  }

  conn(side: Side): Connection {
    return side === 'client' ? this.client : this.server;
  }

  /** The client's active open: CLOSED -> SYN_SENT, SYN on the wire. */
  connect(): void {
    this.client.open(this.now);
    this.collect();
  }

  /** Runs `fn` (an application action) at virtual time `at`. */
  at(at: number, fn: () => void): void {
    this.wakeups.push({ at: Math.max(at, this.now), order: this.order++, run: fn });
  }

  /** Puts the connections' pending output on the wire and records their events. Call after acting on a connection. */
  collect(): void {
    for (const side of ['client', 'server'] as const) {
      const c = this.conn(side);
      for (const event of c.takeEvents()) this.events.push({ t: this.now, side, event });
      for (const out of c.takeOutput()) {
        const fate = this.fate(out.segment, side, this.wire.length);
        const arrival = fate.kind === 'drop' ? undefined : this.now + this.latency + (fate.extraDelay ?? 0);
        this.wire.push({ t: this.now, from: side, segment: out.segment, retransmit: out.retransmit, arrival });
        if (arrival !== undefined) {
          this.inFlight.push({ at: arrival, order: this.order++, to: side === 'client' ? 'server' : 'client', segment: out.segment });
        }
      }
    }
  }

  /** When the next thing happens (a delivery, a timer, a wakeup), or undefined when nothing will. */
  nextTime(): number | undefined {
    const times = [
      ...this.inFlight.map((f) => f.at),
      ...this.wakeups.map((w) => w.at),
      this.client.pollTimeout(),
      this.server.pollTimeout(),
    ].filter((t): t is number => t !== undefined);
    return times.length === 0 ? undefined : Math.max(this.now, Math.min(...times));
  }

  /** Advances to the next moment something happens and does all of it. False when idle. */
  step(): boolean {
    const t = this.nextTime();
    if (t === undefined) return false;
    this.now = t;
    // Deliveries first, in the order they were sent, then timers, then application wakeups.
    const due = this.inFlight.filter((f) => f.at <= t).sort((a, b) => a.at - b.at || a.order - b.order);
    this.inFlight = this.inFlight.filter((f) => f.at > t);
    for (const f of due) {
      this.deliver(f.to, f.segment);
      this.collect();
    }
    for (const side of ['client', 'server'] as const) {
      const c = this.conn(side);
      const deadline = c.pollTimeout();
      if (deadline !== undefined && deadline <= t) {
        c.handleTimeout(t);
        this.collect();
      }
    }
    const wake = this.wakeups.filter((w) => w.at <= t).sort((a, b) => a.at - b.at || a.order - b.order);
    this.wakeups = this.wakeups.filter((w) => w.at > t);
    for (const w of wake) {
      w.run();
      this.collect();
    }
    return true;
  }

  /**
   * Steps until `done()` holds, nothing is left to happen, or virtual time passes `until`;
   * `afterStep` runs after every step (an application polling its connections).
   */
  drive(options: { done?: () => boolean; until?: number; afterStep?: () => void } = {}): void {
    const until = options.until ?? 3_600_000_000;
    for (let guard = 0; guard < 5_000_000; guard++) {
      if (options.done?.()) return;
      const next = this.nextTime();
      if (next === undefined || next > until) return;
      this.step();
      if (options.afterStep) {
        options.afterStep();
        this.collect();
      }
    }
    throw new Error('Pair.drive: more than 5,000,000 steps; the connections never go quiet');
  }

  /** Segments sent by one side. */
  sentBy(side: Side): WireRecord[] {
    return this.wire.filter((w) => w.from === side);
  }

  /** The state changes of one side, as "FROM->TO". */
  stateChanges(side: Side): string[] {
    return this.events
      .filter((e) => e.side === side && e.event.kind === 'state')
      .map((e) => (e.event.kind === 'state' ? `${e.event.from}->${e.event.to}` : ''));
  }

  private deliver(to: Side, seg: Segment): void {
    const c = this.conn(to);
    // The server answers the first SYN as a listener's new child would (RFC 9293 3.10.7.2).
    if (to === 'server' && c.state === 'CLOSED' && !c.passive && (seg.flags & (SYN | ACK | RST)) === SYN) {
      c.acceptSyn(this.now, seg);
      return;
    }
    c.handleSegment(this.now, seg);
  }
}
