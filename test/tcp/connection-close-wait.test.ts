// CLOSE_WAIT: the peer's FIN is in, our side is still open (RFC 9293 3.10.7.4; Linux tcp_reset,
// tcp_reset_check). Fixture: handshake at 100 ms, the peer's FIN <SEQ=IRS+1> at 200 ms, ACKed.
import { describe, expect, it } from 'vitest';
import { RFC9293 } from '../../src/tcp/profile.js';
import { ACK, FIN, ISS, PEER_ISS, RST, RTT, SYN, connectionCloseWait, fill, flagsOf, seq } from './fixtures.js';

const RCV_NXT = seq(PEER_ISS, 2); // after the FIN
const SND_NXT = seq(ISS, 1);
const T = 4 * RTT;

describe('CLOSE_WAIT + RST', () => {
  // Linux tcp_reset(): "case TCP_CLOSE_WAIT: sk->sk_err = EPIPE".
  it('CLOSE_WAIT + RST at RCV.NXT (linux): EPIPE, CLOSED', () => {
    const h = connectionCloseWait();
    expect(h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['EPIPE']);
  });

  // RFC 9293 3.10.7.4 second, ESTABLISHED/FIN-WAIT-1/FIN-WAIT-2/CLOSE-WAIT: "Users should also
  // receive an unsolicited general 'connection reset' signal" -- ECONNRESET, not Linux's EPIPE.
  it('CLOSE_WAIT + RST at RCV.NXT (rfc9293): ECONNRESET ("connection reset"), CLOSED', () => {
    const h = connectionCloseWait({ profile: RFC9293 });
    h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, T);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNRESET']);
  });

  // Linux tcp_validate_incoming -> tcp_reset_check(): in CLOSE_WAIT, LAST_ACK and CLOSING a RST
  // whose seq is RCV.NXT - 1 (the peer's FIN's own sequence number) also resets, although it is
  // left of the window.
  it('CLOSE_WAIT + RST at RCV.NXT-1 (linux tcp_reset_check): EPIPE, CLOSED', () => {
    const h = connectionCloseWait();
    h.deliver({ seq: seq(RCV_NXT, -1), ack: 0, flags: RST }, T);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['EPIPE']);
  });

  it('CLOSE_WAIT + in-window RST not at RCV.NXT: challenge ACK, stays CLOSE_WAIT', () => {
    const h = connectionCloseWait();
    const out = h.deliver({ seq: seq(RCV_NXT, 50), ack: 0, flags: RST }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]).toMatchObject({ seq: SND_NXT, ack: RCV_NXT });
    expect(h.state).toBe('CLOSE_WAIT');
  });

  it('CLOSE_WAIT + RST out of window: ignored', () => {
    const h = connectionCloseWait();
    expect(h.deliver({ seq: seq(RCV_NXT, 5_000_000), ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('CLOSE_WAIT');
  });

  it('CLOSE_WAIT + SYN: challenge ACK, stays CLOSE_WAIT', () => {
    const h = connectionCloseWait();
    const out = h.deliver({ seq: seq(RCV_NXT, 50), ack: 0, flags: SYN }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(h.state).toBe('CLOSE_WAIT');
  });
});

describe('CLOSE_WAIT + FIN / data', () => {
  it('CLOSE_WAIT + the FIN again (our ACK was lost): ACK <SEQ=SND.NXT><ACK=RCV.NXT> at once, stays CLOSE_WAIT', () => {
    const h = connectionCloseWait();
    const out = h.deliver({ seq: seq(PEER_ISS, 1), flags: FIN | ACK }, T);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND_NXT, ack: RCV_NXT, flags: ACK });
    expect(h.state).toBe('CLOSE_WAIT');
  });

  it('CLOSE_WAIT + data after the FIN: ignored (RFC 9293 3.10.7.4 seventh), RCV.NXT unchanged', () => {
    const h = connectionCloseWait();
    h.deliver({ seq: RCV_NXT, payload: fill(10, 0) }, T);
    expect(h.c.rcvNxt).toBe(RCV_NXT);
    expect(h.read(100)).toHaveLength(0);
    expect(h.state).toBe('CLOSE_WAIT');
  });
});

describe('CLOSE_WAIT + our calls', () => {
  it('CLOSE_WAIT + send: the data goes out (<SEQ=SND.NXT><ACK=RCV.NXT>) and its ACK is processed', () => {
    const h = connectionCloseWait();
    const out = h.send(30, T);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND_NXT, ack: RCV_NXT });
    expect(out[0]!.payload).toHaveLength(30);
    h.deliver({ ack: seq(SND_NXT, 30) }, T + RTT);
    expect(h.c.sndUna).toBe(seq(SND_NXT, 30));
  });

  it('CLOSE_WAIT + close(): LAST_ACK, FIN <SEQ=SND.NXT><ACK=RCV.NXT>', () => {
    const h = connectionCloseWait();
    const out = h.closeWrite(T);
    expect(h.state).toBe('LAST_ACK');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND_NXT, ack: RCV_NXT, flags: FIN | ACK });
  });
});
