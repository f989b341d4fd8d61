// ESTABLISHED: RFC 9293 3.10.7.4 (sequence check, RST, SYN, ACK, text, FIN), RFC 5961 challenge
// ACKs, retransmission (RFC 6298, Linux tcp_retransmit_timer), delayed ACK (Linux quickack /
// TCP_DELACK_MIN), windows (MSS, persist, window update, SWS) and Nagle.
import { describe, expect, it } from 'vitest';
import { LINUX, RFC9293, withKnobs } from '../../src/tcp/profile.js';
import { PSH } from '../../src/wire/segment.js';
import { seqDiff } from '../../src/wire/seq.js';
import {
  ACK,
  FIN,
  ISS,
  MS,
  PEER_ISS,
  RST,
  RTT,
  S,
  SYN,
  connectionEstablished,
  connectionSynSent,
  fill,
  flagsOf,
  seq,
  type Harness,
} from './fixtures.js';

const IRS1 = seq(PEER_ISS, 1); // RCV.NXT right after the handshake
const SND1 = seq(ISS, 1); // SND.NXT right after the handshake
const T = 2 * RTT; // when the tests start acting (200 ms)

/** The window field of the last segment we sent. */
const lastWindow = (h: Harness) => h.sent.at(-1)!.seg.window;

/** A connection whose receive buffer holds exactly two full segments, then filled: window 0. */
function zeroWindow(profile = LINUX): Harness {
  const h = connectionEstablished({ profile: withKnobs(profile, { receiveBuffer: 2920 }) });
  h.send(100, T); // something of ours outstanding, for ACK-field tests
  h.data(1460, { ack: SND1 }, T + 10 * MS);
  h.data(1460, { ack: SND1 }, T + 10 * MS);
  h.advance(T + 500 * MS);
  return h;
}

