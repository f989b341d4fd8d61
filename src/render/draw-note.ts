// A note written against one lifeline, as lines exactly `lane` characters wide:
// against the left lifeline it starts one space after it, against the right one it ends one space before it.
import type { Side } from './types.js';
import { wrapWords } from './wrap.js';

export function drawNote(side: Side, text: string, lane: number): string[] {
  const lines = wrapWords(text.split(' '), lane - 2, lane - 4);
  return lines.map((line, i) => {
    const indented = i === 0 ? line : `  ${line}`;
    return side === 'left' ? ` ${indented}`.padEnd(lane) : `${line} `.padStart(lane);
  });
}
