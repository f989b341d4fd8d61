// The event list beside the diagram: every row in words (the diagram's text alternative), the current one
// marked aria-current and scrolled into view; clicking one makes it current.
import type { DiagramModel } from '../../../src/render/diagram/types.js';
import { eventText, laneNames } from '../app/event-text.js';
import { el } from './dom.js';

export interface EventList {
  show(model: DiagramModel, violations: ReadonlyMap<number, readonly string[]>): void;
  step(row: number | undefined): void;
  clear(): void;
}

export function eventList(list: HTMLOListElement, onSelect: (row: number) => void): EventList {
  let items: HTMLLIElement[] = [];
  let current: HTMLLIElement | undefined;
  list.addEventListener('click', (ev) => {
    const li = (ev.target as Element | null)?.closest('li[data-row]');
    if (li) onSelect(Number((li as HTMLElement).dataset.row));
  });
  return {
    show(model, violations) {
      const names = laneNames(model.lanes);
      const frag = document.createDocumentFragment();
      items = model.items.map((item, row) => {
        const text = eventText(model, names, item, violations.get(item.index));
        const li = el('li', `event ${item.kind}${item.kind === 'segment' && item.loss ? ' lost' : ''}${violations.has(item.index) ? ' violation' : ''}`);
        li.dataset.row = String(row);
        li.append(el('span', 'time', text.time), el('span', 'who', text.who), el('span', 'what', text.what));
        frag.append(li);
        return li;
      });
      current = undefined;
      list.replaceChildren(frag);
    },
    step(row) {
      current?.removeAttribute('aria-current');
      current = row === undefined ? undefined : items[row];
      if (!current) return;
      current.setAttribute('aria-current', 'step');
      // Scroll only the list, not the page.
      const top = current.offsetTop; // the list is position: relative (style.css)
      if (top < list.scrollTop || top + current.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = Math.max(0, top - list.clientHeight / 2);
      }
    },
    clear() {
      items = [];
      current = undefined;
      list.replaceChildren();
    },
  };
}
