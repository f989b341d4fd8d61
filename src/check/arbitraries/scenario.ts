// Whole scenario files: two hosts, a link with random conditions, scripted faults, and random programs.
// Every generated value is a valid file (test/check/arbitraries.test.ts parses them), written as a file
// writes it, so a counterexample can be saved with yaml.stringify and run with `synack run`.
import fc from 'fast-check';
import type { ScenarioText } from '../scenario-text.js';
import { arbitraryNetwork, type NetworkOptions } from './network.js';
import { arbitraryPrograms, type ProgramOptions } from './programs.js';

export interface ScenarioOptions extends NetworkOptions, ProgramOptions {
  /** The file's `until` (default "150s": past Linux's 60 s TIME_WAIT and FIN_WAIT_2 timeout). */
  until?: string;
}

export function arbitraryScenario(options: ScenarioOptions = {}): fc.Arbitrary<ScenarioText> {
  return fc.record({ network: arbitraryNetwork(options), programs: arbitraryPrograms(options) }).map(({ network, programs }) => ({
    summary: 'a random scenario from synack/check',
    until: options.until ?? '150s',
    hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
    link: network.link,
    faults: network.faults,
    programs,
  }));
}
