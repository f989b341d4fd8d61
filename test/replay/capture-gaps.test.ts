// A capture with gaps: the capturing kernel dropped packets (tshark reports them), so an endpoint
// acknowledges bytes the capture never showed. That is said as a warning about the capture, not
// flagged as the endpoint's ack-of-unsent (issue 10). A real ACK of unsent data, where the endpoint
// goes on from where its captured bytes ended, is still flagged.
import { describe, expect, it } from 'vitest';
import { replayPackets } from '../../src/replay/replay.js';
import type { ObservedPacket } from '../../src/replay/types.js';
import { longTransfer } from './long-transfer.js';

const MSS = 1448;

/** The long transfer with the client's data segments number `drop` (0-based) left out of the capture. */
function withGap(drop: number[]): ObservedPacket[] {
  const all = [...longTransfer(40)];
  // Frames 1-3 are the handshake; data segment i is frame 4 + 2i, its ACK frame 5 + 2i.
  const gone = new Set(drop.map((i) => 4 + 2 * i));
  return all.filter((p) => !gone.has(p.frame));
}

describe('a capture that missed data packets', () => {
  it('warns that the capture missed the bytes, around the ACK that showed it, with no violation', () => {
    const report = replayPackets(withGap([10, 11]));
    expect(report.connections[0]!.violations).toEqual([]);
    // The ACK of segment 10 (frame 25) is the first packet for bytes the capture never showed.
    expect(report.warnings).toEqual([expect.stringContaining(`the capture missed ${2 * MSS} bytes of 10.0.0.1:40000 -> 10.0.0.2:80 around frame 25`)]);
  });

  it('finds each gap of a capture that missed packets in several places', () => {
    const report = replayPackets(withGap([5, 20, 21, 22]));
    expect(report.connections[0]!.violations).toEqual([]);
    expect(report.warnings.map((w) => w.match(/missed (\d+) bytes .* around frame (\d+)/)?.slice(1))).toEqual([
      [String(MSS), '15'],
      [String(3 * MSS), '45'],
    ]);
  });

  it('an ACK of data never sent is still ack-of-unsent when the sender goes on from where it was', () => {
    const packets = [...longTransfer(10)];
    // The server's ACK of data segment 3 (frame 11) acknowledges 5000 bytes more than the client sent.
    const ackFrame = packets.find((p) => p.frame === 11)!;
    ackFrame.segment = { ...ackFrame.segment, ack: (ackFrame.segment.ack + 5000) >>> 0 };
    const report = replayPackets(packets);
    expect(report.connections[0]!.violations.map((v) => [v.rule, v.packet])).toEqual([['ack-of-unsent', 11]]);
    expect(report.warnings).toEqual([]);
  });
});

describe('a capture that missed a window update', () => {
  /**
   * The long transfer with the server offering two segments of window (each ACK: ack + 2 x MSS), and its ACKs of data
   * segments 6 and 7 (frames 17 and 19) not captured: the client's segment 8 (frame 20) then goes past the last window
   * the capture showed (frame 15's), although the server had opened it in the ACKs the capture lost.
   */
  function missedUpdates(): ObservedPacket[] {
    const packets = [...longTransfer(20)].filter((p) => p.frame !== 17 && p.frame !== 19);
    for (const p of packets) if (p.src === '10.0.0.2') p.segment = { ...p.segment, window: 2 * MSS };
    return packets;
  }

  it('data past the window that the receiver then acknowledges: a missed window update, said as a warning', () => {
    const report = replayPackets(missedUpdates());
    expect(report.connections[0]!.violations).toEqual([]);
    expect(report.warnings).toEqual([expect.stringContaining('the capture missed a window update of 10.0.0.2:80 around frame 20')]);
  });

  it('data past the window that the receiver does not take, and the sender sends again: still seq-out-of-window', () => {
    const packets = missedUpdates();
    // The server answers frame 20 with a duplicate ACK (it dropped the data) and the client sends it again.
    const dup = packets.find((p) => p.frame === 21)!;
    const data = packets.find((p) => p.frame === 20)!;
    dup.segment = { ...dup.segment, ack: data.segment.seq };
    packets.splice(packets.indexOf(dup) + 1, 0, { ...data, frame: 21.5, t: dup.t + 1 });
    const report = replayPackets(packets);
    expect(report.connections[0]!.violations.map((v) => [v.rule, v.packet])).toContainEqual(['seq-out-of-window', 20]);
    expect(report.warnings.filter((w) => w.includes('window update'))).toEqual([]);
  });
});
