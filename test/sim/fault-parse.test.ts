import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseFault } from '../../src/sim/fault-parse.js';
import { FaultInjector, describeFault } from '../../src/sim/faults.js';
import type { Fault, FaultCandidate, FaultMatch } from '../../src/sim/faults.js';

describe('parseFault', () => {
  it.each<[string, Fault]>([
    ['drop 1st SYN-ACK', { action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 1, count: 1 }],
    ['delay 2nd FIN by 300ms', { action: 'delay', match: { hasFlags: ['FIN'] }, nth: 2, count: 1, delay: 300_000 }],
    [
      'duplicate 3rd data from client',
      { action: 'duplicate', match: { payload: true, from: 'client' }, nth: 3, count: 1 },
    ],
    ['drop the first SYN', { action: 'drop', match: { flags: ['SYN'] }, nth: 1, count: 1 }],
    ['fault: drop 1st SYN-ACK', { action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 1, count: 1 }],
    ['DROP 1ST syn+ack', { action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 1, count: 1 }],
    ['drop 1st SYN/ACK', { action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 1, count: 1 }],
    ['drop 2nd to 4th SYN-ACKs', { action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 2, count: 3 }],
    ['drop every RST', { action: 'drop', match: { hasFlags: ['RST'] }, nth: 1, count: Infinity }],
    ['drop 3rd and later FINs', { action: 'drop', match: { hasFlags: ['FIN'] }, nth: 3, count: Infinity }],
    ['drop 1st bare FIN', { action: 'drop', match: { flags: ['FIN'] }, nth: 1, count: 1 }],
    ['drop 1st pure ACK to server', { action: 'drop', match: { flags: ['ACK'], payload: false, to: 'server' }, nth: 1, count: 1 }],
    ['drop 1st data segment', { action: 'drop', match: { payload: true }, nth: 1, count: 1 }],
    ['drop 1st segment with SYN and ECE', { action: 'drop', match: { hasFlags: ['SYN', 'ECE'] }, nth: 1, count: 1 }],
    ['drop 1st segment without data', { action: 'drop', match: { payload: false }, nth: 1, count: 1 }],
    ['drop 1st flagless segment', { action: 'drop', match: { flags: [] }, nth: 1, count: 1 }],
    ['duplicate 2nd datagram from 10.0.0.1', { action: 'duplicate', match: { proto: 'udp', from: '10.0.0.1' }, nth: 2, count: 1 }],
    ['drop 1st ACK at seq 1001', { action: 'drop', match: { flags: ['ACK'], seq: 1001 }, nth: 1, count: 1 }],
    ['delay 1st SYN by 1.5s', { action: 'delay', match: { flags: ['SYN'] }, nth: 1, count: 1, delay: 1_500_000 }],
    ['delay 1st SYN by 250 us', { action: 'delay', match: { flags: ['SYN'] }, nth: 1, count: 1, delay: 250 }],
    ['delay 1st SYN by 20 ms', { action: 'delay', match: { flags: ['SYN'] }, nth: 1, count: 1, delay: 20_000 }],
  ])('reads "%s"', (text, fault) => {
    expect(parseFault(text)).toEqual(fault);
  });

  it.each<[string, RegExp]>([
    ['', /expected drop, delay or duplicate at the end/],
    ['corrupt 1st SYN', /expected drop, delay or duplicate, got "corrupt"/],
    ['drop', /expected which one/],
    ['drop SYN', /expected an ordinal such as 1st, 2nd or "every" after "drop", got "SYN"/],
    ['drop 0th SYN', /expected an ordinal/],
    ['drop 1st', /expected what to match/],
    ['drop 1st XMAS', /expected what to match .* got "XMAS"/],
    ['drop 4th to 2nd SYN', /runs backwards/],
    ['delay 1st SYN', /a delay needs a duration, e.g. "by 300ms"/],
    ['delay 1st SYN by soon', /expected a duration such as 300ms/],
    ['delay 1st SYN by 0ms', /expected a duration/],
    ['delay 1st SYN by 0.5us', /expected a duration/],
    ['drop 1st SYN by 5ms', /"by" only applies to delay, not drop/],
    ['drop 1st SYN from', /expected a host, address or ip:port after "from" at the end/],
    ['drop 1st SYN from a from b', /gives "from" twice/],
    ['drop 1st SYN with data without data', /says twice whether the segment carries data/],
    ['drop 1st SYN please', /unexpected "please"/],
    ['drop 1st SYN at seq x', /expected a sequence number, got "x"/],
    ['drop 1st pure SYN', /expected ACK after "pure"/],
    ['drop 1st datagram with SYN', /expected "data" after "with", got "SYN"/],
  ])('rejects "%s"', (text, message) => {
    expect(() => parseFault(text)).toThrow(message);
    expect(() => parseFault(text)).toThrow(/^cannot parse fault "/);
  });

  it('passes on validation errors from the fault itself', () => {
    expect(() => parseFault('drop 1st datagram at seq 5')).toThrow(
      /^cannot parse fault "drop 1st datagram at seq 5": UDP datagrams have no flags or sequence numbers/,
    );
  });

  it('stops a flag list at a word that is not a flag', () => {
    expect(() => parseFault('drop 1st segment with SYN and ACK and XMAS')).toThrow(/unexpected "and"/);
  });
});

// ------------------------------------------------------------- round trip

const FLAGS = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];
const ENDPOINTS = ['client', 'server', '10.0.0.1', '10.0.0.2:80'];
/** Random flag sets, with the ones the English form has special words for well represented. */
const flagSet = fc.oneof(
  fc.subarray(FLAGS),
  fc.constantFrom<string[]>(['FIN'], ['RST'], ['ACK'], ['SYN'], ['SYN', 'ACK'], ['FIN', 'ACK'], []),
);

