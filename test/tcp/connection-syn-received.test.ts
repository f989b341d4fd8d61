// SYN_RECEIVED: a listener's child (passive open; Linux tcp_check_req on the request sock) and the
// simultaneous-open case (active open; RFC 9293 3.10.7.4 and figure 8).
import { describe, expect, it } from 'vitest';
import { RFC9293 } from '../../src/tcp/profile.js';
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
  connectionSynReceived,
  connectionSynReceivedActive,
  flagsOf,
  seq,
} from './fixtures.js';

const RCV_NXT = seq(PEER_ISS, 1);

describe('LISTEN child + SYN', () => {
  it('LISTEN + SYN: SYN-ACK <SEQ=ISS><ACK=IRS+1>, SYN_RECEIVED', () => {
    const h = connectionClosed();
    h.c.acceptSyn(0, h.seg({ seq: PEER_ISS, ack: 0, flags: SYN, options: [{ kind: 'mss', mss: 1460 }] }));
    const out = h.collect();
    expect(h.state).toBe('SYN_RECEIVED');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: ISS, ack: RCV_NXT, flags: SYN | ACK });
  });

  it('LISTEN + SYN offering only MSS (linux): the SYN-ACK offers no option the peer did not (RFC 7323 2.2, RFC 2018)', () => {
    const h = connectionClosed();
    h.c.acceptSyn(0, h.seg({ seq: PEER_ISS, ack: 0, flags: SYN, options: [{ kind: 'mss', mss: 1400 }] }));
    const [synAck] = h.collect();
    expect(synAck!.options).toEqual([{ kind: 'mss', mss: 1460 }]);
  });

  it('LISTEN + SYN offering SACK and timestamps but no window scale (linux): SYN-ACK has sackOK and TS, no wscale', () => {
    const h = connectionClosed();
    const syn = h.seg({
      seq: PEER_ISS,
      ack: 0,
      flags: SYN,
      options: [{ kind: 'mss', mss: 1460 }, { kind: 'sackPermitted' }, { kind: 'timestamps', tsVal: 4242, tsEcr: 0 }],
    });
    h.c.acceptSyn(0, syn);
    const [synAck] = h.collect();
    const kinds = synAck!.options.map((o) => o.kind);
    expect(kinds).toContain('sackPermitted');
    expect(kinds).not.toContain('windowScale');
    const ts = synAck!.options.find((o) => o.kind === 'timestamps');
    // RFC 7323 3.2: TSecr echoes the peer's TSval.
    expect(ts).toMatchObject({ tsEcr: 4242 });
  });
});

describe('SYN_RECEIVED (passive) + segments', () => {
  it('SYN_RECEIVED + ACK of our SYN: ESTABLISHED, nothing sent, no more SYN-ACKs', () => {
    const h = connectionSynReceived();
    const out = h.deliver({ seq: RCV_NXT, ack: seq(ISS, 1), flags: ACK }, RTT);
    expect(out).toEqual([]);
    expect(h.state).toBe('ESTABLISHED');
    expect(h.advance(100 * S)).toEqual([]);
  });

  it('SYN_RECEIVED + ACK with SEG.ACK > SND.NXT: RST <SEQ=SEG.ACK>, stays SYN_RECEIVED', () => {
    const h = connectionSynReceived();
    const out = h.deliver({ seq: RCV_NXT, ack: seq(ISS, 9), flags: ACK }, RTT);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(ISS, 9), flags: RST });
    expect(h.state).toBe('SYN_RECEIVED');
  });

  it('SYN_RECEIVED + ACK with SEG.ACK = ISS (not above SND.UNA): RST <SEQ=SEG.ACK>, stays SYN_RECEIVED', () => {
    const h = connectionSynReceived();
    const out = h.deliver({ seq: RCV_NXT, ack: ISS, flags: ACK }, RTT);
    expect(out.map(flagsOf)).toEqual(['RST']);
    expect(out[0]!.seq).toBe(ISS);
    expect(h.state).toBe('SYN_RECEIVED');
  });

  it('SYN_RECEIVED + the same SYN again: the SYN-ACK is repeated (Linux tcp_check_req), stays SYN_RECEIVED', () => {
    const h = connectionSynReceived();
    const out = h.deliver({ seq: PEER_ISS, ack: 0, flags: SYN, options: [{ kind: 'mss', mss: 1460 }] }, RTT);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: ISS, ack: RCV_NXT, flags: SYN | ACK });
    expect(h.sent[0]!.retransmit).toBe(true);
    expect(h.state).toBe('SYN_RECEIVED');
  });

  it('SYN_RECEIVED + RST at RCV.NXT: CLOSED (the request is forgotten), no error, nothing sent', () => {
    const h = connectionSynReceived();
    const out = h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, RTT);
    expect(out).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual([]);
  });

  it('SYN_RECEIVED + RST out of window: ignored', () => {
    const h = connectionSynReceived();
    const out = h.deliver({ seq: seq(PEER_ISS, 1_000_000), ack: 0, flags: RST }, RTT);
    expect(out).toEqual([]);
    expect(h.state).toBe('SYN_RECEIVED');
  });

  // Linux tcp_check_req: an in-window RST on a request sock goes to embryonic_reset and drops
  // the request; no challenge ACK (RFC 5961 checks apply to full sockets only).
  it('SYN_RECEIVED (passive, linux) + in-window RST not at RCV.NXT: the request is dropped, nothing sent', () => {
    const h = connectionSynReceived();
    const out = h.deliver({ seq: seq(RCV_NXT, 100), ack: 0, flags: RST }, RTT);
    expect(out).toEqual([]);
    expect(h.state).toBe('CLOSED');
  });

  it('SYN_RECEIVED (passive, rfc9293) + in-window RST not at RCV.NXT: challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT>', () => {
    const h = connectionSynReceived({ profile: RFC9293 });
    const out = h.deliver({ seq: seq(RCV_NXT, 100), ack: 0, flags: RST }, RTT);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(ISS, 1), ack: RCV_NXT, flags: ACK });
    expect(h.state).toBe('SYN_RECEIVED');
  });

  // RFC 9293 3.10.7.4 fourth (SYN bit), SYN-RECEIVED: "If the connection was initiated with a
  // passive OPEN, then return this connection to the LISTEN state and return." Linux tcp_check_req
  // also drops the request (embryonic_reset, answering with a RST).
  it('SYN_RECEIVED (passive) + SYN with another sequence number, in window: the child is dropped', () => {
    const h = connectionSynReceived({ profile: RFC9293 });
    h.deliver({ seq: seq(RCV_NXT, 10), ack: 0, flags: SYN, options: [{ kind: 'mss', mss: 1460 }] }, RTT);
    expect(h.state).toBe('CLOSED');
  });

  it('SYN_RECEIVED + data right of the window: ACK <SEQ=SND.NXT><ACK=RCV.NXT>, dropped', () => {
    const h = connectionSynReceived();
    const out = h.deliver({ seq: seq(RCV_NXT, 1_000_000), ack: seq(ISS, 1), flags: ACK, payload: new Uint8Array(10) }, RTT);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(ISS, 1), ack: RCV_NXT, flags: ACK });
    expect(h.state).toBe('SYN_RECEIVED');
  });

  it('SYN_RECEIVED + ACK of our SYN carrying data: ESTABLISHED and the data is received', () => {
    const h = connectionSynReceived();
    h.deliver({ seq: RCV_NXT, ack: seq(ISS, 1), flags: ACK, payload: new Uint8Array([1, 2, 3]) }, RTT);
    expect(h.state).toBe('ESTABLISHED');
    expect(h.c.rcvNxt).toBe(seq(RCV_NXT, 3));
    expect([...h.read(10)]).toEqual([1, 2, 3]);
  });
});

