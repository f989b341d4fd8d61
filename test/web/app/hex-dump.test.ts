// The packet inspector's hex dump (web/src/app/hex-dump.ts): hexdump -C's layout.
import { describe, expect, it } from 'vitest';
import { hexDump } from '../../../web/src/app/hex-dump.js';

describe('hexDump', () => {
  it('writes the offset, 16 bytes with a gap after the 8th, and the printable ASCII', () => {
    const bytes = new TextEncoder().encode('GET / HTTP/1.1\r\nHost');
    expect(hexDump(bytes)).toEqual([
      '0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  |GET / HTTP/1.1..|',
      '0010  48 6f 73 74                                       |Host|',
    ]);
  });

  it('shows bytes outside 0x20..0x7e as dots and counts offsets in hex', () => {
    const bytes = new Uint8Array(33).map((_, i) => (i === 32 ? 0x7f : i === 31 ? 0x7e : 0));
    const lines = hexDump(bytes);
    expect(lines.map((l) => l.slice(0, 4))).toEqual(['0000', '0010', '0020']);
    expect(lines[1]!.endsWith('|...............~|')).toBe(true);
    expect(lines[2]).toBe(`0020  7f${' '.repeat(3 * 15 + 1)}  |.|`);
  });

  it('is empty for no bytes', () => {
    expect(hexDump(new Uint8Array())).toEqual([]);
  });
});
