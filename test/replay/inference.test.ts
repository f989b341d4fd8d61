// How the replay infers states from a capture: an endpoint's own packets are certain, a packet from
// its peer counts once the endpoint's later packets show it arrived (or, at the end of the capture,
// if nothing says it was lost). Hand-built captures, one situation each.
import { describe, expect, it } from 'vitest';
import { replayPackets } from '../../src/replay/replay.js';
import type { ConnectionReport } from '../../src/replay/types.js';
import { CLIENT, Conversation, SERVER } from './conversation.js';
import { onlyConnection } from './replay-helpers.js';

function replay(x: Conversation, profile: 'linux' | 'rfc9293' = 'linux'): ConnectionReport {
  return onlyConnection(replayPackets(x.packets, { profile }));
}

/** The state of `endpoint` after each frame. */
function ladder(c: ConnectionReport, endpoint: string): string[] {
  return c.perPacket.map((e) => e.states[endpoint]!);
}

describe('the handshake', () => {
  it('SYN, SYN-ACK, ACK: SYN_SENT then ESTABLISHED; the listener\'s child SYN_RECEIVED then ESTABLISHED (its LISTEN is the listener\'s)', () => {
    const c = replay(new Conversation().handshake());
    expect(c.states).toEqual({ [CLIENT]: ['SYN_SENT', 'ESTABLISHED'], [SERVER]: ['SYN_RECEIVED', 'ESTABLISHED'] });
    expect(c.a).toBe(CLIENT);
    expect(c.midstream).toBe(false);
    expect(ladder(c, CLIENT)).toEqual(['SYN_SENT', 'ESTABLISHED', 'ESTABLISHED']);
    expect(ladder(c, SERVER)).toEqual(['SYN_RECEIVED', 'SYN_RECEIVED', 'ESTABLISHED']);
  });

  it('a SYN nobody answers: the other end has no states at all', () => {
    const x = new Conversation();
    x.c('SYN');
    x.c('SYN', { t: 1_001_000 });
    const c = replay(x);
    expect(c.states).toEqual({ [CLIENT]: ['SYN_SENT'], [SERVER]: [] });
    expect(c.final[SERVER]).toBe('CLOSED');
  });

  it('a SYN-ACK the client never answers did not arrive: the client stays in SYN_SENT', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('SYN,ACK');
    expect(replay(x).states[CLIENT]).toEqual(['SYN_SENT']);
  });

  it('lost SYN-ACK: the client is ESTABLISHED from the retransmitted SYN-ACK, not before', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('SYN,ACK', { lost: true });
    x.c('SYN', { t: 1_001_000 });
    x.s('SYN,ACK');
    x.c('ACK');
    const c = replay(x);
    expect(c.states[CLIENT]).toEqual(['SYN_SENT', 'ESTABLISHED']);
    expect(ladder(c, CLIENT)).toEqual(['SYN_SENT', 'SYN_SENT', 'SYN_SENT', 'ESTABLISHED', 'ESTABLISHED']);
    expect(c.violations).toEqual([]);
  });

  it('lost final ACK: the SYN-ACK sent again shows the server still in SYN_RECEIVED; the next ACK completes it', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('SYN,ACK');
    x.c('ACK', { lost: true });
    x.s('SYN,ACK', { t: 1_003_000 });
    x.c('ACK');
    x.c('PSH,ACK', { len: 5 });
    x.s('ACK');
    const c = replay(x);
    expect(c.states[SERVER]).toEqual(['SYN_RECEIVED', 'ESTABLISHED']);
    expect(ladder(c, SERVER)).toEqual(['SYN_RECEIVED', 'SYN_RECEIVED', 'SYN_RECEIVED', 'SYN_RECEIVED', 'ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED']);
    expect(c.violations).toEqual([]);
  });

  it('simultaneous open: both SYN_SENT, SYN_RECEIVED, ESTABLISHED', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('SYN');
    x.s('SYN,ACK');
    x.c('SYN,ACK');
    const c = replay(x);
    expect(c.states).toEqual({
      [CLIENT]: ['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED'],
      [SERVER]: ['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED'],
    });
    expect(c.violations).toEqual([]);
  });

  it('refused: RST,ACK to the SYN closes the client; the server never had a socket', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('RST,ACK', { seq: 0 });
    const c = replay(x);
    expect(c.states).toEqual({ [CLIENT]: ['SYN_SENT', 'CLOSED'], [SERVER]: [] });
    expect(c.final).toEqual({ [CLIENT]: 'CLOSED', [SERVER]: 'CLOSED' });
  });
});

