// `synack run --json` writes its plain ASCII pieces as bytes, past the boundary's scan (src/cli/json-out.ts,
// src/cli/main.ts). Issue 10 still holds: what reaches stdout is, byte for byte, what the boundary made of the
// whole text before (printableText of JSON.stringify(trace, null, 2), in UTF-8), and no byte written unscanned
// is anything but a newline or printable ASCII.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryScenario, runScenario } from '../../src/check/index.js';
import { writeJson } from '../../src/cli/json-out.js';
import { printableText } from '../../src/render/printable.js';
import { loadBuiltinScenarios } from '../../src/scenarios/file/load.js';

/**
 * The output as the process writes it: text through the boundary's filter, bytes as they are. A file takes the
 * bytes at once (their buffer may be filled again: they are copied here); a pipe may keep them (kept here as given).
 */
function written(value: unknown, batch: number, keeps = false): { out: Buffer; unscanned: Uint8Array[] } {
  const parts: Uint8Array[] = [];
  const unscanned: Uint8Array[] = [];
  const text = (s: string) => void parts.push(Buffer.from(printableText(s)));
  const bytes = (given: Uint8Array) => {
    const b = keeps ? given : Uint8Array.from(given);
    unscanned.push(b);
    parts.push(b);
    return !keeps;
  };
  writeJson(value, { text, bytes }, batch);
  return { out: Buffer.concat(parts), unscanned };
}

const before = (value: unknown) => Buffer.from(`${printableText(JSON.stringify(value, null, 2))}\n`);

/** Newline or printable ASCII, byte by byte. */
const plainAscii = (b: Uint8Array) => b.every((c) => c === 0x0a || (c >= 0x20 && c <= 0x7e));

// Every kind of character the boundary escapes (Cc: C0, DEL, C1; Cf; Zl; Zp; lone surrogates), and some it keeps.
const UNSAFE = ['\x00', '\x07', '\t', '\n', '\r', '\x1b', '\x1f', '\x7f', '\x80', '\x9b', '\u00ad', '\u200b', '\u202e', '\u2066', '\u2028', '\u2029', '\ufeff', '\ud800', '\udfff', '\u{e0041}'];
const KEPT = ['é', '🎉', '"', '\\', '~', ' '];

describe('the trace JSON written as bytes where it is plain ASCII', () => {
  it('is what the boundary wrote before for every character it escapes, in a note, a host, a key', () => {
    for (const ch of [...UNSAFE, ...KEPT]) {
      const events = Array.from({ length: 7 }, (_, i) => ({ t: i, kind: 'segment', note: i === 3 ? `a${ch}b` : 'plain', options: [] }));
      const value = { format: 'synack-trace', hosts: [{ name: `h${ch}`, address: '10.0.0.1' }], events, [`k${ch}`]: 1 };
      for (const [batch, keeps] of [[1, false], [2, true], [3, false], [100, false]] as const) {
        const { out, unscanned } = written(value, batch, keeps);
        expect(out.equals(before(value)), `${JSON.stringify(ch)} batch ${batch}`).toBe(true);
        for (const b of unscanned) expect(plainAscii(b), JSON.stringify(ch)).toBe(true);
      }
    }
  });

  it('sends a batch holding an escaped character as text, and the batches around it as bytes', () => {
    const events = Array.from({ length: 6 }, (_, i) => ({ t: i, note: i === 2 ? 'x\u202ey' : 'plain' }));
    const { unscanned } = written({ events }, 2);
    const text = unscanned.map((b) => Buffer.from(b).toString('latin1')).join('');
    expect(text).toContain('"t": 0');
    expect(text).not.toContain('"t": 2');
    expect(text).toContain('"t": 5');
  });

  it('is what the boundary wrote before for the trace of every built-in scenario, both profiles', async () => {
    for (const scenario of loadBuiltinScenarios()) {
      for (const profile of ['linux', 'rfc9293'] as const) {
        const { trace } = await scenario.execute!({ profile, seed: 1 });
        for (const [batch, keeps] of [[3, false], [3, true], [1000, false]] as const) {
          const { out, unscanned } = written(trace, batch, keeps);
          expect(out.equals(before(trace)), `${scenario.name} ${profile} batch ${batch}`).toBe(true);
          expect(unscanned.length).toBeGreaterThan(0);
        }
      }
    }
  }, 60_000);

  it('is what the boundary wrote before for the traces of random scenarios (src/check arbitraries), both profiles', async () => {
    for (const [i, file] of fc.sample(arbitraryScenario(), { numRuns: 20, seed: 11 }).entries()) {
      for (const profile of ['linux', 'rfc9293'] as const) {
        const { trace } = await runScenario(file, { profile, seed: i });
        for (const [batch, keeps] of [[7, false], [7, true]] as const) {
          const { out, unscanned } = written(trace, batch, keeps);
          expect(out.equals(before(trace)), `sample ${i} ${profile} batch ${batch}`).toBe(true);
          for (const b of unscanned) expect(plainAscii(b)).toBe(true);
        }
      }
    }
  }, 60_000);
});
