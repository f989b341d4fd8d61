// FIN_WAIT_2: our FIN is acknowledged, the peer's FIN is awaited (RFC 9293 3.10.7.4; Linux
// tcp_fin_timeout for orphaned sockets). Fixture: our FIN at 200 ms, ACKed at 300 ms, socket open.
import { describe, expect, it } from 'vitest';
import { LINUX, RFC9293, withKnobs } from '../../src/tcp/profile.js';
import { ACK, FIN, ISS, MS, PEER_ISS, RST, RTT, S, connectionFinWait2, fill, flagsOf, seq } from './fixtures.js';

const RCV_NXT = seq(PEER_ISS, 1);
const SND_NXT = seq(ISS, 2);
const T = 4 * RTT;

describe('FIN_WAIT_2 + FIN', () => {
  it('FIN_WAIT_2 + FIN: TIME_WAIT, ACK <SEQ=SND.NXT><ACK=IRS+2> at once; TIME_WAIT ends 60 s later (linux)', () => {
    const h = connectionFinWait2();
    const out = h.fin({}, T);
    expect(h.state).toBe('TIME_WAIT');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND_NXT, ack: seq(RCV_NXT, 1), flags: ACK });
    expect(h.advance(T + 60 * S)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.log.find((e) => e.kind === 'state' && e.to === 'CLOSED')!.t).toBe(T + 60 * S);
  });

  it('FIN_WAIT_2 + data with FIN: data readable, TIME_WAIT', () => {
    const h = connectionFinWait2();
    h.data(5, { flags: FIN | ACK }, T);
    expect(h.state).toBe('TIME_WAIT');
    expect([...h.read(10)]).toEqual([...fill(5, RCV_NXT)]);
  });
});

describe('FIN_WAIT_2 + data', () => {
  it('FIN_WAIT_2 (socket open, half-close) + data: received and ACKed at once', () => {
    const h = connectionFinWait2();
    const out = h.data(7, {}, T);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ack: seq(RCV_NXT, 7), flags: ACK });
    expect([...h.read(10)]).toEqual([...fill(7, RCV_NXT)]);
    expect(h.state).toBe('FIN_WAIT_2');
  });

  it('FIN_WAIT_2 (orphaned) + new data: RST <SEQ=SEG.ACK>, CLOSED', () => {
    const h = connectionFinWait2();
    h.c.orphan(T - 1);
    const out = h.data(7, {}, T);
    expect(out.map(flagsOf)).toEqual(['RST']);
    expect(out[0]!.seq).toBe(SND_NXT);
    expect(h.state).toBe('CLOSED');
  });
});

describe('FIN_WAIT_2 + time', () => {
  it('FIN_WAIT_2 (socket still open after shutdown(SHUT_WR)): no timer, still FIN_WAIT_2 after 10 minutes', () => {
    const h = connectionFinWait2();
    expect(h.advance(600 * S)).toEqual([]);
    expect(h.state).toBe('FIN_WAIT_2');
  });

  it('FIN_WAIT_2 (orphaned, linux tcp_fin_timeout 60 s): CLOSED 60 s after close(), silently', () => {
    const h = connectionFinWait2();
    h.c.orphan(T);
    h.collect();
    expect(h.advance(T + 60 * S - 1)).toEqual([]);
    expect(h.state).toBe('FIN_WAIT_2');
    expect(h.advance(T + 60 * S)).toEqual([]);
    expect(h.state).toBe('CLOSED');
  });

  it('FIN_WAIT_2 (orphaned, tcp_fin_timeout=5): CLOSED 5 s after close()', () => {
    const h = connectionFinWait2({ profile: withKnobs(LINUX, { finTimeout: 5 * S }) });
    h.c.orphan(T);
    h.collect();
    h.advance(T + 5 * S - 1);
    expect(h.state).toBe('FIN_WAIT_2');
    h.advance(T + 5 * S);
    expect(h.state).toBe('CLOSED');
  });

  // scripts/kernel/observed/fin_wait_2_lifetime.txt: tcp_fin_timeout 30 -> gone after 31.5 s; 61 -> 2.1 s;
  // 65 -> 10.2 s (5 s on the keepalive timer, then a 5 s mini-socket); 90 -> 62.1 s.
  it.each([
    [30, 30],
    [65, 10],
    [90, 60],
  ])('FIN_WAIT_2 (orphaned, linux tcp_fin_timeout=%i s): CLOSED %i s after close()', (ft, lasts) => {
    const h = connectionFinWait2({ profile: withKnobs(LINUX, { finTimeout: ft * S }) });
    h.c.orphan(T);
    h.collect();
    h.advance(T + lasts * S - 1);
    expect(h.state).toBe('FIN_WAIT_2');
    h.advance(T + lasts * S);
    expect(h.state).toBe('CLOSED');
  });

  // The mini-socket part lasts at least 3.5 RTO (tcp_time_wait: "if (timeo < rto) timeo = rto").
  it('FIN_WAIT_2 (orphaned, linux tcp_fin_timeout=61 s): 1 s on the keepalive timer, then max(1 s, 3.5 RTO)', () => {
    const h = connectionFinWait2({ profile: withKnobs(LINUX, { finTimeout: 61 * S }) });
    expect(h.c.rto).toBe(300 * MS); // SRTT 100 ms + the 200 ms floor of the variance term
    h.c.orphan(T);
    h.collect();
    h.advance(T + 2050 * MS - 1);
    expect(h.state).toBe('FIN_WAIT_2');
    h.advance(T + 2050 * MS);
    expect(h.state).toBe('CLOSED');
  });

  it('FIN_WAIT_2 (orphaned, rfc9293): waits for the FIN forever', () => {
    const h = connectionFinWait2({ profile: RFC9293 });
    h.c.orphan(T);
    h.collect();
    expect(h.advance(3600 * S)).toEqual([]);
    expect(h.state).toBe('FIN_WAIT_2');
  });
});

describe('FIN_WAIT_2 + RST', () => {
  it('FIN_WAIT_2 + RST at RCV.NXT: ECONNRESET, CLOSED', () => {
    const h = connectionFinWait2();
    expect(h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNRESET']);
  });

  it('FIN_WAIT_2 + in-window RST not at RCV.NXT: challenge ACK', () => {
    const h = connectionFinWait2();
    const out = h.deliver({ seq: seq(RCV_NXT, 9), ack: 0, flags: RST }, T + 10 * MS);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]).toMatchObject({ seq: SND_NXT, ack: RCV_NXT });
    expect(h.state).toBe('FIN_WAIT_2');
  });
});
