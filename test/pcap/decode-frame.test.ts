// decodeFrame over frames built by hand: every link type, VLAN tags, IPv4 options, IPv6 extension headers,
// frames cut by the snapshot length, wrong checksums, and headers whose length fields lie.
import { describe, expect, it } from 'vitest';
import { type DecodedFrame, decodeFrame } from '../../src/pcap/decode-frame.js';
import type { CapturedFrame } from '../../src/pcap/types.js';
import { ACK, PSH, SYN } from '../../src/wire/segment.js';
import { MICRO_PAYLOAD, concat, ethernet, ipv4Packet, ipv6Packet, tcpBytes, udpBytes } from './builders.js';

function frame(data: Uint8Array, linkType = 1, origLen = data.length): CapturedFrame {
  return { index: 1, sec: 0, nsec: 0, linkType, data, origLen };
}

function packet(d: DecodedFrame) {
  if (d.kind !== 'packet') throw new Error(`expected a packet, got skipped: ${d.reason}`);
  return d;
}

function reason(d: DecodedFrame): string {
  if (d.kind !== 'skipped') throw new Error('expected the frame to be skipped');
  return d.reason;
}

// MSS 1460, SACK permitted, timestamps 1/0, NOP, window scale 7 (as Linux sends in a SYN).
const SYN_OPTIONS = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
const v4syn = ipv4Packet({}, (ph) => tcpBytes({ seq: 0xfffffff0, flags: SYN, options: SYN_OPTIONS }, ph));
const v4data = ipv4Packet({}, (ph) => tcpBytes({ seq: 5, ack: 77, flags: PSH | ACK, window: 502, payload: MICRO_PAYLOAD }, ph));

