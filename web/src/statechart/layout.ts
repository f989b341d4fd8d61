// Layout of the state chart panel: pure geometry, no DOM. Nodes are the states of the xstate
// machine (src/tcp/machine.ts), placed as in RFC 9293 figure 5 (section 3.3.2); edges are its
// compiled transitions (src/tcp/transitions.ts), one per (from, to) pair with the events grouped,
// as src/tcp/state-diagram.ts does for Mermaid.
import { tcpMachine, type TransitionOrigin } from '../../../src/tcp/machine.js';
import { TRANSITIONS } from '../../../src/tcp/transitions.js';

export interface LayoutNode {
  state: string;
  /** Centre of the box. */
  x: number;
  y: number;
  w: number;
  h: number;
  /** Where endpoint badges go: right-aligned at badgeX, stacked downwards from badgeY. */
  badgeX: number;
  badgeY: number;
}

export interface LayoutEdge {
  /** "FROM->TO": the key drawing joins on. */
  key: string;
  from: string;
  to: string;
  /** Every event moving from -> to, in the machine's order (figure 5 events first). */
  events: string[];
  /** The strongest origin among the events: figure, else text, else linux. */
  origin: TransitionOrigin;
  /** The events drawn on the edge by default: its figure 5 events, or all of them when it has none. */
  label: string;
  /** The RFC's "event / action" labels, one per event, for a tooltip. */
  details: string[];
  /** An SVG path, absolute commands M, L, Q, C only. */
  path: string;
  labelX: number;
  labelY: number;
  /** Where the label hangs from (labelX, labelY). */
  labelAnchor: 'start' | 'middle' | 'end';
  /** Routed round the outside of the chart, on a lane towards CLOSED, rather than straight. */
  routed: boolean;
}

