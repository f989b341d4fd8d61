// synack serve runs until SIGINT (Ctrl-C) or SIGTERM, then closes and exits 0: run in a child process
// through main(), the way bin/synack.js runs it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixture, type Fixture } from './serve-fixture.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

let fixture: Fixture;
beforeAll(() => void (fixture = makeFixture()));
afterAll(() => fixture?.remove());

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  served: number;
}

/** Starts `synack serve` in a child, waits for its URL, fetches it, then sends `signal`. */
function serveUntil(signal: NodeJS.Signals): Promise<Exit> {
  const script = `import { main } from ${JSON.stringify(MAIN)};
process.exitCode = await main(['serve', '--port', '0', '--dir', ${JSON.stringify(fixture.root)}]);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let served = 0;
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
      const url = /http:\S+/.exec(stdout)?.[0];
      if (url === undefined || served !== 0) return;
      served = -1;
      fetch(url)
        .then((res) => {
          served = res.status;
          child.kill(signal);
        })
        .catch(reject);
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr, served }));
  });
}

describe('synack serve: stopping', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('serves until %s, then exits 0 after one line of output', async (signal) => {
    const { code, stdout, stderr, served } = await serveUntil(signal);
    expect(served).toBe(200);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^synack serve: http:\/\/127\.0\.0\.1:\d+\/ \(Ctrl-C to stop\)\n$/);
    expect(code).toBe(0);
  });
});
