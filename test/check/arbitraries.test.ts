// The arbitraries make valid scenario files, written as files write them, that run.
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { arbitraryFault, arbitraryLink, arbitraryScenario, parseScenario, runScenario } from '../../src/check/index.js';
import { parseFault } from '../../src/sim/fault-parse.js';

describe('arbitraries', () => {
  it('faults are words the fault parser reads', () => {
    fc.assert(fc.property(arbitraryFault(), (text) => {
      expect(() => parseFault(text)).not.toThrow();
    }), { numRuns: 200, seed: 3 });
  });

  it('links stay within the bounds asked for', () => {
    fc.assert(fc.property(arbitraryLink({ maxLoss: 0.01 }), (link) => {
      expect(link.loss ?? 0).toBeLessThanOrEqual(0.01);
      expect(link.duplicate ?? 0).toBeLessThanOrEqual(0.01);
    }), { numRuns: 100, seed: 3 });
  });

  it('scenarios are valid files, also after a round trip through YAML', () => {
    fc.assert(fc.property(arbitraryScenario(), (file) => {
      const parsed = parseScenario(parse(stringify(file)));
      expect(Object.keys(parsed.hosts)).toEqual(['client', 'server']);
      expect(parsed.programs.length).toBeGreaterThanOrEqual(2);
    }), { numRuns: 100, seed: 3 });
  });

  it('runScenario runs one and returns its trace, its checks and each host\'s profile', async () => {
    const [file] = fc.sample(arbitraryScenario(), { numRuns: 1, seed: 5 });
    const { trace, checks, context } = await runScenario(file!, { profile: 'rfc9293', seed: 2 });
    expect(trace.profile).toBe('rfc9293');
    expect(trace.seed).toBe(2);
    expect(trace.events.some((e) => e.kind === 'state')).toBe(true);
    expect(Array.isArray(checks)).toBe(true);
    expect(context.hostProfiles!.client!.timeWaitLength).toBe(240e6);
  });

  it('runScenario rejects an invalid file with a one-line message', async () => {
    await expect(runScenario({ summary: 'x', hosts: { a: { address: 'nope' } } })).rejects.toThrow(/IPv4 address/);
  });
});