describe('decodeFrame: IPv4 over Ethernet', () => {
  it('decodes a SYN with options, addresses, TTL and a good checksum', () => {
    const d = packet(decodeFrame(frame(ethernet(0x0800, v4syn))));
    expect(d).toEqual({
      kind: 'packet',
      packet: {
        proto: 'tcp',
        src: '192.0.2.1',
        dst: '192.0.2.2',
        ttl: 64,
        segment: {
          srcPort: 1234,
          dstPort: 80,
          seq: 0xfffffff0,
          ack: 0,
          flags: SYN,
          window: 65535,
          urgentPointer: 0,
          options: [
            { kind: 'mss', mss: 1460 },
            { kind: 'sackPermitted' },
            { kind: 'timestamps', tsVal: 1, tsEcr: 0 },
            { kind: 'nop' },
            { kind: 'windowScale', shift: 7 },
          ],
          payload: new Uint8Array(0),
        },
      },
      payloadLength: 0,
      truncated: false,
      checksum: 'ok',
    });
  });

  it('decodes a data segment and ignores Ethernet padding after the IP total length', () => {
    const small = ipv4Packet({}, (ph) => tcpBytes({ flags: ACK, payload: Uint8Array.of(0x41) }, ph));
    const padded = concat(ethernet(0x0800, small), new Uint8Array(60 - 14 - small.length));
    const d = packet(decodeFrame(frame(padded)));
    expect(Array.from(d.packet.proto === 'tcp' ? d.packet.segment.payload : [])).toEqual([0x41]);
    expect(d.checksum).toBe('ok');
  });

  it('reads through one and two VLAN tags', () => {
    for (const tags of [[100], [0x0fff, 7]]) {
      const d = packet(decodeFrame(frame(ethernet(0x0800, v4data, tags))));
      expect(d.packet.proto === 'tcp' && d.packet.segment.payload).toEqual(MICRO_PAYLOAD);
    }
  });

  it('skips IPv4 options (IHL above 5)', () => {
    // Router alert (4 bytes), then NOPs and an EOL to fill 8 more.
    const withOptions = ipv4Packet({ ipOptions: [0x94, 4, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0] }, (ph) => tcpBytes({ flags: ACK, seq: 9, payload: MICRO_PAYLOAD }, ph));
    expect(withOptions[0]).toBe(0x48);
    const d = packet(decodeFrame(frame(ethernet(0x0800, withOptions))));
    expect(d.checksum).toBe('ok');
    expect(d.packet.proto === 'tcp' && [d.packet.segment.seq, d.packet.segment.payload]).toEqual([9, MICRO_PAYLOAD]);
  });

  it('decodes UDP; a zero UDP checksum over IPv4 is "unchecked"', () => {
    const udp = ipv4Packet({ proto: 17 }, (ph) => udpBytes(5000, 6000, MICRO_PAYLOAD, ph));
    const d = packet(decodeFrame(frame(ethernet(0x0800, udp))));
    expect(d.packet).toEqual({ proto: 'udp', src: '192.0.2.1', dst: '192.0.2.2', ttl: 64, datagram: { srcPort: 5000, dstPort: 6000, payload: MICRO_PAYLOAD } });
    expect(d.checksum).toBe('ok');
    const noSum = ipv4Packet({ proto: 17 }, (ph) => {
      const u = udpBytes(5000, 6000, MICRO_PAYLOAD, ph);
      u[6] = 0;
      u[7] = 0;
      return u;
    });
    expect(packet(decodeFrame(frame(ethernet(0x0800, noSum)))).checksum).toBe('unchecked');
  });

  it('reports a wrong TCP checksum (offload on loopback) as "bad" instead of throwing', () => {
    const bad = ipv4Packet({}, (ph) => tcpBytes({ flags: ACK, badChecksum: true }, ph));
    expect(packet(decodeFrame(frame(ethernet(0x0800, bad)))).checksum).toBe('bad');
  });

  it('reports a wrong IPv4 header checksum as "bad"', () => {
    const bad = v4data.slice();
    bad[10] = (bad[10] as number) ^ 0x55;
    expect(packet(decodeFrame(frame(ethernet(0x0800, bad)))).checksum).toBe('bad');
  });

  it('keeps the captured part of a payload cut by the snapshot length, with the true length', () => {
    const whole = ethernet(0x0800, v4data);
    const cut = whole.subarray(0, whole.length - 4);
    const d = packet(decodeFrame(frame(cut, 1, whole.length)));
    expect(d.truncated).toBe(true);
    expect(d.payloadLength).toBe(MICRO_PAYLOAD.length);
    expect(d.checksum).toBe('unchecked');
    expect(d.packet.proto === 'tcp' && d.packet.segment.payload).toEqual(MICRO_PAYLOAD.subarray(0, MICRO_PAYLOAD.length - 4));
  });

  it('takes the frame length for an IPv4 total length of 0 (TCP segmentation offload)', () => {
    const tso = v4data.slice();
    tso[2] = 0;
    tso[3] = 0;
    const d = packet(decodeFrame(frame(ethernet(0x0800, tso))));
    expect(d.payloadLength).toBe(MICRO_PAYLOAD.length);
    expect(d.checksum).toBe('bad'); // the header checksum no longer matches
  });
});

