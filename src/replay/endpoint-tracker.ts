// Infers one endpoint's states from the capture, by evidence:
// - its own packets are certain: sending a SYN means SYN_SENT, a first FIN from ESTABLISHED means
//   FIN_WAIT_1, a RST from a synchronized state means it aborted;
// - a packet from the peer is only PENDING when seen: the capture shows it leaving, not arriving.
//   It counts as processed when the endpoint's own later packets prove it (its ACK covers the
//   packet's sequence space, or it acts synchronized), and is dropped as lost when they contradict it
//   (the SYN-ACK or FIN is sent again after the ACK that would have ended that). What is still
//   pending when the capture ends is taken as delivered (a loopback capture), except what the
//   endpoint would have answered at once (a SYN, a SYN-ACK): with no answer in the capture, it
//   did not arrive.
// A processed packet's state change is shown from when it was sent, or from just after the
// endpoint's last packet if that is later (it cannot have changed before what it sent showed).
import { ACK, FIN, RST, SYN } from '../wire/segment.js';
import { seqMax } from '../wire/seq.js';
import type { Profile } from '../tcp/profile.js';
import { isSynchronized, type TcpEventType, type TcpState } from '../tcp/states.js';
import { acceptableSynSentAck, rstVerdict } from './acceptance.js';
import { arrivesAtEnd } from './at-end.js';
import { canSend, cloneModel } from './can-send.js';
import type { EndpointModel } from './endpoint.js';
import { resetEvent, sendingSteps } from './own-packet.js';
import { finSeqOf, has, seqLen } from './packet-facts.js';
import { PendingQueue, isReset, isSilentAck, type PendingPacket } from './pending.js';
import { deliver, needsEvidence } from './receive-model.js';
import { credibleAck, recordSent } from './record-sent.js';
import { arrivalHorizon, handshakeGiveUpDue, timeWaitOver } from './timeouts.js';
import { step, type StepResult } from './transition.js';
import type { ObservedPacket } from './types.js';

/** What the connection gives its endpoint trackers. */
export interface TrackerHost {
  readonly profile: Profile;
  /** How many packets the connection has so far (the index the next one gets). */
  packetCount(): number;
  packetAt(index: number): ObservedPacket | undefined;
  violation(packet: ObservedPacket, rule: string, detail: string): void;
  /** `m` changed state; its state must show from packet index `from` on. */
  restate(m: EndpointModel, from: number): void;
  /** The handshake's round trip as captured, microseconds, once known. */
  roundTrip(): number | undefined;
}

const NONE: readonly PendingPacket[] = [];

/** The most packets kept waiting for evidence per endpoint (see incoming). */
const MAX_PENDING = 4096;

/** Ways of reaching CLOSED after which every segment must be answered with a RST (missing-rst). */
const CERTAIN_CLOSE: ReadonlySet<TcpEventType> = new Set(['ABORT', 'RCV_RST', 'RCV_ACK_OF_FIN']);

export class EndpointTracker {
  readonly pending = new PendingQueue();
  /** Packet index from which the endpoint is CLOSED by a RST or the end of LAST_ACK, for the missing-rst rule. */
  closedFrom: number | undefined;
  /** The event that closed it then. */
  closedBy: TcpEventType | undefined;
  /** A give-up inferred from silence (timeouts.ts), undone if the endpoint retransmits after all. */
  private gaveUp: { from: TcpState; index: number } | undefined;
  /** An ABORT inferred from a RST bearing this endpoint's address, undone if it goes on talking. */
  private aborted: { from: TcpState; index: number; listed: number } | undefined;
  private peerModel: EndpointModel | undefined;

  constructor(
    readonly model: EndpointModel,
    private readonly host: TrackerHost,
  ) {}

  set peer(m: EndpointModel) {
    this.peerModel = m;
  }

