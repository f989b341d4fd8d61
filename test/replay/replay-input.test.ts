// replayPackets on bad input: a clear Error, never a crash deep inside; and its warnings.
import { describe, expect, it } from 'vitest';
import { replayPackets } from '../../src/replay/replay.js';
import type { ObservedPacket } from '../../src/replay/types.js';
import { Conversation } from './conversation.js';

describe('replayPackets input', () => {
  it('an empty capture is an empty report', () => {
    expect(replayPackets([])).toEqual({ connections: [], packets: 0, warnings: [] });
  });

  it('rejects what is not an array of packets, naming the packet', () => {
    expect(() => replayPackets('x' as unknown as ObservedPacket[])).toThrow(/array of packets/);
    expect(() => replayPackets([{ frame: 1, t: 0, src: '10.0.0.1', dst: '10.0.0.2' } as ObservedPacket])).toThrow(/packet 1 \(frame 1\) has no valid TCP segment/);
    const good = new Conversation().c('SYN');
    expect(() => replayPackets([{ ...good, payloadLength: -1 }])).toThrow(/payloadLength/);
    expect(() => replayPackets([{ ...good, t: Number.NaN }])).toThrow(/time t/);
  });

  it('rejects an unknown profile', () => {
    expect(() => replayPackets([], { profile: 'bsd' as 'linux' })).toThrow(/unknown profile "bsd"/);
  });

  it('takes lengths from payloadLength, not from the bytes a snapshot length left', () => {
    const x = new Conversation().handshake();
    const data = x.c('PSH,ACK', { len: 100 });
    x.s('ACK');
    const cut = { ...data, segment: { ...data.segment, payload: data.segment.payload.subarray(0, 10) } };
    const r = replayPackets([...x.packets.slice(0, 3), cut, x.packets[4]!]);
    expect(r.connections[0]!.violations).toEqual([]); // the server's ACK of all 100 bytes is no ack-of-unsent
  });

  it('warns when only one direction of a connection was captured', () => {
    const x = new Conversation().handshake();
    x.c('PSH,ACK', { len: 10 });
    const onlyClient = x.packets.filter((p) => p.src === '10.0.0.1').map((p, i) => ({ ...p, frame: i + 1 }));
    expect(replayPackets(onlyClient).warnings).toEqual([expect.stringMatching(/only one direction was captured for 10\.0\.0\.1:40000 -> 10\.0\.0\.2:80/)]);
  });
});
