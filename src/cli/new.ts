// `synack new NAME`: write a commented starter scenario file that runs as it is.
import { existsSync, writeFileSync } from 'node:fs';
import { starterScenario } from '../scenarios/file/template.js';
import { UsageError } from './errors.js';

export function newScenario(name: string, flags: { output?: string; force?: boolean }): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new UsageError(`bad name "${name}": expected lower-case words joined by -, e.g. "slow-server"`);
  }
  const path = flags.output ?? `${name}.yaml`;
  if (existsSync(path) && !flags.force) throw new UsageError(`${path} already exists; use --force to overwrite it`);
  try {
    writeFileSync(path, starterScenario(name));
  } catch (err) {
    throw new UsageError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return `wrote ${path}; run it with: synack run ${path}\n`;
}
