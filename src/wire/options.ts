// TCP options (RFC 9293 3.2; window scale and timestamps RFC 7323; SACK RFC 2018).
// Kind 0 (EOL) and 1 (NOP) are a single byte; every other kind is kind, length (counting both), data.
import { checkUint, readU16, readU32, writeU16, writeU32 } from './bytes.js';
import { TcpOptionError } from './errors.js';
import type { TcpOption } from './segment.js';

/** The most option bytes a header holds: data offset 15 words minus the 5-word fixed header. */
export const MAX_OPTIONS_LENGTH = 40;

export const OPT_EOL = 0;
export const OPT_NOP = 1;
export const OPT_MSS = 2;
export const OPT_WINDOW_SCALE = 3;
export const OPT_SACK_PERMITTED = 4;
export const OPT_SACK = 5;
export const OPT_TIMESTAMPS = 8;

/** Encoded size of one option in bytes. */
export function optionLength(opt: TcpOption): number {
  switch (opt.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'windowScale':
      return 3;
    case 'sackPermitted':
      return 2;
    case 'sack':
      return 2 + 8 * opt.blocks.length;
    case 'timestamps':
      return 10;
    case 'unknown':
      return 2 + opt.data.length;
  }
}

/** Rethrows a field range error as a TcpOptionError naming the option. */
function checkField(option: string, field: string, value: number, bits: 8 | 16 | 32): void {
  try {
    checkUint(`${option} ${field}`, value, bits);
  } catch (e) {
    throw new TcpOptionError((e as Error).message);
  }
}

/** Writes one option at `at`; returns the offset after it. */
function writeOption(out: Uint8Array, at: number, opt: TcpOption): number {
  switch (opt.kind) {
    case 'eol':
      out[at] = OPT_EOL;
      return at + 1;
    case 'nop':
      out[at] = OPT_NOP;
      return at + 1;
    case 'mss':
      checkField('MSS option', 'mss', opt.mss, 16);
      out.set([OPT_MSS, 4], at);
      writeU16(out, at + 2, opt.mss);
      return at + 4;
    case 'windowScale':
      // Shifts above 14 are encodable; the receiver clamps them to 14 (RFC 7323 2.3).
      checkField('window scale option', 'shift', opt.shift, 8);
      out.set([OPT_WINDOW_SCALE, 3, opt.shift], at);
      return at + 3;
    case 'sackPermitted':
      out.set([OPT_SACK_PERMITTED, 2], at);
      return at + 2;
    case 'sack': {
      if (opt.blocks.length === 0) throw new TcpOptionError('SACK option needs at least one block (RFC 2018 3)');
      out.set([OPT_SACK, 2 + 8 * opt.blocks.length], at);
      let p = at + 2;
      for (const [left, right] of opt.blocks) {
        checkField('SACK option', 'left edge', left, 32);
        checkField('SACK option', 'right edge', right, 32);
        writeU32(out, p, left);
        writeU32(out, p + 4, right);
        p += 8;
      }
      return p;
    }
    case 'timestamps':
      checkField('timestamps option', 'tsVal', opt.tsVal, 32);
      checkField('timestamps option', 'tsEcr', opt.tsEcr, 32);
      out.set([OPT_TIMESTAMPS, 10], at);
      writeU32(out, at + 2, opt.tsVal);
      writeU32(out, at + 6, opt.tsEcr);
      return at + 10;
    case 'unknown':
      // Codes 0 and 1 have no length byte, so they cannot carry data.
      if (!Number.isInteger(opt.code) || opt.code < 2 || opt.code > 255) {
        throw new TcpOptionError(`unknown option code must be an integer in 2..255, got ${String(opt.code)}`);
      }
      out.set([opt.code, 2 + opt.data.length], at);
      out.set(opt.data, at + 2);
      return at + 2 + opt.data.length;
  }
}

/**
 * The option bytes of a TCP header, padded with zeros (EOL) to a multiple of 4 (RFC 9293 3.1, "Padding").
 * Throws TcpOptionError if they exceed 40 bytes, if anything follows an EOL (it would be lost), or a field is out
 * of range.
 */
