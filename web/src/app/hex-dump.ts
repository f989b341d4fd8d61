// A packet's bytes as the packet inspector shows them: the classic hex dump of hexdump -C / Wireshark's
// bytes pane: offset, 16 bytes in hex (a gap after the 8th), then the printable ASCII (others as '.').

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** One line per 16 bytes: "0000  45 00 00 3c 1c 46 40 00  40 06 b1 e6 0a 00 00 01  |E..<.F@.@.......|". */
export function hexDump(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const cells: string[] = [];
    for (let i = 0; i < 16; i++) cells.push(i < row.length ? hex2(row[i]!) : '  ');
    const ascii = [...row].map((b) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(4, '0')}  ${cells.slice(0, 8).join(' ')}  ${cells.slice(8).join(' ')}  |${ascii}|`);
  }
  return lines;
}
