// The legend under the controls: the colour of each TCP state's bar, and the marks on arrows.
import { STATE_COLOURS } from '../../../src/render/svg/style.js';
import { el } from './dom.js';

export function legend(node: HTMLElement): void {
  const states = el('ul', 'legend-states');
  states.setAttribute('aria-label', 'State colours');
  for (const [state, colour] of Object.entries(STATE_COLOURS)) {
    const li = el('li');
    const swatch = el('span', 'swatch');
    // CSSOM (element.style), which the CSP allows; a style="" attribute it would block.
    swatch.style.background = colour;
    li.append(swatch, el('span', undefined, state));
    states.append(li);
  }
  const marks = el('ul', 'legend-marks');
  for (const [mark, text] of [
    ['✕', 'lost packet'],
    ['(rtx)', 'retransmission'],
    ['(dup)', 'duplicate copy'],
    ['⚠', 'broke a rule (capture)'],
  ] as const) {
    const li = el('li');
    li.append(el('b', undefined, mark), el('span', undefined, ` ${text}`));
    marks.append(li);
  }
  node.replaceChildren(states, marks);
  node.hidden = false;
}