describe('SYN_RECEIVED (passive) + SYN-ACK timeout', () => {
  it('SYN_RECEIVED + RTO (linux tcp_synack_retries 5): SYN-ACKs at 0,1,3,7,15,31 s, request dropped at 63 s', () => {
    const h = connectionSynReceived();
    const sent = h.advance(62 * S);
    expect(sent.map((s) => s.t / S)).toEqual([1, 3, 7, 15, 31]);
    for (const s of sent) expect(s.seg).toMatchObject({ seq: ISS, ack: RCV_NXT, flags: SYN | ACK });
    expect(h.state).toBe('SYN_RECEIVED');
    expect(h.advance(63 * S)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.log.find((e) => e.kind === 'state' && e.to === 'CLOSED')!.t).toBe(63 * S);
  });
});

describe('SYN_RECEIVED (active, simultaneous open)', () => {
  it('SYN_RECEIVED (active) + ACK of our SYN: ESTABLISHED', () => {
    const h = connectionSynReceivedActive();
    h.deliver({ seq: RCV_NXT, ack: seq(ISS, 1), flags: ACK }, RTT);
    expect(h.state).toBe('ESTABLISHED');
  });

  it("SYN_RECEIVED (active) + the peer's SYN-ACK (RFC 9293 figure 8): ESTABLISHED", () => {
    const h = connectionSynReceivedActive();
    h.deliver({ seq: PEER_ISS, ack: seq(ISS, 1), flags: SYN | ACK, options: [{ kind: 'mss', mss: 1460 }] }, RTT);
    expect(h.state).toBe('ESTABLISHED');
  });

  it('SYN_RECEIVED (active, rfc9293) + RST at RCV.NXT: ECONNREFUSED ("connection refused", RFC 9293 3.10.7.4), CLOSED', () => {
    const h = connectionSynReceivedActive({ profile: RFC9293 });
    h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, RTT);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNREFUSED']);
  });

  // Linux tcp_reset(): only SYN_SENT maps to ECONNREFUSED and CLOSE_WAIT to EPIPE; every other
  // state, the full socket in TCP_SYN_RECV of a simultaneous open included, gets ECONNRESET.
  it('SYN_RECEIVED (active, linux) + RST at RCV.NXT: ECONNRESET (tcp_reset default), CLOSED', () => {
    const h = connectionSynReceivedActive();
    h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, RTT);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNRESET']);
  });

  it('SYN_RECEIVED (active) + in-window RST not at RCV.NXT (linux): challenge ACK, stays SYN_RECEIVED', () => {
    const h = connectionSynReceivedActive();
    const out = h.deliver({ seq: seq(RCV_NXT, 5), ack: 0, flags: RST }, RTT + 10 * MS);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]!.ack).toBe(RCV_NXT);
    expect(h.state).toBe('SYN_RECEIVED');
  });
});
