// Issue 10: the pictures drawn from a trace show its user strings (host names, notes, call arguments and values,
// program names, state names, the scenario) escaped, and measure columns on the escaped text: no renderer, even
// without the CLI's output filter, writes a control character, and the ladder keeps to its width.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { toMermaid } from '../../src/render/mermaid.js';
import { printableTrace } from '../../src/render/printable-trace.js';
import { summarizeTrace } from '../../src/render/summary.js';
import type { Trace } from '../../src/sim/trace.js';
import { call, makeTrace, segment, state } from './trace-builders.js';

const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';
const CONTROLS = ['\x00', '\x07', '\t', '\n', '\r', '\x1b[2J', '\x1b]0;owned\x07', '\x7f', '\x9b', '\u202e', '\u2028', '\ud800'];
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.array(fc.constantFrom(...CONTROLS), { minLength: 1, maxLength: 4 }).map((xs) => `n${xs.join('y')}`),
);
const UNWANTED = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/u;

function trace(s: string[]): Trace {
  const [a, b] = [`a${s[0]}`, `b${s[1]}`];
  return {
    ...makeTrace(
      [
        state(0, b, 1, S, 'CLOSED', 'LISTEN'),
        state(10, a, 1, C, 'CLOSED', `SYN_SENT${s[2]}`, S),
        segment(10, C, S, ['SYN'], 1000, 0, { note: s[3]! }),
        segment(510, S, C, ['SYN', 'ACK'], 5000, 1001, { fate: 'dropped', reason: s[4]! }),
        segment(1010, C, S, ['ACK'], 1001, 5001, { discarded: s[5]! }),
        { ...call(1020, a, `send${s[6]}`, [s[7]!], 'ok', s[8]), socket: 1, program: s[9]! },
        { ...call(1030, b, 'recv', [], `E${s[10]}`), socket: 1 },
      ],
      [
        { name: a, address: '10.0.0.1' },
        { name: b, address: '10.0.0.2' },
      ],
    ),
    scenario: s[11]!,
  };
}
const strings = fc.array(hostile, { minLength: 12, maxLength: 12 });

describe('pictures of a trace with arbitrary strings', () => {
  it('the ladder and summary hold no control character but newline, and no line is wider than --width', () => {
    fc.assert(
      fc.property(strings, fc.integer({ min: 60, max: 120 }), (s, width) => {
        const ladder = renderLadder(trace(s), { width });
        expect(ladder).not.toMatch(UNWANTED);
        for (const line of ladder.split('\n')) expect([...line].length).toBeLessThanOrEqual(width);
        const summary = summarizeTrace(trace(s), width);
        expect(summary).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/u); // one line: not even a newline
      }),
      { seed: 1010, numRuns: 150 },
    );
  });

  it('Mermaid holds no control character but newline', () => {
    fc.assert(
      fc.property(strings, (s) => {
        expect(toMermaid(trace(s), { timers: true })).not.toMatch(UNWANTED);
      }),
      { seed: 1010, numRuns: 100 },
    );
  });

  it('a note with an escape sequence is drawn as its escape, on its own row', () => {
    const ladder = renderLadder(trace(['', '', '', 'evil\x1b]0;owned\x07\nfake', '', '', '', '', '', '', '', '']), { width: 100 });
    expect(ladder).toContain('evil\\x1b]0;owned\\x07\\nfake');
  });

  it('printableTrace leaves a trace of printable strings as it is (no copy), and never changes the one it is given', () => {
    const plain = trace(Array.from({ length: 12 }, () => 'x'));
    expect(printableTrace(plain)).toBe(plain);
    const hostileTrace = trace(Array.from({ length: 12 }, () => '\x1b'));
    const before = structuredClone(hostileTrace);
    expect(printableTrace(hostileTrace).scenario).toBe('\\x1b');
    expect(hostileTrace).toEqual(before);
  });
});
