// The layers may only import downwards (docs/architecture.md): this reads every import in src/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** For each layer, the layers it may import (itself always allowed). */
const ALLOWED: Record<string, string[]> = {
  wire: [],
  tcp: ['wire'],
  sim: ['tcp', 'wire'],
  socket: ['sim', 'tcp', 'wire'],
  scenarios: ['socket', 'sim', 'tcp', 'wire'],
  render: ['sim/trace.ts', 'sim/trace-windows.ts'],
  pcap: ['wire'],
  replay: ['pcap', 'tcp', 'wire', 'sim/trace.ts', 'sim/prng.ts'],
  diff: ['replay', 'pcap', 'wire', 'sim/trace.ts'],
  check: ['scenarios', 'socket', 'sim', 'tcp', 'wire'],
  cli: ['check', 'render', 'replay', 'diff', 'pcap', 'scenarios', 'socket', 'sim', 'tcp', 'wire'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/g)].map((m) => m[1]!);
}

describe('layering', () => {
  const all = files(SRC);

  it('finds the source files', () => {
    expect(all.length).toBeGreaterThan(40);
  });

  for (const layer of Object.keys(ALLOWED)) {
    it(`${layer} imports only from ${ALLOWED[layer]!.join(', ') || 'itself'}`, () => {
      const bad: string[] = [];
      for (const file of all.filter((f) => relative(SRC, f).startsWith(`${layer}/`))) {
        for (const spec of importsOf(file)) {
          const target = relative(SRC, resolve(join(file, '..'), spec)).replace(/\.js$/, '.ts');
          const targetLayer = target.split('/')[0]!;
          if (targetLayer === layer) continue;
          const ok = ALLOWED[layer]!.some((a) => (a.endsWith('.ts') ? target === a : targetLayer === a));
          if (!ok) bad.push(`${relative(SRC, file)} -> ${target}`);
        }
      }
      expect(bad).toEqual([]);
    });
  }
});
