// The page's capture export and the packet inspector's hex dump (web/src/engine/capture-bytes.ts): a
// segment's frame bytes are exactly the record the pcap export writes for it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameBytes, pcapBytes, pcapngBytes } from '../../../web/src/engine/capture-bytes.js';
import { runScenarioText } from '../../../web/src/engine/run-scenario.js';
import { openCapture } from '../../../src/pcap/index.js';
import { findScenario } from '../../../src/scenarios/index.js';
import { parseEndpoint } from '../../../src/wire/address.js';
import type { Trace } from '../../../src/sim/trace.js';

/** The frames of a classic pcap, read by hand: a 24-byte file header, then 16-byte record headers (incl_len at 8). */
function pcapRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  expect(view.getUint32(0, true)).toBe(0xa1b2c3d4);
  const out: Uint8Array[] = [];
  for (let at = 24; at < file.length; ) {
    const length = view.getUint32(at + 8, true);
    out.push(file.subarray(at + 16, at + 16 + length));
    at += 16 + length;
  }
  return out;
}

/** For each packet event, the position of its record: packets are written once each, in the order first sent. */
function recordOfEvent(trace: Trace): Map<number, number> {
  const order = new Map<number, number>();
  const out = new Map<number, number>();
  trace.events.forEach((e, i) => {
    if (e.kind !== 'segment' && e.kind !== 'datagram') return;
    if (!order.has(e.id)) order.set(e.id, order.size);
    out.set(i, order.get(e.id)!);
  });
  return out;
}

/** echo over a link that loses and duplicates, so the trace has dropped and duplicated copies. */
async function faultyEcho(): Promise<Trace> {
  const text = readFileSync(resolve(import.meta.dirname, '../../../scenarios/02-echo.yaml'), 'utf8');
  const faulty = text.replace(/^hosts:/m, 'link: { duplicate: 0.3 }\nhosts:');
  return (await runScenarioText(faulty, 'faulty-echo.yaml', { profile: 'linux', seed: 5, loss: 0.3 })).trace;
}

describe('frameBytes', () => {
  it('is, for every segment, the bytes of its record in the exported pcap (lost and duplicated copies too)', async () => {
    const trace = await faultyEcho();
    const fates = new Set(trace.events.flatMap((e) => (e.kind === 'segment' ? [e.fate] : [])));
    expect(fates).toEqual(new Set(['delivered', 'dropped', 'duplicated']));
    const records = pcapRecords(pcapBytes(trace));
    const where = recordOfEvent(trace);
    expect(records).toHaveLength(new Set([...where.values()]).size);
    for (const [event, record] of where) expect(frameBytes(trace, event), `event ${event}`).toEqual(records[record]);
  });

  it('covers UDP datagrams as well (udp-contrast)', async () => {
    const trace = await findScenario('udp-contrast')!.run({ profile: 'linux', seed: 1 });
    const records = pcapRecords(pcapBytes(trace));
    const where = recordOfEvent(trace);
    expect([...where.keys()].some((i) => trace.events[i]!.kind === 'datagram')).toBe(true);
    for (const [event, record] of where) expect(frameBytes(trace, event)).toEqual(records[record]);
  });

  it('is an Ethernet frame carrying IPv4 and TCP with the segment\'s ports', async () => {
    const trace = await findScenario('three-way-handshake')!.run({ profile: 'linux', seed: 1 });
    const index = trace.events.findIndex((e) => e.kind === 'segment');
    const syn = trace.events[index]!;
    if (syn.kind !== 'segment') throw new Error('no segment');
    const bytes = frameBytes(trace, index)!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint16(12)).toBe(0x0800); // EtherType IPv4
    expect(bytes[14]! >> 4).toBe(4);
    expect(bytes[14 + 9]).toBe(6); // IP protocol TCP (RFC 791)
    const ihl = (bytes[14]! & 0xf) * 4;
    expect(view.getUint16(14 + ihl)).toBe(parseEndpoint(syn.src).port);
    expect(view.getUint16(14 + ihl + 2)).toBe(parseEndpoint(syn.dst).port);
    expect(view.getUint32(14 + ihl + 4)).toBe(syn.seq);
  });

  it('is undefined for an event that is not a packet, or out of range', async () => {
    const trace = await findScenario('three-way-handshake')!.run({ profile: 'linux', seed: 1 });
    const state = trace.events.findIndex((e) => e.kind === 'state');
    expect(frameBytes(trace, state)).toBeUndefined();
    expect(frameBytes(trace, trace.events.length)).toBeUndefined();
  });
});

describe('pcapBytes and pcapngBytes', () => {
  it('write the same frames, one per packet sent, that src/pcap reads back', async () => {
    const trace = await faultyEcho();
    const fromPcap = pcapRecords(pcapBytes(trace));
    const pcapng = pcapngBytes(trace);
    const reader = openCapture({ size: pcapng.length, read: (offset, length) => pcapng.subarray(offset, offset + length) });
    expect(reader.format).toBe('pcapng');
    expect([...reader.frames()].map((f) => f.data)).toEqual(fromPcap);
  });
});
