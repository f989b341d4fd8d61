// The state chart panel, as a reusable d3 chart (Bostock, "Towards Reusable Charts"): configure
// with chained accessors, then `select(svgNode).call(chart)`; calling again updates in place.
// Geometry comes from layout.ts; this file only draws. User strings (endpoint labels) go in
// with .text(), never .html().
import { select, type BaseType, type Selection } from 'd3';
import { layout as computeLayout, type LayoutEdge, type LayoutNode, type StateChartLayout } from './layout.js';

/** One endpoint to mark on the chart: "client :53780" is in ESTABLISHED. */
export interface EndpointMark {
  label: string;
  state: string;
}

/** The edge just taken, e.g. SYN_SENT -> ESTABLISHED on RCV_SYN_ACK. */
export interface TakenEdge {
  from: string;
  to: string;
  event: string;
}

export type Theme = 'light' | 'dark';

// The root may be any element type d3 can select; DOM types stay out of the signature so the
// module also typechecks without lib "DOM".
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySelection = Selection<any, any, any, any>;

export interface StateChart {
  (selection: AnySelection): void;
  endpoints(): readonly EndpointMark[];
  endpoints(value: readonly EndpointMark[]): StateChart;
  lastEdge(): TakenEdge | undefined;
  lastEdge(value: TakenEdge | undefined): StateChart;
  theme(): Theme;
  theme(value: Theme): StateChart;
  /** The geometry drawn; defaults to the machine's layout. */
  layout(): StateChartLayout;
  layout(value: StateChartLayout): StateChart;
  /** Badges drawn per state before "+N more". */
  maxBadges(): number;
  maxBadges(value: number): StateChart;
  on(type: 'select', listener: ((state: string) => void) | null): StateChart;
}

const BADGE_H = 16;
const BADGE_GAP = 3;
const BADGE_CHAR_W = 6.2;

let instances = 0;

interface Badge {
  key: string;
  text: string;
  state: string;
  more: boolean;
  x: number;
  y: number;
  w: number;
}

/** Badges stack down from the node's badge anchor (layout.ts); past `max`, one "+N more" badge. */
function badgesFor(nodes: readonly LayoutNode[], marks: readonly EndpointMark[], max: number): Badge[] {
  const out: Badge[] = [];
  for (const n of nodes) {
    const here = marks.filter((m) => m.state === n.state);
    const shown = here.length > max ? here.slice(0, max - 1) : here;
    const rows = shown.map((m, i) => ({ key: `e:${m.label}`, text: m.label, more: false, i }));
    if (shown.length < here.length) {
      rows.push({ key: `more:${n.state}`, text: `+${here.length - shown.length} more`, more: true, i: shown.length });
    }
    for (const row of rows) {
      const w = Math.max(36, row.text.length * BADGE_CHAR_W + 14);
      out.push({
        key: row.key,
        text: row.text,
        state: n.state,
        more: row.more,
        x: n.badgeX - w,
        y: n.badgeY + row.i * (BADGE_H + BADGE_GAP),
        w,
      });
    }
  }
  return out;
}

