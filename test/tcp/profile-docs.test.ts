// docs/profiles.md must describe every knob of a profile (so the doc cannot fall behind the code).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINUX, RFC9293 } from '../../src/tcp/profile.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/profiles.md'), 'utf8');

describe('docs/profiles.md', () => {
  it('has a row for every profile knob', () => {
    const missing = Object.keys(LINUX).filter((k) => k !== 'name' && !doc.includes(`| \`${k}\` |`));
    expect(missing).toEqual([]);
  });

  it('both profiles have the same knobs', () => {
    expect(Object.keys(RFC9293).sort()).toEqual(Object.keys(LINUX).sort());
  });
});