const tcpMatch: fc.Arbitrary<FaultMatch> = fc
  .record(
    {
      flags: flagSet,
      hasFlags: flagSet,
      from: fc.constantFrom(...ENDPOINTS),
      to: fc.constantFrom(...ENDPOINTS),
      seq: fc.constantFrom(0, 1000, 4294967295),
      payload: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .map((m) => {
    // hasFlags must be a subset of flags when both are given.
    if (m.flags !== undefined && m.hasFlags !== undefined) m.hasFlags = m.hasFlags.filter((f) => m.flags!.includes(f));
    return m;
  });

const udpMatch: fc.Arbitrary<FaultMatch> = fc
  .record(
    { from: fc.constantFrom(...ENDPOINTS), to: fc.constantFrom(...ENDPOINTS), payload: fc.boolean() },
    { requiredKeys: [] },
  )
  .map((m) => ({ ...m, proto: 'udp' as const }));

const faultArb: fc.Arbitrary<Fault> = fc
  .record({
    action: fc.constantFrom('drop' as const, 'delay' as const, 'duplicate' as const),
    match: fc.oneof({ weight: 4, arbitrary: tcpMatch }, { weight: 1, arbitrary: udpMatch }),
    nth: fc.integer({ min: 1, max: 4 }),
    count: fc.constantFrom(1, 2, 3, Infinity),
    delay: fc.oneof(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 999 }).map((n) => n * 1000)),
  })
  .map(({ delay, ...f }) => (f.action === 'delay' ? { ...f, delay } : f));

const candidateArb: fc.Arbitrary<FaultCandidate> = fc.record({
  proto: fc.constantFrom('tcp' as const, 'tcp' as const, 'udp' as const),
  fromHost: fc.constantFrom('client', 'server'),
  toHost: fc.constantFrom('client', 'server'),
  src: fc.constantFrom('10.0.0.1:40000', '10.0.0.2:80'),
  dst: fc.constantFrom('10.0.0.1:40000', '10.0.0.2:80'),
  flags: fc.oneof(fc.subarray(FLAGS), fc.constantFrom<string[]>(['SYN'], ['SYN', 'ACK'], ['ACK'], ['FIN', 'ACK'], ['RST'])),
  seq: fc.constantFrom(0, 1000, 4294967295),
  payloadLength: fc.constantFrom(0, 0, 100),
});

describe('describeFault and parseFault round trip', () => {
  it('parsing a description gives a fault that acts exactly like the original', () => {
    fc.assert(
      fc.property(faultArb, fc.array(candidateArb, { maxLength: 40 }), (fault, candidates) => {
        const text = describeFault(fault);
        const parsed = parseFault(text);
        expect(describeFault(parsed)).toBe(text);
        const a = new FaultInjector([fault]);
        const b = new FaultInjector([parsed]);
        for (const c of candidates) {
          const ea = a.apply(c);
          const eb = b.apply(c);
          expect(eb?.action).toBe(ea?.action);
          expect(eb?.delay).toBe(ea?.delay);
        }
      }),
      { numRuns: 500 },
    );
  });
});
