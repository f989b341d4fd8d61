// SEGMENT ARRIVES (RFC 9293 section 3.10.7) for a connection that has a TCB. Listening sockets
// and segments for no socket are handled by the stack (stack.ts, reset.ts).
import { ACK, FIN, RST, SYN, segLen, type Segment } from '../wire/segment.js';
import { seqAdd, seqDiff, seqGe, seqGt, seqInRange, seqLe, seqLt } from '../wire/seq.js';
import type { Connection } from './connection.js';
import { sendAck, sendRst, sendSyn, transmit } from './output.js';
import { updateRtt } from './rtt.js';
import { resetFor } from './reset.js';
import type { Errno } from './errno.js';

/** One jiffy at HZ=250: a delayed ACK with no delay set fires at the next tick. */
const LINUX_TICK = 4000;
/** Linux TCP_TIMEOUT_MIN: 2 jiffies (8 ms at HZ=250). */
const TCP_TIMEOUT_MIN = 2 * LINUX_TICK;

export function processSegment(c: Connection, now: number, seg: Segment): void {
  switch (c.state) {
    case 'CLOSED':
    case 'LISTEN':
      return;
    case 'SYN_SENT':
      return synSent(c, now, seg);
    case 'TIME_WAIT':
      return timeWait(c, now, seg);
    default:
      return synchronized(c, now, seg);
  }
}

/** Reads the peer's SYN options (RFC 9293 3.7.1, RFC 7323, RFC 2018). */
export function takeSynOptions(c: Connection, seg: Segment): void {
  let mss: number | undefined;
  let ws: number | undefined;
  let ts: { tsVal: number } | undefined;
  let sack = false;
  for (const o of seg.options) {
    if (o.kind === 'mss') mss = o.mss;
    else if (o.kind === 'windowScale') ws = o.shift;
    else if (o.kind === 'timestamps') ts = o;
    else if (o.kind === 'sackPermitted') sack = true;
  }
  c.peerMss = mss ?? 536;
  c.wsOk = c.profile.windowScaling && ws !== undefined;
  c.sndWscale = c.wsOk ? Math.min(ws!, 14) : 0; // RFC 7323 2.3: shifts above 14 are treated as 14
  if (!c.wsOk) c.rcvWscale = 0;
  c.tsOk = c.profile.timestamps && ts !== undefined;
  if (ts) c.tsRecent = ts.tsVal;
  c.sackOk = c.profile.sack && sack;
}

function rememberTimestamp(c: Connection, seg: Segment): void {
  if (!c.tsOk) return;
  for (const o of seg.options) {
    // RFC 7323 4.3: TS.Recent follows segments that cover RCV.NXT... simplified: the newest value.
    if (o.kind === 'timestamps' && seqGe(o.tsVal, c.tsRecent)) c.tsRecent = o.tsVal;
  }
}

// ---------------------------------------------------------------- SYN_SENT (3.10.7.3)

