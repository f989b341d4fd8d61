import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/sim/prng.js';
import {
  DEFAULT_LINK,
  DRAWS_PER_PACKET,
  Link,
  planCopies,
  serializationDelay,
  validateLinkConfig,
} from '../../src/sim/link.js';
import type { CopyPlan, LinkConfig } from '../../src/sim/link.js';

function cfg(over: Partial<LinkConfig> = {}): LinkConfig {
  return validateLinkConfig(over);
}

/** Plans `n` packets sent 10 us apart, one per call. */
function planMany(config: LinkConfig, seed: number, n: number): CopyPlan[][] {
  const rng = new Prng(seed);
  return Array.from({ length: n }, (_, i) => planCopies(rng, config, i * 10, 100));
}

describe('validateLinkConfig', () => {
  it('fills in the documented defaults', () => {
    expect(validateLinkConfig({})).toEqual({
      latency: 1000,
      jitter: 0,
      loss: 0,
      duplicate: 0,
      reorder: 0,
      reorderDelay: 1000,
    });
    expect(DEFAULT_LINK.latency).toBe(1000);
    expect(DEFAULT_LINK.bandwidth).toBeUndefined();
  });

  it('keeps the values it is given', () => {
    const c = { latency: 5, jitter: 6, loss: 0.1, duplicate: 0.2, reorder: 0.3, reorderDelay: 7, bandwidth: 1e6 };
    expect(validateLinkConfig(c)).toEqual(c);
  });

  it('does not let callers change the defaults', () => {
    const c = validateLinkConfig({});
    c.latency = 1;
    expect(validateLinkConfig({}).latency).toBe(1000);
    expect(Object.isFrozen(DEFAULT_LINK)).toBe(true);
  });

  it.each([
    [{ latency: -1 }, /latency must be a non-negative integer/],
    [{ latency: 1.5 }, /latency must be a non-negative integer/],
    [{ jitter: NaN }, /jitter must be a non-negative integer/],
    [{ reorderDelay: Infinity }, /reorderDelay must be a non-negative integer/],
    [{ loss: 1.5 }, /loss must be a probability between 0 and 1, got 1.5/],
    [{ loss: -0.1 }, /loss must be a probability/],
    [{ duplicate: NaN }, /duplicate must be a probability/],
    [{ reorder: '0.5' as unknown as number }, /reorder must be a probability.*"0.5"/],
    [{ bandwidth: 0 }, /bandwidth must be a positive number/],
    [{ bandwidth: -5 }, /bandwidth must be a positive number/],
    [{ bandwidth: NaN }, /bandwidth must be a positive number/],
    [{ latencyMs: 5 } as Partial<LinkConfig>, /unknown field "latencyMs"/],
  ])('rejects %o', (bad, message) => {
    expect(() => validateLinkConfig(bad)).toThrow(message);
  });

  it('rejects a non-object', () => {
    expect(() => validateLinkConfig(null as unknown as Partial<LinkConfig>)).toThrow(/must be an object/);
  });
});

