// runScenario: a scenario file (as written, or already parsed) run once in the simulator, with the
// file's own expectations checked and the context the invariants need (each host's profile after knobs).
import { parseScenarioText } from '../scenarios/file/parse.js';
import { scenarioFromFile } from '../scenarios/file/build.js';
import type { ScenarioFile } from '../scenarios/file/schema.js';
import type { Trace } from '../sim/trace.js';
import { PROFILES, withKnobs, type Profile, type ProfileName } from '../tcp/profile.js';
import type { ScenarioText } from './scenario-text.js';
import type { CheckContext } from './violation.js';

export interface RunScenarioOptions {
  profile?: ProfileName;
  seed?: number;
}

export interface RunScenarioResult {
  trace: Trace;
  /** The file's own expectations (`expect:` and steps' `expect`), each held or not. */
  checks: Array<{ what: string; ok: boolean; actual?: string }>;
  /** Each host's profile, for checkTrace(trace, context) when the file changes knobs or host profiles. */
  context: CheckContext;
}

/** Parses a written file (a clear Error naming the problem when it is not a valid scenario). */
export function parseScenario(file: ScenarioText, source = 'scenario'): ScenarioFile {
  return parseScenarioText(JSON.stringify(file), source);
}

export async function runScenario(file: ScenarioText, options: RunScenarioOptions = {}): Promise<RunScenarioResult> {
  const parsed = parseScenario(file);
  const profile = options.profile ?? 'linux';
  const scenario = scenarioFromFile(parsed, parsed.name ?? 'property', 'synack/check');
  const { trace, checks } = await scenario.execute!({ profile, seed: options.seed ?? 1 });
  return { trace, checks, context: contextOf(parsed, profile) };
}

/** Each host's profile as the file sets it: the host's own profile or the run's, then the file's knobs, then the host's. */
export function contextOf(file: ScenarioFile, profile: ProfileName): CheckContext {
  const knobs = (file.knobs ?? {}) as Partial<Profile>;
  const hostProfiles: Record<string, Profile> = Object.create(null) as Record<string, Profile>;
  for (const [name, h] of Object.entries(file.hosts)) {
    hostProfiles[name] = withKnobs(withKnobs(PROFILES[h.profile ?? profile], knobs), (h.knobs ?? {}) as Partial<Profile>);
  }
  return { profile: withKnobs(PROFILES[profile], knobs), hostProfiles };
}