describe('ESTABLISHED + segment: the acceptability test (RFC 9293 3.10.7.4 first)', () => {
  it('ESTABLISHED + data at RCV.NXT: accepted, RCV.NXT advances, ACK at once (linux quickack)', () => {
    const h = connectionEstablished();
    const out = h.data(100, {}, T);
    expect(h.c.rcvNxt).toBe(seq(IRS1, 100));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND1, ack: seq(IRS1, 100), flags: ACK });
    expect([...h.read(1000)]).toEqual([...fill(100, IRS1)]);
  });

  it('ESTABLISHED + data entirely left of the window (old duplicate): ACK <SEQ=SND.NXT><ACK=RCV.NXT>, nothing new received', () => {
    const h = connectionEstablished();
    h.data(100, {}, T);
    const out = h.deliver({ seq: IRS1, payload: fill(100, IRS1) }, T + 50 * MS);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND1, ack: seq(IRS1, 100), flags: ACK });
    expect(h.c.rcvNxt).toBe(seq(IRS1, 100));
    expect(h.read(1000)).toHaveLength(100);
  });

  it('ESTABLISHED + data straddling the left edge: acceptable, only the new part is added', () => {
    const h = connectionEstablished();
    h.data(100, {}, T);
    h.deliver({ seq: seq(IRS1, 50), payload: fill(100, seq(IRS1, 50)) }, T + 50 * MS);
    expect(h.c.rcvNxt).toBe(seq(IRS1, 150));
    expect([...h.read(1000)]).toEqual([...fill(150, IRS1)]);
  });

  it('ESTABLISHED + data inside the window past a hole: held, immediate duplicate ACK; filling the hole ACKs both', () => {
    const h = connectionEstablished();
    const dup = h.deliver({ seq: seq(IRS1, 100), payload: fill(100, seq(IRS1, 100)) }, T);
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ ack: IRS1, flags: ACK }); // RFC 5681 4.2: immediate duplicate ACK
    expect(h.read(1000)).toHaveLength(0);
    const filled = h.deliver({ seq: IRS1, payload: fill(100, IRS1) }, T + 10 * MS);
    expect(filled).toHaveLength(1);
    expect(filled[0]!.ack).toBe(seq(IRS1, 200));
    expect([...h.read(1000)]).toEqual([...fill(200, IRS1)]);
  });

  it('ESTABLISHED + data right of the window: ACK, not held (no SACK block); its last in-window byte is held (SACK block)', () => {
    const h = connectionEstablished({ timestamps: true }); // SACK is negotiated with timestamps here
    h.deliver({ seq: seq(IRS1, 10_000_000), payload: fill(10, 0) }, T);
    const wnd = lastWindow(h); // RCV.WND as we last advertised it (no window scaling with this peer)
    expect(wnd).toBeGreaterThan(1000);
    const beyond = h.deliver({ seq: seq(IRS1, wnd), payload: fill(10, 0) }, T + 1 * MS);
    expect(beyond).toHaveLength(1);
    expect(beyond[0]!.ack).toBe(IRS1);
    expect(beyond[0]!.options.some((o) => o.kind === 'sack')).toBe(false);
    const inside = h.deliver({ seq: seq(IRS1, wnd - 10), payload: fill(10, 0) }, T + 2 * MS);
    expect(inside).toHaveLength(1);
    const sack = inside[0]!.options.find((o) => o.kind === 'sack');
    expect(sack).toEqual({ kind: 'sack', blocks: [[seq(IRS1, wnd - 10), seq(IRS1, wnd)]] });
  });

  it('ESTABLISHED (window 0) + our buffer full: the ACK advertises window 0', () => {
    const h = zeroWindow();
    expect(h.c.rcvNxt).toBe(seq(IRS1, 2920));
    expect(lastWindow(h)).toBe(0);
  });

  it('ESTABLISHED (window 0) + data at RCV.NXT: not accepted, ACK with window 0', () => {
    const h = zeroWindow();
    const out = h.deliver({ seq: seq(IRS1, 2920), ack: SND1, payload: fill(100, 0) }, 1 * S);
    expect(h.c.rcvNxt).toBe(seq(IRS1, 2920));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ack: seq(IRS1, 2920), window: 0, flags: ACK });
  });

  it('ESTABLISHED (window 0) + zero-length ACK at RCV.NXT: acceptable, its ACK field is processed', () => {
    const h = zeroWindow();
    h.deliver({ seq: seq(IRS1, 2920), ack: seq(SND1, 100) }, 1 * S);
    expect(h.c.sndUna).toBe(seq(SND1, 100));
  });

  it('ESTABLISHED (window 0) + zero-window probe <SEQ=RCV.NXT-1>: not acceptable, answered by an ACK with the window', () => {
    const h = zeroWindow();
    const out = h.deliver({ seq: seq(IRS1, 2919), ack: SND1 }, 1 * S);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(SND1, 100), ack: seq(IRS1, 2920), window: 0 });
  });

  // RFC 9293 3.10.7.4: "If the RCV.WND is zero, no segments will be acceptable, but special
  // allowance should be made to accept valid ACKs, URGs, and RSTs." (Recent Linux, tcp_sequence ->
  // TCP_INVALID_END_SEQUENCE, drops such a segment whole while unread data is queued, so only the
  // rfc9293 profile is held to this.)
  it('ESTABLISHED (window 0, rfc9293) + data at RCV.NXT carrying a new ACK: data dropped, but SND.UNA advances', () => {
    const h = zeroWindow(RFC9293);
    expect(lastWindow(h)).toBe(0);
    h.deliver({ seq: seq(IRS1, 2920), ack: seq(SND1, 100), payload: fill(100, 0) }, 1 * S);
    expect(h.c.rcvNxt).toBe(seq(IRS1, 2920));
    expect(h.c.sndUna).toBe(seq(SND1, 100));
  });
});