  get peer(): EndpointModel {
    if (!this.peerModel) throw new Error(`endpoint ${this.model.name} has no peer`);
    return this.peerModel;
  }

  // ------------------------------------------------------------------ packets

  /**
   * A packet the peer sent: pending until the evidence is in. An endpoint that never answers (a
   * capture of one direction only) would let the queue grow without end: past MAX_PENDING the oldest
   * half is taken as delivered, as at the end of the capture.
   */
  incoming(p: ObservedPacket, index: number): void {
    this.pending.push({ index, packet: p });
    if (this.pending.length > MAX_PENDING) {
      const cut = this.pending.all()[MAX_PENDING / 2]!.index;
      const oldest = this.pending.takeWhere((it) => it.index < cut);
      for (const item of oldest) if (!needsEvidence(this.model, item.packet)) this.apply(item, this.model.lastSentIndex);
    }
  }

  /** A packet this endpoint sent, at `index` in the connection. */
  own(p: ObservedPacket, index: number): void {
    this.undoGiveUp(p);
    this.undoAbort(p);
    const floor = this.model.lastSentIndex;
    this.proveByAck(p, floor);
    this.proveBySending(p, floor);
    const answered = this.proveByReply(p, floor);
    this.contradict(p, index);
    this.ownEffects(p, index, answered);
    recordSent(this.model, this.peer, p, index);
  }

  /** The capture ended: what is still pending arrived, with the exceptions of at-end.ts. */
  finish(): void {
    const floor = this.model.lastSentIndex;
    const items = this.pending.takeAll();
    // Of the packets after each one, only RSTs matter to arrivesAtEnd: pass those (no copy of the rest
    // per packet, which was quadratic in what was pending).
    const resets = items.filter((it) => isReset(it.packet));
    let next = 0;
    for (const item of items) {
      while (next < resets.length && resets[next]!.index <= item.index) next++;
      const later = next === resets.length ? NONE : resets.slice(next);
      if (arrivesAtEnd(this.model, item, later, this.host.profile)) this.apply(item, floor);
    }
  }

  /**
   * Time has reached `t` (the next packet of the capture, on any connection): TIME_WAIT may be over
   * (RFC 9293 3.10.8 / Linux TCP_TIMEWAIT_LEN) and a handshake may have been given up, silently.
   */
  advanceTo(t: number): void {
    const m = this.model;
    const profile = this.host.profile;
    // A pure ACK or RST the endpoint never contradicted within a TIME_WAIT length arrived.
    this.settleQuiet((p) => p.t + profile.timeWaitLength <= t);
    if (timeWaitOver(m, t, profile)) this.stepNow('TIMEOUT_2MSL', this.host.packetCount(), undefined);
    const giveUp = handshakeGiveUpDue(m, t, profile);
    if (giveUp) {
      // A passive side that stopped resending its SYN-ACK got the ACK, if one came after its last SYN-ACK.
      const last = m.synTimes[m.synTimes.length - 1] ?? 0;
      if (m.state === 'SYN_RECEIVED') {
        const acksSyn = (p: ObservedPacket): boolean => has(p, ACK) && !has(p, RST) && acceptableSynSentAck(m, p.segment.ack);
        this.settleQuiet((p) => p.t >= last && acksSyn(p));
        // Data or a FIN carrying the ACK explains the silence as well; its own evidence will come.
        if (m.state === 'SYN_RECEIVED' && this.pending.all().some((it) => acksSyn(it.packet))) return;
      }
      if (m.state === 'SYN_SENT' || m.state === 'SYN_RECEIVED') {
        const from = m.state;
        const index = this.host.packetCount();
        if (this.stepNow('RETRANSMIT_GIVE_UP', index, undefined).changed) this.gaveUp = { from, index };
      }
    }
  }