function synSent(c: Connection, now: number, seg: Segment): void {
  const ack = (seg.flags & ACK) !== 0;
  if (ack && (seqLe(seg.ack, c.iss) || seqGt(seg.ack, c.sndMax))) {
    // First: an unacceptable ACK gets <SEQ=SEG.ACK><CTL=RST> unless it is itself a reset.
    if (!(seg.flags & RST)) sendRst(c, seg.ack, 0, false, 'reset: unacceptable ACK in SYN_SENT');
    // Linux tcp_rcv_synsent_state_process: "Previous FIN/ACK or RST/ACK might be ignored", so the
    // SYN goes again after TCP_TIMEOUT_MIN instead of the RTO, if it has not been repeated yet
    // (a TIME_WAIT's ACK answered it: scripts/kernel/observed/syn_to_time_wait.txt, case C).
    if (c.profile.name === 'linux' && c.retransmits === 0) c.setTimer('retransmit', now + TCP_TIMEOUT_MIN);
    return;
  }
  if (seg.flags & RST) {
    // Second: a reset with an acceptable ACK refuses the connection; without ACK it is dropped.
    if (ack) {
      c.fail('ECONNREFUSED');
      c.setState('RCV_RST');
    }
    return;
  }
  if (!(seg.flags & SYN)) return;
  // Fourth: the SYN.
  takeSynOptions(c, seg);
  c.irs = seg.seq;
  c.rcvNxt = seqAdd(seg.seq, 1);
  c.rcvAdvEdge = c.rcvNxt;
  c.sndWnd = seg.window; // never scaled in a SYN (RFC 7323 2.2)
  c.maxSndWnd = c.sndWnd;
  c.sndWl1 = seg.seq;
  c.sndWl2 = seg.ack;
  if (ack) {
    if (c.rttSample && seqGe(seg.ack, c.rttSample.seq)) updateRtt(c, now - c.rttSample.sentAt);
    c.rttSample = undefined;
    c.sndUna = seg.ack;
    // RFC 6298 5.7 / Linux TCP_TIMEOUT_FALLBACK: no RTT sample from the handshake (the SYN was
    // repeated) -> the RTO starts at 3 s for the data.
    if (c.retransmits > 0 && c.srtt === undefined) c.rto = Math.max(c.rto, 3_000_000);
    else if (c.srtt === undefined) c.rto = c.profile.initialRto;
    c.retransmits = 0;
    c.retransmitSince = undefined; // read only during an episode of retransmissions (Linux retrans_stamp = 0)
    c.cancelTimer('retransmit');
    c.setState('RCV_SYN_ACK');
    c.ackNow = true;
  } else {
    // Simultaneous open: SYN_SENT -> SYN_RECEIVED, answer <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
    c.setState('RCV_SYN');
    sendSyn(c, now, true, false);
  }
}

// ---------------------------------------------------------------- synchronized states (3.10.7.4)

/** The acceptability test of RFC 9293 3.10.7.4 "first, check sequence number". */
export function acceptable(c: Connection, seg: Segment): boolean {
  const len = segLen(seg);
  const wnd = c.receiveWindow();
  const end = seqAdd(c.rcvNxt, wnd);
  if (len === 0) {
    if (wnd === 0) return seg.seq === c.rcvNxt;
    // Linux tcp_sequence (!after(seq, rcv_nxt + window)) counts the right edge itself as inside:
    // a RST there draws a challenge ACK (scripts/kernel/observed/rst_in_window.txt).
    return seqInRange(seg.seq, c.rcvNxt, c.profile.name === 'linux' ? seqAdd(end, 1) : end);
  }
  if (wnd === 0) return false;
  return seqInRange(seg.seq, c.rcvNxt, end) || seqInRange(seqAdd(seg.seq, len - 1), c.rcvNxt, end);
}

/**
 * RFC 9293 3.10.7.4: "If the RCV.WND is zero, no segments will be acceptable, but special
 * allowance should be made to accept valid ACKs, URGs, and RSTs": a segment at RCV.NXT carrying
 * text through a closed window still has its ACK processed (rfc9293 profile; current Linux drops
 * such a segment while unread data is queued).
 */
function zeroWindowAllowance(c: Connection, seg: Segment): boolean {
  return (
    c.profile.name !== 'linux' &&
    c.receiveWindow() === 0 &&
    seg.seq === c.rcvNxt &&
    seg.payload.length > 0 &&
    (seg.flags & (ACK | SYN | RST)) === ACK
  );
}

/**
 * The duplicate ACK for an unacceptable segment. Linux limits these to one per 500 ms per socket
 * (tcp_oow_rate_limited, tcp_invalid_ratelimit) except for segments that occupy sequence space
 * (data or FIN), which are answered each time.
 */
function oowAck(c: Connection, now: number, seg: Segment): void {
  // "Data packets without SYNs are not likely part of an ACK loop" (tcp_oow_rate_limited).
  if (c.profile.name === 'linux' && seg.payload.length === 0 && !(seg.flags & FIN)) {
    if (c.lastOowAckAt !== undefined && now - c.lastOowAckAt < 500_000) return;
    c.lastOowAckAt = now;
  }
  c.ackNow = true;
}

