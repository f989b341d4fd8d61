// Lane heads (host, address and port), lifelines broken at idle breaks, the time axis and the break bands.
import type { DrawContext, G } from './types.js';

export function drawLanes(g: G, ctx: DrawContext): void {
  const { pos } = ctx;
  const top = pos.lanes.length > 0 ? 44 : 0;
  const bottom = pos.bottom + 10;
  // Lifeline pieces between breaks.
  const cuts = [top, ...pos.breaks.flatMap((b) => [b.y0, b.y1]), bottom];
  const pieces: Array<[number, number]> = [];
  for (let i = 0; i + 1 < cuts.length; i += 2) pieces.push([cuts[i]!, cuts[i + 1]!]);

  const lanes = g
    .selectAll<SVGGElement, (typeof pos.lanes)[number]>('g.lane')
    .data(pos.lanes, (d) => d.lane.key)
    .join('g')
    .attr('class', (d) => `lane ${d.lane.kind}`)
    .attr('transform', (d) => `translate(${d.x},0)`);
  lanes
    .selectAll('line.lifeline')
    .data(pieces)
    .join('line')
    .attr('class', 'lifeline')
    .attr('x1', 0)
    .attr('x2', 0)
    .attr('y1', (d) => d[0])
    .attr('y2', (d) => d[1]);
  const head = lanes.selectAll('g.head').data((d) => [d]).join('g').attr('class', 'head');
  head
    .selectAll('text.lane-title')
    .data((d) => [d])
    .join('text')
    .attr('class', 'lane-title halo')
    .attr('text-anchor', 'middle')
    .attr('y', 18)
    .text((d) => d.lane.title);
  head
    .selectAll('text.lane-subtitle')
    .data((d) => [d])
    .join('text')
    .attr('class', 'lane-subtitle halo')
    .attr('text-anchor', 'middle')
    .attr('y', 34)
    .text((d) => d.lane.subtitle);
}

export function drawAxis(g: G, ctx: DrawContext): void {
  const ticks = ctx.pos.ticks.filter((t) => ctx.visible(t.y - 10, t.y + 10));
  const tick = g
    .selectAll<SVGGElement, (typeof ticks)[number]>('g.tick')
    .data(ticks, (d) => String(d.t))
    .join((enter) => {
      const e = enter.append('g').attr('class', 'tick');
      e.append('text');
      return e;
    })
    .attr('transform', (d) => `translate(0,${d.y})`);
  tick
    .select('text')
    .attr('x', ctx.pos.axis - 6)
    .attr('dy', '0.32em')
    .attr('text-anchor', 'end')
    .text((d) => d.text);
}

export function drawBreaks(g: G, ctx: DrawContext): void {
  const width = ctx.pos.width;
  const breaks = ctx.pos.breaks.filter((b) => ctx.visible(b.y0, b.y1));
  const band = g
    .selectAll<SVGGElement, (typeof breaks)[number]>('g.break')
    .data(breaks, (d) => `${d.t0}`)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'break');
      e.append('rect');
      e.append('path');
      e.append('text').attr('class', 'halo');
      return e;
    });
  band.select('rect').attr('x', 0).attr('y', (d) => d.y0).attr('width', width).attr('height', (d) => d.y1 - d.y0);
  // A zigzag across each lifeline: time is cut here.
  band.select('path').attr('d', (d) =>
    ctx.pos.lanes
      .map(({ x }) => {
        const m = (d.y0 + d.y1) / 2;
        return `M${x - 7},${m - 4}L${x - 2},${m + 3}L${x + 2},${m - 3}L${x + 7},${m + 4}`;
      })
      .join(''),
  );
  band
    .select('text')
    .attr('x', 8)
    .attr('y', (d) => (d.y0 + d.y1) / 2)
    .attr('dy', '0.32em')
    .text((d) => `~ ${d.text} ~`);
}
