// The state chart panel: the TCP state machine (drawn from src/tcp/machine.ts by web/src/statechart) with
// a badge on the state each socket is in at the current row, and the edge of the latest state change marked
// as taken; a line of text says the same for screen readers and tests.
import { select } from 'd3';
import type { DiagramModel } from '../../../src/render/diagram/types.js';
import type { Trace } from '../../../src/sim/trace.js';
import { stateChart } from '../statechart/chart.js';
import { socketLabels, statesAt } from '../statechart/states-at.js';

export interface StatePanel {
  show(trace: Trace, model: DiagramModel): void;
  step(row: number | undefined): void;
  theme(theme: 'light' | 'dark'): void;
  clear(): void;
}

export function statePanel(svg: SVGSVGElement, caption: HTMLElement): StatePanel {
  const chart = stateChart().maxBadges(4);
  let trace: Trace | undefined;
  let model: DiagramModel | undefined;
  let labels = new Map<string, string>();
  let row: number | undefined;

  const draw = () => {
    if (!trace || !model) {
      chart.endpoints([]).lastEdge(undefined);
      caption.textContent = 'No run yet.';
    } else {
      const item = row === undefined ? undefined : model.items[row];
      const at = statesAt(trace, item ? item.index : -1, labels);
      // The latest state change at or before this row: the edge "just taken".
      let edge: ReturnType<typeof statesAt>['edge'];
      for (let r = row ?? -1; r >= 0; r--) {
        const it = model.items[r]!;
        if (it.kind === 'state') {
          edge = statesAt(trace, it.index, labels).edge;
          break;
        }
      }
      chart.endpoints(at.sockets.map((s) => ({ label: s.label, state: s.state })));
      chart.lastEdge(edge ? { from: edge.from, to: edge.to, event: edge.cause } : undefined);
      const where = at.sockets.map((s) => `${s.label}: ${s.state}`).join(' · ');
      caption.textContent = `${where || 'no socket yet'}${edge ? ` — last change: ${edge.label} ${edge.from} → ${edge.to}` : ''}`;
    }
    select(svg).call(chart);
  };

  return {
    show(t, m) {
      trace = t;
      model = m;
      labels = socketLabels(t);
      row = undefined;
    },
    step(r) {
      row = r;
      draw();
    },
    theme(theme) {
      chart.theme(theme);
      draw();
    },
    clear() {
      trace = undefined;
      model = undefined;
      draw();
    },
  };
}
