// The settings form: profile, seed, the default link's latency (ms) and loss (%), and the knobs the scenario
// file sets. Any change re-runs; a bad value is a one-line message (app/settings.ts checks it), never thrown.
import { scenarioKnobs, type ScenarioKnob } from '../engine/run-scenario.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import { parseSettings, type Settings } from '../app/settings.js';
import { el } from './dom.js';

export interface SettingsForm {
  /** Rebuilds the form for a run: scenario settings, a capture's profile only, nothing for a trace. */
  show(kind: 'scenario' | 'trace' | 'capture', settings: Settings, scenarioText?: string, fileName?: string): void;
  hide(): void;
}

function field(label: string, input: HTMLElement, title?: string): HTMLLabelElement {
  const l = el('label', 'field');
  if (title) l.title = title;
  l.append(el('span', undefined, label), input);
  return l;
}

function select_(name: string, options: Array<[string, string]>, value: string): HTMLSelectElement {
  const s = el('select');
  s.name = name;
  for (const [v, text] of options) {
    const o = el('option', undefined, text);
    o.value = v;
    s.append(o);
  }
  s.value = value;
  return s;
}

function input(name: string, value: string, attrs: Record<string, string> = {}): HTMLInputElement {
  const i = el('input');
  i.name = name;
  i.value = value;
  for (const [k, v] of Object.entries(attrs)) i.setAttribute(k, v);
  return i;
}

function knobInput(k: ScenarioKnob, value: unknown): HTMLElement {
  const name = `knob:${k.name}`;
  switch (k.kind) {
    case 'bool':
      return select_(name, [['true', 'on'], ['false', 'off']], String(value));
    case 'enum012':
      return select_(name, [['0', '0'], ['1', '1'], ['2', '2']], String(value));
    case 'rule':
      return select_(name, [['gt', 'gt'], ['ge', 'ge']], String(value));
    case 'portRange':
      return input(name, Array.isArray(value) ? value.join(' ') : String(value), { size: '11' });
    default:
      return input(name, String(value), { inputmode: 'decimal', size: '6' });
  }
}

function knobFromInput(k: ScenarioKnob, raw: string): unknown {
  switch (k.kind) {
    case 'bool':
      return raw === 'true';
    case 'rule':
    case 'portRange':
      return raw;
    default:
      return raw.trim() === '' ? raw : Number(raw);
  }
}

export function settingsForm(form: HTMLFormElement, onChange: (s: Settings) => void, onError: (message: string) => void): SettingsForm {
  let knobs: ScenarioKnob[] = [];
  form.addEventListener('submit', (ev) => ev.preventDefault());
  form.addEventListener('change', () => {
    const data = new FormData(form);
    const str = (name: string) => String(data.get(name) ?? '');
    const knobValues: Record<string, unknown> = {};
    for (const k of knobs) knobValues[k.name] = knobFromInput(k, str(`knob:${k.name}`));
    const got = parseSettings({ profile: str('profile'), seed: str('seed') || '1', latency: str('latency'), loss: str('loss') }, knobValues);
    if ('error' in got) onError(got.error);
    else onChange(got.settings);
  });
  return {
    show(kind, settings, text, fileName) {
      const parts: HTMLElement[] = [
        field('profile', select_('profile', [['linux', 'Linux'], ['rfc9293', 'RFC 9293']], settings.profile), 'Which TCP: Linux\'s behaviour or the RFC\'s letter'),
      ];
      knobs = [];
      if (kind === 'scenario') {
        parts.push(
          field('seed', input('seed', String(settings.seed), { inputmode: 'numeric', size: '6' }), 'Initial sequence numbers and random loss come from the seed'),
          field('latency ms', input('latency', settings.latencyMs === undefined ? '' : String(settings.latencyMs), { inputmode: 'decimal', size: '5', placeholder: 'file' }), 'One-way delay of the network (empty: the file\'s own, 1 ms unless it says)'),
          field('loss %', input('loss', settings.lossPercent === undefined ? '' : String(settings.lossPercent), { inputmode: 'decimal', size: '4', placeholder: 'file' }), 'Chance that each packet is lost (empty: the file\'s own)'),
        );
        try {
          knobs = scenarioKnobs(parseScenarioText(text ?? '', fileName ?? 'scenario'));
        } catch {
          knobs = [];
        }
        for (const k of knobs) parts.push(field(k.name, knobInput(k, settings.knobs[k.name] ?? k.value), `knob ${k.name} (${k.kind})`));
      }
      form.replaceChildren(...parts);
      form.hidden = kind === 'trace';
    },
    hide() {
      form.hidden = true;
    },
  };
}
