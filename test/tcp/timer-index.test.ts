// The stack's heap of connection timers: the earliest deadline on top, a moved deadline re-filed,
// and the due entries handed out in table order (a scan of the 4-tuple table fired them that way).
import { describe, expect, it } from 'vitest';
import { TimerIndex, type TimerEntry } from '../../src/tcp/timer-index.js';

const entry = (order: number): TimerEntry => ({ order, pos: -1 });

describe('TimerIndex', () => {
  it('keeps the earliest deadline on top as deadlines are filed, moved and taken out', () => {
    const index = new TimerIndex<TimerEntry>();
    const [a, b, c] = [entry(1), entry(2), entry(3)];
    index.schedule(a, 300);
    index.schedule(b, 100);
    index.schedule(c, 200);
    expect(index.next()).toBe(100);
    index.schedule(b, 400); // moved later
    expect(index.next()).toBe(200);
    index.schedule(c, undefined); // disarmed
    expect(index.next()).toBe(300);
    expect(c.pos).toBe(-1);
    index.schedule(a, 50); // moved earlier
    expect(index.next()).toBe(50);
    expect(index.size).toBe(2);
  });

  it('hands out the due entries in table order, whatever their deadlines, and leaves the rest', () => {
    const index = new TimerIndex<TimerEntry>();
    const entries = [5, 1, 4, 2, 3].map(entry);
    const deadlines = [10, 30, 20, 10, 99];
    entries.forEach((e, i) => index.schedule(e, deadlines[i]));
    const due = index.takeDue(30);
    expect(due.map((e) => e.order)).toEqual([1, 2, 4, 5]);
    expect(due.every((e) => e.pos === -1)).toBe(true);
    expect(index.next()).toBe(99);
    expect(index.takeDue(98)).toEqual([]);
  });

  it('stays a heap through many random moves (checked against a sorted copy)', () => {
    const index = new TimerIndex<TimerEntry>();
    const entries = Array.from({ length: 200 }, (_, i) => entry(i));
    const at = new Map<TimerEntry, number>();
    let x = 12345;
    const rand = () => (x = (x * 1103515245 + 12345) >>> 0) % 1000;
    for (let step = 0; step < 5000; step++) {
      const e = entries[rand() % entries.length]!;
      const t = rand() < 100 ? undefined : rand();
      index.schedule(e, t);
      if (t === undefined) at.delete(e);
      else at.set(e, t);
      const min = Math.min(...at.values());
      expect(index.next()).toBe(at.size === 0 ? undefined : min);
    }
  });
});
