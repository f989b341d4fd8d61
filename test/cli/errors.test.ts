import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture, fakeRegistry } from './fake-registry.js';

/** A user error: exit 2, one line on stderr starting "synack: ", nothing on stdout. */
async function userError(argv: string[]): Promise<string> {
  const { code, stdout, stderr } = await capture(argv);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^synack: [^\n]+\n$/);
  return stderr;
}

describe('user errors', () => {
  it('suggests the close scenario name for a typo', async () => {
    expect(await userError(['run', 'three-way-handshak'])).toContain(
      'unknown scenario "three-way-handshak"; did you mean three-way-handshake?',
    );
    expect(await userError(['run', 'syn-flod'])).toContain('did you mean syn-flood?');
  });

  it('points to the list when no scenario name is close', async () => {
    expect(await userError(['run', 'quantum-entanglement'])).toContain('run "synack list"');
  });

  it.each([['abc'], ['4294967296'], ['1.5'], ['0x10'], ['1e3'], ['']])('refuses --seed=%s', async (seed) => {
    expect(await userError(['run', 'syn-flood', `--seed=${seed}`])).toContain(
      `bad seed "${seed}": expected an integer from 0 to 4294967295`,
    );
  });

  it('refuses a negative seed', async () => {
    expect(await userError(['run', 'syn-flood', '--seed=-1'])).toContain('bad seed "-1"');
    expect(await userError(['run', 'syn-flood', '--seed', '-1'])).toContain('option --seed needs a value');
  });

  it('refuses an unknown profile, listing the known ones', async () => {
    expect(await userError(['run', 'syn-flood', '--profile', 'bsd'])).toContain(
      'unknown profile "bsd"; the profiles are: linux, rfc9293',
    );
  });

  it('refuses unknown flags', async () => {
    expect(await userError(['run', 'syn-flood', '--colour'])).toContain('unknown option --colour for "run"');
    expect(await userError(['list', '-x'])).toContain('unknown option -x for "list"');
    expect(await userError(['--frobnicate'])).toContain('unknown option --frobnicate');
    expect(await userError(['run', 'syn-flood', '--json=yes'])).toContain('option --json takes no value');
  });

  it('refuses an unknown command, suggesting a close one', async () => {
    expect(await userError(['lsit'])).toContain('unknown command "lsit"; did you mean list?');
    expect(await userError(['help', 'rnu'])).toContain('did you mean run?');
  });

  it('refuses missing and extra arguments', async () => {
    expect(await userError([])).toContain('no command given');
    expect(await userError(['run'])).toContain('needs a scenario name');
    expect(await userError(['run', 'syn-flood', 'extra'])).toContain('unexpected argument "extra"');
    expect(await userError(['list', 'extra'])).toContain('unexpected argument "extra"');
    expect(await userError(['run', 'syn-flood', '--seed'])).toContain('option --seed needs a value');
  });

  it('refuses a bad width, and draws within the narrowest one it accepts', async () => {
    expect(await userError(['run', 'syn-flood', '--width', 'wide'])).toContain('bad width "wide"');
    expect(await userError(['run', 'syn-flood', '--width', '5000'])).toContain('bad width "5000"');
    expect(await userError(['run', 'syn-flood', '--width', '39'])).toContain('bad width "39"');
    const { code, stdout } = await capture(['run', 'syn-flood', '--width', '40']);
    expect(code).toBe(0);
    for (const line of stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('checks flags before running anything', async () => {
    const registry = fakeRegistry();
    await capture(['run', 'syn-flood', '--seed=x'], registry);
    expect(registry.runs).toEqual([]);
  });
});

describe('internal errors', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const broken = [
    {
      name: 'broken',
      summary: 'throws',
      lifelines: ['client', 'server'] as const,
      run: async () => {
        throw new Error('boom\nsecond line');
      },
    },
  ];

  async function runBroken(): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await main(['run', 'broken'], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) }, broken);
    return { code, stdout, stderr };
  }

  it('reports one line and a hint, no stack, exit 70 (EX_SOFTWARE)', async () => {
    vi.stubEnv('SYNACK_DEBUG', '');
    const { code, stdout, stderr } = await runBroken();
    expect(code).toBe(70);
    expect(stdout).toBe('');
    expect(stderr).toBe('synack: internal error: boom\nRe-run with SYNACK_DEBUG=1 to see the stack trace.\n');
  });

  it('prints the stack with SYNACK_DEBUG=1', async () => {
    vi.stubEnv('SYNACK_DEBUG', '1');
    const { code, stderr } = await runBroken();
    expect(code).toBe(70);
    expect(stderr).toMatch(/^synack: internal error: boom\nError: boom\nsecond line\n +at /);
  });

  it('treats a registry that fails to load as an internal error', async () => {
    const code = await main(['list'], { stdout: () => {}, stderr: () => {} }, () => Promise.reject(new Error('no index')));
    expect(code).toBe(70);
  });
});
