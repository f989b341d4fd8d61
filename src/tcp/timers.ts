// What each timer does when it fires (RFC 9293 3.8.1, RFC 6298, Linux net/ipv4/tcp_timer.c).
import { seqDiff } from '../wire/seq.js';
import type { Connection } from './connection.js';
import { sendAck, sendSyn, sendWindowProbe, transmit } from './output.js';
import type { TimerName } from './timer-names.js';

export function onTimer(c: Connection, now: number, name: TimerName): void {
  switch (name) {
    case 'retransmit':
    case 'synAck':
      return onRetransmitTimeout(c, now);
    case 'delayedAck':
      return onDelayedAck(c, now);
    case 'timeWait':
      // RFC 9293 3.10.8: the 2MSL timeout deletes the TCB.
      c.setState('TIMEOUT_2MSL');
      return;
    case 'finWait2':
      // Linux: an orphaned FIN_WAIT_2 socket is dropped after tcp_fin_timeout, silently.
      c.setState('FIN_WAIT_2_TIMEOUT');
      return;
    case 'persist':
      return onPersist(c, now);
  }
}

/**
 * Linux tcp_model_timeout: how long r retransmissions with exponential backoff from `base` take,
 * (2^(r+1) - 1) * base until the backoff reaches the maximum RTO, then linear.
 */
export function modelTimeout(boundary: number, base: number, maxRto: number): number {
  const thresh = Math.floor(Math.log2(maxRto / base));
  if (boundary <= thresh) return (2 ** (boundary + 1) - 1) * base;
  return (2 ** (thresh + 1) - 1) * base + (boundary - thresh) * maxRto;
}

/**
 * Has the connection retransmitted long enough to give up?
 * linux (tcp_write_timeout / retransmits_timed_out): a time budget since the first transmission of
 * what is being retransmitted, so tcp_syn_linear_timeouts fits more SYNs into the same budget.
 * A listener's request (SYN_RECEIVED, passive) counts SYN-ACKs instead (reqsk_timer_handler).
 * rfc9293: a count of retransmissions (RFC 9293 3.8.3 R2).
 */
function timedOut(c: Connection, now: number): boolean {
  const p = c.profile;
  if (c.state === 'SYN_RECEIVED' && c.passive) {
    return c.retransmits >= c.synAckRetryLimit();
  }
  const handshake = c.state === 'SYN_SENT' || c.state === 'SYN_RECEIVED';
  if (p.name !== 'linux') return c.retransmits >= (handshake ? p.synRetries : p.retries2);
  const budget = handshake ? modelTimeout(p.synRetries, p.initialRto, p.maxRto) : modelTimeout(p.retries2, p.minRto, p.maxRto);
  return now - (c.retransmitSince ?? now) >= budget;
}

function onRetransmitTimeout(c: Connection, now: number): void {
  // Linux retrans_stamp: when what is now being retransmitted was first sent (for a SYN, its
  // timing sample says; the timer may have been brought forward from the RTO).
  if (c.retransmits === 0) c.retransmitSince = c.state === 'SYN_SENT' && c.rttSample ? c.rttSample.sentAt : now - c.rto;
  if (timedOut(c, now)) {
    // RFC 9293 3.8.3 R2 / Linux tcp_write_err: the connection is dropped without a segment.
    c.fail('ETIMEDOUT');
    c.setState('RETRANSMIT_GIVE_UP');
    return;
  }
  c.retransmits += 1;
  c.rttSample = undefined; // Karn: no RTT sample from a retransmitted segment
  // The first tcp_syn_linear_timeouts SYN retransmissions keep the initial RTO (Linux >= 6.5).
  const linear = c.state === 'SYN_SENT' && c.retransmits <= c.profile.synLinearTimeouts;
  if (!linear) c.rto = Math.min(c.rto * 2, c.profile.maxRto);
  const timer: TimerName = c.state === 'SYN_RECEIVED' && c.passive ? 'synAck' : 'retransmit';
  if (c.state === 'SYN_SENT') {
    sendSyn(c, now, false, true);
  } else if (c.state === 'SYN_RECEIVED') {
    sendSyn(c, now, true, true);
  } else {
    // Go back N (RFC 5681 3.1 after RTO): cwnd to one segment, resend from SND.UNA.
    const flight = Math.max(1, Math.ceil(seqDiff(c.sndMax, c.sndUna) / c.effectiveMss()));
    c.ssthresh = Math.max(2, Math.floor(flight / 2));
    c.cwnd = 1;
    c.sndNxt = c.sndUna;
    transmit(c, now);
  }
  c.setTimer(timer, now + c.rto);
}

function onDelayedAck(c: Connection, now: number): void {
  // Linux tcp_delack_timer_handler: a missed delayed ACK leaves pingpong mode (ato back to
  // the minimum) or, outside it, inflates ato.
  if (c.pingpong) {
    c.pingpong = false;
    c.ato = c.profile.delayedAckTimeout;
  } else {
    c.ato = Math.min(c.ato * 2, c.rto);
  }
  sendAck(c, now);
}

function onPersist(c: Connection, now: number): void {
  if (c.sndWnd > 0) {
    transmit(c, now);
    return;
  }
  sendWindowProbe(c, now);
  c.probes += 1;
  const backoff = Math.min(c.rto * 2 ** c.probes, c.profile.maxRto);
  c.setTimer('persist', now + backoff);
}
