// Replay is linear in the length of a connection (issue 10: a 90,000-packet connection took 91 s when the
// endpoint model copied its set of sent ACK numbers on every packet, and the pending queue was scanned
// whole for every packet). Guarded without timing: by what is copied, by bounded state, and by how often
// the replay looks at each packet as connections grow.
import { describe, expect, it } from 'vitest';
import { ACK_HISTORY_SIZE, AckHistory } from '../../src/replay/ack-history.js';
import { cloneModel } from '../../src/replay/can-send.js';
import { newEndpoint } from '../../src/replay/endpoint.js';
import { replayPackets } from '../../src/replay/replay.js';
import type { ObservedPacket } from '../../src/replay/types.js';
import { longTransfer } from './long-transfer.js';

describe('the endpoint model', () => {
  it('a trial copy shares the ACK history instead of copying it', () => {
    const m = newEndpoint('10.0.0.1:1');
    for (let i = 0; i < 1000; i++) m.acksSent.add(i);
    expect(cloneModel(m).acksSent).toBe(m.acksSent);
  });

  it('remembers only the last ACK_HISTORY_SIZE distinct ACK numbers', () => {
    const h = new AckHistory();
    const n = ACK_HISTORY_SIZE * 3 + 7;
    for (let i = 0; i < n; i++) h.add(i * 1448);
    expect(h.size).toBe(ACK_HISTORY_SIZE);
    expect(h.has((n - 1) * 1448)).toBe(true);
    expect(h.has((n - ACK_HISTORY_SIZE) * 1448)).toBe(true);
    expect(h.has((n - ACK_HISTORY_SIZE - 1) * 1448)).toBe(false);
    h.add((n - 1) * 1448); // a repeat does not push anything out
    expect(h.has((n - ACK_HISTORY_SIZE) * 1448)).toBe(true);
  });
});

/** Packets whose `segment` reads are counted: how often the replay looks at a packet. */
function counted(packets: Iterable<ObservedPacket>): { packets: ObservedPacket[]; reads: () => number } {
  let reads = 0;
  const out = [...packets].map((p) => {
    const { segment, ...rest } = p;
    return Object.defineProperty({ ...rest }, 'segment', {
      get: () => {
        reads++;
        return segment;
      },
      enumerable: true,
    }) as ObservedPacket;
  });
  return { packets: out, reads: () => reads };
}

describe('replay of one long connection', () => {
  it('looks at each packet about as often whether the connection has 2,000 or 16,000 packets', () => {
    const perPacket = (segments: number): number => {
      const { packets, reads } = counted(longTransfer(segments));
      const report = replayPackets(packets);
      expect(report.connections[0]!.violations).toEqual([]);
      return reads() / packets.length;
    };
    const small = perPacket(1_000);
    const large = perPacket(8_000);
    // Quadratic work (scans of the pending queue, up to 4,096 ACKs, per packet) made this ratio grow with the length.
    expect(large / small).toBeLessThan(1.2);
  });
});
