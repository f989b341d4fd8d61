// The trace the web benchmark opens: a bulk transfer over a lossy link (1 % loss, 1 ms one way), long enough
// for at least 10,000 segments (issue 9: "the first render of a 10,000-segment trace").
import { World } from '../src/sim/world.js';
import { LINUX } from '../src/tcp/profile.js';
import { program } from '../src/socket/index.js';
import type { Trace } from '../src/sim/trace.js';

export async function bulkTrace(bytes = 9_000_000): Promise<{ trace: Trace; segments: number }> {
  const world = new World({ seed: 1, profile: LINUX, link: { latency: 1000, loss: 0.01 } });
  world.addHost({ name: 'client', address: '10.0.0.1' });
  world.addHost({ name: 'server', address: '10.0.0.2' });
  program(world, 'server', 'server', async (net) => {
    const s = net.tcp();
    s.bind(['', 9999]);
    s.listen(5);
    const [conn] = await s.accept();
    while ((await conn.recv(65536)).length > 0);
    conn.close();
  });
  program(world, 'client', 'client', async (net) => {
    const s = net.tcp();
    await s.connect(['server', 9999]);
    await s.sendall(new Uint8Array(bytes));
    s.close();
  });
  const trace = await world.run();
  return { trace, segments: trace.events.filter((e) => e.kind === 'segment').length };
}
