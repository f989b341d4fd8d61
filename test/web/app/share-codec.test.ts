// The shareable link's fragment (web/src/app/share-codec.ts): round trip, and hostile fragments refused with
// one line (not base64url, not deflate, not JSON, a wrong shape, a decompression bomb past 2 MB).
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, FRAGMENT_PREFIX, fromBase64url, ShareError, toBase64url, type SharedRun } from '../../../web/src/app/share-codec.js';

const RUN: SharedRun = {
  kind: 'scenario',
  name: 'three-way-handshake',
  text: 'summary: "x"\nhosts: {}\n',
  settings: { profile: 'rfc9293', seed: 7, latencyMs: 2.5, lossPercent: 10, knobs: { tcp_syncookies: 1 } },
  row: 4,
};

const fragmentOf = (doc: unknown) => FRAGMENT_PREFIX + deflateRawSync(Buffer.from(JSON.stringify(doc))).toString('base64url');

describe('share link fragment', () => {
  it('round-trips a run: its text, settings and row', async () => {
    const hash = await encodeShare(RUN);
    expect(hash.startsWith('#s1=')).toBe(true);
    expect(hash.slice(4)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await decodeShare(hash)).toEqual(RUN);
  });

  it('is raw deflate in base64url (zlib reads it back)', async () => {
    const hash = await encodeShare(RUN);
    expect(JSON.parse(inflateRawSync(Buffer.from(hash.slice(4), 'base64url')).toString('utf8'))).toEqual(RUN);
  });

  it('base64url agrees with Node for every byte value', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    expect(toBase64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    expect([...fromBase64url(Buffer.from(bytes).toString('base64url'))]).toEqual([...bytes]);
  });

  const refused: Array<[string, string, RegExp]> = [
    ['not base64url', '#s1=<script>', /not base64url/],
    ['not deflate', `#s1=${Buffer.from('hello there').toString('base64url')}`, /does not unpack/],
    ['not JSON', FRAGMENT_PREFIX + deflateRawSync(Buffer.from('{oops')).toString('base64url'), /not JSON/],
    ['an unknown kind', fragmentOf({ ...RUN, kind: 'script' }), /unknown kind/],
    ['a negative row', fragmentOf({ ...RUN, row: -1 }), /bad step/],
    ['a scenario without text', fragmentOf({ ...RUN, text: undefined }), /without the scenario/],
    ['a bad profile', fragmentOf({ ...RUN, settings: { ...RUN.settings, profile: 'bsd' } }), /bad profile/],
  ];
  for (const [what, hash, message] of refused) {
    it(`refuses ${what} with one line`, async () => {
      const err = await decodeShare(hash).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ShareError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    });
  }

  it('stops inflating a bomb once it passes 2 MB', async () => {
    const bomb = FRAGMENT_PREFIX + deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20)).toString('base64url');
    expect(bomb.length).toBeLessThan(200_000);
    await expect(decodeShare(bomb)).rejects.toThrow(/more than 2 MB once unpacked/);
  });

  it('refuses a run too big for a link when encoding', async () => {
    await expect(encodeShare({ ...RUN, text: 'x'.repeat(3 * 1024 * 1024) })).rejects.toThrow(/too big to share/);
  });

  it('refuses a run whose text is short enough but too big once encoded: escapes and UTF-8 count', async () => {
    // 1.5 M characters each: under the 2 MB cap as characters, over it as JSON (\" is two bytes) or UTF-8 (é is two).
    await expect(encodeShare({ ...RUN, text: '"'.repeat(1_500_000) })).rejects.toThrow(/too big to share as a link \(3000\d{3} bytes/);
    await expect(encodeShare({ ...RUN, text: 'é'.repeat(1_500_000) })).rejects.toThrow(/too big to share as a link \(3000\d{3} bytes/);
  });
});
