// SYN_SENT: RFC 9293 3.10.7.3 and the SYN retransmission schedule (Linux tcp_timer.c).
import { describe, expect, it } from 'vitest';
import { LINUX, RFC9293, withKnobs } from '../../src/tcp/profile.js';
import {
  ACK,
  ISS,
  MS,
  PEER_ISS,
  RST,
  RTT,
  S,
  SYN,
  connectionClosed,
  connectionSynSent,
  flagsOf,
  seq,
} from './fixtures.js';

const synAck = (ack = seq(ISS, 1)) => ({ seq: PEER_ISS, ack, flags: SYN | ACK, options: [{ kind: 'mss' as const, mss: 1460 }] });

describe('CLOSED + connect()', () => {
  it('CLOSED + connect: sends <SEQ=ISS><CTL=SYN>, SYN_SENT', () => {
    const h = connectionClosed();
    h.c.open(0);
    const [syn, ...rest] = h.collect();
    expect(rest).toEqual([]);
    expect(h.state).toBe('SYN_SENT');
    expect(syn).toMatchObject({ seq: ISS, flags: SYN, srcPort: 40000, dstPort: 80 });
    // Ethernet: MSS 1460, SYN window 64240 (linux-tcp-facts, "the wire").
    expect(syn!.window).toBe(64240);
  });

  it('CLOSED + connect (linux): SYN options in tcp_options_write order: mss, sackOK, TS, nop, wscale', () => {
    const h = connectionClosed();
    h.c.open(0);
    const [syn] = h.collect();
    expect(syn!.options.map((o) => o.kind)).toEqual(['mss', 'sackPermitted', 'timestamps', 'nop', 'windowScale']);
    expect(syn!.options[0]).toEqual({ kind: 'mss', mss: 1460 });
  });

  it('CLOSED + connect (rfc9293): SYN carries only the MSS option', () => {
    const h = connectionClosed({ profile: RFC9293 });
    h.c.open(0);
    const [syn] = h.collect();
    expect(syn!.options).toEqual([{ kind: 'mss', mss: 1460 }]);
  });
});

