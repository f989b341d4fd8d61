// Shared pieces for the engine's property tests: arbitraries for link faults and profiles, a
// two-host world, a deterministic byte pattern, and small queries over a trace.
import fc from 'fast-check';
import { World } from '../../src/sim/world.js';
import type { LinkConfig } from '../../src/sim/link.js';
import type { SegmentEvent, StateEvent, Trace } from '../../src/sim/trace.js';
import type { TcpSocketHandle } from '../../src/socket/index.js';
import { LINUX, RFC9293, type Profile } from '../../src/tcp/profile.js';

/**
 * fast-check settings for the engine properties. The seed is pinned so that a run of the suite is
 * reproducible (the engine is deterministic, so a pinned property always explores the same
 * cases); set SYNACK_FC_SEED to explore other cases and SYNACK_FC_RUNS to scale the run counts,
 * e.g. `SYNACK_FC_SEED=$RANDOM SYNACK_FC_RUNS=10 npx vitest run test/properties`.
 */
export function fcOptions(numRuns: number, seed = 20_251_123): { numRuns: number; seed: number } {
  const envSeed = process.env.SYNACK_FC_SEED;
  const scale = Number(process.env.SYNACK_FC_RUNS ?? '1');
  return {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    seed: envSeed !== undefined && envSeed !== '' ? Number(envSeed) : seed,
  };
}

export const CLIENT_IP = '10.0.0.1';
export const SERVER_IP = '10.0.0.2';

/** Upper bounds for the random link knobs. */
export interface LinkBounds {
  loss: number;
  duplicate: number;
  reorder: number;
  /** Largest one-way latency, microseconds. */
  latency?: number;
  /** Largest jitter, microseconds. */
  jitter?: number;
}

/**
 * A probability in [0, max], zero a quarter of the time, otherwise spread over the range in steps of
 * max/1000 (fc.double would mostly give vanishingly small values, i.e. no faults at all).
 */
export function probabilityArb(max: number): fc.Arbitrary<number> {
  if (max <= 0) return fc.constant(0);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 1000 }).map((k) => (k / 1000) * max) },
  );
}

/** A link with random latency, jitter, loss, duplication and reordering within `b`. */
export function linkArb(b: LinkBounds): fc.Arbitrary<LinkConfig> {
  const prob = probabilityArb;
  return fc.record({
    latency: fc.integer({ min: 50, max: b.latency ?? 20_000 }),
    jitter: fc.integer({ min: 0, max: b.jitter ?? 5_000 }),
    loss: prob(b.loss),
    duplicate: prob(b.duplicate),
    reorder: prob(b.reorder),
    reorderDelay: fc.integer({ min: 0, max: 20_000 }),
  });
}

export const profileArb: fc.Arbitrary<Profile> = fc.constantFrom(LINUX, RFC9293);

export const seedArb = fc.integer({ min: 0, max: 0xffffffff });

/** Thrown (from inside the run) when a world records more trace events than its budget allows. */
export class RunawayRun extends Error {
  override readonly name = 'RunawayRun';
}

/**
 * Makes `world.run()` reject with RunawayRun once the trace holds more than `limit` events. A run
 * that never goes quiet (two ends ACKing each other's ACKs forever, multiplied by a duplicating
 * link) would otherwise grow until the process runs out of memory, taking the test runner down.
 */
export function limitTraceEvents(world: World, limit: number): void {
  const events = world.recorder.events;
  const push = events.push;
  events.push = function (this: typeof events, ...items: typeof events) {
    if (this.length + items.length > limit) {
      throw new RunawayRun(`more than ${limit} trace events by t=${world.now} us: the run does not go quiet`);
    }
    return push.apply(this, items);
  };
}

export interface TwoHostOptions {
  seed: number;
  profile: Profile;
  link: Partial<LinkConfig>;
  faults?: ConstructorParameters<typeof World>[0]['faults'];
  /** Virtual-time limit, microseconds; default one hour (RFC 9293 TIME_WAIT is 4 minutes). */
  until?: number;
  /** Trace-event budget (see limitTraceEvents); default 300,000, far above any healthy run here. */
  maxEvents?: number;
}

/** A world with hosts "client" (10.0.0.1) and "server" (10.0.0.2) joined by `link`. */
export function twoHostWorld(o: TwoHostOptions): World {
  const world = new World({
    seed: o.seed,
    profile: o.profile,
    link: o.link,
    faults: o.faults ?? [],
    until: o.until ?? 3_600_000_000,
  });
  world.addHost({ name: 'client', address: CLIENT_IP });
  world.addHost({ name: 'server', address: SERVER_IP });
  limitTraceEvents(world, o.maxEvents ?? 300_000);
  return world;
}

/**
 * `n` bytes that depend on their position and on `key` (an xorshift stream), so a byte delivered
 * twice, out of order or from the wrong offset does not go unnoticed.
 */
export function patternBytes(n: number, key: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (key ^ 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Reads until EOF and decodes the bytes as UTF-8. */
export async function recvAllText(sock: Pick<TcpSocketHandle, 'recv'>): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  for (let chunk = await sock.recv(65536); chunk.length > 0; chunk = await sock.recv(65536)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

export { concatBytes } from '../../src/wire/bytes.js';

/** Index of the first byte where `a` and `b` differ, or -1 if they are equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

export function segmentEvents(trace: Trace): SegmentEvent[] {
  return trace.events.filter((e): e is SegmentEvent => e.kind === 'segment');
}

export function stateEvents(trace: Trace): StateEvent[] {
  return trace.events.filter((e): e is StateEvent => e.kind === 'state');
}

export function hasFlag(seg: SegmentEvent, flag: string): boolean {
  return (seg.flags as string[]).includes(flag);
}

/** The copy reached its destination (the original or a duplicate). */
export function arrived(seg: SegmentEvent): seg is SegmentEvent & { arrival: number } {
  return seg.fate !== 'dropped' && seg.arrival !== undefined;
}

/** A short description of a run, for assertion messages and counterexample reports. */
export function describeRun(trace: Trace, limit = 60): string {
  const lines = trace.events.slice(0, limit).map((e) => {
    switch (e.kind) {
      case 'segment':
        return `${e.t} seg#${e.id} ${e.src}>${e.dst} [${e.flags.join(',')}] seq=${e.seq} ack=${e.ack} len=${e.len} win=${e.win} ${e.fate}${e.arrival !== undefined ? `@${e.arrival}` : ''}${e.note ? ` (${e.note})` : ''}`;
      case 'state':
        return `${e.t} state ${e.host} ${e.endpoint} ${e.from}->${e.to} (${e.cause})`;
      case 'call':
        return `${e.t} call ${e.host} ${e.call}(${(e.args ?? []).join(', ')}) = ${e.result}${e.value ? ` ${e.value}` : ''}`;
      case 'timer':
        return `${e.t} timer ${e.host} ${e.endpoint} ${e.timer} ${e.action}`;
      case 'datagram':
        return `${e.t} datagram ${e.src}>${e.dst} ${e.fate}`;
    }
  });
  if (trace.events.length > limit) lines.push(`... ${trace.events.length - limit} more events`);
  return lines.join('\n');
}
