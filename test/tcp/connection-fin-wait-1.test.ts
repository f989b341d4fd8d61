// FIN_WAIT_1: our FIN is out, unacknowledged (RFC 9293 3.10.4, 3.10.7.4).
// Fixture: handshake at 100 ms (RTO 300 ms), our FIN <SEQ=ISS+1> sent at 200 ms.
import { describe, expect, it } from 'vitest';
import { RFC9293 } from '../../src/tcp/profile.js';
import { ACK, FIN, ISS, MS, PEER_ISS, RST, RTT, S, SYN, connectionEstablished, connectionFinWait1, fill, flagsOf, seq } from './fixtures.js';

const RCV_NXT = seq(PEER_ISS, 1);
const FIN_SEQ = seq(ISS, 1);
const AFTER_FIN = seq(ISS, 2);
const T = 3 * RTT;

describe('FIN_WAIT_1 + ACK', () => {
  it('FIN_WAIT_1 + ACK of our FIN: FIN_WAIT_2, nothing sent, no retransmission', () => {
    const h = connectionFinWait1();
    expect(h.deliver({ ack: AFTER_FIN }, T)).toEqual([]);
    expect(h.state).toBe('FIN_WAIT_2');
    expect(h.c.sndUna).toBe(AFTER_FIN);
    expect(h.advance(T + 100 * S)).toEqual([]);
  });

  it('FIN_WAIT_1 + ACK of our data but not of the FIN behind it: stays FIN_WAIT_1', () => {
    const h = connectionEstablished();
    h.send(100, 2 * RTT);
    h.closeWrite(2 * RTT + 1 * MS);
    expect(h.state).toBe('FIN_WAIT_1');
    h.deliver({ ack: seq(ISS, 101) }, 3 * RTT);
    expect(h.state).toBe('FIN_WAIT_1');
    h.deliver({ ack: seq(ISS, 102) }, 3 * RTT + 1 * MS);
    expect(h.state).toBe('FIN_WAIT_2');
  });
});

describe('FIN_WAIT_1 + FIN', () => {
  it('FIN_WAIT_1 + FIN not acknowledging ours (simultaneous close): CLOSING, ACK <SEQ=ISS+2><ACK=IRS+2> at once', () => {
    const h = connectionFinWait1();
    const out = h.fin({ ack: FIN_SEQ }, T);
    expect(h.state).toBe('CLOSING');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: AFTER_FIN, ack: seq(RCV_NXT, 1), flags: ACK });
  });

  it('FIN_WAIT_1 + FIN|ACK acknowledging our FIN: TIME_WAIT, ACK at once, 60 s timer (linux)', () => {
    const h = connectionFinWait1();
    const out = h.fin({ ack: AFTER_FIN }, T);
    expect(h.state).toBe('TIME_WAIT');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: AFTER_FIN, ack: seq(RCV_NXT, 1), flags: ACK });
    h.advance(T + 60 * S - 1);
    expect(h.state).toBe('TIME_WAIT');
    h.advance(T + 60 * S);
    expect(h.state).toBe('CLOSED');
  });

  it('FIN_WAIT_1 + FIN|ACK acknowledging our FIN (rfc9293): TIME_WAIT lasts 2 MSL = 240 s', () => {
    const h = connectionFinWait1({ profile: RFC9293 });
    h.fin({ ack: AFTER_FIN }, T);
    expect(h.state).toBe('TIME_WAIT');
    h.advance(T + 239 * S);
    expect(h.state).toBe('TIME_WAIT');
    h.advance(T + 240 * S);
    expect(h.state).toBe('CLOSED');
  });
});

describe('FIN_WAIT_1 + data', () => {
  it('FIN_WAIT_1 + data (socket still open): received and ACKed', () => {
    const h = connectionFinWait1();
    const out = h.data(20, { ack: FIN_SEQ }, T);
    expect(out).toHaveLength(1);
    expect(out[0]!.ack).toBe(seq(RCV_NXT, 20));
    expect([...h.read(100)]).toEqual([...fill(20, RCV_NXT)]);
    expect(h.state).toBe('FIN_WAIT_1');
  });

  // RFC 1122 4.2.2.13 / RFC 2525 2.17; Linux tcp_rcv_state_process (TCPAbortOnData): new data for
  // a socket whose application has closed it draws a RST <SEQ=SEG.ACK>.
  it('FIN_WAIT_1 (orphaned by close()) + new data: RST <SEQ=SEG.ACK>, CLOSED', () => {
    const h = connectionFinWait1();
    h.c.orphan(T - 1);
    const out = h.data(20, { ack: FIN_SEQ }, T);
    expect(out.map(flagsOf)).toEqual(['RST']);
    expect(out[0]!.seq).toBe(FIN_SEQ);
    expect(h.state).toBe('CLOSED');
  });
});

describe('FIN_WAIT_1 + RST / SYN', () => {
  it('FIN_WAIT_1 + RST at RCV.NXT: ECONNRESET, CLOSED, nothing sent', () => {
    const h = connectionFinWait1();
    expect(h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNRESET']);
  });

  it('FIN_WAIT_1 + in-window RST not at RCV.NXT: challenge ACK, stays FIN_WAIT_1', () => {
    const h = connectionFinWait1();
    const out = h.deliver({ seq: seq(RCV_NXT, 100), ack: 0, flags: RST }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]).toMatchObject({ seq: AFTER_FIN, ack: RCV_NXT });
    expect(h.state).toBe('FIN_WAIT_1');
  });

  it('FIN_WAIT_1 + RST out of window: ignored', () => {
    const h = connectionFinWait1();
    expect(h.deliver({ seq: seq(RCV_NXT, 5_000_000), ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('FIN_WAIT_1');
  });

  it('FIN_WAIT_1 + SYN: challenge ACK, stays FIN_WAIT_1', () => {
    const h = connectionFinWait1();
    const out = h.deliver({ seq: seq(RCV_NXT, 10), ack: 0, flags: SYN }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(h.state).toBe('FIN_WAIT_1');
  });
});

describe('FIN_WAIT_1 + retransmission timeout', () => {
  it('FIN_WAIT_1 + RTO: the FIN is retransmitted at +0.3, +0.9 s (RTO 300 ms doubling)', () => {
    const h = connectionFinWait1();
    const sent = h.advance(2 * RTT + 1 * S);
    expect(sent.map((s) => s.t - 2 * RTT)).toEqual([300 * MS, 900 * MS]);
    for (const s of sent) {
      expect(s.seg).toMatchObject({ seq: FIN_SEQ, flags: FIN | ACK });
      expect(s.retransmit).toBe(true);
    }
  });
});
