// docs/trace-format.md shows an example trace and the ladder drawn from it; keep the two in step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import { summarizeTrace } from '../../src/render/summary.js';
import type { Trace } from '../../src/sim/trace.js';

const doc = readFileSync(new URL('../../docs/trace-format.md', import.meta.url), 'utf8');

describe('docs/trace-format.md example', () => {
  const json = /```json\n([\s\S]*?)```/.exec(doc)?.[1];
  const drawing = /```\n( +time [\s\S]*?)```/.exec(doc)?.[1];

  it('is a trace document', () => {
    const trace = JSON.parse(json ?? '') as Trace;
    expect(trace.format).toBe('synack-trace');
    expect(trace.version).toBe(1);
    expect(trace.events.map((e) => e.kind)).toContain('segment');
  });

  it('is drawn as the document shows', () => {
    const trace = JSON.parse(json ?? '') as Trace;
    const drawn = `${renderLadder(trace)}\n${summarizeTrace(trace, 80)}\n`;
    expect(drawn).toBe(drawing);
  });
});