/**
 * RFC 5961 challenge ACK. Linux (tcp_send_challenge_ack) sends at most one per 500 ms per socket
 * (tcp_invalid_ratelimit), on the same clock as the duplicate ACKs for out-of-window segments
 * (last_oow_ack_time): one of either silences both. Its host-wide tcp_challenge_ack_limit is
 * INT_MAX (off) by default.
 */
function challengeAck(c: Connection, now: number, why: string): void {
  if (c.profile.name === 'linux') {
    if (c.lastOowAckAt !== undefined && now - c.lastOowAckAt < 500_000) return;
    c.lastOowAckAt = now;
  }
  sendAck(c, now, `challenge ACK (${why})`);
}

/**
 * The errno a reset gives in each state.
 * linux (tcp_reset): SYN_SENT ECONNREFUSED, CLOSE_WAIT EPIPE, everything else ECONNRESET.
 * rfc9293 (3.10.7.4 second): SYN-RECEIVED from an active OPEN "connection refused"; ESTABLISHED,
 * FIN-WAIT-1/2, CLOSE-WAIT "connection reset"; CLOSING, LAST-ACK, TIME-WAIT just close.
 * A listener's request (passive SYN_RECEIVED) has no application to tell.
 */
function resetErrno(c: Connection): Errno | undefined {
  if (c.state === 'SYN_RECEIVED' && c.passive) return undefined;
  if (c.state === 'TIME_WAIT') return undefined;
  if (c.profile.name === 'linux') return c.state === 'CLOSE_WAIT' ? 'EPIPE' : 'ECONNRESET';
  switch (c.state) {
    case 'SYN_RECEIVED':
      return 'ECONNREFUSED';
    case 'CLOSING':
    case 'LAST_ACK':
      return undefined;
    default:
      return 'ECONNRESET';
  }
}

/** Linux tcp_reset_check: in CLOSE_WAIT, CLOSING and LAST_ACK a RST at RCV.NXT - 1 also resets. */
function resetCheck(c: Connection, seg: Segment): boolean {
  return (
    c.profile.name === 'linux' &&
    seg.seq === seqAdd(c.rcvNxt, -1) &&
    (c.state === 'CLOSE_WAIT' || c.state === 'CLOSING' || c.state === 'LAST_ACK')
  );
}

function reset(c: Connection): void {
  const errno = resetErrno(c);
  if (errno) c.fail(errno);
  c.setState('RCV_RST');
}

