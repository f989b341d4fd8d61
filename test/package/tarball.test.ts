// The package as a user gets it (issue 12, "A real package"): `npm pack`, installed into a fresh project, where
// the README's library snippets must type-check under `tsc --strict` and run (a snippet that imports vitest is a
// user's test file: it runs under vitest there), and `npx synack list` must work.
// Everything happens in a temporary folder: the package is staged there (its files, dist/ compiled there), so
// the repository's own dist/ is neither needed nor touched. The install is offline, from npm's cache (`npm ci`
// filled it); if the cache lacks something it falls back to the registry, with a note on stderr.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTool, toolAvailable } from '../support/requires-tool.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  files: string[];
  exports: Record<string, string | { types: string; import: string }>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.error) throw r.error;
  return r;
}
function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The ```ts blocks of a markdown file, in order. */
function tsBlocks(path: string): string[] {
  return [...readFileSync(path, 'utf8').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

const describePackage = describeWithTool('npm', toolAvailable('npm'));

describePackage('the packed package, installed in a fresh project', () => {
  let tmp = '';
  let packed: PackResult;
  let app = '';
  const blocks = tsBlocks(join(ROOT, 'README.md'));
  // A user's own test file (the synack/check property) runs under vitest; the others are programs.
  const isTestFile = (block: string) => /from 'vitest'/.test(block);
  const readme = blocks.filter((b) => !isTestFile(b));
  const readmeTests = blocks.filter(isTestFile);

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'synack-pack-'));
    // Stage what `files` names (dist/ aside) and compile dist/ into the stage with the build's own tsconfig.
    const stage = join(tmp, 'stage');
    for (const entry of ['package.json', 'README.md', ...pkg.files.filter((f) => !f.startsWith('!') && !f.startsWith('dist'))]) {
      cpSync(join(ROOT, entry), join(stage, entry), { recursive: true });
    }
    ok(run(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], ROOT), 'tsc build');
    // --ignore-scripts: prepare/prepack would build again (and the web app); dist/ is already there.
    const out = ok(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], stage), 'npm pack');
    packed = (JSON.parse(out) as PackResult[])[0]!;

    app = join(tmp, 'app');
    cpSync(join(ROOT, 'test/package/app-template'), app, { recursive: true });
    // @types/d3: synack/render's types name d3's Selection (the chart's call signature), and @types/d3 is
    // still a devDependency of synack, so a user of synack/render installs it as here.
    const d3Types = (JSON.parse(readFileSync(join(ROOT, 'node_modules/@types/d3/package.json'), 'utf8')) as { version: string }).version;
    // vitest and fast-check: what the README's property test imports, installed as its text says.
    const deps = [
      join(tmp, packed.filename),
      `typescript@${pkg.devDependencies.typescript}`,
      `@types/node@${pkg.devDependencies['@types/node']}`,
      `@types/d3@${d3Types}`,
      `vitest@${pkg.devDependencies.vitest}`,
      `fast-check@${pkg.dependencies['fast-check']}`,
    ];
    const offline = run('npm', ['install', '--offline', '--no-audit', '--no-fund', ...deps], app);
    if (offline.status !== 0) {
      // `npm ci` caches the tarballs but not always the registry's metadata an install by name needs.
      process.stderr.write(`note: offline install from npm's cache failed (${offline.stderr.split('\n')[0]}); installing from the registry\n`);
      ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...deps], app), 'npm install');
    }
  }, 180_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, 60_000);

  it('holds what a user runs and nothing else', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('bin/synack.js');
    expect(paths).toContain('dist/cli/main.js');
    expect(paths.filter((p) => p.startsWith('scenarios/'))).toHaveLength(readdirSync(join(ROOT, 'scenarios')).length);
    // Each entry point's code and types.
    for (const target of Object.values(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(paths).toContain(target.import.slice(2));
      expect(paths).toContain(target.types.slice(2));
    }
    const unwanted = paths.filter((p) => /^(test|src|scripts|bench|web)\/|__pycache__|\.pyc$|\.map$|^tsconfig/.test(p));
    expect(unwanted).toEqual([]);
  });

  it('the README has library snippets and a property test, and they use the package entry points only', () => {
    expect(readme.length).toBeGreaterThan(0);
    expect(readmeTests).toHaveLength(1);
    for (const block of blocks) {
      const specifiers = [...block.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      const allowed = (s: string) => s === 'synack' || s.startsWith('synack/') || (isTestFile(block) && (s === 'vitest' || s === 'fast-check'));
      expect(specifiers.every(allowed), specifiers.join(', ')).toBe(true);
      expect(block).not.toContain('synack/dist');
    }
    // docs/api.md shows the same property, word for word.
    expect(tsBlocks(join(ROOT, 'docs/api.md'))).toContain(readmeTests[0]);
  });

  it("type-checks the README's snippets with tsc --strict and runs them", () => {
    readme.forEach((block, i) => writeFileSync(join(app, `readme-${i + 1}.ts`), block));
    readmeTests.forEach((block, i) => writeFileSync(join(app, `readme-property-${i + 1}.test.ts`), block));
    ok(run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app), 'tsc --strict');
    // The first snippet: an echo exchange, drawn as a ladder: the handshake and the states it reached.
    const first = ok(run(process.execPath, ['out/readme-1.js'], app), 'node out/readme-1.js');
    expect(first).toContain('[SYN]');
    expect(first).toContain('ESTABLISHED');
    for (let i = 2; i <= readme.length; i++) ok(run(process.execPath, [`out/readme-${i}.js`], app), `node out/readme-${i}.js`);
  }, 90_000);

  it("runs the README's property test with the user's vitest: fifty random scenarios, all invariants held", () => {
    readmeTests.forEach((block, i) => writeFileSync(join(app, `readme-property-${i + 1}.test.ts`), block));
    // The file filter keeps vitest off tsc's compiled copies in out/.
    const out = ok(run('npx', ['--no-install', 'vitest', 'run', '--reporter', 'verbose', 'readme-property-1.test.ts'], app), 'npx vitest run')
      .replace(/\x1b\[[0-9;]*m/g, '');
    expect(out).toMatch(/Tests\s+1 passed \(1\)/);
    expect(out).toContain('random TCP scenarios keep the invariants');
  }, 120_000);

  it('runs `npx synack list`, naming every scenario file', () => {
    const out = ok(run('npx', ['--no-install', 'synack', 'list'], app), 'npx synack list');
    // scenarios/NN-name.yaml is the scenario "name" (docs/scenario-format.md).
    const names = readdirSync(join(ROOT, 'scenarios')).map((f) => f.replace(/^\d+-/, '').replace(/\.ya?ml$|\.json$/, ''));
    expect(names).toHaveLength(26);
    for (const name of names) expect(out).toMatch(new RegExp(`^\\s*${name}\\s`, 'm'));
  });
});