describe('ESTABLISHED + RST (RFC 9293 3.10.7.4 second, RFC 5961 3.2)', () => {
  it('ESTABLISHED + RST at RCV.NXT: ECONNRESET, CLOSED, nothing sent', () => {
    const h = connectionEstablished();
    const out = h.deliver({ seq: IRS1, ack: 0, flags: RST }, T);
    expect(out).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNRESET']);
  });

  it('ESTABLISHED + RST|ACK at RCV.NXT: ECONNRESET, CLOSED', () => {
    const h = connectionEstablished();
    h.deliver({ seq: IRS1, ack: SND1, flags: RST | ACK }, T);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ECONNRESET']);
  });

  it('ESTABLISHED + in-window RST not at RCV.NXT (linux): challenge ACK, then at most one per 500 ms', () => {
    const h = connectionEstablished();
    const first = h.deliver({ seq: seq(IRS1, 1000), ack: 0, flags: RST }, T);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ seq: SND1, ack: IRS1, flags: ACK });
    expect(h.state).toBe('ESTABLISHED');
    expect(h.deliver({ seq: seq(IRS1, 2000), ack: 0, flags: RST }, T + 100 * MS)).toEqual([]);
    expect(h.deliver({ seq: seq(IRS1, 3000), ack: 0, flags: RST }, T + 499 * MS)).toEqual([]);
    const again = h.deliver({ seq: seq(IRS1, 4000), ack: 0, flags: RST }, T + 500 * MS);
    expect(again.map(flagsOf)).toEqual(['ACK']);
    expect(h.state).toBe('ESTABLISHED');
    expect(h.errors()).toEqual([]);
  });

  // scripts/kernel/observed/rst_in_window.txt: a RST 0.1 s after the duplicate ACK for an
  // out-of-window ACK got no challenge ACK (tcp_send_challenge_ack and tcp_oow_rate_limited share
  // last_oow_ack_time; TCPACKSkippedChallenge counted it).
  it('ESTABLISHED (linux): a duplicate ACK for an out-of-window segment silences challenge ACKs for 500 ms', () => {
    const h = connectionEstablished();
    const dup = h.deliver({ seq: seq(IRS1, 1_000_000), ack: SND1, flags: ACK }, T);
    expect(dup.map(flagsOf)).toEqual(['ACK']);
    expect(h.deliver({ seq: seq(IRS1, 1000), ack: 0, flags: RST }, T + 100 * MS)).toEqual([]);
    expect(h.deliver({ seq: seq(IRS1, 1000), ack: 0, flags: RST }, T + 600 * MS).map(flagsOf)).toEqual(['ACK']);
    expect(h.state).toBe('ESTABLISHED');
  });

  it('ESTABLISHED (linux): a challenge ACK silences the duplicate ACK for an out-of-window ACK for 500 ms', () => {
    const h = connectionEstablished();
    expect(h.deliver({ seq: seq(IRS1, 1000), ack: 0, flags: RST }, T)).toHaveLength(1);
    expect(h.deliver({ seq: seq(IRS1, 1_000_000), ack: SND1, flags: ACK }, T + 100 * MS)).toEqual([]);
  });

  // scripts/kernel/observed/rst_in_window.txt: RST at RCV.NXT + 64512 (the window the client last
  // advertised) -> challenge ACK; at + 64513 -> nothing (Linux tcp_sequence: !after(seq, rcv_nxt + wnd)).
  it('ESTABLISHED (linux) + RST at the right edge of the window: challenge ACK; one beyond it: ignored', () => {
    const h = connectionEstablished();
    const wnd = h.c.receiveWindow();
    expect(h.deliver({ seq: seq(IRS1, wnd + 1), ack: 0, flags: RST }, T)).toEqual([]);
    const atEdge = h.deliver({ seq: seq(IRS1, wnd), ack: 0, flags: RST }, T + 1 * S);
    expect(atEdge).toHaveLength(1);
    expect(atEdge[0]).toMatchObject({ seq: SND1, ack: IRS1, flags: ACK });
    expect(h.state).toBe('ESTABLISHED');
  });

  it('ESTABLISHED (rfc9293) + RST at the right edge of the window: outside (RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND), ignored', () => {
    const h = connectionEstablished({ profile: RFC9293 });
    const wnd = h.c.receiveWindow();
    expect(h.deliver({ seq: seq(IRS1, wnd), ack: 0, flags: RST }, T)).toEqual([]);
  });

  it('ESTABLISHED + in-window RST not at RCV.NXT (rfc9293): challenge ACK', () => {
    const h = connectionEstablished({ profile: RFC9293 });
    const out = h.deliver({ seq: seq(IRS1, 1000), ack: 0, flags: RST }, T);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND1, ack: IRS1, flags: ACK });
    expect(h.state).toBe('ESTABLISHED');
  });

  it('ESTABLISHED + RST right of the window: ignored', () => {
    const h = connectionEstablished();
    expect(h.deliver({ seq: seq(IRS1, 10_000_000), ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('ESTABLISHED');
  });

  it('ESTABLISHED + RST at RCV.NXT-1 (left of the window): ignored', () => {
    const h = connectionEstablished();
    expect(h.deliver({ seq: PEER_ISS, ack: 0, flags: RST }, T)).toEqual([]);
    expect(h.state).toBe('ESTABLISHED');
    expect(h.errors()).toEqual([]);
  });
});

describe('ESTABLISHED + SYN (RFC 5961 4.2)', () => {
  it('ESTABLISHED + SYN in window: challenge ACK, stays ESTABLISHED', () => {
    const h = connectionEstablished();
    const out = h.deliver({ seq: seq(IRS1, 500), ack: 0, flags: SYN }, T);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND1, ack: IRS1, flags: ACK });
    expect(h.state).toBe('ESTABLISHED');
  });

  it('ESTABLISHED + SYN left of the window (the old SYN again): challenge ACK, stays ESTABLISHED', () => {
    const h = connectionEstablished();
    const out = h.deliver({ seq: PEER_ISS, ack: 0, flags: SYN }, T);
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]!.ack).toBe(IRS1);
    expect(h.state).toBe('ESTABLISHED');
  });

  it('ESTABLISHED + SYN twice within 500 ms (linux): one challenge ACK', () => {
    const h = connectionEstablished();
    const a = h.deliver({ seq: seq(IRS1, 500), ack: 0, flags: SYN }, T);
    const b = h.deliver({ seq: seq(IRS1, 600), ack: 0, flags: SYN }, T + 200 * MS);
    expect(a.length + b.length).toBe(1);
  });
});

