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
    call(10, 'client', 'send', ['a very long argument list', 'that goes on', 'and on and on and on'], 'EPIPE'),
  ]);

  it('wraps a long label over several lines, all within the width, losing no word', () => {
    const lines = renderLadder(wordy, { left: 'client', right: 'server', width: 60 }).split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    const first = lines.findIndex((l) => l.includes('[PSH,ACK]'));
    expect(lines[first + 1]).not.toMatch(/ms/);
    expect(arrowText(lines, first)).toContain('win=64240 (rtx) (a note long enough to need its own line of the ladder)');
  });

  it('wraps a long call against its lifeline', () => {
    const lines = renderLadder(wordy, { left: 'client', right: 'server', width: 60 }).split('\n');
    const at = lines.findIndex((l) => l.includes('send('));
    expect(lines.slice(at, at + 3).join(' ')).toContain('and on');
  });

  it('gives up the arrival column before squeezing labels', () => {
    const narrow = renderLadder(wordy, { left: 'client', right: 'server', width: 60 });
    expect(narrow.split('\n')[0]).not.toContain('arrives');
    const wide = renderLadder(wordy, { left: 'client', right: 'server', width: 100 });
    expect(wide.split('\n')[0]).toContain('arrives');
  });

  it('shortens host titles that cannot both fit', () => {
    const hosts: TraceHost[] = [
      { name: 'a-client-with-a-remarkably-long-host-name', address: '10.0.0.1' },
      { name: 'a-server-with-an-even-longer-host-name-than-that', address: '10.0.0.2' },
    ];
    const ladder = renderLadder(makeTrace([], hosts), { left: '10.0.0.1', right: '10.0.0.2', width: 50 });
    for (const line of ladder.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
    expect(ladder.split('\n')[0]).toMatch(/a-client.*\.\.\. +a-server.*\.\.\.$/);
  });

  it('refuses a width too narrow for any lane with a LadderWidthError', () => {
    expect(() => renderLadder(wordy, { left: 'client', right: 'server', width: 30 })).toThrow(LadderWidthError);
  });
});

// Random traces among two lifeline hosts and two others, with long notes, reasons and names.
const word = fc.stringMatching(/^[a-z:()-]{1,30}$/);
const words = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
const endpoint = fc
  .tuple(fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '192.0.2.200'), fc.integer({ min: 1, max: 65535 }))
  .map(([a, p]) => `${a}:${p}`);
const flags = fc.subarray<SegmentEvent['flags'][number]>(['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR']);
const uint32 = fc.nat({ max: 2 ** 32 - 1 });
const anEvent: fc.Arbitrary<(t: number) => TraceEvent> = fc.oneof(
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
      fate: fc.constantFrom('delivered' as const, 'dropped' as const, 'duplicated' as const),
    })
    .map((f) => (t: number) => segment(t, f.src, f.dst, f.flags, f.seq, f.ack, { ...f, arrival: t + 700 })),
  fc
    .record({ host: fc.constantFrom('client', 'server', 'other'), socket: fc.nat(3), to: word, peer: endpoint })
    .map((f) => (t: number) => state(t, f.host, f.socket, '10.0.0.2:80', 'CLOSED', f.to, f.peer)),
  fc
    .record({ host: fc.constantFrom('client', 'server'), args: fc.array(words, { maxLength: 3 }), result: word })
    .map((f) => (t: number) => call(t, f.host, 'connect', f.args, f.result)),
);
const aTrace = fc
  .array(fc.tuple(fc.nat({ max: 200_000_000 }), anEvent), { maxLength: 30 })
  .map((pairs) => pairs.map(([t, make]) => make(t)).sort((a, b) => a.t - b.t));
const hostName = fc.stringMatching(/^[a-z][a-z0-9-]{0,40}$/);

describe('ladder width, property', () => {
  it('never draws a line longer than the width, from 40 to 200 columns (or says it is too narrow)', () => {
    fc.assert(
      fc.property(aTrace, fc.integer({ min: 40, max: 200 }), hostName, hostName, (events, width, left, right) => {
        fc.pre(left !== right);
        const hosts = [
          { name: left, address: '10.0.0.1' },
          { name: right, address: '10.0.0.2' },
          { name: 'other', address: '10.0.0.3' },
        ];
        let ladder: string;
        try {
          ladder = renderLadder(makeTrace(events, hosts), { left, right, width, timers: true });
        } catch (err) {
          expect(err).toBeInstanceOf(LadderWidthError);
          expect(width).toBeLessThan(60);
          return;
        }
        for (const line of ladder.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
      }),
      { numRuns: 300 },
    );
  });
});
