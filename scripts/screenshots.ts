// The web app's screenshots in docs/web.md, taken in Chromium at 1440x900 (npm run docs:screenshots):
//   docs/images/app-handshake.png  three-way-handshake stepped to the client's SYN_SENT -> ESTABLISHED
//   docs/images/app-capture.png    a capture of echo whose SYN-ACK acknowledges the wrong number, flagged
// Serves dist/web/ when it is newer than everything it is built from (web/, src/, scenarios/), else a fresh
// build in a temporary directory; same server and browser as the end-to-end tests (test/web/e2e/browser.ts).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildApp, chromiumAvailable, CHROMIUM, launchChromium, ROOT, serveApp, VIEWPORT, type BuiltApp } from '../test/web/e2e/browser.js';
import { wrongSynAckAck } from '../test/support/netns/mutate.js';
import { pcapBytes } from '../web/src/engine/capture-bytes.js';
import { runScenarioText } from '../web/src/engine/run-scenario.js';

const IMAGES = join(ROOT, 'docs/images');
const DIST = join(ROOT, 'dist/web');
/** Each picture stays small enough for the repository. */
const MAX_BYTES = 300 * 1024;

/** Newest modification time of any file under these directories. */
function newest(dirs: string[]): number {
  let t = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else t = Math.max(t, statSync(path).mtimeMs);
    }
  };
  for (const d of dirs) walk(d);
  return t;
}

/** dist/web/ when it was built after the last change to its sources, else a new build. */
async function app(): Promise<BuiltApp> {
  let built = 0;
  try {
    built = statSync(join(DIST, 'index.html')).mtimeMs;
  } catch {
    // no build yet
  }
  if (built > newest(['web', 'src', 'scenarios'].map((d) => join(ROOT, d)))) {
    console.log(`using ${DIST} (newer than its sources)`);
    return { dir: DIST, remove: () => {} };
  }
  console.log('building the web app');
  return buildApp();
}

/** No hover, no focus ring, the hex dump filled in. */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, VIEWPORT.height - 1);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.waitForFunction(() => !document.querySelector('#inspector .hexdump') || document.querySelector('#inspector .hexdump')?.textContent !== '…');
}

async function save(page: Page, name: string): Promise<void> {
  const path = join(IMAGES, name);
  await page.screenshot({ path });
  const size = statSync(path).size;
  console.log(`wrote ${path} (${Math.round(size / 1024)} KB)`);
  if (size > MAX_BYTES) throw new Error(`${name} is ${size} bytes, more than ${MAX_BYTES}`);
}

async function handshake(page: Page): Promise<void> {
  await page.click('#start-handshake');
  await page.waitForFunction(() => document.querySelector('#run-title')?.textContent === 'three way handshake');
  await page.locator('#diagram-scroll').focus();
  await page.keyboard.press('Home');
  for (let i = 0; i < 40; i++) {
    const text = (await page.textContent('#event-list li[aria-current]')) ?? '';
    if (/client.*SYN_SENT → ESTABLISHED/.test(text)) break;
    await page.keyboard.press('ArrowRight');
  }
  const text = (await page.textContent('#event-list li[aria-current]')) ?? '';
  if (!/client.*SYN_SENT → ESTABLISHED/.test(text)) throw new Error(`never reached the client's ESTABLISHED (at "${text}")`);
  await settle(page);
  await save(page, 'app-handshake.png');
}

async function capture(page: Page, dir: string): Promise<void> {
  const text = readFileSync(join(ROOT, 'scenarios/02-echo.yaml'), 'utf8');
  const { trace } = await runScenarioText(text, 'scenarios/02-echo.yaml', { profile: 'linux', seed: 1 });
  const file = join(dir, 'echo-wrong-synack.pcap');
  writeFileSync(file, wrongSynAckAck(pcapBytes(trace)).pcap);
  await page.setInputFiles('#file-input', file);
  await page.waitForFunction(() => document.querySelector('#run-title')?.textContent === 'echo-wrong-synack.pcap');
  await page.waitForSelector('#violations:not([hidden])');
  await settle(page);
  await save(page, 'app-capture.png');
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(`${CHROMIUM} is not installed`);
  mkdirSync(IMAGES, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'synack-shots-'));
  const built = await app();
  const server = await serveApp(built.dir);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(server.url);
    await handshake(page);
    await capture(page, work);
    if (problems.length > 0) throw new Error(`the page reported: ${problems.join('; ')}`);
  } finally {
    await browser.close();
    await server.close();
    built.remove();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`screenshots: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
