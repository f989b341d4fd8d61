// TIME_WAIT (RFC 9293 3.10.7.4 and 3.10.8; Linux tcp_timewait_state_process).
// Fixture: our FIN at 200 ms, ACKed at 300 ms, the peer's FIN at 400 ms; we ACKed it.
import { describe, expect, it } from 'vitest';
import { timeWaitAcceptsSyn } from '../../src/tcp/input.js';
import { RFC9293 } from '../../src/tcp/profile.js';
import { ACK, FIN, ISS, MS, PEER_ISS, RST, RTT, S, SYN, connectionTimeWait, flagsOf, seq } from './fixtures.js';

const RCV_NXT = seq(PEER_ISS, 2);
const SND_NXT = seq(ISS, 2);
const ENTERED = 4 * RTT;

describe('TIME_WAIT + time', () => {
  it('TIME_WAIT (linux): CLOSED after exactly 60 s (TCP_TIMEWAIT_LEN), nothing sent', () => {
    const h = connectionTimeWait();
    expect(h.advance(ENTERED + 60 * S - 1)).toEqual([]);
    expect(h.state).toBe('TIME_WAIT');
    expect(h.advance(ENTERED + 60 * S)).toEqual([]);
    expect(h.state).toBe('CLOSED');
  });

  it('TIME_WAIT (rfc9293): CLOSED after 2 MSL = 240 s', () => {
    const h = connectionTimeWait({ profile: RFC9293 });
    h.advance(ENTERED + 240 * S - 1);
    expect(h.state).toBe('TIME_WAIT');
    h.advance(ENTERED + 240 * S);
    expect(h.state).toBe('CLOSED');
  });
});

describe('TIME_WAIT + FIN', () => {
  it('TIME_WAIT + retransmitted FIN: ACK <SEQ=SND.NXT><ACK=RCV.NXT> at once, and the 60 s timer restarts', () => {
    const h = connectionTimeWait();
    const at = ENTERED + 10 * S;
    const out = h.deliver({ seq: seq(PEER_ISS, 1), ack: SND_NXT, flags: FIN | ACK }, at);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND_NXT, ack: RCV_NXT, flags: ACK });
    expect(h.state).toBe('TIME_WAIT');
    h.advance(ENTERED + 60 * S);
    expect(h.state).toBe('TIME_WAIT'); // the first deadline no longer holds
    h.advance(at + 60 * S - 1);
    expect(h.state).toBe('TIME_WAIT');
    h.advance(at + 60 * S);
    expect(h.state).toBe('CLOSED');
  });
});

