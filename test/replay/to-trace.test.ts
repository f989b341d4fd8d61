// A replayed capture as a trace to draw: retransmissions marked as Wireshark marks them (a segment whose sequence
// space its sender had sent before), so a capture of a backlog problem shows which SYNs went unanswered.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramModel } from '../../src/render/diagram/model.js';
import { readReplayInput } from '../../src/replay/read-input.js';
import { replayPackets } from '../../src/replay/replay.js';
import { captureTrace } from '../../src/replay/to-trace.js';
import type { SegmentEvent } from '../../src/sim/trace.js';

const FIXTURE = new URL('../conformance/fixtures/backlog-overflow.kernel.pcap', import.meta.url);

function kernelBacklogTrace() {
  const bytes = new Uint8Array(readFileSync(FIXTURE));
  const input = readReplayInput(bytes);
  return captureTrace(replayPackets(input.packets), input.packets, 'backlog.pcap', 'linux').trace;
}

describe('captureTrace', () => {
  it('marks the SYNs a client had to send again, and nothing else in a clean exchange', () => {
    const trace = kernelBacklogTrace();
    const segments = trace.events.filter((e): e is SegmentEvent => e.kind === 'segment');
    const again = segments.filter((s) => s.retransmit);
    expect(again.length).toBeGreaterThan(0);
    for (const s of again) {
      // Each is a SYN with the sequence number of an earlier SYN from the same endpoint.
      expect(s.flags).toEqual(['SYN']);
      expect(segments.some((o) => o !== s && o.src === s.src && o.seq === s.seq && o.t < s.t)).toBe(true);
    }
    // The first SYN of every client is not a retransmission.
    const firstSyns = new Map<string, SegmentEvent>();
    for (const s of segments) if (s.flags.includes('SYN') && !s.flags.includes('ACK') && !firstSyns.has(s.src)) firstSyns.set(s.src, s);
    for (const s of firstSyns.values()) expect(s.retransmit).toBeUndefined();
  });

  it('draws the server of a capture last, after its clients, though no LISTEN is in a capture', () => {
    const model = diagramModel(kernelBacklogTrace());
    expect(model.lanes.at(-1)!.title).toMatch(/:9999$/);
    expect(model.lanes.slice(0, -1).every((l) => !l.title.endsWith(':9999'))).toBe(true);
  });
});
