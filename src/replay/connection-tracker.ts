// One connection (one incarnation of a 4-tuple): its two endpoint trackers, the rules run on each
// packet, the per-packet states for the ladder, and the report.
import { ACK, RST, SYN } from '../wire/segment.js';
import { formatEndpoint } from '../wire/address.js';
import { seqAdd, seqGe, seqLt, seqMax, type Seq } from '../wire/seq.js';
import type { Profile } from '../tcp/profile.js';
import { hasOpened, newEndpoint, type EndpointModel } from './endpoint.js';
import { EndpointTracker, type TrackerHost } from './endpoint-tracker.js';
import { has, isPureAck } from './packet-facts.js';
import { missingRst } from './rules/closed.js';
import { EXPECTATION_RULES, PACKET_RULES } from './rules/index.js';
import type { Expectation, RuleContext } from './rules/types.js';
import { nextHandshakeRetransmission } from './timeouts.js';
import type { ConnectionReport, ObservedPacket, Violation } from './types.js';
import { offeredRightEdge } from './window-scale.js';

export function senderOf(p: ObservedPacket): string {
  return formatEndpoint(p.src, p.segment.srcPort);
}

export function receiverOf(p: ObservedPacket): string {
  return formatEndpoint(p.dst, p.segment.dstPort);
}

/** Segments past the window whose fate is still undecided, per receiver (a missed window update or a violation). */
const MAX_WINDOW_SUSPECTS = 64;

export class ConnectionTracker {
  readonly a: EndpointTracker;
  readonly b: EndpointTracker;
  /** The first packet was not a SYN: the capture started after the handshake. */
  readonly midstream: boolean;
  /** Both ends are the same socket (a self-connect): `a` and `b` are one tracker. */
  readonly selfConnect: boolean;
  private readonly packets: ObservedPacket[] = [];
  private readonly senders: string[] = [];
  private readonly perPacket: Array<{ frame: number; states: Record<string, string> }> = [];
  private readonly violations: Violation[] = [];
  private expectations: Expectation[] = [];
  private readonly seen = new Set<string>();
  private finished = false;
  /** ACKs of bytes not in the capture, per endpoint whose bytes they are: a gap, or ack-of-unsent (see suspectGap). */
  private readonly gaps = new Map<string, { packet: ObservedPacket; detail: string; from: Seq; to: Seq }>();
  /**
   * Data past the right edge of the window the capture showed its receiver offering, per receiver: a violation,
   * or a window update the capture missed (see suspectWindow).
   */
  private readonly windowSuspects = new Map<string, Array<{ packet: ObservedPacket; detail: string; end: Seq }>>();
  /** Confirmed gaps, one line each (replay.ts lists them as warnings). */
  readonly gapWarnings: string[] = [];
  /** The handshake's round trip: from the opener's last SYN to its ACK of the SYN-ACK. */
  private roundTrip: number | undefined;

  /**
   * `carried`: the first packet is a SYN-ACK answering a SYN of the previous incarnation, whose
   * sender had this ISN (see connections.ts).
   */
  constructor(
    first: ObservedPacket,
    private readonly profile: Profile,
    carried?: { iss: number },
    private readonly maxPerPacket = Number.POSITIVE_INFINITY,
  ) {
    const host: TrackerHost = {
      profile,
      packetCount: () => this.packets.length,
      packetAt: (i) => this.packets[i],
      violation: (p, rule, detail) => this.violation(p, rule, detail),
      restate: (m, from) => {
        for (let i = Math.max(0, from); i < this.perPacket.length; i++) this.perPacket[i]!.states[m.name] = m.state;
      },
      roundTrip: () => this.roundTrip,
    };
    this.a = new EndpointTracker(newEndpoint(senderOf(first)), host);
    // A self-connect (a socket bound to the port it connects to, same address): one endpoint that is
    // its own peer, a simultaneous open with itself (RFC 9293 3.5 figure 8; Linux answers its own SYN
    // with a SYN-ACK from SYN_SENT and goes SYN_RECV -> ESTABLISHED on it).
    this.selfConnect = senderOf(first) === receiverOf(first);
    this.b = this.selfConnect ? this.a : new EndpointTracker(newEndpoint(receiverOf(first)), host);
    this.a.peer = this.b.model;
    this.b.peer = this.a.model;
    this.midstream = !has(first, SYN);
    if (carried) {
      const asker = this.b.model;
      asker.sentSyn = true;
      asker.iss = carried.iss;
      asker.sndMax = seqAdd(carried.iss, 1);
    }
    if (this.midstream) {
      // Both ends are taken to be ESTABLISHED; what they have sent and received is learned from
      // the first packet of each direction.
      for (const m of this.models()) {
        m.state = 'ESTABLISHED';
        m.states.push('ESTABLISHED');
      }
    }
  }

