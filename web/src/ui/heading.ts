// Above the diagram: the run's title and summary, a notice when test-only bugs are planted in the engine (a
// `synack check` counterexample's link), whether the scenario's expectations held, and the events that broke a
// rule: a replayed capture's packets, or a scenario run's events that broke one of `synack check`'s invariants
// (each a button that jumps to its row).
import type { DiagramModel } from '../../../src/render/diagram/types.js';
import type { Run } from '../app/load-run.js';
import { eventText, laneNames } from '../app/event-text.js';
import { byId, el } from './dom.js';

/** The notice's words for planted bugs (text, never markup). */
export function plantedNotice(plant: readonly string[]): string {
  return `Planted bug${plant.length === 1 ? '' : 's'} ${plant.join(', ')}: a deliberately broken engine, as in the test of synack check`;
}

/** "⚠ 1 packet broke a rule" (a capture), "⚠ 2 events broke an invariant: time-wait-length" (a scenario run); n: how many. */
export function violationsTitle(run: Pick<Run, 'source' | 'broken'>, n: number): string {
  if (run.source.kind === 'capture') return `⚠ ${n} packet${n === 1 ? '' : 's'} broke a rule`;
  const names = [...new Set(run.broken.map((b) => b.invariant))];
  return `⚠ ${n} event${n === 1 ? '' : 's'} broke ${names.length === 1 ? 'an invariant' : 'invariants'}${names.length > 0 ? `: ${names.join(', ')}` : ''}`;
}

export function heading(onJump: (row: number) => void): (run: Run, model: DiagramModel) => void {
  const title = byId('run-title');
  const summary = byId('run-summary');
  const checks = byId('run-checks');
  const box = byId('violations');
  // Made here rather than in index.html: the first thing in the run's heading, shown only for planted bugs.
  const planted = el('p', 'planted');
  planted.id = 'planted';
  planted.setAttribute('role', 'note');
  planted.hidden = true;
  title.before(planted);
  return (run, model) => {
    const { source, trace } = run;
    const plant = source.kind === 'scenario' ? (source.plant ?? []) : [];
    planted.hidden = plant.length === 0;
    planted.textContent = plant.length === 0 ? '' : `⚠ ${plantedNotice(plant)}`;
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
      const doc = source.kind === 'capture' ? 'docs/reading-captures.md' : 'docs/check.md';
      const list = el('ul');
      model.items.forEach((item, row) => {
        const rules = run.violations.get(item.index);
        if (!rules) return;
        const t = eventText(model, names, item, rules);
        const b = el('button', 'violation-link', `${t.time}  ${t.who}  ${t.what}`);
        b.title = `broke: ${rules.join(', ')} (${doc}); click to inspect it`;
        b.type = 'button';
        b.addEventListener('click', () => onJump(row));
        const li = el('li');
        li.append(b);
        list.append(li);
      });
      // Counted in rows when there are any (a timer set is a flagged event but no row of the diagram).
      box.append(el('h3', undefined, violationsTitle(run, list.childElementCount || run.violations.size)));
      // A scenario run: each broken invariant's own words (a capture's rules are named on its arrows).
      for (const b of run.broken.slice(0, 5)) box.append(el('p', 'violation-message', `${b.invariant} (${b.rfc}): ${b.message}`));
      if (run.broken.length > 5) box.append(el('p', 'violation-message', `… and ${run.broken.length - 5} more`));
      box.append(list);
    }
    for (const id of ['playback', 'how-to-read', 'exports', 'diagram-scroll']) byId(id).hidden = false;
    byId('welcome').hidden = true;
    // The page's legend is for before a run; a drawn diagram carries its own key under it.
    byId('legend').hidden = document.querySelector('#diagram .legend') !== null;
  };
}
