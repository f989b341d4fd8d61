// The sparse byte array the bytes-delivered invariant lays a stream out in (src/check/byte-space.ts), against
// a plain Map model: writes that agree or disagree across block edges, marks, and the first gap.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ByteSpace } from '../../src/check/byte-space.js';

describe('ByteSpace', () => {
  it('agrees with a Map of offsets for random writes, marks and gap searches', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), offset: fc.nat(9000), bytes: fc.uint8Array({ minLength: 1, maxLength: 1500 }) }),
      fc.record({ kind: fc.constant('mark' as const), from: fc.integer({ min: -100, max: 9000 }), length: fc.nat(1500) }),
      fc.record({ kind: fc.constant('gap' as const), from: fc.nat(9000) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const space = new ByteSpace();
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'write') {
            let want = -1;
            for (let i = 0; i < o.bytes.length; i++) {
              const at = o.offset + i;
              const had = model.get(at);
              if (had === undefined) model.set(at, o.bytes[i]!);
              else if (had !== o.bytes[i]) {
                want = at;
                break;
              }
            }
            expect(space.writeOrCompare(o.offset, o.bytes)).toBe(want);
          } else if (o.kind === 'mark') {
            space.mark(o.from, o.from + o.length);
            for (let at = Math.max(0, o.from); at < o.from + o.length; at++) if (!model.has(at)) model.set(at, 0);
          } else {
            let gap = o.from;
            while (model.has(gap)) gap++;
            expect(space.firstGap(o.from)).toBe(gap);
          }
        }
        for (const [at, b] of model) {
          expect(space.has(at)).toBe(true);
          expect(space.get(at)).toBe(b);
        }
        expect(space.has(12_000)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('holds a byte far out in sequence space without laying out the offsets before it', () => {
    const space = new ByteSpace();
    expect(space.writeOrCompare(2 ** 31 - 2, Uint8Array.of(1, 2))).toBe(-1);
    expect(space.get(2 ** 31 - 1)).toBe(2);
    expect(space.writeOrCompare(2 ** 31 - 1, Uint8Array.of(3))).toBe(2 ** 31 - 1);
    expect(space.firstGap(0)).toBe(0);
    expect(space.firstGap(2 ** 31 - 2)).toBe(2 ** 31);
  });
});