function synchronized(c: Connection, now: number, seg: Segment): void {
  const flags = seg.flags;
  // A repeated SYN for a passively opened connection repeats the SYN-ACK (Linux tcp_check_req).
  // Linux inet_rtx_syn_ack also pushes the request's timer out, so the two do not double up.
  if (c.state === 'SYN_RECEIVED' && flags & SYN && !(flags & (ACK | RST)) && seg.seq === c.irs) {
    sendSyn(c, now, true, true);
    if (c.passive) c.setTimer('synAck', now + c.rto);
    return;
  }

  // Simultaneous open: the peer's SYN-ACK answers our SYN-ACK. Linux tcp_validate_incoming lets it
  // through to ACK processing (seq + 1 == RCV.NXT, ack == SND.NXT), and RFC 9293 figure 7 shows
  // both ends ESTABLISHED on it.
  const crossedSynAck =
    c.state === 'SYN_RECEIVED' &&
    !c.passive &&
    (flags & (SYN | ACK | RST)) === (SYN | ACK) &&
    seqAdd(seg.seq, 1) === c.rcvNxt &&
    seg.ack === c.sndNxt;

  // First: sequence number.
  const zeroWindowAck = zeroWindowAllowance(c, seg);
  if (!crossedSynAck && !zeroWindowAck && !acceptable(c, seg)) {
    if (flags & RST && resetCheck(c, seg)) reset(c);
    if (!(flags & RST)) {
      if (flags & SYN) challengeAck(c, now, 'SYN out of window');
      else oowAck(c, now, seg); // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
    }
    return;
  }

  // Second: RST (RFC 5961 3.2: only an exact RCV.NXT match resets).
  if (flags & RST) {
    // Planted bug 'ignore-rst-in-syn-received' (src/tcp/bugs.ts, tests only).
    if (c.state === 'SYN_RECEIVED' && c.profile.bugs?.has('ignore-rst-in-syn-received')) return;
    if (seg.seq === c.rcvNxt || resetCheck(c, seg) || !c.profile.challengeAcks) reset(c);
    else if (c.state === 'SYN_RECEIVED' && c.passive && c.profile.name === 'linux') reset(c); // tcp_check_req: embryonic_reset
    else challengeAck(c, now, 'RST in window');
    return;
  }

  // Fourth: SYN. A listener's request is dropped: RFC 9293 returns it to LISTEN; Linux
  // tcp_check_req answers the SYN with a reset first (embryonic_reset).
  if (flags & SYN && !crossedSynAck && c.state === 'SYN_RECEIVED' && c.passive) {
    const rst = c.profile.name === 'linux' ? resetFor(seg) : undefined;
    if (rst) c.queue({ segment: rst, retransmit: false, note: 'reset: new SYN for a pending request' });
    c.discard(now);
    return;
  }
  // On a synchronized connection, a challenge ACK (RFC 5961 4.2).
  if (flags & SYN && !crossedSynAck) {
    challengeAck(c, now, 'SYN in window');
    return;
  }

  // Fifth: ACK.
  if (!(flags & ACK)) return;
  rememberTimestamp(c, seg);
  if (c.state === 'SYN_RECEIVED') {
    if (!(seqLt(c.sndUna, seg.ack) && seqLe(seg.ack, c.sndMax))) {
      sendRst(c, seg.ack, 0, false, 'reset: unacceptable ACK in SYN_RECEIVED');
      return;
    }
    const decision = c.admit();
    if (decision === 'drop') return; // Linux: accept queue full, tcp_abort_on_overflow=0
    if (decision === 'reset') {
      sendRst(c, seg.ack, 0, false, 'reset: accept queue full (tcp_abort_on_overflow)');
      c.setState('ABORT');
      return;
    }
    c.setState('RCV_ACK_OF_SYN');
    c.cancelTimer('synAck');
    c.sndWnd = flags & SYN ? seg.window : seg.window << c.sndWscale; // a shift of at most 14: below 2^31, an integer V8 in Node keeps unboxed
    c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
    c.sndWl1 = seg.seq;
    c.sndWl2 = seg.ack;
  }
  // Planted bug 'ack-outside-window' (src/tcp/bugs.ts, tests only): takes the ACK of unsent data.
  if (seqGt(seg.ack, c.sndMax) && !c.profile.bugs?.has('ack-outside-window')) {
    // Acknowledges something not yet sent: RFC 9293 3.10.7.4 fifth says ACK and drop; Linux
    // (tcp_ack, TCP_ACK_UNSENT_DATA) drops it without a reply, so two confused ends cannot ACK-war.
    if (c.profile.name !== 'linux') c.ackNow = true;
    return;
  }
  if (seqLt(seg.ack, seqAdd(c.sndUna, -c.maxSndWnd))) {
    // RFC 5961 5.2 (blind data injection): an ACK older than SND.UNA - MAX.SND.WND is dropped.
    challengeAck(c, now, 'ACK too old');
    return;
  }
  processAck(c, now, seg);

  if (c.state === 'FIN_WAIT_1' && c.finAcked()) {
    c.setState('RCV_ACK_OF_FIN');
    if (c.orphaned) c.armFinWait2(now);
  }
  if (c.state === 'CLOSING' && c.finAcked()) {
    c.setState('RCV_ACK_OF_FIN');
    enterTimeWait(c, now);
    return;
  }
  if (c.state === 'LAST_ACK' && c.finAcked()) {
    c.setState('RCV_ACK_OF_FIN');
    return;
  }

  // Seventh: segment text (none is taken through a zero window).
  if (zeroWindowAck) {
    c.ackNow = true;
    return;
  }
  if (seg.payload.length > 0 && !receiveText(c, now, seg)) return;

  // Eighth: FIN.
  if (flags & FIN) {
    const finSeq = seqAdd(seg.seq, seg.payload.length);
    if (finSeq === c.rcvNxt) processFin(c, now);
    else if (seqGt(finSeq, c.rcvNxt)) c.pendingFinSeq = finSeq;
    else c.ackNow = true; // a repeated FIN
  } else if (c.pendingFinSeq !== undefined && c.pendingFinSeq === c.rcvNxt) {
    processFin(c, now);
  }
  if (c.ackCheckPending) ackSndCheck(c, now);
}

