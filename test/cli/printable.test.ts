// Issue 10, output safety: for arbitrary strings in every user-controlled field of a scenario file and of a trace
// JSON, every printable output of the CLI (ladder, summary, expectations, errors, --mermaid, replay's report,
// diff's report) holds no control character but newline, and the SVG/HTML hold no element or attribute made
// from user text. A newline inside a user string is escaped too: an error stays one line per problem.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from '../../src/render/printable.js';
import type { Trace } from '../../src/sim/trace.js';
import { call, makeTrace, segment, state } from '../render/trace-builders.js';
import { capture } from './fake-registry.js';

const dir = mkdtempSync(join(tmpdir(), 'synack-printable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Anything a hostile file could hold: any code point (lone surrogates too), and strings made of control characters. */
const CONTROLS = ['\x00', '\x07', '\x08', '\t', '\n', '\r', '\x1b', '\x1b[2J', '\x1b]0;owned\x07', '\x7f', '\x85', '\x9b', '\u202e', '\u2066', '\u200b', '\u2028', '\ud800', '<b>', '"', '&amp;', ']]>'];
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(fc.constantFrom(...CONTROLS), { minLength: 1, maxLength: 4 }).map((xs) => `n${xs.join('x')}`),
);
/** Control characters other than newline: what must never be written. */
const UNWANTED = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/u;
const RUNS = { seed: 1010, numRuns: 25 } as const;

let n = 0;
function file(name: string, text: string): string {
  const path = join(dir, `${n++}-${name}`);
  writeFileSync(path, text);
  return path;
}

function expectPrintable(out: { stdout: string; stderr: string; code: number }): void {
  expect(out.stdout).not.toMatch(UNWANTED);
  expect(out.stderr).not.toMatch(UNWANTED);
  expect(out.code).not.toBe(70);
}

describe('a scenario file with arbitrary strings in its user fields', () => {
  const scenario = (s: string[]) => ({
    summary: s[0],
    hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
    inject: [{ at: 0.5, from: '198.51.100.1:1024', to: 'server:80', flags: 'SYN', note: s[1], data: s[2] }],
    programs: [
      { host: 'server', name: s[3], steps: [{ socket: 's' }, { bind: { socket: 's', port: 80 } }, { listen: { socket: 's', backlog: 5 } }, { accept: { socket: 's', as: 'c' } }] },
      { host: 'client', start: 0.001, steps: [{ socket: 's' }, { connect: { socket: 's', to: 'server:80' } }, { sendall: { socket: 's', data: s[4] } }] },
    ],
    expect: [{ host: 'client', socket: 's', state: 'ESTABLISHED' }],
  });

  it('prints ladder, summary and expectations with every control character escaped, lines within the width', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 5, maxLength: 5 }), async (s) => {
        const out = await capture(['run', file('s.json', JSON.stringify(scenario(s))), '--width', '100']);
        expectPrintable(out);
        for (const line of out.stdout.split('\n').slice(0, -4)) expect([...line].length).toBeLessThanOrEqual(100);
      }),
      RUNS,
    );
  }, 60_000);

  it('prints --mermaid with every control character escaped', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 5, maxLength: 5 }), async (s) => {
        expectPrintable(await capture(['run', file('m.json', JSON.stringify(scenario(s))), '--mermaid']));
      }),
      { ...RUNS, numRuns: 10 },
    );
  }, 60_000);

  it('reports a bad file one problem per line, quoting user strings escaped (host names, from/to, unknown keys)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 4, maxLength: 4 }), async (s) => {
        const bad = {
          hosts: { [`h${s[0]}`]: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
          [`k${s[1]}`]: 1,
          faults: [{ at: 1, from: s[2], to: 'server', drop: 1 }],
          inject: [{ at: 1, from: s[3], to: `server:${s[2]}`, flags: 'RST' }],
          programs: [{ host: 'client', steps: [{ socket: 's' }, { connect: { socket: 's', to: `${s[3]}:80` } }] }],
        };
        const out = await capture(['run', file('bad.yaml', JSON.stringify(bad))]);
        expect(out.code).toBe(2);
        expectPrintable(out);
        // Every line of the error names the file: no user newline started a line of its own.
        for (const line of out.stderr.trimEnd().split('\n')) expect(line).toMatch(/^(synack: )?\/.*bad\.yaml/);
      }),
      RUNS,
    );
  }, 60_000);

  it('escapes an unknown scenario name and a bad flag value in the one-line error', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async (s) => {
        for (const argv of [['run', `x${s}`], ['run', 'three-way-handshake', '--width', `w${s}`], [`c${s}`]]) {
          const out = await capture(argv);
          expect(out.code).toBe(2);
          expectPrintable(out);
          expect(out.stderr.split('\n')).toHaveLength(2); // one line and the final newline
        }
      }),
      RUNS,
    );
  });
});

