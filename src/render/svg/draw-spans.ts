// Each socket's states as coloured bars beside its lifeline, and protocol timers as thin spans left of it.
import { formatTime } from '../format-time.js';
import type { BarPosition } from '../diagram/positions.js';
import type { StateSpan, TimerSpan } from '../diagram/types.js';
import { STATE_COLOURS } from './style.js';
import type { DrawContext, G } from './types.js';

const TIMER_NAMES: Record<string, string> = {
  retransmit: 'retransmission timer (RTO)',
  delayedAck: 'delayed ACK timer',
  timeWait: 'TIME_WAIT timer (2MSL)',
  finWait2: 'FIN_WAIT_2 timer',
  synAck: 'SYN-ACK retransmission timer',
  persist: 'persist timer (zero-window probe)',
};

export function drawStateBars(g: G, ctx: DrawContext, width: number): void {
  const bars = ctx.pos.stateBars.filter((b) => ctx.visible(b.y0, b.y1));
  g.selectAll<SVGRectElement, BarPosition<StateSpan>>('rect.state-bar')
    .data(bars, (d) => `${d.span.socket}@${d.span.from}`)
    .join((enter) => {
      const r = enter.append('rect');
      r.append('title');
      return r;
    })
    // A class only for a state the style knows: a trace's state name is user text, never an attribute token (issue 10).
    .attr('class', (d) => `state-bar state-${Object.hasOwn(STATE_COLOURS, d.span.state) ? d.span.state : 'other'}`)
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y0)
    .attr('width', width)
    .attr('height', (d) => Math.max(1, d.y1 - d.y0))
    .select('title')
    .text((d) => `${d.span.socket}: ${d.span.state} from ${formatTime(d.span.from)} to ${formatTime(d.span.to)}`);
}

export function drawTimerBars(g: G, ctx: DrawContext): void {
  const bars = ctx.pos.timerBars.filter((b) => ctx.visible(b.y0, b.y1));
  const timer = g
    .selectAll<SVGGElement, BarPosition<TimerSpan>>('g.timer')
    .data(bars, (d) => `${d.span.socket} ${d.span.timer}@${d.span.from}`)
    .join((enter) => {
      const e = enter.append('g').attr('class', 'timer');
      e.append('line').attr('class', 'timer-bar');
      e.append('circle').attr('class', 'timer-end').attr('r', 2.5);
      e.append('title');
      return e;
    });
  timer
    .select('line')
    .attr('class', (d) => `timer-bar ${d.span.end}`)
    .attr('x1', (d) => d.x)
    .attr('x2', (d) => d.x)
    .attr('y1', (d) => d.y0)
    .attr('y2', (d) => d.y1);
  timer
    .select('circle')
    .attr('cx', (d) => d.x)
    .attr('cy', (d) => d.y1)
    .attr('display', (d) => (d.span.end === 'fired' ? null : 'none'));
  timer
    .select('title')
    .text((d) => `${TIMER_NAMES[d.span.timer] ?? d.span.timer}: armed at ${formatTime(d.span.from)}, ${d.span.end === 'pending' ? 'still armed at the end' : `${d.span.end} at ${formatTime(d.span.to)}`}`);
}
