// The index of ports taken toward one destination (src/tcp/connect-ports.ts): what it marks, counted
// per connection, and the jump to the next port of the same parity it does not mark.
import { describe, expect, it } from 'vitest';
import { ConnectPorts, DestPorts } from '../../src/tcp/connect-ports.js';

const RANGE = [40000, 40099] as const;

/** The first port from `port` on, of its parity, with has() false, up to `last`; else the first one of that parity past `last`. */
function nextClearByHand(d: DestPorts, port: number, last: number): number {
  let q = port;
  while (q <= last && d.has(q)) q += 2;
  return q;
}

describe('DestPorts', () => {
  it('marks nothing until the threshold, then every port counted so far', () => {
    const d = new DestPorts('k', 3);
    d.add(40001, RANGE);
    d.add(40005, RANGE);
    expect(d.has(40001)).toBe(false); // a plain list: connect() checks every port
    d.add(40070, RANGE);
    expect([40001, 40005, 40070].map((p) => d.has(p))).toEqual([true, true, true]);
    expect([40000, 40002, 40003, 40069, 40071].some((p) => d.has(p))).toBe(false);
  });

  it('a port held by two connections stays marked until both are gone', () => {
    const d = new DestPorts('k', 1);
    d.add(40010, RANGE);
    d.add(40010, RANGE);
    d.remove(40010);
    expect(d.has(40010)).toBe(true);
    d.remove(40010);
    expect(d.has(40010)).toBe(false);
    expect(d.count).toBe(0);
  });

  it('ports outside the range the bitset was made for are never marked, and can be taken off', () => {
    const d = new DestPorts('k', 1);
    d.add(80, RANGE);
    d.add(40000, RANGE);
    expect(d.has(80)).toBe(false);
    d.remove(80);
    expect(d.has(40000)).toBe(true);
    expect(d.count).toBe(1);
  });

  it('nextClear jumps over marked ports of its parity only, across words, and stops at `last`', () => {
    const d = new DestPorts('k', 1);
    // Every even port 40000..40080 but 40066, and the odd ones 40001..40031.
    for (let p = 40000; p <= 40080; p += 2) if (p !== 40066) d.add(p, RANGE);
    for (let p = 40001; p <= 40031; p += 2) d.add(p, RANGE);
    expect(d.nextClear(40000, 40099)).toBe(40066);
    expect(d.nextClear(40068, 40099)).toBe(40082);
    expect(d.nextClear(40000, 40050)).toBe(40052); // none up to 40050: the first even port past it
    expect(d.nextClear(40001, 40099)).toBe(40033);
    expect(d.nextClear(40003, 40030)).toBe(40031); // `last` of the other parity: the first odd port past it
    for (let port = 40000; port < 40100; port++) {
      for (const last of [port, port + 1, port + 7, port + 40, 40099, 40140]) {
        expect(d.nextClear(port, last)).toBe(nextClearByHand(d, port, last));
      }
    }
  });
});

describe('ConnectPorts', () => {
  it('forgets a destination when its last connection is taken off', () => {
    const ports = new ConnectPorts(1);
    const d = ports.add('a', 40000, RANGE);
    expect(ports.add('a', 40002, RANGE)).toBe(d);
    ports.remove('a', 40000);
    expect(ports.get('a')).toBe(d);
    ports.remove('a', 40002);
    expect(ports.get('a')).toBeUndefined();
  });
});
