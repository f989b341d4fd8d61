// diffNormalised on hand-made normalised runs: each field, missing/extra segments, connections on one
// side only, directions compared as separate streams, the time tolerance, and the order of divergences.
import { describe, expect, it } from 'vitest';
import { diffNormalised } from '../../src/diff/diff.js';
import type { NormalSegment, Normalised } from '../../src/diff/normalise.js';

const C = 'client:eph1';
const S = 'server:80';
const CONN = `${C}>${S}`;

function seg(t: number, from: string, fields: Partial<NormalSegment> = {}): NormalSegment {
  return {
    frame: 0,
    t,
    conn: CONN,
    from,
    to: from === C ? S : C,
    flags: 'ACK',
    seq: 1,
    ack: 1,
    len: 0,
    options: 'nop,nop,ts',
    retransmit: false,
    ...fields,
  };
}

function run(segments: NormalSegment[]): Normalised {
  return { segments, roles: new Map() };
}

/** A handshake and 5 bytes from the client; `change` edits the segment at `at`. */
function base(change: Partial<NormalSegment> = {}, at = -1): NormalSegment[] {
  const list = [
    seg(0, C, { flags: 'SYN', seq: 0, ack: undefined, options: 'mss=1460,sackOK,ts,nop,ws=7', win: 64240 }),
    seg(1000, S, { flags: 'SYN-ACK', seq: 0, ack: 1, options: 'mss=1460,sackOK,ts,nop,ws=7', win: 65160 }),
    seg(2000, C),
    seg(2000, C, { flags: 'PSH-ACK', len: 5 }),
    seg(3000, S, { ack: 6 }),
  ];
  if (at >= 0) list[at] = { ...list[at]!, ...change };
  return list.map((s, i) => ({ ...s, frame: i + 1 }));
}

