// The key under the diagram (laid out by ../diagram/legend.ts): the colour of each state that appears, and
// what the marks mean.
import type { DiagramPositions } from '../diagram/positions.js';
import type { DrawContext, G } from './types.js';

type Entry = DiagramPositions['legend'][number];

export function drawLegend(g: G, ctx: DrawContext): void {
  // Added to the layer's class, not in place of it: the chart finds its layer by that class on the next draw.
  g.classed('legend', true);
  const entry = g
    .selectAll<SVGGElement, Entry>('g.entry')
    .data(ctx.pos.legend, (d) => `${d.kind} ${d.key}`)
    .join((enter) => {
      const e = enter.append('g');
      e.filter((d) => d.kind === 'state').append('rect').attr('width', 10).attr('height', 10).attr('y', -9);
      e.append('text');
      return e;
    })
    .attr('class', (d) => `entry ${d.kind === 'state' ? 'swatch' : `mark mark-${d.key}`}`)
    .attr('transform', (d) => `translate(${d.x},${d.y})`);
  entry.select('rect').attr('class', (d) => `state-${d.key}`);
  entry
    .select('text')
    .attr('x', (d) => (d.kind === 'state' ? 14 : 0))
    .text((d) => d.text);
}
