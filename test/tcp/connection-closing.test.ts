// CLOSING: both FINs crossed, ours not yet acknowledged (RFC 9293 3.10.7.4, figure 13).
// Fixture: our FIN <SEQ=ISS+1> at 200 ms, the peer's FIN (acknowledging only ISS+1) at 300 ms.
import { describe, expect, it } from 'vitest';
import { RFC9293 } from '../../src/tcp/profile.js';
import { ACK, FIN, ISS, MS, PEER_ISS, RST, RTT, S, connectionClosing, flagsOf, seq } from './fixtures.js';

const RCV_NXT = seq(PEER_ISS, 2);
const FIN_SEQ = seq(ISS, 1);
const AFTER_FIN = seq(ISS, 2);
const T = 4 * RTT;

describe('CLOSING + ACK', () => {
  it('CLOSING + ACK of our FIN: TIME_WAIT, nothing sent; TIME_WAIT ends 60 s later (linux)', () => {
    const h = connectionClosing();
    expect(h.deliver({ seq: RCV_NXT, ack: AFTER_FIN }, T)).toEqual([]);
    expect(h.state).toBe('TIME_WAIT');
    h.advance(T + 60 * S - 1);
    expect(h.state).toBe('TIME_WAIT');
    h.advance(T + 60 * S);
    expect(h.state).toBe('CLOSED');
  });

  it('CLOSING + ACK not covering our FIN: stays CLOSING', () => {
    const h = connectionClosing();
    h.deliver({ seq: RCV_NXT, ack: FIN_SEQ }, T);
    expect(h.state).toBe('CLOSING');
  });
});

describe('CLOSING + FIN / timeout', () => {
  it("CLOSING + the peer's FIN again: ACK <ACK=RCV.NXT> at once", () => {
    const h = connectionClosing();
    const out = h.deliver({ seq: seq(PEER_ISS, 1), ack: FIN_SEQ, flags: FIN | ACK }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]).toMatchObject({ seq: AFTER_FIN, ack: RCV_NXT });
    expect(h.state).toBe('CLOSING');
  });

  it('CLOSING + RTO: our FIN is retransmitted 300 ms after it was sent', () => {
    const h = connectionClosing();
    const sent = h.advance(2 * RTT + 400 * MS);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.t).toBe(2 * RTT + 300 * MS);
    expect(sent[0]!.seg).toMatchObject({ seq: FIN_SEQ, ack: RCV_NXT, flags: FIN | ACK });
  });
});

describe('CLOSING + RST', () => {
  it('CLOSING + RST at RCV.NXT (rfc9293): CLOSED, no error signalled', () => {
    const h = connectionClosing({ profile: RFC9293 });
    expect(h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual([]);
  });

  // Linux tcp_reset(): every state but SYN_SENT (ECONNREFUSED), CLOSE_WAIT (EPIPE) and CLOSE sets
  // sk_err = ECONNRESET, CLOSING included (visible through SO_ERROR / send() on a socket that only
  // did shutdown(SHUT_WR)).
  it('CLOSING + RST at RCV.NXT (linux): ECONNRESET (tcp_reset), CLOSED', () => {
    const h = connectionClosing();
    h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, T);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNRESET']);
  });

  // Linux tcp_reset_check(): in CLOSING a RST at RCV.NXT - 1 resets too.
  it('CLOSING + RST at RCV.NXT-1 (linux tcp_reset_check): CLOSED', () => {
    const h = connectionClosing();
    h.deliver({ seq: seq(RCV_NXT, -1), ack: 0, flags: RST }, T);
    expect(h.state).toBe('CLOSED');
  });

  it('CLOSING + in-window RST not at RCV.NXT: challenge ACK, stays CLOSING', () => {
    const h = connectionClosing();
    const out = h.deliver({ seq: seq(RCV_NXT, 100), ack: 0, flags: RST }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(h.state).toBe('CLOSING');
  });

  it('CLOSING + RST out of window: ignored', () => {
    const h = connectionClosing();
    expect(h.deliver({ seq: seq(RCV_NXT, 9_000_000), ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('CLOSING');
  });
});
