// Blocked calls wake on readiness (issue 11): after an event, only the calls waiting on a socket that changed are
// re-tried. Re-trying every blocked call of the host made each segment cost as much as the connections open
// (80 checks per segment with 100 concurrent connections). This guards the complexity, not the time.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world.js';
import { program } from '../../src/socket/index.js';
import { LINUX } from '../../src/tcp/profile.js';

/** `n` clients at once: connect, 100 bytes each way, close; returns waiter checks per segment. */
async function checksPerSegment(n: number): Promise<number> {
  const world = new World({ seed: 1, profile: LINUX, link: { latency: 1000 }, trace: 'count' });
  const server = world.addHost({ name: 'server', address: '10.0.0.2' });
  const client = world.addHost({ name: 'client', address: '10.0.0.1' });
  program(world, 'server', 'server', async (net) => {
    const s = net.tcp();
    s.bind(['0.0.0.0', 80]);
    s.listen(1024);
    for (let i = 0; i < n; i++) {
      const [conn] = await s.accept();
      void (async () => {
        await conn.sendall(await conn.recv(100));
        while ((await conn.recv()).length > 0);
        conn.close();
      })();
    }
    s.close();
  });
  for (let i = 0; i < n; i++) {
    program(world, 'client', `client${i}`, async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      await s.sendall(new Uint8Array(100));
      let got = 0;
      while (got < 100) got += (await s.recv()).length;
      s.close();
    }, 0.0001 * (i % 10));
  }
  await world.run();
  expect(world.outcomes().filter((o) => o.status !== 'done')).toEqual([]);
  expect(server.waiters.size + client.waiters.size).toBe(0);
  return (server.checks + client.checks) / world.recorder.counts.segment;
}

describe('blocked socket calls are re-tried only when their socket changed', () => {
  it('waiter checks per segment stay the same from 10 to 500 concurrent connections', async () => {
    const few = await checksPerSegment(10);
    const many = await checksPerSegment(500);
    // Re-trying every blocked call on each flush would make this grow about fiftyfold here.
    expect(many).toBeLessThan(few * 1.5);
    expect(many).toBeLessThan(3);
  });
});
