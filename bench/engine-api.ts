// The engine the benchmark drives, handed to each workload: the built dist/ when run by `npm run bench`
// (what users run), the sources in the tests (test/bench). Types come from src/, code from wherever loaded.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { World } from '../src/sim/world.js';
import type { LINUX } from '../src/tcp/profile.js';
import type { program } from '../src/socket/index.js';
import type { flagsFromNames } from '../src/wire/segment.js';

export interface Engine {
  World: typeof World;
  LINUX: typeof LINUX;
  program: typeof program;
  flagsFromNames: typeof flagsFromNames;
}

/** The repository's root: the nearest folder up from here with a package.json (bench/ or dist-bench/bench/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: no package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** The engine from dist/ (npm run build). */
export async function distEngine(): Promise<Engine> {
  const dist = join(repoRoot(), 'dist');
  if (!existsSync(join(dist, 'sim', 'world.js'))) throw new Error('bench: dist/ is not built (npm run build)');
  const load = (path: string) => import(pathToFileURL(join(dist, path)).href);
  const [world, profile, socket, segment] = await Promise.all([load('sim/world.js'), load('tcp/profile.js'), load('socket/index.js'), load('wire/segment.js')]);
  return { World: world.World, LINUX: profile.LINUX, program: socket.program, flagsFromNames: segment.flagsFromNames };
}