describe('closing', () => {
  it('four-way close: FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT and CLOSE_WAIT, LAST_ACK, CLOSED', () => {
    const x = new Conversation().handshake();
    x.c('FIN,ACK');
    x.s('ACK');
    x.s('FIN,ACK');
    x.c('ACK');
    const c = replay(x);
    expect(c.states[CLIENT]).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    expect(c.states[SERVER]).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });

  it('a FIN that also acknowledges ours takes the closer through FIN_WAIT_2 (RFC 9293 3.10.7.4)', () => {
    const x = new Conversation().handshake();
    x.c('FIN,ACK');
    x.s('FIN,ACK');
    x.c('ACK');
    expect(replay(x).states[CLIENT]).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
  });

  it('simultaneous close: the FINs cross, both go through CLOSING', () => {
    const x = new Conversation().handshake();
    const cf = x.c('FIN,ACK');
    const sf = x.s('FIN,ACK', { ack: cf.segment.seq });
    x.s('ACK');
    x.c('ACK', { ack: sf.segment.seq + 1 });
    const c = replay(x);
    expect(c.states[CLIENT]).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    expect(c.states[SERVER]).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    expect(c.violations).toEqual([]);
  });

  it('a lost FIN counts only from its retransmission: the ACK sent in between did not cover it', () => {
    const x = new Conversation().handshake();
    x.c('PSH,ACK', { len: 5 });
    x.c('FIN,ACK', { lost: true });
    x.s('ACK');
    x.c('FIN,ACK', { seq: x.sndNxt('c') - 1, t: 300_000 });
    x.s('FIN,ACK');
    x.c('ACK');
    const c = replay(x);
    expect(c.states[SERVER]).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(ladder(c, SERVER)[5]).toBe('ESTABLISHED'); // after the server's ACK (frame 6)
    expect(ladder(c, SERVER)[6]).toBe('CLOSE_WAIT'); // from the retransmitted FIN (frame 7)
  });

  it('the last ACK lost: the FIN sent again keeps LAST_ACK until the next ACK', () => {
    const x = new Conversation().handshake();
    x.c('FIN,ACK');
    x.s('FIN,ACK');
    x.c('ACK', { lost: true });
    x.s('FIN,ACK', { seq: x.sndNxt('s') - 1, t: 500_000 });
    x.c('ACK');
    const c = replay(x);
    expect(c.states[SERVER]).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(ladder(c, SERVER)[6]).toBe('LAST_ACK');
    expect(ladder(c, SERVER)[7]).toBe('CLOSED');
  });

  it('an abortive close: the RST sender ABORTs, the receiver is reset', () => {
    const x = new Conversation().handshake();
    x.c('RST,ACK');
    expect(replay(x).states).toEqual({
      [CLIENT]: ['SYN_SENT', 'ESTABLISHED', 'CLOSED'],
      [SERVER]: ['SYN_RECEIVED', 'ESTABLISHED', 'CLOSED'],
    });
  });
});