describe('ESTABLISHED + ACK (RFC 9293 3.10.7.4 fifth)', () => {
  it('ESTABLISHED + ACK of part of our data: SND.UNA advances, the rest stays outstanding', () => {
    const h = connectionEstablished();
    h.send(1000, T);
    h.deliver({ ack: seq(SND1, 400) }, T + RTT);
    expect(h.c.sndUna).toBe(seq(SND1, 400));
    // The rest is retransmitted when the timer expires.
    const rtx = h.advance(T + 5 * S).filter((s) => s.retransmit);
    expect(rtx[0]!.seg.seq).toBe(seq(SND1, 400));
  });

  it('ESTABLISHED + ACK of all our data: SND.UNA = SND.NXT, no retransmission follows', () => {
    const h = connectionEstablished();
    h.send(1000, T);
    h.ackAll({}, T + RTT);
    expect(h.c.sndUna).toBe(seq(SND1, 1000));
    expect(h.advance(T + 200 * S)).toEqual([]);
  });

  it('ESTABLISHED + duplicate ACK: SND.UNA unchanged, nothing sent; the third one triggers fast retransmit (RFC 5681 3.2)', () => {
    const h = connectionEstablished();
    h.send(5 * 1460, T);
    const dup = () => h.deliver({ ack: SND1 }, T + RTT);
    expect(dup()).toEqual([]);
    expect(dup()).toEqual([]);
    expect(h.c.sndUna).toBe(SND1);
    const third = dup();
    expect(third).toHaveLength(1);
    expect(third[0]).toMatchObject({ seq: SND1 });
    expect(third[0]!.payload).toHaveLength(1460);
  });

  // RFC 9293 3.10.7.4 fifth: an ACK of something not yet sent is answered with an ACK and the
  // segment dropped. Linux tcp_ack drops it without a reply (SKB_DROP_REASON_TCP_ACK_UNSENT_DATA).
  it('ESTABLISHED (rfc9293) + data whose ACK is beyond SND.NXT: ACK sent, segment dropped (data not received)', () => {
    const h = connectionEstablished({ profile: RFC9293 });
    const out = h.deliver({ seq: IRS1, ack: seq(SND1, 5000), payload: fill(100, IRS1) }, T);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND1, ack: IRS1, flags: ACK });
    expect(h.c.rcvNxt).toBe(IRS1);
    expect(h.c.sndUna).toBe(SND1);
  });

  it('ESTABLISHED (linux) + data whose ACK is beyond SND.NXT: dropped without a reply (tcp_ack)', () => {
    const h = connectionEstablished();
    const out = h.deliver({ seq: IRS1, ack: seq(SND1, 5000), payload: fill(100, IRS1) }, T);
    expect(out).toEqual([]);
    expect(h.c.rcvNxt).toBe(IRS1);
    expect(h.c.sndUna).toBe(SND1);
  });

  it('ESTABLISHED + data with an old ACK (below SND.UNA, within the window): the ACK is ignored, the data accepted', () => {
    const h = connectionEstablished();
    h.send(100, T);
    h.ackAll({}, T + RTT);
    h.data(50, { ack: SND1 }, T + 2 * RTT);
    expect(h.c.rcvNxt).toBe(seq(IRS1, 50));
    expect(h.c.sndUna).toBe(seq(SND1, 100));
  });

  // RFC 5961 5.2, folded into RFC 9293 3.10.7.4 fifth for stacks implementing RFC 5961 (this one
  // sends challenge ACKs): an ACK outside [SND.UNA - MAX.SND.WND, SND.NXT] MUST be discarded and
  // an ACK sent back. Linux tcp_ack(): "too old" ACK -> challenge ACK, segment dropped.
  it('ESTABLISHED + data with an ACK far older than SND.UNA - MAX.SND.WND: dropped, ACK sent', () => {
    const h = connectionEstablished();
    const out = h.deliver({ seq: IRS1, ack: seq(ISS, -200_000), payload: fill(100, IRS1) }, T);
    expect(h.c.rcvNxt).toBe(IRS1);
    expect(out.map(flagsOf)).toEqual(['ACK']);
  });
});