describe('SYN_SENT + segments (RFC 9293 3.10.7.3)', () => {
  it('SYN_SENT + SYN-ACK with acceptable ACK: ESTABLISHED, ACK <SEQ=ISS+1><ACK=IRS+1> at once', () => {
    const h = connectionSynSent();
    const out = h.deliver(synAck(), RTT);
    expect(h.state).toBe('ESTABLISHED');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(ISS, 1), ack: seq(PEER_ISS, 1), flags: ACK });
    expect(h.c.sndUna).toBe(seq(ISS, 1));
    expect(h.c.rcvNxt).toBe(seq(PEER_ISS, 1));
    // The SYN is acknowledged: no retransmission follows.
    expect(h.advance(200 * S)).toEqual([]);
  });

  it('SYN_SENT + SYN-ACK with SEG.ACK = ISS (not > ISS): RST <SEQ=SEG.ACK>, stays SYN_SENT', () => {
    const h = connectionSynSent();
    const out = h.deliver(synAck(ISS), RTT);
    expect(out.map(flagsOf)).toEqual(['RST']);
    expect(out[0]).toMatchObject({ seq: ISS, flags: RST });
    expect(h.state).toBe('SYN_SENT');
  });

  it('SYN_SENT + SYN-ACK with SEG.ACK > SND.NXT: RST <SEQ=SEG.ACK>, stays SYN_SENT', () => {
    const h = connectionSynSent();
    const out = h.deliver(synAck(seq(ISS, 500)), RTT);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(ISS, 500), flags: RST });
    expect(h.state).toBe('SYN_SENT');
  });

  it('SYN_SENT + RST with acceptable ACK: ECONNREFUSED, CLOSED, nothing sent', () => {
    const h = connectionSynSent();
    const out = h.deliver({ seq: 0, ack: seq(ISS, 1), flags: RST | ACK }, RTT);
    expect(out).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNREFUSED']);
    expect(h.advance(200 * S)).toEqual([]);
  });

  it('SYN_SENT + RST without ACK: ignored', () => {
    const h = connectionSynSent();
    const out = h.deliver({ seq: 0, ack: 0, flags: RST }, RTT);
    expect(out).toEqual([]);
    expect(h.state).toBe('SYN_SENT');
    expect(h.errors()).toEqual([]);
  });

  it('SYN_SENT + RST with unacceptable ACK: ignored, no RST in reply', () => {
    const h = connectionSynSent();
    const out = h.deliver({ seq: 0, ack: seq(ISS, 77), flags: RST | ACK }, RTT);
    expect(out).toEqual([]);
    expect(h.state).toBe('SYN_SENT');
    expect(h.errors()).toEqual([]);
  });

  // scripts/kernel/observed/syn_to_time_wait.txt case C: a TIME_WAIT's ACK (ack = its old RCV.NXT)
  // answered the SYN; the client sent RST (seq = SEG.ACK) and repeated its SYN 12 ms later, not 1 s
  // (tcp_rcv_synsent_state_process re-arms the timer with TCP_TIMEOUT_MIN, 2 jiffies).
  it('SYN_SENT + bare ACK with an unacceptable ACK (linux): RST <SEQ=SEG.ACK>, and the SYN again after 8 ms', () => {
    const h = connectionSynSent();
    const at = 2 * MS;
    const out = h.deliver({ seq: PEER_ISS, ack: seq(ISS, -5_000_000), flags: ACK }, at);
    expect(out.map(flagsOf)).toEqual(['RST']);
    expect(out[0]).toMatchObject({ seq: seq(ISS, -5_000_000) });
    const again = h.advance(at + 10 * MS);
    expect(again.map((s) => [s.t, flagsOf(s.seg), s.seg.seq])).toEqual([[at + 8 * MS, 'SYN', ISS]]);
    // The next retransmission keeps the linear 1 s schedule from there.
    expect(h.advance(at + 8 * MS + 1 * S).map((s) => s.t)).toEqual([at + 8 * MS + 1 * S]);
  });

  it('SYN_SENT + unacceptable ACK after the SYN was already repeated (linux): RST only, the RTO schedule stands', () => {
    const h = connectionSynSent();
    h.advance(1 * S); // first retransmission at 1 s
    const out = h.deliver({ seq: PEER_ISS, ack: seq(ISS, 77), flags: ACK }, 1 * S + 2 * MS);
    expect(out.map(flagsOf)).toEqual(['RST']);
    expect(h.advance(1 * S + 500 * MS)).toEqual([]);
    expect(h.advance(2 * S).map((s) => s.t)).toEqual([2 * S]);
  });

  it('SYN_SENT + unacceptable ACK (rfc9293): RST, and the SYN waits for the RTO', () => {
    const h = connectionSynSent({ profile: RFC9293 });
    h.deliver({ seq: PEER_ISS, ack: seq(ISS, 77), flags: ACK }, 2 * MS);
    expect(h.advance(1 * S).map((s) => s.t)).toEqual([1 * S]);
  });

  it('SYN_SENT + SYN without ACK (simultaneous open): SYN_RECEIVED, SYN-ACK <SEQ=ISS><ACK=IRS+1>', () => {
    const h = connectionSynSent();
    const out = h.deliver({ seq: PEER_ISS, ack: 0, flags: SYN, options: [{ kind: 'mss', mss: 1460 }] }, RTT / 2);
    expect(h.state).toBe('SYN_RECEIVED');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: ISS, ack: seq(PEER_ISS, 1), flags: SYN | ACK });
  });

  it('SYN_SENT + acceptable ACK without SYN or RST: dropped, nothing sent', () => {
    const h = connectionSynSent();
    const out = h.deliver({ seq: PEER_ISS, ack: seq(ISS, 1), flags: ACK }, RTT);
    expect(out).toEqual([]);
    expect(h.state).toBe('SYN_SENT');
  });

  it('SYN_SENT + close(): CLOSED, nothing sent, no more SYNs', () => {
    const h = connectionSynSent();
    expect(h.closeWrite(RTT / 2)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.advance(200 * S)).toEqual([]);
  });
});

