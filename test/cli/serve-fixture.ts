// A built-app directory for the serve tests: root/ holds index.html and assets/app.js; beside it, outside
// root, a file that must never be served, and symlinks from inside root to it.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/static-server.js';

export const INDEX_HTML = '<!doctype html><title>synack</title><script type="module" src="/assets/app.js"></script>\n';
export const APP_JS = 'console.log("synack app");\n';
export const SECRET = 'OUTSIDE-THE-BUILD-7f3a9c';

export interface Fixture {
  base: string;
  root: string;
  remove(): void;
}

export function makeFixture(): Fixture {
  const base = mkdtempSync(join(tmpdir(), 'synack-serve-'));
  const root = join(base, 'root');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX_HTML);
  writeFileSync(join(root, 'assets', 'app.js'), APP_JS);
  writeFileSync(join(root, 'assets', 'data.bin'), Buffer.from([0, 1, 2]));
  writeFileSync(join(root, '.env'), SECRET);
  writeFileSync(join(base, 'secret.txt'), SECRET);
  symlinkSync(join(base, 'secret.txt'), join(root, 'leak.txt'));
  symlinkSync(base, join(root, 'up'));
  symlinkSync(join(root, 'assets', 'app.js'), join(root, 'alias.js'));
  return { base, root, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** A fixture directory served on 127.0.0.1 (any free port) for the tests of one file: started before them, removed after. */
export function servedFixture(): { fixture: () => Fixture; server: () => RunningServer } {
  let fixture: Fixture | undefined;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    fixture = makeFixture();
    server = await startServer({ dir: fixture.root, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
    fixture?.remove();
  });
  return { fixture: () => fixture!, server: () => server! };
}
