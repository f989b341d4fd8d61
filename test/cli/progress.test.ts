// The progress of `synack check`: a bar redrawn in place on a terminal, plain lines otherwise.
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';

function stream(isTTY: boolean) {
  const out: string[] = [];
  return { out, s: { isTTY, columns: 80, write: (x: string) => out.push(x) } };
}

describe('createProgress', () => {
  it('writes a line every tenth of the runs when not a terminal, and nothing to erase at the end', () => {
    const { out, s } = stream(false);
    const p = createProgress(s, 100);
    for (let i = 1; i <= 100; i++) p.update(i);
    p.stop();
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90].map((n) => `checking: ${n}/100 runs\n`));
  });

  it('draws cli-progress\'s bar on a terminal: redrawn in place, cleared when it stops', () => {
    const { out, s } = stream(true);
    const p = createProgress(s, 4);
    p.update(1);
    p.update(4, 'shrinking');
    p.stop();
    const text = out.join('');
    expect(text).toMatch(/checking \[[█░]+\] 0\/4 runs/);
    expect(text).toMatch(/checking \[█+\] 4\/4 runs shrinking/);
    expect(text).not.toContain('\n'); // one line, redrawn
    expect(text).toContain('\x1b[?25h'); // the cursor shown again
    expect(text.endsWith('\x1b[2K')).toBe(true); // and the line cleared
  });
});
