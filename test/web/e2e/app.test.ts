// End to end in real Chromium: the built app served with its CSP, a newcomer's path through the three-way
// handshake (gallery, play, step, state chart, packet inspector), a capture with a broken SYN-ACK dropped in,
// SVG export, and a shared link that reopens the same step. Issue 9, "Tests".
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { parseHTML } from 'linkedom';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runScenarioText } from '../../../web/src/engine/run-scenario.js';
import { pcapBytes } from '../../../web/src/engine/capture-bytes.js';
import { decodeShare } from '../../../web/src/app/share-codec.js';
import { describeWithTool } from '../../support/requires-tool.js';
import { wrongSynAckAck } from '../../support/netns/mutate.js';
import { chromiumAvailable, CHROMIUM, SCREENSHOTS, startApp, type App } from './app-fixture.js';

const SCENARIOS = resolve(import.meta.dirname, '../../../scenarios');
const HANDSHAKE_FILE = 'scenarios/01-three-way-handshake.yaml';
const HANDSHAKE = readFileSync(resolve(SCENARIOS, '01-three-way-handshake.yaml'), 'utf8');

// The diagram's own rows (its legend also has a g.arrow sample).
const ARROWS = '#diagram .layer-arrows g.arrow';
const ROWS = '#diagram .layer-arrows g.arrow, #diagram .layer-notes g.note';

const describeE2e = describeWithTool(CHROMIUM, chromiumAvailable());

/** The row the event list marks current, and that row's text. */
async function currentEvent(page: Page): Promise<{ row: number; text: string }> {
  const li = page.locator('#event-list li[aria-current]');
  await expect.poll(() => li.count()).toBe(1);
  return { row: Number(await li.getAttribute('data-row')), text: (await li.textContent()) ?? '' };
}

/** The state chart's badges: the state each socket label sits in. */
async function badges(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#statechart g.badge', (gs) =>
    Object.fromEntries(gs.map((g) => [g.textContent ?? '', g.getAttribute('data-state') ?? ''])),
  );
}

/** Diagrams drawn so far in the page: a run has finished opening (title, rows, first step) when this goes up. */
const drawn = (page: Page) => page.evaluate(() => performance.getEntriesByName('synack:diagram-drawn').length);

async function openHandshake(page: Page): Promise<void> {
  // Once a run is open the gallery folds away on narrow windows; the header's button opens it.
  if (!(await page.isVisible('#gallery'))) await page.click('#gallery-toggle');
  // Wait for this open to finish, not only for the title: the handshake may be open already, and a step taken
  // before the new run reaches its first row would be undone by it.
  const before = await drawn(page);
  await page.click('button[data-scenario="three-way-handshake"]');
  await expect.poll(() => drawn(page)).toBeGreaterThan(before);
  await expect.poll(() => page.textContent('#run-title')).toBe('three way handshake');
}

