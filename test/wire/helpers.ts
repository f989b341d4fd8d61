// Shared arbitraries and independent reference helpers for the wire tests.
import fc from 'fast-check';
import type { Datagram, Packet, Segment, TcpOption } from '../../src/wire/segment.js';

export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** Bytes from a hex string such as "45 00 00 3c"; whitespace ignored. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0) throw new Error(`odd hex string ${text}`);
  return Uint8Array.from(clean.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/**
 * Reference Internet checksum, written differently from src/wire/checksum.ts: add every 16-bit word as a BigInt,
 * reduce modulo 0xffff (ones' complement addition is addition modulo 2^16 - 1, with 0xffff for a nonzero
 * multiple), then complement.
 */
export function refChecksum(...parts: Uint8Array[]): number {
  const all = Uint8Array.from(parts.flatMap((p) => Array.from(p)));
  let total = 0n;
  for (let i = 0; i < all.length; i += 2) total += BigInt(((all[i] ?? 0) << 8) | (all[i + 1] ?? 0));
  let sum = Number(total % 0xffffn);
  if (sum === 0 && total !== 0n) sum = 0xffff;
  return 0xffff - sum;
}

/** One option that round-trips through encode/decode (no EOL, which decoding drops). */
export const arbOption: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant<TcpOption>({ kind: 'nop' }),
  u16.map<TcpOption>((mss) => ({ kind: 'mss', mss })),
  fc.integer({ min: 0, max: 255 }).map<TcpOption>((shift) => ({ kind: 'windowScale', shift })),
  fc.constant<TcpOption>({ kind: 'sackPermitted' }),
  fc
    .array(fc.tuple(u32, u32), { minLength: 1, maxLength: 4 })
    .map<TcpOption>((blocks) => ({ kind: 'sack', blocks })),
  fc.tuple(u32, u32).map<TcpOption>(([tsVal, tsEcr]) => ({ kind: 'timestamps', tsVal, tsEcr })),
  fc
    .tuple(
      fc.integer({ min: 2, max: 255 }).filter((c) => ![2, 3, 4, 5, 8].includes(c)),
      fc.uint8Array({ maxLength: 12 }),
    )
    .map<TcpOption>(([code, data]) => ({ kind: 'unknown', code, data })),
);

/** Byte length of an option as the RFCs define it, computed here without the code under test. */
export function refOptionLength(o: TcpOption): number {
  switch (o.kind) {
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
      return 2 + 8 * o.blocks.length;
    case 'timestamps':
      return 10;
    case 'unknown':
      return 2 + o.data.length;
  }
}

/** A list of options fitting in 40 bytes: the longest prefix of a random list that fits. */
export const arbOptionList: fc.Arbitrary<TcpOption[]> = fc.array(arbOption, { maxLength: 12 }).map((opts) => {
  const out: TcpOption[] = [];
  let used = 0;
  for (const o of opts) {
    if (used + refOptionLength(o) > 40) break;
    used += refOptionLength(o);
    out.push(o);
  }
  return out;
});

export const arbSegment: fc.Arbitrary<Segment> = fc.record({
  srcPort: u16,
  dstPort: u16,
  seq: u32,
  ack: u32,
  flags: fc.integer({ min: 0, max: 255 }),
  window: u16,
  urgentPointer: u16,
  options: arbOptionList,
  payload: fc.uint8Array({ maxLength: 300 }),
});

export const arbDatagram: fc.Arbitrary<Datagram> = fc.record({
  srcPort: u16,
  dstPort: u16,
  payload: fc.uint8Array({ maxLength: 300 }),
});

/** A pair of addresses of one family, in any valid text form fast-check produces. */
export const arbAddressPair: fc.Arbitrary<{ src: string; dst: string }> = fc.oneof(
  fc.record({ src: fc.ipV4(), dst: fc.ipV4() }),
  fc.record({ src: fc.ipV6(), dst: fc.ipV6() }),
);

export const arbPacket: fc.Arbitrary<Packet> = fc
  .tuple(arbAddressPair, fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }), fc.boolean(), arbSegment, arbDatagram)
  .map(([{ src, dst }, ttl, isTcp, segment, datagram]): Packet => {
    const base = ttl === undefined ? { src, dst } : { src, dst, ttl };
    return isTcp ? { proto: 'tcp', ...base, segment } : { proto: 'udp', ...base, datagram };
  });

/** A copy of `bytes` with bit `bit` (0 = most significant bit of byte 0) flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >>> 3] = (out[bit >>> 3] as number) ^ (0x80 >>> (bit & 7));
  return out;
}

/** Mutations of a valid encoding for fuzzing decoders: truncation, byte overwrites, or both. */
export function arbMutation(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edits = fc.array(fc.tuple(fc.nat({ max: Math.max(0, valid.length - 1) }), fc.integer({ min: 0, max: 255 })), {
    minLength: 1,
    maxLength: 4,
  });
  return fc.tuple(fc.nat({ max: valid.length }), edits, fc.boolean()).map(([cut, changes, truncate]) => {
    const out = valid.slice(0, truncate ? cut : valid.length);
    for (const [at, value] of changes) if (at < out.length) out[at] = value;
    return out;
  });
}
