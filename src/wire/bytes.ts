// Big-endian field access and range checks shared by the codecs.
import { WireError } from './errors.js';

/** Throws a WireError unless `value` is an integer in [0, 2^bits). */
export function checkUint(name: string, value: number, bits: 8 | 16 | 32): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new WireError(`${name} must be an integer in 0..${2 ** bits - 1}, got ${String(value)}`);
  }
}

/** Throws a WireError unless `bytes` holds at least `need` octets. */
export function needBytes(what: string, bytes: Uint8Array, need: number): void {
  if (bytes.length < need) {
    throw new WireError(`truncated ${what}: ${bytes.length} bytes, need at least ${need}`);
  }
}

export function readU16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

export function readU32(bytes: Uint8Array, at: number): number {
  return (readU16(bytes, at) * 0x10000 + readU16(bytes, at + 2)) >>> 0;
}

export function writeU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 8) & 0xff;
  bytes[at + 1] = value & 0xff;
}

export function writeU32(bytes: Uint8Array, at: number, value: number): void {
  writeU16(bytes, at, (value >>> 16) & 0xffff);
  writeU16(bytes, at + 2, value & 0xffff);
}

/** The concatenation of `chunks`. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
