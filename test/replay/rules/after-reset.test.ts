// segment-after-reset (src/replay/rules/after-reset.ts): ABORT deletes the TCB (RFC 9293 3.10.5).
import { describe, expect, it } from 'vitest';
import { Conversation } from '../conversation.js';
import { violations } from '../replay-helpers.js';

describe('segment-after-reset', () => {
  it('an endpoint that reset the connection and then only answers with RSTs raises nothing', () => {
    const x = new Conversation().handshake();
    x.c('RST,ACK');
    x.s('PSH,ACK', { len: 3 });
    x.c('RST', { seq: x.sndNxt('c') });
    expect(violations(x.packets)).toEqual([]);
  });

  it('sending data after its own RST is flagged', () => {
    const x = new Conversation().handshake();
    x.c('RST,ACK');
    x.c('PSH,ACK', { len: 3 });
    expect(violations(x.packets)).toEqual([['segment-after-reset', 5]]);
  });
});
