// `synack run --json` writes its trace in pieces (src/cli/json-out.ts); joined they must be, byte for byte,
// what JSON.stringify(trace, null, 2) writes (docs/trace-format.md: the trace format does not change, issue 11).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonPieces, writeJson, writeJsonPaced } from '../../src/cli/json-out.js';
import { BUILTIN_DIR, loadScenarioFile } from '../../src/scenarios/file/load.js';

const joined = (v: unknown, batch?: number) => [...jsonPieces(v, batch)].join('');

describe('the trace JSON written in pieces', () => {
  it('is JSON.stringify(trace, null, 2) for a real trace, its events in batches of every size', async () => {
    const scenario = loadScenarioFile(join(BUILTIN_DIR, '02-echo.yaml'));
    const { trace } = await scenario.execute!({ profile: 'linux', seed: 1 });
    const whole = JSON.stringify(trace, null, 2);
    const n = trace.events.length;
    expect(n).toBeGreaterThan(10);
    for (const batch of [1, 2, 7, n - 1, n, n + 1, 1000]) expect(joined(trace, batch), `batch ${batch}`).toBe(whole);
  });

  it('comes in more than one piece when an array is longer than a batch', () => {
    const v = { events: Array.from({ length: 25 }, (_, i) => ({ t: i })) };
    expect([...jsonPieces(v, 10)].length).toBeGreaterThan(3);
  });

  it('keeps what JSON.stringify drops or writes as null: undefined, functions, symbols, holes', () => {
    const sparse = [1, , 3];
    const v = { a: undefined, b: [undefined, () => 1, Symbol('x'), null, 2], c: sparse, d: () => 1, e: 'x', f: [] };
    for (const batch of [1, 2, 100]) expect(joined(v, batch)).toBe(JSON.stringify(v, null, 2));
  });

  it('writes empty objects and arrays, and odd keys and strings, as JSON.stringify does', () => {
    const odd = { '': 1, 'a"b': [{}, [], { '\n': '\u2028 \u0000 é 🎉' }], __proto__x: 2, ['__proto__']: [1, 2, 3] };
    for (const v of [{}, { a: [] }, { a: {} }, odd, Object.assign(Object.create(null), { k: [1, 2, 3] })]) {
      for (const batch of [1, 2, 100]) expect(joined(v, batch)).toBe(JSON.stringify(v, null, 2));
    }
  });

  it('calls toJSON as JSON.stringify does: on the top value, on a member, on an element (with its own index)', () => {
    const el = { toJSON: (key: string) => `element ${key}` };
    const cases = [
      { toJSON: () => ({ replaced: [1, 2, 3] }) },
      { a: { toJSON: () => undefined }, b: [1, 2, 3] },
      { a: [1, 2, el, 4, el] },
      { a: new Date(0), b: [1, 2, 3] },
    ];
    for (const v of cases) for (const batch of [1, 2, 100]) expect(joined(v, batch)).toBe(JSON.stringify(v, null, 2));
  });

  it('writes anything but a plain object whole', () => {
    for (const v of [[1, [2, 3]], 'text', 42, null, true, new Map([[1, 2]])]) expect(joined(v, 1)).toBe(JSON.stringify(v, null, 2));
  });

  it('ends the output with one newline, as the single write did', () => {
    const out: string[] = [];
    writeJson({ events: [1, 2, 3] }, (s) => out.push(s));
    expect(out.join('')).toBe(`${JSON.stringify({ events: [1, 2, 3] }, null, 2)}\n`);
  });

  // stdout on a pipe to a slow reader queues what it cannot write yet: writeJsonPaced waits whenever the writer
  // says it holds too much, so the output is never queued whole.
  it('paced: waits for room whenever the writer falls behind, and writes the same text', async () => {
    const value = { events: Array.from({ length: 5000 }, (_, i) => ({ t: i, kind: 'segment', note: `n${i}` })) };
    const written: string[] = [];
    let queued = 0;
    let mostQueued = 0;
    let waits = 0;
    const text = (s: string) => {
      written.push(s);
      queued++;
      mostQueued = Math.max(mostQueued, queued);
    };
    // The reader takes everything queued, later (another turn of the event loop).
    const room = () => {
      if (queued < 3) return undefined;
      waits++;
      return new Promise<void>((resolve) => setImmediate(() => ((queued = 0), resolve())));
    };
    await writeJsonPaced(value, { text }, room, 100);
    expect(written.join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(waits).toBeGreaterThan(10);
    expect(mostQueued).toBeLessThanOrEqual(3);
  });
});