describeE2e('the web app in Chromium', () => {
  let app: App;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    app = await startApp();
    page = await app.page();
    await page.goto(app.url);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('lists the 26 built-in scenarios with their one-line summaries', async () => {
    const names = page.locator('#gallery-list button.scenario');
    expect(await names.count()).toBe(readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')).length);
    expect(await names.count()).toBe(26);
    const summary = /^summary: "(.*)"$/m.exec(HANDSHAKE)![1]!;
    expect(await page.textContent('button[data-scenario="three-way-handshake"]')).toContain(summary);
    await page.screenshot({ path: `${SCREENSHOTS}/landing.png` });
  });

  it('runs three-way-handshake from the welcome\'s start button: three arrows, styled by the diagram CSS, the first row current', async () => {
    await page.click('#start-handshake');
    await expect.poll(() => page.textContent('#run-title')).toBe('three way handshake');
    expect(await page.isVisible('#welcome')).toBe(false);
    expect(await page.locator(ARROWS).count()).toBe(3);
    expect((await currentEvent(page)).row).toBe(0);
    // The constructed stylesheet reached the SVG (no inline <style> under the CSP): a state bar is coloured.
    const fill = await page.$eval('#diagram .state-bar', (el) => getComputedStyle(el).fill);
    expect(fill).not.toMatch(/^(none|rgb\(0, 0, 0\))$/);
    const text = await page.$eval('#diagram text', (el) => getComputedStyle(el).fontFamily);
    expect(text).toMatch(/mono/i);
    expect(await page.isVisible('#how-to-read')).toBe(true);
  });

  it('steps with the keyboard: after the SYN-ACK arrives the client is ESTABLISHED and SYN_SENT->ESTABLISHED is taken', async () => {
    await page.locator('#diagram-scroll').focus();
    await page.keyboard.press('Home');
    expect((await currentEvent(page)).row).toBe(0);
    // Step until the client's state change to ESTABLISHED is the current event.
    let seenSynSent = false;
    for (let i = 0; i < 20; i++) {
      const { text } = await currentEvent(page);
      if (/client.*SYN_SENT → ESTABLISHED/.test(text)) break;
      if (Object.entries(await badges(page)).some(([label, state]) => label.startsWith('client') && state === 'SYN_SENT')) seenSynSent = true;
      await page.keyboard.press('ArrowRight');
    }
    const { row, text } = await currentEvent(page);
    expect(text).toMatch(/client.*SYN_SENT → ESTABLISHED/);
    expect(seenSynSent).toBe(true);
    // The same row is current in the diagram, the scrubber and the state chart panel.
    const diagramRow = await page.$eval(`:is(${ROWS}).current`, (el) => (el as unknown as { __data__: { row: number } }).__data__.row);
    expect(diagramRow).toBe(row);
    expect(await page.inputValue('#scrubber')).toBe(String(row));
    const client = Object.entries(await badges(page)).find(([label]) => label.startsWith('client'));
    expect(client?.[1]).toBe('ESTABLISHED');
    expect(await page.getAttribute('#statechart g.edge.taken', 'data-key')).toBe('SYN_SENT->ESTABLISHED');
    expect(await page.textContent('#states-text')).toContain('SYN_SENT → ESTABLISHED');
    await page.screenshot({ path: `${SCREENSHOTS}/handshake-established.png` });
    // One step back: the taken edge is no longer the client's.
    await page.keyboard.press('ArrowLeft');
    expect((await currentEvent(page)).row).toBe(row - 1);
  });

  it('plays and pauses with Space, and ends on the last row', async () => {
    await page.keyboard.press('Home');
    await page.selectOption('#speed', '16');
    await page.locator('#diagram-scroll').focus();
    await page.keyboard.press(' ');
    const rows = await page.locator('#event-list li').count();
    await expect.poll(async () => (await currentEvent(page)).row, { timeout: 15_000 }).toBe(rows - 1);
    expect(await page.textContent('#play')).toContain('Replay');
  });

  it('re-runs when a setting changes, and shows a bad value as a one-line message', async () => {
    await page.fill('#settings input[name="loss"]', '100');
    await page.dispatchEvent('#settings input[name="loss"]', 'change');
    // Every packet lost: the SYN is retransmitted and the file's expectations fail, which the page says.
    await expect.poll(() => page.textContent('#run-checks')).toMatch(/expectations fail/);
    expect(await page.locator(`${ARROWS}.lost`).count()).toBeGreaterThan(0);
    await page.fill('#settings input[name="seed"]', 'twelve');
    await page.dispatchEvent('#settings input[name="seed"]', 'change');
    await expect.poll(() => page.textContent('#message')).toMatch(/^seed must be a whole number/);
    await page.fill('#settings input[name="seed"]', '1');
    await page.fill('#settings input[name="loss"]', '');
    await page.dispatchEvent('#settings input[name="loss"]', 'change');
    await expect.poll(() => page.textContent('#run-checks')).toMatch(/expectations hold/);
  });

  it('opens the keyboard help with ?, the panels shrinking to make room', async () => {
    await page.locator('#diagram-scroll').focus();
    await page.keyboard.press('?');
    expect(await page.isVisible('#help')).toBe(true);
    // The panels make room for it: the page stays one screen high, the diagram's box whole on screen.
    expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
    expect(await page.$eval('#diagram-scroll', (el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    await page.keyboard.press('?');
    expect(await page.isVisible('#help')).toBe(false);
  });

  it('inspects the SYN: header fields, decoded options, and its frame as a hex dump', async () => {
    await page.click('#event-list li.segment >> nth=0');
    expect(await page.textContent('#inspector .inspected-what')).toContain('[SYN]');
    expect(await page.textContent('#inspector .options')).toMatch(/mss=\d+/);
    expect(await page.locator('#inspector dl.fields dt').count()).toBeGreaterThan(5);
    await expect.poll(() => page.textContent('#inspector .hexdump')).toMatch(/^0000 /);
    const dump = ((await page.textContent('#inspector .hexdump')) ?? '').split('\n');
    expect(dump[0]).toMatch(/^0000 {2}([0-9a-f]{2} ){8} ([0-9a-f]{2} ){7}[0-9a-f]{2} {2}\|.{16}\|$/);
    const byteAt = (offset: number) => dump[offset >> 4]!.slice(6).replace('  ', ' ').split(' ')[offset & 15];
    // Ethernet type IPv4 (bytes 12-13), IP protocol 6 (14 + 9), TCP flags byte SYN only (14 + 20 + 13).
    expect([byteAt(12), byteAt(13), byteAt(23), byteAt(47)]).toEqual(['08', '00', '06', '02']);
  });

  it('runs backlog-overflow: the SYN and the final ACK the full accept queue dropped end in ✕', async () => {
    if (!(await page.isVisible('#gallery'))) await page.click('#gallery-toggle');
    await page.click('button[data-scenario="backlog-overflow"]');
    await expect.poll(() => page.textContent('#run-title')).toBe('backlog overflow');
    await page.keyboard.press('End');
    // The file's comment: a final ACK and a later SYN find the accept queue full and are dropped.
    const lost = await page.$$eval('#event-list li.lost .what', (els) => els.map((e) => e.textContent ?? ''));
    expect(lost.some((t) => t.startsWith('[SYN]'))).toBe(true);
    expect(lost.some((t) => t.startsWith('[ACK]'))).toBe(true);
    // Clicking a lost one in the list scrolls the diagram to it: an arrow ending in an ✕.
    await page.click('#event-list li.lost >> nth=0');
    expect(await page.locator(`${ARROWS}.lost.current path.cross`).count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/backlog-overflow.png` });
  });

  it('keeps backlog-overflow\'s lane titles in view when its diagram is scrolled to the bottom, aligned with their lanes', async () => {
    await expect.poll(() => page.textContent('#run-title')).toBe('backlog overflow');
    const scroller = page.locator('#diagram-scroll');
    /** The scroll box's visible area, and each lane title's box: the sticky copy's and the diagram's own. */
    const measure = () =>
      scroller.evaluate((box) => {
        const r = box.getBoundingClientRect();
        const view = { top: r.top + box.clientTop, bottom: r.top + box.clientTop + box.clientHeight, left: r.left + box.clientLeft, right: r.left + box.clientLeft + box.clientWidth };
        const boxes = (sel: string) =>
          [...document.querySelectorAll(sel)].map((t) => {
            const b = t.getBoundingClientRect();
            return { text: t.textContent ?? '', top: b.top, bottom: b.bottom, x: (b.left + b.right) / 2, width: b.width };
          });
        return { view, sticky: boxes('#lane-heads text.lane-title'), own: boxes('#diagram .layer-lanes text.lane-title'), scrollTop: box.scrollTop };
      });
    const before = await measure();
    expect(before.own.length).toBeGreaterThan(2);
    expect(before.sticky.map((t) => t.text)).toEqual(before.own.map((t) => t.text));
    // The diagram is taller than its box: scroll to the bottom, then all the way right.
    await scroller.evaluate((box) => {
      box.scrollTop = box.scrollHeight;
      box.scrollLeft = box.scrollWidth;
    });
    await expect.poll(async () => (await measure()).scrollTop).toBeGreaterThan(0);
    const after = await measure();
    // The diagram's own titles have scrolled out of view; the copies have not.
    for (const t of after.own) expect(t.bottom).toBeLessThan(after.view.top);
    for (const t of after.sticky) {
      expect(t.top).toBeGreaterThanOrEqual(after.view.top - 0.5);
      expect(t.bottom).toBeLessThanOrEqual(after.view.bottom);
    }
    // Same x and size as each lane's own title, scrolled sideways and scaled to fit alike.
    after.sticky.forEach((t, i) => {
      expect(Math.abs(t.x - after.own[i]!.x)).toBeLessThan(1);
      expect(Math.abs(t.width - after.own[i]!.width)).toBeLessThan(1);
    });
    expect(after.sticky.some((t) => t.x > after.view.left && t.x < after.view.right)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/backlog-overflow-bottom.png` });
  });

  it('flags the broken SYN-ACK of a capture opened with the file picker', async () => {
    const { trace } = await runScenarioText(HANDSHAKE, HANDSHAKE_FILE, { profile: 'linux', seed: 1 });
    const broken = wrongSynAckAck(pcapBytes(trace));
    const file = `${SCREENSHOTS}/broken-synack.pcap`;
    writeFileSync(file, broken.pcap);
    await page.setInputFiles('#file-input', file);
    await expect.poll(() => page.textContent('#run-title')).toBe('broken-synack.pcap');
    expect(await page.isVisible('#violations')).toBe(true);
    expect(await page.textContent('#violations')).toContain('synack-wrong-ack');
    const flagged = page.locator(`${ARROWS}.violation`);
    expect(await flagged.count()).toBe(1);
    expect(await flagged.textContent()).toContain('SYN,ACK');
    // The page opens on that packet: current in the diagram, in the inspector with the rule it broke.
    expect(await flagged.getAttribute('class')).toContain('current');
    expect(await page.textContent('#inspector .violation')).toContain('synack-wrong-ack');
    await page.screenshot({ path: `${SCREENSHOTS}/capture-violation.png` });
  });

  it('shows a file that is not a capture as a one-line message', async () => {
    const file = `${SCREENSHOTS}/not-a-capture.pcap`;
    writeFileSync(file, '<img src=x onerror=alert(1)>');
    await page.setInputFiles('#file-input', file);
    await expect.poll(() => page.textContent('#message')).toContain('not a pcap or pcapng');
    expect(await page.locator('#message img').count()).toBe(0);
  });

  it('exports an SVG with its stylesheet embedded and one arrow per segment', async () => {
    await openHandshake(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export="svg"]')]);
    expect(download.suggestedFilename()).toBe('three-way-handshake.svg');
    const text = readFileSync((await download.path())!, 'utf8');
    const { document } = parseHTML(`<!doctype html><html><body>${text.replace(/^<\?xml[^>]*>/, '')}</body></html>`);
    const svg = document.querySelector('svg')!;
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(svg.querySelector('style')?.textContent).toContain('.synack-diagram');
    const { trace } = await runScenarioText(HANDSHAKE, HANDSHAKE_FILE, { profile: 'linux', seed: 1 });
    const segments = trace.events.filter((e) => e.kind === 'segment').length;
    expect(svg.querySelectorAll('.layer-arrows g.arrow').length).toBe(segments);
  });

  it('exports a PNG (the SVG drawn through a blob: image under the CSP), a pcap and Mermaid', async () => {
    const save = async (kind: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-export="${kind}"]`)]);
      return readFileSync((await download.path())!);
    };
    const png = await save('png');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR width: at least the diagram's width (drawn at up to 2x).
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(Number(await page.getAttribute('#diagram', 'width')));
    const pcap = await save('pcap');
    expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect((await save('mermaid')).toString('utf8')).toMatch(/^sequenceDiagram/m);
  });

  it('a shared link reopens the same run at the same step', async () => {
    await openHandshake(page);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const here = await currentEvent(page);
    const states = await badges(page);
    // The fragment follows the step (it is rewritten a moment after each change).
    const sharedRow = async () => {
      const hash = await page.evaluate(() => location.hash);
      return hash.startsWith('#s1=') ? (await decodeShare(hash)).row : undefined;
    };
    await expect.poll(sharedRow, { timeout: 15_000 }).toBe(here.row);
    const link = await page.evaluate(() => location.href);
    const other = await app.page();
    await other.goto(link);
    await expect.poll(() => other.textContent('#run-title')).toBe('three way handshake');
    expect(await currentEvent(other)).toEqual(here);
    expect(await badges(other)).toEqual(states);
    await other.close();
  });

  it('a damaged or oversized link is a one-line message, not a crash', async () => {
    const other = await app.page();
    await other.goto(`${app.url}#s1=AAAA`);
    await expect.poll(() => other.textContent('#message')).toMatch(/damaged/);
    // 3 MB of spaces deflate to a few kilobytes: refused once inflation passes the 2 MB cap.
    const bomb = deflateRawSync(Buffer.alloc(3 * 1024 * 1024, 0x20)).toString('base64url');
    await other.goto(`${app.url}#s1=${bomb}`);
    await other.reload();
    await expect.poll(() => other.textContent('#message')).toMatch(/more than 2 MB/);
    await other.close();
  });

  it('follows the operating system\'s dark preference until the toggle is used', async () => {
    const other = await app.page();
    await other.emulateMedia({ colorScheme: 'dark' });
    await other.goto(app.url);
    expect(await other.getAttribute('html', 'data-theme')).toBe('dark');
    await other.click('#theme-toggle');
    expect(await other.getAttribute('html', 'data-theme')).toBe('light');
    await other.close();
  });

  it('switches to the dark theme', async () => {
    await openHandshake(page);
    await page.click('#theme-toggle');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await page.getAttribute('#diagram', 'class')).toContain('theme-dark');
    const bg = await page.$eval('#diagram .background', (el) => getComputedStyle(el).fill);
    expect(bg).toBe('rgb(15, 20, 25)');
    await page.keyboard.press('End');
    await page.screenshot({ path: `${SCREENSHOTS}/handshake-dark.png` });
    await page.click('#theme-toggle');
  });

  it('sent no request off the machine and logged no CSP violation or error', () => {
    expect(app.problems).toEqual([]);
  });
});
