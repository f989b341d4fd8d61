// The diagrams in docs/images/ are what `synack run NAME --svg FILE` draws today (npm run docs:images rewrites them).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { DOC_DIAGRAMS, docImagePath } from '../../../scripts/gen-diagrams.js';

const dir = mkdtempSync(join(tmpdir(), 'synack-doc-images-'));

describe('docs/images', () => {
  for (const name of DOC_DIAGRAMS) {
    it(`${name}.svg is up to date (run "npm run docs:images" if this fails)`, async () => {
      const fresh = join(dir, `${name}.svg`);
      expect(await main(['run', name, '--svg', fresh], { stdout: () => {}, stderr: () => {} })).toBe(0);
      expect(readFileSync(docImagePath(name), 'utf8')).toBe(readFileSync(fresh, 'utf8'));
    });
  }

  it('the README shows one of them on its first screen', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const firstScreen = readme.split('\n').slice(0, 20).join('\n');
    expect(firstScreen).toMatch(/!\[[^\]]+\]\(docs\/images\/three-way-handshake\.svg\)/);
  });
});
