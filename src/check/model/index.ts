// The model-based commands over the socket API and network faults (fast-check's fc.commands), and one
// call that runs a sequence of them: the real system replays every sequence from the start, checks each
// call's observation against the model, and keeps the invariants over every run.
import fc from 'fast-check';
import type { LinkConfig } from '../../sim/link.js';
import type { ProfileName } from '../../tcp/profile.js';
import { checkTrace } from '../invariants/index.js';
import { AcceptCommand } from './accept.js';
import { ConnectCommand } from './connect.js';
import { FaultCommand } from './fault.js';
import { ListenCommand } from './listen.js';
import { initialModel, type AppModel } from './model.js';
import { RecvCommand } from './recv.js';
import { SendCommand } from './send.js';
import { ShutdownCommand } from './shutdown.js';
import { AppSystem } from './system.js';

export { AcceptCommand, ConnectCommand, FaultCommand, ListenCommand, RecvCommand, SendCommand, ShutdownCommand, AppSystem, initialModel, type AppModel };
export type { Side, StreamModel } from './model.js';
export type { Action, Observation } from './system.js';

const side = fc.constantFrom('client' as const, 'server' as const);

/** Every command, with its arguments drawn at random (sends and receives listed twice: drawn more often). */
export function appCommands(): Array<fc.Arbitrary<fc.AsyncCommand<AppModel, AppSystem>>> {
  const send = fc.tuple(side, fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3000 })).map(([s, b]) => new SendCommand(s, b));
  const recv = fc.tuple(side, fc.integer({ min: 1, max: 4000 })).map(([s, n]) => new RecvCommand(s, n));
  return [
    send,
    recv,
    fc.constant(new ListenCommand()),
    fc.constant(new ConnectCommand()),
    fc.constant(new AcceptCommand()),
    fc.tuple(side, fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3000 })).map(([s, b]) => new SendCommand(s, b)),
    fc.tuple(side, fc.integer({ min: 1, max: 4000 })).map(([s, n]) => new RecvCommand(s, n)),
    side.map((s) => new ShutdownCommand(s)),
    fc.tuple(fc.constantFrom('drop' as const, 'duplicate' as const, 'delay' as const), side, fc.boolean()).map(([a, s, d]) => new FaultCommand(a, s, d)),
  ];
}

/**
 * Runs one command sequence against a fresh system; throws on the first call the model forbids or a broken
 * invariant. `opened`: start with listen, connect and accept done (random sequences rarely find that order).
 */
export async function runAppCommands(commands: Iterable<fc.AsyncCommand<AppModel, AppSystem>>, options: { seed: number; profile: ProfileName; link: Partial<LinkConfig>; opened?: boolean }): Promise<AppSystem> {
  const real = new AppSystem(options);
  const opening = options.opened ? [new ListenCommand(), new ConnectCommand(), new AcceptCommand()] : [];
  await fc.asyncModelRun(() => ({ model: initialModel(), real }), [...opening, ...commands]);
  if (real.last) {
    const broken = checkTrace(real.last.trace);
    if (broken.length > 0) throw new Error(`invariant ${broken[0]!.invariant} (${broken[0]!.rfc}): ${broken[0]!.message}`);
  }
  return real;
}
