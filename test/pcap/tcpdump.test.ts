// Captures written by the real tcpdump (libpcap) on the loopback of a fresh network namespace, read back:
// Ethernet on lo, Linux cooked v2 with nanosecond timestamps and a short snaplen, Linux cooked v1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DecodedFrame, decodeFrame } from '../../src/pcap/decode-frame.js';
import { openCapture } from '../../src/pcap/read.js';
import { type CapturedFrame, bytesSource } from '../../src/pcap/types.js';
import { ACK, FIN, SYN } from '../../src/wire/segment.js';
import { describeWithTool, toolAvailable } from '../support/requires-tool.js';

// tcpdump needs root (CAP_NET_RAW) and `unshare -n` a new network namespace: checking `unshare -n true` covers both.
const available = toolAvailable('tcpdump', ['--version']) && toolAvailable('unshare', ['-n', 'true']);

/** Sent last; a capture is complete once this appears in its file. */
const MARKER = 'synack-capture-end';

/** One IPv4 connection sending "hello", one IPv6 connection sending 1000 bytes, one UDP datagram. */
const TRAFFIC = `
import socket
def conn(family, host, data):
    s = socket.socket(family); s.bind((host, 0)); s.listen()
    c = socket.create_connection((host, s.getsockname()[1])); a, _ = s.accept()
    c.sendall(data); got = b''
    while len(got) < len(data): got += a.recv(4096)
    c.close(); a.recv(10); a.close(); s.close()
conn(socket.AF_INET, '127.0.0.1', b'hello')
conn(socket.AF_INET6, '::1', b'x' * 1000)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b'datagram', ('127.0.0.1', 9))
u.sendto(b'${MARKER}', ('127.0.0.1', 9))
`;

const describeTcpdump = describeWithTool('tcpdump', available);

