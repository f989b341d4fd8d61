// The event list (web/src/ui/event-list.ts) on a long run: only a window of rows is in the page (each frame's
// layout walks every list item), the current row always among them; a short run has every row. In linkedom,
// which lays nothing out: the rows present, not their places.
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagramModel } from '../../../src/render/diagram/model.js';
import type { TraceEvent } from '../../../src/sim/trace.js';
import { eventList, WINDOW_ROWS, WINDOWED_ABOVE } from '../../../web/src/ui/event-list.js';
import { makeTrace, segment } from '../../render/trace-builders.js';

const A = '10.0.0.1:40000';
const B = '10.0.0.2:80';

function modelOf(rows: number) {
  const events: TraceEvent[] = [];
  for (let i = 0; i < rows; i++) events.push(segment(i * 1000, i % 2 ? B : A, i % 2 ? A : B, ['ACK'], 1000 + i, 5000 + i));
  return diagramModel(makeTrace(events));
}

describe('the event list', () => {
  const globals = globalThis as unknown as { document?: unknown };
  let saved: unknown;
  let list: HTMLOListElement;
  beforeAll(() => {
    saved = globals.document;
    const { document } = parseHTML('<!doctype html><html><body><ol id="event-list"></ol></body></html>');
    globals.document = document;
    list = document.getElementById('event-list') as unknown as HTMLOListElement;
  });
  afterAll(() => {
    globals.document = saved;
  });

  const rowsIn = () => [...list.querySelectorAll('li')].map((li) => Number(li.getAttribute('data-row')));

  it('has every row of a short run, the current one marked', () => {
    const view = eventList(list, () => {});
    view.show(modelOf(40), new Map());
    expect(rowsIn()).toEqual([...Array(40).keys()]);
    view.step(39);
    expect(list.querySelector('li[aria-current]')?.getAttribute('data-row')).toBe('39');
  });

  it('keeps a window of a long run\'s rows, and moves it to a row made current', () => {
    const rows = WINDOWED_ABOVE * 5;
    const view = eventList(list, () => {});
    view.show(modelOf(rows), new Map());
    expect(rowsIn()).toEqual([...Array(WINDOW_ROWS).keys()]);
    view.step(3000);
    const now = rowsIn();
    expect(now.length).toBe(WINDOW_ROWS);
    expect(now).toContain(3000);
    expect(now).toEqual([...Array(WINDOW_ROWS).keys()].map((i) => now[0]! + i)); // contiguous
    const current = list.querySelectorAll('li[aria-current]');
    expect(current.length).toBe(1);
    expect(current[0]!.getAttribute('data-row')).toBe('3000');
    // Each item says where it stands in the whole list.
    expect(current[0]!.getAttribute('aria-posinset')).toBe('3001');
    expect(current[0]!.getAttribute('aria-setsize')).toBe(String(rows));
    view.step(rows - 1);
    expect(rowsIn().at(-1)).toBe(rows - 1);
    expect(list.querySelectorAll('li[aria-current]').length).toBe(1);
  });

  it('reports a click on a row by its number', () => {
    let clicked: number | undefined;
    const view = eventList(list, (row) => (clicked = row));
    view.show(modelOf(WINDOWED_ABOVE + 10), new Map());
    view.step(WINDOWED_ABOVE + 5);
    const li = list.querySelector(`li[data-row="${WINDOWED_ABOVE + 5}"] .what`)!;
    li.dispatchEvent(new (list.ownerDocument.defaultView as unknown as typeof globalThis).Event('click', { bubbles: true }));
    expect(clicked).toBe(WINDOWED_ABOVE + 5);
  });
});