export function encodeOptions(opts: readonly TcpOption[]): Uint8Array {
  const eol = opts.findIndex((o) => o.kind === 'eol');
  if (eol >= 0 && eol < opts.length - 1) {
    throw new TcpOptionError(`option ${opts[eol + 1]?.kind} follows EOL and would be ignored by the receiver`);
  }
  const length = opts.reduce((n, o) => n + optionLength(o), 0);
  if (length > MAX_OPTIONS_LENGTH) {
    throw new TcpOptionError(`options take ${length} bytes, more than the ${MAX_OPTIONS_LENGTH} a TCP header holds`);
  }
  const out = new Uint8Array((length + 3) & ~3);
  let at = 0;
  for (const opt of opts) at = writeOption(out, at, opt);
  return out;
}

const KIND_NAMES: Record<number, string> = {
  [OPT_MSS]: 'MSS',
  [OPT_WINDOW_SCALE]: 'window scale',
  [OPT_SACK_PERMITTED]: 'SACK-permitted',
  [OPT_SACK]: 'SACK',
  [OPT_TIMESTAMPS]: 'timestamps',
};

/** The fixed length each known kind must have, or undefined for SACK (2 + 8n) and unknown kinds. */
const FIXED_LENGTH: Record<number, number> = {
  [OPT_MSS]: 4,
  [OPT_WINDOW_SCALE]: 3,
  [OPT_SACK_PERMITTED]: 2,
  [OPT_TIMESTAMPS]: 10,
};

/** Decodes one option of kind >= 2 whose bytes (kind and length included) are `b`. */
function readOption(b: Uint8Array, offset: number): TcpOption {
  const kind = b[0] as number;
  const name = KIND_NAMES[kind];
  const fixed = FIXED_LENGTH[kind];
  if (fixed !== undefined && b.length !== fixed) {
    throw new TcpOptionError(`${name} option at offset ${offset} has length ${b.length}, expected ${fixed}`);
  }
  switch (kind) {
    case OPT_MSS:
      return { kind: 'mss', mss: readU16(b, 2) };
    case OPT_WINDOW_SCALE:
      return { kind: 'windowScale', shift: b[2] as number };
    case OPT_SACK_PERMITTED:
      return { kind: 'sackPermitted' };
    case OPT_TIMESTAMPS:
      return { kind: 'timestamps', tsVal: readU32(b, 2), tsEcr: readU32(b, 6) };
    case OPT_SACK: {
      if (b.length < 10 || (b.length - 2) % 8 !== 0) {
        throw new TcpOptionError(`SACK option at offset ${offset} has length ${b.length}, expected 2 + 8n with n >= 1`);
      }
      const blocks: Array<readonly [number, number]> = [];
      for (let p = 2; p < b.length; p += 8) blocks.push([readU32(b, p), readU32(b, p + 4)]);
      return { kind: 'sack', blocks };
    }
    default:
      return { kind: 'unknown', code: kind, data: b.slice(2) };
  }
}

/**
 * Decodes the option bytes of a TCP header. Stops at EOL, so EOL and the zero padding after it are not returned.
 * Throws TcpOptionError for a length byte below 2, an option running past the end, or a known kind with the
 * wrong length. Unknown kinds are kept as { kind: 'unknown', code, data }.
 */
export function decodeOptions(bytes: Uint8Array): TcpOption[] {
  const opts: TcpOption[] = [];
  let at = 0;
  while (at < bytes.length) {
    const kind = bytes[at] as number;
    if (kind === OPT_EOL) break;
    if (kind === OPT_NOP) {
      opts.push({ kind: 'nop' });
      at += 1;
      continue;
    }
    const what = `option kind ${kind}${KIND_NAMES[kind] ? ` (${KIND_NAMES[kind]})` : ''} at offset ${at}`;
    if (at + 1 >= bytes.length) throw new TcpOptionError(`${what} is cut off before its length byte`);
    const length = bytes[at + 1] as number;
    if (length < 2) throw new TcpOptionError(`${what} has length ${length}; the minimum is 2`);
    if (at + length > bytes.length) {
      throw new TcpOptionError(`${what} has length ${length}, running past the ${bytes.length} option bytes`);
    }
    opts.push(readOption(bytes.subarray(at, at + length), at));
    at += length;
  }
  return opts;
}
