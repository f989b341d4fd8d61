// seq-out-of-window (src/replay/rules/window.ts): RFC 9293 3.8.6 / 3.10.7.4, window scale RFC 7323.
import { describe, expect, it } from 'vitest';
import { Conversation } from '../conversation.js';
import { violations } from '../replay-helpers.js';

/**
 * Handshake, then the server announces `win` (the raw field) at its RCV.NXT. Its SYN-ACK offers
 * `win` bytes too (a SYN's window is never scaled), so the later, scaled, window is the widest.
 * (The right edge is the furthest ever offered: a receiver should not shrink its window, RFC 9293 3.8.6.)
 */
function offered(win: number, scaled = true): Conversation {
  const x = new Conversation({ wscale: scaled ? 7 : undefined });
  x.c('SYN');
  x.s('SYN,ACK', { win });
  x.c('ACK');
  x.s('ACK', { win });
  return x;
}

describe('seq-out-of-window', () => {
  it('data up to the right edge of the offered window raises nothing (window scale 7: 512 << 7 = 65536 bytes)', () => {
    const x = offered(512);
    x.c('ACK', { len: 65536 });
    expect(violations(x.packets)).toEqual([]);
  });

  it('data past the right edge is flagged', () => {
    const x = offered(512);
    x.c('ACK', { len: 65537 });
    expect(violations(x.packets)).toEqual([['seq-out-of-window', 5]]);
  });

  it('without window scaling the same window is 512 bytes', () => {
    const x = offered(512, false);
    x.c('ACK', { len: 600 });
    expect(violations(x.packets)).toEqual([['seq-out-of-window', 5]]);
  });

  it('scaling is on only if both SYNs carry the option', () => {
    const x = new Conversation();
    x.c('SYN', { options: [{ kind: 'mss', mss: 1460 }] });
    x.s('SYN,ACK', { win: 512 });
    x.c('ACK');
    x.s('ACK', { win: 512 });
    x.c('ACK', { len: 600 });
    expect(violations(x.packets)).toEqual([['seq-out-of-window', 5]]);
  });

  it('the SYN-ACK window (never scaled) applies to the first data', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('SYN,ACK', { win: 1000 });
    x.c('ACK');
    x.c('ACK', { len: 1000 });
    expect(violations(x.packets)).toEqual([]);
    x.c('ACK', { len: 1, seq: x.sndNxt('c') });
    x.c('ACK', { len: 10, seq: x.sndNxt('c') });
    expect(violations(x.packets)).toEqual([['seq-out-of-window', 6]]);
  });

  it('a one-byte zero-window probe may pass the edge by one byte, more may not', () => {
    const ok = offered(0);
    ok.c('ACK', { len: 1 });
    expect(violations(ok.packets)).toEqual([]);
    const bad = offered(0);
    bad.c('ACK', { len: 2 });
    expect(violations(bad.packets)).toEqual([['seq-out-of-window', 5]]);
  });

  it('a retransmission of old data is fine', () => {
    const x = offered(512);
    const first = x.c('ACK', { len: 100 });
    x.s('ACK');
    x.c('ACK', { len: 100, seq: first.segment.seq });
    expect(violations(x.packets)).toEqual([]);
  });

  it('the edge is the furthest ever offered: a later, smaller window does not shrink it', () => {
    const x = offered(512);
    x.s('ACK', { win: 1 });
    x.c('ACK', { len: 65536 });
    expect(violations(x.packets)).toEqual([]);
  });

  it('a SYN with a new ISN outside the window of an established receiver is flagged', () => {
    const x = new Conversation().handshake();
    x.s('ACK', { len: 10 });
    x.c('ACK');
    x.c('SYN', { seq: x.iss('c') + 0x40000000 });
    expect(violations(x.packets)).toEqual([['seq-out-of-window', 6]]);
  });

  it('a repeated SYN (same ISN) is not', () => {
    const x = new Conversation();
    x.c('SYN');
    x.c('SYN');
    x.s('SYN,ACK');
    x.c('ACK');
    expect(violations(x.packets)).toEqual([]);
  });
});
