// `synack diff A B`: a trace and a capture of one run are the same (exit 0), so are two seeds; two
// different runs exit 1 with the side-by-side naming the divergence; bad input exits 2 with one line.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/scenarios/index.js';
import type { Trace } from '../../src/sim/trace.js';
import { capture } from './fake-registry.js';

const dir = mkdtempSync(join(tmpdir(), 'synack-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const registry = () => ({ scenarios: SCENARIOS, runs: [] });

/** `synack run NAME --seed SEED --json` into a file. */
async function traceFile(name: string, seed: number): Promise<string> {
  const path = join(dir, `${name}-${seed}.json`);
  const r = await capture(['run', name, '--seed', String(seed), '--json'], registry());
  expect(r.stderr).toBe('');
  writeFileSync(path, r.stdout);
  return path;
}

/** `synack run NAME --seed SEED --pcap FILE` (or --pcapng). */
async function captureFile(name: string, seed: number, format: 'pcap' | 'pcapng' = 'pcap'): Promise<string> {
  const path = join(dir, `${name}-${seed}.${format}`);
  const r = await capture(['run', name, '--seed', String(seed), `--${format}`, path], registry());
  expect(r.stderr).toBe('');
  return path;
}

describe('synack diff: the same run', () => {
  it('a trace JSON and the pcap of the same run: exit 0, "same"', async () => {
    const r = await capture(['diff', await traceFile('echo', 1), await captureFile('echo', 1)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^A: .*echo-1\.json: 10 packets, 1 connection\nB: .*echo-1\.pcap: 10 packets, 1 connection\nsame\n$/);
  });

  it('two seeds (other ISNs, ports, timestamps): exit 0', async () => {
    const r = await capture(['diff', await traceFile('many-clients', 1), await captureFile('many-clients', 2, 'pcapng')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nsame\n$/);
  });

  it('--json says same: true with each side\'s counts', async () => {
    const r = await capture(['diff', await traceFile('lost-fin', 1), await traceFile('lost-fin', 4), '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { same: boolean; divergences: unknown[]; a: { packets: number; connections: number } };
    expect(doc.same).toBe(true);
    expect(doc.divergences).toEqual([]);
    expect(doc.a).toMatchObject({ packets: 9, connections: 1 });
  });
});

describe('synack diff: different runs', () => {
  it('lost-syn against three-way-handshake: exit 1, the side-by-side names the divergence', async () => {
    const a = await traceFile('lost-syn', 1);
    const b = await captureFile('three-way-handshake', 1);
    const r = await capture(['diff', a, b]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`synack: ${a} and ${b} differ: 2 divergences\n`);
    expect(r.stdout).toContain('first divergence: host1:eph1>host2:9999, from host1:eph1');
    expect(r.stdout).toContain('connection: host1:eph1>host2:9999 only in A (9 segments from 0.000 s); B has host1:eph1>host2:8898');
    expect(r.stdout).toMatch(/^>> 0\.000 +\S+ +SYN .*\| +\(none\)$/m);
    expect(r.stdout).toMatch(/^   1\.000 +\S+ +SYN\(rtx\) /m);
    expect(r.stdout).toMatch(/\n1 more divergence:\n  host1:eph1>host2:8898, from host1:eph1, segment 1: connection: host1:eph1>host2:8898 only in B/);
  });

  it('lost-fin against client-closes-first: the flags of the server\'s third segment, marked', async () => {
    const r = await capture(['diff', await traceFile('lost-fin', 1), await captureFile('client-closes-first', 1), '--width', '100']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('\n  flags: A FIN-ACK, B ACK\n');
    expect(r.stdout).toMatch(/^>> 0\.207 .*\*FIN-ACK\*.* \| 0\.043 .*\*ACK\*/m);
    for (const line of r.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('--json lists the divergences and exits 1', async () => {
    const r = await capture(['diff', await traceFile('lost-fin', 1), await traceFile('client-closes-first', 1), '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { same: boolean; divergences: Array<{ field: string; from: string; index: number }> };
    expect(doc.same).toBe(false);
    expect(doc.divergences[0]).toMatchObject({ field: 'flags', from: 'host2:9999', index: 2 });
  });

  describe('times', () => {
    let a: string;
    let slow: string;
    beforeAll(async () => {
      a = await traceFile('echo', 1);
      // The same run with every segment after the first 200 ms later.
      const trace = JSON.parse(readFileSync(a, 'utf8')) as Trace;
      let first = true;
      for (const e of trace.events) {
        if (e.kind !== 'segment') continue;
        if (!first) e.t += 200_000;
        first = false;
      }
      slow = join(dir, 'echo-slow.json');
      writeFileSync(slow, JSON.stringify(trace));
    });

    it('are compared by default, within 30 ms + 3%', async () => {
      const r = await capture(['diff', a, slow]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/\n  time: A 0\.001 s, B 0\.201 s \(tolerance ±0\.036 s\)\n/);
      expect(r.stdout).toMatch(/^>> \*0\.001\* +\S+ +SYN-ACK +0 +1 .*\| \*0\.201\* /m);
    });

    it('--tolerance MS sets the allowed difference', async () => {
      expect((await capture(['diff', a, slow, '--tolerance', '250'])).code).toBe(0);
      expect((await capture(['diff', a, slow, '--tolerance', '150'])).code).toBe(1);
    });

    it('--no-time leaves them out', async () => {
      const r = await capture(['diff', a, slow, '--no-time']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/\nsame\n$/);
    });
  });
});

describe('synack diff: bad input exits 2 with one line', () => {
  it.each([
    ['a missing file', (d: string) => join(d, 'nope.pcap'), /^synack: .*nope\.pcap: no such file\n$/],
    ['a text file', (d: string) => (writeFileSync(join(d, 'notes.txt'), 'hello, world\n'), join(d, 'notes.txt')), /^synack: .*notes\.txt: not a pcap, pcapng or trace JSON \(it starts with 68 65 6c 6c\)\n$/],
    ['an empty file', (d: string) => (writeFileSync(join(d, 'empty.pcap'), ''), join(d, 'empty.pcap')), /^synack: .*empty\.pcap: empty file/],
    ['JSON that is not a trace', (d: string) => (writeFileSync(join(d, 'other.json'), '{"format":"something-else"}'), join(d, 'other.json')), /^synack: .*other\.json: not a synack trace: /],
    ['a directory', (d: string) => (mkdirSync(join(d, 'sub'), { recursive: true }), join(d, 'sub')), /^synack: .*sub: is a directory/],
  ])('%s', async (_, make, message) => {
    const good = await traceFile('echo', 1);
    for (const argv of [['diff', make(dir), good], ['diff', good, make(dir)]]) {
      const r = await capture(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
  });

  it.each([
    [['diff'], /needs two files/],
    [['diff', 'a.pcap'], /needs two files/],
    [['diff', 'a.pcap', 'b.pcap', 'c.pcap'], /unexpected argument "c\.pcap" for "diff"/],
    [['diff', 'a', 'b', '--tolerance', 'soon'], /bad --tolerance "soon"/],
    [['diff', 'a', 'b', '--tolerance', '10', '--no-time'], /--tolerance and --no-time/],
    [['diff', 'a', 'b', '--width', '5'], /bad width "5"/],
    [['diff', 'a', 'b', '--colour'], /unknown option --colour for "diff"/],
  ])('%j', async (argv, message) => {
    const r = await capture(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});

describe('synack diff: help', () => {
  it.each([[['diff', '--help']], [['diff', '-h']], [['help', 'diff']]])('%j prints the usage', async (argv) => {
    const r = await capture(argv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: synack diff A B \[options\]\n/);
    expect(r.stdout).toContain('--no-time');
  });

  it('the main usage lists it', async () => {
    expect((await capture(['--help'])).stdout).toContain('synack diff A B [opts]');
  });
});
