// Cross-checks checksums and address text against Python's own struct/ipaddress code, when python3 is installed.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeWithTool, toolAvailable } from '../support/requires-tool.js';
import { decodePacket, encodePacket } from '../../src/wire/ip-codec.js';
import { arbPacket } from './helpers.js';

const describeWithPython = describeWithTool('python3', toolAvailable('python3'));

/** For each hex packet: [IPv4 header ok, transport checksum ok, src text, dst text], computed independently. */
const SCRIPT = `
import ipaddress, json, struct, sys

def csum(b):
    if len(b) % 2:
        b += b'\\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

out = []
for h in json.load(sys.stdin):
    p = bytes.fromhex(h)
    if p[0] >> 4 == 4:
        ihl = (p[0] & 15) * 4
        total, proto = struct.unpack('!H', p[2:4])[0], p[9]
        src, dst, body = p[12:16], p[16:20], p[ihl:total]
        ip_ok = csum(p[:ihl]) == 0
        pseudo = src + dst + struct.pack('!BBH', 0, proto, len(body))
    else:
        plen, proto = struct.unpack('!H', p[4:6])[0], p[6]
        src, dst, body = p[8:24], p[24:40], p[40:40 + plen]
        ip_ok = True
        pseudo = src + dst + struct.pack('!I3xB', len(body), proto)
    out.append([ip_ok, csum(pseudo + body) == 0,
                str(ipaddress.ip_address(src)), str(ipaddress.ip_address(dst))])
json.dump(out, sys.stdout)
`;

const isMapped = (text: string): boolean => text.startsWith('::ffff:') && text.includes('.');

describeWithPython("cross-check against Python's struct and ipaddress", () => {
  it('IPv4 header and TCP/UDP checksums verify, and addresses print the same', () => {
    const packets = fc.sample(arbPacket, { seed: 20251123, numRuns: 300 });
    const encoded = packets.map((p, i) => encodePacket(p, i));
    const run = spawnSync('python3', ['-c', SCRIPT], {
      input: JSON.stringify(encoded.map((b) => Buffer.from(b).toString('hex'))),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const results = JSON.parse(run.stdout) as Array<[boolean, boolean, string, string]>;
    expect(results).toHaveLength(packets.length);
    results.forEach(([ipOk, transportOk, src, dst], i) => {
      expect([ipOk, transportOk]).toEqual([true, true]);
      const decoded = decodePacket(encoded[i] as Uint8Array);
      // Python 3.11 prints IPv4-mapped addresses in hex; RFC 5952 section 5 recommends a.b.c.d.
      if (!isMapped(decoded.src)) expect(decoded.src).toBe(src);
      if (!isMapped(decoded.dst)) expect(decoded.dst).toBe(dst);
    });
  });
});
