// rst-out-of-window, rst-not-exact and rst-unacceptable-ack (src/replay/rules/rst.ts): RFC 9293
// 3.10.7.3 / 3.10.7.4 and RFC 5961 3.2, and what the receiver makes of each RST.
import { describe, expect, it } from 'vitest';
import { replayPackets } from '../../../src/replay/replay.js';
import { CLIENT, Conversation, SERVER } from '../conversation.js';
import { onlyConnection, violations } from '../replay-helpers.js';

/** Handshake, 5 bytes from the client, the server's ACK: the server's RCV.NXT is the client's SND.NXT. */
function established(): Conversation {
  const x = new Conversation().handshake();
  x.c('PSH,ACK', { len: 5 });
  x.s('ACK');
  return x;
}

describe('a RST at exactly RCV.NXT', () => {
  it('raises nothing and resets the receiver', () => {
    const x = established();
    x.c('RST,ACK');
    expect(violations(x.packets)).toEqual([]);
    const c = onlyConnection(replayPackets(x.packets));
    expect(c.final).toEqual({ [CLIENT]: 'CLOSED', [SERVER]: 'CLOSED' });
    expect(c.states[SERVER]).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSED']);
  });
});

describe('rst-out-of-window', () => {
  it('a RST far outside the window is flagged and the receiver keeps its state', () => {
    const x = established();
    x.c('RST,ACK', { seq: x.sndNxt('c') + 0x40000000 });
    expect(violations(x.packets)).toEqual([['rst-out-of-window', 6]]);
    expect(onlyConnection(replayPackets(x.packets)).final[SERVER]).toBe('ESTABLISHED');
  });

  it('a RST left of the window at an ACK number the receiver once sent is a stale reply: not flagged', () => {
    const x = established();
    x.c('RST', { seq: x.iss('c') + 1 }); // the SYN-ACK acknowledged ISS + 1
    expect(violations(x.packets)).toEqual([]);
    expect(onlyConnection(replayPackets(x.packets)).final[SERVER]).toBe('ESTABLISHED');
  });
});

describe('rst-not-exact', () => {
  it('a RST inside the window but not at RCV.NXT, with no challenge ACK after it, is flagged', () => {
    const x = established();
    x.c('RST,ACK', { seq: x.sndNxt('c') + 100, t: 2_000_000 });
    expect(violations(x.packets)).toEqual([['rst-not-exact', 6]]);
    expect(onlyConnection(replayPackets(x.packets)).final[SERVER]).toBe('ESTABLISHED');
  });

  it('answered by a challenge ACK, it is not', () => {
    const x = established();
    x.c('RST,ACK', { seq: x.sndNxt('c') + 100, t: 2_000_000 });
    x.s('ACK');
    expect(violations(x.packets)).toEqual([]);
  });

  it('linux: no challenge ACK is due within 500 ms of the last one (rate limit); rfc9293 has no such limit', () => {
    const x = established();
    x.c('RST,ACK', { seq: x.sndNxt('c') + 100 }); // 1 ms after the server's ACK
    expect(violations(x.packets, 'linux')).toEqual([]);
    expect(violations(x.packets, 'rfc9293')).toEqual([['rst-not-exact', 6]]);
  });

  it('a RST the sender could have sent at its SND.NXT with data still in flight is not flagged', () => {
    const x = established();
    x.c('PSH,ACK', { len: 50, lost: true });
    x.c('RST,ACK', { t: 2_000_000 });
    x.s('ACK');
    x.c('RST', { seq: x.rcvNxt('s') });
    expect(violations(x.packets)).toEqual([]);
  });
});

describe('rst-unacceptable-ack', () => {
  it('RST,ACK acknowledging the SYN refuses the connection and raises nothing', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('RST,ACK', { seq: 0, ack: x.iss('c') + 1 });
    expect(violations(x.packets)).toEqual([]);
    const c = onlyConnection(replayPackets(x.packets));
    expect(c.states).toEqual({ [CLIENT]: ['SYN_SENT', 'CLOSED'], [SERVER]: [] });
  });

  it('a RST without ACK to SYN_SENT is flagged and ignored', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('RST', { seq: 0 });
    expect(violations(x.packets)).toEqual([['rst-unacceptable-ack', 2]]);
    expect(onlyConnection(replayPackets(x.packets)).final[CLIENT]).toBe('SYN_SENT');
  });

  it('a RST,ACK with the wrong ACK number is flagged', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('RST,ACK', { seq: 0, ack: x.iss('c') + 2 });
    expect(violations(x.packets)).toEqual([['rst-unacceptable-ack', 2]]);
  });
});
