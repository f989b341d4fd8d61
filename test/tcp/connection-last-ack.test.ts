// LAST_ACK: the peer's FIN is in and ours is out, unacknowledged (RFC 9293 3.10.7.4).
// Fixture: the peer's FIN at 200 ms (ACKed), our FIN <SEQ=ISS+1> at 300 ms; RTO 300 ms.
import { describe, expect, it } from 'vitest';
import { RFC9293 } from '../../src/tcp/profile.js';
import { ACK, FIN, ISS, MS, PEER_ISS, RST, RTT, S, SYN, connectionLastAck, flagsOf, seq } from './fixtures.js';

const RCV_NXT = seq(PEER_ISS, 2);
const FIN_SEQ = seq(ISS, 1);
const AFTER_FIN = seq(ISS, 2);
const FIN_AT = 3 * RTT;
const T = 4 * RTT;

describe('LAST_ACK + ACK', () => {
  it('LAST_ACK + ACK of our FIN: CLOSED, nothing sent, no error', () => {
    const h = connectionLastAck();
    expect(h.deliver({ seq: RCV_NXT, ack: AFTER_FIN }, T)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual([]);
    expect(h.advance(T + 100 * S)).toEqual([]);
  });

  it('LAST_ACK + ACK not covering our FIN: stays LAST_ACK', () => {
    const h = connectionLastAck();
    h.deliver({ seq: RCV_NXT, ack: FIN_SEQ }, T);
    expect(h.state).toBe('LAST_ACK');
  });
});

describe('LAST_ACK + FIN / timeout', () => {
  it("LAST_ACK + the peer's FIN again: ACK <SEQ=SND.NXT><ACK=RCV.NXT>", () => {
    const h = connectionLastAck();
    const out = h.deliver({ seq: seq(PEER_ISS, 1), ack: FIN_SEQ, flags: FIN | ACK }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]).toMatchObject({ seq: AFTER_FIN, ack: RCV_NXT });
    expect(h.state).toBe('LAST_ACK');
  });

  it('LAST_ACK + RTO: our FIN is retransmitted at +0.3, +0.9, +2.1 s', () => {
    const h = connectionLastAck();
    const sent = h.advance(FIN_AT + 2200 * MS);
    expect(sent.map((s) => (s.t - FIN_AT) / MS)).toEqual([300, 900, 2100]);
    for (const s of sent) expect(s.seg).toMatchObject({ seq: FIN_SEQ, ack: RCV_NXT, flags: FIN | ACK });
  });
});

describe('LAST_ACK + RST / SYN', () => {
  it('LAST_ACK + RST at RCV.NXT (rfc9293): CLOSED, no error signalled', () => {
    const h = connectionLastAck({ profile: RFC9293 });
    expect(h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual([]);
  });

  // Linux tcp_reset(): LAST_ACK falls in the default case, sk_err = ECONNRESET (a socket that only
  // did shutdown(SHUT_WR) then sees it in send() / SO_ERROR).
  it('LAST_ACK + RST at RCV.NXT (linux): ECONNRESET (tcp_reset), CLOSED', () => {
    const h = connectionLastAck();
    h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, T);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNRESET']);
  });

  // Linux tcp_reset_check(): in LAST_ACK a RST at RCV.NXT - 1 resets too.
  it('LAST_ACK + RST at RCV.NXT-1 (linux tcp_reset_check): CLOSED', () => {
    const h = connectionLastAck();
    h.deliver({ seq: seq(RCV_NXT, -1), ack: 0, flags: RST }, T);
    expect(h.state).toBe('CLOSED');
  });

  it('LAST_ACK + in-window RST not at RCV.NXT: challenge ACK, stays LAST_ACK', () => {
    const h = connectionLastAck();
    const out = h.deliver({ seq: seq(RCV_NXT, 100), ack: 0, flags: RST }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]).toMatchObject({ seq: AFTER_FIN, ack: RCV_NXT });
    expect(h.state).toBe('LAST_ACK');
  });

  it('LAST_ACK + RST out of window: ignored', () => {
    const h = connectionLastAck();
    expect(h.deliver({ seq: seq(RCV_NXT, 9_000_000), ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('LAST_ACK');
  });

  it('LAST_ACK + SYN: challenge ACK, stays LAST_ACK', () => {
    const h = connectionLastAck();
    const out = h.deliver({ seq: seq(RCV_NXT, 100), ack: 0, flags: SYN }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(h.state).toBe('LAST_ACK');
  });
});
