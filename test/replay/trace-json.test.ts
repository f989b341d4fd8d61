// parseTraceJson (src/replay/trace-json.ts): the usual events pass a quick hand-written check; the schema
// words the message for anything else. The quick check must never let through what the schema refuses.
import { describe, expect, it } from 'vitest';
import { packetsFromTrace } from '../../src/replay/from-trace.js';
import { replayPackets } from '../../src/replay/replay.js';
import { parseTraceJson, quickEvent, TraceFileError } from '../../src/replay/trace-json.js';
import { traceRecords } from '../../src/replay/to-capture.js';

const SEGMENT = {
  t: 1000,
  kind: 'segment',
  id: 3,
  src: '10.0.0.1:40000',
  dst: '10.0.0.2:80',
  flags: ['SYN', 'ACK'],
  seq: 4294967295,
  ack: 0,
  len: 3,
  win: 65535,
  options: [{ kind: 'mss', mss: 1460 }, { kind: 'nop' }, { kind: 'timestamps', tsVal: 1, tsEcr: 0 }, { kind: 'windowScale', shift: 7 }],
  fate: 'delivered',
  arrival: 2000,
  payload: 'YWJj',
};

const doc = (events: unknown[]) => JSON.stringify({ format: 'synack-trace', version: 1, scenario: 's', profile: 'linux', seed: 1, hosts: [], events });

describe('the trace JSON check', () => {
  it('passes the usual segment and the other event kinds quickly', () => {
    expect(quickEvent(SEGMENT)).toBe(true);
    expect(quickEvent({ t: 5, kind: 'state', host: 'a' })).toBe(true);
    expect(parseTraceJson(doc([SEGMENT, { t: 5, kind: 'call' }])).events).toHaveLength(2);
  });

  // Each broken field: the quick check has a doubt, and the schema words the message (naming the field, or
  // for some, as before this check existed, saying the event as a whole is not one it knows).
  const broken: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a negative time', { t: -1 }, /^event 1: t: /],
    ['a seq past 2^32 - 1', { seq: 4294967296 }, /^event 1: seq: /],
    ['a fractional ack', { ack: 1.5 }, /^event 1: not a known event or option$/],
    ['a window past 65535', { win: 65536 }, /^event 1: win: /],
    ['a negative length', { len: -1 }, /^event 1: len: /],
    ['an endpoint without a port', { src: '10.0.0.1' }, /^event 1: src: /],
    ['an unknown flag', { flags: ['SYN', 'XMAS'] }, /^event 1: not a known event or option$/],
    ['an unknown fate', { fate: 'lost' }, /^event 1: not a known event or option$/],
    ['a payload that is not base64', { payload: 'a b' }, /^event 1: payload: /],
    ['a timestamp past 2^32 - 1', { options: [{ kind: 'timestamps', tsVal: 2 ** 32, tsEcr: 0 }] }, /^event 1: options\.0/],
    ['an option of no known kind', { options: [{ kind: 'fastopen' }] }, /^event 1: not a known event or option$/],
    ['a string id', { id: '3' }, /^event 1: not a known event or option$/],
  ];
  for (const [what, change, message] of broken) {
    it(`refuses ${what}, in the schema's words`, () => {
      const ev = { ...SEGMENT, ...change };
      expect(quickEvent(ev)).toBe(false);
      expect(() => parseTraceJson(doc([ev]))).toThrow(TraceFileError);
      expect(() => parseTraceJson(doc([ev]))).toThrow(message);
    });
  }

  it('leaves an unusual but valid segment to the schema, which accepts it', () => {
    const sack = { ...SEGMENT, options: [{ kind: 'sack', blocks: [[1, 2]] }] };
    expect(quickEvent(sack)).toBe(false);
    expect(parseTraceJson(doc([sack])).events).toHaveLength(1);
  });

  it('refuses an event of no known kind', () => {
    expect(quickEvent({ t: 1, kind: 'packet' })).toBe(false);
    expect(() => parseTraceJson(doc([SEGMENT, { t: 1, kind: 'packet' }]))).toThrow(/^event 2: not a known event or option$/);
  });
});