export interface StateChartLayout {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

/** One transition as the layout needs it (TcpTransition fits). */
export interface TransitionInput {
  from: string;
  to: string;
  event: string;
  origin: TransitionOrigin;
  label: string;
}

export interface LayoutInput {
  states: readonly string[];
  transitions: readonly TransitionInput[];
}

const WIDTH = 940;
const HEIGHT = 694;
const NODE_W = 132;
const NODE_H = 34;
const LEFT = 175;
const CENTRE = 450;
const RIGHT = 725;

/**
 * Figure 5's arrangement: CLOSED on top, LISTEN, the SYN states either side, ESTABLISHED in the
 * middle, active close down the left, passive close down the right, TIME_WAIT at the bottom.
 * layout() throws for a state missing here, so a state added to the machine fails the tests.
 */
const POSITIONS: Readonly<Record<string, readonly [number, number]>> = {
  CLOSED: [CENTRE, 62],
  LISTEN: [CENTRE, 152],
  SYN_RECEIVED: [LEFT, 242],
  SYN_SENT: [RIGHT, 242],
  ESTABLISHED: [CENTRE, 332],
  FIN_WAIT_1: [LEFT, 432],
  CLOSE_WAIT: [RIGHT, 432],
  FIN_WAIT_2: [LEFT, 542],
  CLOSING: [CENTRE, 542],
  LAST_ACK: [RIGHT, 542],
  TIME_WAIT: [CENTRE, 622],
};

/** Lanes round the outside for long edges into the top: quiet (no figure 5 event) outermost. */
const LANE = { leftQuiet: 22, rightFigure: WIDTH - 44, rightQuiet: WIDTH - 22 } as const;

const ORIGIN_RANK: Record<TransitionOrigin, number> = { figure: 0, text: 1, linux: 2 };

/** The machine's own states and transitions. */
export function machineInput(): LayoutInput {
  return { states: Object.keys(tcpMachine.root.states), transitions: TRANSITIONS };
}

type Point = readonly [number, number];

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function boxOf(n: LayoutNode): Box {
  return { x0: n.x - n.w / 2, y0: n.y - n.h / 2, x1: n.x + n.w / 2, y1: n.y + n.h / 2 };
}

const r = (v: number) => Math.round(v * 10) / 10;
const pt = (p: Point) => `${r(p[0])} ${r(p[1])}`;

/** Where the ray from `inside` (a point in the box) towards `towards` leaves the box. */
function exitPoint(b: Box, inside: Point, towards: Point): Point {
  const dx = towards[0] - inside[0];
  const dy = towards[1] - inside[1];
  let t = Infinity;
  if (dx > 0) t = Math.min(t, (b.x1 - inside[0]) / dx);
  if (dx < 0) t = Math.min(t, (b.x0 - inside[0]) / dx);
  if (dy > 0) t = Math.min(t, (b.y1 - inside[1]) / dy);
  if (dy < 0) t = Math.min(t, (b.y0 - inside[1]) / dy);
  if (!Number.isFinite(t)) return inside;
  return [inside[0] + dx * t, inside[1] + dy * t];
}

/** True if the segment p-q passes through the inside of box b (shrunk by a pixel). */
function segmentCrosses(b: Box, p: Point, q: Point): boolean {
  const steps = 40;
  for (let i = 1; i < steps; i++) {
    const x = p[0] + ((q[0] - p[0]) * i) / steps;
    const y = p[1] + ((q[1] - p[1]) * i) / steps;
    if (x > b.x0 + 1 && x < b.x1 - 1 && y > b.y0 + 1 && y < b.y1 - 1) return true;
  }
  return false;
}

/** An orthogonal polyline with rounded corners, as M/L/Q commands. */
function rounded(points: readonly Point[], radius = 10): string {
  let d = `M${pt(points[0]!)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const prev = points[i - 1]!;
    const here = points[i]!;
    const next = points[i + 1]!;
    const inLen = Math.hypot(here[0] - prev[0], here[1] - prev[1]);
    const outLen = Math.hypot(next[0] - here[0], next[1] - here[1]);
    const k = Math.min(radius, inLen / 2, outLen / 2);
    const a: Point = [here[0] - ((here[0] - prev[0]) / inLen) * k, here[1] - ((here[1] - prev[1]) / inLen) * k];
    const b: Point = [here[0] + ((next[0] - here[0]) / outLen) * k, here[1] + ((next[1] - here[1]) / outLen) * k];
    d += ` L${pt(a)} Q${pt(here)} ${pt(b)}`;
  }
  return `${d} L${pt(points[points.length - 1]!)}`;
}

interface Geometry {
  path: string;
  label: Point;
  anchor: LayoutEdge['labelAnchor'];
}

interface Group {
  from: string;
  to: string;
  transitions: TransitionInput[];
}

function groupEdges(transitions: readonly TransitionInput[]): Group[] {
  const pairs = new Map<string, Group>();
  for (const t of transitions) {
    const key = `${t.from}->${t.to}`;
    const g = pairs.get(key) ?? { from: t.from, to: t.to, transitions: [] };
    g.transitions.push(t);
    pairs.set(key, g);
  }
  return [...pairs.values()];
}

/** A loop under the box (figure 5 draws none; TIME_WAIT + RCV_FIN is one, 3.10.7.4). */
function selfLoop(n: LayoutNode): { path: string; label: Point } {
  const b = boxOf(n);
  const s: Point = [n.x - 18, b.y1];
  const e: Point = [n.x + 18, b.y1];
  const path = `M${pt(s)} C${pt([n.x - 48, b.y1 + 42])} ${pt([n.x + 48, b.y1 + 42])} ${pt(e)}`;
  return { path, label: [n.x, b.y1 + 46] };
}

/** A straight edge between two boxes, shifted sideways when the reverse edge exists too. */
function straight(a: LayoutNode, b: LayoutNode, shift: number): Geometry {
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const nx = -(b.y - a.y) / len;
  const ny = (b.x - a.x) / len;
  const a0: Point = [a.x + nx * shift, a.y + ny * shift];
  const b0: Point = [b.x + nx * shift, b.y + ny * shift];
  const s = exitPoint(boxOf(a), a0, b0);
  const e = exitPoint(boxOf(b), b0, a0);
  const mid: Point = [(s[0] + e[0]) / 2, (s[1] + e[1]) / 2];
  // Label beside the middle of the line, on the side it was shifted to (or the outer side).
  const side = shift !== 0 ? Math.sign(shift) : 1;
  const vertical = Math.abs(e[0] - s[0]) < 4;
  if (vertical) {
    const dir = nx * side >= 0 ? 1 : -1;
    return { path: `M${pt(s)} L${pt(e)}`, label: [mid[0] + dir * 8, mid[1] + 4], anchor: dir > 0 ? 'start' : 'end' };
  }
  const horizontal = Math.abs(e[1] - s[1]) < 4;
  if (horizontal) {
    const dir = ny * side >= 0 ? 1 : -1;
    return { path: `M${pt(s)} L${pt(e)}`, label: [mid[0], mid[1] + (dir > 0 ? 15 : -6)], anchor: 'middle' };
  }
  // Diagonal: hang the label off the line on the outer side of its bend.
  const ox = nx * side;
  const oy = ny * side;
  return {
    path: `M${pt(s)} L${pt(e)}`,
    label: [mid[0] + ox * 8, mid[1] + oy * 8 + (oy > 0 ? 9 : 0)],
    anchor: ox >= 0 ? 'start' : 'end',
  };
}

/**
 * A long edge into the top node (CLOSED): out of the side of its box, to a lane at the edge of the
 * chart, up, and in. Figure 5 edges and quiet ones (RST, ABORT, timeouts) use separate lanes so the
 * solid ones stay visible. Right-hand lanes enter the target's top (its right side is for SYN_SENT),
 * nested so they never cross: the outer lane runs higher and turns down nearer the centre.
 */
function laned(a: LayoutNode, b: LayoutNode, figure: boolean, others: readonly LayoutNode[]): Geometry {
  const goRight = a.x >= b.x;
  const laneX = goRight ? (figure ? LANE.rightFigure : LANE.rightQuiet) : LANE.leftQuiet;
  const ab = boxOf(a);
  const bb = boxOf(b);
  const sideX = goRight ? ab.x1 : ab.x0;
  const step = goRight ? 1 : -1;
  const tail: Point[] = goRight
    ? (() => {
        const topY = figure ? bb.y0 - 11 : bb.y0 - 22;
        const entryX = figure ? b.x + 36 : b.x + 18;
        return [[laneX, topY], [entryX, topY], [entryX, bb.y0]];
      })()
    : [[laneX, b.y], [bb.x0, b.y]];
  const start: Point = [sideX, a.y];
  const blocked = others.some((o) => o !== a && segmentCrosses(boxOf(o), start, [laneX, a.y]));
  // When the way to the lane is blocked by a box, drop below the own box first.
  const below = ab.y1 + 20;
  const sy = a.y + a.h / 4;
  const head: Point[] = blocked
    ? [[sideX, sy], [sideX + step * 22, sy], [sideX + step * 22, below], [laneX, below]]
    : [start, [laneX, a.y]];
  const label: Point = blocked ? [sideX + step * 28, ab.y1 + 16] : [sideX + step * 6, a.y - 5];
  return { path: rounded([...head, ...tail]), label, anchor: goRight ? 'start' : 'end' };
}

/**
 * A two-way pair between boxes in different rows and columns (CLOSED and SYN_SENT): two nested
 * elbows as in figure 5, the downward one outside, each labelled on its outer side.
 */
function elbow(a: LayoutNode, b: LayoutNode): Geometry {
  const ab = boxOf(a);
  const bb = boxOf(b);
  if (a.y < b.y) {
    // Down: out of a's side, across above the other elbow, down into b's top.
    const s = Math.sign(b.x - a.x) || 1;
    const y = a.y - 7;
    const x = b.x + s * 15;
    const start: Point = [s > 0 ? ab.x1 : ab.x0, y];
    return { path: rounded([start, [x, y], [x, bb.y0]]), label: [start[0] + s * 8, y - 5], anchor: s > 0 ? 'start' : 'end' };
  }
  // Up: out of a's top, up, across into b's side below the other elbow.
  const s = Math.sign(b.x - a.x) || 1;
  const x = a.x + s * 15;
  const y = b.y + 7;
  const end: Point = [s > 0 ? bb.x0 : bb.x1, y];
  return { path: rounded([[x, ab.y0], [x, y], end]), label: [end[0] - s * 8, y + 14], anchor: s > 0 ? 'end' : 'start' };
}

/** The chart's layout for `input` (default: the machine). Throws for a state with no position. */
export function layout(input: LayoutInput = machineInput()): StateChartLayout {
  const nodes: LayoutNode[] = input.states.map((state) => {
    const p = POSITIONS[state];
    if (p === undefined) {
      throw new Error(`state chart: no position for state ${state}; add it to POSITIONS in web/src/statechart/layout.ts`);
    }
    return { state, x: p[0], y: p[1], w: NODE_W, h: NODE_H, badgeX: p[0] + NODE_W / 2 - 10, badgeY: p[1] + NODE_H / 2 - 6 };
  });
  // Badges hang over the bottom edge of their box, except on the top box (CLOSED), where the two
  // edges down to LISTEN and their labels are: there they go to its left, where only a lane runs.
  const topNode = nodes.reduce((best, n) => (n.y < best.y ? n : best), nodes[0]!);
  if (topNode !== undefined) {
    topNode.badgeX = topNode.x - topNode.w / 2 - 8;
    topNode.badgeY = topNode.y - topNode.h / 2 + 2;
  }
  const byState = new Map(nodes.map((n) => [n.state, n]));
  const groups = groupEdges(input.transitions);
  const pairs = new Set(groups.map((g) => `${g.from}->${g.to}`));

  const edges = groups.map((g): LayoutEdge => {
    const a = byState.get(g.from);
    const b = byState.get(g.to);
    if (a === undefined || b === undefined) {
      throw new Error(`state chart: transition ${g.from} -> ${g.to} names a state that is not in the machine`);
    }
    const sorted = [...g.transitions].sort((x, y) => ORIGIN_RANK[x.origin] - ORIGIN_RANK[y.origin]);
    const origin = sorted[0]!.origin;
    const figureEvents = sorted.filter((t) => t.origin === 'figure').map((t) => t.event);
    const events = sorted.map((t) => t.event);
    let geometry: Geometry;
    let routed = false;
    if (a === b) {
      const loop = selfLoop(a);
      geometry = { ...loop, anchor: 'middle' };
    } else {
      const reverse = pairs.has(`${g.to}->${g.from}`);
      const aligned = Math.abs(a.x - b.x) < NODE_W / 2 || Math.abs(a.y - b.y) < NODE_H;
      // Each direction of an aligned two-way pair keeps to its right-hand side (the normal flips with it).
      const direct = reverse && !aligned ? elbow(a, b) : straight(a, b, reverse ? 13 : 0);
      const crosses = nodes.some((n) => n !== a && n !== b && segmentCrosses(boxOf(n), [a.x, a.y], [b.x, b.y]));
      const quietIntoTop = b === topNode && figureEvents.length === 0 && a.y - b.y > 2 * NODE_H * 2;
      if (b === topNode && (crosses || quietIntoTop)) {
        geometry = laned(a, b, figureEvents.length > 0, nodes);
        routed = true;
      } else {
        geometry = direct;
      }
    }
    return {
      key: `${g.from}->${g.to}`,
      from: g.from,
      to: g.to,
      events,
      origin,
      label: (figureEvents.length > 0 ? figureEvents : events).join(', '),
      details: sorted.map((t) => `${t.event}: ${t.label}`),
      path: geometry.path,
      labelX: r(geometry.label[0]),
      labelY: r(geometry.label[1]),
      labelAnchor: geometry.anchor,
      routed,
    };
  });
  return { width: WIDTH, height: HEIGHT, nodes, edges };
}
