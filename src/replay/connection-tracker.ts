// One connection (one incarnation of a 4-tuple): its two endpoint trackers, the rules run on each
// packet, the per-packet states for the ladder, and the report.
import { ACK, RST, SYN } from '../wire/segment.js';
import { formatEndpoint } from '../wire/address.js';
import { seqAdd } from '../wire/seq.js';
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

export class ConnectionTracker {
  readonly a: EndpointTracker;
  readonly b: EndpointTracker;
  /** The first packet was not a SYN: the capture started after the handshake. */
  readonly midstream: boolean;
  private readonly packets: ObservedPacket[] = [];
  private readonly senders: string[] = [];
  private readonly perPacket: Array<{ frame: number; states: Record<string, string> }> = [];
  private readonly violations: Violation[] = [];
  private expectations: Expectation[] = [];
  private readonly seen = new Set<string>();
  private finished = false;
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
    this.b = new EndpointTracker(newEndpoint(receiverOf(first)), host);
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
      for (const m of [this.a.model, this.b.model]) {
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
    if (!quiet) this.check(p, sender, receiver);
    this.seen.add(from);
    sender.own(p, index);
    receiver.incoming(p, index);
    this.packets.push(p);
    this.senders.push(from);
    this.perPacket.push({ frame: p.frame, states: { [this.a.model.name]: this.a.model.state, [this.b.model.name]: this.b.model.state } });
  }

  /** Time has reached `t` (a packet of any connection): timers that ran out without a packet. */
  advanceTo(t: number): void {
    this.a.advanceTo(t);
    this.b.advanceTo(t);
  }

  /** The earliest time a timer could change something here, for skipping idle connections. */
  nextDeadline(): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const tr of [this.a, this.b]) {
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
    return this.seen.size === 1 && this.packets.some((p) => has(p, ACK) && !has(p, SYN));
  }

  report(): ConnectionReport {
    this.finish();
    const a = this.a.model;
    const b = this.b.model;
    const violations = [...this.violations];
    for (const e of this.expectations) violations.push({ packet: e.packet.frame, rule: e.finding.rule, detail: e.finding.detail });
    for (const tr of [this.a, this.b]) {
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
    this.a.finish();
    this.b.finish();
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
      if (finding) this.violation(p, finding.rule, finding.detail);
    }
    for (const rule of EXPECTATION_RULES) {
      const e = rule.expect(ctx);
      if (e) this.expectations.push(e);
    }
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
