// The run settings the page offers, as the user typed them, checked into what the engine takes
// (web/src/engine/run-scenario.ts). A bad value is a one-line message, never an exception.
import type { RunSettings } from '../engine/run-scenario.js';

export type Profile = 'linux' | 'rfc9293';

/** What the settings form holds (and what a shared link carries). */
export interface Settings {
  profile: Profile;
  seed: number;
  /** One-way latency of the default link in milliseconds; undefined: the file's own. */
  latencyMs?: number;
  /** Loss of the default link in percent; undefined: the file's own. */
  lossPercent?: number;
  /** Knob values in the file's units (scenarioKnobs' names). */
  knobs: Record<string, unknown>;
}

export const DEFAULT_SETTINGS: Settings = { profile: 'linux', seed: 1, knobs: {} };

const MAX_SEED = 2 ** 32 - 1;
/** A minute of one-way latency is already absurd; more only makes runs huge. */
const MAX_LATENCY_MS = 60_000;

export interface RawSettings {
  profile: string;
  seed: string;
  latency: string;
  loss: string;
}

/** The form's strings -> settings, or a message naming the bad field. */
export function parseSettings(raw: RawSettings, knobs: Record<string, unknown>): { settings: Settings } | { error: string } {
  if (raw.profile !== 'linux' && raw.profile !== 'rfc9293') return { error: `profile must be linux or rfc9293, got "${raw.profile}"` };
  const seed = Number(raw.seed.trim());
  if (raw.seed.trim() === '' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    return { error: `seed must be a whole number from 0 to ${MAX_SEED}, got "${raw.seed}"` };
  }
  const settings: Settings = { profile: raw.profile, seed, knobs };
  if (raw.latency.trim() !== '') {
    const ms = Number(raw.latency.trim());
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_LATENCY_MS) return { error: `latency must be a number of milliseconds from 0 to ${MAX_LATENCY_MS}, got "${raw.latency}"` };
    settings.latencyMs = ms;
  }
  if (raw.loss.trim() !== '') {
    const pct = Number(raw.loss.trim());
    if (!Number.isFinite(pct) || pct < 0 || pct > 100) return { error: `loss must be a percentage from 0 to 100, got "${raw.loss}"` };
    settings.lossPercent = pct;
  }
  return { settings };
}

/** Settings -> the engine's units (microseconds, probability). */
export function runSettings(s: Settings): RunSettings {
  const out: RunSettings = { profile: s.profile, seed: s.seed, knobs: s.knobs };
  if (s.latencyMs !== undefined) out.latency = Math.round(s.latencyMs * 1000);
  if (s.lossPercent !== undefined) out.loss = s.lossPercent / 100;
  return out;
}
