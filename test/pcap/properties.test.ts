// fast-check properties of the readers and the decoder: random and damaged input only ever gives CaptureError
// (or a partial result), frames before the damage survive intact, and write/read round-trips random packets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/pcap/decode-frame.js';
import { CaptureError } from '../../src/pcap/errors.js';
import { openCapture } from '../../src/pcap/read.js';
import { type CapturedFrame, bytesSource } from '../../src/pcap/types.js';
import { type PacketRecord, writePcap, writePcapng } from '../../src/pcap/write.js';
import { normalizeAddress } from '../../src/wire/address.js';
import type { Packet } from '../../src/wire/segment.js';
import { fcOptions } from '../properties/harness.js';
import { arbPacket } from '../wire/helpers.js';
import { PcapngBuilder, concat, pcapHeader } from './builders.js';

const options = () => fcOptions(200, 424_242);
const LINK_TYPES = [0, 1, 101, 108, 113, 228, 229, 276];

/** Reads and decodes everything; returns the frames, or the CaptureError. Any other exception fails the property. */
function readAll(bytes: Uint8Array): { frames: CapturedFrame[]; error?: CaptureError } {
  const frames: CapturedFrame[] = [];
  try {
    const reader = openCapture(bytesSource(bytes));
    for (const frame of reader.frames()) {
      frames.push(frame);
      decodeFrame(frame);
    }
    return { frames };
  } catch (e) {
    if (e instanceof CaptureError) return { frames, error: e };
    throw e;
  }
}

/** Valid-looking starts: every header flavour, so random tails reach the record and block walkers. */
const arbHead: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc
    .record({ littleEndian: fc.boolean(), nanos: fc.boolean(), linkType: fc.constantFrom(...LINK_TYPES), snaplen: fc.nat() })
    .map((spec) => pcapHeader(spec)),
  fc.boolean().map((le) => new PcapngBuilder().shb(le).bytes()),
  fc.tuple(fc.boolean(), fc.constantFrom(...LINK_TYPES)).map(([le, lt]) => new PcapngBuilder().shb(le).idb(lt, 0).bytes()),
);

/** pcapng blocks with correct framing and random bodies. */
const arbBlocks: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.tuple(fc.constantFrom(1, 2, 3, 4, 5, 6, 0x0a0d0d0a, 0x77), fc.uint8Array({ maxLength: 120 })),
    { maxLength: 6 },
  )
  .map((blocks) => {
    const b = new PcapngBuilder().shb();
    for (const [type, body] of blocks) b.block(type, body);
    return b.bytes();
  });

const arbRecords: fc.Arbitrary<PacketRecord[]> = fc
  .array(fc.tuple(fc.nat({ max: 5_000_000 }), arbPacket, fc.nat({ max: 0xffff })), { minLength: 1, maxLength: 6 })
  .map((items) => {
    let t = 0;
    return items.map(([dt, packet, ipId]) => {
      t += dt;
      return { timeMicros: t, packet, ipId };
    });
  });

const arbFile = fc.record({
  records: arbRecords,
  pcapng: fc.boolean(),
  ns: fc.boolean(),
  epochSeconds: fc.nat({ max: 2_000_000_000 }),
});

function write(f: { records: PacketRecord[]; pcapng: boolean; ns: boolean; epochSeconds: number }): Uint8Array {
  const opts = { resolution: f.ns ? ('ns' as const) : ('us' as const), epochSeconds: f.epochSeconds };
  return f.pcapng ? writePcapng(f.records, opts) : writePcap(f.records, opts);
}

/** Where each frame's record or block ends, walked with the length fields of the (little-endian) file. */
function frameEnds(bytes: Uint8Array, pcapng: boolean): number[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ends: number[] = [];
  let at = pcapng ? 0 : 24;
  while (at < bytes.length) {
    if (pcapng) {
      const type = v.getUint32(at, true);
      at += v.getUint32(at + 4, true);
      if (type === 6) ends.push(at);
    } else {
      at += 16 + v.getUint32(at + 8, true);
      ends.push(at);
    }
  }
  return ends;
}

interface Damage {
  flips: Array<[number, number]>;
  splice: { kind: 'cut' } | { kind: 'replace'; remove: number; insert: Uint8Array } | { kind: 'copy'; from: number; length: number };
  at: number;
}

