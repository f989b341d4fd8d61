// base64Length must accept exactly what atob accepts (less whitespace, which the trace refuses) and give the length
// atob's bytes have: the trace reader checks payloads with it instead of decoding each one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Length } from '../../src/replay/trace-values.js';

function atobLength(text: string): number | undefined {
  if (/[\t\n\f\r ]/.test(text)) return undefined;
  try {
    return atob(text).length;
  } catch {
    return undefined;
  }
}

describe('base64Length', () => {
  it('agrees with atob on valid and broken base64', () => {
    const alphabet = fc.constantFrom(...'ABCxyz019+/=-_ .\n'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }).map((b) => btoa(String.fromCharCode(...b))), fc.string({ unit: alphabet, maxLength: 12 })), (text) => {
        expect(base64Length(text)).toBe(atobLength(text));
      }),
      { seed: 9, numRuns: 3000 },
    );
  });

  it('handles the padding cases', () => {
    for (const [text, n] of [['', 0], ['QQ==', 1], ['QUI=', 2], ['QUJD', 3], ['QQ', 1], ['QUI', 2], ['Q', undefined], ['Q===', undefined], ['=', undefined]] as const) {
      expect([text, base64Length(text)]).toEqual([text, n]);
      expect([text, atobLength(text)]).toEqual([text, n]);
    }
  });
});
