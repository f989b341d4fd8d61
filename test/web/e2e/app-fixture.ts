// The web app for end-to-end tests: built once with Vite into a temporary directory, served by the same
// server as `synack serve` on a free port, opened in Debian's Chromium (browser.ts). Every page records what
// would make a test fail: requests that leave 127.0.0.1, console errors (Chromium reports CSP violations there)
// and uncaught exceptions.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../../../src/cli/static-server.js';
import { buildApp, launchChromium, serveApp, VIEWPORT } from './browser.js';

export { CHROMIUM, chromiumAvailable } from './browser.js';

/** Where the screenshots go (looked at by hand; docs/images has its own, from scripts/screenshots.ts). */
export const SCREENSHOTS = '/tmp/synack-e2e';

export interface App {
  url: string;
  browser: Browser;
  context: BrowserContext;
  /** A new page with the recorders attached. */
  page(): Promise<Page>;
  /** Requests to anywhere but the server, console errors, page errors: all pages so far. */
  problems: string[];
  close(): Promise<void>;
}

export async function startApp(): Promise<App> {
  const built = await buildApp();
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await serveApp(built.dir);
    browser = await launchChromium();
  } catch (err) {
    await server?.close();
    built.remove();
    throw err;
  }
  const origin = new URL(server.url).origin;
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true, colorScheme: 'light' });
  const problems: string[] = [];
  const running = server;
  const open = browser;
  return {
    url: server.url,
    browser,
    context,
    problems,
    async page() {
      const page = await context.newPage();
      page.on('request', (req) => {
        const url = req.url();
        if (!url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:')) problems.push(`request left the machine: ${url}`);
      });
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      return page;
    },
    async close() {
      await open.close();
      await running.close();
      built.remove();
    },
  };
}
