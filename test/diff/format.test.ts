// The human report (headers, "same", the first divergence with a side-by-side of its connection, the
// rest listed) and the --json document.
import { describe, expect, it } from 'vitest';
import { diffNormalised } from '../../src/diff/diff.js';
import { diffJson, formatDiff } from '../../src/diff/format.js';
import { normalise, type Normalised } from '../../src/diff/normalise.js';
import type { ObservedPacket } from '../../src/replay/types.js';
import { Conversation } from '../replay/conversation.js';

const NAMES = { '10.0.0.1': 'client', '10.0.0.2': 'server' };

/** A handshake, then `n` client segments of 100 bytes each acked by the server, then `tail`. */
function talk(n: number, tail?: (c: Conversation) => void): ObservedPacket[] {
  const c = new Conversation().handshake();
  for (let i = 0; i < n; i++) {
    c.c('PSH,ACK', { len: 100 });
    c.s('ACK');
  }
  tail?.(c);
  return c.packets;
}

const norm = (packets: ObservedPacket[]): Normalised => normalise(packets, { names: NAMES });

/** A, and B with the server's 6th ACK acking 50 bytes less. */
function pair(): [Normalised, Normalised] {
  const a = norm(talk(10));
  const packets = talk(10);
  const sixth = packets.filter((p) => p.src === '10.0.0.2')[6]!;
  sixth.segment.ack = (sixth.segment.ack - 50) >>> 0;
  return [a, norm(packets)];
}

describe('formatDiff', () => {
  it('says "same" under a header line per side', () => {
    const a = norm(talk(2));
    const text = formatDiff(a, a, [], { labels: ['sim.json', 'real.pcap'] });
    expect(text).toBe('A: sim.json: 7 packets, 1 connection\nB: real.pcap: 7 packets, 1 connection\nsame\n');
  });

  it('gives the first divergence, then its connection side by side with the divergent row marked', () => {
    const [a, b] = pair();
    const text = formatDiff(a, b, diffNormalised(a, b), { labels: ['model', 'kernel'] });
    const lines = text.split('\n');
    expect(lines[2]).toBe('first divergence: client:eph1>server:80, from server:80, segment 7 of that direction (A frame 15, B frame 15)');
    expect(lines[3]).toBe('  ack: A 601, B 551');
    const marked = lines.filter((l) => l.startsWith('>> '));
    expect(marked).toHaveLength(1);
    const [left, right] = marked[0]!.slice(3).split(' | ') as [string, string];
    expect(left).toMatch(/^0\.014\s+\S+\s+ACK\s+1\s+\*601\*\s+0\b/);
    expect(right).toMatch(/^0\.014\s+\S+\s+ACK\s+1\s+\*551\*\s+0\b/);
    // Rows: 4 before the divergent one and 2 after.
    const rows = lines.filter((l) => / \| /.test(l) && /^(>> |   )\d/.test(l));
    expect(rows).toHaveLength(7);
    expect(rows[4]).toBe(marked[0]);
    expect(rows.map((r) => r.slice(3, 8))).toEqual(['0.010', '0.011', '0.012', '0.013', '0.014', '0.015', '0.016']);
  });

  it('shows `context` rows before the divergence', () => {
    const [a, b] = pair();
    const lines = formatDiff(a, b, diffNormalised(a, b), { labels: ['a', 'b'], context: 1 }).split('\n');
    const rows = lines.filter((l) => /^(>> |   )\d/.test(l));
    expect(rows.map((r) => r.slice(0, 8))).toEqual(['   0.013', '>> 0.014', '   0.015', '   0.016']);
  });

  it.each([40, 60, 80, 100, 120, 160])('keeps every line within --width %i by trimming columns', (width) => {
    const [a, b] = pair();
    const text = formatDiff(a, b, diffNormalised(a, b), { labels: ['a-rather-long-label.json', 'another-long-label.pcapng'], width });
    for (const line of text.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
    // The differing field stays on both sides down to 60 columns (at 40 each side is cut to half).
    if (width >= 60) expect(text).toMatch(/^>> .*\*601\*.* \| .*\*551\*/m);
  });

  it('writes both roles when there is room, arrows when there is not', () => {
    const [a, b] = pair();
    const wide = formatDiff(a, b, diffNormalised(a, b), { labels: ['a', 'b'], width: 200 });
    expect(wide).toContain('server:80>client:eph1');
    const narrow = formatDiff(a, b, diffNormalised(a, b), { labels: ['a', 'b'], width: 100 });
    expect(narrow).not.toContain('server:80>client:eph1');
    expect(narrow).toContain('-> is client:eph1 to server:80, <- the other way');
    expect(narrow).toMatch(/^>> 0\.014\s+<-/m);
  });

  it('lists the divergences after the first, one line each', () => {
    const a = norm(talk(3, (c) => c.c('FIN,ACK')));
    const packets = talk(3, (c) => c.c('RST,ACK'));
    packets[1]!.segment.window = 1000; // the SYN-ACK's window
    const b = norm(packets);
    const found = diffNormalised(a, b);
    expect(found.map((d) => d.field)).toEqual(['win', 'flags']);
    const text = formatDiff(a, b, found, { labels: ['a', 'b'] });
    expect(text).toContain('  win: A 65535, B 1000\n');
    expect(text).toMatch(/\n1 more divergence:\n  client:eph1>server:80, from client:eph1, segment 6: flags: A FIN-ACK, B RST-ACK\n$/);
  });

  it('shows a connection found on one side only against "(none)"', () => {
    const a = norm(talk(1));
    const b = norm([]);
    const found = diffNormalised(a, b);
    const text = formatDiff(a, b, found, { labels: ['a', 'b'] });
    expect(text).toContain('B: b: 0 packets, 0 connections');
    expect(text).toContain('connection: client:eph1>server:80 only in A (5 segments from 0.000 s); B has no connection left unmatched');
    expect(text).toMatch(/^>> 0\.000 .*SYN.*\| +\(none\)$/m);
  });
});

describe('diffJson', () => {
  it('gives same, the divergences and each side\'s counts', () => {
    const [a, b] = pair();
    const found = diffNormalised(a, b);
    const doc = JSON.parse(JSON.stringify(diffJson(a, b, found, ['model', 'kernel'])));
    expect(doc).toEqual({
      same: false,
      divergences: [expect.objectContaining({ conn: 'client:eph1>server:80', from: 'server:80', index: 6, field: 'ack', detail: 'ack: A 601, B 551' })],
      a: { label: 'model', packets: 23, connections: 1 },
      b: { label: 'kernel', packets: 23, connections: 1 },
    });
    expect(doc.divergences[0].a).toMatchObject({ flags: 'ACK', ack: 601 });
    expect(diffJson(a, a, [])).toEqual({ same: true, divergences: [], a: { packets: 23, connections: 1 }, b: { packets: 23, connections: 1 } });
  });
});
