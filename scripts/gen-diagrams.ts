// Writes the diagrams in docs/images/ with the CLI itself (`synack run NAME --svg FILE`): npm run docs:images.
// test/render/svg/doc-images.test.ts fails when one is out of date.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';

/** The scenarios drawn in docs/, each with what it is there to show. */
export const DOC_DIAGRAMS = ['three-way-handshake', 'echo', 'lost-syn', 'simultaneous-close', 'backlog-overflow'];

export function docImagePath(name: string): string {
  return fileURLToPath(new URL(`../docs/images/${name}.svg`, import.meta.url));
}

async function generate(): Promise<void> {
  mkdirSync(fileURLToPath(new URL('../docs/images/', import.meta.url)), { recursive: true });
  for (const name of DOC_DIAGRAMS) {
    const code = await main(['run', name, '--svg', docImagePath(name)], { stdout: () => {}, stderr: (s) => void process.stderr.write(s) });
    if (code !== 0) throw new Error(`synack run ${name} --svg exited ${code}`);
    console.log(`wrote ${docImagePath(name)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await generate();
