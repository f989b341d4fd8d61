// The page's state and its one flow: open something (a built-in, a file, a link) with settings -> run it ->
// draw it -> step through its rows. Every view is told the new run and the new row from here; every error
// lands in the message line as one line of text.
import type { DiagramModel } from '../../../src/render/diagram/types.js';
import { loadRun, type Run, type RunSource } from '../app/load-run.js';
import type { Settings } from '../app/settings.js';
import type { DiagramView } from './diagram-view.js';
import type { EventList } from './event-list.js';
import type { Inspector } from './inspector.js';
import type { MessageLine } from './message.js';
import type { Playback } from './playback.js';
import type { SettingsForm } from './settings-form.js';
import type { ShareLink } from './share-link.js';
import type { StatePanel } from './state-panel.js';

export interface Views {
  diagram: DiagramView;
  events: EventList;
  states: StatePanel;
  inspector: Inspector;
  player: Playback;
  settings: SettingsForm;
  share: ShareLink;
  message: MessageLine;
  /** Title, summary, expectations, violations, controls shown or hidden. */
  heading(run: Run, model: DiagramModel): void;
}

export interface Controller {
  open(source: RunSource, settings: Settings, row?: number): Promise<boolean>;
  rerun(settings: Settings): Promise<boolean>;
  setRow(row: number): void;
  /** Make a row current and show it in the inspector (a click on an arrow or an event); scroll: bring it into view. */
  select(row: number, scroll?: boolean): void;
  current(): { run: Run; model: DiagramModel; row: number } | undefined;
}

export function controller(views: Views): Controller {
  let state: { run: Run; model: DiagramModel; row: number } | undefined;
  let generation = 0;

  const showRow = (row: number, scroll = true) => {
    if (!state) return;
    state.row = row;
    views.diagram.step(row, scroll);
    views.events.step(row);
    views.states.step(row);
    views.player.show(row);
    const item = state.model.items[row];
    if (item?.kind === 'segment') views.inspector.show(state.run.trace, state.model, row, state.run.violations);
    views.share.update(state.run, row);
  };

  /** row: the step to show; by default the first event that broke a rule (a capture) or an invariant, else the first row. */
  const open = async (source: RunSource, settings: Settings, row?: number): Promise<boolean> => {
    const mine = ++generation;
    views.player.pause();
    let run: Run;
    try {
      run = await loadRun(source, settings);
    } catch (err) {
      if (mine === generation) views.message.error(err);
      return false;
    }
    if (mine !== generation) return false;
    let model: DiagramModel;
    try {
      model = views.diagram.show(run.trace, run.violations);
    } catch (err) {
      views.message.error(`${source.name}: cannot draw this trace: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    if (run.warnings.length > 0) views.message.note(run.warnings.join('; '));
    else views.message.clear();
    state = { run, model, row: 0 };
    views.settings.show(source.kind, settings, source.text, source.fileName);
    views.events.show(model, run.violations);
    views.states.show(run.trace, model);
    views.inspector.clear();
    views.heading(run, model);
    const last = Math.max(0, model.items.length - 1);
    const flagged = model.items.findIndex((item) => run.violations.has(item.index));
    const at = Math.min(Math.max(0, row ?? (flagged >= 0 ? flagged : 0)), last);
    views.player.reset(model.items.length, at);
    showRow(at);
    return true;
  };

  return {
    open,
    rerun: async (settings) => (state ? open(state.run.source, settings, state.row) : false),
    setRow: (row) => showRow(row),
    select(row, scroll = false) {
      if (!state) return;
      views.player.pause();
      showRow(row, scroll);
      views.inspector.show(state.run.trace, state.model, row, state.run.violations);
    },
    current: () => state,
  };
}
