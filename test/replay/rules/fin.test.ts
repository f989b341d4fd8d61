// data-after-fin (src/replay/rules/fin.ts).
import { describe, expect, it } from 'vitest';
import { Conversation } from '../conversation.js';
import { violations } from '../replay-helpers.js';

describe('data-after-fin', () => {
  it('data then FIN, and the FIN retransmitted with its data, raise nothing', () => {
    const x = new Conversation().handshake();
    const data = x.c('PSH,ACK', { len: 5 });
    x.c('FIN,ACK');
    x.c('FIN,PSH,ACK', { seq: data.segment.seq, len: 5 });
    expect(violations(x.packets)).toEqual([]);
  });

  it('bytes after the sender\'s FIN are flagged', () => {
    const x = new Conversation().handshake();
    x.c('FIN,ACK');
    x.c('PSH,ACK', { len: 4 });
    expect(violations(x.packets)).toEqual([['data-after-fin', 5]]);
  });

  it('a second FIN further on is flagged', () => {
    const x = new Conversation().handshake();
    x.c('FIN,ACK');
    x.c('FIN,ACK', { seq: x.sndNxt('c') + 10 });
    expect(violations(x.packets)).toEqual([['data-after-fin', 5]]);
  });

  it('the other side may still send after our FIN (half-close)', () => {
    const x = new Conversation().handshake();
    x.c('FIN,ACK');
    x.s('ACK');
    x.s('PSH,ACK', { len: 20 });
    x.c('ACK');
    expect(violations(x.packets)).toEqual([]);
  });
});
