// The gallery of built-in scenarios (scenarios/*.yaml, bundled): each a button with its name and its
// one-line summary; clicking one runs it.
import type { BuiltinScenario } from '../engine/builtins.js';
import { el } from './dom.js';

export interface Gallery {
  /** Marks the scenario being shown (or none). */
  mark(name: string | undefined): void;
  /** Folds the gallery away (more room for the diagram) or opens it. */
  open(on: boolean): void;
}

/** Below this window width the gallery folds away once a run is open; the header's button brings it back. */
const ROOM_FOR_GALLERY = 1700;

export function gallery(
  list: HTMLOListElement,
  toggle: HTMLButtonElement,
  layout: HTMLElement,
  scenarios: readonly BuiltinScenario[],
  onPick: (s: BuiltinScenario) => void,
): Gallery {
  const open = (on: boolean) => {
    layout.classList.toggle('gallery-closed', !on);
    toggle.setAttribute('aria-expanded', String(on));
  };
  toggle.addEventListener('click', () => open(layout.classList.contains('gallery-closed')));
  const buttons = new Map<string, HTMLButtonElement>();
  for (const s of scenarios) {
    const button = el('button', 'scenario');
    button.type = 'button';
    button.dataset.scenario = s.name;
    button.append(el('span', 'name', s.name.replace(/-/g, ' ')), el('span', 'summary', s.summary));
    button.addEventListener('click', () => {
      if (window.innerWidth < ROOM_FOR_GALLERY) open(false);
      onPick(s);
    });
    const li = el('li');
    li.append(button);
    list.append(li);
    buttons.set(s.name, button);
  }
  return {
    open,
    mark(name) {
      for (const [n, b] of buttons) {
        if (n === name) b.setAttribute('aria-current', 'true');
        else b.removeAttribute('aria-current');
      }
    },
  };
}
