// Building and sending segments: SYN / SYN-ACK with their options, RST, ACK, and the data/FIN
// send loop with window, congestion window, Nagle and MSS limits (RFC 9293 3.8, 3.10.2).
import { ACK, FIN, PSH, RST, SYN, type Segment, type TcpOption } from '../wire/segment.js';
import { seqAdd, seqDiff, seqGt, seqLt, seqMax, type Seq } from '../wire/seq.js';
import type { Connection } from './connection.js';
import type { Outgoing } from './tcb.js';

const EMPTY = new Uint8Array(0);
/** One NOP for every option list: options are never changed once built, so segments share it. */
const NOP: TcpOption = Object.freeze({ kind: 'nop' });

/** The SYN's option list, in the order Linux writes them (tcp_options_write). */
export function synOptions(c: Connection, now: number, synAck: boolean): TcpOption[] {
  const p = c.profile;
  // In a SYN-ACK, only what the peer offered (RFC 7323 2.2 / RFC 2018 2).
  const ts = p.timestamps && (!synAck || c.tsOk);
  const sack = p.sack && (!synAck || c.sackOk);
  const ws = p.windowScaling && (!synAck || c.wsOk);
  const opts: TcpOption[] = [{ kind: 'mss', mss: c.advertisedMss }];
  if (ts) {
    if (sack) opts.push({ kind: 'sackPermitted' });
    else opts.push(NOP, NOP);
    opts.push({ kind: 'timestamps', tsVal: c.tsVal(now), tsEcr: synAck ? c.tsRecent : 0 });
  } else if (sack) {
    opts.push(NOP, NOP, { kind: 'sackPermitted' });
  }
  if (ws) opts.push(NOP, { kind: 'windowScale', shift: c.rcvWscale });
  return opts;
}

/** Options on a non-SYN segment: timestamps when negotiated, SACK blocks when data is held. */
function segmentOptions(c: Connection, now: number, flags: number): TcpOption[] {
  const opts: TcpOption[] = c.tsOk ? [NOP, NOP, { kind: 'timestamps', tsVal: c.tsVal(now), tsEcr: c.tsRecent }] : [];
  // Only while data is held out of order (asked without making a receive buffer for an ACK of no data).
  if (c.sackOk && flags & ACK && !(flags & RST) && c.heldOutOfOrder() > 0) {
    const blocks = c.receiveBuffer.sackBlocks(c.tsOk ? 3 : 4);
    if (blocks.length > 0) opts.push(NOP, NOP, { kind: 'sack', blocks });
  }
  return opts;
}

/** The 16-bit window field: unscaled in SYNs (RFC 7323 2.2), scaled (rounded up, Linux ALIGN) otherwise. */
function windowField(c: Connection, flags: number): number {
  const wnd = c.receiveWindow();
  if (flags & SYN) return Math.min(65535, wnd);
  const shift = c.wsOk ? c.rcvWscale : 0;
  const units = shift > 0 ? Math.ceil(wnd / 2 ** shift) : wnd;
  return Math.min(65535, units);
}

/**
 * Puts one segment in the outbox; every ACK-bearing segment satisfies a pending ACK. Positional arguments,
 * not an options object: this runs for every segment sent.
 */
function emit(
  c: Connection,
  now: number,
  seq: Seq,
  flags: number,
  payload: Uint8Array = EMPTY,
  options: TcpOption[] | undefined = undefined,
  retransmit = false,
  note: string | undefined = undefined,
): Segment {
  const seg: Segment = {
    srcPort: c.local.port,
    dstPort: c.remote.port,
    seq,
    ack: flags & ACK ? c.rcvNxt : 0,
    flags,
    window: windowField(c, flags),
    urgentPointer: 0,
    options: options ?? segmentOptions(c, now, flags),
    payload,
  };
  queueSegment(c, seg, retransmit, note);
  if (flags & ACK && !(flags & RST)) ackSent(c, flags, seg.window);
  return seg;
}

/** Hands a segment to the connection's outbox (the note only when there is one, as the trace has it). */
function queueSegment(c: Connection, segment: Segment, retransmit: boolean, note: string | undefined): void {
  const out: Outgoing = { segment, retransmit };
  if (note) out.note = note;
  c.queue(out);
}

/** Bookkeeping after any ACK leaves (Linux tcp_event_ack_sent). */
function ackSent(c: Connection, flags: number, windowFieldValue: number): void {
  const shift = flags & SYN || !c.wsOk ? 0 : c.rcvWscale;
  const edge = seqAdd(c.rcvNxt, windowFieldValue * 2 ** shift);
  c.rcvAdvEdge = seqMax(c.rcvAdvEdge, edge);
  c.ackNow = false;
  c.unackedBytes = 0;
  // tcp_dec_quickack_mode: an ACK that was owed for received data uses up one quick ACK.
  if (c.ackOwed && c.quickAcks > 0) c.quickAcks -= 1;
  c.cancelTimer('delayedAck');
  c.ackOwed = false;
}

/** SYN (active open) or SYN-ACK (passive or simultaneous open), first or repeated. */
export function sendSyn(c: Connection, now: number, withAck: boolean, timerRetransmit = false): void {
  const flags = SYN | (withAck ? ACK : 0);
  // The SYN-ACK of a simultaneous open repeats the SYN's sequence number, so it is a retransmission too
  // (Linux re-sends the queued SYN with ACK set: tcp_rcv_synsent_state_process -> tcp_send_synack).
  const retransmit = timerRetransmit || seqGt(c.sndMax, c.iss);
  emit(c, now, c.iss, flags, EMPTY, synOptions(c, now, withAck), retransmit);
  c.sndNxt = seqMax(c.sndNxt, seqAdd(c.iss, 1));
  c.sndMax = seqMax(c.sndMax, c.sndNxt);
  if (!retransmit) c.rttSample = { seq: seqAdd(c.iss, 1), sentAt: now };
  else c.rttSample = undefined;
}

