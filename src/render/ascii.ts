// The ladder is 7-bit printable ASCII whatever the trace holds: host names, notes and addresses from a file or
// a capture may carry anything, so every such string passes through here before a column is counted.

/** "198.51.100.1 … .36" -> "198.51.100.1 ... .36"; any other character outside 0x20..0x7e becomes "?". */
export function ascii(text: string): string {
  return text.replace(/\u2026/g, '...').replace(/[^\x20-\x7e]/gu, '?');
}
