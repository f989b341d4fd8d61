// The sockets holding each local port: kept in the order they came (as the bind bucket's owners list),
// whatever is taken off in between.
import { describe, expect, it } from 'vitest';
import { PortHolders, type PortHolder } from '../../src/tcp/port-holders.js';

interface S extends PortHolder<S> {
  name: string;
}
const s = (name: string): S => ({ name, prevOnPort: undefined, nextOnPort: undefined });
const names = (h: PortHolders<S>, port: number) => h.list(port).map((x) => x.name);

describe('PortHolders', () => {
  it('lists a port\'s holders in the order they came, after the first, a middle and the last one leave', () => {
    const h = new PortHolders<S>();
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(s) as [S, S, S, S, S];
    for (const x of [a, b, c, d, e]) h.add(8080, x);
    h.add(8080, c); // already holding it: not listed twice
    expect(names(h, 8080)).toEqual(['a', 'b', 'c', 'd', 'e']);
    h.remove(8080, c);
    expect(names(h, 8080)).toEqual(['a', 'b', 'd', 'e']);
    h.remove(8080, a);
    expect(names(h, 8080)).toEqual(['b', 'd', 'e']);
    h.remove(8080, e);
    expect(names(h, 8080)).toEqual(['b', 'd']);
    h.add(8080, a); // back, now the last
    expect(names(h, 8080)).toEqual(['b', 'd', 'a']);
    for (const x of [b, d, a]) h.remove(8080, x);
    expect(h.first(8080)).toBeUndefined();
    h.remove(8080, b); // not a holder: nothing happens
    expect(names(h, 8080)).toEqual([]);
  });

  it('keeps ports apart, including the lowest and highest and ports of one page', () => {
    const h = new PortHolders<S>();
    const x = s('x');
    const y = s('y');
    const z = s('z');
    h.add(0, x);
    h.add(65535, y);
    h.add(65534, z);
    expect(names(h, 0)).toEqual(['x']);
    expect(names(h, 65535)).toEqual(['y']);
    expect(names(h, 65534)).toEqual(['z']);
    expect(h.first(1)).toBeUndefined();
    h.remove(65535, y);
    expect(h.first(65535)).toBeUndefined();
    expect(names(h, 65534)).toEqual(['z']);
  });
});
