import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capture } from './fake-registry.js';

describe('help', () => {
  it.each([
    [['--help'], 'synack run NAME|FILE [opts]'],
    [['-h'], 'synack new NAME'],
    [['help'], 'synack run NAME|FILE [opts]'],
    [['help', 'list'], 'Usage: synack list'],
    [['list', '--help'], 'Usage: synack list'],
    [['help', 'run'], 'Usage: synack run NAME|FILE [options]'],
    [['help', 'new'], 'Usage: synack new NAME [options]'],
    [['new', '--help'], '--force'],
    [['run', '--help'], '--seed N'],
    [['run', '-h'], '--profile NAME'],
    [['run', 'syn-flood', '--help'], '--json'],
    [['--help', 'run'], 'Usage: synack run NAME|FILE [options]'],
    [['help', 'help'], 'Usage: synack help [COMMAND]'],
    [['help', '--help'], 'Usage: synack help [COMMAND]'],
  ])('synack %j exits 0 with usage on stdout', async (argv, expected) => {
    const { code, stdout, stderr } = await capture(argv);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(expected);
  });

  it('does not run the scenario when asked for help', async () => {
    const registry = (await import('./fake-registry.js')).fakeRegistry();
    await capture(['run', 'syn-flood', '--help'], registry);
    expect(registry.runs).toEqual([]);
  });
});

describe('--version', () => {
  it('prints the version from package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, stdout, stderr } = await capture(['--version']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
