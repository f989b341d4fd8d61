// missing-rst (src/replay/rules/closed.ts): RFC 9293 3.10.7.1, a closed endpoint answers with RST.
import { describe, expect, it } from 'vitest';
import { Conversation } from '../conversation.js';
import { violations } from '../replay-helpers.js';

/** The client aborts with RST; the server, not knowing yet, sends `n` data segments. */
function abortedThenData(n: number, answered: boolean): Conversation {
  const x = new Conversation().handshake();
  x.c('RST,ACK');
  for (let i = 0; i < n; i++) {
    x.s('PSH,ACK', { len: 10, seq: x.iss('s') + 1 });
    if (answered) x.c('RST', { seq: x.sndNxt('c') });
  }
  return x;
}

describe('missing-rst', () => {
  it('every segment to the closed endpoint answered with RST: nothing', () => {
    expect(violations(abortedThenData(3, true).packets)).toEqual([]);
  });

  it('three segments to an endpoint that reset the connection, and no RST back, are flagged at the first', () => {
    expect(violations(abortedThenData(3, false).packets)).toEqual([['missing-rst', 5]]);
  });

  it('one unanswered segment is not enough (it may have been lost on the way)', () => {
    expect(violations(abortedThenData(1, false).packets)).toEqual([]);
  });

  it('after LAST_ACK, repeated last ACKs are not segments that need a RST (one of them may be what closed it)', () => {
    const x = new Conversation().handshake();
    x.c('FIN,ACK');
    x.s('FIN,ACK');
    const last = x.c('ACK');
    for (let i = 0; i < 3; i++) x.c('ACK', { seq: last.segment.seq, ack: last.segment.ack });
    expect(violations(x.packets)).toEqual([]);
  });

  it('after LAST_ACK, data to the closed endpoint is answered with RST or flagged', () => {
    const bad = new Conversation().handshake();
    bad.c('FIN,ACK');
    bad.s('FIN,ACK');
    bad.c('ACK');
    for (let i = 0; i < 3; i++) bad.c('PSH,ACK', { len: 1, seq: bad.sndNxt('c') });
    expect(violations(bad.packets)).toContainEqual(['missing-rst', 7]);
  });
});
