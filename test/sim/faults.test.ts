import { describe, expect, it } from 'vitest';
import { FaultInjector, describeFault, ordinal } from '../../src/sim/faults.js';
import type { Fault, FaultCandidate } from '../../src/sim/faults.js';

const CLIENT = { host: 'client', ep: '10.0.0.1:40000' };
const SERVER = { host: 'server', ep: '10.0.0.2:80' };

/** A segment from client to server unless told otherwise. */
function seg(flags: string[], over: Partial<FaultCandidate> = {}): FaultCandidate {
  return {
    proto: 'tcp',
    fromHost: CLIENT.host,
    toHost: SERVER.host,
    src: CLIENT.ep,
    dst: SERVER.ep,
    flags,
    seq: 1000,
    payloadLength: 0,
    ...over,
  };
}

function fromServer(flags: string[], over: Partial<FaultCandidate> = {}): FaultCandidate {
  return seg(flags, { fromHost: SERVER.host, toHost: CLIENT.host, src: SERVER.ep, dst: CLIENT.ep, ...over });
}

/** The action taken on each candidate in turn, '-' for none. */
function actions(faults: Fault[], candidates: FaultCandidate[]): string[] {
  const inj = new FaultInjector(faults);
  return candidates.map((c) => inj.apply(c)?.action ?? '-');
}

const synAcks = (n: number): FaultCandidate[] => Array.from({ length: n }, () => fromServer(['SYN', 'ACK']));

describe('FaultInjector nth and count', () => {
  it('acts on the 1st match only by default', () => {
    expect(actions([{ action: 'drop', match: { flags: ['SYN', 'ACK'] } }], synAcks(3))).toEqual(['drop', '-', '-']);
  });

  it('acts on matches nth .. nth+count-1', () => {
    expect(actions([{ action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 2, count: 2 }], synAcks(5))).toEqual([
      '-',
      'drop',
      'drop',
      '-',
      '-',
    ]);
  });

  it('acts on every match from nth on with count Infinity', () => {
    expect(actions([{ action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 3, count: Infinity }], synAcks(6))).toEqual([
      '-',
      '-',
      'drop',
      'drop',
      'drop',
      'drop',
    ]);
  });

  it('counts only matching packets', () => {
    const stream = [seg(['SYN']), fromServer(['SYN', 'ACK']), seg(['ACK']), fromServer(['SYN', 'ACK']), seg(['ACK'])];
    expect(actions([{ action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 2 }], stream)).toEqual([
      '-',
      '-',
      '-',
      'drop',
      '-',
    ]);
  });

  it('counts every packet for every fault independently', () => {
    const faults: Fault[] = [
      { action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 1 },
      { action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 2 },
    ];
    expect(actions(faults, synAcks(3))).toEqual(['drop', 'drop', '-']);
  });

  it('lets the first fault in list order win when two windows contain the same packet', () => {
    const faults: Fault[] = [
      { action: 'delay', match: { hasFlags: ['ACK'] }, delay: 5000 },
      { action: 'drop', match: { flags: ['SYN', 'ACK'] }, count: 2 },
    ];
    // The delay fault takes the 1st SYN-ACK; the drop fault counted it anyway, so it drops only the 2nd.
    expect(actions(faults, synAcks(3))).toEqual(['delay', 'drop', '-']);
  });

  it('returns the delay of a delay fault', () => {
    const inj = new FaultInjector([{ action: 'delay', match: { hasFlags: ['FIN'] }, nth: 2, delay: 300_000 }]);
    expect(inj.apply(seg(['FIN', 'ACK']))).toBeUndefined();
    expect(inj.apply(seg(['FIN', 'ACK']))).toEqual({
      action: 'delay',
      delay: 300_000,
      description: 'fault: delay 2nd FIN by 300ms',
    });
  });

  it('reports how often each fault matched and acted', () => {
    const inj = new FaultInjector([
      { action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 2 },
      { action: 'drop', match: { hasFlags: ['RST'] } },
    ]);
    for (const c of synAcks(3)) inj.apply(c);
    expect(inj.stats()).toEqual([
      { description: 'drop 2nd SYN-ACK', matched: 3, applied: 1 },
      { description: 'drop 1st RST', matched: 0, applied: 0 },
    ]);
  });

  it('does nothing without faults', () => {
    expect(new FaultInjector([]).apply(seg(['SYN']))).toBeUndefined();
  });
});

