// One arrow per segment copy: from the sender's lifeline at the send time to the receiver's at the arrival time,
// so its slope is its transit time. A lost copy stops where it was lost, under an ✕. The label (flags, relative
// seq/ack, length, scaled window, marks) runs along the arrow from its tail; a SYN's options go under it.
import { formatTime } from '../format-time.js';
import type { ArrowPosition } from '../diagram/positions.js';
import type { DrawContext, G } from './types.js';

function arrowClass(d: ArrowPosition, ctx: DrawContext): string {
  const classes = ['arrow', d.item.proto];
  if (d.item.marks.includes('rtx')) classes.push('rtx');
  if (d.item.marks.includes('dup')) classes.push('dup');
  if (d.item.marks.includes('injected') || d.item.marks.includes('spoofed')) classes.push('injected');
  if (d.lost) classes.push('lost');
  if (ctx.violations.has(d.item.index)) classes.push('violation');
  return classes.join(' ');
}

/** The hover text: when, where to, every header field with absolute numbers, and what became of it. */
export function arrowTitle(d: ArrowPosition, violations?: readonly string[]): string {
  const item = d.item;
  const fate = item.loss
    ? `lost (${item.loss.reason})`
    : item.arrival !== undefined
      ? `arrived ${formatTime(item.arrival)}`
      : '';
  return [`#${item.id} sent ${formatTime(item.t)}, ${fate}`, ...item.detail, ...item.marks.map((m) => `note: ${m}`), ...(violations ?? []).map((v) => `VIOLATION: ${v}`)].join('\n');
}

/** Label text cut to the arrow's length, the whole of it on hover. */
function fit(text: string, length: number, charWidth: number): string {
  const max = Math.max(4, Math.floor((length - 20) / charWidth));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function drawArrows(g: G, ctx: DrawContext, charWidth: number, onSelect: (index: number, event: Event) => void): void {
  const arrows = ctx.pos.arrows.filter((a) => ctx.visible(Math.min(a.y1, a.y2) - 14, Math.max(a.y1, a.y2) + 14));
  const arrow = g
    .selectAll<SVGGElement, ArrowPosition>('g.arrow')
    .data(arrows, (d) => String(d.row))
    .join((enter) => {
      const e = enter.append('g');
      e.append('rect').attr('class', 'row-mark');
      e.append('line').attr('class', 'shaft');
      e.append('path').attr('class', 'head');
      e.append('path').attr('class', 'cross');
      e.append('text').attr('class', 'label halo');
      e.append('text').attr('class', 'options halo');
      e.append('text').attr('class', 'loss halo');
      e.append('line').attr('class', 'hit');
      e.append('title');
      return e;
    })
    .attr('class', (d) => arrowClass(d, ctx))
    .attr('data-row', (d) => d.row)
    .attr('data-index', (d) => d.item.index)
    .on('click', (event: Event, d) => onSelect(d.row, event));

  arrow
    .select('rect.row-mark')
    .attr('x', 0)
    .attr('y', (d) => d.y1 - 9)
    .attr('width', ctx.pos.width)
    .attr('height', 18);
  arrow
    .select('line.shaft')
    .attr('x1', (d) => d.x1)
    .attr('y1', (d) => d.y1)
    .attr('x2', (d) => d.x2)
    .attr('y2', (d) => d.y2);
  arrow
    .select('line.hit')
    .attr('x1', (d) => d.x1)
    .attr('y1', (d) => d.y1)
    .attr('x2', (d) => d.x2)
    .attr('y2', (d) => d.y2);
  // Arrow head at the receiver (also for a copy its TCP then discarded), none for a copy lost on the way.
  arrow.select('path.head').attr('d', (d) => {
    if (d.lost && d.item.loss?.where !== 'receiver') return null;
    const a = Math.atan2(d.y2 - d.y1, d.x2 - d.x1);
    const p = (r: number, da: number) => `${d.x2 - r * Math.cos(a + da)},${d.y2 - r * Math.sin(a + da)}`;
    return `M${d.x2},${d.y2}L${p(9, 0.38)}L${p(9, -0.38)}Z`;
  });
  arrow.select('path.cross').attr('d', (d) => {
    if (!d.lost) return null;
    const r = 5;
    return `M${d.x2 - r},${d.y2 - r}L${d.x2 + r},${d.y2 + r}M${d.x2 - r},${d.y2 + r}L${d.x2 + r},${d.y2 - r}`;
  });
  // A lost copy's arrow stops halfway; its label may still use the whole way to the receiver.
  const length = (d: ArrowPosition) => Math.max(Math.hypot(d.x2 - d.x1, d.y2 - d.y1), Math.abs((ctx.pos.lanes[d.item.to]?.x ?? d.x2) - d.x1));
  const rotate = (d: ArrowPosition) => `rotate(${d.label.angle.toFixed(2)},${d.label.x},${d.label.y})`;
  arrow
    .select('text.label')
    .attr('x', (d) => d.label.x)
    .attr('y', (d) => d.label.y - 4)
    .attr('text-anchor', (d) => d.label.anchor)
    .attr('transform', rotate)
    .text((d) => fit(d.item.loss?.where === 'sender' ? `${d.label.text} ✕ ${d.item.loss.reason}` : d.label.text, length(d), charWidth));
  arrow
    .select('text.options')
    .attr('x', (d) => d.label.x)
    .attr('y', (d) => d.label.y + 11)
    .attr('text-anchor', (d) => d.label.anchor)
    .attr('transform', rotate)
    .text((d) => fit(d.label.options, length(d), charWidth));
  arrow
    .select('text.loss')
    .attr('x', (d) => d.x2 + (d.x2 >= d.x1 ? 9 : -9))
    .attr('y', (d) => d.y2 + 4)
    .attr('text-anchor', (d) => (d.x2 >= d.x1 ? 'start' : 'end'))
    // (a copy lost at its sender has the reason in its label: its arrow is too short to hold it)
    .text((d) => (d.lost && d.item.loss && d.item.loss.where !== 'sender' ? d.item.loss.reason : ''));
  arrow.select('title').text((d) => arrowTitle(d, ctx.violations.get(d.item.index)));
}
