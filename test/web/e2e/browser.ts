// The built web app served and opened in Chromium, shared by the end-to-end tests (app-fixture.ts) and the docs'
// screenshots (scripts/screenshots.ts): a Vite build into a temporary directory, the same server as
// `synack serve` (src/cli/static-server.ts) on a free port, and Debian's Chromium through playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { startServer, type RunningServer } from '../../../src/cli/static-server.js';
import { toolAvailable } from '../../support/requires-tool.js';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = (): boolean => toolAvailable(CHROMIUM, ['--version']);

export const ROOT = resolve(import.meta.dirname, '../../..');

/** The window the tests and the screenshots use. */
export const VIEWPORT = { width: 1440, height: 900 };

export interface BuiltApp {
  dir: string;
  /** Deletes the build. */
  remove(): void;
}

/** Builds web/ with its own Vite config into a new temporary directory. */
export async function buildApp(): Promise<BuiltApp> {
  const dir = mkdtempSync(join(tmpdir(), 'synack-web-'));
  try {
    await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'error', build: { outDir: dir, emptyOutDir: true } });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Serves a built app on 127.0.0.1, any free port, with `synack serve`'s headers. */
export function serveApp(dir: string): Promise<RunningServer> {
  return startServer({ dir, port: 0, host: '127.0.0.1' });
}

/** Headless Chromium with nothing of its own on the network (no updates, sync or QUIC probes). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