describe('FaultInjector matching', () => {
  const one = (fault: Fault, c: FaultCandidate): boolean => new FaultInjector([fault]).apply(c) !== undefined;
  const drop = (match: Fault['match']): Fault => ({ action: 'drop', match });

  it('flags means exactly these flags, in any order and case', () => {
    expect(one(drop({ flags: ['SYN', 'ACK'] }), fromServer(['SYN', 'ACK']))).toBe(true);
    expect(one(drop({ flags: ['ACK', 'SYN'] }), fromServer(['SYN', 'ACK']))).toBe(true);
    expect(one(drop({ flags: ['syn', 'ack'] }), fromServer(['ACK', 'SYN']))).toBe(true);
    expect(one(drop({ flags: ['SYN'] }), fromServer(['SYN', 'ACK']))).toBe(false);
    expect(one(drop({ flags: ['SYN', 'ACK'] }), fromServer(['SYN', 'ACK', 'ECE']))).toBe(false);
    expect(one(drop({ flags: [] }), seg([]))).toBe(true);
    expect(one(drop({ flags: [] }), seg(['ACK']))).toBe(false);
  });

  it('hasFlags means at least these flags', () => {
    expect(one(drop({ hasFlags: ['SYN'] }), seg(['SYN']))).toBe(true);
    expect(one(drop({ hasFlags: ['SYN'] }), fromServer(['SYN', 'ACK']))).toBe(true);
    expect(one(drop({ hasFlags: ['FIN'] }), seg(['FIN', 'PSH', 'ACK']))).toBe(true);
    expect(one(drop({ hasFlags: ['FIN', 'ACK'] }), seg(['FIN']))).toBe(false);
    expect(one(drop({ hasFlags: [] }), seg(['RST']))).toBe(true);
  });

  it('from and to accept a host name, an address or ip:port', () => {
    for (const from of ['client', '10.0.0.1', '10.0.0.1:40000']) {
      expect(one(drop({ from }), seg(['ACK']))).toBe(true);
      expect(one(drop({ from }), fromServer(['ACK']))).toBe(false);
    }
    for (const to of ['server', '10.0.0.2', '10.0.0.2:80']) {
      expect(one(drop({ to }), seg(['ACK']))).toBe(true);
      expect(one(drop({ to }), fromServer(['ACK']))).toBe(false);
    }
    expect(one(drop({ from: '10.0.0.1:40001' }), seg(['ACK']))).toBe(false);
    expect(one(drop({ from: '10.0.0.1', to: 'client' }), seg(['ACK']))).toBe(false);
  });

  it('matches an exact sequence number', () => {
    expect(one(drop({ seq: 1000 }), seg(['ACK'], { seq: 1000 }))).toBe(true);
    expect(one(drop({ seq: 1000 }), seg(['ACK'], { seq: 1001 }))).toBe(false);
    expect(one(drop({ seq: 4294967295 }), seg(['ACK'], { seq: 4294967295 }))).toBe(true);
  });

  it('payload true matches only segments with data, false only those without', () => {
    expect(one(drop({ payload: true }), seg(['ACK'], { payloadLength: 1 }))).toBe(true);
    expect(one(drop({ payload: true }), seg(['ACK'], { payloadLength: 0 }))).toBe(false);
    expect(one(drop({ payload: false }), seg(['ACK'], { payloadLength: 0 }))).toBe(true);
    expect(one(drop({ payload: false }), seg(['ACK'], { payloadLength: 10 }))).toBe(false);
  });

  it('matches TCP by default and UDP only when asked', () => {
    const datagram = seg([], { proto: 'udp', payloadLength: 8 });
    expect(one(drop({}), datagram)).toBe(false);
    expect(one(drop({}), seg(['ACK']))).toBe(true);
    expect(one(drop({ proto: 'udp' }), datagram)).toBe(true);
    expect(one(drop({ proto: 'udp' }), seg(['ACK']))).toBe(false);
  });
});