export function stateChart(): StateChart {
  let endpoints: readonly EndpointMark[] = [];
  let lastEdge: TakenEdge | undefined;
  let theme: Theme = 'light';
  let geometry: StateChartLayout | undefined;
  let maxBadges = 3;
  let onSelect: ((state: string) => void) | null = null;
  const id = `sc${++instances}`;

  function draw(svg: AnySelection): void {
    const g = geometry ?? (geometry = computeLayout());
    const taken = lastEdge === undefined ? undefined : `${lastEdge.from}->${lastEdge.to}`;
    const occupied = new Map<string, string[]>();
    for (const e of endpoints) occupied.set(e.state, [...(occupied.get(e.state) ?? []), e.label]);

    svg
      .attr('viewBox', `0 0 ${g.width} ${g.height}`)
      .attr('role', 'img')
      .attr('aria-labelledby', `${id}-title`)
      .classed('statechart', true)
      .classed('sc-dark', theme === 'dark')
      .classed('sc-light', theme === 'light');

    const title = svg.selectAll('title.sc-title').data([null]).join((enter) => enter.insert('title', ':first-child').attr('class', 'sc-title'));
    title.attr('id', `${id}-title`).text(describe(endpoints, lastEdge));

    const defs = svg.selectAll('defs.sc-defs').data([null]).join('defs').attr('class', 'sc-defs');
    defs
      .selectAll('marker')
      .data(['plain', 'quiet', 'taken'])
      .join((enter) => {
        const m = enter.append('marker');
        m.append('path').attr('d', 'M0,0 L10,5 L0,10 z');
        return m;
      })
      .attr('id', (d) => `${id}-arrow-${d}`)
      .attr('class', (d) => `sc-arrowhead ${d}`)
      .attr('viewBox', '0 0 10 10')
      .attr('refX', 9)
      .attr('refY', 5)
      .attr('markerUnits', 'userSpaceOnUse')
      .attr('markerWidth', (d) => (d === 'taken' ? 13 : 9))
      .attr('markerHeight', (d) => (d === 'taken' ? 13 : 9))
      .attr('orient', 'auto-start-reverse');

    const layer = (name: string): AnySelection => svg.selectAll(`g.${name}`).data([null]).join('g').attr('class', name);
    const edgeLayer = layer('sc-edges');
    const labelLayer = layer('sc-edge-labels');
    const nodeLayer = layer('sc-nodes');
    const badgeLayer = layer('sc-badges');

    const edgeClass = (e: LayoutEdge) =>
      [
        'edge',
        `origin-${e.origin}`,
        e.origin === 'figure' ? 'solid' : 'dashed',
        e.origin !== 'figure' && e.to === 'CLOSED' ? 'quiet' : '',
        e.key === taken ? 'taken' : '',
      ]
        .filter(Boolean)
        .join(' ');
    const marker = (e: LayoutEdge) =>
      `url(#${id}-arrow-${e.key === taken ? 'taken' : e.origin === 'figure' ? 'plain' : 'quiet'})`;

    // Edges: the taken one drawn last, so it is on top of the lanes it shares.
    const ordered = [...g.edges].sort((a, b) => Number(a.key === taken) - Number(b.key === taken));
    const edgeSel = edgeLayer
      .selectAll<BaseType, LayoutEdge>('g.edge')
      .data(ordered, (d) => d.key)
      .join((enter) => {
        const e = enter.append('g');
        e.append('title');
        e.append('path').attr('class', 'edge-path');
        return e;
      })
      .attr('class', edgeClass)
      .attr('data-key', (d) => d.key)
      .order();
    edgeSel.select('title').text((d) => `${d.from} \u2192 ${d.to}\n${d.details.join('\n')}`);
    edgeSel
      .select('path.edge-path')
      .attr('d', (d) => d.path)
      .attr('marker-end', marker);

    labelLayer
      .selectAll<BaseType, LayoutEdge>('text.edge-label')
      .data(g.edges, (d) => d.key)
      .join('text')
      .attr('class', (d) => edgeClass(d).replace(/^edge/, 'edge-label'))
      .attr('data-key', (d) => d.key)
      .attr('x', (d) => d.labelX)
      .attr('y', (d) => d.labelY)
      .attr('text-anchor', (d) => d.labelAnchor)
      // The taken edge names the event that was taken; others their figure 5 events.
      .text((d) => (d.key === taken && lastEdge !== undefined ? lastEdge.event : d.label));

    const nodeSel = nodeLayer
      .selectAll<BaseType, LayoutNode>('g.node')
      .data(g.nodes, (d) => d.state)
      .join((enter) => {
        const n = enter.append('g');
        n.append('title');
        n.append('rect').attr('rx', 8).attr('ry', 8);
        n.append('text').attr('class', 'state-name').attr('text-anchor', 'middle');
        return n;
      })
      .attr('class', (d) =>
        ['node', occupied.has(d.state) ? 'occupied' : '', lastEdge?.from === d.state ? 'left' : '', lastEdge?.to === d.state ? 'entered' : '']
          .filter(Boolean)
          .join(' '),
      )
      .attr('data-state', (d) => d.state)
      .attr('transform', (d) => `translate(${d.x},${d.y})`)
      .on('click', (_event: unknown, d: LayoutNode) => onSelect?.(d.state));
    nodeSel.select('title').text((d) => {
      const here = occupied.get(d.state);
      return here === undefined ? d.state : `${d.state}: ${here.join(', ')}`;
    });
    nodeSel
      .select('rect')
      .attr('x', (d) => -d.w / 2)
      .attr('y', (d) => -d.h / 2)
      .attr('width', (d) => d.w)
      .attr('height', (d) => d.h);
    nodeSel
      .select('text.state-name')
      .attr('y', 4)
      .text((d) => d.state);

    const badgeSel = badgeLayer
      .selectAll<BaseType, Badge>('g.badge')
      .data(badgesFor(g.nodes, endpoints, Math.max(1, maxBadges)), (d) => d.key)
      .join((enter) => {
        const b = enter.append('g');
        b.append('rect').attr('rx', BADGE_H / 2).attr('ry', BADGE_H / 2).attr('height', BADGE_H);
        b.append('text').attr('y', BADGE_H / 2 + 3.5).attr('text-anchor', 'middle');
        return b;
      })
      .attr('class', (d) => (d.more ? 'badge more' : 'badge'))
      .attr('data-state', (d) => d.state)
      .attr('transform', (d) => `translate(${Math.round(d.x)},${Math.round(d.y)})`);
    badgeSel.select('rect').attr('width', (d) => d.w);
    badgeSel
      .select('text')
      .attr('x', (d) => d.w / 2)
      .text((d) => d.text);

    drawLegend(layer('sc-legend'), g);
  }

  const chart = ((selection: AnySelection) => {
    selection.each(function (this: unknown) {
      draw(select(this as never));
    });
  }) as StateChart;

  // Chained accessors: no argument reads, one argument sets and returns the chart.
  chart.endpoints = ((value?: readonly EndpointMark[]) => {
    if (value === undefined) return endpoints;
    endpoints = value.map((e) => ({ label: String(e.label), state: String(e.state) }));
    return chart;
  }) as StateChart['endpoints'];
  chart.lastEdge = ((...args: [TakenEdge | undefined] | []) => {
    if (args.length === 0) return lastEdge;
    lastEdge = args[0];
    return chart;
  }) as StateChart['lastEdge'];
  chart.theme = ((value?: Theme) => {
    if (value === undefined) return theme;
    if (value !== 'light' && value !== 'dark') throw new Error(`state chart: theme must be 'light' or 'dark', got ${String(value)}`);
    theme = value;
    return chart;
  }) as StateChart['theme'];
  chart.layout = ((value?: StateChartLayout) => {
    if (value === undefined) return geometry ?? (geometry = computeLayout());
    geometry = value;
    return chart;
  }) as StateChart['layout'];
  chart.maxBadges = ((value?: number) => {
    if (value === undefined) return maxBadges;
    maxBadges = value;
    return chart;
  }) as StateChart['maxBadges'];
  chart.on = (type, listener) => {
    if (type !== 'select') throw new Error(`state chart: no event '${String(type)}' (only 'select')`);
    onSelect = listener;
    return chart;
  };
  return chart;
}

