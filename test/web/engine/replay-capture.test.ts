// Opening a capture or trace JSON in the page (web/src/engine/replay-capture.ts): one trace of every
// connection, inferred states, and the violations keyed by the index of the segment that broke a rule.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCapture, ReplayInputError } from '../../../web/src/engine/replay-capture.js';
import { writePcap, writePcapng } from '../../../src/pcap/index.js';
import { traceRecords } from '../../../src/replay/to-capture.js';
import { findScenario } from '../../../src/scenarios/index.js';
import type { SegmentEvent, StateEvent, Trace } from '../../../src/sim/trace.js';

const run = (name: string) => findScenario(name)!.run({ profile: 'linux', seed: 1 });
const segments = (trace: Trace) => trace.events.filter((e): e is SegmentEvent => e.kind === 'segment');
const stateEvents = (trace: Trace) => trace.events.filter((e): e is StateEvent => e.kind === 'state');
const wire = (s: SegmentEvent) => `${s.src}>${s.dst} ${s.flags.join(',')} seq=${s.seq} ack=${s.ack} len=${s.len}`;

/** Per endpoint, the states the engine put it in that a packet shows (a LISTEN has no peer, no packet). */
function engineStates(trace: Trace): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of stateEvents(trace)) if (e.peer !== undefined) (out[e.endpoint] ??= []).push(e.to);
  return out;
}

function replayedStates(trace: Trace): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of stateEvents(trace)) (out[e.endpoint] ??= []).push(e.to);
  return out;
}

describe('replayCapture', () => {
  it('replays a pcap of three-way-handshake with its 3 segments and the engine\'s 4 connection states', async () => {
    const trace = await run('three-way-handshake');
    const got = replayCapture(writePcap(traceRecords(trace)), 'hs.pcap');
    expect(segments(got.trace).map(wire)).toEqual(segments(trace).map(wire));
    expect(stateEvents(got.trace)).toHaveLength(4);
    expect(replayedStates(got.trace)).toEqual(engineStates(trace));
    expect(got.violations.size).toBe(0);
    // One lifeline per endpoint.
    expect(got.trace.hosts.map((h) => h.name).sort()).toEqual(Object.keys(engineStates(trace)).sort());
  });

  it('puts every connection of a capture in one trace, packets in capture order (many-clients, pcapng)', async () => {
    const trace = await run('many-clients');
    const got = replayCapture(writePcapng(traceRecords(trace)), 'many.pcapng');
    expect(got.report.connections.length).toBeGreaterThan(1);
    expect(segments(got.trace).map(wire)).toEqual(segments(trace).map(wire));
    expect(got.trace.events.length).toBe(segments(trace).length + stateEvents(got.trace).length);
    // One lifeline per endpoint: each client's, and the server's once however many connections it has.
    const endpoints = new Set(segments(trace).flatMap((s) => [s.src, s.dst]));
    expect(got.trace.hosts.map((h) => h.name).sort()).toEqual([...endpoints].sort());
  });

  it('flags a mutated SYN-ACK on the index of that segment in the trace', async () => {
    const trace = await run('echo');
    const records = traceRecords(trace);
    const synAck = records.find((r) => r.packet.proto === 'tcp' && r.packet.segment.flags === 0x12)!;
    if (synAck.packet.proto === 'tcp') synAck.packet.segment.ack = (synAck.packet.segment.ack + 1000) >>> 0;
    const got = replayCapture(writePcap(records), 'bad-ack.pcap');
    const index = got.trace.events.findIndex((e) => e.kind === 'segment' && e.flags.join(',') === 'SYN,ACK');
    expect(index).toBeGreaterThan(0);
    expect([...got.violations]).toEqual([[index, ['synack-wrong-ack']]]);
    expect((got.trace.events[index] as SegmentEvent).note).toBe('VIOLATION synack-wrong-ack');
  });

  it('replays a real kernel capture (backlog-overflow), its frames in order', () => {
    const bytes = readFileSync(resolve(import.meta.dirname, '../../conformance/fixtures/backlog-overflow.kernel.pcap'));
    const got = replayCapture(new Uint8Array(bytes), 'kernel.pcap');
    expect(segments(got.trace)).toHaveLength(got.report.packets);
    expect(got.report.connections.length).toBeGreaterThan(1);
    const frames = segments(got.trace).map((s) => s.id);
    expect(frames).toEqual([...frames].sort((a, b) => a - b));
  });

  it('keeps the reader\'s warnings: a capture cut mid-record is a partial result, said so', () => {
    const bytes = new Uint8Array(readFileSync(resolve(import.meta.dirname, '../../conformance/fixtures/backlog-overflow.kernel.pcap')));
    const got = replayCapture(bytes.subarray(0, Math.floor(bytes.length / 2)), 'cut.pcap');
    expect(got.warnings.some((w) => /^partial result: \d+ frames read$/.test(w))).toBe(true);
  });

  it('reads a trace JSON too', async () => {
    const trace = await run('three-way-handshake');
    const got = replayCapture(new TextEncoder().encode(JSON.stringify(trace)), 'hs.json');
    expect(segments(got.trace).map(wire)).toEqual(segments(trace).map(wire));
  });

  it('bad input is a one-line ReplayInputError naming the file', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(0), /^x: empty file \(0 bytes\)/],
      [new TextEncoder().encode('hello world'), /^x: not a pcap, pcapng or trace JSON \(it starts with 68 65 6c 6c\)$/],
      [new TextEncoder().encode('{"format": "nope"}'), /^x: /],
      [writePcap([]).subarray(0, 10), /^x: /],
    ];
    for (const [bytes, message] of cases) {
      let error: unknown;
      try {
        replayCapture(bytes, 'x');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ReplayInputError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
