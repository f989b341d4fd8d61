// The receive buffer (src/tcp/receive-buffer.ts): in-order and out-of-order text, and how much of a
// segment it keeps.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReceiveBuffer } from '../../src/tcp/receive-buffer.js';

const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('ReceiveBuffer.accept: what is kept', () => {
  it('in-order data within the capacity is kept and RCV.NXT advances over it', () => {
    const b = new ReceiveBuffer(100);
    expect(b.accept(1000, bytes(60), 1000)).toBe(1060);
    expect(b.readable).toBe(60);
  });

  it('without a right edge, data past the capacity is trimmed', () => {
    const b = new ReceiveBuffer(100);
    b.accept(0, bytes(100), 0);
    expect(b.accept(100, bytes(20, 100), 100)).toBe(100);
    expect(b.readable).toBe(100);
  });

  // A window, once advertised, is honoured even where (scaled and rounded up) it promised more than
  // the nominal capacity (Linux tcp_select_window; kernel run in scripts/kernel/observed/send_buffer_full.txt).
  it('data up to the advertised right edge is kept past the capacity; beyond the edge it is trimmed', () => {
    const b = new ReceiveBuffer(100);
    b.accept(0, bytes(100), 0);
    expect(b.accept(100, bytes(30, 100), 100, 120)).toBe(120);
    expect(b.readable).toBe(120);
    expect([...b.read(200).subarray(100)]).toEqual([...bytes(20, 100)]);
  });

  it('a right edge inside the free space does not cut the free space short', () => {
    const b = new ReceiveBuffer(100);
    expect(b.accept(0, bytes(80), 0, 50)).toBe(80);
  });

  it('out-of-order data is held, then joined when the hole is filled', () => {
    const b = new ReceiveBuffer(100);
    expect(b.accept(10, bytes(10, 10), 0)).toBe(0);
    expect(b.heldOutOfOrder).toBe(10);
    expect(b.accept(0, bytes(10), 0)).toBe(20);
    expect([...b.read(100)]).toEqual([...bytes(20)]);
  });
});

describe('ReceiveBuffer: the out-of-order count', () => {
  // heldOutOfOrder is kept as segments are held, merged and pulled in (it bounds every window offered);
  // here it is checked against what the SACK blocks say is held, after each of many random arrivals.
  it('always equals the bytes the SACK blocks cover', () => {
    const arrival = fc.record({ offset: fc.nat(3000), length: fc.integer({ min: 1, max: 400 }), read: fc.nat(500) });
    fc.assert(
      fc.property(fc.array(arrival, { maxLength: 60 }), (arrivals) => {
        const b = new ReceiveBuffer(4000);
        const isn = 0xfffff000; // wraps past 2^32 within the run
        let rcvNxt = isn;
        for (const a of arrivals) {
          rcvNxt = b.accept((isn + a.offset) >>> 0, bytes(a.length, a.offset), rcvNxt);
          b.read(a.read);
          const covered = b.sackBlocks(1000).reduce((n, [start, end]) => n + ((end - start) >>> 0), 0);
          expect(b.heldOutOfOrder).toBe(covered);
          expect(b.free).toBe(Math.max(0, 4000 - b.readable - covered));
        }
      }),
      { numRuns: 300 },
    );
  });
});
