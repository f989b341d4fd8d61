// Above the diagram: the run's title and summary, whether the scenario's expectations held, and for a
// replayed capture the packets that broke a rule (each a button that jumps to its row).
import type { DiagramModel } from '../../../src/render/diagram/types.js';
import type { Run } from '../app/load-run.js';
import { eventText, laneNames } from '../app/event-text.js';
import { byId, el } from './dom.js';

export function heading(onJump: (row: number) => void): (run: Run, model: DiagramModel) => void {
  const title = byId('run-title');
  const summary = byId('run-summary');
  const checks = byId('run-checks');
  const box = byId('violations');
  return (run, model) => {
    const { source, trace } = run;
    title.textContent = source.kind === 'scenario' ? source.name.replace(/-/g, ' ') : source.name;
    const segs = model.items.filter((i) => i.kind === 'segment').length;
    const what = source.kind === 'capture' ? `Capture replayed (${run.settings.profile} rules)` : source.kind === 'trace' ? 'Trace' : `Profile ${run.settings.profile}, seed ${run.settings.seed}`;
    summary.textContent = `${source.summary ? `${source.summary}. ` : ''}${what}: ${segs} packets, ${model.items.length} events, ${trace.hosts.length} hosts.`;
    if (run.checks.length > 0) {
      const failed = run.checks.filter((c) => !c.ok);
      checks.textContent =
        failed.length === 0
          ? `✓ The scenario's ${run.checks.length} expectations hold.`
          : `✗ ${failed.length} of ${run.checks.length} expectations fail: ${failed.map((c) => `${c.what}${c.actual ? ` (got ${c.actual})` : ''}`).join('; ')}`;
      checks.className = `checks ${failed.length === 0 ? 'ok' : 'failed'}`;
    } else {
      checks.textContent = '';
    }
    box.replaceChildren();
    box.hidden = run.violations.size === 0;
    if (run.violations.size > 0) {
      const names = laneNames(model.lanes);
      box.append(el('h3', undefined, `⚠ ${run.violations.size} packet${run.violations.size === 1 ? '' : 's'} broke a rule`));
      const list = el('ul');
      model.items.forEach((item, row) => {
        const rules = run.violations.get(item.index);
        if (!rules || item.kind !== 'segment') return;
        const t = eventText(model, names, item, rules);
        const b = el('button', 'violation-link', `${t.time}  ${t.who}  ${t.what}`);
        b.title = `broke: ${rules.join(', ')} (docs/reading-captures.md); click to inspect it`;
        b.type = 'button';
        b.addEventListener('click', () => onJump(row));
        const li = el('li');
        li.append(b);
        list.append(li);
      });
      box.append(list);
    }
    for (const id of ['playback', 'how-to-read', 'exports', 'diagram-scroll']) byId(id).hidden = false;
    byId('welcome').hidden = true;
    // The page's legend is for before a run; a drawn diagram carries its own key under it.
    byId('legend').hidden = document.querySelector('#diagram .legend') !== null;
  };
}
