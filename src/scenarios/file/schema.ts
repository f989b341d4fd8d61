// The schema of a scenario file (YAML or JSON). Every map is strict: an unknown key is an error.
// docs/scenario-format.md is the reference; a test keeps the two in step.
import * as z from 'zod';
import { FLAG_NAMES } from '../../wire/segment.js';
import { parseFault } from '../../sim/fault-parse.js';
import type { Fault } from '../../sim/faults.js';
import { KNOB_NAMES, knobInfo, knobValue } from './knobs.js';
import { stepSchema, type Step } from './steps.js';
import { MAX_BANDWIDTH, MAX_DURATION_US, MAX_INT, MIN_BANDWIDTH } from './limits.js';
import { describe } from './steps.js';
import { duration, probability, tooLong } from './units.js';

const hostName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a host name: a letter, then letters, digits, - or _');
const profileName = z.enum(['linux', 'rfc9293']);
const FLAG_SET = new Set(FLAG_NAMES.map(([, n]) => n as string));

/**
 * Knobs by sysctl or profile-field name (knobs.ts), converted to profile units. Read from the map as the
 * YAML parser made it (z.record would silently drop a `__proto__` key), into a map with no prototype.
 */
export const knobs = z.unknown().transform((raw, ctx) => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: `expected a map of knobs such as { tcp_syncookies: 0 }, found ${describe(raw)}` });
    return z.NEVER;
  }
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    const info = knobInfo(key);
    if (!info) {
      ctx.addIssue({ code: 'custom', message: `unknown knob "${key}" (expected one of: ${KNOB_NAMES.join(', ')})`, path: [key] });
      continue;
    }
    const v = knobValue(info, value);
    if ('error' in v) ctx.addIssue({ code: 'custom', message: `${key}: ${v.error}`, path: [key] });
    else out[info.field] = v.value;
  }
  return out;
});

const linkFields = {
  latency: duration.optional(),
  jitter: duration.optional(),
  loss: probability.optional(),
  duplicate: probability.optional(),
  reorder: probability.optional(),
  reorder_delay: duration.optional(),
  /** Bits per second: from 1 kbit/s (a full-size packet then takes under 9 minutes to send) to 1 Tbit/s. */
  bandwidth: z.number().min(MIN_BANDWIDTH).max(MAX_BANDWIDTH).optional(),
};
function linkConfig(v: { [K in keyof typeof linkFields]?: number | undefined }) {
  const { reorder_delay, ...rest } = v;
  const config = Object.fromEntries(Object.entries(rest).filter(([, x]) => x !== undefined)) as Record<string, number>;
  if (reorder_delay !== undefined) config.reorderDelay = reorder_delay;
  return config;
}

/** "SYN-ACK", "RST", ["SYN", "ACK"]. */
const flagList = z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
  const names = (Array.isArray(v) ? v : v.split('-')).map((f) => f.trim().toUpperCase()).filter((f) => f !== '');
  const bad = names.find((f) => !FLAG_SET.has(f));
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `expected TCP flags (${[...FLAG_SET].join(', ')}), found "${bad}"` });
    return z.NEVER;
  }
  return names;
});

