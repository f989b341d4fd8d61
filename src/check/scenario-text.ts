// A scenario file as it is written (YAML or JSON), before parsing: what the arbitraries generate, what a
// counterexample is saved as. It is the input side of the zod schema (src/scenarios/file/schema.ts).
import type * as z from 'zod';
import type { scenarioSchema } from '../scenarios/file/schema.js';

/** A whole scenario file as written: `yaml.stringify(file)` is a file `synack run` reads. */
export type ScenarioText = z.input<typeof scenarioSchema>;

/** A link's conditions as the file's `link:` map writes them. */
export interface LinkText {
  latency?: string;
  jitter?: string;
  loss?: number;
  duplicate?: number;
  reorder?: number;
  reorder_delay?: string;
}

/** One step of a program, as the file writes it: `{ sendall: { socket: s, bytes: 100 } }`. */
export type StepText = Record<string, unknown>;

/** One entry of the file's `programs:` list. */
export interface ProgramText {
  host: string;
  name?: string;
  start?: string;
  steps: StepText[];
}
