// The event list beside the diagram: every row in words (the diagram's text alternative), the current one
// marked aria-current and scrolled into view; clicking one makes it current. A long run's list is windowed:
// only the rows around what the list shows are in the page, the rest stand as padding, so a 10,000-segment
// trace costs a few hundred list items, not 10,000 (each frame's layout and paint walk every item).
import type { DiagramModel } from '../../../src/render/diagram/types.js';
import { eventText, laneNames } from '../app/event-text.js';
import { el } from './dom.js';

export interface EventList {
  show(model: DiagramModel, violations: ReadonlyMap<number, readonly string[]>): void;
  step(row: number | undefined): void;
  clear(): void;
}

/** Runs with more rows than this are windowed; shorter ones have every row in the page. */
export const WINDOWED_ABOVE = 1000;
/** Rows in the page at once when windowed: several boxes' worth above and below what is shown. */
export const WINDOW_ROWS = 150;
/** A row's height before one is measured (two lines, style.css). */
const ROW_HEIGHT = 32;

export function eventList(list: HTMLOListElement, onSelect: (row: number) => void): EventList {
  let rows = 0;
  /** The rows in the page: [first, first + items.length). */
  let first = 0;
  let items: HTMLLIElement[] = [];
  let current: number | undefined;
  let rowHeight = ROW_HEIGHT;
  let make: (row: number) => HTMLLIElement = () => document.createElement('li');
  let windowed = false;
  let pending = false;

  list.addEventListener('click', (ev) => {
    const li = (ev.target as Element | null)?.closest('li[data-row]');
    if (li) onSelect(Number((li as HTMLElement).dataset.row));
  });

  /** Puts rows [start, start + WINDOW_ROWS) in the page, the rows before and after as padding. */
  const render = (start: number) => {
    const end = windowed ? Math.min(rows, start + WINDOW_ROWS) : rows;
    first = windowed ? Math.max(0, Math.min(start, end - WINDOW_ROWS)) : 0;
    items = [];
    for (let row = first; row < end; row++) items.push(make(row));
    if (current !== undefined && current >= first && current < end) items[current - first]!.setAttribute('aria-current', 'step');
    list.replaceChildren(...items);
    if (!windowed) return;
    const shown = items.length;
    if (shown > 1) {
      const h = (items[shown - 1]!.offsetTop + items[shown - 1]!.offsetHeight - items[0]!.offsetTop) / shown;
      if (h > 0) rowHeight = h;
    }
    // CSSOM (the CSP allows it): the rows not in the page keep their place in the scroll height.
    list.style.paddingTop = `${Math.round(first * rowHeight)}px`;
    list.style.paddingBottom = `${Math.round((rows - first - shown) * rowHeight)}px`;
  };
  /** The window around the list's scroll position, moved when that comes near its edge. */
  const follow = () => {
    const top = Math.floor(list.scrollTop / rowHeight);
    const visible = Math.ceil(list.clientHeight / rowHeight);
    const margin = Math.floor(WINDOW_ROWS / 6);
    if (top < first + margin && first > 0) render(top + visible - WINDOW_ROWS + margin);
    else if (top + visible > first + items.length - margin && first + items.length < rows) render(top - margin);
  };
  list.addEventListener('scroll', () => {
    if (!windowed || pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      follow();
    });
  });

  return {
    show(model, violations) {
      const names = laneNames(model.lanes);
      rows = model.items.length;
      windowed = rows > WINDOWED_ABOVE;
      current = undefined;
      make = (row) => {
        const item = model.items[row]!;
        const text = eventText(model, names, item, violations.get(item.index));
        const li = el('li', `event ${item.kind}${item.kind === 'segment' && item.loss ? ' lost' : ''}${violations.has(item.index) ? ' violation' : ''}`);
        li.dataset.row = String(row);
        if (windowed) {
          // Where it stands in the whole list, for screen readers (the list holds a window of it).
          li.setAttribute('aria-posinset', String(row + 1));
          li.setAttribute('aria-setsize', String(rows));
        }
        li.append(el('span', 'time', text.time), el('span', 'who', text.who), el('span', 'what', text.what));
        return li;
      };
      list.style.overflowAnchor = windowed ? 'none' : '';
      list.style.paddingTop = '';
      list.style.paddingBottom = '';
      list.scrollTop = 0;
      render(0);
    },
    step(row) {
      if (current !== undefined) items[current - first]?.removeAttribute('aria-current');
      current = row;
      if (row === undefined) return;
      if (row < first || row >= first + items.length) render(row - Math.floor(WINDOW_ROWS / 2));
      const li = items[row - first];
      if (!li) return;
      li.setAttribute('aria-current', 'step');
      // Scroll only the list, not the page.
      const top = li.offsetTop; // the list is position: relative (style.css)
      if (top < list.scrollTop || top + li.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = Math.max(0, top - list.clientHeight / 2);
      }
    },
    clear() {
      rows = 0;
      items = [];
      current = undefined;
      windowed = false;
      list.style.paddingTop = '';
      list.style.paddingBottom = '';
      list.replaceChildren();
    },
  };
}
