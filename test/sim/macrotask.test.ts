// The run loop's turn after each event (src/sim/macrotask.ts) has three paths: Node's process.nextTick (with
// a setImmediate every TICKS_PER_MACROTASK turns), setImmediate alone, and, in a browser, a MessageChannel
// message. All must give the same byte-identical trace for a seed, and let every pending continuation run.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findScenario } from '../../src/scenarios/index.js';
import { World } from '../../src/sim/world.js';
import { program } from '../../src/socket/index.js';
import { LINUX } from '../../src/tcp/profile.js';
import { TICKS_PER_MACROTASK } from '../../src/sim/macrotask.js';

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

/** Runs `body` with process.nextTick hidden from the engine (it reads it from globalThis.process). */
async function withoutNextTick<T>(body: () => Promise<T>): Promise<T> {
  const real = globalThis.process;
  const { nextTick: _hidden, ...rest } = real;
  Object.defineProperty(globalThis, 'process', { value: rest, configurable: true, writable: true });
  try {
    return await body();
  } finally {
    Object.defineProperty(globalThis, 'process', { value: real, configurable: true, writable: true });
  }
}

/**
 * A client whose program awaits `depth` plain promises (no socket call) between connect() and send(): the
 * virtual times at which connect() returned and send() was made.
 */
async function longChain(depth: number): Promise<{ connected: number; sent: number }> {
  const world = new World({ seed: 1, profile: LINUX });
  world.addHost({ name: 'client', address: '10.0.0.1' });
  world.addHost({ name: 'server', address: '10.0.0.2' });
  program(world, 'server', 'server', async (net) => {
    const l = net.tcp();
    l.bind(['', 80]);
    l.listen();
    const [c] = await l.accept();
    await c.recv(10);
  });
  const times = { connected: -1, sent: -1 };
  program(world, 'client', 'client', async (net) => {
    const s = net.tcp();
    await s.connect(['server', 80]);
    times.connected = world.now;
    for (let i = 0; i < depth; i++) await null;
    times.sent = world.now;
    await s.send('x');
  });
  await world.run();
  return times;
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

  it('takes process.nextTick where Node has it, and gives the same trace as setImmediate alone', async () => {
    const ticked = vi.spyOn(process, 'nextTick');
    const withTick = await traceJson('many-clients', 7);
    expect(ticked).toHaveBeenCalled();
    ticked.mockRestore();
    const immediateOnly = await withoutNextTick(() => traceJson('many-clients', 7));
    expect(immediateOnly).toBe(withTick);
  });

  // A program's continuation may await many plain promises before its next call: the turn must come after all
  // of them (the microtask queue drained), else the call would be made at a later virtual time.
  for (const [path, wrap] of [
    ['nextTick', <T>(f: () => Promise<T>) => f()],
    ['setImmediate', withoutNextTick],
    ['MessageChannel', withoutSetImmediate],
  ] as const) {
    it(`lets a 10,000-await continuation finish before virtual time moves (${path})`, async () => {
      const { connected, sent } = await wrap(() => longChain(10_000));
      expect(connected).toBeGreaterThan(0);
      expect(sent).toBe(connected);
    });
  }

  // run() may be called from a timer or an I/O callback, outside any microtask: the turn must still come after
  // the continuations queued before it (a tick queued from the caller's own stack would run first).
  for (const [where, start] of [
    ['a timer callback', (go: () => void) => setTimeout(go, 0)],
    ['an I/O callback', (go: () => void) => void import('node:fs').then((fs) => fs.readFile(import.meta.filename, () => go()))],
  ] as const) {
    it(`gives the same traces when run() is called from ${where}`, async () => {
      for (const name of ['three-way-handshake', 'echo', 'many-clients']) {
        const fromHere = await traceJson(name, 3);
        const fromThere = await new Promise<string>((resolve, reject) => start(() => void traceJson(name, 3).then(resolve, reject)));
        expect(fromThere).toBe(fromHere);
      }
      const { connected, sent } = await new Promise<{ connected: number; sent: number }>((resolve, reject) => start(() => void longChain(1000).then(resolve, reject)));
      expect(sent).toBe(connected);
    });
  }

  it(`lets the event loop run during a long run (a setImmediate every ${TICKS_PER_MACROTASK} turns)`, async () => {
    let ranDuring = false;
    let finished = false;
    setImmediate(() => {
      ranDuring = !finished;
    });
    const ticked = vi.spyOn(process, 'nextTick');
    // 2,000 round trips on virtual time, each at least one turn: one run() call, no other await in between.
    const world = new World({ seed: 1, profile: LINUX });
    world.addHost({ name: 'client', address: '10.0.0.1' });
    world.addHost({ name: 'server', address: '10.0.0.2' });
    program(world, 'server', 'echo', async (net) => {
      const l = net.tcp();
      l.bind(['', 7]);
      l.listen();
      const [c] = await l.accept();
      for (let chunk = await c.recv(10); chunk.length > 0; chunk = await c.recv(10)) await c.sendall(chunk);
      c.close();
    });
    program(world, 'client', 'ping', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 7]);
      for (let i = 0; i < 2000; i++) {
        await s.sendall('x');
        await s.recv(10);
      }
      s.close();
    });
    await world.run();
    finished = true;
    expect(ticked.mock.calls.length).toBeGreaterThan(2 * TICKS_PER_MACROTASK);
    expect(ranDuring).toBe(true);
  });

  it('puts setImmediate back after hiding it', () => {
    expect(typeof globalThis.setImmediate).toBe('function');
  });
});