describe('timers', () => {
  /** Client closes first; then, `later` microseconds on, some other traffic (a packet on another port). */
  function closedThen(later: number): ReturnType<typeof replayPackets> {
    const x = new Conversation().handshake();
    x.c('FIN,ACK');
    x.s('FIN,ACK');
    const last = x.c('ACK');
    const other = new Conversation();
    const stray = other.c('SYN', { t: last.t + later });
    stray.segment.srcPort = 40001;
    stray.frame = x.packets.length + 1;
    return replayPackets([...x.packets, stray]);
  }

  it('TIME_WAIT ends after 60 s on Linux, if the capture goes on that long', () => {
    expect(closedThen(59_000_000).connections[0]!.final[CLIENT]).toBe('TIME_WAIT');
    const c = closedThen(61_000_000).connections[0]!;
    expect(c.states[CLIENT]).toEqual(['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
  });

  it('a SYN retransmitted no more was given up (connect() timed out) once it would have been due', () => {
    const x = new Conversation();
    for (const t of [0, 1, 2, 3]) x.c('SYN', { t: t * 1_000_000 });
    const other = new Conversation().c('SYN', { t: 10_000_000 });
    other.segment.srcPort = 40001;
    other.frame = 5;
    const [c] = replayPackets([...x.packets, other]).connections;
    expect(c!.states[CLIENT]).toEqual(['SYN_SENT', 'CLOSED']);
  });

  it('a give-up is taken back when the SYN comes again after all (a late timer)', () => {
    const x = new Conversation();
    for (const t of [0, 1, 2, 3]) x.c('SYN', { t: t * 1_000_000 });
    const other = new Conversation().c('SYN', { t: 5_500_000 });
    other.segment.srcPort = 40001;
    other.frame = 5;
    const again = x.c('SYN', { t: 6_000_000 });
    again.frame = 6;
    const [c] = replayPackets([...x.packets.slice(0, 4), other, again]).connections;
    expect(c!.states[CLIENT]).toEqual(['SYN_SENT']);
  });
});

describe('midstream captures', () => {
  it('start with both ends ESTABLISHED and raise nothing before both directions are seen', () => {
    const x = new Conversation().handshake();
    x.c('PSH,ACK', { len: 500 });
    const from = x.packets.length; // the capture starts here
    x.s('PSH,ACK', { len: 10 }); // acknowledges data sent before the capture
    x.c('ACK');
    x.c('FIN,ACK');
    x.s('FIN,ACK');
    x.c('ACK');
    const packets = x.packets.slice(from).map((p, i) => ({ ...p, frame: i + 1 }));
    const c = onlyConnection(replayPackets(packets));
    expect(c.midstream).toBe(true);
    expect(c.a).toBe(SERVER);
    expect(c.states[CLIENT]).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
    expect(c.states[SERVER]).toEqual(['ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(c.violations).toEqual([]);
  });
});

describe('per-packet states', () => {
  it('one entry per packet, in order, with both endpoints', () => {
    const x = new Conversation().handshake();
    x.c('FIN,ACK');
    const c = replay(x);
    expect(c.perPacket.map((e) => e.frame)).toEqual([1, 2, 3, 4]);
    expect(c.frames).toEqual([1, 2, 3, 4]);
    expect(c.packets).toBe(4);
    for (const e of c.perPacket) expect(Object.keys(e.states).sort()).toEqual([CLIENT, SERVER]);
    expect(c.perPacket[3]!.states).toEqual({ [CLIENT]: 'FIN_WAIT_1', [SERVER]: 'CLOSE_WAIT' });
  });
});

describe('impossible-transition', () => {
  it('a FIN from an endpoint still in SYN_SENT is no edge of the statechart', () => {
    const x = new Conversation();
    x.c('SYN');
    x.c('FIN,ACK', { seq: x.iss('c') + 1, ack: 0 });
    expect(replay(x).violations.map((v) => [v.rule, v.packet])).toEqual([['impossible-transition', 2]]);
  });
});

describe('sequence numbers modulo 2^32', () => {
  it('a connection whose data crosses the wrap replays cleanly', () => {
    const x = new Conversation({ clientIss: 0xffff_fff0, serverIss: 0xffff_ff00 }).handshake();
    for (let i = 0; i < 4; i++) {
      x.c('PSH,ACK', { len: 100 });
      x.s('PSH,ACK', { len: 200 });
    }
    x.c('ACK');
    x.c('FIN,ACK');
    x.s('FIN,ACK');
    x.c('ACK');
    expect(x.sndNxt('c')).toBeLessThan(0x1000); // it did wrap
    const c = replay(x);
    expect(c.violations).toEqual([]);
    expect(c.final).toEqual({ [CLIENT]: 'TIME_WAIT', [SERVER]: 'CLOSED' });
  });

  it('data past the window across the wrap is still caught', () => {
    const x = new Conversation({ clientIss: 0xffff_fff0, wscale: undefined });
    x.c('SYN');
    x.s('SYN,ACK', { win: 1000 });
    x.c('ACK');
    x.c('PSH,ACK', { len: 1001 });
    expect(replay(x).violations.map((v) => v.rule)).toEqual(['seq-out-of-window']);
  });
});
