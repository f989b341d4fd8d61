// Network conditions as a scenario file writes them: a link's latency, jitter, loss, duplication and
// reordering (the `link:` map), and scripted faults in words ("drop 2nd data from client",
// src/sim/fault-parse.ts). Bounded so a run stays short: up to 50 ms latency, 5% loss.
import fc from 'fast-check';
import type { LinkText } from '../scenario-text.js';

export interface NetworkOptions {
  /** Highest loss, duplication and reordering probability (default 0.05). */
  maxLoss?: number;
  /** Host names faults may name as senders (default client, server). */
  hosts?: readonly string[];
}

const ms = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => `${n}ms`);
const prob = (max: number) => fc.integer({ min: 0, max: Math.round(max * 1000) }).map((n) => n / 1000);

/** A `link:` map; every field optional, as in a file. */
export function arbitraryLink(options: NetworkOptions = {}): fc.Arbitrary<LinkText> {
  const max = options.maxLoss ?? 0.05;
  return fc.record(
    { latency: ms(0, 50), jitter: ms(0, 10), loss: prob(max), duplicate: prob(max), reorder: prob(max), reorder_delay: ms(1, 20) },
    { requiredKeys: [] },
  );
}

const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th'];
const WHAT = ['SYN', 'SYN-ACK', 'data', 'pure ACK', 'FIN', 'RST', 'segment'];

/** One scripted fault in words, e.g. "drop 2nd data from client" or "delay 1st FIN by 300ms". */
export function arbitraryFault(options: NetworkOptions = {}): fc.Arbitrary<string> {
  const hosts = options.hosts ?? ['client', 'server'];
  return fc
    .record({
      action: fc.constantFrom('drop', 'duplicate', 'delay'),
      nth: fc.constantFrom(...ORDINALS),
      what: fc.constantFrom(...WHAT),
      from: fc.option(fc.constantFrom(...hosts), { nil: undefined }),
      by: fc.integer({ min: 1, max: 500 }),
    })
    .map(({ action, nth, what, from, by }) => `${action} ${nth} ${what}${from ? ` from ${from}` : ''}${action === 'delay' ? ` by ${by}ms` : ''}`);
}

export function arbitraryFaults(options: NetworkOptions = {}): fc.Arbitrary<string[]> {
  return fc.array(arbitraryFault(options), { maxLength: 3 });
}

/** Both at once: `{ link, faults }`, the two keys of a scenario file. */
export function arbitraryNetwork(options: NetworkOptions = {}): fc.Arbitrary<{ link: LinkText; faults: string[] }> {
  return fc.record({ link: arbitraryLink(options), faults: arbitraryFaults(options) });
}