describe('diffNormalised', () => {
  it('finds nothing between equal runs, whatever their frame numbers', () => {
    expect(diffNormalised(run(base()), run(base().map((s) => ({ ...s, frame: s.frame + 50 }))))).toEqual([]);
  });

  it.each([
    ['flags', { flags: 'FIN-ACK' }, 2, C, 1, 'flags: A ACK, B FIN-ACK'],
    ['seq', { seq: 2 }, 2, C, 1, 'seq: A 1, B 2'],
    ['ack', { ack: 6 }, 2, C, 1, 'ack: A 1, B 6'],
    ['len', { len: 7 }, 3, C, 2, 'len: A 5, B 7'],
    ['options', { options: 'mss=65495,sackOK,ts,nop,ws=7' }, 1, S, 0, 'options: A mss=1460,sackOK,ts,nop,ws=7, B mss=65495,sackOK,ts,nop,ws=7'],
    ['win', { win: 65483 }, 1, S, 0, 'win: A 65160, B 65483'],
  ] as const)('names a different %s with both values', (field, change, at, from, index, detail) => {
    expect(diffNormalised(run(base()), run(base(change, at)))).toEqual([
      { conn: CONN, from, index, field, a: base()[at], b: base(change, at)[at], detail },
    ]);
  });

  it('gives the position of the divergence within its direction\'s stream', () => {
    const [d] = diffNormalised(run(base()), run(base({ len: 9 }, 3)));
    // The client's stream is SYN, ACK, PSH-ACK: the PSH-ACK is its third segment.
    expect(d).toMatchObject({ from: C, index: 2, field: 'len' });
  });

  it('an ack on one side only is an ack divergence with "none"', () => {
    const [d] = diffNormalised(run(base()), run(base({ ack: undefined }, 2)));
    expect(d).toMatchObject({ field: 'ack', detail: 'ack: A 1, B none' });
  });

  it('a segment only A sent is "missing", one only B sent is "extra"', () => {
    const more = [...base(), seg(4000, C, { flags: 'FIN-ACK', seq: 6, ack: 1 })];
    expect(diffNormalised(run(more), run(base()))).toEqual([
      expect.objectContaining({ field: 'missing', from: C, index: 3, a: more[5] }),
    ]);
    expect(diffNormalised(run(base()), run(more))).toEqual([
      expect.objectContaining({ field: 'extra', from: C, index: 3, b: more[5] }),
    ]);
    expect(diffNormalised(run(more), run(base()))[0]).not.toHaveProperty('b');
    expect(diffNormalised(run(more), run(base()))[0]!.detail).toMatch(/^missing: A sent FIN-ACK seq 6 ack 1 len 0 at 0\.004 s; B sent nothing more from client:eph1$/);
  });

  it('compares each direction as its own stream: opposite directions may swap places', () => {
    const a = base();
    const b = [a[0]!, a[1]!, a[2]!, { ...a[4]!, t: 2000 }, { ...a[3]!, t: 2000 }];
    expect(diffNormalised(run(a), run(b))).toEqual([]);
  });

  it('but not two segments of one direction', () => {
    const a = base();
    const b = [a[0]!, a[1]!, a[3]!, a[2]!, a[4]!];
    const found = diffNormalised(run(a), run(b));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: C, index: 1, field: 'flags' });
  });

  it('reports a connection on one side only once, naming what the other side has instead', () => {
    const other = base().map((s) => ({ ...s, conn: 'client:eph1>server:81', to: s.to === S ? 'server:81' : s.to, from: s.from === S ? 'server:81' : s.from }));
    const found = diffNormalised(run(base()), run(other));
    expect(found.map((d) => [d.conn, d.field])).toEqual([[CONN, 'connection'], ['client:eph1>server:81', 'connection']]);
    expect(found[0]!.detail).toBe(`connection: ${CONN} only in A (5 segments from 0.000 s); B has client:eph1>server:81`);
    expect(found[0]!.a).toEqual(base()[0]);
    expect(found[1]!.b).toEqual(other[0]);
  });

  it('matches incarnations by their key: "#2" against "#2"', () => {
    const second = base().map((s) => ({ ...s, conn: `${CONN}#2`, t: s.t + 100_000 }));
    const a = [...base(), ...second];
    const b = [...base(), ...second.map((s, i) => (i === 2 ? { ...s, seq: 5 } : s))];
    expect(diffNormalised(run(a), run(b))).toEqual([expect.objectContaining({ conn: `${CONN}#2`, field: 'seq', index: 1 })]);
  });

  it('reports at most the first divergence of each stream', () => {
    const b = base().map((s) => ({ ...s, seq: s.seq + 1 }));
    const found = diffNormalised(run(base()), run(b));
    expect(found.map((d) => [d.from, d.index])).toEqual([[C, 0], [S, 0]]);
  });

  it('sorts divergences by time, the earlier of the two segments', () => {
    // The server's SYN-ACK (1 ms) before the client's PSH-ACK (2 ms), though the client's stream comes first.
    const serverFirst = base({ ack: 2 }, 1).map((s, i) => (i === 3 ? { ...s, len: 6 } : s));
    expect(diffNormalised(run(base()), run(serverFirst)).map((d) => [d.from, d.field])).toEqual([[S, 'ack'], [C, 'len']]);
    const clientFirst = base({ seq: 2 }, 2).map((s, i) => (i === 4 ? { ...s, ack: 5 } : s));
    expect(diffNormalised(run(base()), run(clientFirst)).map((d) => [d.from, d.field])).toEqual([[C, 'seq'], [S, 'ack']]);
  });
});

describe('time', () => {
  const at = (t: number) => base({ t }, 4);
  it('allows 30 ms + 3% of the time by default', () => {
    const a = run(base({ t: 1_000_000 }, 4));
    // At 1 s the tolerance is 30 ms + 30 ms = 60 ms.
    expect(diffNormalised(a, run(at(1_060_000)))).toEqual([]);
    expect(diffNormalised(a, run(at(940_000)))).toEqual([]);
    const [d] = diffNormalised(a, run(at(1_070_000)));
    expect(d).toMatchObject({ field: 'time', from: S, index: 1 });
    // The tolerance is taken at the later of the two times.
    expect(d!.detail).toBe('time: A 1.000 s, B 1.070 s (tolerance ±0.062 s)');
  });

  it('says the numbers as in "time: A 1.003 s, B 3.001 s (tolerance ±0.120 s)"', () => {
    const [d] = diffNormalised(run(at(1_003_000)), run(at(3_001_000)));
    expect(d!.detail).toBe('time: A 1.003 s, B 3.001 s (tolerance ±0.120 s)');
  });

  it('takes a tolerance function', () => {
    const a = run(at(100_000));
    const b = run(at(105_000));
    expect(diffNormalised(a, b)).toEqual([]);
    expect(diffNormalised(a, b, { tolerance: () => 1000 })).toEqual([expect.objectContaining({ field: 'time' })]);
  });

  it('is not compared with time: false', () => {
    expect(diffNormalised(run(at(1_003_000)), run(at(9_001_000)), { time: false })).toEqual([]);
  });

  it('is compared after every other field', () => {
    const [d] = diffNormalised(run(at(1_003_000)), run(base({ t: 9_001_000, len: 3 }, 4)));
    expect(d!.field).toBe('len');
  });
});