  tracker(name: string): EndpointTracker {
    if (name === this.a.model.name) return this.a;
    if (name === this.b.model.name) return this.b;
    throw new Error(`${name} is not an endpoint of the connection ${this.a.model.name} <-> ${this.b.model.name}`);
  }

  /** The next packet of this connection, in capture order. */
  add(p: ObservedPacket): void {
    const from = senderOf(p);
    const sender = this.tracker(from);
    const receiver = this.tracker(receiverOf(p));
    const index = this.packets.length;
    if (this.midstream) learnMidstream(sender.model, receiver.model, p);
    this.measureRoundTrip(sender.model, p);
    // No alarm in a midstream capture until both directions have been seen.
    const quiet = this.midstream && this.seen.size < 2;
    this.expectations = this.expectations.filter((e) => !(e.from === from && e.met(p)));
    this.settleGap(from, p);
    this.settleWindow(from, p);
    if (!quiet) this.check(p, sender, receiver);
    this.seen.add(from);
    sender.own(p, index);
    receiver.incoming(p, index);
    this.packets.push(p);
    this.senders.push(from);
    // Bounded: a million-packet connection would keep a million of these (issue 10); the ladder is cut.
    if (this.perPacket.length < this.maxPerPacket) {
      this.perPacket.push({ frame: p.frame, states: { [this.a.model.name]: this.a.model.state, [this.b.model.name]: this.b.model.state } });
    }
  }

  /** Time has reached `t` (a packet of any connection): timers that ran out without a packet. */
  advanceTo(t: number): void {
    for (const tr of this.trackers()) tr.advanceTo(t);
  }

  /** The endpoint trackers, each once (one for a self-connect). */
  private trackers(): EndpointTracker[] {
    return this.selfConnect ? [this.a] : [this.a, this.b];
  }

  private models(): EndpointModel[] {
    return this.trackers().map((tr) => tr.model);
  }

