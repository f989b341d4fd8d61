// A long bulk transfer as observed packets, synthesized without a simulator run: handshake, then
// `segments` data segments of MSS bytes from the client, each acknowledged by the server (so every
// ACK number is new), then FIN/ACK both ways. Payload bytes are left out (payloadLength says how
// many there were, as in a capture cut by its snap length).
import { ACK, FIN, SYN, makeSegment } from '../../src/wire/segment.js';
import type { ObservedPacket } from '../../src/replay/types.js';

const C = { ip: '10.0.0.1', port: 40000 };
const S = { ip: '10.0.0.2', port: 80 };
const MSS = 1448;
const NONE = new Uint8Array(0);

export function* longTransfer(segments: number, options: { cisn?: number; sisn?: number } = {}): Generator<ObservedPacket> {
  const cisn = options.cisn ?? 1000;
  const sisn = options.sisn ?? 5000;
  let frame = 0;
  let t = 0;
  const pkt = (from: 'c' | 's', flags: number, seq: number, ack: number, len = 0): ObservedPacket => {
    const [a, b] = from === 'c' ? [C, S] : [S, C];
    t += 10;
    return { frame: ++frame, t, src: a.ip, dst: b.ip, payloadLength: len, segment: makeSegment({ srcPort: a.port, dstPort: b.port, seq: seq >>> 0, ack: ack >>> 0, flags, window: 65535, payload: NONE }) };
  };
  yield pkt('c', SYN, cisn, 0);
  yield pkt('s', SYN | ACK, sisn, cisn + 1);
  yield pkt('c', ACK, cisn + 1, sisn + 1);
  let seq = cisn + 1;
  for (let i = 0; i < segments; i++) {
    yield pkt('c', ACK, seq, sisn + 1, MSS);
    seq += MSS;
    yield pkt('s', ACK, sisn + 1, seq);
  }
  yield pkt('c', FIN | ACK, seq, sisn + 1);
  yield pkt('s', FIN | ACK, sisn + 1, seq + 1);
  yield pkt('c', ACK, seq + 1, sisn + 2);
}
