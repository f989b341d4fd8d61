// Sysctl-style knobs in a scenario file, mapped onto profile fields (docs/profiles.md has the table).
// A file may name a knob by its Linux name (`tcp_fin_timeout`, `net.ipv4.tcp_fin_timeout`) or by the
// profile field (`finTimeout`). Times are seconds in the file and microseconds in the profile.
import type { Profile } from '../../tcp/profile.js';
import { MAX_INT, MAX_RETRIES, MAX_SECONDS } from './limits.js';

type Field = Exclude<keyof Profile, 'name' | 'bugs'>; // planted bugs (src/tcp/bugs.ts) are no knob
export type KnobKind = 'seconds' | 'count' | 'retries' | 'bool' | 'enum012' | 'rule' | 'portRange';

interface KnobInfo {
  field: Field;
  kind: KnobKind;
}

const FIELDS: Record<Field, KnobKind> = {
  initialRto: 'seconds',
  minRto: 'seconds',
  maxRto: 'seconds',
  synRetries: 'retries',
  synLinearTimeouts: 'retries',
  synAckRetries: 'retries',
  retries2: 'retries',
  somaxconn: 'count',
  maxSynBacklog: 'count',
  syncookies: 'enum012',
  abortOnOverflow: 'bool',
  acceptQueueRule: 'rule',
  timeWaitLength: 'seconds',
  finTimeout: 'seconds',
  twReuse: 'enum012',
  rstOnCloseWithUnreadData: 'bool',
  challengeAcks: 'bool',
  sack: 'bool',
  timestamps: 'bool',
  windowScaling: 'bool',
  delayedAck: 'bool',
  delayedAckTimeout: 'seconds',
  receiveBuffer: 'count',
  sendBuffer: 'count',
  rmemMax: 'count',
  initialCwnd: 'count',
  ephemeralPortRange: 'portRange',
};

/** Linux sysctl names (net.ipv4. / net.core. prefixes optional) for the knobs that have one. */
const SYSCTLS: Record<string, Field> = {
  tcp_syn_retries: 'synRetries',
  tcp_syn_linear_timeouts: 'synLinearTimeouts',
  tcp_synack_retries: 'synAckRetries',
  tcp_retries2: 'retries2',
  somaxconn: 'somaxconn',
  tcp_max_syn_backlog: 'maxSynBacklog',
  tcp_syncookies: 'syncookies',
  tcp_abort_on_overflow: 'abortOnOverflow',
  tcp_fin_timeout: 'finTimeout',
  tcp_tw_reuse: 'twReuse',
  tcp_sack: 'sack',
  tcp_timestamps: 'timestamps',
  tcp_window_scaling: 'windowScaling',
  ip_local_port_range: 'ephemeralPortRange',
};

/** The Linux sysctl (full name) behind each profile field that has one, for running a scenario on a real kernel. */
export const SYSCTL_OF: Readonly<Partial<Record<Field, string>>> = Object.fromEntries(
  Object.entries(SYSCTLS).map(([name, field]) => [field, `net.${name === 'somaxconn' ? 'core' : 'ipv4'}.${name}`]),
);

/** Every name a file may use, for error messages. */
export const KNOB_NAMES: readonly string[] = [...new Set([...Object.keys(SYSCTLS), ...Object.keys(FIELDS)])];

/** Own keys only: a knob named `constructor` or `toString` is unknown, not Object.prototype's. */
export function knobInfo(name: string): KnobInfo | undefined {
  const bare = name.replace(/^net\.(ipv4|core)\./, '');
  const field = Object.hasOwn(SYSCTLS, bare) ? SYSCTLS[bare] : Object.hasOwn(FIELDS, bare) ? (bare as Field) : undefined;
  return field ? { field, kind: FIELDS[field] } : undefined;
}

/** Converts one knob value from the file's units; returns an error message when it does not fit. */
export function knobValue(info: KnobInfo, value: unknown): { value: Profile[Field] } | { error: string } {
  const bad = (what: string): { error: string } => ({ error: `expected ${what}, found ${JSON.stringify(value)}` });
  switch (info.kind) {
    case 'seconds':
      return typeof value === 'number' && value >= 0 && value <= MAX_SECONDS
        ? { value: Math.round(value * 1e6) }
        : bad(`a number of seconds from 0 to ${MAX_SECONDS} (1 day)`);
    case 'count':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_INT ? { value: value as number } : bad(`an integer from 0 to ${MAX_INT}`);
    case 'retries':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_RETRIES ? { value: value as number } : bad(`an integer from 0 to ${MAX_RETRIES}`);
    case 'bool':
      if (value === 0 || value === 1) return { value: value === 1 };
      return typeof value === 'boolean' ? { value } : bad('0, 1, true or false');
    case 'enum012':
      return value === 0 || value === 1 || value === 2 ? { value } : bad('0, 1 or 2');
    case 'rule':
      return value === 'gt' || value === 'ge' ? { value } : bad('"gt" (Linux: length > backlog) or "ge"');
    case 'portRange': {
      const pair = typeof value === 'string' ? value.trim().split(/[\s-]+/).map(Number) : value;
      if (!Array.isArray(pair) || pair.length !== 2) return bad('two ports, "32768 60999" or [32768, 60999]');
      const [lo, hi] = pair as number[];
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo! < 1 || hi! > 65535 || lo! > hi!) {
        return bad('two ports 1..65535, low then high');
      }
      return { value: [lo!, hi!] as const };
    }
  }
}