/** SND.UNA and SND.WND updates, RTT, retransmission timer, duplicate ACKs (3.10.7.4 fifth). */
function processAck(c: Connection, now: number, seg: Segment): void {
  const ack = seg.ack;
  const window = seg.window << c.sndWscale; // sndWscale <= 14 (RFC 7323 2.3)
  if (seqGt(ack, c.sndUna)) {
    if (c.rttSample && seqGe(ack, c.rttSample.seq)) {
      updateRtt(c, now - c.rttSample.sentAt);
      c.rttSample = undefined;
    }
    const ackedSegments = Math.max(1, Math.round(seqDiff(ack, c.sndUna) / c.effectiveMss()));
    c.sndUna = ack;
    c.acknowledgeSent(seqLe(ack, c.dataEnd()) ? ack : c.dataEnd());
    if (seqLt(c.sndNxt, c.sndUna)) c.sndNxt = c.sndUna;
    c.retransmits = 0;
    c.retransmitSince = undefined; // the episode is over; the next one sets it anew (timers.ts)
    c.dupAcks = 0;
    c.probes = 0;
    // RFC 5681 slow start / congestion avoidance, counted in whole segments.
    c.cwnd = c.cwnd < c.ssthresh ? c.cwnd + ackedSegments : c.cwnd + (ackedSegments >= c.cwnd ? 1 : 0);
    // RFC 6298 5.2 / 5.3: stop the timer when all is acknowledged, else restart it.
    if (c.sndUna === c.sndMax) c.cancelTimer('retransmit');
    else c.setTimer('retransmit', now + c.rto);
  } else if (
    ack === c.sndUna &&
    seg.payload.length === 0 &&
    !(seg.flags & (SYN | FIN)) &&
    window === c.sndWnd &&
    c.sndMax !== c.sndUna
  ) {
    // RFC 5681 3.2: the third duplicate ACK retransmits the first unacknowledged segment.
    c.dupAcks += 1;
    if (c.dupAcks === 3) fastRetransmit(c, now);
  }
  // Window update (SND.WL1 / SND.WL2 rule).
  if (seqLt(c.sndWl1, seg.seq) || (c.sndWl1 === seg.seq && seqLe(c.sndWl2, ack))) {
    c.sndWnd = window;
    c.maxSndWnd = Math.max(c.maxSndWnd, window);
    c.sndWl1 = seg.seq;
    c.sndWl2 = ack;
    if (window > 0) {
      c.probes = 0;
      if (c.timers.persist !== undefined) c.cancelTimer('persist');
    }
  }
}

function fastRetransmit(c: Connection, now: number): void {
  const flight = Math.max(2, Math.ceil(seqDiff(c.sndMax, c.sndUna) / c.effectiveMss()));
  c.ssthresh = Math.max(2, Math.floor(flight / 2));
  c.cwnd = c.ssthresh;
  const saved = c.sndNxt;
  c.sndNxt = c.sndUna;
  const cwnd = c.cwnd;
  c.cwnd = 1;
  transmit(c, now);
  c.cwnd = cwnd;
  if (seqGt(saved, c.sndNxt)) c.sndNxt = saved;
  c.rttSample = undefined;
}

