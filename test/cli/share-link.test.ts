// A counterexample's URL opens in the web app: the CLI's encoding is decoded by the app's own codec.
import { describe, expect, it } from 'vitest';
import { scenarioShareUrl } from '../../src/cli/share-link.js';
import { decodeShare } from '../../web/src/app/share-codec.js';

describe('scenarioShareUrl', () => {
  it('is decoded by the web app into the same scenario text, name, profile and seed', async () => {
    const text = 'summary: "a: é ü 🙂"\nhosts:\n  a: { address: 10.0.0.1 }\n'.repeat(50);
    const url = await scenarioShareUrl('counterexample-x-7', text, 'rfc9293', 7);
    expect(url.startsWith('http://127.0.0.1:8470/#s1=')).toBe(true);
    const run = await decodeShare(url.slice(url.indexOf('#')));
    expect(run).toEqual({ kind: 'scenario', name: 'counterexample-x-7', text, settings: { profile: 'rfc9293', seed: 7, knobs: {} }, row: 0 });
  });

  it('puts nothing but base64url after the prefix', async () => {
    const url = await scenarioShareUrl('n', 'x'.repeat(1000), 'linux', 1, 'http://host:1/');
    expect(url).toMatch(/^http:\/\/host:1\/#s1=[A-Za-z0-9_-]+$/);
  });
});
