// What a built-in scenario is: a named, described program for a simulated network that yields a trace.
import type { Trace } from '../sim/trace.js';
import type { BugName } from '../tcp/bugs.js';
import type { ProfileName } from '../tcp/profile.js';

export interface RunOptions {
  profile: ProfileName;
  seed: number;
  /** Test only: protocol bugs planted in every host's profile (src/tcp/bugs.ts); no file or flag sets it. */
  bugs?: ReadonlySet<BugName>;
}

export interface Scenario {
  /** Name used on the command line, e.g. "three-way-handshake". */
  name: string;
  /** One line saying what it shows. */
  summary: string;
  /** The two hosts drawn as the ladder's lifelines, left then right (host names). */
  lifelines: readonly [string, string];
  run(options: RunOptions): Promise<Trace>;
  /** Runs and checks the scenario's own expectations (file scenarios). */
  execute?(options: RunOptions): Promise<ScenarioResult>;
}

/** A run and the results of the scenario's expectations. */
export interface ScenarioResult {
  trace: Trace;
  checks: Array<{ what: string; ok: boolean; actual?: string }>;
  /** What the run did not do as written but is no failure, e.g. a scripted fault that never fired. */
  warnings?: string[];
}
