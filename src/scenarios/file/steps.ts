// The steps of a host's program: socket calls in the order the program makes them. Each step is a map
// with one call key (`bind: {socket: s, port: 80}`) plus optional `at` (wait until this virtual time
// first) and `expect` (the result the call must have). docs/scenario-format.md is the reference.
import * as z from 'zod';
import { ERRNO_TEXT, type Errno } from '../../tcp/errno.js';
import { MAX_BYTES, MAX_INT, MAX_ROUNDS, MAX_SECONDS } from './limits.js';
import { duration } from './units.js';

/** The errnos the socket API reports (src/tcp/errno.ts). */
export const ERRNOS = Object.keys(ERRNO_TEXT) as Errno[];

/** What a call must return: "ok", an errno, or "any" (either; the program goes on). */
const outcome = z.enum(['ok', 'any', ...ERRNOS] as ['ok', 'any', ...Errno[]]);
export type Outcome = z.infer<typeof outcome>;
/** One outcome, or one per profile. */
const expectSpec = z.union([outcome, z.strictObject({ linux: outcome.optional(), rfc9293: outcome.optional() })]);
export type ExpectSpec = z.infer<typeof expectSpec>;

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a name: letters, digits and _, not starting with a digit');
const port = z.number().int().min(0).max(65535);
/** "host:port", "10.0.0.2:80" or "[::1]:80". */
const endpoint = z.string().regex(/^(\[[^\]]+\]|[^\s:]+):\d+$/, 'an endpoint "host:port"');

/** What send/sendall/sendto send: text, N filler bytes, or what an earlier recv stored. */
const payloadFields = {
  data: z.string().optional(),
  bytes: z.number().int().min(0).max(MAX_BYTES).optional(),
  from: name.optional(),
};
export type Payload = { data: string } | { bytes: number } | { from: string };

function payloadOf(v: { data?: string | undefined; bytes?: number | undefined; from?: string | undefined }, ctx: z.RefinementCtx): Payload {
  const given = (['data', 'bytes', 'from'] as const).filter((k) => v[k] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `expected exactly one of data, bytes or from, found ${given.length === 0 ? 'none' : given.join(' and ')}` });
    return z.NEVER;
  }
  return v.data !== undefined ? { data: v.data } : v.bytes !== undefined ? { bytes: v.bytes } : { from: v.from! };
}

const sock = { socket: name };
const socketOnly = z.union([name.transform((socket) => ({ socket })), z.strictObject(sock)]);

/** The argument schema of each call, by call name. */
export const CALLS = {
  socket: z.union([
    name.transform((n) => ({ name: n, type: 'tcp' as const })),
    z.strictObject({ name, type: z.enum(['tcp', 'udp']).default('tcp') }),
  ]),
  setsockopt: z.strictObject({
    ...sock,
    option: z.enum(['SO_REUSEADDR', 'TCP_NODELAY', 'SO_LINGER', 'SO_SNDBUF']),
    // Socket options are C ints; SO_LINGER's time is seconds the close may block, at most 1 day here.
    value: z.union([z.number().int().min(-MAX_INT - 1).max(MAX_INT), z.boolean(), z.strictObject({ onoff: z.union([z.number().int().min(0).max(MAX_INT), z.boolean()]), linger: z.number().int().min(0).max(MAX_SECONDS) })]),
  }),
  bind: z.strictObject({ ...sock, address: z.string().default(''), port }),
  listen: z.strictObject({ ...sock, backlog: z.number().int().min(0).max(MAX_INT).default(128) }),
  accept: z.strictObject({ ...sock, as: name }),
  connect: z.strictObject({ ...sock, to: endpoint }),
  connect_ex: z.strictObject({ ...sock, to: endpoint }),
  send: z.strictObject({ ...sock, ...payloadFields, framing: z.literal('length-prefix').optional() }).transform((v, ctx) => ({ socket: v.socket, payload: payloadOf(v, ctx), framed: v.framing !== undefined })),
  sendall: z.strictObject({ ...sock, ...payloadFields, framing: z.literal('length-prefix').optional() }).transform((v, ctx) => ({ socket: v.socket, payload: payloadOf(v, ctx), framed: v.framing !== undefined })),
  recv: z.strictObject({ ...sock, max: z.number().int().min(1).max(MAX_BYTES).default(65536), as: name.optional() }),
  recvall: z.union([name.transform((socket) => ({ socket, as: undefined })), z.strictObject({ ...sock, as: name.optional() })]),
  recv_message: z.union([name.transform((socket) => ({ socket, as: undefined })), z.strictObject({ ...sock, as: name.optional() })]),
  shutdown: z.strictObject({ ...sock, how: z.enum(['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR']) }),
  close: socketOnly,
  settimeout: z.strictObject({ ...sock, seconds: z.number().min(0).max(MAX_SECONDS).nullable() }),
  sendto: z.strictObject({ ...sock, to: endpoint, ...payloadFields }).transform((v, ctx) => ({ socket: v.socket, to: v.to, payload: payloadOf(v, ctx) })),
  recvfrom: z.strictObject({ ...sock, max: z.number().int().min(1).max(MAX_BYTES).default(65536), as: name.optional() }),
  sleep: duration,
  wait_until: duration,
} as const;