describe('ESTABLISHED + FIN (RFC 9293 3.10.7.4 eighth)', () => {
  // Linux tcp_fin puts the socket in pingpong mode: the ACK of a lone FIN is delayed so it can ride
  // on our own FIN. The delay is the delayed-ACK timeout ato, 40 ms (TCP_ATO_MIN) once data has
  // been received (observed 45 ms, docs/linux-vs-rfc.md section 5).
  it('ESTABLISHED (data received before) + FIN (linux): CLOSE_WAIT; the ACK waits 40 ms (TCP_DELACK_MIN)', () => {
    const h = connectionEstablished();
    h.data(10, {}, T); // quick-ACKed
    const finAt = T + 100 * MS;
    expect(h.fin({}, finAt)).toEqual([]);
    expect(h.state).toBe('CLOSE_WAIT');
    expect(h.c.rcvNxt).toBe(seq(IRS1, 11));
    expect(h.advance(finAt + 39 * MS)).toEqual([]);
    const sent = h.advance(finAt + 40 * MS);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.t).toBe(finAt + 40 * MS);
    expect(sent[0]!.seg).toMatchObject({ seq: SND1, ack: seq(IRS1, 11), flags: ACK });
  });

  // Kernel observation (docs/linux-vs-rfc.md sections 5 and 10): on a connection that never
  // received data ato is still 0, and the delayed ACK of a lone FIN fires at the next tick (3-5 ms).
  it('ESTABLISHED (no data received) + FIN (linux): the ACK is delayed, but only to the next timer tick (< 10 ms)', () => {
    const h = connectionEstablished();
    expect(h.fin({}, T)).toEqual([]);
    const sent = h.advance(T + 40 * MS);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.t).toBeGreaterThan(T);
    expect(sent[0]!.t).toBeLessThan(T + 10 * MS);
    expect(sent[0]!.seg).toMatchObject({ ack: seq(IRS1, 1), flags: ACK });
  });

  it('ESTABLISHED + FIN, then close() within the delay (linux): one FIN|ACK carries the ACK of their FIN', () => {
    const h = connectionEstablished();
    h.data(10, {}, T);
    const finAt = T + 100 * MS;
    h.fin({}, finAt);
    const out = h.closeWrite(finAt + 10 * MS);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND1, ack: seq(IRS1, 11), flags: FIN | ACK });
    expect(h.state).toBe('LAST_ACK');
    expect(h.advance(finAt + 100 * MS)).toEqual([]);
  });

  it('ESTABLISHED + FIN (rfc9293): CLOSE_WAIT, ACK at once', () => {
    const h = connectionEstablished({ profile: RFC9293 });
    const out = h.fin({}, T);
    expect(h.state).toBe('CLOSE_WAIT');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: SND1, ack: seq(IRS1, 1), flags: ACK });
  });

  it('ESTABLISHED + data with FIN: data readable, then end of stream; RCV.NXT covers the FIN', () => {
    const h = connectionEstablished();
    h.data(10, { flags: FIN | ACK }, T);
    expect(h.state).toBe('CLOSE_WAIT');
    expect(h.c.rcvNxt).toBe(seq(IRS1, 11));
    expect([...h.read(100)]).toEqual([...fill(10, IRS1)]);
    expect(h.read(100)).toHaveLength(0);
  });

  // Kernel observation (scripts/kernel/observed/byte_stream_coalescing.txt, case g): the first data
  // segment is quick-ACKed at once, the next one carrying the FIN is ACKed 43 ms later. Linux runs
  // __tcp_ack_snd_check after tcp_data_queue, whose tcp_fin has entered pingpong mode, which ends
  // quickack mode.
  it('ESTABLISHED + data carrying a FIN during quickack (linux): the ACK waits the 40 ms delayed-ACK timeout', () => {
    const h = connectionEstablished();
    expect(h.data(9, {}, T)).toHaveLength(1); // quickack: at once
    const finAt = T + 2 * MS;
    expect(h.data(36, { flags: FIN | ACK }, finAt)).toEqual([]);
    expect(h.state).toBe('CLOSE_WAIT');
    expect(h.advance(finAt + 39 * MS)).toEqual([]);
    const sent = h.advance(finAt + 40 * MS);
    expect(sent.map((s) => s.t)).toEqual([finAt + 40 * MS]);
    expect(sent[0]!.seg).toMatchObject({ ack: seq(IRS1, 9 + 36 + 1), flags: ACK });
  });

  it('ESTABLISHED + data without FIN during quickack (linux): ACKed at once (the contrast)', () => {
    const h = connectionEstablished();
    h.data(9, {}, T);
    const out = h.data(36, {}, T + 2 * MS);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ack: seq(IRS1, 45), flags: ACK });
  });

  it('ESTABLISHED + FIN beyond a hole: stays ESTABLISHED until the hole is filled, then CLOSE_WAIT', () => {
    const h = connectionEstablished();
    h.deliver({ seq: seq(IRS1, 10), payload: fill(10, seq(IRS1, 10)), flags: FIN | ACK }, T);
    expect(h.state).toBe('ESTABLISHED');
    expect(h.c.rcvNxt).toBe(IRS1);
    h.deliver({ seq: IRS1, payload: fill(10, IRS1) }, T + 10 * MS);
    expect(h.state).toBe('CLOSE_WAIT');
    expect(h.c.rcvNxt).toBe(seq(IRS1, 21));
  });
});

