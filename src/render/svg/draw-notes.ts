// State changes, socket calls and fired timers, written right of the lifeline of the socket they belong to, each
// on its own row at its time.
import { formatTime } from '../format-time.js';
import type { NotePosition } from '../diagram/positions.js';
import type { DrawContext, G } from './types.js';

function noteTitle(d: NotePosition): string {
  const item = d.item;
  switch (item.kind) {
    case 'state':
      return `${formatTime(item.t)} ${item.socket}: ${item.from} -> ${item.to} (${item.cause})`;
    case 'call':
      return `${formatTime(item.t)} ${item.program ? `${item.program}: ` : ''}${item.text}`;
    case 'timer':
      return `${formatTime(item.t)} ${item.text}`;
  }
}

export function drawNotes(g: G, ctx: DrawContext, onSelect: (row: number, event: Event) => void): void {
  const notes = ctx.pos.notes.filter((n) => ctx.visible(n.y - 10, n.y + 10));
  const note = g
    .selectAll<SVGGElement, NotePosition>('g.note')
    .data(notes, (d) => String(d.row))
    .join((enter) => {
      const e = enter.append('g');
      e.append('rect').attr('class', 'row-mark');
      e.append('text').attr('class', 'halo');
      e.append('title');
      return e;
    })
    .attr('class', (d) => `note ${d.item.kind}${d.item.kind === 'call' && !d.item.ok ? ' failed' : ''}`)
    .attr('data-row', (d) => d.row)
    .attr('data-index', (d) => d.item.index)
    .on('click', (event: Event, d) => onSelect(d.row, event));
  note
    .select('rect.row-mark')
    .attr('x', 0)
    .attr('y', (d) => d.y - 9)
    .attr('width', ctx.pos.width)
    .attr('height', 18);
  note
    .select('text')
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y)
    .attr('text-anchor', (d) => d.anchor)
    .attr('dy', '0.32em')
    .text((d) => d.text);
  note.select('title').text(noteTitle);
}