describeTcpdump('reading captures written by tcpdump', () => {
  let dir = '';
  const files: Record<string, Uint8Array> = {};

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'synack-tcpdump-'));
    // Immediate mode hands each packet over at once; the ring holds few snaplen-sized slots, so keep the
    // snaplen modest and the buffer (-B, KiB) large, or the kernel drops packets while three tcpdumps start up.
    const dumps = [
      `tcpdump --immediate-mode -B 16384 -s 4096 -i lo -U -w ${dir}/lo.pcap`,
      `tcpdump --immediate-mode -B 16384 -i any -y LINUX_SLL2 --time-stamp-precision=nano -s 120 -U -w ${dir}/sll2.pcap`,
      `tcpdump --immediate-mode -B 16384 -s 4096 -i any -y LINUX_SLL -U -w ${dir}/sll.pcap`,
    ];
    // Start the three captures, wait until each says "listening on", make the traffic, stop them.
    const script = [
      'set -e',
      'ip link set lo up',
      ...dumps.map((cmd, i) => `${cmd} 2>${dir}/err${i} & pids="$pids $!"`),
      `for i in $(seq 100); do n=$(cat ${dir}/err* | grep -c 'listening on' || true); [ "$n" = 3 ] && break; sleep 0.05; done`,
      `python3 -c "$TRAFFIC"`,
      `for i in $(seq 100); do n=$(grep -la '${MARKER}' ${dir}/*.pcap | wc -l); [ "$n" = 3 ] && break; sleep 0.05; done`,
      'kill -INT $pids',
      'wait',
    ].join('\n');
    const run = spawnSync('unshare', ['-n', 'bash', '-c', script], { env: { ...process.env, TRAFFIC }, encoding: 'utf8', timeout: 20_000 });
    if (run.status !== 0) throw new Error(`capture failed (${run.status}): ${run.stderr}`);
    for (let i = 0; i < dumps.length; i++) {
      const report = readFileSync(join(dir, `err${i}`), 'utf8');
      if (/[1-9]\d* packets? dropped by kernel/.test(report)) throw new Error(`tcpdump dropped packets: ${report}`);
    }
    for (const name of ['lo', 'sll2', 'sll']) files[name] = readFileSync(join(dir, `${name}.pcap`));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function read(name: string): { frames: CapturedFrame[]; decoded: DecodedFrame[]; warnings: string[] } {
    const reader = openCapture(bytesSource(files[name]!));
    expect(reader.format).toBe('pcap');
    const frames = [...reader.frames()];
    expect(reader.truncated).toBe(false);
    return { frames, decoded: frames.map(decodeFrame), warnings: reader.warnings };
  }

  function tcpPackets(decoded: DecodedFrame[], addr: string) {
    return decoded.flatMap((d) => (d.kind === 'packet' && d.packet.proto === 'tcp' && d.packet.src === addr ? [{ ...d, segment: d.packet.segment }] : []));
  }

  /** The first connection's handshake: SYN, SYN-ACK, ACK with matching numbers, then the data. */
  function expectHandshake(decoded: DecodedFrame[], addr: string, data: number): void {
    const tcp = tcpPackets(decoded, addr);
    const [syn, synAck] = tcp;
    expect(syn?.segment.flags).toBe(SYN);
    expect(synAck?.segment.flags).toBe(SYN | ACK);
    expect(synAck?.segment.ack).toBe(((syn!.segment.seq + 1) >>> 0));
    // The handshake's ACK; the data may be captured before it when the two leave on different CPUs.
    const ack = tcp.find((p) => p.segment.flags === ACK && p.segment.ack === ((synAck!.segment.seq + 1) >>> 0));
    expect(ack?.segment.seq).toBe(((syn!.segment.seq + 1) >>> 0));
    expect(syn?.segment.options.map((o) => o.kind)).toContain('mss');
    const carrying = tcp.find((p) => p.payloadLength === data);
    expect(carrying?.segment.seq).toBe(((syn!.segment.seq + 1) >>> 0));
    expect(tcp.some((p) => (p.segment.flags & FIN) !== 0)).toBe(true);
  }

  it('Ethernet on lo: the IPv4 and IPv6 handshakes, data and the UDP datagram', () => {
    const { frames, decoded, warnings } = read('lo');
    expect(warnings).toEqual([]);
    expect(new Set(frames.map((f) => f.linkType))).toEqual(new Set([1]));
    expect(frames[0]!.sec).toBeGreaterThan(1_600_000_000);
    expectHandshake(decoded, '127.0.0.1', 5);
    expectHandshake(decoded, '::1', 1000);
    const hello = tcpPackets(decoded, '127.0.0.1').find((p) => p.payloadLength === 5);
    expect(new TextDecoder().decode(hello?.segment.payload)).toBe('hello');
    expect(hello?.truncated).toBe(false);
    // Loopback checksums are left to (never done) offload: report, never throw.
    expect(['ok', 'bad']).toContain(hello?.checksum);
    const udp = decoded.find((d) => d.kind === 'packet' && d.packet.proto === 'udp');
    expect(udp?.kind === 'packet' && udp.packet.proto === 'udp' && new TextDecoder().decode(udp.packet.datagram.payload)).toBe('datagram');
  });

  it('Linux cooked v2, nanoseconds, snaplen 120: the 1000-byte segment comes back cut, with its true length', () => {
    const { frames, decoded } = read('sll2');
    expect(new Set(frames.map((f) => f.linkType))).toEqual(new Set([276]));
    expect(frames.every((f) => f.nsec >= 0 && f.nsec < 1e9)).toBe(true);
    expectHandshake(decoded, '127.0.0.1', 5);
    expectHandshake(decoded, '::1', 1000);
    const big = tcpPackets(decoded, '::1').find((p) => p.payloadLength === 1000);
    // 120 captured bytes: 20 SLL2 + 40 IPv6 + 32 TCP with timestamps, leaving 28 of the payload.
    expect(big?.truncated).toBe(true);
    expect(big?.checksum).toBe('unchecked');
    expect(big?.segment.payload).toEqual(new Uint8Array(28).fill(0x78));
  });

  it('Linux cooked v1: the same connections', () => {
    const { frames, decoded } = read('sll');
    expect(new Set(frames.map((f) => f.linkType))).toEqual(new Set([113]));
    expectHandshake(decoded, '127.0.0.1', 5);
    expectHandshake(decoded, '::1', 1000);
  });
});