describe('ESTABLISHED: delayed ACK', () => {
  // Linux quickack mode at connection start (tcp_incr_quickack, TCP_MAX_QUICKACKS = 16): the first
  // 16 data segments are ACKed at once, later ones after the 40 ms delayed-ACK timeout (observed
  // with a receiver that does not read, docs/linux-vs-rfc.md section 10).
  it('ESTABLISHED + data segments, receiver not reading (linux): the first 16 ACKed at once, the 17th after 40 ms', () => {
    const h = connectionEstablished();
    for (let i = 0; i < 16; i++) {
      const out = h.data(10, {}, T + i * 100 * MS);
      expect(out, `segment ${i + 1}`).toHaveLength(1);
      expect(out[0]!.ack).toBe(seq(IRS1, 10 * (i + 1)));
    }
    const at = T + 16 * 100 * MS;
    expect(h.data(10, {}, at)).toEqual([]);
    const delayed = h.advance(at + 50 * MS);
    expect(delayed).toHaveLength(1);
    expect(delayed[0]!.t).toBe(at + 40 * MS);
    expect(delayed[0]!.seg.ack).toBe(seq(IRS1, 170));
  });

  it('ESTABLISHED + data segments (rfc9293 profile, no delayed ACK): each ACKed at once', () => {
    const h = connectionEstablished({ profile: RFC9293 });
    for (let i = 0; i < 20; i++) {
      const out = h.data(100, {}, T + i * 10 * MS);
      expect(out).toHaveLength(1);
      expect(out[0]!.ack).toBe(seq(IRS1, 100 * (i + 1)));
    }
  });
});

describe('ESTABLISHED: retransmission timeout (RFC 6298, Linux tcp_retransmit_timer)', () => {
  // Handshake RTT 100 ms. Linux tcp_rtt_estimator/__tcp_set_rto: RTO = SRTT + max(2*RTT, TCP_RTO_MIN)
  // = 100 + 200 = 300 ms; each expiry doubles it (RFC 6298 5.5) up to TCP_RTO_MAX 120 s.
  it('ESTABLISHED + lost data (linux): retransmitted at +0.3, +0.9, +2.1, +4.5 s (RTO 300 ms doubling)', () => {
    const h = connectionEstablished();
    h.send(100, T);
    const rtx = h.advance(T + 5 * S);
    expect(rtx.map((s) => s.t - T)).toEqual([300, 900, 2100, 4500].map((ms) => ms * MS));
    for (const s of rtx) {
      expect(s.retransmit).toBe(true);
      expect(s.seg.seq).toBe(SND1);
      expect(s.seg.payload).toHaveLength(100);
    }
  });

  it('ESTABLISHED + lost data (linux): RTO capped at 120 s; ETIMEDOUT after 15 retransmissions (tcp_retries2, 924.6 s model)', () => {
    const h = connectionEstablished();
    h.send(100, T);
    const rtx = h.advance(T + 990 * S);
    const offsets = rtx.map((s) => (s.t - T) / MS);
    expect(offsets).toEqual([300, 900, 2100, 4500, 9300, 18900, 38100, 76500, 153300, 273300, 393300, 513300, 633300, 753300, 873300]);
    expect(h.state).toBe('ESTABLISHED');
    expect(h.advance(T + 993.3 * S)).toEqual([]);
    expect(h.state).toBe('CLOSED');
    expect(h.errors()).toEqual(['ETIMEDOUT']);
  });

  it('ESTABLISHED + lost data (rfc9293): RTO at least 1 s (RFC 6298 2.4), retransmitted at +1, +3, +7 s', () => {
    const h = connectionEstablished({ profile: RFC9293 });
    h.send(100, T);
    const rtx = h.advance(T + 8 * S);
    expect(rtx.map((s) => (s.t - T) / S)).toEqual([1, 3, 7]);
  });
});

