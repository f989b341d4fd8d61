// After each event the run loop lets woken programs run, then flushes the hosts they may have touched. Flushing
// every host there made a run quadratic in hosts (issue 10: 4,000 hosts took 5.7 s, 7,000 took 48 s). This guards
// the complexity, not the time: the flushes per event must not grow with the number of idle hosts.
import { describe, expect, it, vi } from 'vitest';
import { Host } from '../../src/sim/host.js';
import { World } from '../../src/sim/world.js';
import { program } from '../../src/socket/index.js';
import { LINUX } from '../../src/tcp/profile.js';

const address = (i: number) => `10.${(i >> 8) + 1}.${i & 255}.1`;

/** `pairs` client/server pairs, each one connection that sends 2 bytes and closes; counts per trace event. */
async function perEvent(pairs: number): Promise<{ flushes: number; hostVisits: number }> {
  const world = new World({ seed: 1, profile: LINUX });
  for (let i = 0; i < pairs; i++) {
    world.addHost({ name: `server${i}`, address: address(2 * i) });
    world.addHost({ name: `client${i}`, address: address(2 * i + 1) });
  }
  for (let i = 0; i < pairs; i++) {
    program(world, `server${i}`, 'server', async (net) => {
      const s = net.tcp();
      s.bind(['0.0.0.0', 9000]);
      s.listen();
      const [conn] = await s.accept();
      while ((await conn.recv()).length > 0);
      conn.close();
      s.close();
    });
    // Staggered starts: each connection's events come at their own instants, so most events touch one pair.
    program(world, `client${i}`, 'client', async (net) => {
      const s = net.tcp();
      await s.connect([`server${i}`, 9000]);
      await s.sendall('hi');
      s.close();
    }, 0.001 * (i + 1));
  }
  const flush = vi.spyOn(world, 'flushHost');
  const wake = vi.spyOn(Host.prototype, 'wakeWaiters');
  try {
    const trace = await world.run();
    expect(world.outcomes().filter((o) => o.status !== 'done')).toEqual([]);
    return { flushes: flush.mock.calls.length / trace.events.length, hostVisits: wake.mock.calls.length / trace.events.length };
  } finally {
    wake.mockRestore();
  }
}

describe('the run loop flushes only the hosts an event touched', () => {
  it('flushes and host visits per event stay the same from 100 to 1000 hosts', async () => {
    const small = await perEvent(50);
    const large = await perEvent(500);
    // Flushing every host after each event would make these grow tenfold here.
    expect(large.flushes).toBeLessThan(small.flushes * 1.1);
    expect(large.hostVisits).toBeLessThan(small.hostVisits * 1.1);
    expect(large.flushes).toBeLessThan(5);
  });
});