  /**
   * Data, a FIN or an ACK after the endpoint's "own" RST: its connection was not aborted after all.
   * The RST carried its address without coming from its TCB (forged, RFC 5961's blind reset, or
   * another stack's reply); the replay goes back to the state before it. (The rules still flag the
   * packet: segment-after-reset.)
   */
  private undoAbort(p: ObservedPacket): void {
    const m = this.model;
    const back = this.aborted;
    if (!back || m.state !== 'CLOSED' || has(p, RST) || (has(p, SYN) && !has(p, ACK))) return;
    m.state = back.from;
    m.states.length = back.listed;
    m.abortedByOwnReset = false;
    this.closedFrom = undefined;
    this.closedBy = undefined;
    this.aborted = undefined;
    this.host.restate(m, back.index);
  }

  /** The SYN or SYN-ACK comes again after all (a late timer): the give-up was wrong. */
  private undoGiveUp(p: ObservedPacket): void {
    const m = this.model;
    const again = this.gaveUp !== undefined && m.state === 'CLOSED' && has(p, SYN) && !has(p, RST) && p.segment.seq === m.iss;
    if (!again || !this.gaveUp) return;
    m.state = this.gaveUp.from;
    m.states.pop();
    this.host.restate(m, this.gaveUp.index);
    this.gaveUp = undefined;
  }

  /** CLOSED only by its own RST, which its later packets could still take back (undoAbort). */
  tentativelyAborted(): boolean {
    return this.aborted !== undefined && this.model.state === 'CLOSED';
  }

  /** A RST on its way would reset the endpoint when it arrives (acceptance.ts). */
  wouldBeReset(): boolean {
    return this.pending.all().some((it) => has(it.packet, RST) && rstVerdict(this.model, it.packet, this.host.profile) === 'reset');
  }

  /** Ends the endpoint's part in this incarnation with `event` (ConnectionTracker.supersede). */
  endBy(event: TcpEventType, index: number, cause: ObservedPacket): void {
    this.stepNow(event, index, cause);
  }

  // ------------------------------------------------------------------ evidence

  /** The ACK field says how far the endpoint has received (RFC 9293 3.3.1: SEG.ACK = RCV.NXT). */
  private proveByAck(p: ObservedPacket, floor: number): void {
    const m = this.model;
    if (!has(p, ACK)) return;
    // A RST speaks for a TCB only when the endpoint had a synchronized one (Linux's active reset
    // carries ACK = RCV.NXT); a "no socket" reply's ACK number is just SEG.SEQ + SEG.LEN.
    if (has(p, RST) && !(isSynchronized(m.state) && m.state !== 'CLOSED')) return;
    const ack = credibleAck(p, this.peer);
    if (ack === undefined) return;
    const plan = this.pending.proofPlan(ack);
    this.pending.remove(plan.drop);
    const taken: PendingPacket[] = [];
    for (const item of plan.apply) {
      // What the endpoint sends now must still be possible after processing it (a simultaneous
      // open's SYN-ACK is covered by the ACK of our SYN-ACK, but we sent that SYN-ACK before it came).
      if (!this.stillCanSend(item, p)) break;
      taken.push(item);
      this.apply(item, floor, { proven: seqLen(item.packet) > 0 });
    }
    // Removed at once: one by one was quadratic in a long queue of pure ACKs proven together.
    this.pending.remove(taken);
    if (m.rcvNxt !== undefined) m.rcvNxt = seqMax(m.rcvNxt, ack);
  }

  /** Dry run: after processing `item`, could the endpoint still send `own`? */
  private stillCanSend(item: PendingPacket, own: ObservedPacket): boolean {
    const trial = cloneModel(this.model);
    deliver(trial, item.packet, {
      profile: this.host.profile,
      proven: seqLen(item.packet) > 0,
      step: (event, options) => step(trial, event, { ...(options ?? {}) }),
    });
    return canSend(trial, own);
  }

