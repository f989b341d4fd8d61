// The key under the diagram, laid out: a swatch per state that appears, then what the marks mean, flowed into
// lines no wider than the diagram.

export interface LegendEntry {
  kind: 'state' | 'mark';
  /** The state's name, or the mark's key (arrow, rtx, lost, injected, timer). */
  key: string;
  text: string;
  x: number;
  /** Line number from 0. */
  line: number;
}

export const LEGEND_MARKS: ReadonlyArray<{ key: string; text: string }> = [
  { key: 'arrow', text: '→ segment (slope = transit time)' },
  { key: 'rtx', text: '→ retransmission' },
  { key: 'lost', text: '✕ lost, where it was lost' },
  { key: 'injected', text: '⇢ injected / spoofed' },
  { key: 'timer', text: '┆ timer armed, ● fired' },
];

/** Entries with x and line: the states on the first lines, the marks after them. */
export function legendLayout(states: readonly string[], width: number, charWidth: number): LegendEntry[] {
  const out: LegendEntry[] = [];
  let line = 0;
  let x = 0;
  const place = (kind: LegendEntry['kind'], key: string, text: string, extra: number) => {
    const w = extra + text.length * charWidth;
    if (x > 0 && x + w > width) {
      line++;
      x = 0;
    }
    out.push({ kind, key, text, x, line });
    x += w + 12;
  };
  for (const state of states) place('state', state, state, 14);
  if (states.length > 0) {
    line++;
    x = 0;
  }
  for (const m of LEGEND_MARKS) place('mark', m.key, m.text, 18);
  return out;
}
