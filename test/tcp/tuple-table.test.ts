// The 4-tuple table: hashed by port pair and remote address, with entries that share a port pair told apart by address.
import { describe, expect, it } from 'vitest';
import { TupleTable, type TupleEntry } from '../../src/tcp/tuple-table.js';

interface E extends TupleEntry {
  name: string;
}
const e = (name: string, localIp: string, localPort: number, remoteIp: string, remotePort: number): E => ({ name, localIp, localPort, remoteIp, remotePort });

describe('TupleTable', () => {
  it('finds each connection by its own 4-tuple when several share a port pair', () => {
    const t = new TupleTable<E>();
    const a = e('a', '10.0.0.2', 80, '10.0.0.1', 40000);
    const b = e('b', '10.0.0.2', 80, '10.0.0.3', 40000);
    const c = e('c', '10.0.0.2', 80, '10.0.0.4', 40000);
    for (const x of [a, b, c]) expect(t.set(x)).toBeUndefined();
    expect(t.size).toBe(3);
    expect(t.get('10.0.0.2', 80, '10.0.0.3', 40000)).toBe(b);
    expect(t.get('10.0.0.2', 80, '10.0.0.3', 40001)).toBeUndefined();
    expect(t.get('127.0.0.1', 80, '10.0.0.3', 40000)).toBeUndefined();
    expect(t.delete(b)).toBe(true);
    expect(t.delete(b)).toBe(false);
    expect(t.get('10.0.0.2', 80, '10.0.0.3', 40000)).toBeUndefined();
    expect(t.get('10.0.0.2', 80, '10.0.0.1', 40000)).toBe(a);
    expect(t.get('10.0.0.2', 80, '10.0.0.4', 40000)).toBe(c);
    expect(t.size).toBe(2);
  });

  it('a new connection on the same 4-tuple takes the old one\'s place and is returned', () => {
    const t = new TupleTable<E>();
    const old = e('old', '10.0.0.1', 50000, '10.0.0.2', 80);
    const other = e('other', '10.0.0.9', 50000, '10.0.0.2', 80);
    t.set(old);
    t.set(other);
    const fresh = e('fresh', '10.0.0.1', 50000, '10.0.0.2', 80);
    expect(t.set(fresh)).toBe(old);
    expect(t.size).toBe(2);
    expect(t.get('10.0.0.1', 50000, '10.0.0.2', 80)).toBe(fresh);
    expect(t.get('10.0.0.9', 50000, '10.0.0.2', 80)).toBe(other);
    // Ports 65535 both ways: the packed key stays exact.
    const high = e('high', '10.0.0.1', 65535, '10.0.0.2', 65535);
    t.set(high);
    expect(t.get('10.0.0.1', 65535, '10.0.0.2', 65535)).toBe(high);
    expect(t.get('10.0.0.1', 65535, '10.0.0.2', 65534)).toBeUndefined();
  });

  it('keeps every entry reachable through growth, removals and shrinking', () => {
    // Consecutive ephemeral ports toward a few servers (how connect() fills the table), then every other one
    // removed: each lookup must still find exactly the entries left (a plain Map is the reference).
    const t = new TupleTable<E>();
    const ref = new Map<string, E>();
    for (let port = 32768; port < 36768; port++) {
      for (const server of [80, 443, 8080]) {
        const x = e(`${port}-${server}`, '10.0.0.1', port, '10.0.0.2', server);
        t.set(x);
        ref.set(x.name, x);
      }
    }
    expect(t.size).toBe(ref.size);
    let n = 0;
    for (const x of ref.values()) if (n++ % 2 === 0) expect(t.delete(x)).toBe(true);
    for (const x of [...ref.values()].filter((_, i) => i % 2 === 0)) ref.delete(x.name);
    expect(t.size).toBe(ref.size);
    for (let port = 32768; port < 36768; port++) {
      for (const server of [80, 443, 8080]) {
        expect(t.get('10.0.0.1', port, '10.0.0.2', server)).toBe(ref.get(`${port}-${server}`));
      }
    }
    // Down to one entry: the table shrinks and still finds it.
    const last = [...ref.values()].pop()!;
    for (const x of ref.values()) if (x !== last) t.delete(x);
    expect(t.size).toBe(1);
    expect(t.get(last.localIp, last.localPort, last.remoteIp, last.remotePort)).toBe(last);
  });

  // Many peers on one port pair (a SYN flood spoofed from one source port, with syncookies off and a large
  // backlog) must not share one probe run: hashed by the port pair alone, each lookup walked them all.
  it('looks at a few entries per lookup when 20,000 peers share one port pair', () => {
    const t = new TupleTable<E>();
    const ip = (i: number) => `11.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    for (let i = 0; i < 20_000; i++) t.set(e(`p${i}`, '10.0.0.2', 80, ip(i), 5555));
    const before = t.probes;
    for (let i = 0; i < 20_000; i++) expect(t.get('10.0.0.2', 80, ip(i), 5555)?.name).toBe(`p${i}`);
    expect((t.probes - before) / 20_000).toBeLessThan(4);
  });

  // Peers picked to collide in an unkeyed table (the same (ports ^ address hash) for all) spread out in a keyed
  // one: the stack keys its table with a secret, as Linux keys inet_ehashfn.
  it('spreads peers that were picked to share one probe run of an unkeyed table', () => {
    const fnv = (ip: string) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < ip.length; i++) h = Math.imul(h ^ ip.charCodeAt(i), 0x01000193);
      return h;
    };
    const top = fnv('11.0.0.1') >>> 16;
    const peers: E[] = [];
    for (let i = 0; i < 1 << 22 && peers.length < 40; i++) {
      const ip = `11.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const h = fnv(ip);
      // (80 << 16 | port) ^ h is the same number for every one of them.
      if (h >>> 16 === top) peers.push(e(ip, '10.0.0.2', 80, ip, (h & 0xffff) ^ 0x1234));
    }
    const perLookup = (t: TupleTable<E>) => {
      for (const p of peers) t.set(p);
      const before = t.probes;
      for (const p of peers) expect(t.get(p.localIp, p.localPort, p.remoteIp, p.remotePort)).toBe(p);
      return (t.probes - before) / peers.length;
    };
    expect(peers).toHaveLength(40);
    expect(perLookup(new TupleTable<E>())).toBeGreaterThan(15); // the attack works on an unkeyed table (about 20: half of them)
    expect(perLookup(new TupleTable<E>(0x5eed1234))).toBeLessThan(4);
  });
});
