// Wireshark as the independent judge: our pcap and pcapng output must dissect without malformed packets or
// checksum errors and with the numbers we wrote; and pcapng written by Wireshark must read back the same.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { decodeFrame } from '../../src/pcap/decode-frame.js';
import { openCapture } from '../../src/pcap/read.js';
import { bytesSource } from '../../src/pcap/types.js';
import { type PacketRecord, type WriteOptions, writePcap, writePcapng } from '../../src/pcap/write.js';
import { ACK, FIN, PSH, SYN, type Packet, type Segment } from '../../src/wire/segment.js';
import { describeWithTool, toolAvailable } from '../support/requires-tool.js';

const EPOCH = 1_700_000_000;
const text = (s: string) => new TextEncoder().encode(s);

function tcp(src: string, dst: string, seg: Partial<Segment>): Packet {
  const base: Segment = { srcPort: 49152, dstPort: 49153, seq: 0, ack: 0, flags: 0, window: 0, urgentPointer: 0, options: [], payload: new Uint8Array(0) };
  return { proto: 'tcp', src, dst, segment: { ...base, ...seg } };
}

function conversation(c: string, s: string, t0: number): PacketRecord[] {
  const back = { srcPort: 49153, dstPort: 49152 };
  return [
    { timeMicros: t0, ipId: 1, packet: tcp(c, s, { seq: 0xfffffff0, flags: SYN, window: 64240, options: [{ kind: 'mss', mss: 1460 }, { kind: 'sackPermitted' }, { kind: 'timestamps', tsVal: 7, tsEcr: 0 }, { kind: 'nop' }, { kind: 'windowScale', shift: 7 }] }) },
    { timeMicros: t0 + 250, ipId: 2, packet: tcp(s, c, { ...back, seq: 5000, ack: 0xfffffff1, flags: SYN | ACK, window: 65160, options: [{ kind: 'mss', mss: 1400 }] }) },
    { timeMicros: t0 + 500, ipId: 3, packet: tcp(c, s, { seq: 0xfffffff1, ack: 5001, flags: ACK, window: 502 }) },
    { timeMicros: t0 + 501, ipId: 4, packet: tcp(c, s, { seq: 0xfffffff1, ack: 5001, flags: PSH | ACK, window: 502, payload: text('abcdefghijklmnopqrstuvwxyz') }) },
    { timeMicros: t0 + 1_000_001, ipId: 5, packet: tcp(s, c, { ...back, seq: 5001, ack: 0x0000000b, flags: ACK, window: 509 }) },
    { timeMicros: t0 + 1_000_002, ipId: 6, packet: tcp(c, s, { seq: 0x0000000b, ack: 5001, flags: FIN | ACK, window: 502 }) },
    { timeMicros: t0 + 1_000_003, ipId: 7, packet: { proto: 'udp', src: c, dst: s, datagram: { srcPort: 49154, dstPort: 49155, payload: text('a datagram') } } },
  ];
}

const RECORDS = [...conversation('10.0.0.1', '10.0.0.2', 0), ...conversation('2001:db8::1', '2001:db8::2', 2_000_000)];

