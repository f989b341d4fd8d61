// Blocked calls wake on readiness (issue 11): after an event, only the calls waiting on a socket that changed are
// re-tried. Re-trying every blocked call of the host made each segment cost as much as the connections open
// (80 checks per segment with 100 concurrent connections). This guards the complexity, not the time.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world.js';
import { program } from '../../src/socket/index.js';
import { LINUX } from '../../src/tcp/profile.js';

/** `n` clients at once: connect, 100 bytes each way, close; waiter checks and waiters looked at, per segment. */
async function costPerSegment(n: number): Promise<{ checks: number; looked: number }> {
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
  expect(server.blockedCalls + client.blockedCalls).toBe(0);
  const segments = world.recorder.counts.segment;
  return { checks: (server.checks + client.checks) / segments, looked: (server.waitersLooked + client.waitersLooked) / segments };
}

async function checksPerSegment(n: number): Promise<number> {
  return (await costPerSegment(n)).checks;
}

describe('blocked socket calls are re-tried only when their socket changed', () => {
  it('waiter checks per segment stay the same from 10 to 500 concurrent connections', async () => {
    const few = await checksPerSegment(10);
    const many = await checksPerSegment(500);
    // Re-trying every blocked call on each flush would make this grow about fiftyfold here.
    expect(many).toBeLessThan(few * 1.5);
    expect(many).toBeLessThan(3);
  });

  it('a visit looks only at the waiters that are due: waiters looked at per segment stay the same from 10 to 500', async () => {
    // Walking every blocked call at each visit (skipping the unchanged ones) looked at ~n of them per segment.
    const few = await costPerSegment(10);
    const many = await costPerSegment(500);
    expect(many.looked).toBeLessThan(few.looked * 1.5);
    expect(many.looked).toBeLessThan(4);
  });
});
