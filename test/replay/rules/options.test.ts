// syn-option-outside-syn (src/replay/rules/options.ts).
import { describe, expect, it } from 'vitest';
import { Conversation } from '../conversation.js';
import { violations } from '../replay-helpers.js';

describe('syn-option-outside-syn', () => {
  it('MSS and window scale in the SYNs, timestamps everywhere, raise nothing', () => {
    const x = new Conversation().handshake();
    x.c('PSH,ACK', { len: 5, options: [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsVal: 1, tsEcr: 2 }] });
    expect(violations(x.packets)).toEqual([]);
  });

  it.each([
    ['mss', { kind: 'mss', mss: 1460 } as const],
    ['window scale', { kind: 'windowScale', shift: 7 } as const],
    ['SACK-permitted', { kind: 'sackPermitted' } as const],
  ])('%s in a segment without SYN is flagged', (_name, option) => {
    const x = new Conversation().handshake();
    x.c('PSH,ACK', { len: 5, options: [option] });
    expect(violations(x.packets)).toEqual([['syn-option-outside-syn', 4]]);
  });
});