  /** The earliest time a timer could change something here, for skipping idle connections. */
  nextDeadline(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const tr of this.trackers()) {
      const m = tr.model;
      if (m.state === 'TIME_WAIT' && m.timeWaitSince !== undefined) earliest = Math.min(earliest, m.timeWaitSince + this.profile.timeWaitLength);
      const due = nextHandshakeRetransmission(m, this.profile);
      if (due !== undefined) earliest = Math.min(earliest, due);
      for (const it of tr.pending.all()) {
        if (it.packet.payloadLength === 0 && !has(it.packet, SYN)) {
          earliest = Math.min(earliest, it.packet.t + this.profile.timeWaitLength);
          break;
        }
      }
    }
    return earliest;
  }

  /**
   * The endpoint is done with this incarnation (a new SYN may start the next): CLOSED (not just by a
   * RST of its own that it may yet take back), TIME_WAIT, or about to be reset by a RST on its way.
   */
  endpointDone(name: string): boolean {
    const tr = this.tracker(name);
    const m = tr.model;
    return (m.state === 'CLOSED' && hasOpened(m) && !tr.tentativelyAborted()) || m.state === 'TIME_WAIT' || tr.wouldBeReset();
  }

  /**
   * A new SYN from `from` starts the next incarnation of the 4-tuple: this one ends. What is still
   * pending arrived; a TIME_WAIT on the SYN's side is taken over for the new connection (Linux
   * tcp_twsk_unique: ABORT), one on the other side is ended by the SYN (RCV_SYN, RFC 6191; Linux
   * tcp_timewait_state_process); a SYN_SENT that is still waiting was abandoned.
   */
  supersede(from: string, at: ObservedPacket): void {
    this.finish();
    const sender = this.tracker(from);
    const other = sender === this.a ? this.b : this.a;
    const index = this.packets.length;
    if (sender.model.state === 'TIME_WAIT' || sender.model.state === 'SYN_SENT') sender.endBy('ABORT', index, at);
    if (other.model.state === 'TIME_WAIT') other.endBy('RCV_SYN', index, at);
  }

  /**
   * Only one end's packets are in the capture although it is past the handshake (asymmetric routing,
   * a filter on one direction): the other end's states are guessed from them alone.
   */
  oneSided(): boolean {
    return !this.selfConnect && this.seen.size === 1 && this.packets.some((p) => has(p, ACK) && !has(p, SYN));
  }

  report(): ConnectionReport {
    this.finish();
    const a = this.a.model;
    const b = this.b.model;
    for (const [owner, gap] of this.gaps) {
      this.violation(gap.packet, 'ack-of-unsent', gap.detail);
      this.gaps.delete(owner);
    }
    for (const [receiver, suspects] of this.windowSuspects) {
      for (const suspect of suspects) this.violation(suspect.packet, 'seq-out-of-window', suspect.detail);
      this.windowSuspects.delete(receiver);
    }
    const violations = [...this.violations];
    for (const e of this.expectations) violations.push({ packet: e.packet.frame, rule: e.finding.rule, detail: e.finding.detail });
    for (const tr of this.trackers()) {
      if (tr.closedFrom === undefined) continue;
      // After LAST_ACK, a repeated last ACK may be the one that closed it (the first was lost).
      const exempt = tr.closedBy === 'RCV_ACK_OF_FIN' ? isPureAck : undefined;
      const missing = missingRst(this.packets, this.senders, tr.model.name, tr.closedFrom, exempt);
      if (missing) violations.push({ packet: missing.packet.frame, ...missing.finding });
    }
    violations.sort((x, y) => x.packet - y.packet);
    return {
      a: a.name,
      b: b.name,
      packets: this.packets.length,
      frames: this.packets.map((p) => p.frame),
      midstream: this.midstream,
      states: { [a.name]: [...a.states], [b.name]: [...b.states] },
      final: { [a.name]: a.state, [b.name]: b.state },
      violations,
      perPacket: this.perPacket.map((e) => ({ frame: e.frame, states: { ...e.states } })),
    };
  }

  /** Ends this incarnation now (a later one started): what is pending arrived. */
  finishNow(): void {
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const tr of this.trackers()) tr.finish();
  }

  private check(p: ObservedPacket, sender: EndpointTracker, receiver: EndpointTracker): void {
    const ctx: RuleContext = {
      packet: p,
      sender: sender.model,
      receiver: receiver.model,
      receiverRightEdge: offeredRightEdge(receiver.model, sender.model),
      profile: this.profile,
      midstream: this.midstream,
    };
    for (const rule of PACKET_RULES) {
      const finding = rule.check(ctx);
      if (finding?.rule === 'ack-of-unsent') this.suspectGap(p, receiver.model, finding.detail);
      else if (finding?.rule === 'seq-out-of-window' && p.payloadLength > 0 && !has(p, SYN)) this.suspectWindow(p, receiver.model, finding.detail);
      else if (finding) this.violation(p, finding.rule, finding.detail);
    }
    for (const rule of EXPECTATION_RULES) {
      const e = rule.expect(ctx);
      if (e) this.expectations.push(e);
    }
  }

  /**
   * An ACK for bytes of `owner` that the capture never showed: either the capture missed them (the
   * capturing kernel dropped packets) or the ACK is of unsent data (ack-of-unsent). The next data
   * `owner` sends tells: sent at or past the ACK, the bytes existed (a gap, a warning); sent exactly
   * from where its captured bytes ended, they did not (the violation). Undecided at the end: the violation.
   */
  private suspectGap(p: ObservedPacket, owner: EndpointModel, detail: string): void {
    const open = this.gaps.get(owner.name);
    if (open) {
      open.to = seqMax(open.to, p.segment.ack);
      return;
    }
    if (owner.sndMax === undefined) return;
    this.gaps.set(owner.name, { packet: p, detail, from: owner.sndMax, to: p.segment.ack });
  }

  private settleGap(from: string, p: ObservedPacket): void {
    const gap = this.gaps.get(from);
    if (!gap || p.payloadLength === 0 || has(p, SYN) || has(p, RST)) return;
    if (seqGe(p.segment.seq, gap.to)) {
      const to = senderOf(gap.packet);
      this.gapWarnings.push(`the capture missed ${(gap.to - gap.from) >>> 0} bytes of ${from} -> ${to} around frame ${gap.packet.frame} (an ACK for bytes the capture never showed; the capturing kernel dropped packets?)`);
      this.gaps.delete(from);
    } else if (p.segment.seq === gap.from) {
      this.violation(gap.packet, 'ack-of-unsent', gap.detail);
      this.gaps.delete(from);
    }
  }

  /**
   * Data past the window the capture showed `receiver` offering: either the sender broke the window
   * (seq-out-of-window) or the capture missed the receiver's window update. The receiver tells: if it
   * acknowledges the data before the sender sends any of it again, it had room for it (a gap, a warning);
   * a receiver that rejected it answers with a duplicate ACK and the sender must send it again (RFC 9293
   * 3.10.7.4). Undecided at the end: the violation.
   */
  private suspectWindow(p: ObservedPacket, receiver: EndpointModel, detail: string): void {
    const suspects = this.windowSuspects.get(receiver.name) ?? [];
    // Bounded: past this many undecided segments, the oldest is judged a violation now.
    if (suspects.length >= MAX_WINDOW_SUSPECTS) this.violation(suspects[0]!.packet, 'seq-out-of-window', suspects.shift()!.detail);
    suspects.push({ packet: p, detail, end: seqAdd(p.segment.seq, p.payloadLength) });
    this.windowSuspects.set(receiver.name, suspects);
  }

  private settleWindow(from: string, p: ObservedPacket): void {
    const to = receiverOf(p);
    const waiting = this.windowSuspects.get(to);
    if (waiting && from !== to && p.payloadLength > 0) {
      // The sender sends (part of) one again: it was not taken.
      const resent = waiting.filter((w) => seqLt(p.segment.seq, w.end));
      for (const w of resent) this.violation(w.packet, 'seq-out-of-window', w.detail);
      this.keepSuspects(to, waiting.filter((w) => !resent.includes(w)));
    }
    const suspects = this.windowSuspects.get(from);
    if (!suspects || !has(p, ACK) || has(p, RST)) return;
    const taken = suspects.filter((w) => seqGe(p.segment.ack, w.end));
    if (taken.length === 0) return;
    const first = taken[0]!.packet;
    this.gapWarnings.push(`the capture missed a window update of ${from} around frame ${first.frame} (${senderOf(first)} sent past the window the capture showed, and ${from} acknowledged it; the capturing kernel dropped packets?)`);
    this.keepSuspects(from, suspects.filter((w) => !taken.includes(w)));
  }

  private keepSuspects(receiver: string, left: Array<{ packet: ObservedPacket; detail: string; end: Seq }>): void {
    if (left.length > 0) this.windowSuspects.set(receiver, left);
    else this.windowSuspects.delete(receiver);
  }

  private measureRoundTrip(sender: EndpointModel, p: ObservedPacket): void {
    const lastSyn = sender.synTimes[sender.synTimes.length - 1];
    if (this.roundTrip !== undefined || sender.passive || lastSyn === undefined) return;
    if (has(p, ACK) && !has(p, SYN) && !has(p, RST)) this.roundTrip = p.t - lastSyn;
  }

  private violation(p: ObservedPacket, rule: string, detail: string): void {
    if (this.violations.some((v) => v.packet === p.frame && v.rule === rule && v.detail === detail)) return;
    this.violations.push({ packet: p.frame, rule, detail });
  }
}

/** Midstream: what the first packets of each direction say about SND.NXT and RCV.NXT. */
function learnMidstream(sender: EndpointModel, receiver: EndpointModel, p: ObservedPacket): void {
  if (has(p, RST)) return;
  if (has(p, ACK)) {
    sender.rcvNxt ??= p.segment.ack;
    receiver.sndMax ??= p.segment.ack;
  }
  receiver.rcvNxt ??= p.segment.seq;
}
