// The web app's entry: builds the views on the page's elements (index.html) and wires them to the
// controller. Opens what the URL's fragment carries, if anything.
import './statechart/statechart.css';
import './style.css';
import { builtinScenarios, type BuiltinScenario } from './engine/builtins.js';
import { classifyFile } from './app/open-file.js';
import { decodeShare, fromBase64url, isShareFragment } from './app/share-codec.js';
import type { RunSource } from './app/load-run.js';
import { DEFAULT_SETTINGS, type Settings } from './app/settings.js';
import { controller } from './ui/controller.js';
import { diagramView } from './ui/diagram-view.js';
import { byId } from './ui/dom.js';
import { eventList } from './ui/event-list.js';
import { exportButtons } from './ui/export-buttons.js';
import { fileDrop } from './ui/file-drop.js';
import { gallery } from './ui/gallery.js';
import { heading } from './ui/heading.js';
import { inspector } from './ui/inspector.js';
import { keyboard } from './ui/keyboard.js';
import { legend } from './ui/legend.js';
import { messageLine } from './ui/message.js';
import { playback } from './ui/playback.js';
import { settingsForm } from './ui/settings-form.js';
import { shareLink } from './ui/share-link.js';
import { statePanel } from './ui/state-panel.js';
import { themeToggle } from './ui/theme.js';

const message = messageLine(byId('message'));
let app: ReturnType<typeof controller>;

const diagram = diagramView(
  byId('diagram-scroll'),
  byId<SVGSVGElement>('diagram'),
  { box: byId('lane-heads'), svg: byId<SVGSVGElement>('lane-heads-svg') },
  (row) => app.select(row),
);
const states = statePanel(byId<SVGSVGElement>('statechart'), byId('states-text'));
const player = playback(
  {
    first: byId('step-first'),
    back: byId('step-back'),
    play: byId('play'),
    forward: byId('step-forward'),
    last: byId('step-last'),
    speed: byId('speed'),
    scrubber: byId('scrubber'),
    position: byId('position'),
  },
  (row) => app.setRow(row),
);
const share = shareLink(byId('copy-link'), (err) => message.error(err), (text) => message.note(text));
let builtins: BuiltinScenario[] = [];
let marks: ReturnType<typeof gallery> | undefined;

app = controller({
  diagram,
  events: eventList(byId('event-list') as HTMLOListElement, (row) => app.select(row, true)),
  states,
  inspector: inspector(byId('inspector')),
  player,
  settings: settingsForm(byId('settings') as HTMLFormElement, (s) => void app.rerun(s), (m) => message.error(m)),
  share,
  message,
  heading: heading((row) => app.select(row, true)),
});

const theme = themeToggle(byId('theme-toggle') as HTMLButtonElement, (t) => {
  diagram.theme(t);
  states.theme(t);
});
legend(byId('legend'));

const help = byId('help');
const helpButton = byId('help-toggle');
const toggleHelp = () => {
  help.hidden = !help.hidden;
  helpButton.setAttribute('aria-expanded', String(!help.hidden));
};
helpButton.addEventListener('click', toggleHelp);
keyboard(player, toggleHelp);

/** plant: only from a counterexample's link (a click on the gallery plants nothing). */
const runBuiltin = (s: BuiltinScenario, settings: Settings = DEFAULT_SETTINGS, row = 0, plant?: RunSource['plant']) => {
  marks?.mark(s.name);
  return app.open({ kind: 'scenario', name: s.name, fileName: `scenarios/${s.name}.yaml`, text: s.text, summary: s.summary, ...(plant ? { plant } : {}) }, settings, row);
};

try {
  builtins = builtinScenarios();
  marks = gallery(byId('gallery-list') as HTMLOListElement, byId('gallery-toggle') as HTMLButtonElement, byId('layout'), builtins, (s) => void runBuiltin(s));
} catch (err) {
  message.error(err);
}

// The welcome's button does what the gallery's first entry does.
byId('start-handshake').addEventListener('click', () => {
  document.querySelector<HTMLButtonElement>('#gallery-list button.scenario')?.click();
});

exportButtons(
  byId('exports'),
  () => {
    const cur = app.current();
    return cur && { trace: cur.run.trace, violations: cur.run.violations, name: cur.run.source.name, theme: theme() };
  },
  (err) => message.error(err),
);

fileDrop(
  byId('file-input') as HTMLInputElement,
  byId('drop-zone'),
  (name, bytes) => {
    const file = classifyFile(name, bytes);
    marks?.mark(undefined);
    const settings = { ...DEFAULT_SETTINGS, profile: app.current()?.run.settings.profile ?? 'linux' };
    if (file.kind === 'capture') void app.open({ kind: 'capture', name, fileName: name, bytes: file.bytes }, settings);
    else void app.open({ kind: file.kind, name, fileName: name, text: file.text ?? '' }, settings);
  },
  (err) => message.error(err),
);

/** Opens the run a link's fragment carries, at its row. */
async function openFragment(hash: string): Promise<void> {
  if (!isShareFragment(hash) || hash === share.written()) return;
  try {
    const run = await decodeShare(hash);
    const builtin = run.kind === 'scenario' ? builtins.find((b) => b.name === run.name && b.text === run.text) : undefined;
    marks?.mark(builtin?.name);
    const plant = run.plant ? { plant: run.plant } : {};
    if (builtin) await runBuiltin(builtin, run.settings, run.row, run.plant);
    else if (run.kind === 'capture') await app.open({ kind: 'capture', name: run.name, fileName: run.name, bytes: fromBase64url(run.capture ?? '') }, run.settings, run.row);
    else await app.open({ kind: run.kind, name: run.name, fileName: run.name, text: (run.kind === 'scenario' ? run.text : run.trace) ?? '', ...plant }, run.settings, run.row);
  } catch (err) {
    message.error(err);
  }
}

window.addEventListener('hashchange', () => void openFragment(location.hash));
void openFragment(location.hash);
