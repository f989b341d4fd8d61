// One lifeline per endpoint, in the diagram model's order (clients, then servers; spoofed sources on one lane),
// when there are more lanes than fit with labels between them: lifelines a few columns apart, labels beside.
import { describe, expect, it } from 'vitest';
import { renderLadder } from '../../src/render/ladder.js';
import type { TraceHost } from '../../src/sim/trace.js';
import { call, makeTrace, segment, state } from './trace-builders.js';

/** Columns of the lifelines, read from the header line that names the time column. */
function lifelineColumns(lines: readonly string[]): number[] {
  const header = lines.find((l) => /^ +time  /.test(l)) as string;
  return [...header].flatMap((ch, i) => (ch === '|' ? [i] : []));
}

/** The words right of the lifelines on lines[i] and its continuation lines (those with no time). */
function textBeside(lines: readonly string[], i: number, lastColumn: number): string {
  const words = [lines[i]!.slice(lastColumn + 1)];
  for (let j = i + 1; j < lines.length && /^ +\|/.test(lines[j]!) && lines[j]!.length > lastColumn + 1; j++) words.push(lines[j]!.slice(lastColumn + 1));
  return words.join(' ').replace(/ +/g, ' ').trim();
}

const hosts: TraceHost[] = [
  { name: 'client1', address: '10.0.0.11' },
  { name: 'client2', address: '10.0.0.12' },
  { name: 'client4', address: '10.0.0.14' },
  { name: 'server', address: '10.0.0.2' },
];
const C1 = '10.0.0.11:42564';
const C2 = '10.0.0.12:43690';
const C4 = '10.0.0.14:42408';
const S = '10.0.0.2:9999';
// A listener with a full accept queue: client1 connects; client2's first SYN is lost on the link; client4's SYNs
// reach the server, whose TCP throws them away.
const backlog = makeTrace(
  [
    state(0, 'server', 1, S, 'CLOSED', 'LISTEN'),
    segment(1000, C1, S, ['SYN'], 100, 0),
    segment(2000, S, C1, ['SYN', 'ACK'], 900, 101),
    segment(10_000, C2, S, ['SYN'], 200, 0, { fate: 'dropped', reason: 'loss', arrival: undefined }),
    segment(500_000, C4, S, ['SYN'], 400, 0, { discarded: 'SYN dropped: accept queue full' }),
    segment(1_500_000, C4, S, ['SYN'], 400, 0, { retransmit: true, discarded: 'SYN dropped: accept queue full' }),
  ],
  hosts,
);

describe('a listener and three clients', () => {
  const lines = renderLadder(backlog).split('\n');
  const cols = lifelineColumns(lines);
  const [c1, c2, c4, server] = cols as [number, number, number, number];

  it('draws one lifeline per endpoint, clients first in host order, then the server', () => {
    expect(cols).toHaveLength(4);
    const titles = ['client1 10.0.0.11:42564', 'client2 10.0.0.12:43690', 'client4 10.0.0.14:42408', 'server 10.0.0.2:9999 listening'];
    // Each lane's title on a line of its own, starting at its lifeline's column.
    titles.forEach((title, i) => {
      const line = lines.find((l) => l.includes(title)) as string;
      expect(line.indexOf(title)).toBe(cols[i]);
    });
  });

  it("draws client4's SYNs from client4's lifeline, ending in X at the server (its TCP discarded them)", () => {
    const syns = lines.flatMap((l, i) => (l.includes('(SYN dropped') ? [i] : []));
    expect(syns).toHaveLength(2);
    for (const i of syns) {
      const line = lines[i]!;
      expect(line[c4]).toBe('|');
      expect(line.slice(c4 + 1, server)).toMatch(/^-*X$/);
      expect(line[c1]).toBe('|');
      expect(line[c2]).toBe('|');
      expect(textBeside(lines, i, server)).toMatch(/^\[SYN\] seq=0 win=64240 (\(rtx\) )?\(SYN dropped: accept queue full\)/);
    }
    expect(lines[syns[1]!]).toContain('(rtx)');
  });

  it("draws client1's SYN crossing the other clients' lifelines, and the SYN-ACK back", () => {
    const syn = lines.find((l) => l.includes('[SYN] seq=0') && l.includes(' 1.000 ms')) as string;
    expect(syn.slice(c1, server + 1)).toMatch(/^\|-*\+-*\+-*>\|$/);
    const synAck = lines.find((l) => l.includes('[SYN,ACK]')) as string;
    expect(synAck.slice(c1, server + 1)).toMatch(/^\|<-*\+-*\+-*\|$/);
  });

  it("ends client2's lost SYN in an X between its lifeline and the server's, short of the server", () => {
    const lost = lines.find((l) => l.includes('(lost: loss)')) as string;
    const x = lost.indexOf('X');
    expect(x).toBeGreaterThan(c2);
    expect(x).toBeLessThan(server - 1);
    expect(lost.slice(c2 + 1, x)).toMatch(/^[-+]+$/);
    expect(lost.slice(x + 1, server)).not.toContain('-');
  });

  it("marks the server's LISTEN with a * on its lifeline and writes it beside the lifelines", () => {
    const listen = lines.find((l) => l.includes('LISTEN') && !l.includes('listening')) as string;
    expect(listen[server]).toBe('*');
    expect(listen.indexOf('LISTEN')).toBeGreaterThan(server);
  });

  it('writes SYN options on the line under the SYN', () => {
    const withOptions = makeTrace([segment(0, C1, S, ['SYN'], 1, 0, { options: [{ kind: 'mss', mss: 1460 }, { kind: 'windowScale', shift: 7 }] }), ...backlog.events.slice(1)], hosts);
    const drawn = renderLadder(withOptions).split('\n');
    const syn = drawn.findIndex((l) => l.includes('[SYN] seq=0 win=64240') && l.includes('0.000 ms'));
    expect(drawn[syn + 1]).toMatch(/^ +\|.*\| +<mss=1460 wscale=7>$/);
  });

  it('fits 40 to 1000 columns in printable ASCII', () => {
    for (const width of [40, 50, 64, 80, 120, 200, 1000]) {
      for (const line of renderLadder(backlog, { width }).split('\n')) {
        expect(line.length).toBeLessThanOrEqual(width);
        expect(line).toMatch(/^[\x20-\x7e]*$/);
      }
    }
  });
});

