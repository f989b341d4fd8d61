// The engine the web app bundles must run in a browser: no file reached by a static import from
// web/src/engine/*.ts may import node:* (or a Node built-in) or use Buffer, process or setImmediate
// directly. setImmediate and process (its nextTick) are allowed only in src/sim/macrotask.ts, which reads
// both from globalThis and tests for them before use.
// The developer guide's rule: wire, tcp, sim and socket run anywhere (docs/architecture.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const ENGINE = join(ROOT, 'web/src/engine');
const PORTABLE_MACROTASK = join(ROOT, 'src/sim/macrotask.ts');

/** The text with comments blanked out (strings kept), so a comment naming setImmediate is no use of it. */
function withoutComments(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === quote) quote = undefined;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else {
      if (c === "'" || c === '"' || c === '`') quote = c;
      out += c;
    }
  }
  return out;
}

/** Every module specifier: import/export … from '…', import '…', import('…'). */
function specifiers(code: string): string[] {
  const found = [
    ...code.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1]!);
}

const NODE_BUILTINS = new Set(builtinModules);

/** What makes one file Node-only, one line each. */
function nodeOnlyUses(path: string, code: string): string[] {
  const problems: string[] = [];
  for (const spec of specifiers(code)) {
    if (spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]!)) problems.push(`imports "${spec}"`);
  }
  // Strings blanked too for the identifier checks: an error message may say "process".
  const bare = code.replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g, "''");
  if (/\bBuffer\b/.test(bare)) problems.push('uses Buffer');
  if (/(?<![.\w$])process\b/.test(bare) && path !== PORTABLE_MACROTASK) problems.push('uses process (go through src/sim/macrotask.ts)');
  if (/\bsetImmediate\b/.test(bare) && path !== PORTABLE_MACROTASK) problems.push('uses setImmediate (go through src/sim/macrotask.ts)');
  return problems;
}

/** Walks relative imports from `entries` (.js -> .ts); returns each problem with the import chain that reaches it. */
function browserProblems(entries: string[]): string[] {
  const parent = new Map<string, string | undefined>(entries.map((e) => [e, undefined]));
  const queue = [...entries];
  const problems: string[] = [];
  const chain = (file: string): string => {
    const links: string[] = [];
    for (let f: string | undefined = file; f; f = parent.get(f)) links.unshift(relative(ROOT, f));
    return links.join(' -> ');
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    const code = withoutComments(readFileSync(file, 'utf8'));
    for (const problem of nodeOnlyUses(file, code)) problems.push(`${chain(file)}: ${problem}`);
    for (const spec of specifiers(code).filter((s) => s.startsWith('.'))) {
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (!existsSync(target)) {
        problems.push(`${chain(file)}: imports "${spec}", which is not a file here`);
        continue;
      }
      if (parent.has(target)) continue;
      parent.set(target, file);
      queue.push(target);
    }
  }
  return problems;
}

describe('the engine modules the web app bundles', () => {
  const entries = readdirSync(ENGINE)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(ENGINE, f));

  it('are there: builtins, run-scenario, replay-capture, capture-bytes', () => {
    expect(entries.map((e) => relative(ENGINE, e))).toEqual(expect.arrayContaining(['builtins.ts', 'run-scenario.ts', 'replay-capture.ts', 'capture-bytes.ts']));
  });

  it('reach no node:* import and no direct use of Buffer, process or setImmediate', () => {
    expect(browserProblems(entries)).toEqual([]);
  });

  it('reach the simulator (so the walk really follows imports into src/)', () => {
    const walked = new Set<string>();
    const visit = (file: string) => {
      if (walked.has(file)) return;
      walked.add(file);
      for (const spec of specifiers(withoutComments(readFileSync(file, 'utf8'))).filter((s) => s.startsWith('.'))) visit(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
    };
    entries.forEach(visit);
    expect(walked).toContain(join(ROOT, 'src/sim/world.ts'));
    expect(walked).toContain(PORTABLE_MACROTASK);
    expect(walked).toContain(join(ROOT, 'src/replay/replay.ts'));
  });
});

describe('the check itself', () => {
  it('names the chain to a Node-only file: src/scenarios/index.ts reaches load.ts, which imports node:fs', () => {
    const problems = browserProblems([join(ROOT, 'src/scenarios/index.ts')]);
    expect(problems).toContain('src/scenarios/index.ts -> src/scenarios/file/load.ts: imports "node:fs"');
    expect(problems).toContain('src/scenarios/index.ts -> src/scenarios/file/load.ts: uses Buffer');
  });

  it('sees through comments but not through code', () => {
    expect(nodeOnlyUses('x.ts', withoutComments('// setImmediate(f); Buffer.from(x); process.exit()\nconst a = 1;'))).toEqual([]);
    expect(nodeOnlyUses('x.ts', withoutComments('setImmediate(f);'))).toEqual(['uses setImmediate (go through src/sim/macrotask.ts)']);
    expect(nodeOnlyUses('x.ts', withoutComments('const b = Buffer.alloc(1);'))).toEqual(['uses Buffer']);
    expect(nodeOnlyUses('x.ts', withoutComments('if (process.env.X) f();'))).toEqual(['uses process (go through src/sim/macrotask.ts)']);
    expect(nodeOnlyUses('x.ts', withoutComments("import { readFileSync } from 'fs';"))).toEqual(['imports "fs"']);
    expect(nodeOnlyUses('x.ts', withoutComments("const t = 'the woken process runs';"))).toEqual([]);
  });
});
