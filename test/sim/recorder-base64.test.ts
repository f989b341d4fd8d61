// Payloads in the trace are base64 (docs/trace-format.md, RFC 4648 section 4 with padding). The recorder's own
// encoder (browser-safe: no Buffer in src/sim) must give exactly what Node's Buffer gives, for every length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/sim/recorder.js';

describe('toBase64', () => {
  it('matches Buffer for every length from 0 to 40 bytes (each remainder mod 3, padding included)', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13 + 255) & 0xff);
      expect(toBase64(bytes), `length ${n}`).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('matches Buffer for random payloads up to 9,000 bytes, the scratch space growing and reused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9000 }), (bytes) => {
        expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('encodes a view at an odd offset of a larger buffer (a payload shared with the send buffer)', () => {
    const block = Uint8Array.from({ length: 100 }, (_, i) => 255 - i);
    const view = block.subarray(3, 3 + 50);
    expect(toBase64(view)).toBe(Buffer.from(view).toString('base64'));
  });
});
