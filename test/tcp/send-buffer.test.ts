// The send buffer (RFC 9293 3.8): the bytes the application wrote and the peer has not acknowledged, read back
// by sequence number. Writes are copied into blocks that are never written again where they hold bytes, so a
// segment may keep a view of them (issue 11: no array per write).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SendBuffer } from '../../src/tcp/send-buffer.js';
import { seqAdd } from '../../src/wire/seq.js';

type Op = { write: number } | { ack: number } | { read: [number, number] };

describe('SendBuffer', () => {
  it('reads back exactly the stream written, after any writes, reads and acknowledgments (against a byte array)', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ write: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ ack: fc.integer({ min: 0, max: 4000 }) }),
      fc.record({ read: fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 3000 })) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.array(op, { maxLength: 60 }), (capacity, isn, ops) => {
        const buf = new SendBuffer(capacity, isn);
        // The model: every byte ever written, and how many of them are acknowledged.
        const stream: number[] = [];
        let acked = 0;
        const views: Array<{ view: Uint8Array; bytes: number[] }> = [];
        for (const o of ops) {
          if ('write' in o) {
            const data = Uint8Array.from({ length: o.write }, (_, i) => (stream.length + i * 7) & 0xff);
            const took = buf.write(data);
            expect(took).toBe(Math.min(o.write, capacity - (stream.length - acked)));
            stream.push(...data.subarray(0, took));
            data.fill(0xee); // the application reuses its array: the buffer kept its own copy
          } else if ('ack' in o) {
            const upTo = Math.min(acked + o.ack, stream.length);
            buf.acknowledge(seqAdd(isn, upTo));
            acked = upTo;
          } else {
            const [at, max] = o.read;
            const view = buf.read(seqAdd(isn, acked + at), max);
            const want = at < stream.length - acked ? stream.slice(acked + at, acked + at + Math.min(max, stream.length - acked - at)) : [];
            expect(Array.from(view)).toEqual(want);
            views.push({ view, bytes: want });
          }
          expect(buf.size).toBe(stream.length - acked);
          expect(buf.startSeq).toBe(seqAdd(isn, acked));
        }
        // What a segment took from the buffer is still those bytes, whatever was written or acknowledged since.
        for (const { view, bytes } of views) expect(Array.from(view)).toEqual(bytes);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('a bulk transfer in segment-sized writes allocates a few hundred blocks, not one array per write', () => {
    const buf = new SendBuffer(4 * 1024 * 1024, 0);
    const segment = new Uint8Array(1448);
    const blocks = new Set<ArrayBufferLike>();
    let sent = 0;
    for (let i = 0; i < 40_000; i++) {
      buf.write(segment);
      const view = buf.read(sent, 1448);
      blocks.add(view.buffer);
      sent += 1448;
      buf.acknowledge(sent - 1448 * 4); // a few segments in flight
    }
    expect(blocks.size).toBeLessThan(300); // 57.9 MB in blocks of up to 256 KiB
    expect(blocks.size).toBeGreaterThan(200);
  });

  it('an idle connection holds no block once everything written is acknowledged', () => {
    const buf = new SendBuffer(65536, 100);
    buf.write(new Uint8Array(100).fill(1));
    const held = () => (buf as unknown as { block?: Uint8Array }).block;
    expect(held()?.length).toBe(100); // the first block is just the write
    buf.acknowledge(200);
    expect(buf.size).toBe(0);
    expect(held()).toBeUndefined();
  });
});
