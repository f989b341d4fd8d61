// `synack run X --json | head`: the reader goes away mid-output. The CLI ends quietly with SIGPIPE's status,
// not with Node's "Unhandled 'error' event" and a stack trace (the project's rule: never a stack trace).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/synack.js');

describe('a reader that goes away', () => {
  it('ends synack run --json with status 141 and nothing on stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'run', 'many-clients', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let got = 0;
    child.stdout.on('data', (d: Buffer) => {
      got += d.length;
      child.stdout.destroy(); // as head does after its first lines
    });
    const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    expect(got).toBeGreaterThan(0);
    expect(stderr).toBe('');
    expect(status).toBe(141);
  }, 30_000);
});