/** Seventh step. Returns false when the segment must not be processed further. */
function receiveText(c: Connection, now: number, seg: Segment): boolean {
  const st = c.state;
  if (st === 'CLOSE_WAIT' || st === 'CLOSING' || st === 'LAST_ACK') {
    // Text after the peer's FIN is ignored; an old retransmission is re-acknowledged.
    if (seqLt(seg.seq, c.rcvNxt)) c.ackNow = true;
    return true;
  }
  if (st !== 'ESTABLISHED' && st !== 'FIN_WAIT_1' && st !== 'FIN_WAIT_2') return true;
  const end = seqAdd(seg.seq, seg.payload.length);
  if (c.readShutdown && seqGt(end, c.rcvNxt) && st !== 'ESTABLISHED') {
    // New data for a socket the application closed: reset (RFC 1122 4.2.2.13, RFC 2525 2.17;
    // Linux tcp_rcv_state_process, "TCPAbortOnData").
    sendRst(c, seg.ack, 0, false, 'reset: data after close');
    c.fail('ECONNRESET');
    c.setState('ABORT');
    return false;
  }
  const before = c.rcvNxt;
  const heldBefore = c.receiveBuffer.heldOutOfOrder;
  c.rcvNxt = c.receiveBuffer.accept(seg.seq, seg.payload, c.rcvNxt, seqAdd(c.rcvNxt, c.receiveWindow()));
  const advanced = seqDiff(c.rcvNxt, before);
  if (advanced > 0) {
    dataArrived(c, now, seg.payload.length, advanced);
    if (heldBefore > 0) c.ackNow = true; // filled a hole: ACK at once (RFC 5681 4.2)
  } else {
    c.ackNow = true; // out of order or duplicate: immediate (duplicate) ACK (RFC 5681 4.2)
  }
  return true;
}

/** In-order data arrived: ACK now or later (Linux tcp_event_data_recv + __tcp_ack_snd_check). */
function dataArrived(c: Connection, now: number, segmentBytes: number, advanced: number): void {
  c.unackedBytes += advanced;
  c.ackOwed = true;
  if (!c.profile.delayedAck) {
    c.ackNow = true;
    return;
  }
  const atoMin = c.profile.delayedAckTimeout;
  if (segmentBytes >= c.rcvMss) c.rcvMss = Math.min(segmentBytes, c.advertisedMss); // tcp_measure_rcv_mss
  if (c.ato === 0) {
    incrQuickAck(c);
    c.ato = atoMin;
  } else {
    const m = now - c.lastDataReceivedAt;
    if (m <= atoMin / 2) c.ato = Math.floor(c.ato / 2) + atoMin / 2;
    else if (m < c.ato) c.ato = Math.min(Math.floor(c.ato / 2) + m, c.rto);
    else if (m > c.rto) incrQuickAck(c);
  }
  c.lastDataReceivedAt = now;
  c.ackCheckPending = true; // decided by ackSndCheck once the segment's FIN has been seen
}

/**
 * Linux __tcp_ack_snd_check, after the whole segment (data and FIN) has been processed: ACK now
 * when more than a full segment is unacknowledged or in quickack mode (which pingpong, entered by
 * a FIN, turns off), else let the delayed-ACK timer do it.
 */
function ackSndCheck(c: Connection, now: number): void {
  c.ackCheckPending = false;
  if (c.ackNow || !c.ackOwed) return;
  const quick = c.quickAcks > 0 && !c.pingpong;
  if (c.unackedBytes > c.rcvMss || quick) {
    c.ackNow = true;
  } else {
    scheduleDelayedAck(c, now);
  }
}

/** Linux tcp_incr_quickack: quick ACKs for rcv_wnd / (2 * rcv_mss) segments, at most 16. */
function incrQuickAck(c: Connection): void {
  const n = Math.min(16, Math.floor(c.rcvWndTarget / (2 * c.rcvMss)) || 2);
  if (n > c.quickAcks) c.quickAcks = n;
}

/** Linux tcp_send_delayed_ack: the timer waits ato, bounded by 200 ms in pingpong mode or the RTT. */
function scheduleDelayedAck(c: Connection, now: number): void {
  let ato = c.ato;
  const atoMin = c.profile.delayedAckTimeout;
  if (ato > atoMin) {
    let maxAto = c.pingpong ? 200_000 : 500_000;
    if (c.srtt !== undefined) maxAto = Math.min(maxAto, Math.max(Math.round(c.srtt), atoMin));
    ato = Math.min(ato, maxAto);
  }
  const deadline = now + ato;
  const current = c.timers.delayedAck;
  if (current === undefined || current > deadline) c.setTimer('delayedAck', deadline);
}

