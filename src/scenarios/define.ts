// A small helper for writing built-in scenarios: two (or more) hosts on a default link, a program
// per host, and the profile/seed chosen on the command line.
import { World, type HostOptions, type WorldOptions } from '../sim/world.js';
import { PROFILES, withKnobs, type Profile } from '../tcp/profile.js';
import { program, type Net } from '../socket/index.js';
import type { RunOptions, Scenario } from './types.js';

export const CLIENT = { name: 'client', address: '10.0.0.1' } as const;
export const SERVER = { name: 'server', address: '10.0.0.2' } as const;

export interface ScenarioSetup {
  world: World;
  profile: Profile;
  /** Starts a program on a host at `start` seconds. */
  program(host: string, name: string, body: (net: Net) => Promise<void>, start?: number): void;
}

export interface ScenarioDefinition {
  name: string;
  summary: string;
  lifelines?: readonly [string, string];
  hosts?: HostOptions[];
  /** Knobs changed from the chosen profile for every host (e.g. syncookies off). */
  knobs?: Partial<Omit<Profile, 'name'>>;
  world?: Omit<WorldOptions, 'seed' | 'profile' | 'scenario'>;
  setup(s: ScenarioSetup): void;
}

export function defineScenario(def: ScenarioDefinition): Scenario {
  return {
    name: def.name,
    summary: def.summary,
    lifelines: def.lifelines ?? [CLIENT.name, SERVER.name],
    async run(options: RunOptions) {
      const { world } = buildScenarioWorld(def, options);
      return world.run();
    },
  };
}

/** Builds the world without running it (tests use this to inspect hosts and outcomes). */
export function buildScenarioWorld(def: ScenarioDefinition, options: RunOptions): { world: World; profile: Profile } {
  const profile = def.knobs ? withKnobs(PROFILES[options.profile], def.knobs) : PROFILES[options.profile];
  const world = new World({ ...(def.world ?? {}), seed: options.seed, profile, scenario: def.name });
  const hosts: HostOptions[] = def.hosts ?? [CLIENT, SERVER];
  for (const h of hosts) world.addHost({ ...h, profile: h.profile ?? profile });
  def.setup({
    world,
    profile,
    program: (host, name, body, start = 0) => program(world, host, name, body, start),
  });
  return { world, profile };
}

/** Reads everything until EOF. */
export async function recvAll(sock: { recv(max?: number): Promise<Uint8Array> }): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const chunk = await sock.recv(65536);
    if (chunk.length === 0) break;
    parts.push(chunk);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Swallows a socket error (the trace records it); for programs that expect one. */
export async function expectError(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch {
    // recorded in the trace as the call's errno
  }
}
