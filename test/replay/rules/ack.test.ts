// ack-of-unsent and missing-ack-flag (src/replay/rules/ack.ts).
import { describe, expect, it } from 'vitest';
import { Conversation } from '../conversation.js';
import { violations } from '../replay-helpers.js';

describe('ack-of-unsent', () => {
  it('acknowledging exactly what was sent raises nothing', () => {
    const x = new Conversation().handshake();
    x.c('PSH,ACK', { len: 5 });
    x.s('ACK');
    expect(violations(x.packets)).toEqual([]);
  });

  it('acknowledging beyond SND.NXT is flagged', () => {
    const x = new Conversation().handshake();
    x.c('PSH,ACK', { len: 5 });
    x.s('ACK', { ack: x.sndNxt('c') + 1 });
    expect(violations(x.packets)).toEqual([['ack-of-unsent', 5]]);
  });

  it('a SYN-ACK is judged by synack-wrong-ack instead', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('SYN,ACK', { ack: x.iss('c') + 100 });
    expect(violations(x.packets).map(([rule]) => rule)).toEqual(['synack-wrong-ack']);
  });

  it('a bogus ACK does not make the replay believe more was received (the FIN still counts)', () => {
    const x = new Conversation().handshake();
    x.c('PSH,ACK', { len: 5 });
    x.s('ACK', { ack: x.sndNxt('c') + 100000 });
    x.c('FIN,ACK');
    x.s('FIN,ACK');
    x.c('ACK');
    expect(violations(x.packets)).toEqual([['ack-of-unsent', 5]]);
  });
});

describe('missing-ack-flag', () => {
  it('data with ACK after the handshake raises nothing', () => {
    const x = new Conversation().handshake();
    x.c('PSH,ACK', { len: 3 });
    expect(violations(x.packets)).toEqual([]);
  });

  it('data without ACK after the handshake is flagged', () => {
    const x = new Conversation().handshake();
    x.c('PSH', { len: 3 });
    expect(violations(x.packets)).toEqual([['missing-ack-flag', 4]]);
  });

  it('a FIN without ACK after the handshake is flagged', () => {
    const x = new Conversation().handshake();
    x.c('FIN');
    expect(violations(x.packets)).toEqual([['missing-ack-flag', 4]]);
  });
});
