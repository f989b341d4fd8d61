// A TCP self-connect: a socket bound to 127.0.0.1:P and connected to 127.0.0.1:P (legal TCP, a
// simultaneous open with itself, RFC 9293 3.5 figure 8). fixtures/self-connect.pcap was made on Linux
// with python3 and `tcpdump -i lo`: SYN, SYN-ACK (Linux answers its own SYN from SYN_SENT), ACK, 5 bytes,
// their ACK, FIN, its ACK; each packet is seen once.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packetsFromCapture } from '../../src/replay/from-capture.js';
import { replayPackets } from '../../src/replay/replay.js';
import { capture } from '../cli/fake-registry.js';

const fixture = new URL('./fixtures/self-connect.pcap', import.meta.url);
const self = '127.0.0.1:47123';

describe('a self-connect', () => {
  const report = replayPackets(packetsFromCapture(new Uint8Array(readFileSync(fixture))).packets);

  it('is one connection whose two ends are the same endpoint', () => {
    expect(report.connections).toHaveLength(1);
    expect(report.connections[0]).toMatchObject({ a: self, b: self, packets: 7, midstream: false });
  });

  it('goes SYN_SENT -> SYN_RECEIVED -> ESTABLISHED, then closes through CLOSING (its FIN crosses itself)', () => {
    const conn = report.connections[0]!;
    expect(conn.states[self]).toEqual(['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
    expect(conn.final[self]).toBe('TIME_WAIT');
    expect(conn.perPacket.map((p) => p.states[self])).toEqual(['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING']);
  });

  it('has no violation and no "only one direction" warning (both directions are the same)', () => {
    expect(report.connections[0]!.violations).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it('synack replay draws it on one lane and lists the endpoint once', async () => {
    const r = await capture(['replay', fixture.pathname]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('@  [SYN,ACK] seq=0 ack=1');
    expect(r.stdout.match(/^ {2}127\.0\.0\.1:47123: /gm)).toEqual([`  ${self}: `]);
    expect(r.stdout).toContain(`  ${self}: SYN_SENT -> SYN_RECEIVED -> ESTABLISHED -> FIN_WAIT_1 -> CLOSING -> TIME_WAIT\n  no violations\n`);
  });
});