describe('SYN_SENT + retransmission timeout', () => {
  it('SYN_SENT + RTO (linux defaults): SYNs at 0,1,2,3,4,5,7,11,19,35,67 s, ETIMEDOUT and CLOSED at 131 s', () => {
    const h = connectionSynSent();
    const sent = h.advance(130 * S);
    expect(sent.map((s) => s.t / S)).toEqual([1, 2, 3, 4, 5, 7, 11, 19, 35, 67]);
    for (const s of sent) {
      expect(s.seg).toMatchObject({ seq: ISS, flags: SYN });
      expect(s.retransmit).toBe(true);
    }
    expect(h.state).toBe('SYN_SENT');
    expect(h.errors()).toEqual([]);
    expect(h.advance(131 * S)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ETIMEDOUT']);
    expect(h.log.find((e) => e.kind === 'state' && e.to === 'CLOSED')!.t).toBe(131 * S);
  });

  it('SYN_SENT + RTO (linux, tcp_syn_linear_timeouts=0, before 6.5): SYNs at 0,1,3,7,15,31,63 s, ETIMEDOUT at 127 s', () => {
    const h = connectionSynSent({ profile: withKnobs(LINUX, { synLinearTimeouts: 0 }) });
    const sent = h.advance(126 * S);
    expect(sent.map((s) => s.t / S)).toEqual([1, 3, 7, 15, 31, 63]);
    expect(h.state).toBe('SYN_SENT');
    h.advance(127 * S);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ETIMEDOUT']);
  });

  it('SYN_SENT + RTO (rfc9293): the RTO doubles from 1 s (RFC 6298 5.5): SYNs at 1,3,7,15,31 s', () => {
    const h = connectionSynSent({ profile: RFC9293 });
    const sent = h.advance(62 * S);
    expect(sent.map((s) => s.t / S)).toEqual([1, 3, 7, 15, 31]);
  });

  // RFC 9293 3.8.3 (MUST-23, from RFC 1122 4.2.3.5): "R2 for a SYN segment MUST be set large enough
  // to provide retransmission of the segment for at least 3 minutes."
  it('SYN_SENT + RTO (rfc9293): keeps retransmitting the SYN for at least 3 minutes before ETIMEDOUT', () => {
    const h = connectionSynSent({ profile: RFC9293 });
    h.advance(180 * S);
    expect(h.errors()).toEqual([]);
    expect(h.state).toBe('SYN_SENT');
    expect(h.sent.at(-1)!.t).toBeGreaterThanOrEqual(120 * S);
  });

  // RFC 6298 5.7 (MUST): when the SYN had to be retransmitted, the RTO is re-initialised to 3 s once
  // data transmission begins. Linux tcp_init_metrics: "We've failed to get a valid RTT sample from
  // 3WHS ... Reset the RTO back to 3secs" (TCP_TIMEOUT_FALLBACK).
  it('SYN_SENT + SYN-ACK after a SYN retransmission: first data RTO is 3 s (RFC 6298 5.7)', () => {
    const h = connectionSynSent();
    h.advance(1 * S); // the SYN is repeated at 1 s
    h.deliver(synAck(), 1 * S + 50 * MS);
    expect(h.state).toBe('ESTABLISHED');
    h.send(100, 2 * S);
    const rtx = h.advance(10 * S).filter((s) => s.retransmit);
    expect(rtx[0]!.t).toBe(5 * S);
  });

  it('SYN_SENT + SYN-ACK after a SYN retransmission: no RTT sample from the repeated SYN (Karn)', () => {
    const h = connectionSynSent();
    h.advance(1 * S);
    h.deliver(synAck(), 1 * S + 50 * MS);
    // A 50 ms sample would give Linux an RTO of 250 ms; Karn's rule forbids taking it.
    h.send(100, 2 * S);
    const rtx = h.advance(10 * S).filter((s) => s.retransmit);
    expect(rtx[0]!.t).toBeGreaterThanOrEqual(3 * S);
  });
});