// Issue 10: what the schema let through and a later reader refused (parseEndpoint, the base64 decoder, the
// replay's payload length check) is refused by the schema itself, with the readers' own words.
describe('the trace JSON check accepts exactly what the readers read', () => {
  const refused: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a port past 65535', { src: '10.0.0.1:65536' }, /^event 1: src: invalid endpoint "10\.0\.0\.1:65536": port 65536 is out of range/],
    ['an address with a leading zero', { dst: '10.0.0.02:80' }, /^event 1: dst: .*"02" is not a decimal number without leading zeros$/],
    ['a two-part IPv4 address', { src: '10.1:80' }, /^event 1: src: .*four dot-separated parts$/],
    ['a bracketed IPv4 address', { dst: '[10.0.0.2]:80' }, /^event 1: dst: .*brackets are only for IPv6 addresses$/],
    ['endpoints of two address families', { dst: '[::1]:80' }, /^event 1: dst: .*not of the address family/],
    ['base64 of a length no decoder reads', { payload: 'YWJjZ' }, /^event 1: payload: not valid base64$/],
    ['base64 with padding in the wrong place', { payload: 'YQ=' }, /^event 1: payload: not valid base64$/],
    ['a len smaller than the payload', { len: 2 }, /^event 1: len: 2 is less than the 3 payload bytes$/],
    ['a len past what an IP packet holds', { len: 65536, payload: undefined }, /^event 1: len: /],
    ['a len that with its headers does not fit an IPv4 packet', { len: 65495, payload: undefined }, /^event 1: len: 65495 octets and the headers do not fit in an IP packet \(at most 65475 here\)$/],
    ['options the wire cannot encode (one after EOL)', { options: [{ kind: 'eol' }, { kind: 'nop' }] }, /^event 1: options: option nop follows EOL/],
    ['an MSS past 16 bits', { options: [{ kind: 'mss', mss: 65536 }] }, /^event 1: options\.0\.mss: /],
    ['option data that is not hex', { options: [{ kind: 'unknown', code: 30, data: 'xyz' }] }, /^event 1: options\.0\.data: hex digits in pairs$/],
  ];
  for (const [what, change, message] of refused) {
    it(`refuses ${what} in the schema, naming the event and field`, () => {
      const ev = { ...SEGMENT, ...change };
      expect(quickEvent(ev)).toBe(false);
      expect(() => parseTraceJson(doc([ev]))).toThrow(TraceFileError);
      expect(() => parseTraceJson(doc([ev]))).toThrow(message);
    });
  }

  it('refuses a datagram with a bad endpoint (a capture written from the trace holds datagrams)', () => {
    const datagram = { t: 1, kind: 'datagram', id: 9, src: '10.0.0.1:5000', dst: '10.0.0.2:99999', len: 0, fate: 'delivered' };
    expect(quickEvent(datagram)).toBe(false);
    expect(() => parseTraceJson(doc([SEGMENT, datagram]))).toThrow(/^event 2: dst: .*port 99999/);
  });

  // What the readers do accept passes, and reads through to the replay and a capture without an error.
  const accepted: Array<[string, Record<string, unknown>]> = [
    ['IPv6 endpoints', { src: '[2001:db8::1]:40000', dst: '[2001:DB8:0::2]:80' }],
    ['base64 without padding (the decoder reads it)', { payload: 'YWI', len: 2 }],
    ['a payload shorter than len (a capture cut by snaplen)', { len: 1000 }],
    ['no payload', { payload: undefined }],
    ['port 0 and port 65535', { src: '0.0.0.0:0', dst: '255.255.255.255:65535' }],
    ['the largest len an IPv4 packet holds with these options (20 octets of them)', { len: 65475, payload: undefined }],
  ];
  for (const [what, change] of accepted) {
    it(`accepts ${what}, and replays it`, () => {
      const ev = { ...SEGMENT, ...change };
      expect(quickEvent(ev)).toBe(true);
      const trace = parseTraceJson(doc([ev]));
      expect(replayPackets(packetsFromTrace(trace)).packets).toBe(1);
      expect(traceRecords(trace)).toHaveLength(1);
    });
  }
});