describe('TIME_WAIT + RST', () => {
  it('TIME_WAIT + RST at RCV.NXT: CLOSED at once (TIME_WAIT assassination, tcp_rfc1337=0), nothing sent', () => {
    const h = connectionTimeWait();
    expect(h.deliver({ seq: RCV_NXT, ack: 0, flags: RST }, ENTERED + 1 * S)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual([]);
  });

  it('TIME_WAIT + in-window RST not at RCV.NXT (linux): ignored, TIME_WAIT kept (observed on 6.18)', () => {
    const h = connectionTimeWait();
    expect(h.deliver({ seq: seq(RCV_NXT, 10), ack: 0, flags: RST }, ENTERED + 1 * S)).toEqual([]);
    expect(h.state).toBe('TIME_WAIT');
  });

  // RFC 9293 3.10.7.4 second (RFC 5961 3.2), for all synchronized states TIME-WAIT included: an
  // in-window RST not exactly at RCV.NXT MUST get a challenge ACK. The rfc9293 profile implements
  // RFC 5961 (challengeAcks: true).
  it('TIME_WAIT (rfc9293) + in-window RST not at RCV.NXT: challenge ACK, TIME_WAIT kept', () => {
    const h = connectionTimeWait({ profile: RFC9293 });
    const out = h.deliver({ seq: seq(RCV_NXT, 10), ack: 0, flags: RST }, ENTERED + 1 * S);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(h.state).toBe('TIME_WAIT');
  });

  it('TIME_WAIT + RST out of window: ignored', () => {
    const h = connectionTimeWait();
    expect(h.deliver({ seq: seq(RCV_NXT, 9_000_000), ack: 0, flags: RST }, ENTERED + 1 * S)).toEqual([]);
    expect(h.state).toBe('TIME_WAIT');
  });
});

describe('TIME_WAIT + SYN / data', () => {
  it('TIME_WAIT + SYN at or below RCV.NXT: bare ACK <ACK=RCV.NXT>; TIME_WAIT stays, its timer not restarted', () => {
    const h = connectionTimeWait();
    for (const s of [RCV_NXT, seq(RCV_NXT, -1000)]) {
      const out = h.deliver({ seq: s, ack: 0, flags: SYN }, ENTERED + 2 * S);
      expect(out.map(flagsOf)).toEqual(['ACK']);
      expect(out[0]).toMatchObject({ seq: SND_NXT, ack: RCV_NXT });
    }
    expect(h.state).toBe('TIME_WAIT');
    h.advance(ENTERED + 60 * S);
    expect(h.state).toBe('CLOSED');
  });

  it('TIME_WAIT + data: ACK <ACK=RCV.NXT>, nothing received', () => {
    const h = connectionTimeWait();
    const out = h.deliver({ seq: RCV_NXT, ack: SND_NXT, payload: new Uint8Array(5) }, ENTERED + 1 * S);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]!.ack).toBe(RCV_NXT);
    expect(h.c.rcvNxt).toBe(RCV_NXT);
  });

  // Linux tcp_timewait_state_process: a new SYN reopens the 4-tuple if its seq is above RCV.NXT or
  // its timestamp is newer than TS.Recent (RFC 6191).
  it('TIME_WAIT: a SYN with seq above RCV.NXT may reopen the 4-tuple; one at RCV.NXT or below may not', () => {
    const h = connectionTimeWait();
    expect(timeWaitAcceptsSyn(h.c, h.seg({ seq: seq(RCV_NXT, 1000), ack: 0, flags: SYN }))).toBe(true);
    expect(timeWaitAcceptsSyn(h.c, h.seg({ seq: RCV_NXT, ack: 0, flags: SYN }))).toBe(false);
    expect(timeWaitAcceptsSyn(h.c, h.seg({ seq: seq(RCV_NXT, -1000), ack: 0, flags: SYN }))).toBe(false);
    // Not a pure SYN: never.
    expect(timeWaitAcceptsSyn(h.c, h.seg({ seq: seq(RCV_NXT, 1000), ack: 1, flags: SYN | ACK }))).toBe(false);
  });

  it('TIME_WAIT (timestamps): a SYN below RCV.NXT with a newer timestamp may reopen the 4-tuple (RFC 6191)', () => {
    const h = connectionTimeWait({ timestamps: true });
    const tsNewer = [{ kind: 'timestamps' as const, tsVal: 900_000 + 10 * 1000 * 1000, tsEcr: 0 }];
    const tsOlder = [{ kind: 'timestamps' as const, tsVal: 1, tsEcr: 0 }];
    expect(timeWaitAcceptsSyn(h.c, h.seg({ seq: seq(RCV_NXT, -1000), ack: 0, flags: SYN, options: tsNewer }))).toBe(true);
    expect(timeWaitAcceptsSyn(h.c, h.seg({ seq: seq(RCV_NXT, -1000), ack: 0, flags: SYN, options: tsOlder }))).toBe(false);
  });

  it('TIME_WAIT + duplicate ACK of our last ACK (the peer is gone quietly): nothing happens', () => {
    const h = connectionTimeWait();
    expect(h.deliver({ seq: RCV_NXT, ack: SND_NXT }, ENTERED + 5 * MS)).toEqual([]);
    expect(h.state).toBe('TIME_WAIT');
  });
});
