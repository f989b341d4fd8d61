// A line of the ladder's body as an array of characters: the lifelines drawn first, words pasted over them.
import type { LadderFrame } from './ladder-frame.js';

/** `frame.bodyWidth` blanks with `mark` at every lifeline column (at `only` lanes' columns when given). */
export function lifelines(frame: LadderFrame, mark = '|', only?: (lane: number) => boolean): string[] {
  const cells = new Array<string>(frame.bodyWidth).fill(' ');
  frame.cols.forEach((x, lane) => {
    if (only === undefined || only(lane)) cells[x] = mark;
  });
  return cells;
}

/**
 * `text` written from column `at`. Where it passes over a lifeline of `frame` it keeps the lifeline visible:
 * a blank becomes '|', an arrow's shaft '-' becomes '+' (the arrow crosses that lifeline).
 */
export function paste(cells: string[], at: number, text: string, frame: LadderFrame): void {
  const lifeline = new Set(frame.cols);
  for (let j = 0; j < text.length; j++) {
    const x = at + j;
    if (x < 0 || x >= cells.length) continue;
    const ch = text[j]!;
    if (lifeline.has(x)) cells[x] = ch === '-' ? '+' : ch === ' ' ? '|' : ch;
    else cells[x] = ch;
  }
}
