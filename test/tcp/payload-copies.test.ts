// Payloads travel by reference where that is safe and are copied where it is not (issue 11: "each payload
// is copied four times"): the send buffer copies what the application wrote (a later write into the same
// array must not change bytes already sent: RFC 9293 3.8, the data is the stream as it was written), and
// recv() hands the application its own copy; held out-of-order data is kept as the segment carried it.
import { describe, expect, it } from 'vitest';
import { ReceiveBuffer } from '../../src/tcp/receive-buffer.js';
import { SendBuffer } from '../../src/tcp/send-buffer.js';

describe('payload copies', () => {
  it('a send buffer keeps the bytes as written, whatever the application does with its array after', () => {
    const buf = new SendBuffer(1000, 1);
    const app = Uint8Array.from([1, 2, 3, 4]);
    expect(buf.write(app)).toBe(4);
    app.fill(9);
    expect(Array.from(buf.read(1, 4))).toEqual([1, 2, 3, 4]);
  });

  it('a segment read across two writes is the bytes of both', () => {
    const buf = new SendBuffer(1000, 1);
    buf.write(Uint8Array.from([1, 2]));
    buf.write(Uint8Array.from([3, 4]));
    expect(Array.from(buf.read(2, 2))).toEqual([2, 3]);
  });

  it('out-of-order data comes out intact once the hole is filled, and recv() gets a copy', () => {
    const rb = new ReceiveBuffer(1000);
    const later = Uint8Array.from([5, 6, 7]);
    const first = Uint8Array.from([1, 2, 3, 4]);
    expect(rb.accept(105, later, 101)).toBe(101); // held: bytes 105..107
    expect(rb.heldOutOfOrder).toBe(3);
    expect(rb.free).toBe(997);
    expect(rb.accept(101, first, 101)).toBe(108);
    const out = rb.read(100);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    out.fill(0); // the application's copy: the segments' bytes (kept by the trace) stay as they were
    expect(Array.from(first)).toEqual([1, 2, 3, 4]);
    expect(Array.from(later)).toEqual([5, 6, 7]);
  });

  it('overlapping held data merges with the bytes first held winning, without writing into a payload', () => {
    const rb = new ReceiveBuffer(1000);
    const a = Uint8Array.from([10, 11, 12]);
    const b = Uint8Array.from([20, 21, 22, 23]);
    rb.accept(103, a, 101); // 103..105
    rb.accept(104, b, 101); // 104..107, overlapping
    expect(rb.heldOutOfOrder).toBe(5);
    rb.accept(101, Uint8Array.from([1, 2]), 101);
    expect(Array.from(rb.read(100))).toEqual([1, 2, 10, 11, 12, 22, 23]);
    expect(Array.from(a)).toEqual([10, 11, 12]);
    expect(Array.from(b)).toEqual([20, 21, 22, 23]);
  });
});