describe('fault descriptions', () => {
  it('reads like the fault in the trace', () => {
    const inj = new FaultInjector([
      { action: 'drop', match: { flags: ['SYN', 'ACK'] } },
      { action: 'duplicate', match: { payload: true, from: 'client' }, nth: 3 },
    ]);
    expect(inj.apply(fromServer(['SYN', 'ACK']))?.description).toBe('fault: drop 1st SYN-ACK');
    const data = seg(['PSH', 'ACK'], { payloadLength: 100 });
    inj.apply(data);
    inj.apply(data);
    expect(inj.apply(data)?.description).toBe('fault: duplicate 3rd data segment from client');
  });

  it('names which match of a range it is acting on', () => {
    const inj = new FaultInjector([{ action: 'drop', match: { flags: ['SYN'] }, nth: 2, count: 3 }]);
    const got = [1, 2, 3, 4, 5].map(() => inj.apply(seg(['SYN']))?.description);
    expect(got).toEqual([
      undefined,
      'fault: drop 2nd to 4th SYN (2nd match)',
      'fault: drop 2nd to 4th SYN (3rd match)',
      'fault: drop 2nd to 4th SYN (4th match)',
      undefined,
    ]);
  });

  it.each<[Fault, string]>([
    [{ action: 'drop', match: { flags: ['ACK', 'SYN'] } }, 'drop 1st SYN-ACK'],
    [{ action: 'drop', match: { flags: ['ACK', 'FIN'] }, nth: 2 }, 'drop 2nd FIN-ACK'],
    [{ action: 'delay', match: { hasFlags: ['FIN'] }, nth: 2, delay: 300_000 }, 'delay 2nd FIN by 300ms'],
    [{ action: 'delay', match: { flags: ['SYN'] }, delay: 2_000_000 }, 'delay 1st SYN by 2s'],
    [{ action: 'delay', match: { flags: ['SYN'] }, delay: 250 }, 'delay 1st SYN by 250us'],
    [{ action: 'drop', match: { hasFlags: ['RST'] }, count: Infinity }, 'drop every RST'],
    [{ action: 'drop', match: { flags: ['RST'] }, nth: 3, count: Infinity }, 'drop 3rd and later bare RST'],
    [{ action: 'drop', match: { flags: ['ACK'], payload: false } }, 'drop 1st pure ACK'],
    [{ action: 'drop', match: { flags: ['ACK'], payload: true } }, 'drop 1st ACK with data'],
    [{ action: 'drop', match: { hasFlags: ['SYN', 'ECE'] } }, 'drop 1st segment with SYN and ECE'],
    [{ action: 'drop', match: {} }, 'drop 1st segment'],
    [{ action: 'drop', match: { payload: false } }, 'drop 1st segment without data'],
    [{ action: 'drop', match: { flags: [] } }, 'drop 1st flagless segment'],
    [{ action: 'duplicate', match: { proto: 'udp', to: 'server' }, nth: 11 }, 'duplicate 11th datagram to server'],
    [
      { action: 'drop', match: { flags: ['PSH', 'ACK'], from: '10.0.0.1', to: '10.0.0.2:80', seq: 1001 } },
      'drop 1st PSH-ACK from 10.0.0.1 to 10.0.0.2:80 at seq 1001',
    ],
  ])('describes %o as "%s"', (fault, text) => {
    expect(describeFault(fault)).toBe(text);
  });

  it('writes ordinals the English way', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(ordinal)).toEqual([
      '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th', '112th',
    ]);
  });
});

describe('fault validation', () => {
  const bad = (f: unknown): (() => FaultInjector) => () =>
    new FaultInjector([{ action: 'drop', match: {} }, f as Fault]);

  it.each<[unknown, RegExp]>([
    [{ action: 'drop', match: {}, nth: 0 }, /nth must be an integer >= 1/],
    [{ action: 'drop', match: {}, nth: 1.5 }, /nth must be an integer >= 1/],
    [{ action: 'drop', match: {}, count: 0 }, /count must be an integer >= 1 or Infinity/],
    [{ action: 'delay', match: {} }, /'delay' fault needs delay/],
    [{ action: 'delay', match: {}, delay: -5 }, /delay must be a positive integer/],
    [{ action: 'delay', match: {}, delay: 0.5 }, /delay must be a positive integer/],
    [{ action: 'drop', match: {}, delay: 5 }, /delay only applies to action 'delay'/],
    [{ action: 'corrupt', match: {} }, /action must be one of drop, delay, duplicate, got "corrupt"/],
    [{ action: 'drop', match: { flags: ['SYNN'] } }, /match.flags: unknown flag in \["SYNN"\]/],
    [{ action: 'drop', match: { hasFlags: ['XMAS'] } }, /match.hasFlags: unknown flag/],
    [{ action: 'drop', match: { flags: 'SYN' } }, /match.flags must be an array of flag names/],
    [{ action: 'drop', match: { flags: ['SYN'], hasFlags: ['ACK'] } }, /could never match/],
    [{ action: 'drop', match: { flag: ['SYN'] } }, /unknown match field "flag"/],
    [{ action: 'drop', match: {}, nht: 2 }, /unknown field "nht"/],
    [{ action: 'drop' }, /match must be an object/],
    [{ action: 'drop', match: { proto: 'udp', flags: ['SYN'] } }, /UDP datagrams have no flags/],
    [{ action: 'drop', match: { proto: 'icmp' } }, /match.proto must be 'tcp' or 'udp'/],
    [{ action: 'drop', match: { seq: -1 } }, /match.seq must be an integer in \[0, 2\^32\)/],
    [{ action: 'drop', match: { seq: 2 ** 32 } }, /match.seq must be an integer/],
    [{ action: 'drop', match: { from: '' } }, /match.from must be a host name/],
    [{ action: 'drop', match: { payload: 'yes' } }, /match.payload must be true or false/],
    [null, /must be an object/],
  ])('rejects %o', (f, message) => {
    expect(bad(f)).toThrow(message);
    expect(bad(f)).toThrow(/^fault #2: /);
  });

  it('rejects a non-array', () => {
    expect(() => new FaultInjector({} as unknown as Fault[])).toThrow(/faults must be an array/);
  });

  it('describeFault validates too', () => {
    expect(() => describeFault({ action: 'drop', match: {}, nth: 0 })).toThrow(/nth must be/);
  });
});