export type CallName = keyof typeof CALLS | 'repeat';
export const CALL_NAMES: readonly CallName[] = [...(Object.keys(CALLS) as Array<keyof typeof CALLS>), 'repeat'];

type Args<K extends keyof typeof CALLS> = z.output<(typeof CALLS)[K]>;
export type CallStep = { [K in keyof typeof CALLS]: { call: K; args: Args<K>; at?: number; expect?: ExpectSpec } }[keyof typeof CALLS];
export interface RepeatStep {
  call: 'repeat';
  /** Run the body this many times, */
  times?: number;
  /** or until a receive in it returns end-of-file ("eof") or a call in it fails ("error"). */
  until?: 'eof' | 'error';
  steps: Step[];
  at?: number;
}
export type Step = CallStep | RepeatStep;

/** Keys a step may have beside its call (exported for the JSON Schema, json-schema.ts). */
export const STEP_MODIFIERS = { at: duration.optional(), expect: expectSpec.optional() };
const modifiers = STEP_MODIFIERS;
/** Made once: zod compiles a schema on its first use, so one made per step was compiled again for every step. */
const modifiersSchema = z.strictObject(modifiers);
/** Own keys only: a step key named `constructor` or `toString` is not a modifier. */
const isModifier = (k: string): boolean => Object.hasOwn(modifiers, k);

export const repeatArgs: z.ZodType<{ times?: number | undefined; until?: 'eof' | 'error' | undefined; steps: Step[] }> = z.lazy(() =>
  z.strictObject({
    times: z.number().int().min(1).max(MAX_ROUNDS).optional(),
    until: z.enum(['eof', 'error']).optional(),
    steps: z.array(stepSchema).min(1),
  }).refine((r) => (r.times === undefined) !== (r.until === undefined), { message: 'expected exactly one of times or until' }),
);

/** One step: finds the call key, then validates its arguments and the modifiers. */
export const stepSchema: z.ZodType<Step> = z.unknown().transform((raw, ctx): Step => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    ctx.addIssue({ code: 'custom', message: `expected a step such as {connect: {socket: s, to: "server:80"}}, found ${describe(raw)}` });
    return z.NEVER;
  }
  const record = raw as Record<string, unknown>;
  const keys = Object.keys(record);
  const calls = keys.filter((k) => (CALL_NAMES as readonly string[]).includes(k));
  if (calls.length !== 1) {
    const unknown = keys.filter((k) => !calls.includes(k) && !isModifier(k));
    const found = calls.length > 1 ? `${calls.join(' and ')} in one step` : unknown.length ? `"${unknown[0]}"` : 'no call';
    ctx.addIssue({ code: 'custom', message: `expected one call (${CALL_NAMES.join(', ')}), found ${found}` });
    return z.NEVER;
  }
  const call = calls[0] as CallName;
  const extra = keys.filter((k) => k !== call && !isModifier(k));
  if (extra.length) ctx.addIssue({ code: 'unrecognized_keys', keys: extra, input: record, message: `unknown key "${extra[0]}"` });
  const mods = modifiersSchema.safeParse(Object.fromEntries(keys.filter(isModifier).map((k) => [k, record[k]])));
  if (!mods.success) for (const issue of mods.error.issues) ctx.addIssue({ ...issue, path: issue.path as PropertyKey[] } as never);
  const argSchema = call === 'repeat' ? repeatArgs : CALLS[call];
  const args = (argSchema as z.ZodType).safeParse(record[call]);
  if (!args.success) for (const issue of args.error.issues) ctx.addIssue({ ...issue, path: [call, ...issue.path] } as never);
  if (!args.success || !mods.success || extra.length) return z.NEVER;
  if (call === 'repeat') {
    if (mods.data.expect !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'expect belongs on the calls inside a repeat, not on the repeat', path: ['expect'] });
      return z.NEVER;
    }
    const r = args.data as { times?: number; until?: 'eof' | 'error'; steps: Step[] };
    return { call, steps: r.steps, ...(r.times !== undefined ? { times: r.times } : {}), ...(r.until ? { until: r.until } : {}), ...(mods.data.at !== undefined ? { at: mods.data.at } : {}) };
  }
  return {
    call,
    args: args.data,
    ...(mods.data.at !== undefined ? { at: mods.data.at } : {}),
    ...(mods.data.expect !== undefined ? { expect: mods.data.expect } : {}),
  } as CallStep;
});

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'number') return `number ${String(v)}`; // Infinity and NaN too (YAML .inf, .nan)
  return `${typeof v} ${JSON.stringify(v)}`;
}
