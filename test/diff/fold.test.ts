// foldFinAcks: the jiffy race of a FIN's ACK (a bare ACK at the next tick, or the ACK riding on the FIN-ACK when
// close() comes first) is folded away, and nothing else is.
import { describe, expect, it } from 'vitest';
import { diffNormalised, foldFinAcks, normalise } from '../../src/diff/index.js';
import { packetsFromTrace } from '../../src/replay/from-trace.js';
import { scenarioFromFile } from '../../src/scenarios/file/build.js';
import { parseScenarioText } from '../../src/scenarios/file/parse.js';

/** The server closes first; the client closes `delay` after it read end-of-file (its ACK timer is one 4 ms tick). */
async function serverClosesFirst(delay: string) {
  const yaml = `
summary: the server closes first
link: { latency: 0 }
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps: [ socket: s, bind: { socket: s, port: 80 }, listen: { socket: s }, accept: { socket: s, as: c }, recv: { socket: c, max: 100 }, close: c ]
  - host: client
    start: 0.001
    steps: [ socket: s, connect: { socket: s, to: "server:80" }, sendall: { socket: s, data: "hi" }, recvall: s, sleep: ${delay}, close: s ]
`;
  const scenario = scenarioFromFile(parseScenarioText(yaml, 'fold.yaml'), 'fold', 'test');
  const { trace } = await scenario.execute!({ profile: 'linux', seed: 1 });
  return normalise(packetsFromTrace(trace), { names: { '10.0.0.1': 'client', '10.0.0.2': 'server' } });
}

const clientFlags = (n: ReturnType<typeof normalise>) =>
  n.segments.filter((s) => s.from === 'client:eph1').map((s) => s.flags);

describe('foldFinAcks', () => {
  it('a close() before the tick and one after it differ by a bare ACK, and are the same once folded', async () => {
    const quick = await serverClosesFirst('0');
    const late = await serverClosesFirst('0.006');
    expect(clientFlags(quick).slice(-1)).toEqual(['FIN-ACK']);
    expect(clientFlags(late).slice(-2)).toEqual(['ACK', 'FIN-ACK']);
    expect(diffNormalised(quick, late).length).toBeGreaterThan(0);
    const a = foldFinAcks(quick, 10_000);
    const b = foldFinAcks(late, 10_000);
    expect(a.folded).toHaveLength(0);
    expect(b.folded.map((s) => s.flags)).toEqual(['ACK']);
    expect(diffNormalised(a.normal, b.normal)).toEqual([]);
  });

  it('leaves a bare ACK alone when the FIN-ACK comes later than the window', async () => {
    const slow = await serverClosesFirst('0.05');
    const { folded, normal } = foldFinAcks(slow, 10_000);
    expect(folded).toHaveLength(0);
    expect(normal.segments).toEqual(slow.segments);
  });

  it('leaves the ACK of data alone (it does not acknowledge a FIN)', async () => {
    const quick = await serverClosesFirst('0');
    const dataAcks = quick.segments.filter((s) => s.flags === 'ACK' && s.len === 0);
    expect(dataAcks.length).toBeGreaterThan(0);
    const { normal } = foldFinAcks(quick, 10_000);
    expect(normal.segments.filter((s) => s.flags === 'ACK' && s.len === 0)).toEqual(dataAcks);
  });
});