describe("a host's sockets that never had a port", () => {
  // tw-reuse: a connect() refused with EADDRNOTAVAIL before any port was chosen, long after the host's own
  // connection ended.
  const reuse = makeTrace(
    [
      state(0, 'reuse0', 1, '10.0.0.10:50000', 'CLOSED', 'SYN_SENT', '10.0.0.2:9300'),
      segment(0, '10.0.0.10:50000', '10.0.0.2:9300', ['SYN'], 1, 0),
      { ...call(600_000, 'reuse0', 'connect', ['10.0.0.2:9300'], 'EADDRNOTAVAIL'), socket: 7 },
      { ...call(601_000, 'reuse0', 'close', [], 'ok'), socket: 7 },
    ],
    [
      { name: 'reuse0', address: '10.0.0.10' },
      { name: 'server', address: '10.0.0.2' },
    ],
  );
  const lines = renderLadder(reuse).split('\n');

  it("shows the refused connect at its time on a lane of the host itself", () => {
    const cols = lifelineColumns(lines);
    expect(cols).toHaveLength(3);
    const title = lines.find((l) => l.includes('reuse0 10.0.0.10 (no port)')) as string;
    const hostLane = title.indexOf('reuse0');
    expect(cols).toContain(hostLane);
    const connect = lines.find((l) => l.includes('connect(10.0.0.2:9300) = EADDRNOTAVAIL')) as string;
    expect(connect.trimStart().startsWith('600.000 ms')).toBe(true);
    expect(connect[hostLane]).toBe('*');
    const close = lines.find((l) => l.includes('close() = ok')) as string;
    expect(close[hostLane]).toBe('*');
  });
});

describe('segments nobody on a lifeline sent', () => {
  const spoofed = (i: number) => `198.51.100.${i}:${1000 + i}`;
  const S80 = '10.0.0.2:80';
  const flood = makeTrace([
    state(0, 'server', 1, S80, 'CLOSED', 'LISTEN'),
    ...[1, 2, 3, 4, 5].map((i) => segment(i, spoofed(i), S80, ['SYN'], i, 0, { injected: true })),
    segment(100, '10.0.0.1:40000', S80, ['SYN'], 7, 0),
    segment(200, '10.0.0.2:80', '10.0.0.1:40000', ['RST'], 5, 0, { injected: true }),
  ]);
  const lines = renderLadder(flood).split('\n');
  const cols = lifelineColumns(lines);

  it('gathers the spoofed sources on one lane, first, titled with their range', () => {
    expect(cols).toHaveLength(3);
    const title = lines.find((l) => l.includes('spoofed sources')) as string;
    expect(title.indexOf('spoofed sources')).toBe(cols[0]);
    expect(title.trim()).toMatch(/^spoofed sources 198\.51\.100\.1 \.\.\. /); // ASCII for the model's ellipsis
  });

  it('draws each spoofed SYN from that lane to the server, marked (spoofed)', () => {
    const syns = lines.filter((l) => l.includes('(spoofed)'));
    expect(syns).toHaveLength(5);
    for (const line of syns) expect(line.slice(cols[0], cols[2]! + 1)).toMatch(/^\|-*\+-*>\|$/);
  });

  it("draws a RST forged with the server's address from the outside lane, marked (injected)", () => {
    const rst = lines.find((l) => l.includes('[RST]')) as string;
    expect(rst).toContain('(injected)');
    expect(rst.slice(cols[0], cols[1]! + 1)).toMatch(/^\|-*>\|$/);
  });
});

describe('one endpoint on both ends', () => {
  it('draws a TCP self-connect (a capture of one endpoint) on one lifeline, the segment marked @', () => {
    const E = '127.0.0.1:5000';
    const self = makeTrace([segment(0, E, E, ['SYN'], 1, 0), segment(500, E, E, ['SYN', 'ACK'], 1, 2)], [{ name: E, address: E }]);
    const lines = renderLadder(self).split('\n');
    expect(lifelineColumns(lines)).toHaveLength(1);
    const syn = lines.find((l) => l.includes('[SYN]')) as string;
    expect(syn).toMatch(/@ +\[SYN\] seq=0 win=64240 \(to itself\)/);
  });

  it('draws a loopback connection (both ends 127.0.0.1) as two lifelines', () => {
    const A = '127.0.0.1:40000';
    const B = '127.0.0.1:8080';
    const loop = makeTrace(
      [segment(0, A, B, ['SYN'], 1, 0), segment(500, B, A, ['SYN', 'ACK'], 9, 2)],
      [
        { name: A, address: A },
        { name: B, address: B },
      ],
    );
    const ladder = renderLadder(loop);
    expect(ladder).toMatch(/\|--\[SYN\] seq=0 win=64240 -+>\|/);
    expect(ladder).toMatch(/\|<-\[SYN,ACK\] seq=0 ack=1 win=64240 -+\|/);
  });
});
