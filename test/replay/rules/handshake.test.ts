// synack-wrong-ack and synack-without-syn (src/replay/rules/handshake.ts).
import { describe, expect, it } from 'vitest';
import { Conversation } from '../conversation.js';
import { replayPackets } from '../../../src/replay/replay.js';
import { violations } from '../replay-helpers.js';

describe('synack-wrong-ack', () => {
  it('a SYN-ACK acknowledging ISN + 1 raises nothing', () => {
    const x = new Conversation().handshake();
    expect(violations(x.packets)).toEqual([]);
  });

  it('a SYN-ACK acknowledging anything else is flagged at that frame', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('SYN,ACK', { ack: x.iss('c') + 2 });
    expect(violations(x.packets)).toEqual([['synack-wrong-ack', 2]]);
  });

  it('the detail names the ISN and the ACK expected', () => {
    const x = new Conversation({ clientIss: 7000 });
    x.c('SYN');
    x.s('SYN,ACK', { ack: 9 });
    const [v] = replayPackets(x.packets).connections[0]!.violations;
    expect(v?.detail).toContain('ISN 7000');
    expect(v?.detail).toContain('ack 7001 expected');
  });
});

describe('synack-without-syn', () => {
  it('a SYN-ACK that answers a captured SYN raises nothing', () => {
    const x = new Conversation();
    x.c('SYN');
    x.s('SYN,ACK');
    expect(violations(x.packets)).toEqual([]);
  });

  it('a SYN-ACK with no SYN before it is flagged', () => {
    const x = new Conversation();
    x.s('SYN,ACK', { ack: 1001 });
    expect(violations(x.packets)).toEqual([['synack-without-syn', 1]]);
  });

  it('is not raised in a midstream capture', () => {
    const x = new Conversation();
    x.c('ACK', { seq: 1001, ack: 5001, len: 10 });
    x.s('SYN,ACK', { seq: 5000, ack: 1001 });
    expect(violations(x.packets).filter(([rule]) => rule === 'synack-without-syn')).toEqual([]);
  });
});