describe('a trace JSON with arbitrary strings in its user fields', () => {
  const C = '10.0.0.1:40000';
  const S = '10.0.0.2:80';
  const trace = (s: string[]): Trace => ({
    ...makeTrace(
      [
        state(0, `b${s[1]}`, 1, S, 'CLOSED', 'LISTEN'),
        state(10, `a${s[0]}`, 1, C, 'CLOSED', 'SYN_SENT', S),
        segment(10, C, S, ['SYN'], 1000, 0, { note: s[2]! }),
        segment(510, S, C, ['SYN', 'ACK'], 5000, 1001, { note: s[3]! }),
        segment(1010, C, S, ['ACK'], 1001, 5001),
        { ...call(1020, `a${s[0]}`, 'send', [s[4]!], 'ok', s[5]), socket: 1, program: s[6]! },
      ],
      [
        { name: `a${s[0]}`, address: '10.0.0.1' },
        { name: `b${s[1]}`, address: '10.0.0.2' },
      ],
    ),
    scenario: s[7]!,
  });
  const strings = fc.array(hostile, { minLength: 8, maxLength: 8 });

  it('replay and diff print their reports (or their errors) with every control character escaped', async () => {
    await fc.assert(
      fc.asyncProperty(strings, async (s) => {
        const path = file('t.json', JSON.stringify(trace(s)));
        expectPrintable(await capture(['replay', path]));
        expectPrintable(await capture(['diff', path, path]));
      }),
      RUNS,
    );
  }, 60_000);

  it('--json stays the same JSON: the trace read back is the trace written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 5, maxLength: 5 }), async (s) => {
        const out = await capture(['replay', file('j.json', JSON.stringify(trace([...s, 'x', 'y', 'z']))), '--json']);
        expectPrintable(out);
        if (out.code === 0) expect(() => JSON.parse(out.stdout)).not.toThrow();
      }),
      { ...RUNS, numRuns: 10 },
    );
  }, 60_000);
});

describe('SVG and HTML drawn from user strings', () => {
  const scenario = (s: string[]) => ({
    summary: 'x',
    hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
    inject: [{ at: 0.5, from: '198.51.100.1:1024', to: 'server:80', flags: 'SYN', note: s[0] }],
    programs: [
      { host: 'server', name: s[1], steps: [{ socket: 's' }, { bind: { socket: 's', port: 80 } }, { listen: { socket: 's', backlog: 5 } }, { accept: { socket: 's', as: 'c' } }] },
      { host: 'client', start: 0.001, steps: [{ socket: 's' }, { connect: { socket: 's', to: 'server:80' } }, { sendall: { socket: 's', data: s[2] } }] },
    ],
  });

  /** Tag names and attribute names of a document: what markup it holds. */
  function markup(text: string): { tags: Set<string>; attrs: Set<string> } {
    const { document } = parseHTML(text.replace(/^<\?xml[^>]*>/, ''));
    const tags = new Set<string>();
    const attrs = new Set<string>();
    for (const el of document.querySelectorAll('*')) {
      tags.add(el.tagName.toLowerCase());
      for (const a of el.attributes) attrs.add(a.name);
    }
    return { tags, attrs };
  }

  it('holds the same elements and attributes as with plain words: user text is text', async () => {
    const plainSvg = file('plain.svg', '');
    const plainHtml = file('plain.html', '');
    await capture(['run', file('p.json', JSON.stringify(scenario(['note', 'prog', 'data']))), '--svg', plainSvg, '--html', plainHtml]);
    const plain = { svg: markup(readFileSync(plainSvg, 'utf8')), html: markup(readFileSync(plainHtml, 'utf8')) };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(hostile, fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '</text><foreignObject>', '<![CDATA[x]]>')), { minLength: 3, maxLength: 3 }),
        async (s) => {
          const svg = file('u.svg', '');
          const html = file('u.html', '');
          const out = await capture(['run', file('u.json', JSON.stringify(scenario(s))), '--svg', svg, '--html', html]);
          expectPrintable(out);
          for (const [text, base] of [[readFileSync(svg, 'utf8'), plain.svg], [readFileSync(html, 'utf8'), plain.html]] as const) {
            expect(text).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/); // XML 1.0 forbids most of C0
            const got = markup(text);
            for (const tag of got.tags) expect(base.tags).toContain(tag);
            for (const attr of got.attrs) expect(base.attrs).toContain(attr);
          }
          const note = printable(s[0]!);
          if (/^[\w ]+$/.test(note)) expect(readFileSync(html, 'utf8')).toContain(note);
        },
      ),
      { ...RUNS, numRuns: 12 },
    );
  }, 60_000);
});
