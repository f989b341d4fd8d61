// A share link may carry planted bugs (web/src/app/share-codec.ts `plant`), as `synack check` writes them into a
// counterexample's link: they round-trip, and a name src/tcp/bugs.ts does not know is refused with one line.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, FRAGMENT_PREFIX, ShareError, type SharedRun } from '../../../web/src/app/share-codec.js';

const RUN: SharedRun = {
  kind: 'scenario',
  name: 'counterexample-random-3',
  text: 'summary: "x"\nhosts: {}\n',
  settings: { profile: 'linux', seed: 3, knobs: {} },
  row: 0,
  plant: ['forget-time-wait', 'backlog-off-by-one'],
};

const fragmentOf = (doc: unknown) => FRAGMENT_PREFIX + deflateRawSync(Buffer.from(JSON.stringify(doc))).toString('base64url');

async function refusal(hash: string): Promise<string> {
  const err = await decodeShare(hash).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ShareError);
  return (err as Error).message;
}

describe('planted bugs in a share link', () => {
  it('round-trips the list of planted bugs', async () => {
    expect(await decodeShare(await encodeShare(RUN))).toEqual(RUN);
  });

  it('has no plant when the link carries none (or an empty list)', async () => {
    const { plant: _, ...plain } = RUN;
    expect(await decodeShare(fragmentOf(plain))).not.toHaveProperty('plant');
    expect(await decodeShare(fragmentOf({ ...RUN, plant: [] }))).not.toHaveProperty('plant');
  });

  it('keeps each bug once', async () => {
    expect((await decodeShare(fragmentOf({ ...RUN, plant: ['forget-time-wait', 'forget-time-wait'] }))).plant).toEqual(['forget-time-wait']);
  });

  it('refuses an unknown bug name with one line naming it', async () => {
    const message = await refusal(fragmentOf({ ...RUN, plant: ['forget-time-wait', 'no-such-bug'] }));
    expect(message).toBe('the link is damaged: unknown planted bug "no-such-bug"');
  });

  it('refuses a name with a line break on one line', async () => {
    expect(await refusal(fragmentOf({ ...RUN, plant: ['a\nb'] }))).not.toContain('\n');
  });

  it('refuses a plant that is not a list of names', async () => {
    expect(await refusal(fragmentOf({ ...RUN, plant: 'forget-time-wait' }))).toMatch(/bad list of planted bugs/);
    expect(await refusal(fragmentOf({ ...RUN, plant: [7] }))).toMatch(/bad list of planted bugs/);
  });

  it('refuses planted bugs on a capture (only a scenario runs the engine)', async () => {
    const message = await refusal(fragmentOf({ kind: 'capture', name: 'x.pcap', capture: '', settings: RUN.settings, row: 0, plant: ['forget-time-wait'] }));
    expect(message).toMatch(/not a scenario/);
  });
});
