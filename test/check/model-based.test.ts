// Model-based testing (fast-check fc.commands): random sequences of socket calls and network faults on a
// client and a server, each call's result checked against a model of what the application should see
// (src/check/model/model.ts: bytes in order exactly once, connect ok or refused, end-of-file after the
// peer's shutdown), over random link conditions, with every invariant kept in every run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appCommands, AppSystem, ConnectCommand, initialModel, ListenCommand, RecvCommand, runAppCommands, SendCommand, ShutdownCommand, AcceptCommand } from '../../src/check/model/index.js';

const link = fc.record({
  latency: fc.integer({ min: 0, max: 30_000 }),
  loss: fc.integer({ min: 0, max: 50 }).map((n) => n / 1000),
  duplicate: fc.integer({ min: 0, max: 50 }).map((n) => n / 1000),
  reorder: fc.integer({ min: 0, max: 50 }).map((n) => n / 1000),
});

describe('the application sees what the model says', () => {
  it('holds over random calls, faults and links (seeded)', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.commands(appCommands(), { maxCommands: 30, size: 'large' }), link, fc.integer({ min: 1, max: 1000 }), fc.constantFrom('linux' as const, 'rfc9293' as const), fc.constantFrom(true, true, true, false), async (cmds, l, seed, profile, opened) => {
        const real = await runAppCommands(cmds, { seed, profile, link: l, opened });
        for (const a of real.actions) seen.add(a.op);
        if (real.last?.observations.some((o) => o.bytes?.length === 0)) seen.add('end-of-file');
        if (real.last?.observations.some((o) => (o.bytes?.length ?? 0) > 0)) seen.add('bytes');
        if (real.last?.observations.some((o) => o.result === 'EAGAIN')) seen.add('EAGAIN');
        if (real.faults.length > 0) seen.add('fault');
      }),
      { numRuns: 80, seed: 12 },
    );
    // The runs reached every kind of call and outcome the model speaks of.
    expect([...seen].sort()).toEqual(['EAGAIN', 'accept', 'bytes', 'connect', 'end-of-file', 'fault', 'listen', 'recv', 'send', 'shutdown']);
  }, 60_000);

  it('a fixed sequence: connect refused before listen', async () => {
    const real = new AppSystem({ seed: 1, profile: 'linux', link: {} });
    const model = initialModel();
    await new ConnectCommand().run(model, real);
    expect(model.connect).toBe('refused');
    expect(real.last!.observations).toEqual([{ result: 'ECONNREFUSED' }]);
  });

  it('a fixed sequence: bytes in order, then end-of-file after the peer\'s shutdown', async () => {
    const real = new AppSystem({ seed: 1, profile: 'linux', link: { latency: 5000 } });
    const model = initialModel();
    for (const c of [new ListenCommand(), new ConnectCommand(), new AcceptCommand(), new SendCommand('client', [1, 2, 3, 4, 5]), new ShutdownCommand('client'), new RecvCommand('server', 3), new RecvCommand('server', 100), new RecvCommand('server', 100)]) {
      await c.run(model, real);
    }
    expect(real.last!.observations.slice(5)).toEqual([{ result: 'ok', bytes: [1, 2, 3] }, { result: 'ok', bytes: [4, 5] }, { result: 'ok', bytes: [] }]);
  });

  it('the model is not the engine: a recv that returned other bytes than were sent is caught', async () => {
    const real = new AppSystem({ seed: 1, profile: 'linux', link: {} });
    const model = initialModel();
    for (const c of [new ListenCommand(), new ConnectCommand(), new AcceptCommand(), new SendCommand('client', [7, 8])]) await c.run(model, real);
    model.stream.client.sent = [7, 9]; // the model now expects a byte the client never sent
    await expect(new RecvCommand('server', 10).run(model, real)).rejects.toThrow(/server recv\(10\): the application should observe 1 to 2 bytes/);
  });
});
