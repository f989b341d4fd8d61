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

/** Retransmissions allowed before giving up, for the current state (Linux tcp_write_timeout). */
function retryLimit(c: Connection): number {
  const p = c.profile;
  if (c.state === 'SYN_SENT') return p.synRetries + p.synLinearTimeouts;
  if (c.state === 'SYN_RECEIVED') {
    if (!c.passive) return p.synRetries;
    return c.synAckRetryLimit ? c.synAckRetryLimit() : p.synAckRetries;
  }
  return p.retries2;
}

function onRetransmitTimeout(c: Connection, now: number): void {
  if (c.retransmits >= retryLimit(c)) {
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
