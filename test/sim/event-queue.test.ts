import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue, type QueueEntry } from '../../src/sim/event-queue.js';

function drain<T>(q: EventQueue<T>): Array<[number, T]> {
  const out: Array<[number, T]> = [];
  for (let e = q.pop(); e !== undefined; e = q.pop()) out.push([e.time, e.item]);
  return out;
}

describe('EventQueue ordering', () => {
  it('pops in time order', () => {
    const q = new EventQueue<string>();
    q.push(500, 'c');
    q.push(100, 'a');
    q.push(300, 'b');
    q.push(0, 'first');
    expect(drain(q)).toEqual([
      [0, 'first'],
      [100, 'a'],
      [300, 'b'],
      [500, 'c'],
    ]);
  });

  it('pops items due at the same time in the order they were pushed', () => {
    const q = new EventQueue<number>();
    for (let i = 0; i < 50; i++) q.push(i % 2 === 0 ? 10 : 5, i);
    const items = drain(q).map(([, item]) => item);
    const odds = Array.from({ length: 25 }, (_, k) => 2 * k + 1);
    const evens = Array.from({ length: 25 }, (_, k) => 2 * k);
    expect(items).toEqual([...odds, ...evens]);
  });

  it('numbers entries in push order from 1, and pops the entries push returned', () => {
    const q = new EventQueue<string>();
    const h1 = q.push(2, 'x');
    const h2 = q.push(1, 'y');
    expect(h1.seq).toBe(1);
    expect(h2.seq).toBe(2);
    const first = q.pop();
    expect(first).toBe(h2);
    expect(first).toMatchObject({ time: 1, seq: 2, item: 'y' });
    expect(q.pop()).toBe(h1);
  });

  it('returns undefined from pop and peekTime when empty', () => {
    const q = new EventQueue<string>();
    expect(q.pop()).toBeUndefined();
    expect(q.peekTime()).toBeUndefined();
    expect(q.size).toBe(0);
  });

  it('peekTime shows the next time without removing it', () => {
    const q = new EventQueue<string>();
    q.push(7, 'a');
    q.push(3, 'b');
    expect(q.peekTime()).toBe(3);
    expect(q.size).toBe(2);
    expect(q.pop()?.item).toBe('b');
  });

  it('rejects times that are not integer microseconds', () => {
    const q = new EventQueue<string>();
    expect(() => q.push(1.5, 'a')).toThrow(/integer number of microseconds/);
    expect(() => q.push(NaN, 'a')).toThrow(/integer number of microseconds/);
    expect(() => q.push(Infinity, 'a')).toThrow(/integer number of microseconds/);
  });
});

describe('EventQueue.cancel', () => {
  it('removes an item, once', () => {
    const q = new EventQueue<string>();
    const a = q.push(1, 'a');
    q.push(2, 'b');
    expect(q.cancel(a)).toBe(true);
    expect(q.cancel(a)).toBe(false);
    expect(q.has(a)).toBe(false);
    expect(q.size).toBe(1);
    expect(q.peekTime()).toBe(2);
    expect(drain(q)).toEqual([[2, 'b']]);
  });

  it('refuses popped handles', () => {
    const q = new EventQueue<string>();
    const a = q.push(1, 'a');
    q.pop();
    expect(q.cancel(a)).toBe(false);
    expect(q.has(a)).toBe(false);
    expect(q.size).toBe(0);
  });

  it('rejects a nonsensical compaction threshold', () => {
    expect(() => new EventQueue({ compactMinDead: 0 })).toThrow(/compactMinDead must be a positive integer/);
  });

  it('keeps order through heavy cancellation (compaction)', () => {
    const q = new EventQueue<number>();
    const handles: Array<QueueEntry<number>> = [];
    for (let i = 0; i < 1000; i++) handles.push(q.push((i * 7919) % 113, i));
    for (let i = 0; i < 1000; i++) if (i % 10 !== 0) expect(q.cancel(handles[i]!)).toBe(true);
    expect(q.size).toBe(100);
    const kept = Array.from({ length: 100 }, (_, k) => 10 * k)
      .map((i) => [(i * 7919) % 113, i] as [number, number])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    expect(drain(q)).toEqual(kept);
  });
});

type Op = { kind: 'push'; time: number } | { kind: 'pop' } | { kind: 'cancel'; pick: number } | { kind: 'peek' };

/** Operation sequences; the cancel-heavy mix piles up enough dead entries to make the heap compact. */
function opsArbitrary(cancelHeavy: boolean): fc.Arbitrary<Op[]> {
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 20 }).map((time) => ({ kind: 'push' as const, time })) },
    { weight: cancelHeavy ? 1 : 2, arbitrary: fc.constant({ kind: 'pop' as const }) },
    { weight: cancelHeavy ? 4 : 2, arbitrary: fc.nat(1000).map((pick) => ({ kind: 'cancel' as const, pick })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'peek' as const }) },
  );
  return fc.array(op, { maxLength: 300, size: 'max' });
}

describe('EventQueue against a sorted-array model', () => {
  it('agrees on every pop, peek, cancel and size for random operation sequences', () => {
    const sequences = fc.boolean().chain((cancelHeavy) => opsArbitrary(cancelHeavy));
    // Low compaction thresholds make the heap rebuild itself many times per sequence.
    const compactMinDead = fc.constantFrom(1, 3, 64);
    fc.assert(
      fc.property(sequences, compactMinDead, (ops, minDead) => {
        const q = new EventQueue<string>({ compactMinDead: minDead });
        // The model: every pushed entry with its state, searched linearly.
        const model: Array<{ time: number; seq: number; item: string; live: boolean; handle: QueueEntry<string> }> = [];
        const live = () => model.filter((e) => e.live);
        const nextLive = () => live().sort((a, b) => a.time - b.time || a.seq - b.seq)[0];
        ops.forEach((o, step) => {
          switch (o.kind) {
            case 'push': {
              const item = `item${step}`;
              const handle = q.push(o.time, item);
              const seq = handle.seq;
              expect(model.some((e) => e.seq === seq)).toBe(false);
              model.push({ time: o.time, seq, item, live: true, handle });
              break;
            }
            case 'pop': {
              const want = nextLive();
              const got = q.pop();
              if (want === undefined) expect(got).toBeUndefined();
              else {
                expect(got).toBe(want.handle);
                expect(got).toMatchObject({ time: want.time, seq: want.seq, item: want.item });
                want.live = false;
              }
              break;
            }
            case 'cancel': {
              // Even picks cancel a live item; odd picks any handle ever issued (live, popped or cancelled).
              const pool = o.pick % 2 === 0 && live().length > 0 ? live() : model;
              const target = pool.length > 0 ? pool[(o.pick >> 1) % pool.length]! : undefined;
              if (target === undefined) break;
              expect(q.cancel(target.handle)).toBe(target.live);
              target.live = false;
              break;
            }
            case 'peek':
              expect(q.peekTime()).toBe(nextLive()?.time);
              break;
          }
          expect(q.size).toBe(live().length);
        });
        const rest = live().sort((a, b) => a.time - b.time || a.seq - b.seq);
        expect(drain(q)).toEqual(rest.map((e) => [e.time, e.item]));
      }),
      { numRuns: 200 },
    );
  });
});
