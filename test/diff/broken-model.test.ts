// The diff catches a broken model, readably. The model's backlog rule is broken on purpose (the accept queue counted
// full at `length >= backlog` instead of Linux's `length > backlog`, sk_acceptq_is_full) and compared with a capture
// the real kernel made of the same scenario: test/conformance/fixtures/backlog-overflow.kernel.pcap, recorded by
// `SYNACK_CONFORMANCE_KEEP=1 npx vitest run test/conformance/conformance.test.ts -t 'backlog-overflow$'` on Linux
// 6.18.44 (listen(1), four clients 100 ms apart, no accept() for 3 s). The correct model matches that capture; the
// broken one must not, and the report must say where and how.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffNormalised, formatDiff, normalise } from '../../src/diff/index.js';
import { packetsFromCapture } from '../../src/replay/from-capture.js';
import { packetsFromTrace } from '../../src/replay/from-trace.js';
import { scenarioFromFile } from '../../src/scenarios/file/build.js';
import { loadScenarioFile } from '../../src/scenarios/file/load.js';
import { hostNames, loopbackScenario } from '../conformance/plan.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const kernelPcap = new Uint8Array(readFileSync(here('../conformance/fixtures/backlog-overflow.kernel.pcap')));

async function modelAgainstKernel(acceptQueueRule: 'gt' | 'ge') {
  const loaded = loopbackScenario(loadScenarioFile(here('../conformance/cases/backlog-overflow.yaml'), 'backlog-overflow'));
  const file = { ...loaded.file, knobs: { ...(loaded.file.knobs ?? {}), acceptQueueRule } };
  const scenario = scenarioFromFile(file, loaded.name, loaded.source);
  const { trace } = await scenario.execute!({ profile: 'linux', seed: 1 });
  const names = hostNames(file);
  const model = normalise(packetsFromTrace(trace), { names });
  const kernel = normalise(packetsFromCapture(kernelPcap).packets, { names });
  const divergences = diffNormalised(model, kernel);
  return { model, kernel, divergences, report: formatDiff(model, kernel, divergences, { labels: ['model', 'kernel'], width: 120 }) };
}

describe('a deliberately broken backlog rule against the kernel capture', () => {
  it("the model with Linux's rule (queue full when length > backlog) matches the kernel's capture", async () => {
    const { divergences, model, kernel } = await modelAgainstKernel('gt');
    expect(divergences).toEqual([]);
    expect(model.segments.length).toBe(kernel.segments.length);
  });

  it('with `length >= backlog` the second client is refused too, and the report points at its handshake', async () => {
    const { divergences, report } = await modelAgainstKernel('ge');
    expect(divergences.length).toBeGreaterThan(0);
    const first = divergences[0]!;
    // client2's SYN at 0.2 s: the kernel answers it (one connection queued, 1 > 1 is false); the broken model drops it.
    expect(first.conn).toBe('client2:eph1>server:9999');
    expect(first.from).toBe('server:9999');
    expect(first.index).toBe(0);
    // Times count from the first packet (client1's SYN). The kernel answers client2's SYN 100 ms later; the broken
    // model answers only a retransmitted SYN, once accept() has made room seconds later.
    expect(first.field).toBe('time');
    expect(first.b?.flags).toBe('SYN-ACK');
    expect(first.b!.t).toBeGreaterThan(90_000);
    expect(first.b!.t).toBeLessThan(130_000);
    expect(first.a?.flags).toBe('SYN-ACK');
    expect(first.a!.t).toBeGreaterThan(1_000_000);
    // Then the client side: the model's client2 retransmits its SYN where the kernel's completed the handshake.
    expect(divergences.some((d) => d.conn === first.conn && d.from === 'client2:eph1' && d.field === 'flags' && d.a?.flags === 'SYN' && d.b?.flags === 'ACK')).toBe(true);
    // The readable part: the header names the connection and both sides, and the marked row shows the SYN-ACK.
    expect(report).toContain('first divergence: client2:eph1>server:9999');
    expect(report).toMatch(/^>>.*SYN-ACK/m);
    expect(report).toContain('model');
    expect(report).toContain('kernel');
    process.stdout.write(`\n--- synack diff of the broken model against the kernel ---\n${report}\n`);
  });
});
