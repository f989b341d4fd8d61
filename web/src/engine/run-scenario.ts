// Running a scenario file's text in the page: parse, apply the settings the UI offers (profile, seed,
// the default link's latency and loss, the file's knobs), build and execute with the real engine.
import { scenarioFromFile } from '../../../src/scenarios/file/build.js';
import { ScenarioFileError } from '../../../src/scenarios/file/errors.js';
import { knobInfo, knobValue, type KnobKind } from '../../../src/scenarios/file/knobs.js';
import { scenarioNameOf } from '../../../src/scenarios/file/name.js';
import { parseScenarioText } from '../../../src/scenarios/file/parse.js';
import type { ScenarioFile } from '../../../src/scenarios/file/schema.js';
import type { ScenarioResult } from '../../../src/scenarios/types.js';
import type { BugName } from '../../../src/tcp/bugs.js';
import type { ProfileName } from '../../../src/tcp/profile.js';

export { ScenarioFileError };

export interface RunSettings {
  profile: ProfileName;
  seed: number;
  /** One-way latency of the file's default link, integer microseconds (links a file sets per pair keep theirs). */
  latency?: number;
  /** Loss probability of the file's default link, 0..1. */
  loss?: number;
  /** Knobs in the file's own names and units (seconds for times), merged over the file's top-level knobs. */
  knobs?: Record<string, unknown>;
  /** Test only: protocol bugs planted in the engine (src/tcp/bugs.ts), from a `synack check` counterexample's link. */
  bugs?: readonly BugName[];
}

/** A run, with the file as it ran (the settings applied), which the invariants' context is made from. */
export interface ScenarioTextResult extends ScenarioResult {
  file: ScenarioFile;
}

/** Parses and runs; a bad file or setting throws ScenarioFileError (its message: one line per problem). */
export async function runScenarioText(text: string, source: string, settings: RunSettings): Promise<ScenarioTextResult> {
  const file = withSettings(parseScenarioText(text, source), source, settings);
  const scenario = scenarioFromFile(file, scenarioNameOf(source), source);
  const bugs = settings.bugs && settings.bugs.length > 0 ? { bugs: new Set(settings.bugs) } : {};
  const result = await scenario.execute!({ profile: settings.profile, seed: settings.seed, ...bugs });
  return { ...result, file };
}

function withSettings(file: ScenarioFile, source: string, settings: RunSettings): ScenarioFile {
  const bad = (message: string): never => {
    throw new ScenarioFileError(source, [{ line: 0, col: 0, message }]);
  };
  const link = { ...file.link };
  if (settings.latency !== undefined) {
    if (!Number.isSafeInteger(settings.latency) || settings.latency < 0) bad(`latency must be a whole number of microseconds >= 0, got ${settings.latency}`);
    link.latency = settings.latency;
  }
  if (settings.loss !== undefined) {
    if (!(settings.loss >= 0 && settings.loss <= 1)) bad(`loss must be a probability in 0..1, got ${settings.loss}`);
    link.loss = settings.loss;
  }
  const knobs: Record<string, unknown> = { ...file.knobs };
  for (const [name, value] of Object.entries(settings.knobs ?? {})) {
    const info = knobInfo(name);
    if (!info) return bad(`unknown knob "${name}"`);
    const v = knobValue(info, value);
    if ('error' in v) bad(`knob ${name}: ${v.error}`);
    else knobs[info.field] = v.value;
  }
  return { ...file, link, knobs };
}

export interface ScenarioKnob {
  /** The profile field, e.g. "finTimeout" (also accepted back by runScenarioText's knobs). */
  name: string;
  /** In the file's units: seconds for times, true/false, numbers, "gt"/"ge", [low, high] ports. */
  value: unknown;
  kind: KnobKind;
}

/** The knobs a scenario file sets at its top level, for the UI to offer. */
export function scenarioKnobs(file: ScenarioFile): ScenarioKnob[] {
  return Object.entries(file.knobs ?? {}).map(([name, value]) => {
    const kind = knobInfo(name)!.kind;
    return { name, kind, value: kind === 'seconds' ? (value as number) / 1e6 : Array.isArray(value) ? [...(value as number[])] : value };
  });
}