describe('decodeFrame: IPv6', () => {
  const v6 = ipv6Packet({}, (ph) => tcpBytes({ flags: SYN | ACK, seq: 1, ack: 2, options: SYN_OPTIONS }, ph));

  it('decodes TCP over IPv6 with canonical addresses', () => {
    const d = packet(decodeFrame(frame(ethernet(0x86dd, v6))));
    expect([d.packet.src, d.packet.dst, d.packet.ttl, d.checksum]).toEqual(['2001:db8::1', '2001:db8::2', 64, 'ok']);
    expect(d.packet.proto === 'tcp' && d.packet.segment.flags).toBe(SYN | ACK);
  });

  it('walks a hop-by-hop options header to reach TCP', () => {
    // Next header TCP, length 0 (8 bytes), PadN option filling the rest.
    const hbh = ipv6Packet({ next: 0, extensions: [6, 0, 1, 4, 0, 0, 0, 0] }, (ph) => tcpBytes({ flags: ACK, payload: MICRO_PAYLOAD }, ph));
    const d = packet(decodeFrame(frame(ethernet(0x86dd, hbh))));
    expect(d.checksum).toBe('ok');
    expect(d.payloadLength).toBe(MICRO_PAYLOAD.length);
  });

  it('skips IPv6 fragments and ICMPv6, saying why', () => {
    const frag = ipv6Packet({ next: 44, extensions: [6, 0, 0, 1, 0, 0, 0, 1] }, () => new Uint8Array(8));
    expect(reason(decodeFrame(frame(ethernet(0x86dd, frag))))).toMatch(/IPv6 fragment/);
    const icmp = ipv6Packet({ next: 58 }, () => new Uint8Array(8));
    expect(reason(decodeFrame(frame(ethernet(0x86dd, icmp))))).toBe('IP protocol 58 (ICMPv6) is neither TCP nor UDP');
  });

  it('skips a payload length running past the frame', () => {
    const lying = ipv6Packet({ payloadLength: 500 }, (ph) => tcpBytes({}, ph));
    expect(reason(decodeFrame(frame(ethernet(0x86dd, lying))))).toMatch(/IPv6 payload length 500 runs past/);
  });
});

describe('decodeFrame: link types', () => {
  const cooked1 = (proto: number) => concat(Uint8Array.from([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, proto >>> 8, proto & 0xff]));
  const cooked2 = (proto: number) => concat(Uint8Array.from([proto >>> 8, proto & 0xff, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0]));
  const family = (value: number, le: boolean) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, le);
    return b;
  };
  const cases: Array<[string, number, Uint8Array]> = [
    ['Linux cooked v1 (113)', 113, concat(cooked1(0x0800), v4data)],
    ['Linux cooked v2 (276)', 276, concat(cooked2(0x86dd), ipv6Packet({}, (ph) => tcpBytes({ flags: ACK }, ph)))],
    ['raw (101) IPv4', 101, v4data],
    ['raw (101) IPv6', 101, ipv6Packet({}, (ph) => tcpBytes({ flags: ACK }, ph))],
    ['IPv4 (228)', 228, v4data],
    ['IPv6 (229)', 229, ipv6Packet({}, (ph) => tcpBytes({ flags: ACK }, ph))],
    ['null, AF_INET little-endian', 0, concat(family(2, true), v4data)],
    ['null, AF_INET big-endian', 0, concat(family(2, false), v4data)],
    ...[24, 28, 30].flatMap((af): Array<[string, number, Uint8Array]> =>
      [true, false].map((le) => [`null, AF_INET6 ${af} ${le ? 'LE' : 'BE'}`, 0, concat(family(af, le), ipv6Packet({}, (ph) => tcpBytes({ flags: ACK }, ph)))]),
    ),
    ['loop (108), AF_INET', 108, concat(family(2, false), v4data)],
    ['loop (108), AF_INET6 24', 108, concat(family(24, false), ipv6Packet({}, (ph) => tcpBytes({ flags: ACK }, ph)))],
  ];
  for (const [name, linkType, data] of cases) {
    it(`decodes ${name}`, () => {
      expect(packet(decodeFrame(frame(data, linkType))).checksum).toBe('ok');
    });
  }

  it('reads loop (108) families in network byte order only', () => {
    expect(reason(decodeFrame(frame(concat(family(2, true), v4data), 108)))).toMatch(/address family 33554432/);
  });

  it('skips an IP version that contradicts the link layer', () => {
    expect(reason(decodeFrame(frame(ethernet(0x86dd, v4data))))).toBe('IP version 4 where the link layer announced IPv6');
  });

  it('skips unknown link types, non-IP ethertypes, 802.3 frames and short headers', () => {
    expect(reason(decodeFrame(frame(v4data, 105)))).toMatch(/^link type 105 is not decoded/);
    expect(reason(decodeFrame(frame(ethernet(0x0806, new Uint8Array(28)))))).toBe('ethertype 0x0806 (ARP) is neither IPv4 nor IPv6');
    expect(reason(decodeFrame(frame(ethernet(46, new Uint8Array(46)))))).toMatch(/802\.3 frame/);
    expect(reason(decodeFrame(frame(new Uint8Array(10))))).toBe('Ethernet header cut short: 10 of its 14 bytes captured');
    expect(reason(decodeFrame(frame(cooked2(0x0800).subarray(0, 12), 276)))).toMatch(/SLL2\) header cut short/);
  });
});

