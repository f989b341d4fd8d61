// Link models: what becomes of a packet put on one direction of a link (netem-like knobs).
//
// Two layers:
// - `planCopies` is the stateless core. Each copy gets latency + jitter (+ reorderDelay when held
//   back), independently, so with jitter a packet may overtake an earlier one. It has no memory,
//   so it cannot model bandwidth and refuses a config that sets it.
// - `Link` is one direction of a link and is what the simulator should use. It keeps a FIFO
//   transmit queue: with `bandwidth` set, a packet starts serializing when the previous one has
//   left (size*8/bandwidth each), and copies that are not held back by `reorder` arrive in the order
//   they were sent (an arrival jitter would put before an earlier copy waits for it). So on a Link
//   only `reorder` lets packets pass each other; jitter just varies the delay.
//
// Randomness: every packet consumes exactly DRAWS_PER_PACKET numbers from the link's stream, in a
// fixed order, whatever the config and whether or not a duplicate is made: 1) duplicate?, then for
// the original and for the (possible) duplicate copy in turn: 2) lost?, 3) jitter, 4) held back?
// Turning one knob therefore never reshuffles the draws behind the others (e.g. raising `loss`
// leaves the jitter of the surviving packets unchanged).
import type { Prng } from './prng.js';

/** Times are integer microseconds; probabilities are in [0, 1]. */
export interface LinkConfig {
  /** One-way propagation delay. Default 1000 us (1 ms, so a 2 ms round trip). */
  latency: number;
  /** Extra delay uniform in [0, jitter], per copy. Default 0. */
  jitter: number;
  /** Probability that a copy is lost. Default 0. */
  loss: number;
  /** Probability that a packet is duplicated (a second copy, which has its own fate). Default 0. */
  duplicate: number;
  /** Probability that a copy is held back by `reorderDelay`, letting later packets pass it. Default 0. */
  reorder: number;
  /** How long a held-back copy is delayed. Default 1000 us, which only matters when reorder > 0. */
  reorderDelay: number;
  /** Bits per second; undefined (the default) means infinitely fast: no serialization delay. */
  bandwidth?: number;
}

export const DEFAULT_LINK: LinkConfig = Object.freeze({
  latency: 1000,
  jitter: 0,
  loss: 0,
  duplicate: 0,
  reorder: 0,
  reorderDelay: 1000,
});

/** The fate of one copy of a packet. */
export interface CopyPlan {
  /** When the copy reaches the far end (integer microseconds); absent when dropped. */
  arrival?: number;
  dropped: boolean;
  /** Why it was dropped: 'loss'. */
  reason?: string;
  /** This is the extra copy made by duplication. */
  duplicate: boolean;
  /** The copy was held back by `reorderDelay`. */
  reordered?: boolean;
}

/** Random numbers each packet takes from the link's stream (see the top of this file). */
export const DRAWS_PER_PACKET = 7;

const TWO_32 = 2 ** 32;
const MICROS_PER_SECOND = 1_000_000;

const TIME_KEYS = ['latency', 'jitter', 'reorderDelay'] as const;
const PROBABILITY_KEYS = ['loss', 'duplicate', 'reorder'] as const;
const KNOWN_KEYS: ReadonlySet<string> = new Set<string>([...TIME_KEYS, ...PROBABILITY_KEYS, 'bandwidth']);

/** Fills in defaults and checks every value; throws an Error naming the bad field. */
export function validateLinkConfig(c: Partial<LinkConfig>): LinkConfig {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) {
    throw new Error(`link config must be an object, got ${describeValue(c)}`);
  }
  for (const key of Object.keys(c)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new Error(
        `link config: unknown field "${key}" (known: ${[...KNOWN_KEYS].join(', ')})`,
      );
    }
  }
  const out: LinkConfig = { ...DEFAULT_LINK };
  for (const key of TIME_KEYS) {
    const v = c[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new Error(
        `link config: ${key} must be a non-negative integer number of microseconds, got ${describeValue(v)}`,
      );
    }
    out[key] = v;
  }
  for (const key of PROBABILITY_KEYS) {
    const v = c[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new Error(`link config: ${key} must be a probability between 0 and 1, got ${describeValue(v)}`);
    }
    out[key] = v;
  }
  const bw = c.bandwidth;
  if (bw !== undefined) {
    if (typeof bw !== 'number' || !Number.isFinite(bw) || bw <= 0) {
      throw new Error(
        `link config: bandwidth must be a positive number of bits per second, got ${describeValue(bw)}`,
      );
    }
    out.bandwidth = bw;
  }
  return out;
}

