// A connection's report stays bounded (issue 10: a million frames took 3.3 GB): the per-packet states the
// ladder draws are kept for the first maxPerPacket packets only, with a warning; everything else in the
// report (packet count, frames, states entered, final states, violations) is the same as uncut.
import { describe, expect, it } from 'vitest';
import { replayPackets } from '../../src/replay/replay.js';
import { PROGRESS_EVERY } from '../../src/replay/types.js';
import { longTransfer } from './long-transfer.js';

describe('the per-packet states of a long connection', () => {
  const packets = [...longTransfer(500)]; // 1,006 packets

  it('are kept for the first maxPerPacket packets, the rest of the report as uncut', () => {
    const whole = replayPackets(packets);
    const cut = replayPackets(packets, { maxPerPacket: 10 });
    const [w, c] = [whole.connections[0]!, cut.connections[0]!];
    expect(c.perPacket).toEqual(w.perPacket.slice(0, 10));
    expect({ ...c, perPacket: [] }).toEqual({ ...w, perPacket: [] });
    expect(w.perPacket).toHaveLength(1006);
  });

  it('a cut report says so in a warning naming the connection', () => {
    const { warnings } = replayPackets(packets, { maxPerPacket: 10 });
    expect(warnings).toContain('the report of connection 10.0.0.1:40000 -> 10.0.0.2:80 keeps the states of its first 10 of 1006 packets: its ladder stops there');
    expect(replayPackets(packets).warnings).toEqual([]);
  });
});

describe('onProgress', () => {
  it('is called every PROGRESS_EVERY packets with the count so far, and what it throws stops the replay', () => {
    const packets = [...longTransfer(PROGRESS_EVERY)]; // 2 * PROGRESS_EVERY + 6 packets
    const seen: number[] = [];
    replayPackets(packets, { onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([PROGRESS_EVERY, 2 * PROGRESS_EVERY]);
    expect(() => replayPackets(packets, { onProgress: () => { throw new RangeError('stop'); } })).toThrow('stop');
  });
});
