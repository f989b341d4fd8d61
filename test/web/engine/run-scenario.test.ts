// Running a scenario file's text in the page (web/src/engine/run-scenario.ts), with the settings the
// UI offers: profile, seed, the default link's latency and loss, the file's knobs.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarioText, scenarioKnobs, ScenarioFileError } from '../../../web/src/engine/run-scenario.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import type { SegmentEvent, Trace } from '../../../src/sim/trace.js';

const text = (file: string) => readFileSync(resolve(import.meta.dirname, '../../../scenarios', file), 'utf8');
const HANDSHAKE = text('01-three-way-handshake.yaml');
const SOURCE = 'scenarios/01-three-way-handshake.yaml';
const segments = (trace: Trace) => trace.events.filter((e): e is SegmentEvent => e.kind === 'segment');

describe('runScenarioText', () => {
  it('runs three-way-handshake: SYN, SYN-ACK, ACK, and the file\'s expectations hold', async () => {
    const { trace, checks } = await runScenarioText(HANDSHAKE, SOURCE, { profile: 'linux', seed: 1 });
    expect(trace.scenario).toBe('three-way-handshake');
    expect(segments(trace).map((s) => s.flags.join(','))).toEqual(['SYN', 'SYN,ACK', 'ACK']);
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('gives the same trace for the same seed and another for another seed (ISNs come from the seed)', async () => {
    const run = async (seed: number) => JSON.stringify((await runScenarioText(HANDSHAKE, SOURCE, { profile: 'linux', seed })).trace);
    expect(await run(3)).toBe(await run(3));
    expect(await run(3)).not.toBe(await run(4));
  });

  it('a loss override changes the trace: with loss 1 every segment is dropped and the SYN retransmitted', async () => {
    const plain = await runScenarioText(HANDSHAKE, SOURCE, { profile: 'linux', seed: 1 });
    const lossy = await runScenarioText(HANDSHAKE, SOURCE, { profile: 'linux', seed: 1, loss: 1 });
    expect(JSON.stringify(lossy.trace)).not.toBe(JSON.stringify(plain.trace));
    const sent = segments(lossy.trace);
    expect(sent.every((s) => s.fate === 'dropped')).toBe(true);
    expect(sent.filter((s) => s.flags.join(',') === 'SYN').length).toBeGreaterThan(1);
    // The file's expectation (client reaches ESTABLISHED) now fails, and says so.
    expect(lossy.checks.some((c) => !c.ok)).toBe(true);
  });

  it('a latency override sets the one-way delay of each segment (microseconds)', async () => {
    const { trace } = await runScenarioText(HANDSHAKE, SOURCE, { profile: 'linux', seed: 1, latency: 25_000 });
    expect(segments(trace).map((s) => s.arrival! - s.t)).toEqual([25_000, 25_000, 25_000]);
  });

  it('a knob override acts as the same knob written in the file: tcp_syn_retries 2 gives up sooner', async () => {
    const settings = { profile: 'linux', seed: 1, loss: 1 } as const;
    const syns = (trace: Trace) => segments(trace).filter((s) => s.flags.join(',') === 'SYN').length;
    const plain = await runScenarioText(HANDSHAKE, SOURCE, settings);
    const knob = await runScenarioText(HANDSHAKE, SOURCE, { ...settings, knobs: { tcp_syn_retries: 2 } });
    const inFile = await runScenarioText(HANDSHAKE.replace('hosts:', 'knobs: { tcp_syn_retries: 2 }\nhosts:'), SOURCE, settings);
    expect(syns(knob.trace)).toBeLessThan(syns(plain.trace));
    expect(JSON.stringify(knob.trace)).toBe(JSON.stringify(inFile.trace));
  });

  it('a bad YAML text is a ScenarioFileError with a one-line message naming the file, line and column', async () => {
    const run = runScenarioText('summary: "unclosed\nhosts: [', 'mine.yaml', { profile: 'linux', seed: 1 });
    await expect(run).rejects.toBeInstanceOf(ScenarioFileError);
    await expect(run).rejects.toThrow(/^mine\.yaml:\d+:\d+: YAML: [^\n]+$/);
  });

  it('bad settings are ScenarioFileErrors too, never a crash in the engine', async () => {
    await expect(runScenarioText(HANDSHAKE, 'x.yaml', { profile: 'linux', seed: 1, knobs: { tcp_no_such: 1 } })).rejects.toThrow(/^x\.yaml: unknown knob "tcp_no_such"$/);
    await expect(runScenarioText(HANDSHAKE, 'x.yaml', { profile: 'linux', seed: 1, knobs: { tcp_syn_retries: -1 } })).rejects.toThrow(ScenarioFileError);
    await expect(runScenarioText(HANDSHAKE, 'x.yaml', { profile: 'linux', seed: 1, loss: 2 })).rejects.toThrow(/^x\.yaml: loss must be a probability in 0\.\.1, got 2$/);
    await expect(runScenarioText(HANDSHAKE, 'x.yaml', { profile: 'linux', seed: 1, latency: -5 })).rejects.toThrow(ScenarioFileError);
  });
});

describe('scenarioKnobs', () => {
  it('lists the knobs a file sets, in the file\'s units (syn-flood: tcp_syncookies 0)', () => {
    const file = parseScenarioText(text('16-syn-flood.yaml'), 'syn-flood.yaml');
    expect(scenarioKnobs(file)).toEqual([{ name: 'syncookies', value: 0, kind: 'enum012' }]);
  });

  it('gives times in seconds, and what it lists runs unchanged when passed back', async () => {
    const withKnobs = HANDSHAKE.replace('hosts:', 'knobs: { tcp_fin_timeout: 30, tcp_syn_retries: 4 }\nhosts:');
    const file = parseScenarioText(withKnobs, 'k.yaml');
    const knobs = scenarioKnobs(file);
    expect(knobs).toEqual([
      { name: 'finTimeout', value: 30, kind: 'seconds' },
      { name: 'synRetries', value: 4, kind: 'retries' },
    ]);
    const plain = await runScenarioText(withKnobs, 'k.yaml', { profile: 'linux', seed: 1 });
    const again = await runScenarioText(withKnobs, 'k.yaml', { profile: 'linux', seed: 1, knobs: Object.fromEntries(knobs.map((k) => [k.name, k.value])) });
    expect(JSON.stringify(again.trace)).toBe(JSON.stringify(plain.trace));
  });

  it('a file without knobs lists none', () => {
    expect(scenarioKnobs(parseScenarioText(HANDSHAKE, SOURCE))).toEqual([]);
  });
});
