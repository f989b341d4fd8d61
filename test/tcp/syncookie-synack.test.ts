// A cookie SYN-ACK is built from the SYN alone (issue 11: a throwaway Connection per cookie SYN-ACK).
// Its bytes must stay those of the SYN-ACK a listener's child sends (Connection.acceptSyn), with the cookie
// as ISN, TSval's low bits carrying window scale and SACK (Linux cookie_init_timestamp), and only MSS
// when the peer sent no timestamps (a cookie cannot carry the rest: RFC 4987 3.6).
import { describe, expect, it } from 'vitest';
import { Connection } from '../../src/tcp/connection.js';
import { LINUX, RFC9293, withKnobs, type Profile } from '../../src/tcp/profile.js';
import { cookieSynAck, encodeCookieOptions } from '../../src/tcp/syncookie.js';
import { encodeTcp } from '../../src/wire/tcp-codec.js';
import { makeSegment, SYN, type Segment, type TcpOption } from '../../src/wire/segment.js';

const LOCAL = { ip: '10.0.0.2', port: 80 };
const REMOTE = { ip: '10.0.0.1', port: 40000 };
const noDraws = { u32: () => { throw new Error('a cookie SYN-ACK draws no random numbers'); } };

/** The SYN-ACK a child connection sends, made cookie-shaped as the stack did before (the reference). */
function viaConnection(profile: Profile, syn: Segment, cookie: number, tsOffset: number, now: number): Segment {
  const c = new Connection({ profile, rng: noDraws, local: LOCAL, remote: REMOTE, advertisedMss: 1460, iss: cookie, tsOffset });
  c.acceptSyn(now, syn);
  const seg = c.takeOutput()[0]!.segment;
  const ws = syn.options.find((o) => o.kind === 'windowScale');
  const sack = syn.options.some((o) => o.kind === 'sackPermitted');
  if (!c.tsOk) return { ...seg, options: seg.options.filter((o) => o.kind === 'mss') };
  const options = seg.options.map((o) =>
    o.kind === 'timestamps' ? { ...o, tsVal: encodeCookieOptions(o.tsVal, ws?.kind === 'windowScale' ? ws.shift : undefined, sack) } : o,
  );
  return { ...seg, options };
}

const wire = (seg: Segment) => Array.from(encodeTcp(seg, LOCAL.ip, REMOTE.ip));

describe('cookie SYN-ACK without a connection', () => {
  const offers: Array<[string, TcpOption[]]> = [
    ['MSS only', [{ kind: 'mss', mss: 1460 }]],
    ['no options', []],
    ['MSS, SACK, timestamps, window scale', [{ kind: 'mss', mss: 1400 }, { kind: 'sackPermitted' }, { kind: 'timestamps', tsVal: 777, tsEcr: 0 }, { kind: 'nop' }, { kind: 'windowScale', shift: 7 }]],
    ['timestamps without SACK', [{ kind: 'mss', mss: 536 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsVal: 0xfffffff0, tsEcr: 0 }]],
    ['SACK and window scale, no timestamps', [{ kind: 'mss', mss: 1460 }, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sackPermitted' }, { kind: 'nop' }, { kind: 'windowScale', shift: 15 }]],
  ];
  const profiles: Profile[] = [LINUX, RFC9293, withKnobs(LINUX, { receiveBuffer: 1000 }), withKnobs(LINUX, { sack: false, windowScaling: false })];
  for (const profile of profiles) {
    for (const [name, options] of offers) {
      it(`matches a child's SYN-ACK (${profile.name}, ${name})`, () => {
        const syn = makeSegment({ srcPort: REMOTE.port, dstPort: LOCAL.port, seq: 123456, flags: SYN, window: 64240, options });
        const now = 3_500_000;
        const expected = viaConnection(profile, syn, 0xdeadbeec, 424242, now);
        const got = cookieSynAck({ profile, advertisedMss: 1460, localPort: LOCAL.port, remotePort: REMOTE.port, syn, cookie: 0xdeadbeec, tsOffset: 424242, now });
        expect(got).toEqual(expected);
        expect(wire(got)).toEqual(wire(expected));
      });
    }
  }
});
