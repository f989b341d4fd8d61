// The simulator as a source of realistic pairs: one scenario under two seeds (other ISNs, ports and
// timestamps) normalises to the same streams; a fault or another scenario shows up as the divergence
// it causes; a trace and the pcap written from it are the same run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceRecords } from '../../src/replay/to-capture.js';
import { diffNormalised } from '../../src/diff/diff.js';
import { normalise, type Normalised } from '../../src/diff/normalise.js';
import { writePcapng } from '../../src/pcap/index.js';
import { packetsFromCapture } from '../../src/replay/from-capture.js';
import { packetsFromTrace } from '../../src/replay/index.js';
import { scenarioFromFile } from '../../src/scenarios/file/build.js';
import { BUILTIN_DIR } from '../../src/scenarios/file/load.js';
import { parseScenarioText } from '../../src/scenarios/file/parse.js';
import { SCENARIOS } from '../../src/scenarios/index.js';
import type { Trace } from '../../src/sim/trace.js';

const NAMES = { '10.0.0.1': 'client', '10.0.0.2': 'server' };

async function traceOf(name: string, seed: number): Promise<Trace> {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  return scenario.run({ profile: 'linux', seed });
}

async function normalOf(name: string, seed: number): Promise<Normalised> {
  return normalise(packetsFromTrace(await traceOf(name, seed)), { names: NAMES });
}

/** A built-in scenario file changed by `edit`, run with `seed`. */
async function variant(file: string, edit: (text: string) => string, seed = 1): Promise<Normalised> {
  const original = readFileSync(join(BUILTIN_DIR, file), 'utf8');
  const text = edit(original);
  expect(text).not.toBe(original);
  const scenario = scenarioFromFile(parseScenarioText(text, file), 'variant', file);
  return normalise(packetsFromTrace(await scenario.run({ profile: 'linux', seed })), { names: NAMES });
}

describe('one scenario, two seeds', () => {
  it.each(SCENARIOS.map((s) => s.name))('%s: ISNs, ports and timestamps differ, the normalised streams do not', async (name) => {
    const [t1, t2] = [await traceOf(name, 1), await traceOf(name, 2)];
    const a = normalise(packetsFromTrace(t1), { names: NAMES });
    const b = normalise(packetsFromTrace(t2), { names: NAMES });
    expect(diffNormalised(a, b)).toEqual([]);
    expect(b.segments).toEqual(a.segments);
  });

  it('the seeds do change the raw numbers (so the test above means something)', async () => {
    const [p1, p2] = [packetsFromTrace(await traceOf('echo', 1)), packetsFromTrace(await traceOf('echo', 2))];
    expect(p1[0]!.segment.seq).not.toBe(p2[0]!.segment.seq);
    expect(p1[0]!.segment.srcPort).not.toBe(p2[0]!.segment.srcPort);
    const n = await normalOf('echo', 1);
    expect(n.segments[0]).toMatchObject({ conn: 'client:eph1>server:50007', flags: 'SYN', seq: 0 });
  });
});

describe('a fault shows up as the divergence it causes', () => {
  it('lost-syn against the same file without its fault: the SYN retransmission, and the SYN-ACK a second late', async () => {
    const lossy = await normalOf('lost-syn', 1);
    const clean = await variant('11-lost-syn.yaml', (t) => t.replace(/^faults:\n(  - .*\n)+/m, ''));
    const found = diffNormalised(lossy, clean);
    expect(found.map((d) => [d.conn, d.from, d.index, d.field])).toEqual([
      ['client:eph1>server:9999', 'server:9999', 0, 'time'],
      ['client:eph1>server:9999', 'client:eph1', 1, 'flags'],
    ]);
    expect(found[0]!.detail).toMatch(/^time: A 1\.00\d s, B 0\.00\d s \(tolerance ±0\.060 s\)$/);
    expect(found[1]!.detail).toBe('flags: A SYN, B ACK');
    expect(found[1]!.a).toMatchObject({ flags: 'SYN', retransmit: true });
    // Without times, only the extra SYN is left.
    expect(diffNormalised(lossy, clean, { time: false }).map((d) => d.field)).toEqual(['flags']);
  });

  it('a server without SACK (tcp_sack: 0) differs in its SYN-ACK\'s options', async () => {
    const base = await normalOf('three-way-handshake', 1);
    const other = await variant('01-three-way-handshake.yaml', (t) => t.replace('server: { address: 10.0.0.2 }', 'server: { address: 10.0.0.2, knobs: { tcp_sack: 0 } }'));
    const found = diffNormalised(base, other);
    expect(found.map((d) => [d.from, d.index, d.field])).toEqual([['server:8898', 0, 'options']]);
    expect(found[0]!.a!.options).toContain('sackOK');
    expect(found[0]!.b!.options).not.toContain('sackOK');
  });

  it('lost-fin against client-closes-first (same ports): the server\'s FIN comes after the retransmitted one', async () => {
    const found = diffNormalised(await normalOf('lost-fin', 1), await normalOf('client-closes-first', 1));
    expect(found[0]).toMatchObject({ conn: 'client:eph1>server:9999', from: 'server:9999', field: 'flags', detail: 'flags: A FIN-ACK, B ACK' });
  });

  it('two scenarios on different ports share no connection', async () => {
    const found = diffNormalised(await normalOf('lost-syn', 1), await normalOf('three-way-handshake', 1));
    expect(found.map((d) => [d.conn, d.field])).toEqual([
      ['client:eph1>server:9999', 'connection'],
      ['client:eph1>server:8898', 'connection'],
    ]);
  });
});

describe('a trace and its capture', () => {
  it.each(['echo', 'lost-syn-ack', 'tw-reuse', 'syn-flood-syncookies', 'send-buffer-full'])('%s: the pcapng written from the trace is the same run', async (name) => {
    const trace = await traceOf(name, 3);
    const fromCapture = packetsFromCapture(writePcapng(traceRecords(trace))).packets;
    expect(fromCapture.length).toBeGreaterThan(0);
    const a = normalise(packetsFromTrace(trace));
    const b = normalise(fromCapture);
    expect(diffNormalised(a, b)).toEqual([]);
  });
});