/** The chart's text alternative: where each endpoint is, and the edge just taken. */
function describe(marks: readonly EndpointMark[], taken: TakenEdge | undefined): string {
  const where = marks.length === 0 ? 'no connections yet' : marks.map((m) => `${m.label} in ${m.state}`).join('; ');
  const edge = taken === undefined ? '' : `; last transition ${taken.from} to ${taken.to} on ${taken.event}`;
  return `TCP connection state chart (RFC 9293 figure 5): ${where}${edge}`;
}

function drawLegend(legend: AnySelection, g: StateChartLayout): void {
  const items = [
    { cls: 'edge solid', text: 'RFC 9293 figure 5' },
    { cls: 'edge dashed', text: 'RFC text / Linux' },
    { cls: 'edge dashed quiet', text: 'RST, ABORT, give up \u2192 CLOSED' },
  ];
  legend.attr('transform', `translate(16,${g.height - 16 - items.length * 16})`);
  const rows = legend
    .selectAll('g.legend-item')
    .data(items)
    .join((enter) => {
      const row = enter.append('g').attr('class', 'legend-item');
      row.append('path').attr('d', 'M0 0 L26 0');
      row.append('text').attr('x', 32).attr('y', 4);
      return row;
    })
    .attr('transform', (_d, i) => `translate(0,${i * 16})`);
  rows.select('path').attr('class', (d) => d.cls);
  rows.select('text').text((d) => d.text);
}
