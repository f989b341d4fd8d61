// docs/scenario-format.md covers the format as the code defines it: every call, top-level key and knob.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allowedKeys } from '../../../src/scenarios/file/keys.js';
import { KNOB_NAMES } from '../../../src/scenarios/file/knobs.js';
import { CALL_NAMES, ERRNOS } from '../../../src/scenarios/file/steps.js';

const DOC = readFileSync(new URL('../../../docs/scenario-format.md', import.meta.url), 'utf8');

describe('docs/scenario-format.md', () => {
  it('documents every call in the calls table', () => {
    const missing = CALL_NAMES.filter((c) => !DOC.includes(`| \`${c}\` |`));
    expect(missing).toEqual([]);
  });

  it('documents every top-level key', () => {
    const missing = allowedKeys([])!.filter((k) => !DOC.includes(`| \`${k}\` |`));
    expect(missing).toEqual([]);
  });

  it('names every knob', () => {
    const missing = KNOB_NAMES.filter((k) => !DOC.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });

  it('documents the keys of hosts, links, faults, injections and expectations', () => {
    for (const place of [['hosts', 'x'], ['links', 0], ['faults', 0], ['inject', 0], ['expect', 0]]) {
      const missing = allowedKeys(place)!.filter((k) => k !== 'between' && k !== 'host' && k !== 'socket' && !DOC.includes(`\`${k}\``));
      expect(missing, place.join('.')).toEqual([]);
    }
  });

  it('lists errnos that exist', () => {
    for (const errno of (DOC.match(/\bE[A-Z]{3,}\b/g) ?? []).filter((w) => w !== 'ESTABLISHED')) expect(ERRNOS as readonly string[]).toContain(errno);
  });
});