describe('ESTABLISHED: windows', () => {
  it('ESTABLISHED + send 5000 bytes (timestamps): MSS-sized segments of 1460 - 12 = 1448 bytes', () => {
    const h = connectionEstablished({ timestamps: true });
    const out = h.send(5000, T);
    expect(out.map((s) => s.payload.length)).toEqual([1448, 1448, 1448, 656]);
    expect(out.map((s) => s.seq)).toEqual([0, 1448, 2896, 4344].map((n) => seq(SND1, n)));
    expect(out.every((s) => s.options.some((o) => o.kind === 'timestamps'))).toBe(true);
    expect(out.at(-1)!.flags & PSH).toBe(PSH);
  });

  it('ESTABLISHED + send 1200 bytes to a peer with MSS 536 (no timestamps): 536, 536, 128', () => {
    const h = connectionEstablished({ peerMss: 536 });
    expect(h.send(1200, T).map((s) => s.payload.length)).toEqual([536, 536, 128]);
  });

  it('ESTABLISHED + send more than the peer window: stops at the window edge', () => {
    const h = connectionEstablished({ peerWindow: 2000 });
    const out = h.send(5000, T);
    expect(out.reduce((n, s) => n + s.payload.length, 0)).toBe(2000);
  });

  // Linux tcp_check_probe_timer / tcp_probe_timer: first probe after the RTO, then backing off
  // (tcp_probe0_when); the probe is tcp_xmit_probe_skb's <SEQ=SND.UNA-1><CTL=ACK> without data.
  it('ESTABLISHED + peer window 0 with data queued (linux): probes at +RTO, +3 RTO, +7 RTO; data flows when the window opens', () => {
    const h = connectionEstablished();
    h.send(100, T);
    h.ackAll({ window: 0 }, T + RTT); // RTT sample 100 ms again: RTO stays 300 ms
    expect(h.send(100, T + 2 * RTT)).toEqual([]);
    const start = T + 2 * RTT;
    const probes = h.advance(start + 2600 * MS);
    expect(probes.map((p) => (p.t - start) / MS)).toEqual([300, 900, 2100]);
    for (const p of probes) {
      expect(p.seg).toMatchObject({ seq: seq(SND1, 99), flags: ACK });
      expect(p.seg.payload).toHaveLength(0);
    }
    const out = h.deliver({ ack: seq(SND1, 100), window: 65535 }, start + 2700 * MS);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(SND1, 100) });
    expect(out[0]!.payload).toHaveLength(100);
  });

  it('ESTABLISHED (window 0) + the application reads: window update ACK <ACK=RCV.NXT> with the window reopened', () => {
    const h = zeroWindow();
    expect(h.read(4000, 1 * S)).toHaveLength(2920);
    const update = h.sent.at(-1)!;
    expect(update.t).toBe(1 * S);
    expect(update.seg).toMatchObject({ ack: seq(IRS1, 2920), flags: ACK });
    expect(update.seg.window).toBeGreaterThanOrEqual(1460);
  });

  it('ESTABLISHED (window 0, rfc9293) + the application reads: window update ACK', () => {
    const h = zeroWindow(RFC9293);
    h.read(4000, 1 * S);
    const update = h.sent.at(-1)!;
    expect(update.t).toBe(1 * S);
    expect(update.seg.window).toBeGreaterThanOrEqual(1460);
  });

  // RFC 9293 3.8.6.2.2 (MUST-39, RFC 1122 4.2.3.3): the receiver does not advance the right window
  // edge by less than min(RCV.BUFF / 2, Eff.snd.MSS). 44 x 1460 = 64240 bytes into a 65535-byte
  // buffer leave 1295 bytes: the edge already offered stays where it was (no shrinking, 3.8.6.2.2),
  // and reading 100 bytes must not move it by a 100-byte sliver: no window update is sent.
  it('ESTABLISHED (rfc9293) + buffer nearly full, the application reads a sliver: the right edge does not move (receiver SWS avoidance)', () => {
    const h = connectionEstablished({ profile: RFC9293 });
    for (let i = 0; i < 44; i++) h.data(1460, {}, T);
    h.advance(T + 1 * S);
    const last = h.sent.at(-1)!.seg;
    expect(last.ack).toBe(seq(IRS1, 64240));
    const edge = seq(last.ack, last.window);
    const before = h.sent.length;
    expect(h.read(100, T + 2 * S)).toHaveLength(100);
    expect(h.sent.length).toBe(before);
    const probe = h.deliver({ seq: seq(IRS1, 64240 + 100_000), flags: ACK }, T + 3 * S);
    expect(probe).toHaveLength(1);
    expect(seq(probe[0]!.ack, probe[0]!.window)).toBe(edge);
  });
});

