import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LadderWidthError, renderLadder } from '../../src/render/ladder.js';
import type { SegmentEvent, TraceEvent, TraceHost } from '../../src/sim/trace.js';
import { arrowText, call, makeTrace, segment, state } from './trace-builders.js';

const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';

describe('ladder width', () => {
  const wordy = makeTrace([
    segment(0, C, S, ['PSH', 'ACK'], 1, 1, {
      len: 1448,
      retransmit: true,
      note: 'a note long enough to need its own line of the ladder',
    }),
    segment(10, S, C, ['ACK'], 1, 1449),
  ]);

  it('wraps a long label over several lines, all within the width, losing no word', () => {
    const lines = renderLadder(wordy, { width: 60 }).split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    const first = lines.findIndex((l) => l.includes('[PSH,ACK]'));
    expect(lines[first + 1]).not.toMatch(/ms/);
    expect(arrowText(lines, first)).toContain('win=64240 (rtx) (a note long enough to need its own line of the ladder)');
  });

  it('wraps a long call', () => {
    const calls = makeTrace([
      ...wordy.events,
      { ...call(20, 'client', 'send', ['a very long argument list', 'that goes on', 'and on and on and on'], 'EPIPE'), socket: 1 },
    ]);
    const lines = renderLadder(calls, { width: 60 }).split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    const at = lines.findIndex((l) => l.includes('send('));
    expect(lines.slice(at, at + 3).join(' ')).toContain('and on');
  });

  it('gives up the arrival column before squeezing labels', () => {
    const narrow = renderLadder(wordy, { width: 60 });
    expect(narrow.split('\n')[0]).not.toContain('arrives');
    const wide = renderLadder(wordy, { width: 100 });
    expect(wide.split('\n')[0]).toContain('arrives');
  });

  it('shortens lane titles that cannot both fit', () => {
    const hosts: TraceHost[] = [
      { name: 'a-client-with-a-remarkably-long-host-name', address: '10.0.0.1' },
      { name: 'a-server-with-an-even-longer-host-name-than-that', address: '10.0.0.2' },
    ];
    const ladder = renderLadder(makeTrace([segment(0, C, S, ['SYN'], 1, 0)], hosts), { width: 50 });
    for (const line of ladder.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
    expect(ladder.split('\n')[0]).toMatch(/a-client.*\.\.\. +a-server.*\.\.\.$/);
  });

  it('moves the words beside or below the lifelines rather than past the width', () => {
    const lines = renderLadder(wordy, { width: 40 }).split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines.join(' ').replace(/[ |]+/g, ' ')).toContain('(a note long enough to need its own line of the ladder)');
  });

  it('refuses a width too narrow for any ladder with a LadderWidthError', () => {
    expect(() => renderLadder(wordy, { width: 20 })).toThrow(LadderWidthError);
  });
});

// Random traces among three hosts with any names (non-ASCII, control characters) and an address no host has,
// with long notes, reasons and call arguments: up to 11 lanes.
const word = fc.string({ unit: 'binary', minLength: 1, maxLength: 30 });
const words = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
const endpoint = fc
  .tuple(fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '192.0.2.200'), fc.constantFrom(1, 80))
  .map(([a, p]) => `${a}:${p}`);
const flags = fc.subarray<SegmentEvent['flags'][number]>(['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR']);
const uint32 = fc.nat({ max: 2 ** 32 - 1 });
const role = fc.constantFrom(0, 1, 2);
const anEvent: fc.Arbitrary<(t: number, names: string[]) => TraceEvent> = fc.oneof(
  fc
    .record({
      src: endpoint,
      dst: endpoint,
      flags,
      seq: uint32,
      ack: uint32,
      len: fc.nat({ max: 65535 }),
      win: fc.nat({ max: 65535 }),
      note: fc.option(words, { nil: undefined }),
      reason: fc.option(words, { nil: undefined }),
      retransmit: fc.boolean(),
      injected: fc.boolean(),
      fate: fc.constantFrom('delivered' as const, 'dropped' as const, 'duplicated' as const),
    })
    .map((f) => (t: number) => segment(t, f.src, f.dst, f.flags, f.seq, f.ack, { ...f, ...(f.fate === 'dropped' ? { arrival: undefined } : { arrival: t + 700 }) })),
  fc
    .record({ host: role, socket: fc.nat(3), to: word, peer: endpoint, port: fc.constantFrom(1, 80) })
    .map((f) => (t: number, names: string[]) => state(t, names[f.host]!, f.socket, `10.0.0.${f.host + 1}:${f.port}`, 'CLOSED', f.to, f.peer)),
  fc
    .record({ host: role, args: fc.array(words, { maxLength: 3 }), result: word, socket: fc.option(fc.nat(3), { nil: undefined }) })
    .map((f) => (t: number, names: string[]) => ({ ...call(t, names[f.host]!, 'connect', f.args, f.result), ...(f.socket !== undefined ? { socket: f.socket } : {}) })),
);
const aTrace = fc.array(fc.tuple(fc.nat({ max: 200_000_000 }), anEvent), { maxLength: 30 });
const hostName = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });

describe('ladder width, property', () => {
  it('never draws a line longer than the width, nor a character outside printable ASCII, from 40 to 1000 columns', () => {
    fc.assert(
      fc.property(aTrace, fc.integer({ min: 40, max: 1000 }), fc.uniqueArray(hostName, { minLength: 3, maxLength: 3 }), (pairs, width, names) => {
        const hosts = names.map((name, i) => ({ name, address: `10.0.0.${i + 1}` }));
        const events = pairs.map(([t, make]) => make(t, names)).sort((a, b) => a.t - b.t);
        const ladder = renderLadder(makeTrace(events, hosts), { width, timers: true });
        for (const line of ladder.split('\n')) {
          expect(line.length).toBeLessThanOrEqual(width);
          expect(line).toMatch(/^[\x20-\x7e]*$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
