// A registry of hand-made scenarios for CLI tests: each returns a fixed trace and records how it was run.
import { main } from '../../src/cli/main.js';
import type { RunOptions, Scenario } from '../../src/scenarios/types.js';
import type { Trace } from '../../src/sim/trace.js';
import { call, makeTrace, segment, state } from '../render/trace-builders.js';

const C = '10.0.0.1:40000';
const S = '10.0.0.2:80';

export const HANDSHAKE_TRACE: Trace = makeTrace([
  state(0, 'server', 1, S, 'CLOSED', 'LISTEN'),
  state(10, 'client', 1, C, 'CLOSED', 'SYN_SENT', S),
  segment(10, C, S, ['SYN'], 1000, 0, { options: [{ kind: 'mss', mss: 1460 }] }),
  state(510, 'server', 2, S, 'LISTEN', 'SYN_RECEIVED', C),
  segment(510, S, C, ['SYN', 'ACK'], 5000, 1001, { win: 65483 }),
  state(1010, 'client', 1, C, 'SYN_SENT', 'ESTABLISHED', S),
  segment(1010, C, S, ['ACK'], 1001, 5001),
  state(1510, 'server', 2, S, 'SYN_RECEIVED', 'ESTABLISHED', C),
]);

export const REFUSED_TRACE: Trace = makeTrace([
  state(0, 'client', 1, '10.0.0.1:40000', 'CLOSED', 'SYN_SENT', '10.0.0.2:81'),
  segment(0, '10.0.0.1:40000', '10.0.0.2:81', ['SYN'], 1, 0),
  segment(500, '10.0.0.2:81', '10.0.0.1:40000', ['RST', 'ACK'], 0, 2, { win: 0, note: 'reset: no socket' }),
  state(1000, 'client', 1, '10.0.0.1:40000', 'SYN_SENT', 'CLOSED', '10.0.0.2:81'),
  { ...call(1000, 'client', 'connect', ['10.0.0.2:81'], 'ECONNREFUSED'), socket: 1 },
]);

export interface FakeRegistry {
  scenarios: Scenario[];
  runs: Array<{ name: string; options: RunOptions }>;
}

function fake(registry: FakeRegistry, name: string, summary: string, trace: Trace): Scenario {
  return {
    name,
    summary,
    lifelines: ['client', 'server'],
    run: async (options) => {
      registry.runs.push({ name, options });
      return structuredClone(trace);
    },
  };
}

export function fakeRegistry(): FakeRegistry {
  const registry: FakeRegistry = { scenarios: [], runs: [] };
  registry.scenarios.push(
    fake(registry, 'three-way-handshake', 'a client connects to a listening server', HANDSHAKE_TRACE),
    fake(registry, 'connection-refused', 'connect() to a closed port gets a RST', REFUSED_TRACE),
    fake(registry, 'syn-flood', 'a flood of SYNs fills the SYN queue', HANDSHAKE_TRACE),
  );
  return registry;
}

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs main() with captured output and the given (by default a fresh) fake registry. */
export async function capture(argv: string[], registry: FakeRegistry = fakeRegistry()): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  // Bytes too, as the process writes them (--json's plain ASCII pieces, src/cli/json-out.ts).
  const io = { stdout: (s: string) => void (stdout += s), stderr: (s: string) => void (stderr += s), stdoutBytes: (b: Uint8Array) => ((stdout += new TextDecoder().decode(b)), true) };
  const code = await main(argv, io, registry.scenarios);
  return { code, stdout, stderr };
}
