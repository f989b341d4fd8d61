// What an invariant reports: one broken rule, where in the trace it broke, and why.
import type { Trace, TraceEvent } from '../sim/trace.js';
import { PROFILES, type Profile, type ProfileName } from '../tcp/profile.js';

export interface Violation {
  /** The invariant's name, as in INVARIANTS. */
  invariant: string;
  /** Where the rule comes from, e.g. "RFC 9293 3.4". */
  rfc: string;
  /** One readable line naming the events (by index in trace.events and virtual time). */
  message: string;
  /** Indexes into trace.events of the events that break the rule. */
  events: number[];
}

/** What a check may need beyond the trace: each host's profile (a scenario file's knobs change them). */
export interface CheckContext {
  /** Profile of each host by name; a host not listed uses `profile`. */
  hostProfiles?: Record<string, Profile>;
  /** Default: the profile the trace names (trace.profile), else Linux. */
  profile?: Profile;
}

export interface Invariant {
  name: string;
  rfc: string;
  description: string;
  check: (trace: Trace, context?: CheckContext) => Violation[];
}

/** The profile a host ran with. */
export function profileOf(trace: Trace, host: string, context: CheckContext | undefined): Profile {
  const own = context?.hostProfiles?.[host];
  if (own) return own;
  if (context?.profile) return context.profile;
  return Object.hasOwn(PROFILES, trace.profile) ? PROFILES[trace.profile as ProfileName] : PROFILES.linux;
}

/** "event #12 (segment at 3.000 ms)". */
export function at(trace: Trace, index: number): string {
  const ev: TraceEvent | undefined = trace.events[index];
  return ev ? `event #${index} (${ev.kind} at ${(ev.t / 1000).toFixed(3)} ms)` : `event #${index}`;
}