const FIELDS = [
  'frame.number',
  'frame.time_epoch',
  '_ws.malformed',
  '_ws.expert.message',
  'ip.checksum.status',
  'tcp.checksum.status',
  'udp.checksum.status',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.seq',
  'tcp.ack',
  'tcp.flags',
  'tcp.len',
  'tcp.window_size_value',
  'udp.srcport',
  'udp.length',
  'ip.id',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

function tshark(file: string): Row[] {
  const args = ['-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
  args.push('-o', 'tcp.relative_sequence_numbers:FALSE', '-T', 'fields', '-E', 'separator=/t', '-E', 'aggregator=;');
  for (const f of FIELDS) args.push('-e', f);
  const run = spawnSync('tshark', args, { encoding: 'utf8', timeout: 20_000 });
  if (run.status !== 0) throw new Error(`tshark failed: ${run.stderr}`);
  return run.stdout
    .trimEnd()
    .split('\n')
    .map((line) => Object.fromEntries(line.split('\t').map((v, i) => [FIELDS[i], v])) as Row);
}

function epochText(r: PacketRecord): string {
  const sec = EPOCH + Math.floor(r.timeMicros / 1e6);
  return `${sec}.${String((r.timeMicros % 1e6) * 1000).padStart(9, '0')}`;
}

const describeTshark = describeWithTool('tshark', toolAvailable('tshark', ['--version']));

describeTshark('tshark reads what synack writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synack-tshark-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const writers: Array<[string, (r: PacketRecord[], o: WriteOptions) => Uint8Array, 'us' | 'ns']> = [
    ['pcap', writePcap, 'us'],
    ['pcap', writePcap, 'ns'],
    ['pcapng', writePcapng, 'us'],
    ['pcapng', writePcapng, 'ns'],
  ];
  for (const [format, write, resolution] of writers) {
    it(`${format} at ${resolution}: no malformed packets, good checksums, our numbers and times`, () => {
      const file = join(dir, `out-${resolution}.${format}`);
      writeFileSync(file, write(RECORDS, { resolution, epochSeconds: EPOCH }));
      const rows = tshark(file);
      expect(rows).toHaveLength(RECORDS.length);
      rows.forEach((row, i) => {
        const r = RECORDS[i]!;
        const where = `frame ${i + 1}`;
        expect(row['_ws.malformed'], where).toBe('');
        expect(row['_ws.expert.message'], where).not.toMatch(/malformed|checksum/i);
        expect(row['frame.time_epoch'], where).toBe(epochText(r));
        if (!r.packet.src.includes(':')) {
          expect(row['ip.checksum.status'], where).toBe('1');
          expect(Number(row['ip.id']), where).toBe(r.ipId);
        }
        if (r.packet.proto === 'tcp') {
          const s = r.packet.segment;
          expect(row['tcp.checksum.status'], where).toBe('1');
          expect([row['tcp.srcport'], row['tcp.dstport'], row['tcp.seq'], row['tcp.ack'], row['tcp.len'], row['tcp.window_size_value']], where).toEqual(
            [s.srcPort, s.dstPort, s.seq, s.ack, s.payload.length, s.window].map(String),
          );
          expect(Number(row['tcp.flags']), where).toBe(s.flags);
        } else {
          expect(row['udp.checksum.status'], where).toBe('1');
          expect([row['udp.srcport'], row['udp.length']], where).toEqual([String(r.packet.datagram.srcPort), String(8 + r.packet.datagram.payload.length)]);
        }
      });
    });
  }

  it('pcapng written by tshark (from our nanosecond pcap) reads back the same frames and packets', () => {
    const pcap = join(dir, 'in.pcap');
    const ng = join(dir, 'by-tshark.pcapng');
    const ours = writePcap(RECORDS, { resolution: 'ns', epochSeconds: EPOCH });
    writeFileSync(pcap, ours);
    const run = spawnSync('tshark', ['-r', pcap, '-F', 'pcapng', '-w', ng], { encoding: 'utf8', timeout: 20_000 });
    if (run.status !== 0) throw new Error(`tshark failed: ${run.stderr}`);
    const theirs = readFileSync(ng);
    const reader = openCapture(bytesSource(theirs));
    expect(reader.format).toBe('pcapng');
    const frames = [...reader.frames()];
    expect(reader.warnings).toEqual([]);
    expect(frames.map((f) => [f.sec, f.nsec])).toEqual(RECORDS.map((r) => [EPOCH + Math.floor(r.timeMicros / 1e6), (r.timeMicros % 1e6) * 1000]));
    const reference = [...openCapture(bytesSource(ours)).frames()];
    expect(frames.map((f) => f.data)).toEqual(reference.map((f) => f.data));
    expect(frames.map((f) => decodeFrame(f).kind)).toEqual(RECORDS.map(() => 'packet'));
  });
});