/** Eighth step: the FIN, once RCV.NXT has reached it. */
function processFin(c: Connection, now: number): void {
  c.pendingFinSeq = undefined;
  // Planted bug 'fin-no-sequence-number' (src/tcp/bugs.ts, tests only): the FIN is not counted in RCV.NXT.
  c.rcvNxt = seqAdd(c.rcvNxt, c.profile.bugs?.has('fin-no-sequence-number') ? 0 : 1);
  c.finReceived = true;
  c.ackOwed = true;
  switch (c.state) {
    case 'SYN_RECEIVED':
    case 'ESTABLISHED':
      c.setState('RCV_FIN');
      if (c.profile.delayedAck) {
        // Linux tcp_fin: pingpong mode, so the ACK waits and may ride on our own FIN. On a
        // connection that never received data ato is still 0 and the timer fires at the next
        // jiffy (observed 3-5 ms at HZ=250); otherwise after ato (40 ms).
        c.pingpong = true;
        if (c.ato === 0) {
          if (c.timers.delayedAck === undefined) c.setTimer('delayedAck', now + LINUX_TICK);
        } else {
          scheduleDelayedAck(c, now);
        }
      } else {
        c.ackNow = true;
      }
      return;
    case 'FIN_WAIT_1':
      c.setState('RCV_FIN'); // simultaneous close -> CLOSING
      c.ackNow = true;
      return;
    case 'FIN_WAIT_2':
      c.setState('RCV_FIN');
      c.ackNow = true;
      enterTimeWait(c, now);
      return;
    default:
      c.ackNow = true;
  }
}

export function enterTimeWait(c: Connection, now: number): void {
  c.timeWaitSince = now;
  for (const name of ['retransmit', 'delayedAck', 'finWait2', 'persist'] as const) c.cancelTimer(name);
  // Planted bug 'forget-time-wait' (src/tcp/bugs.ts, tests only): the 2*MSL wait ends at once.
  c.setTimer('timeWait', c.profile.bugs?.has('forget-time-wait') ? now : now + c.profile.timeWaitLength);
}

// ---------------------------------------------------------------- TIME_WAIT (Linux tcp_timewait_state_process)

function timeWait(c: Connection, now: number, seg: Segment): void {
  const flags = seg.flags;
  if (flags & RST) {
    // A reset at exactly RCV.NXT kills TIME_WAIT (tcp_rfc1337 = 0; RFC 1337 calls this TIME-WAIT
    // assassination). Linux ignores any other; RFC 9293 (RFC 5961) challenges one in the window.
    if (seg.seq === c.rcvNxt) c.setState('RCV_RST');
    else if (c.profile.name !== 'linux' && acceptable(c, seg)) challengeAck(c, now, 'RST in window');
    return;
  }
  const end = seqAdd(seg.seq, segLen(seg));
  if (flags & FIN && !(flags & SYN) && end === c.rcvNxt) {
    // The peer repeated its FIN: our last ACK was lost. ACK again and restart 2MSL (3.10.7.4).
    c.setState('RCV_FIN');
    c.setTimer('timeWait', now + c.profile.timeWaitLength);
    sendAck(c, now);
    return;
  }
  if (flags & SYN || seg.payload.length > 0 || seg.seq !== c.rcvNxt) sendAck(c, now);
}

/** A SYN may reopen a TIME_WAIT 4-tuple when its seq is beyond RCV.NXT or its timestamp is newer (RFC 6191). */
export function timeWaitAcceptsSyn(c: Connection, seg: Segment): boolean {
  if ((seg.flags & (SYN | ACK | RST)) !== SYN) return false;
  if (seqGt(seg.seq, c.rcvNxt)) return true;
  if (!c.tsOk) return false;
  const ts = seg.options.find((o) => o.kind === 'timestamps');
  return ts !== undefined && ts.kind === 'timestamps' && seqGt(ts.tsVal, c.tsRecent);
}

