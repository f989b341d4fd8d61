// `synack run NAME --pcap`: every built-in scenario's capture opens in tshark with no malformed packet and
// no bad checksum, tshark decodes the same segments, and Wireshark's own TCP analysis marks as
// retransmissions exactly the segments the trace marks.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { writeCaptureFile } from '../../src/cli/export-capture.js';
import { SCENARIOS } from '../../src/scenarios/index.js';
import type { DatagramEvent, SegmentEvent, Trace } from '../../src/sim/trace.js';
import { describeWithTool, toolAvailable } from '../support/requires-tool.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'synack-pcap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIELDS = [
  'frame.number', '_ws.malformed', 'ip.checksum.status', 'tcp.checksum.status', 'udp.checksum.status',
  'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'tcp.len', 'udp.length',
  'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission',
];

async function tshark(file: string): Promise<Array<Record<string, string>>> {
  const args = ['-r', file, '-n', '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
    '-T', 'fields', '-E', 'separator=/t', ...FIELDS.flatMap((f) => ['-e', f])];
  const { stdout } = await run('tshark', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout.trimEnd().split('\n').map((line) => Object.fromEntries(line.split('\t').map((v, i) => [FIELDS[i]!, v])));
}

/** The packets a capture at the sender sees: each segment/datagram id once. */
function sent(trace: Trace): Array<SegmentEvent | DatagramEvent> {
  const seen = new Set<number>();
  return trace.events.filter((e): e is SegmentEvent | DatagramEvent => (e.kind === 'segment' || e.kind === 'datagram') && !seen.has(e.id) && (seen.add(e.id), true));
}

/**
 * Where Wireshark's heuristics and the trace disagree for a reason that is Wireshark's, not ours: frame
 * numbers Wireshark flags as retransmissions that are not.
 */
const WIRESHARK_MISREADS: Record<string, { misread: (ev: SegmentEvent | DatagramEvent) => boolean; why: string }> = {
  'rst-in-window': {
    misread: (ev) => ev.kind === 'segment' && ev.payload !== undefined && atob(ev.payload) === 'late',
    why: 'the forged in-window SYN (frame 20) makes Wireshark start a new conversation ("TCP Port numbers reused"); ' +
      'measured against that conversation the server\'s "late" data looks old',
  },
};

const FLAG_BITS: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 };

describeWithTool('tshark', toolAvailable('tshark', ['--version']))('pcap export opened by tshark', () => {
  for (const profile of ['linux', 'rfc9293'] as const) {
    it.each(SCENARIOS.map((s) => s.name))(`%s (${profile}): clean in tshark, same segments, same retransmissions`, async (name) => {
      const trace = await SCENARIOS.find((s) => s.name === name)!.run({ profile, seed: 1 });
      const file = join(dir, `${name}-${profile}.pcap`);
      writeCaptureFile(trace, file, 'pcap');
      const rows = await tshark(file);
      const packets = sent(trace);
      expect(rows).toHaveLength(packets.length);
      rows.forEach((row, i) => {
        const ev = packets[i]!;
        expect(row['_ws.malformed'], `frame ${i + 1} malformed`).toBe('');
        expect(row['ip.checksum.status'], `frame ${i + 1} IP checksum`).toBe('1'); // 1 = good
        if (ev.kind === 'segment') {
          expect(row['tcp.checksum.status'], `frame ${i + 1} TCP checksum`).toBe('1');
          expect(Number(row['tcp.srcport'])).toBe(Number(ev.src.split(':')[1]));
          expect(Number(row['tcp.dstport'])).toBe(Number(ev.dst.split(':')[1]));
          expect(Number(row['tcp.seq_raw'])).toBe(ev.seq);
          if (ev.flags.includes('ACK')) expect(Number(row['tcp.ack_raw'])).toBe(ev.ack);
          expect(Number(row['tcp.flags'])).toBe(ev.flags.reduce((n, f) => n | FLAG_BITS[f]!, 0));
          expect(Number(row['tcp.len'])).toBe(ev.len);
        } else {
          expect(row['udp.checksum.status'], `frame ${i + 1} UDP checksum`).toBe('1');
          expect(Number(row['udp.length'])).toBe(8 + ev.len);
        }
      });
      const wireshark = rows.filter((r) => r['tcp.analysis.retransmission'] || r['tcp.analysis.fast_retransmission'] || r['tcp.analysis.spurious_retransmission']).map((r) => Number(r['frame.number']));
      const ours = packets.flatMap((p, i) => (p.kind === 'segment' && p.retransmit ? [i + 1] : []));
      const exception = WIRESHARK_MISREADS[name];
      const misread = exception ? packets.flatMap((p, i) => (exception.misread(p) ? [i + 1] : [])) : [];
      expect(wireshark.filter((f) => !misread.includes(f))).toEqual(ours);
      expect(misread.every((f) => wireshark.includes(f)), 'a listed misreading no longer happens: remove it').toBe(true);
    });
  }
  it('writes pcapng that tshark reads the same way', async () => {
    const trace = await SCENARIOS.find((s) => s.name === 'lost-syn-ack')!.run({ profile: 'linux', seed: 3 });
    const file = join(dir, 'lost-syn-ack.pcapng');
    writeCaptureFile(trace, file, 'pcapng');
    const rows = await tshark(file);
    expect(rows.map((r) => Number(r['tcp.seq_raw']))).toEqual(sent(trace).map((p) => (p as SegmentEvent).seq));
    expect(rows.every((r) => r['tcp.checksum.status'] === '1' && r['_ws.malformed'] === '')).toBe(true);
  });
});
