// Windows are drawn as the receiver reads them (RFC 7323 2.2): shifted by the sender's scale once both SYNs
// carried the option; a SYN's own window never.
import { describe, expect, it } from 'vitest';
import { scaledWindows } from '../../src/sim/trace-windows.js';
import { segment } from '../render/trace-builders.js';

const A = '10.0.0.1:40000';
const B = '10.0.0.2:80';

describe('scaled windows', () => {
  it('scales each direction by its own SYN shift once both SYNs carried one', () => {
    const syn = segment(0, A, B, ['SYN'], 100, 0, { win: 64240, options: [{ kind: 'windowScale', shift: 7 }] });
    const synAck = segment(1, B, A, ['SYN', 'ACK'], 900, 101, { win: 65160, options: [{ kind: 'windowScale', shift: 10 }] });
    const ack = segment(2, A, B, ['ACK'], 101, 901, { win: 502 });
    const back = segment(3, B, A, ['ACK'], 901, 101, { win: 63 });
    const w = scaledWindows([syn, synAck, ack, back]);
    expect(w.get(syn)).toBe(64240);
    expect(w.get(synAck)).toBe(65160);
    expect(w.get(ack)).toBe(502 * 128);
    expect(w.get(back)).toBe(63 * 1024);
  });

  it('leaves windows unscaled when one side did not offer the option', () => {
    const syn = segment(0, A, B, ['SYN'], 100, 0, { options: [{ kind: 'windowScale', shift: 7 }] });
    const synAck = segment(1, B, A, ['SYN', 'ACK'], 900, 101, { options: [] });
    const ack = segment(2, A, B, ['ACK'], 101, 901, { win: 502 });
    expect(scaledWindows([syn, synAck, ack]).get(ack)).toBe(502);
  });

  it('says "unknown" (undefined) when the handshake was not seen', () => {
    const ack = segment(2, A, B, ['ACK'], 101, 901, { win: 502 });
    expect(scaledWindows([ack]).get(ack)).toBeUndefined();
  });

  it('a new SYN on the same ports starts over', () => {
    const syn1 = segment(0, A, B, ['SYN'], 100, 0, { options: [{ kind: 'windowScale', shift: 7 }] });
    const synAck1 = segment(1, B, A, ['SYN', 'ACK'], 900, 101, { options: [{ kind: 'windowScale', shift: 7 }] });
    const syn2 = segment(5, A, B, ['SYN'], 5000, 0, { options: [] });
    const synAck2 = segment(6, B, A, ['SYN', 'ACK'], 7000, 5001, { options: [] });
    const ack2 = segment(7, A, B, ['ACK'], 5001, 7001, { win: 300 });
    expect(scaledWindows([syn1, synAck1, syn2, synAck2, ack2]).get(ack2)).toBe(300);
  });

  it('a SYN sent again (the same ISN) after the SYN-ACK is the same handshake: windows stay scaled', () => {
    // Found by a long synack check: the client's SYN retransmission crossed the server's SYN-ACK.
    const syn = segment(0, A, B, ['SYN'], 100, 0, { options: [{ kind: 'windowScale', shift: 10 }] });
    const synAck = segment(1, B, A, ['SYN', 'ACK'], 900, 101, { options: [{ kind: 'windowScale', shift: 10 }] });
    const synAgain = segment(2, A, B, ['SYN'], 100, 0, { options: [{ kind: 'windowScale', shift: 10 }] });
    const ack = segment(3, A, B, ['ACK'], 101, 901, { win: 63 });
    expect(scaledWindows([syn, synAck, synAgain, ack]).get(ack)).toBe(63 * 1024);
  });
});