const arbDamage = (size: number): fc.Arbitrary<Damage> =>
  fc.record({
    flips: fc.array(fc.tuple(fc.nat({ max: size - 1 }), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
    splice: fc.oneof(
      fc.constant<Damage['splice']>({ kind: 'cut' }),
      fc.record({ kind: fc.constant('replace' as const), remove: fc.nat({ max: 24 }), insert: fc.uint8Array({ maxLength: 24 }) }),
      fc.record({ kind: fc.constant('copy' as const), from: fc.nat({ max: size - 1 }), length: fc.nat({ max: 200 }) }),
    ),
    at: fc.nat({ max: size }),
  });

/** The damaged file, and the first byte offset (in the original) where it differs. */
function damage(original: Uint8Array, d: Damage): { bytes: Uint8Array; firstDamage: number } {
  const flipped = original.slice();
  for (const [at, xor] of d.flips) flipped[at] = (flipped[at] as number) ^ xor;
  let bytes: Uint8Array;
  if (d.splice.kind === 'cut') bytes = flipped.subarray(0, d.at);
  else if (d.splice.kind === 'replace') bytes = concat(flipped.subarray(0, d.at), d.splice.insert, flipped.subarray(d.at + d.splice.remove));
  else bytes = concat(flipped.subarray(0, d.at), original.subarray(d.splice.from, d.splice.from + d.splice.length), flipped.subarray(d.at));
  return { bytes, firstDamage: Math.min(d.at, ...d.flips.map(([at]) => at)) };
}

function expectedPacket(p: Packet): Packet {
  return { ...p, src: normalizeAddress(p.src), dst: normalizeAddress(p.dst), ttl: p.ttl ?? 64 };
}

describe('capture properties', () => {
  it('(a) random bytes, behind any header, give frames or a CaptureError and terminate', () => {
    const arbInput = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.tuple(arbHead, fc.uint8Array({ maxLength: 300 })).map(([h, t]) => concat(h, t)), arbBlocks);
    fc.assert(
      fc.property(arbInput, (bytes) => {
        readAll(bytes);
      }),
      options(),
    );
  });

  it('(a) decodeFrame never throws for random frames of any link type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LINK_TYPES, 7), fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 400 }), (linkType, data, origLen) => {
        const d = decodeFrame({ index: 1, sec: 0, nsec: 0, linkType, data, origLen });
        expect(['packet', 'skipped']).toContain(d.kind);
      }),
      options(),
    );
  });

  it('(b) damaged valid files: only CaptureError, and every frame before the damage is intact', () => {
    const arbCase = arbFile.chain((f) => {
      const original = write(f);
      return fc.tuple(fc.constant(f), fc.constant(original), arbDamage(original.length));
    });
    fc.assert(
      fc.property(arbCase, ([f, original, d]) => {
        const before = readAll(original).frames;
        const intact = frameEnds(original, f.pcapng).filter((end) => end <= damage(original, d).firstDamage).length;
        const { bytes } = damage(original, d);
        const after = readAll(bytes);
        if (intact > 0) expect(after.error).toBeUndefined();
        expect(after.frames.length).toBeGreaterThanOrEqual(intact);
        expect(after.frames.slice(0, intact)).toEqual(before.slice(0, intact));
      }),
      options(),
    );
  });

  it('(c) write then read gives back random packets and their times', () => {
    fc.assert(
      fc.property(arbFile, (f) => {
        const reader = openCapture(bytesSource(write(f)));
        const frames = [...reader.frames()];
        expect(reader.warnings).toEqual([]);
        expect(frames.map((fr) => [fr.sec, fr.nsec])).toEqual(
          f.records.map((r) => [f.epochSeconds + Math.floor(r.timeMicros / 1e6), (r.timeMicros % 1e6) * 1000]),
        );
        expect(frames.map(decodeFrame)).toEqual(
          f.records.map((r) => ({
            kind: 'packet',
            packet: expectedPacket(r.packet),
            payloadLength: r.packet.proto === 'tcp' ? r.packet.segment.payload.length : r.packet.datagram.payload.length,
            truncated: false,
            checksum: 'ok',
          })),
        );
      }),
      options(),
    );
  });
});
