// `synack replay FILE`: run -> pcap -> replay gives back the run's segments and states; the command's
// outputs, --strict, and bad input (empty, not a capture, truncated, huge, malformed trace JSON).
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCaptureFile } from '../../src/cli/export-capture.js';
import { UsageError } from '../../src/cli/errors.js';
import { memoryGuard } from '../../src/cli/memory-guard.js';
import { traceRecords } from '../../src/replay/to-capture.js';
import { writePcap } from '../../src/pcap/index.js';
import { packetsFromCapture } from '../../src/replay/from-capture.js';
import { packetsFromTrace, replayPackets, type ObservedPacket } from '../../src/replay/index.js';
import { SCENARIOS } from '../../src/scenarios/index.js';
import { readFileSync } from 'node:fs';
import { capture } from './fake-registry.js';
import { makeTrace, segment } from '../render/trace-builders.js';

const dir = mkdtempSync(join(tmpdir(), 'synack-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a packet says on the wire, without its frame number. */
function wire(p: ObservedPacket) {
  const s = p.segment;
  return { t: p.t, src: p.src, dst: p.dst, sport: s.srcPort, dport: s.dstPort, seq: s.seq, ack: s.ack, flags: s.flags, win: s.window, options: JSON.stringify(s.options), payload: [...s.payload].join(','), len: p.payloadLength };
}

describe('round trip: run -> pcap -> replay', () => {
  it.each(SCENARIOS.map((s) => s.name))('%s: the capture holds the run\'s segments, and replays to the same states', async (name) => {
    const trace = await SCENARIOS.find((s) => s.name === name)!.run({ profile: 'linux', seed: 1 });
    const file = join(dir, `${name}.pcap`);
    writeCaptureFile(trace, file, 'pcap');
    const fromCapture = packetsFromCapture(new Uint8Array(readFileSync(file)));
    const fromTrace = packetsFromTrace(trace);
    const first = fromTrace[0]?.t ?? 0;
    expect(fromCapture.packets.map(wire)).toEqual(fromTrace.map((p) => wire({ ...p, t: p.t - first })));
    const a = replayPackets(fromCapture.packets).connections.map((c) => ({ a: c.a, b: c.b, states: c.states, final: c.final, violations: c.violations.map((v) => v.rule) }));
    const b = replayPackets(fromTrace).connections.map((c) => ({ a: c.a, b: c.b, states: c.states, final: c.final, violations: c.violations.map((v) => v.rule) }));
    expect(a).toEqual(b);
  });
});

describe('synack replay', () => {
  const pcapOf = async (name: string): Promise<string> => {
    const path = join(dir, `cli-${name}.pcap`);
    await capture(['run', name, '--pcap', path], { scenarios: SCENARIOS, runs: [] });
    return path;
  };

  it('draws each connection with its inferred states, and says there were no violations', async () => {
    const r = await capture(['replay', await pcapOf('echo')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Connection 1: 10\.0\.0\.1:\d+ -> 10\.0\.0\.2:50007, 10 packets\n/);
    expect(r.stdout).toContain('[SYN]');
    expect(r.stdout).toMatch(/10\.0\.0\.1:\d+: SYN_SENT -> ESTABLISHED -> FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT\n/);
    expect(r.stdout).toMatch(/\n1 connection, 10 TCP packets, 0 violations \(profile linux\)\n$/);
  });

  it('--json gives connections with a, b, packets, states, final and violations', async () => {
    const r = await capture(['replay', await pcapOf('connection-refused'), '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { connections: Array<Record<string, unknown>> };
    expect(doc.connections).toHaveLength(1);
    const c = doc.connections[0]!;
    expect(Object.keys(c).sort()).toEqual(['a', 'b', 'final', 'packets', 'states', 'violations']);
    expect(c.packets).toBe(2);
    expect(c.states).toEqual({ [c.a as string]: ['SYN_SENT', 'CLOSED'], [c.b as string]: [] });
  });

  it('--strict exits 1 when a packet breaks a rule, and the rule is named', async () => {
    const trace = await SCENARIOS.find((s) => s.name === 'echo')!.run({ profile: 'linux', seed: 1 });
    const records = traceRecords(trace);
    const synAck = records.find((r) => r.packet.proto === 'tcp' && r.packet.segment.flags === 0x12)!;
    if (synAck.packet.proto === 'tcp') synAck.packet.segment.ack = (synAck.packet.segment.ack + 1000) >>> 0;
    const path = join(dir, 'bad-ack.pcap');
    writeFileSync(path, writePcap(records));
    const plain = await capture(['replay', path]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/VIOLATION frame 2: synack-wrong-ack: /);
    const strict = await capture(['replay', path, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^synack: \d+ violations? in .*bad-ack\.pcap \(--strict\)\n$/);
  });

  it('replays a trace JSON the same as its pcap', async () => {
    const json = join(dir, 'lost-fin.json');
    const r = await capture(['run', 'lost-fin', '--json'], { scenarios: SCENARIOS, runs: [] });
    writeFileSync(json, r.stdout);
    const fromJson = await capture(['replay', json, '--json']);
    const fromPcap = await capture(['replay', await pcapOf('lost-fin'), '--json']);
    expect(fromJson.code).toBe(0);
    expect(JSON.parse(fromJson.stdout)).toEqual(JSON.parse(fromPcap.stdout));
  });
});

describe('synack replay on bad input: one line, exit 2, or a marked partial result', () => {
  const file = (name: string, bytes: Uint8Array | string): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('an empty file, a missing file, a text file', async () => {
    const empty = file('empty.pcap', '');
    expect(await capture(['replay', empty])).toEqual({ code: 2, stdout: '', stderr: `synack: ${empty}: empty file (0 bytes): expected a pcap, a pcapng or a trace JSON\n` });
    expect((await capture(['replay', join(dir, 'missing.pcap')])).stderr).toBe(`synack: ${join(dir, 'missing.pcap')}: no such file\n`);
    const text = file('notes.txt', 'hello world');
    expect(await capture(['replay', text])).toEqual({ code: 2, stdout: '', stderr: `synack: ${text}: not a pcap, pcapng or trace JSON (it starts with 68 65 6c 6c)\n` });
  });

  it('a pcap cut off in the middle of a record: the packets before it, marked partial', async () => {
    const trace = await SCENARIOS.find((s) => s.name === 'echo')!.run({ profile: 'linux', seed: 1 });
    const whole = writePcap(traceRecords(trace));
    const cut = file('cut.pcap', whole.subarray(0, whole.length - 20));
    const r = await capture(['replay', cut, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { partial?: boolean; warnings?: string[]; connections: Array<{ packets: number }> };
    expect(doc.partial).toBe(true);
    expect(doc.connections[0]!.packets).toBe(9);
    expect(doc.warnings?.some((w) => /cut short|ends/.test(w))).toBe(true);
  });

  it('a 2 GB file of zeros is refused at once, without reading it', async () => {
    const path = join(dir, 'zeros.pcap');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, 2 * 1024 ** 3);
    closeSync(fd);
    const r = await capture(['replay', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`synack: ${path}: not a pcap, pcapng or trace JSON (it starts with 00 00 00 00)\n`);
  });

  it('a 2 GB pcap of empty records stops at --max-packets and says the result is partial', async () => {
    const path = join(dir, 'huge.pcap');
    const header = new Uint8Array(24);
    const v = new DataView(header.buffer);
    v.setUint32(0, 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setUint32(16, 262144, true);
    v.setUint32(20, 1, true);
    const fd = openSync(path, 'w');
    writeSync(fd, header);
    ftruncateSync(fd, 2 * 1024 ** 3);
    closeSync(fd);
    const r = await capture(['replay', path, '--max-packets', '5000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PARTIAL: the input was cut short\n$/);
    expect(r.stdout).toContain('stopped after 5000 frames');
  });

  it('a trace JSON with a broken event names the event and field', async () => {
    const bad = file('bad.json', JSON.stringify({ format: 'synack-trace', version: 1, scenario: 'x', profile: 'linux', seed: 1, hosts: [], events: [{ t: 0, kind: 'segment', id: 1, src: '10.0.0.1:1', dst: '10.0.0.2:2', flags: ['SYN'], seq: -5, ack: 0, len: 0, win: 0, options: [], fate: 'delivered' }] }));
    const r = await capture(['replay', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^synack: .*bad\.json: event 1: seq: .*\n$/);
  });

  // Issue 10: values the schema once let through and a later reader refused (exit 70 from replay). Now the
  // schema refuses them, and replay and diff say the same line: the file, the event, the field.
  it.each([
    ['a port past 65535', { src: '10.0.0.1:65536' }, /event 1: src: invalid endpoint "10\.0\.0\.1:65536": port 65536 is out of range 0\.\.65535/],
    ['a leading zero', { src: '10.0.0.01:1' }, /event 1: src: .*"01" is not a decimal number without leading zeros/],
    ['a two-part IPv4 address', { dst: '10.2:2' }, /event 1: dst: .*four dot-separated parts/],
    ['a bracketed IPv4 address', { dst: '[10.0.0.2]:2' }, /event 1: dst: .*brackets are only for IPv6 addresses/],
    ['base64 the decoder refuses', { len: 1, payload: 'YWJjZ' }, /event 1: payload: not valid base64/],
    ['a len smaller than the payload', { len: 2, payload: 'YWJj' }, /event 1: len: 2 is less than the 3 payload bytes/],
  ])('a trace JSON with %s: replay and diff say the same line, exit 2', async (what, change, message) => {
    const event = { t: 0, kind: 'segment', id: 1, src: '10.0.0.1:1', dst: '10.0.0.2:2', flags: ['SYN'], seq: 5, ack: 0, len: 0, win: 0, options: [], fate: 'delivered', ...change };
    const bad = file(`bad-${what.replace(/\W+/g, '-')}.json`, JSON.stringify({ format: 'synack-trace', version: 1, scenario: 'x', profile: 'linux', seed: 1, hosts: [], events: [event] }));
    const good = file('good.json', JSON.stringify({ format: 'synack-trace', version: 1, scenario: 'x', profile: 'linux', seed: 1, hosts: [], events: [] }));
    const replay = await capture(['replay', bad]);
    expect(replay.code).toBe(2);
    expect(replay.stdout).toBe('');
    expect(replay.stderr).toMatch(new RegExp(`^synack: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${message.source}\n$`));
    for (const argv of [['diff', bad, good], ['diff', good, bad]]) expect(await capture(argv)).toEqual({ ...replay, stdout: '' });
  });

  it('deeply nested JSON: a clear error, no stack overflow', async () => {
    const deep = file('deep.json', `{"a":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`);
    const r = await capture(['replay', deep]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^synack: .*deep\.json: (not valid JSON|not a synack trace): .*\n$/);
  });

  it('a bad --max-packets value', async () => {
    const r = await capture(['replay', 'x.pcap', '--max-packets', 'lots']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'synack: bad --max-packets "lots": expected a whole number of at least 1\n' });
  });
});

describe('synack replay of a loopback capture', () => {
  it('draws both ends of a 127.0.0.1 connection as two lifelines, arrows going both ways', async () => {
    const trace = await SCENARIOS.find((s) => s.name === 'three-way-handshake')!.run({ profile: 'linux', seed: 1 });
    const records = traceRecords(trace).map((r) => ({ ...r, packet: { ...r.packet, src: '127.0.0.1', dst: '127.0.0.1' } }));
    const path = join(dir, 'loopback.pcap');
    writeFileSync(path, writePcap(records));
    const r = await capture(['replay', path]);
    expect(r.code).toBe(0);
    const arrows = r.stdout.split('\n').filter((l) => l.includes('[SYN') || l.includes('[ACK]'));
    expect(arrows).toHaveLength(3);
    expect(arrows[0]).toMatch(/\|--\[SYN\].*>\|/);
    expect(arrows[1]).toMatch(/\|<.*\[SYN,ACK\]/);
    expect(arrows[2]).toMatch(/\|--\[ACK\].*>\|/);
  });
});

describe('synack replay of a TCP self-connect', () => {
  it('draws the one endpoint as one lifeline, each segment an arrow to itself', async () => {
    // connect() from 127.0.0.1:5000 to itself: Linux answers its own SYN (simultaneous open, RFC 9293 3.5).
    const E = '127.0.0.1:5000';
    const self = makeTrace(
      [
        segment(0, E, E, ['SYN'], 100, 0),
        segment(10, E, E, ['SYN', 'ACK'], 100, 101),
        segment(20, E, E, ['ACK'], 101, 101),
      ],
      [{ name: 'host', address: '127.0.0.1' }],
    );
    const path = join(dir, 'self-connect.pcap');
    writeFileSync(path, writePcap(traceRecords(self)));
    const r = await capture(['replay', path]);
    expect(r.stderr).toBe('');
    const arrows = r.stdout.split('\n').filter((l) => /\[(SYN|SYN,ACK|ACK)\]/.test(l));
    expect(arrows).toHaveLength(3);
    for (const line of arrows) {
      expect(line).toMatch(/ @ +\[[A-Z,]+\] .*\(to itself\)/);
      expect(line.length).toBeLessThanOrEqual(80);
    }
  });
});

// Issue 10: a capture too big for the heap stops with one line (exit 2) before V8 aborts. The guard is
// given a fake heap here; the CLI gives it V8's limit (docs/reading-captures.md, Limits).
describe('the memory guard', () => {
  it('lets the work go on while the heap in use is within the budget', () => {
    expect(() => memoryGuard(100 * 2 ** 20, () => 100 * 2 ** 20)(10_000, 'frames read')).not.toThrow();
  });

  it('past the budget: a UsageError saying how far it got and how to read part of the capture', () => {
    const guard = memoryGuard(100 * 2 ** 20, () => 101 * 2 ** 20);
    expect(() => guard(250_000, 'packets replayed')).toThrow(UsageError);
    expect(() => guard(250_000, 'packets replayed')).toThrow(
      'the capture needs more memory than this process has: 101 MB in use after 250000 packets replayed, past the 100 MB allowed; use --max-packets N to read part of it (or run node with a larger --max-old-space-size)',
    );
  });

  it('the capture reader calls it every 10,000 frames', () => {
    const bytes = writePcap(Array.from({ length: 25_000 }, (_, i) => ({ timeMicros: i, packet: { proto: 'udp' as const, src: '10.0.0.1', dst: '10.0.0.2', datagram: { srcPort: 1, dstPort: 2, payload: new Uint8Array(0) } } })));
    const seen: number[] = [];
    packetsFromCapture(bytes, { onProgress: (n) => seen.push(n) });
    expect(seen).toEqual([10_000, 20_000]);
  });
});