/**
 * The connection's own reset when it aborts (close() with unread data, SO_LINGER 0, ABORT):
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> under linux. Linux tcp_send_active_reset builds it like any segment
 * of the connection, so it carries the timestamp option and the current window.
 */
export function sendActiveReset(c: Connection, now: number, note?: string): void {
  // RFC 9293 3.10.5 ABORT sends <SEQ=SND.NXT><CTL=RST>, without ACK.
  const flags = c.profile.name === 'linux' ? RST | ACK : RST;
  emit(c, now, c.sndMax, flags, EMPTY, undefined, false, note);
}

/**
 * A reset in reply to a segment: <SEQ=seq><CTL=RST> (or with ACK). Like Linux tcp_v4_send_reset it
 * has no options and a zero window.
 */
export function sendRst(c: Connection, seq: Seq, _ack: Seq, withAck: boolean, note: string | undefined): void {
  const flags = RST | (withAck ? ACK : 0);
  const seg: Segment = {
    srcPort: c.local.port,
    dstPort: c.remote.port,
    seq,
    ack: withAck ? c.rcvNxt : 0,
    flags,
    window: 0,
    urgentPointer: 0,
    options: [],
    payload: EMPTY,
  };
  queueSegment(c, seg, false, note);
}

/**
 * A bare ACK <SEQ=SND.NXT><ACK=RCV.NXT>. After a retransmission timeout SND.NXT has been pulled
 * back to SND.UNA (go-back-N), where the peer would find the ACK's sequence number stale and not
 * read its ACK field; like BSD (snd_max) we send the highest sequence number sent instead, which
 * is what Linux's SND.NXT always is.
 */
export function sendAck(c: Connection, now: number, note?: string): void {
  emit(c, now, c.sndMax, ACK, EMPTY, undefined, false, note);
}

/** A zero-window probe: Linux tcp_xmit_probe_skb sends <SEQ=SND.UNA-1><CTL=ACK> with no data. */
export function sendWindowProbe(c: Connection, now: number): void {
  emit(c, now, seqAdd(c.sndUna, -1), ACK, EMPTY, undefined, false, 'zero window probe');
}

const SENDING_STATES = new Set(['ESTABLISHED', 'CLOSE_WAIT', 'FIN_WAIT_1', 'CLOSING', 'LAST_ACK']);

/** Sends what the windows allow, then a bare ACK if one is still owed. */
export function transmit(c: Connection, now: number): void {
  let sent = false;
  if (SENDING_STATES.has(c.state)) sent = sendData(c, now);
  if (c.ackNow && !sent && c.state !== 'SYN_SENT') sendAck(c, now);
}

function sendData(c: Connection, now: number): boolean {
  let sent = false;
  const mss = c.effectiveMss();
  for (let guard = 0; guard < 100_000; guard++) {
    const dataEnd = c.dataEnd();
    const unsent = Math.max(0, seqDiff(dataEnd, c.sndNxt));
    const finPending = c.finQueued && seqDiff(c.sndNxt, dataEnd) <= 0;
    if (unsent === 0 && !finPending) break;
    const inFlight = seqDiff(c.sndNxt, c.sndUna);
    const usable = seqDiff(seqAdd(c.sndUna, c.sndWnd), c.sndNxt);
    const cwndRoom = c.cwnd * mss - inFlight;
    const len = Math.min(unsent, mss, Math.max(0, usable), Math.max(0, cwndRoom));
    if (unsent > 0 && len === 0) {
      // Window closed with nothing in flight: probe it (RFC 9293 3.8.6.1, persist timer).
      if (usable <= 0 && inFlight === 0 && c.timers.persist === undefined) c.setTimer('persist', now + c.rto);
      break;
    }
    const isLast = len === unsent;
    if (unsent > 0 && len < mss) {
      // Nagle (RFC 896) as Linux does it (tcp_nagle_check, Minshall's variant): hold a small
      // segment while an earlier small segment is unacknowledged, unless TCP_NODELAY.
      const minshallPending = seqGt(c.sndSml, c.sndUna);
      const finRides = finPending && isLast;
      if (!c.nodelay && !finRides && minshallPending && inFlight > 0) break;
      // Sender silly-window avoidance (RFC 9293 3.8.6.2.1): a window-limited sliver waits.
      if (!isLast && len < c.maxSndWnd / 2 && inFlight > 0) break;
    }
    const fin = finPending && isLast;
    const retransmit = seqLt(c.sndNxt, c.sndMax);
    const payload = len > 0 ? c.sendBuffer.read(c.sndNxt, len) : EMPTY; // a bare FIN reads no buffer
    const flags = ACK | (len > 0 && isLast ? PSH : 0) | (fin ? FIN : 0);
    emit(c, now, c.sndNxt, flags, payload, undefined, retransmit);
    const end = seqAdd(c.sndNxt, len + (fin ? 1 : 0));
    if (!retransmit && c.rttSample === undefined) c.rttSample = { seq: end, sentAt: now };
    if (len > 0 && len < mss) c.sndSml = end;
    if (len > 0 && c.ato > 0 && now - c.lastDataReceivedAt < c.ato) c.pingpong = true; // tcp_event_data_sent
    c.sndNxt = end;
    c.sndMax = seqMax(c.sndMax, end);
    if (c.timers.retransmit === undefined) c.setTimer('retransmit', now + c.rto);
    c.cancelTimer('persist');
    sent = true;
    if (fin || len === 0) break;
  }
  return sent;
}
