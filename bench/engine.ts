// Engine throughput: a bulk transfer under loss, and every built-in scenario.
// A measurement, not a test: speed targets live here, never in unit tests.
import { World } from '../src/sim/world.js';
import { LINUX } from '../src/tcp/profile.js';
import { program } from '../src/socket/index.js';
import { SCENARIOS } from '../src/scenarios/index.js';
import type { BenchResult } from './transitions.js';

/** Sends `bytes` over a lossy link (5 ms one way); returns segments simulated and the wall time. */
async function bulkTransfer(bytes: number, loss: number): Promise<{ segments: number; ms: number; virtualSeconds: number }> {
  const world = new World({ seed: 7, profile: LINUX, link: { latency: 5000, loss } });
  world.addHost({ name: 'client', address: '10.0.0.1' });
  world.addHost({ name: 'server', address: '10.0.0.2' });
  program(world, 'server', 'sink', async (net) => {
    const s = net.tcp();
    s.bind(['', 9]);
    s.listen(1);
    const [conn] = await s.accept();
    while ((await conn.recv(65536)).length > 0);
    conn.close();
  });
  program(world, 'client', 'source', async (net) => {
    const s = net.tcp();
    await s.connect(['server', 9]);
    await s.sendall(new Uint8Array(bytes));
    s.close();
  });
  const start = performance.now();
  const trace = await world.run();
  const ms = performance.now() - start;
  const segments = trace.events.filter((e) => e.kind === 'segment').length;
  // Transfer time: until the last segment carrying data (TIME_WAIT afterwards is not transfer).
  const lastData = trace.events.filter((e) => e.kind === 'segment' && e.len > 0).at(-1)?.t ?? 0;
  return { segments, ms, virtualSeconds: lastData / 1e6 };
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const loss of [0, 0.01]) {
    const r = await bulkTransfer(4_000_000, loss);
    results.push({ name: `bulk 4 MB, loss ${loss}: segments simulated per second (${r.segments} segments, ${r.virtualSeconds.toFixed(2)} virtual s of transfer, ${r.ms.toFixed(0)} ms)`, opsPerSec: (r.segments / r.ms) * 1000 });
  }
  const start = performance.now();
  for (const s of SCENARIOS) await s.run({ profile: 'linux', seed: 1 });
  const ms = performance.now() - start;
  results.push({ name: `all ${SCENARIOS.length} built-in scenarios (linux): runs per second (${ms.toFixed(0)} ms in all)`, opsPerSec: (SCENARIOS.length / ms) * 1000 });
  return results;
}
