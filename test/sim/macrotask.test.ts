// The run loop's macrotask turn (src/sim/macrotask.ts) has two paths: Node's setImmediate and, in a
// browser, a MessageChannel message. Both must give the same byte-identical trace for a seed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findScenario } from '../../src/scenarios/index.js';

async function traceJson(name: string, seed: number): Promise<string> {
  const scenario = findScenario(name);
  if (!scenario) throw new Error(`no built-in scenario named "${name}"`);
  return JSON.stringify(await scenario.run({ profile: 'linux', seed }));
}

/** Runs `body` with globalThis.setImmediate deleted, as in a browser, and puts it back after. */
async function withoutSetImmediate<T>(body: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'setImmediate');
  if (!saved) throw new Error('this test needs a host that has setImmediate');
  delete (globalThis as { setImmediate?: unknown }).setImmediate;
  try {
    return await body();
  } finally {
    Object.defineProperty(globalThis, 'setImmediate', saved);
  }
}

describe('the macrotask turn between events', () => {
  afterEach(() => vi.restoreAllMocks());

  // Scenarios whose programs wake each other at one instant (echo), retransmit (lost-syn-ack) and
  // run many programs (many-clients): the order continuations run in is what shapes their traces.
  for (const name of ['three-way-handshake', 'echo', 'lost-syn-ack', 'many-clients']) {
    it(`gives ${name} the same trace with and without setImmediate`, async () => {
      const withImmediate = await traceJson(name, 7);
      const posted = vi.spyOn(MessagePort.prototype, 'postMessage');
      const withChannel = await withoutSetImmediate(() => traceJson(name, 7));
      // The MessageChannel path really ran: one message per turn.
      expect(posted).toHaveBeenCalled();
      expect(withChannel).toBe(withImmediate);
    });
  }

  it('uses setImmediate, not a MessageChannel, when the host has it', async () => {
    const posted = vi.spyOn(MessagePort.prototype, 'postMessage');
    await traceJson('echo', 7);
    expect(posted).not.toHaveBeenCalled();
  });

  it('puts setImmediate back after hiding it', () => {
    expect(typeof globalThis.setImmediate).toBe('function');
  });
});
