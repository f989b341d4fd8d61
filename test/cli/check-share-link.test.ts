// `synack check` run with planted bugs (the test-only hook, src/cli/planted-bugs.ts) writes them into the
// counterexample's web link, so the page runs the same broken engine (src/cli/share-link.ts, web/src/app/share-codec.ts);
// a link made without bugs carries none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check.js';
import { CheckFailed } from '../../src/cli/errors.js';
import { scenarioShareUrl } from '../../src/cli/share-link.js';
import type { BugName } from '../../src/tcp/bugs.js';
import { decodeShare } from '../../web/src/app/share-codec.js';

const dir = mkdtempSync(join(tmpdir(), 'synack-check-link-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the counterexample link of synack check with bugs planted', () => {
  it('decodes to the planted bugs, with the counterexample\'s profile and seed', async () => {
    const out: string[] = [];
    const bugs = new Set<BugName>(['forget-time-wait']);
    await expect(checkCommand('client-closes-first', { runs: '5' }, { stdout: (s) => out.push(s), dir, bugs })).rejects.toThrow(CheckFailed);
    const text = out.join('');
    const url = /open it in the web app \("synack serve" first\): (\S+)\n/.exec(text)?.[1];
    expect(url).toBeDefined();
    const seed = Number(/--seed (\d+) --profile linux --invariants/.exec(text)?.[1]);
    const run = await decodeShare(url!.slice(url!.indexOf('#')));
    expect(run.plant).toEqual(['forget-time-wait']);
    expect(run.kind).toBe('scenario');
    expect(run.settings).toEqual({ profile: 'linux', seed, knobs: {} });
  }, 60_000);

  it('carries no plant when made without bugs (or with none)', async () => {
    for (const bugs of [undefined, new Set<BugName>()]) {
      const url = await scenarioShareUrl('n', 'summary: x\n', 'linux', 1, undefined, bugs);
      expect(await decodeShare(url.slice(url.indexOf('#')))).not.toHaveProperty('plant');
    }
  });

  it('carries every bug given, in order', async () => {
    const url = await scenarioShareUrl('n', 'summary: x\n', 'rfc9293', 2, 'http://h:1/', new Set<BugName>(['backlog-off-by-one', 'fin-no-sequence-number']));
    expect((await decodeShare(url.slice(url.indexOf('#')))).plant).toEqual(['backlog-off-by-one', 'fin-no-sequence-number']);
  });
});
