// Fuzz of the trace JSON reader (issue 10): a valid trace mutated (fields deleted or replaced, types changed,
// random endpoints, base64, flags, huge numbers, nesting) is either refused with the documented
// ReplayInputError (a TraceFileError inside), or read through everything after the schema without any error:
// packetsFromTrace, replayPackets, diff's normalise, the capture written from it.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalise } from '../../src/diff/index.js';
import { packetsFromTrace } from '../../src/replay/from-trace.js';
import { readReplayInput, ReplayInputError } from '../../src/replay/read-input.js';
import { replayPackets } from '../../src/replay/replay.js';
import { captureBytes } from '../../src/replay/to-capture.js';
import { parseTraceJson } from '../../src/replay/trace-json.js';
import { SCENARIOS } from '../../src/scenarios/index.js';
import { fcOptions } from '../properties/harness.js';

/** A hand-made trace with what the scenarios may lack: IPv6, a datagram, SACK and unknown options, a payload. */
const SMALL = {
  format: 'synack-trace',
  version: 1,
  scenario: 'fuzz',
  profile: 'linux',
  seed: 1,
  hosts: [{ name: 'a', address: '2001:db8::1' }, { name: 'b', address: '2001:db8::2' }],
  events: [
    { t: 0, kind: 'segment', id: 1, src: '[2001:db8::1]:4000', dst: '[2001:db8::2]:80', flags: ['SYN'], seq: 7, ack: 0, len: 0, win: 65535, options: [{ kind: 'mss', mss: 1440 }, { kind: 'sackPermitted' }, { kind: 'unknown', code: 30, data: 'ab01' }], fate: 'delivered', arrival: 10 },
    { t: 10, kind: 'segment', id: 2, src: '[2001:db8::2]:80', dst: '[2001:db8::1]:4000', flags: ['SYN', 'ACK'], seq: 99, ack: 8, len: 0, win: 65535, options: [{ kind: 'windowScale', shift: 7 }], fate: 'delivered' },
    { t: 20, kind: 'segment', id: 3, src: '[2001:db8::1]:4000', dst: '[2001:db8::2]:80', flags: ['ACK', 'PSH'], seq: 8, ack: 100, len: 3, win: 512, options: [{ kind: 'sack', blocks: [[1, 2]] }, { kind: 'timestamps', tsVal: 1, tsEcr: 2 }], fate: 'dropped', payload: 'YWJj' },
    { t: 25, kind: 'datagram', id: 4, src: '[2001:db8::1]:53', dst: '[2001:db8::2]:53', len: 2, fate: 'delivered', payload: 'AAE=' },
    { t: 30, kind: 'state', host: 'a', socket: 1, endpoint: '[2001:db8::1]:4000', from: 'SYN_SENT', to: 'ESTABLISHED', peer: '[2001:db8::2]:80' },
  ],
};

/** Values that sit at or past what a field holds, of every JSON type. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53, 1e308, -1e308, null, true, false, '', [], {}, [[[[]]]], { a: { b: {} } }),
  fc.constantFrom('10.0.0.1:65536', '10.0.0.01:80', '10.1:80', '[10.0.0.2]:80', '[::1]:80', '[::1]80', '::1:80', '1.2.3.4:', ':80', '[]:1', '[1::2::3]:4', '256.0.0.1:1', '0.0.0.0:0'),
  fc.constantFrom('YWJj', 'YQ', 'YQ=', 'YQ==', 'Y', 'a b', '====', '!!', 'YWJjZA==='),
  fc.constantFrom('SYN', 'ACK', 'FIN', 'RST', 'XMAS', 'segment', 'datagram', 'state', 'mss', 'sack', 'unknown', 'windowScale', 'timestamps', 'eol'),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.nat({ max: 2 ** 32 + 5 }), { maxLength: 3 }),
);

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

/** Every place in a JSON tree a value sits. */
function slots(tree: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(tree)) tree.forEach((v, i) => (out.push({ parent: tree, key: i }), slots(v, out)));
  else if (tree !== null && typeof tree === 'object') for (const [k, v] of Object.entries(tree)) (out.push({ parent: tree as Record<string, unknown>, key: k }), slots(v, out));
  return out;
}

type Edit = { at: number; how: 'delete' | 'replace' | 'wrap' | 'copy'; value: unknown };

const edit: fc.Arbitrary<Edit> = fc.record({ at: fc.nat(), how: fc.constantFrom('delete', 'replace', 'replace', 'wrap', 'copy'), value: hostile });

function mutate(base: unknown, edits: Edit[]): string {
  const tree = structuredClone(base);
  for (const e of edits) {
    const all = slots(tree);
    if (all.length === 0) break;
    const { parent, key } = all[e.at % all.length]!;
    const p = parent as Record<string | number, unknown>;
    if (e.how === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete p[key];
    } else if (e.how === 'replace') p[key] = e.value;
    else if (e.how === 'wrap') p[key] = [p[key]]; // a value nested one level deeper
    else if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number])); // one more of the same
    else p[String(e.value).slice(0, 12)] = structuredClone(p[key]); // a field copied under another (maybe unknown) name
  }
  return JSON.stringify(tree);
}

/** Read it as `synack replay` and `synack diff` would, then write it as a capture: only ReplayInputError may come out. */
function readsOrExplains(text: string): void {
  let packets;
  try {
    packets = readReplayInput(new TextEncoder().encode(text)).packets;
  } catch (e) {
    if (!(e instanceof ReplayInputError)) throw e;
    expect(e.message).not.toMatch(/\n/);
    return;
  }
  replayPackets(packets);
  normalise(packets);
  captureBytes(parseTraceJson(text), 'pcap');
}

describe('trace JSON fuzz: a mutated trace is refused with one line, or read without error', () => {
  let bases: unknown[] = [];
  beforeAll(async () => {
    const runs = await Promise.all(['echo', 'lost-fin', 'many-clients'].map((n) => SCENARIOS.find((s) => s.name === n)!.run({ profile: 'linux', seed: 1 })));
    bases = [SMALL, ...runs.map((t) => JSON.parse(JSON.stringify(t)) as unknown)];
  });

  it('the unmutated traces read through', () => {
    for (const b of bases) expect(packetsFromTrace(parseTraceJson(JSON.stringify(b))).length).toBeGreaterThan(0);
  });

  it('mutations of the small hand-made trace', () => {
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => readsOrExplains(mutate(SMALL, edits))), fcOptions(3000, 101_010));
  });

  it('mutations aimed at segment fields of scenario runs', () => {
    // Edits anywhere in a whole run mostly hit the hosts or one of many events: here each edit picks an event
    // and one of its fields, so the segment checks are what get tried.
    const aimed = fc.tuple(fc.nat({ max: 2 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('src', 'dst', 'len', 'payload', 'seq', 'ack', 'win', 'flags', 'options', 't', 'id', 'kind', 'fate'), hostile), { minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(aimed, ([which, edits]) => {
        const tree = structuredClone(bases[1 + which]) as { events: Array<Record<string, unknown>> };
        for (const [at, field, value] of edits) tree.events[at % tree.events.length]![field] = value;
        readsOrExplains(JSON.stringify(tree));
      }),
      fcOptions(1500, 202_020),
    );
  });
});
