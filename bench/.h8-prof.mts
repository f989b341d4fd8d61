import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startServer } from '/work/main/src/cli/static-server.ts';
const outDir = mkdtempSync(join(tmpdir(), 'h8-prof-'));
await build({ configFile: '/work/main/web/vite.config.ts', logLevel: 'error', build: { outDir, emptyOutDir: true, minify: false } });
const server = await startServer({ dir: outDir, port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
await page.goto(server.url);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
const t0 = Date.now();
await page.setInputFiles('#file-input', '/tmp/h8-big.json');
await page.waitForSelector('#diagram .layer-arrows g.arrow');
await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
console.log('wall', Date.now() - t0);
const mode = process.argv[2];
if (mode === 'step') {
  await page.waitForTimeout(3000);
  await page.evaluate(() => { const s = document.getElementById('scrubber') as HTMLInputElement; s.value = String(Math.floor(Number(s.max) / 2)); s.dispatchEvent(new Event('input')); });
  await page.waitForTimeout(500);
  await cdp.send('Profiler.stop');
  await cdp.send('Profiler.start');
  await page.evaluate(async () => { const f = document.getElementById('step-forward')!; for (let i = 0; i < 10; i++) { f.click(); await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))); } });
}
if (mode === 'scroll') {
  await page.waitForTimeout(3000);
  await cdp.send('Profiler.stop');
  await cdp.send('Profiler.start');
  await page.evaluate(async () => { const b = document.getElementById('diagram-scroll')!; for (let i = 1; i <= 20; i++) { b.scrollTop = i * (b.scrollHeight / 20); await new Promise((r) => setTimeout(r, 50)); } });
}
const { profile } = await cdp.send('Profiler.stop');
const self = new Map<string, number>();
const dt = profile.timeDeltas!;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const counts = new Map<number, number>();
profile.samples!.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
for (const [id, us] of counts) {
  const n = byId.get(id)!;
  const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
  self.set(k, (self.get(k) ?? 0) + us / 1000);
}
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 35)) console.log(v.toFixed(1).padStart(8), k);
await browser.close(); await server.close();