describe('ESTABLISHED: the advertised window is honoured (window scaling)', () => {
  /** Active open whose SYN-ACK offers window scaling, so our windows are sent in 1024-byte units. */
  function scaledConnection(): Harness {
    const h = connectionSynSent();
    h.now = RTT;
    h.c.handleSegment(h.now, h.seg({ seq: PEER_ISS, ack: SND1, flags: SYN | ACK, options: [{ kind: 'mss', mss: 1460 }, { kind: 'nop' }, { kind: 'windowScale', shift: 7 }] }));
    h.peerNxt = IRS1;
    h.clear();
    return h;
  }

  // scripts/kernel/observed/send_buffer_full.txt: a receiver that does not read keeps its right
  // edge where its last ACK put it (tcp_select_window never shrinks, and ALIGN rounds the scaled
  // window up), and closes the window to 0 only once the sender has filled that edge. Every byte
  // sent inside an advertised window is accepted; none is dropped for want of buffer space.
  it('ESTABLISHED (linux, wscale 10), receiver not reading: all data inside each advertised window is accepted until the window is 0', () => {
    const h = scaledConnection();
    expect(h.c.rcvWscale).toBe(10);
    let edge = h.c.rcvAdvEdge; // what our handshake ACK offered
    let sentBytes = 0;
    let t = T;
    for (let i = 0; i < 200; i++) {
      const room = seqDiff(edge, h.peerNxt);
      if (room <= 0) break;
      const n = Math.min(1460, room);
      t += 1 * MS;
      h.data(n, {}, t);
      sentBytes += n;
      expect(h.c.rcvNxt, `segment ${i} (${n} bytes) inside the advertised window was accepted`).toBe(seq(IRS1, sentBytes));
      h.advance(t + 100 * MS); // let a delayed ACK go out
      t += 100 * MS;
      const ack = h.sent.at(-1)!.seg;
      edge = seq(ack.ack, ack.window * 1024);
    }
    const last = h.sent.at(-1)!.seg;
    expect(last.window).toBe(0);
    expect(sentBytes).toBeGreaterThanOrEqual(65536);
    expect(h.c.receiveBuffer.readable).toBe(sentBytes);
  });
});

describe('ESTABLISHED: Nagle (RFC 896, Linux tcp_nagle_check)', () => {
  it('ESTABLISHED + two small writes: the second waits for the ACK of the first', () => {
    const h = connectionEstablished();
    expect(h.send(new Uint8Array([1]), T)).toHaveLength(1);
    expect(h.send(new Uint8Array([2]), T + 10 * MS)).toEqual([]);
    const out = h.ackAll({}, T + RTT);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(SND1, 1) });
    expect([...out[0]!.payload]).toEqual([2]);
  });

  it('ESTABLISHED (TCP_NODELAY) + two small writes: both sent at once', () => {
    const h = connectionEstablished({ nodelay: true });
    expect(h.send(new Uint8Array([1]), T)).toHaveLength(1);
    const second = h.send(new Uint8Array([2]), T + 10 * MS);
    expect(second).toHaveLength(1);
    expect(second[0]!.seq).toBe(seq(SND1, 1));
  });

  it('ESTABLISHED + a small write, then a full-sized one: the full segment is not held by Nagle', () => {
    const h = connectionEstablished();
    h.send(new Uint8Array([1]), T);
    const out = h.send(1460, T + 10 * MS);
    expect(out.length).toBeGreaterThanOrEqual(1);
    expect(out[0]!.payload).toHaveLength(1460);
  });
});