/** Microseconds to clock `sizeBytes` onto a link of `bandwidth` bits/s, rounded up. */
export function serializationDelay(sizeBytes: number, bandwidth: number | undefined): number {
  if (bandwidth === undefined) return 0;
  return Math.ceil((sizeBytes * 8 * MICROS_PER_SECOND) / bandwidth);
}

/**
 * The stateless core: the fates of a packet put on the wire at `now`. One plan for the original
 * and, when duplicated, a second one (duplicate: true). Throws if `cfg.bandwidth` is set (use Link).
 */
export function planCopies(rng: Prng, cfg: LinkConfig, now: number, sizeBytes: number): CopyPlan[] {
  checkTimeAndSize(now, sizeBytes);
  if (cfg.bandwidth !== undefined) {
    throw new Error('planCopies has no transmit queue and cannot model bandwidth; use a Link');
  }
  return drawCopies(rng, cfg, now);
}

/** One direction of a link, with its own random stream and FIFO transmit queue. */
export class Link {
  readonly config: LinkConfig;
  private readonly rng: Prng;
  /** When the transmitter finishes the packet it is clocking out. */
  private busyUntil = 0;
  /** The latest arrival of a copy that was not held back; later such copies may not beat it. */
  private lastInOrderArrival = 0;
  private lastNow = 0;

  constructor(cfg: Partial<LinkConfig>, rng: Prng) {
    this.config = validateLinkConfig(cfg);
    this.rng = rng;
  }

  /** Puts a packet of `sizeBytes` on this direction at `now`; `now` may not go backwards. */
  plan(now: number, sizeBytes: number): CopyPlan[] {
    checkTimeAndSize(now, sizeBytes);
    if (now < this.lastNow) {
      throw new Error(`Link.plan: time went backwards (${now} us after ${this.lastNow} us)`);
    }
    this.lastNow = now;
    const departure = Math.max(now, this.busyUntil) + serializationDelay(sizeBytes, this.config.bandwidth);
    this.busyUntil = departure;
    const copies = drawCopies(this.rng, this.config, departure);
    for (const copy of copies) {
      if (copy.arrival === undefined || copy.reordered) continue;
      copy.arrival = Math.max(copy.arrival, this.lastInOrderArrival);
      this.lastInOrderArrival = copy.arrival;
    }
    return copies;
  }
}

function drawCopies(rng: Prng, cfg: LinkConfig, departure: number): CopyPlan[] {
  const duplicated = rng.float() < cfg.duplicate;
  const original = drawCopy(rng, cfg, departure, false);
  if (duplicated) return [original, drawCopy(rng, cfg, departure, true)];
  // The extra copy's numbers are drawn even when there is none: a fixed draw count per packet.
  rng.float();
  rng.u32();
  rng.float();
  return [original];
}

function drawCopy(rng: Prng, cfg: LinkConfig, departure: number, duplicate: boolean): CopyPlan {
  const lost = rng.float() < cfg.loss;
  // floor(u * (jitter + 1) / 2^32) is uniform on [0, jitter] up to a bias below (jitter + 1) / 2^32.
  const jitter = Math.min(cfg.jitter, Math.floor((rng.u32() * (cfg.jitter + 1)) / TWO_32));
  const heldBack = rng.float() < cfg.reorder;
  if (lost) return { dropped: true, reason: 'loss', duplicate };
  const arrival = departure + cfg.latency + jitter + (heldBack ? cfg.reorderDelay : 0);
  return heldBack ? { arrival, dropped: false, duplicate, reordered: true } : { arrival, dropped: false, duplicate };
}

function checkTimeAndSize(now: number, sizeBytes: number): void {
  if (!Number.isSafeInteger(now) || now < 0) {
    throw new Error(`link: send time must be a non-negative integer of microseconds, got ${describeValue(now)}`);
  }
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) {
    throw new Error(`link: packet size must be a non-negative integer of bytes, got ${describeValue(sizeBytes)}`);
  }
}

function describeValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