describe('decodeFrame: headers that do not fit', () => {
  const eth = (ip: Uint8Array) => frame(ethernet(0x0800, ip));

  it('names the IHL when the IPv4 header runs past the packet', () => {
    const bad = v4data.subarray(0, 24).slice();
    bad[0] = 0x4f;
    bad[2] = 0;
    bad[3] = 24;
    expect(reason(decodeFrame(eth(bad)))).toMatch(/IPv4 header with options \(IHL 15\) runs past the end of the packet/);
  });

  it('names the IHL when it is below 5', () => {
    const bad = v4data.slice();
    bad[0] = 0x43;
    expect(reason(decodeFrame(eth(bad)))).toBe('IPv4 header length (IHL) 3 is below the minimum of 5 words');
  });

  it('names the total length when it exceeds both the captured and the original length', () => {
    const bad = ipv4Packet({ totalLength: 1400 }, (ph) => tcpBytes({}, ph));
    expect(reason(decodeFrame(eth(bad)))).toMatch(/^IPv4 total length 1400 runs past the end of the packet/);
  });

  it('names the TCP data offset when it runs past the segment or is below 5', () => {
    const past = ipv4Packet({}, (ph) => tcpBytes({ dataOffset: 15 }, ph));
    expect(reason(decodeFrame(eth(past)))).toMatch(/TCP header with options \(data offset 15\) needs 60 bytes, but the IP header gives the segment only 20/);
    const small = ipv4Packet({}, (ph) => tcpBytes({ dataOffset: 2 }, ph));
    expect(reason(decodeFrame(eth(small)))).toBe('TCP data offset 2 is below the minimum of 5 words');
  });

  it('says "snapshot length" when the TCP header itself was cut by the capture', () => {
    const whole = ethernet(0x0800, v4syn);
    expect(reason(decodeFrame(frame(whole.subarray(0, 14 + 20 + 30), 1, whole.length)))).toMatch(
      /TCP header with options \(data offset 10\) cut short by the snapshot length: 30 of 40 bytes captured/,
    );
  });

  it('names malformed TCP options and a lying UDP length', () => {
    const badOpts = ipv4Packet({}, (ph) => tcpBytes({ options: [2, 9, 0, 0] }, ph));
    expect(reason(decodeFrame(eth(badOpts)))).toMatch(/^malformed TCP options: option kind 2 \(MSS\)/);
    const udp = ipv4Packet({ proto: 17 }, (ph) => {
      const u = udpBytes(1, 2, MICRO_PAYLOAD, ph);
      u[5] = 200;
      return u;
    });
    expect(reason(decodeFrame(eth(udp)))).toMatch(/^UDP length 200 runs past the 22-byte IP payload/);
  });

  it('skips IPv4 fragments and ICMP', () => {
    const frag = ipv4Packet({ fragment: 0x2000 }, (ph) => tcpBytes({}, ph));
    expect(reason(decodeFrame(eth(frag)))).toBe('IPv4 fragment (offset 0, more fragments) is not reassembled');
    const icmp = ipv4Packet({ proto: 1 }, () => new Uint8Array(8));
    expect(reason(decodeFrame(eth(icmp)))).toBe('IP protocol 1 (ICMP) is neither TCP nor UDP');
  });
});
