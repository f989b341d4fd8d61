// The package version, read from package.json two levels above this module: src/cli/ under tsx, dist/cli/
// once built.
import { readFile } from 'node:fs/promises';

export async function packageVersion(): Promise<string> {
  const url = new URL('../../package.json', import.meta.url);
  const pkg = JSON.parse(await readFile(url, 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`no version in ${url.pathname}`);
  return pkg.version;
}