  /**
   * Data from SYN_RECEIVED, or a FIN from a listener's child: the handshake's ACK was processed.
   * Only ESTABLISHED and later states send data (RFC 9293 3.10.2), and the application gets a
   * passively opened socket, to close it, only once it is established (accept(); Linux hands over
   * nothing before inet_csk_complete_hashdance).
   */
  private proveBySending(p: ObservedPacket, floor: number): void {
    const m = this.model;
    if (m.state !== 'SYN_RECEIVED' || has(p, RST) || has(p, SYN)) return;
    if (p.payloadLength === 0 && !(has(p, FIN) && m.passive)) return;
    const target = this.pending
      .all()
      .find((it) => isSilentAck(it.packet) && has(it.packet, ACK) && acceptableSynSentAck(m, it.packet.segment.ack));
    if (!target) return;
    for (const item of this.pending.takeThrough(target)) this.apply(item, floor);
  }

  /**
   * A RST without ACK from a live connection, <SEQ=SEG.ACK>, can answer data that reached a socket
   * the application had closed (RFC 9293 3.10.7.4 seventh; Linux tcp_rcv_state_process resets on
   * it, TCPAbortOnData, and tcp_v4_send_reset replies): the data segment whose ACK number it carries
   * was received. Returns it. (Such a RST with nothing to answer is an ABORT, e.g. RFC 9293 3.10.5's
   * <SEQ=SND.NXT><CTL=RST>.)
   */
  private proveByReply(p: ObservedPacket, floor: number): PendingPacket | undefined {
    const m = this.model;
    if (!has(p, RST) || has(p, ACK)) return undefined;
    if (m.state !== 'FIN_WAIT_1' && m.state !== 'FIN_WAIT_2') return undefined;
    const candidates = this.pending
      .all()
      .filter((it) => it.packet.payloadLength > 0 && has(it.packet, ACK) && !has(it.packet, RST) && it.packet.segment.ack === p.segment.seq);
    const target = candidates[candidates.length - 1];
    if (!target) return undefined;
    for (const item of this.pending.takeThrough(target)) {
      this.apply(item, floor, { proven: seqLen(item.packet) > 0, resetByText: item === target });
    }
    return target;
  }

  /** What the endpoint sends shows what it has NOT processed: those packets were lost. */
  private contradict(p: ObservedPacket, index: number): void {
    const m = this.model;
    // The SYN-ACK again: no ACK of it arrived (RFC 9293 3.8.1 retransmission; Linux inet_rtx_syn_ack).
    if (m.state === 'SYN_RECEIVED' && has(p, SYN) && has(p, ACK)) this.pending.dropBefore(index, isSilentAck);
    // The FIN again: no ACK of it arrived.
    const finAgain = has(p, FIN) && m.finSeq !== undefined && finSeqOf(p) === m.finSeq;
    if (finAgain && (m.state === 'FIN_WAIT_1' || m.state === 'CLOSING' || m.state === 'LAST_ACK')) this.pending.dropBefore(index, isSilentAck);
    // Sending long after a RST was sent: it did not reset the connection (lost, or not exact). Sent
    // soon after, the RST may still have been on its way: whether it reset the connection is then
    // judged against what the endpoint had acknowledged (acceptance.ts).
    if (!has(p, RST) && this.pending.hasReset) {
      const horizon = arrivalHorizon(this.host.roundTrip());
      this.pending.dropBefore(index, (q) => has(q, RST) && q.t + horizon <= p.t);
    }
  }

  // ------------------------------------------------------------------ own packets

  private ownEffects(p: ObservedPacket, index: number, answered: PendingPacket | undefined): void {
    if (has(p, RST)) return this.ownReset(p, index, answered);
    const { steps, impossible } = sendingSteps(this.model, p);
    if (impossible) this.host.violation(p, 'impossible-transition', impossible);
    for (const st of steps) {
      if (st.event === 'PASSIVE_OPEN') this.model.passive = true;
      if (st.peerIsnFromAck) this.takePeerIsnFrom(p);
      this.stepNow(st.event, index, p, st.unlisted ? { unlisted: true } : {});
    }
  }

