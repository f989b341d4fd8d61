// pcapng framing (draft-ietf-opsawg-pcapng section 3.1): every block is type (32 bits), total length
// (32 bits, a multiple of 4, at least 12), body, and the total length again. Options (section 3.5) are
// code (16 bits), length (16 bits), value padded to 32 bits, ended by opt_endofopt (code 0).
import { viewOf } from './cursor.js';

export const BLOCK_SHB = 0x0a0d0d0a; // section header (4.1)
export const BLOCK_IDB = 0x00000001; // interface description (4.2)
export const BLOCK_PB = 0x00000002; // obsolete packet block (appendix A)
export const BLOCK_SPB = 0x00000003; // simple packet (4.4)
export const BLOCK_NRB = 0x00000004; // name resolution (4.5)
export const BLOCK_ISB = 0x00000005; // interface statistics (4.6)
export const BLOCK_EPB = 0x00000006; // enhanced packet (4.3)
export const BLOCK_DSB = 0x0000000a; // decryption secrets (4.7)

/** Blocks that carry no packets and are normal in a capture: skipped without a warning. */
const QUIET_BLOCKS = new Set([
  BLOCK_NRB,
  BLOCK_ISB,
  BLOCK_DSB,
  0x00000007, // IRIG timestamp
  0x00000008, // ARINC 429
  0x00000009, // systemd journal export
  0x00000bad, // custom block
  0x40000bad, // custom block, not to be copied
]);

export function isQuietBlock(type: number): boolean {
  return QUIET_BLOCKS.has(type);
}

/** The byte-order magic of a section header block, as written by the section's writer. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const BLOCK_OVERHEAD = 12;

export function blockName(type: number): string {
  switch (type) {
    case BLOCK_SHB:
      return 'section header block';
    case BLOCK_IDB:
      return 'interface description block';
    case BLOCK_PB:
      return 'packet block';
    case BLOCK_SPB:
      return 'simple packet block';
    case BLOCK_EPB:
      return 'enhanced packet block';
    default:
      return `block of type 0x${type.toString(16).padStart(8, '0')}`;
  }
}

export interface PcapngOption {
  code: number;
  value: Uint8Array;
}

/**
 * The options in `bytes` up to opt_endofopt or the end. `complete` is false if an option ran past the end
 * (the options read before it are kept).
 */
export function readOptions(bytes: Uint8Array, littleEndian: boolean): { options: PcapngOption[]; complete: boolean } {
  const view = viewOf(bytes);
  const options: PcapngOption[] = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const code = view.getUint16(at, littleEndian);
    const length = view.getUint16(at + 2, littleEndian);
    if (code === 0) return { options, complete: true };
    if (at + 4 + length > bytes.length) return { options, complete: false };
    options.push({ code, value: bytes.subarray(at + 4, at + 4 + length) });
    at += 4 + ((length + 3) & ~3);
  }
  return { options, complete: at === bytes.length };
}

/** Rounds up to the 32-bit boundary pcapng pads every field and block to. */
export function pad4(length: number): number {
  return (length + 3) & ~3;
}
