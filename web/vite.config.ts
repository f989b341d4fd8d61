// Vite build of the web app: web/ -> dist/web/, served by `synack serve` under a strict CSP (docs/web.md).
// Everything is bundled and loaded from the page's own origin: no CDN, no web fonts, and no asset inlined
// as a data: URL (assetsInlineLimit 0), so nothing depends on the CSP's img-src data:.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // No inline <script type="module"> preload polyfill: script-src 'self' forbids it.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
