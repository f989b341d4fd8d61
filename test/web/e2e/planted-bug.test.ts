// Issue 12: a counterexample found by `synack check` with a bug planted "opens in the web app" and fails there.
// The link is made by the CLI's own code (src/cli/share-link.ts scenarioShareUrl with the bugs, as check.ts
// does); in Chromium the page runs the broken engine, says so in a notice, and flags the invariant that broke
// (forget-time-wait breaks time-wait-length, test/check/planted-bugs.test.ts). The same link without the bug
// shows neither; the settings' re-run and the page's own link keep the bug, opening a built-in drops it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scenarioShareUrl } from '../../../src/cli/share-link.js';
import type { BugName } from '../../../src/tcp/bugs.js';
import { decodeShare } from '../../../web/src/app/share-codec.js';
import { describeWithTool } from '../../support/requires-tool.js';
import { chromiumAvailable, CHROMIUM, SCREENSHOTS, startApp, type App } from './app-fixture.js';

const FILE = resolve(import.meta.dirname, '../../../scenarios/03-client-closes-first.yaml');
// As check.ts writes a counterexample: a header of comments, then the scenario (so it is no built-in's text).
const TEXT = `# A counterexample found by "synack check" (run 1, shrunk 0 times).\n${readFileSync(FILE, 'utf8')}`;
const NAME = 'counterexample-client-closes-first-1';
const NOTICE = 'Planted bug forget-time-wait: a deliberately broken engine, as in the test of synack check';

const describeE2e = describeWithTool(CHROMIUM, chromiumAvailable());

async function openLink(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect.poll(() => page.textContent('#run-title')).toBe(NAME.replace(/-/g, ' '));
}

describeE2e('a planted-bug counterexample in Chromium', () => {
  let app: App;
  let withBug: string;
  let withoutBug: string;

  beforeAll(async () => {
    app = await startApp();
    withBug = await scenarioShareUrl(NAME, TEXT, 'linux', 1, app.url, new Set<BugName>(['forget-time-wait']));
    withoutBug = await scenarioShareUrl(NAME, TEXT, 'linux', 1, app.url);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('shows the planted-bug notice and the events that broke time-wait-length', async () => {
    const page = await app.page();
    await openLink(page, withBug);
    expect(await page.isVisible('#planted')).toBe(true);
    expect(await page.textContent('#planted')).toContain(NOTICE);
    expect(await page.isVisible('#violations')).toBe(true);
    expect(await page.textContent('#violations h3')).toMatch(/^⚠ \d+ events? broke an invariant: time-wait-length$/);
    expect(await page.locator('#violations .violation-link').count()).toBeGreaterThan(0);
    expect(await page.locator('#event-list li.violation').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOTS}/planted-bug.png` });

    // A re-run from the settings keeps the bug: another seed, still the notice and the broken invariant.
    await page.fill('#settings input[name="seed"]', '2');
    await page.dispatchEvent('#settings input[name="seed"]', 'change');
    await expect.poll(() => page.textContent('#run-summary')).toMatch(/seed 2/);
    expect(await page.isVisible('#planted')).toBe(true);
    expect(await page.textContent('#violations h3')).toMatch(/time-wait-length/);

    // The page's own link (the fragment it rewrites after each change) keeps the bug too.
    const shared = async () => {
      const hash = await page.evaluate(() => location.hash);
      return hash.startsWith('#s1=') ? await decodeShare(hash) : undefined;
    };
    await expect.poll(async () => (await shared())?.settings.seed, { timeout: 15_000 }).toBe(2);
    expect((await shared())?.plant).toEqual(['forget-time-wait']);

    // Opening a built-in drops it.
    if (!(await page.isVisible('#gallery'))) await page.click('#gallery-toggle');
    await page.click('button[data-scenario="client-closes-first"]');
    await expect.poll(() => page.textContent('#run-title')).toBe('client closes first');
    expect(await page.isVisible('#planted')).toBe(false);
    expect(await page.isVisible('#violations')).toBe(false);
    await expect.poll(async () => (await shared())?.name, { timeout: 15_000 }).toBe('client-closes-first');
    expect(await shared()).not.toHaveProperty('plant');
    await page.close();
  });

  it('shows neither the notice nor a violation box for the same link without the bug', async () => {
    const page = await app.page();
    await openLink(page, withoutBug);
    await expect.poll(() => page.textContent('#run-checks')).toMatch(/expectations hold/);
    expect(await page.isVisible('#planted')).toBe(false);
    expect(await page.isVisible('#violations')).toBe(false);
    expect(await page.locator('#event-list li.violation').count()).toBe(0);
    await page.close();
  });

  it('sent no request off the machine and logged no error', () => {
    expect(app.problems).toEqual([]);
  });
});
