// The end-of-run report (World.outcomes, printed by `synack run` when a program never finished) names, for
// each program still blocked, the call it is blocked in: its own call, not the last call made on its host.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world.js';
import { program } from '../../src/socket/index.js';
import { LINUX } from '../../src/tcp/profile.js';

describe('outcomes of a run that ends with programs still waiting', () => {
  it('two programs on one host: each is reported blocked in its own call', async () => {
    const world = new World({ seed: 1, profile: LINUX, until: 5_000_000 });
    world.addHost({ name: 'server', address: '10.0.0.2' });
    world.addHost({ name: 'client', address: '10.0.0.1' });
    program(world, 'server', 'waits for a client', async (net) => {
      const s = net.tcp();
      s.bind(['', 80]);
      s.listen(5);
      await s.accept(); // nobody connects
    });
    program(world, 'server', 'waits for data', async (net) => {
      const s = net.tcp();
      s.bind(['', 81]);
      s.listen(5);
      const [conn] = await s.accept();
      await conn.recv(10); // the client never sends
    });
    program(world, 'client', 'waits for a reply', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 81]);
      await s.recv(10); // the server never sends
    }, 0.001);
    await world.run();
    const blocked = world.outcomes().filter((o) => o.status === 'blocked').map((o) => `${o.name}: ${o.detail}`);
    expect(blocked).toEqual(['waits for a client: accept()', 'waits for data: recv()', 'waits for a reply: recv()']);
  });

  it('a program still sleeping when the run ends is reported in sleep(), not in an unknown call', async () => {
    const world = new World({ seed: 1, profile: LINUX, until: 5_000_000 });
    world.addHost({ name: 'client', address: '10.0.0.1' });
    program(world, 'client', 'naps', async (net) => {
      await net.sleep(1);
      await net.sleep(3600); // past the run's end (5 s)
    });
    program(world, 'client', 'wakes in time', async (net) => {
      await net.sleep(2);
    });
    await world.run();
    expect(world.outcomes().map((o) => `${o.name}: ${o.status} ${o.detail ?? ''}`.trim())).toEqual(['naps: blocked sleep()', 'wakes in time: done']);
  });
});