  /**
   * A RST from this endpoint. With no TCB (CLOSED), or in SYN_SENT, it answers a segment and changes
   * nothing (3.10.7.1, 3.10.7.3); likewise when a RST from the peer reset it first. From a
   * synchronized state it ends the connection (own-packet.ts resetEvent).
   */
  private ownReset(p: ObservedPacket, index: number, answered: PendingPacket | undefined): void {
    const m = this.model;
    if (m.state === 'CLOSED' || m.state === 'LISTEN' || m.state === 'SYN_SENT') return;
    // A RST from the peer that resets us was on its way: we were reset, and this answers something
    // else as "no socket" (3.10.7.1).
    const reset = this.pending.all().find((it) => has(it.packet, RST) && rstVerdict(m, it.packet, this.host.profile) === 'reset');
    if (reset && !has(p, ACK)) {
      for (const item of this.pending.takeThrough(reset)) this.apply(item, this.model.lastSentIndex);
      if (this.model.state === ('CLOSED' as TcpState)) return;
    }
    if (m.state === 'SYN_RECEIVED' && this.answersUnacceptableAck(p)) return;
    const event = resetEvent(m, p, answered !== undefined && answered.packet.payloadLength > 0);
    const from = m.state;
    const listed = m.states.length;
    if (this.stepNow(event, index, p).changed && event === 'ABORT') {
      m.abortedByOwnReset = true;
      this.aborted = { from, index, listed };
    }
  }

  /** SYN_RECEIVED answers an unacceptable ACK with <SEQ=SEG.ACK><CTL=RST> and stays (3.10.7.4 fifth). */
  private answersUnacceptableAck(p: ObservedPacket): boolean {
    const m = this.model;
    return this.pending
      .all()
      .some((it) => has(it.packet, ACK) && !has(it.packet, RST) && !acceptableSynSentAck(m, it.packet.segment.ack) && it.packet.segment.ack === p.segment.seq);
  }

  /** RCV.NXT from a SYN-ACK's ACK number, when the SYN it answers is not in the capture. */
  private takePeerIsnFrom(synAck: ObservedPacket): void {
    this.model.rcvNxt = synAck.segment.ack;
  }

  // ------------------------------------------------------------------ applying

  /** Processes a pending packet, its state change shown from when it could have happened. */
  private apply(item: PendingPacket, floor: number, how: { proven?: boolean; resetByText?: boolean } = {}): void {
    const placement = Math.max(item.index, floor + 1);
    deliver(this.model, item.packet, {
      profile: this.host.profile,
      ...how,
      step: (event, options) => this.stepNow(event, placement, item.packet, options),
    });
  }

  /** Applies the pending pure ACKs and RSTs that `due` selects, in order (they arrived). */
  private settleQuiet(due: (p: ObservedPacket) => boolean): void {
    const quiet = this.pending.takeWhere((it) => (isSilentAck(it.packet) || isReset(it.packet)) && due(it.packet));
    for (const item of quiet) this.apply(item, this.model.lastSentIndex);
  }

  private stepNow(event: TcpEventType, placement: number, cause: ObservedPacket | undefined, options: { unlisted?: boolean } = {}): StepResult {
    const at = this.host.packetAt(placement);
    const t = at?.t ?? cause?.t ?? this.model.lastSentTime;
    const result = step(this.model, event, {
      ...options,
      t,
      onImpossible: (detail) => {
        const blamed = cause ?? at;
        if (blamed) this.host.violation(blamed, 'impossible-transition', detail);
      },
    });
    if (result.changed) {
      this.host.restate(this.model, placement);
      if (this.model.state === 'CLOSED' && CERTAIN_CLOSE.has(event)) {
        this.closedFrom = placement;
        this.closedBy = event;
      }
    }
    return result;
  }
}