describe('planCopies', () => {
  it('never drops with loss 0', () => {
    for (const plans of planMany(cfg({ loss: 0, jitter: 100 }), 1, 2000)) {
      expect(plans).toHaveLength(1);
      expect(plans[0]!.dropped).toBe(false);
      expect(plans[0]!.arrival).toBeDefined();
    }
  });

  it("always drops with loss 1, giving the reason 'loss' and no arrival", () => {
    for (const plans of planMany(cfg({ loss: 1, duplicate: 0.5 }), 2, 500)) {
      for (const p of plans) expect(p).toEqual({ dropped: true, reason: 'loss', duplicate: p.duplicate });
    }
  });

  it('drops about the configured fraction (fixed seed)', () => {
    const dropped = planMany(cfg({ loss: 0.2 }), 3, 10_000).filter((p) => p[0]!.dropped).length;
    // Mean 2000, standard deviation 40.
    expect(dropped).toBeGreaterThan(1800);
    expect(dropped).toBeLessThan(2200);
  });

  it('adds no delay beyond latency without jitter or reorder', () => {
    expect(planCopies(new Prng(4), cfg({ latency: 2500 }), 1000, 60)).toEqual([
      { arrival: 3500, dropped: false, duplicate: false },
    ]);
  });

  it('yields a second copy marked duplicate when duplicated', () => {
    for (const plans of planMany(cfg({ duplicate: 1 }), 5, 100)) {
      expect(plans.map((p) => p.duplicate)).toEqual([false, true]);
      expect(plans.every((p) => !p.dropped)).toBe(true);
    }
    for (const plans of planMany(cfg({ duplicate: 0 }), 5, 100)) expect(plans).toHaveLength(1);
  });

  it('decides the loss of the two copies independently', () => {
    const all = planMany(cfg({ duplicate: 1, loss: 0.5 }), 6, 400);
    const pattern = (p: CopyPlan[]): string => p.map((c) => (c.dropped ? 'x' : 'o')).join('');
    const seen = new Set(all.map(pattern));
    expect(seen).toEqual(new Set(['oo', 'ox', 'xo', 'xx']));
  });

  it('keeps jitter within [0, jitter] and uses the whole interval (fixed seed)', () => {
    const delays = planMany(cfg({ latency: 1000, jitter: 500, duplicate: 0.5 }), 7, 3000).flatMap((plans, i) =>
      plans.map((p) => p.arrival! - i * 10),
    );
    for (const d of delays) {
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(1500);
    }
    expect(Math.min(...delays)).toBeLessThan(1010);
    expect(Math.max(...delays)).toBeGreaterThan(1490);
  });

  it('holds a reordered copy back by reorderDelay and marks it', () => {
    expect(planCopies(new Prng(8), cfg({ latency: 100, reorder: 1, reorderDelay: 700 }), 0, 10)).toEqual([
      { arrival: 800, dropped: false, duplicate: false, reordered: true },
    ]);
  });

  it('lets jitter reorder packets: it has no memory between calls (fixed seed)', () => {
    const arrivals = planMany(cfg({ jitter: 5000 }), 9, 200).map((p) => p[0]!.arrival!);
    expect(arrivals.some((a, i) => i > 0 && a < arrivals[i - 1]!)).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const config = cfg({ jitter: 300, loss: 0.3, duplicate: 0.3, reorder: 0.2 });
    expect(planMany(config, 10, 300)).toEqual(planMany(config, 10, 300));
    expect(planMany(config, 10, 300)).not.toEqual(planMany(config, 11, 300));
  });

  it('takes the same number of draws per packet whatever the config', () => {
    for (const over of [{}, { loss: 1 }, { duplicate: 1 }, { jitter: 12345, reorder: 0.5, loss: 0.5, duplicate: 0.5 }]) {
      const a = new Prng(12);
      const b = new Prng(12);
      planCopies(a, cfg(over), 0, 100);
      for (let i = 0; i < DRAWS_PER_PACKET; i++) b.u32();
      expect(a.u32()).toBe(b.u32());
    }
  });

  it('leaves the surviving copies unchanged when only loss is raised', () => {
    const base = planMany(cfg({ jitter: 800, duplicate: 0.3, reorder: 0.1 }), 13, 500);
    const lossy = planMany(cfg({ jitter: 800, duplicate: 0.3, reorder: 0.1, loss: 0.4 }), 13, 500);
    let survivors = 0;
    lossy.forEach((plans, i) => {
      expect(plans.length).toBe(base[i]!.length);
      plans.forEach((p, j) => {
        if (p.dropped) return;
        survivors++;
        expect(p).toEqual(base[i]![j]);
      });
    });
    expect(survivors).toBeGreaterThan(100);
  });

  it('refuses a config with bandwidth (it has no transmit queue)', () => {
    expect(() => planCopies(new Prng(1), cfg({ bandwidth: 1e6 }), 0, 100)).toThrow(/use a Link/);
  });

  it('rejects bad times and sizes', () => {
    const c = cfg();
    expect(() => planCopies(new Prng(1), c, 1.5, 100)).toThrow(/send time/);
    expect(() => planCopies(new Prng(1), c, -1, 100)).toThrow(/send time/);
    expect(() => planCopies(new Prng(1), c, 0, -3)).toThrow(/packet size/);
    expect(() => planCopies(new Prng(1), c, 0, NaN)).toThrow(/packet size/);
  });
});

