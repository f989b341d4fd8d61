// invalid-flags (src/replay/rules/flags.ts).
import { describe, expect, it } from 'vitest';
import { Conversation } from '../conversation.js';
import { violations } from '../replay-helpers.js';

describe('invalid-flags', () => {
  it('a plain SYN raises nothing', () => {
    const x = new Conversation();
    x.c('SYN');
    expect(violations(x.packets)).toEqual([]);
  });

  it('SYN with FIN is flagged', () => {
    const x = new Conversation();
    x.c('SYN,FIN');
    expect(violations(x.packets)).toEqual([['invalid-flags', 1]]);
  });

  it('SYN with RST is flagged', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('SYN,RST,ACK');
    expect(violations(x.packets)).toEqual([['invalid-flags', 2]]);
  });
});
