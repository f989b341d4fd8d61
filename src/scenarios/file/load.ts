// Reading scenario files from disk: one file (`synack run my.yaml`) or the built-in folder.
import { closeSync, openSync, readdirSync, readSync, fstatSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioFromFile, type FileScenario } from './build.js';
import { ScenarioFileError } from './errors.js';
import { scenarioNameOf } from './name.js';
import { MAX_FILE_BYTES, parseScenarioText } from './parse.js';

/** The built-in scenario files: `scenarios/` at the top of the package (from src/ or dist/ alike). */
export const BUILTIN_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.json'];

export function isScenarioPath(arg: string): boolean {
  return SCENARIO_EXTENSIONS.includes(extname(arg).toLowerCase()) || arg.includes('/');
}

/** Reads at most MAX_FILE_BYTES + 1 bytes, so a huge file costs no more memory than a big one. */
function readCapped(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioFileError(path, [{ line: 0, col: 0, message: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot open: ${code ?? (e as Error).message}` }]);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new ScenarioFileError(path, [{ line: 0, col: 0, message: 'is a directory, not a scenario file' }]);
    const size = stat.size;
    if (size > MAX_FILE_BYTES) throw new ScenarioFileError(path, [{ line: 1, col: 1, message: `the file is ${size} bytes; a scenario file may hold at most ${MAX_FILE_BYTES}` }]);
    const buf = Buffer.alloc(Math.min(size, MAX_FILE_BYTES) + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    if (e instanceof ScenarioFileError) throw e;
    throw new ScenarioFileError(path, [{ line: 0, col: 0, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  } finally {
    closeSync(fd);
  }
}

export function loadScenarioFile(path: string, source = path): FileScenario {
  const text = readCapped(path);
  return scenarioFromFile(parseScenarioText(text, source), scenarioNameOf(basename(path)), source);
}

/** Every built-in scenario, in the order of the numbered file names. */
export function loadBuiltinScenarios(dir = BUILTIN_DIR): FileScenario[] {
  return readdirSync(dir)
    .filter((f) => SCENARIO_EXTENSIONS.includes(extname(f)))
    .sort()
    .map((f) => loadScenarioFile(join(dir, f), `scenarios/${f}`));
}
