// `synack run --json` at the output boundary (issue 10): the trace, written in pieces (src/cli/json-out.ts) and
// passed unscanned when it is plain ASCII (src/cli/main.ts), still shows no control or format character, and
// still reads back as the same trace, user strings included.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capture } from './fake-registry.js';

const dir = mkdtempSync(join(tmpdir(), 'synack-run-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UNWANTED = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/u;

function scenarioFile(note: string, programName: string): string {
  const path = join(dir, `${programName.length}-${note.length}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      summary: 'user strings in a trace',
      hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
      inject: [{ at: 0.5, from: '198.51.100.1:1024', to: 'server:80', flags: 'SYN', note }],
      programs: [
        { host: 'server', name: programName, steps: [{ socket: 's' }, { bind: { socket: 's', port: 80 } }, { listen: { socket: 's', backlog: 5 } }] },
        { host: 'client', start: 0.001, steps: [{ socket: 's' }, { connect: { socket: 's', to: 'server:80' } }, { sendall: { socket: 's', data: 'hi' } }] },
      ],
    }),
  );
  return path;
}

describe('synack run --json with user strings', () => {
  it('escapes a bidi override and a line separator as JSON escapes, so the note reads back unchanged', async () => {
    const note = 'evil\u202eTXT.exe\u2028next';
    const out = await capture(['run', scenarioFile(note, 'prog\u200bname'), '--json']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).not.toMatch(UNWANTED);
    expect(out.stdout).toContain('\\u202e');
    const text = JSON.stringify(JSON.parse(out.stdout));
    expect(text).toContain(JSON.stringify(note).slice(1, -1));
    expect(text).toContain('prog\u200bname');
  });

  it('writes printable non-ASCII (é, an emoji) as itself', async () => {
    const out = await capture(['run', scenarioFile('café 🎉', 'p'), '--json']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('café 🎉');
  });
});
