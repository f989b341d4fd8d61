// WorldOptions.trace (issue 11): off, a run keeps no events but the programs do exactly what they do in a traced
// run; 'count' keeps how many events of each kind the traced run would have had.
import { describe, expect, it } from 'vitest';
import type { TraceMode } from '../../src/sim/recorder.js';
import { World } from '../../src/sim/world.js';
import { program } from '../../src/socket/index.js';
import { SocketError } from '../../src/tcp/errno.js';
import { LINUX } from '../../src/tcp/profile.js';

/** Three clients echo through one server over a lossy link; one connects to a closed port (ECONNREFUSED). */
async function echoRun(mode: TraceMode) {
  const world = new World({ seed: 5, profile: LINUX, link: { latency: 2000, loss: 0.1 }, trace: mode });
  world.addHost({ name: 'server', address: '10.0.0.2' });
  world.addHost({ name: 'client', address: '10.0.0.1' });
  const results: string[] = [];
  program(world, 'server', 'server', async (net) => {
    const s = net.tcp();
    s.bind(['0.0.0.0', 7]);
    s.listen();
    for (let i = 0; i < 3; i++) {
      const [conn, peer] = await s.accept();
      results.push(`accepted ${peer.join(':')} at ${world.now}`);
      void (async () => {
        for (let d = await conn.recv(); d.length > 0; d = await conn.recv()) await conn.sendall(d);
        conn.close();
      })();
    }
  });
  for (let c = 0; c < 3; c++) {
    program(world, 'client', `client${c}`, async (net) => {
      const s = net.tcp();
      await s.connect(['server', 7]);
      await s.sendall(new Uint8Array(3000).fill(c));
      let got = 0;
      while (got < 3000) got += (await s.recv()).length;
      results.push(`client${c} echoed ${got} at ${world.now}`);
      s.close();
    });
  }
  program(world, 'client', 'refused', async (net) => {
    try {
      await net.tcp().connect(['server', 8]);
    } catch (e) {
      results.push(`refused: ${e instanceof SocketError ? e.errno : String(e)} at ${world.now}`);
    }
  });
  const trace = await world.run();
  const states = world.hostList().flatMap((h) => h.tcp.allSockets().map((s) => `${h.name} ${s.id} ${s.conn?.state ?? (s.listen ? 'LISTEN' : 'CLOSED')}`));
  return { trace, results, states, outcomes: world.outcomes(), counts: world.recorder.counts, end: world.now };
}

describe('a run with the trace off or counting', () => {
  it('makes the same calls with the same results and leaves the same states as a traced run, with no events', async () => {
    const traced = await echoRun(true);
    expect(traced.results).toHaveLength(7);
    expect(traced.results.filter((r) => r.startsWith('refused: ECONNREFUSED'))).toHaveLength(1);
    for (const mode of [false, 'count'] as const) {
      const run = await echoRun(mode);
      expect(run.trace.events).toEqual([]);
      expect(run.results).toEqual(traced.results);
      expect(run.states).toEqual(traced.states);
      expect(run.outcomes).toEqual(traced.outcomes);
      expect(run.end).toBe(traced.end);
    }
  });

  it("'count' counts the events of each kind the traced run recorded; off counts nothing", async () => {
    const traced = await echoRun(true);
    const byKind = { segment: 0, datagram: 0, state: 0, call: 0, timer: 0 };
    for (const ev of traced.trace.events) byKind[ev.kind]++;
    expect(byKind.segment).toBeGreaterThan(20);
    expect((await echoRun('count')).counts).toEqual(byKind);
    expect((await echoRun(false)).counts).toEqual({ segment: 0, datagram: 0, state: 0, call: 0, timer: 0 });
  });

  it('rejects a trace option that is not true, false or "count"', () => {
    expect(() => new World({ seed: 1, profile: LINUX, trace: 'yes' as unknown as TraceMode })).toThrow(/trace must be true, false or "count"/);
  });
});