const faultObject = z.strictObject({
  action: z.enum(['drop', 'delay', 'duplicate']),
  nth: z.number().int().min(1).max(MAX_INT).default(1),
  count: z.union([z.number().int().min(1).max(MAX_INT), z.literal('all')]).default(1),
  flags: flagList.optional(),
  has_flags: flagList.optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  seq: z.number().int().min(0).max(0xffffffff).optional(),
  data: z.boolean().optional(),
  proto: z.enum(['tcp', 'udp']).optional(),
  delay: duration.optional(),
}).transform((f, ctx): Fault => {
  if ((f.action === 'delay') !== (f.delay !== undefined)) {
    ctx.addIssue({ code: 'custom', message: f.action === 'delay' ? 'a delay fault needs "delay"' : `"delay" only goes with action delay, not ${f.action}` });
    return z.NEVER;
  }
  const match = {
    ...(f.flags ? { flags: f.flags } : {}),
    ...(f.has_flags ? { hasFlags: f.has_flags } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.seq !== undefined ? { seq: f.seq } : {}),
    ...(f.data !== undefined ? { payload: f.data } : {}),
    ...(f.proto ? { proto: f.proto } : {}),
  };
  return { action: f.action, match, nth: f.nth, count: f.count === 'all' ? Infinity : f.count, ...(f.delay !== undefined ? { delay: f.delay } : {}) };
});
/** A fault in words ("drop 1st SYN-ACK from server", src/sim/fault-parse.ts) or as a map. */
const fault = z.union([
  z.string().transform((text, ctx): Fault => {
    try {
      const f = parseFault(text);
      // "by D" is read by the fault parser (src/sim), which does not know the file's limit.
      if (f.delay !== undefined && f.delay > MAX_DURATION_US) {
        ctx.addIssue({ code: 'custom', message: `${tooLong(/\bby\s+(\S+)/i.exec(text)?.[1] ?? f.delay)} in fault "${text}"` });
        return z.NEVER;
      }
      return f;
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  }),
  faultObject,
]);

/** A sequence or acknowledgment number: absolute, or relative to the receiving connection ("rcv.nxt+100"). */
const seqSpec = z.union([
  z.number().int().min(0).max(0xffffffff),
  // N below 2^32: sequence space is modulo 2^32 (RFC 9293 3.4).
  z.string().regex(/^(rcv|snd)\.(nxt|una)([+-]\d{1,10})?$/, 'a number or "rcv.nxt", "rcv.nxt+N", "snd.nxt-N" (relative to the receiving connection)')
    .refine((v) => Number(/\d+$/.exec(v)?.[0] ?? 0) <= 0xffffffff, 'expected an offset N of at most 4294967295 (sequence numbers wrap at 2^32)'),
]);
export type SeqSpec = z.infer<typeof seqSpec>;

const tcpOption = z.union([
  z.strictObject({ mss: z.number().int().min(0).max(65535) }),
  z.strictObject({ wscale: z.number().int().min(0).max(14) }),
  z.strictObject({ sack_permitted: z.literal(true) }),
  z.strictObject({ timestamps: z.tuple([z.number().int().min(0).max(0xffffffff), z.number().int().min(0).max(0xffffffff)]) }),
]);

/** Segments put on the wire by no socket: spoofed SYNs, a forged RST. */
const injection = z.strictObject({
  // The list first: a bad time inside a list is then reported at that time, not as "not a duration".
  at: z.union([z.array(duration).min(1), duration]).transform((v) => (Array.isArray(v) ? v : [v])),
  from: z.string(),
  to: z.string(),
  flags: flagList,
  seq: seqSpec.default(0),
  ack: seqSpec.default(0),
  window: z.number().int().min(0).max(65535).default(64240),
  options: z.array(tcpOption).default([]),
  data: z.string().optional(),
  /** Copies per time in `at`; copy k comes from the k-th next address and port. */
  count: z.number().int().min(1).max(10000).default(1),
  note: z.string().optional(),
});
export type Injection = z.output<typeof injection>;

const program = z.strictObject({
  host: hostName,
  name: z.string().optional(),
  start: duration.default(0),
  steps: z.array(stepSchema),
});
export interface ProgramSpec {
  host: string;
  name?: string | undefined;
  start: number;
  steps: Step[];
}

const tcpState = z.enum(['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT']);
const expectation = z.strictObject({
  host: hostName,
  /** Which of the host's programs (by name) when several use the socket name; default: all of them, the last for states. */
  program: z.string().optional(),
  socket: z.string(),
  /** The socket's state at `at` (default: when the run ends). */
  state: tcpState.optional(),
  at: duration.optional(),
  /** Every state the socket passed through, in order. */
  states: z.array(tcpState).min(1).optional(),
  /** All bytes received on the socket: the text, or a count. */
  received: z.union([z.string(), z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)]).optional(),
  profile: profileName.optional(),
})
  .refine((e) => [e.state, e.states, e.received].filter((x) => x !== undefined).length === 1, { message: 'expected exactly one of state, states or received' })
  .refine((e) => e.at === undefined || e.state !== undefined, { message: '"at" goes with "state" only' });
export type Expectation = z.output<typeof expectation>;

const hostSpec = z.strictObject({
  address: z.string(),
  profile: profileName.optional(),
  knobs: knobs.optional(),
  mtu: z.number().int().min(68).max(65535).optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a name in lower-case words joined by -').optional(),
  summary: z.string().min(1),
  until: duration.optional(),
  lifelines: z.tuple([hostName, hostName]).optional(),
  knobs: knobs.optional(),
  hosts: z.record(hostName, hostSpec),
  link: z.strictObject(linkFields).transform(linkConfig).optional(),
  links: z.array(z.strictObject({ between: z.tuple([hostName, hostName]), seed: z.number().int().min(0).max(0xffffffff).optional(), ...linkFields })
    .transform(({ between, seed, ...rest }) => ({ between, ...(seed !== undefined ? { seed } : {}), config: linkConfig(rest) }))).default([]),
  faults: z.array(fault).default([]),
  inject: z.array(injection).default([]),
  programs: z.array(program).default([]),
  expect: z.array(expectation).default([]),
});
export type ScenarioFile = z.output<typeof scenarioSchema>;
