// Writes docs/state-diagram.md from the statechart (npm run docs:states).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderStateDiagramMarkdown } from '../src/tcp/state-diagram.js';

const outFile = fileURLToPath(new URL('../docs/state-diagram.md', import.meta.url));
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, renderStateDiagramMarkdown());
console.log(`wrote ${outFile}`);