describe('serializationDelay', () => {
  it('is size * 8 / bandwidth in microseconds, rounded up', () => {
    expect(serializationDelay(1250, 1_000_000)).toBe(10_000);
    expect(serializationDelay(1, 3_000_000)).toBe(3); // 2.67 us
    expect(serializationDelay(0, 1_000_000)).toBe(0);
    expect(serializationDelay(1500, undefined)).toBe(0);
  });
});

describe('Link', () => {
  it('validates its config', () => {
    expect(() => new Link({ loss: 2 }, new Prng(1))).toThrow(/loss must be a probability/);
    expect(new Link({}, new Prng(1)).config.latency).toBe(1000);
  });

  it('matches planCopies when nothing can reorder and there is no bandwidth', () => {
    const config = cfg({ loss: 0.3, duplicate: 0.3 });
    const link = new Link(config, new Prng(20));
    const rng = new Prng(20);
    for (let i = 0; i < 200; i++) expect(link.plan(i * 10, 100)).toEqual(planCopies(rng, config, i * 10, 100));
  });

  it('queues packets behind each other at the configured bandwidth', () => {
    // 1 Mbit/s: 1250 bytes take 10 ms to clock out.
    const link = new Link({ latency: 1000, bandwidth: 1_000_000 }, new Prng(21));
    expect(link.plan(0, 1250)[0]!.arrival).toBe(11_000);
    expect(link.plan(0, 1250)[0]!.arrival).toBe(21_000);
    expect(link.plan(5_000, 1250)[0]!.arrival).toBe(31_000);
    // The transmitter is idle again by 100 ms: no queueing.
    expect(link.plan(100_000, 125)[0]!.arrival).toBe(102_000);
  });

  it('charges the link for a lost packet too (it was clocked out before being lost)', () => {
    const link = new Link({ latency: 0, bandwidth: 8_000_000, loss: 1 }, new Prng(22));
    expect(link.plan(0, 1000)[0]!.dropped).toBe(true);
    const after = new Link({ latency: 0, bandwidth: 8_000_000 }, new Prng(22));
    after.plan(0, 1000);
    expect(after.plan(0, 1000)[0]!.arrival).toBe(2000);
  });

  it('keeps copies in send order under jitter when nothing is reordered', () => {
    const link = new Link({ latency: 1000, jitter: 20_000, duplicate: 0.3 }, new Prng(23));
    let last = 0;
    for (let i = 0; i < 500; i++) {
      for (const p of link.plan(i * 10, 100)) {
        expect(p.arrival!).toBeGreaterThanOrEqual(last);
        expect(p.arrival!).toBeGreaterThanOrEqual(i * 10 + 1000);
        // Within the jitter bound; waiting behind an earlier-sent copy cannot push it past that either.
        expect(p.arrival!).toBeLessThanOrEqual(i * 10 + 21_000);
        last = p.arrival!;
      }
    }
  });

  it('lets later packets pass a reordered copy', () => {
    const link = new Link({ latency: 1000, reorder: 0.2, reorderDelay: 5000 }, new Prng(24));
    const sent = Array.from({ length: 200 }, (_, i) => link.plan(i * 100, 100)[0]!);
    const held = sent.findIndex((p, i) => p.reordered && sent[i + 1] !== undefined && !sent[i + 1]!.reordered);
    expect(held).toBeGreaterThanOrEqual(0);
    expect(sent[held + 1]!.arrival).toBe((held + 1) * 100 + 1000);
    expect(sent[held]!.arrival).toBe(held * 100 + 6000);
    expect(sent[held + 1]!.arrival).toBeLessThan(sent[held]!.arrival!);
  });

  it('is deterministic for a seed', () => {
    const run = (): CopyPlan[][] => {
      const link = new Link({ jitter: 500, loss: 0.2, duplicate: 0.2, reorder: 0.2, bandwidth: 1e7 }, new Prng(25));
      return Array.from({ length: 300 }, (_, i) => link.plan(i * 50, 1500));
    };
    expect(run()).toEqual(run());
  });

  it('refuses time going backwards', () => {
    const link = new Link({}, new Prng(1));
    link.plan(100, 10);
    expect(() => link.plan(99, 10)).toThrow(/time went backwards/);
  });
});
