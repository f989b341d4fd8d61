// WorldOptions.maxEvents: a run that keeps the event queue busy is stopped with a RunBudgetError after that
// many dispatched events instead of going on; without it the run goes to its end.
import { describe, expect, it } from 'vitest';
import { RunBudgetError, World } from '../../src/sim/world.js';
import { LINUX } from '../../src/tcp/profile.js';

/** A world whose one wake-up reschedules itself every microsecond: `fired` counts the wake-ups. */
function ticking(options: { maxEvents?: number; until: number }): { world: World; fired: () => number } {
  const world = new World({ seed: 1, profile: LINUX, ...options });
  let n = 0;
  const tick = () => {
    n++;
    world.at(world.now + 1, tick);
  };
  world.at(0, tick);
  return { world, fired: () => n };
}

describe('the event budget', () => {
  it('stops the run after maxEvents dispatched events', async () => {
    const { world, fired } = ticking({ maxEvents: 500, until: 1_000_000 });
    await expect(world.run()).rejects.toThrow(new RunBudgetError('simulator events', 500));
    expect(fired()).toBe(500);
  });

  it('a run under the budget ends at its time limit as before', async () => {
    const { world, fired } = ticking({ maxEvents: 500, until: 499 });
    await expect(world.run()).resolves.toMatchObject({ format: 'synack-trace' });
    expect(fired()).toBe(500); // t = 0..499
  });

  it('has no limit unless given one', async () => {
    const { world, fired } = ticking({ until: 9_999 });
    await world.run();
    expect(fired()).toBe(10_000);
  });

  it('names the budget in its message', () => {
    expect(new RunBudgetError('simulator events', 500).message).toBe('the run was stopped after 500 simulator events (its budget): a scenario that never settles?');
  });
});
