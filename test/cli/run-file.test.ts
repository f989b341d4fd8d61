// `synack run FILE` and `synack new NAME`: a scenario file runs like a built-in; its expectations decide
// the exit code; a bad file is a one-line-per-problem user error (exit 2) naming file, line and column.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capture } from './fake-registry.js';

const dir = mkdtempSync(join(tmpdir(), 'synack-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synack new', () => {
  it('writes a starter file that "synack run" runs with every expectation holding', async () => {
    const path = join(dir, 'starter.yaml');
    const made = await capture(['new', 'starter', '-o', path]);
    expect(made).toEqual({ code: 0, stdout: `wrote ${path}; run it with: synack run ${path}\n`, stderr: '' });
    expect(readFileSync(path, 'utf8')).toMatch(/^# starter: a synack scenario/);
    const ran = await capture(['run', path]);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('Expectations: 5 of 5 hold');
    expect(ran.stdout).toContain('[SYN]');
  });

  it('refuses to overwrite a file unless --force', async () => {
    const path = join(dir, 'exists.yaml');
    writeFileSync(path, 'mine');
    expect(await capture(['new', 'exists', '-o', path])).toEqual({ code: 2, stdout: '', stderr: `synack: ${path} already exists; use --force to overwrite it\n` });
    expect(readFileSync(path, 'utf8')).toBe('mine');
    expect((await capture(['new', 'exists', '-o', path, '--force'])).code).toBe(0);
  });

  it('refuses a name that is not lower-case words', async () => {
    const r = await capture(['new', 'My Scenario']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('synack: bad name "My Scenario": expected lower-case words joined by -, e.g. "slow-server"\n');
    expect(existsSync('My Scenario.yaml')).toBe(false);
  });
});

describe('synack run FILE', () => {
  const starter = async (name: string): Promise<string> => {
    const path = join(dir, `${name}.yaml`);
    await capture(['new', name, '-o', path]);
    return path;
  };

  it('exits 1 and names the failed expectation when the run does not meet it', async () => {
    const path = await starter('failing');
    writeFileSync(path, readFileSync(path, 'utf8').replace('state: TIME_WAIT, at: 1', 'state: ESTABLISHED, at: 1'));
    const r = await capture(['run', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  FAIL  client: c is ESTABLISHED at 1 s (got TIME_WAIT)');
    expect(r.stderr).toBe('synack: 1 of 5 expectations failed (client: c is ESTABLISHED at 1 s: got TIME_WAIT)\n');
  });

  it('a bad file: exit 2, one line per problem with file:line:col, nothing run', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'summary: x\nhosts:\n  a: { address: 10.0.0.1, colour: red }\n  b: { address: 10.0.0.2 }\n');
    const r = await capture(['run', path]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `synack: ${path}:3:27: unknown key "colour" (expected one of: address, profile, knobs, mtu)\n` });
  });

  it('a file that does not exist, or a directory', async () => {
    expect(await capture(['run', join(dir, 'nope.yaml')])).toEqual({ code: 2, stdout: '', stderr: `synack: ${join(dir, 'nope.yaml')}: no such file\n` });
    expect((await capture(['run', `${dir}/`])).stderr).toBe(`synack: ${dir}/: is a directory, not a scenario file\n`);
  });

  it('--json prints the trace of a file scenario', async () => {
    const r = await capture(['run', await starter('json'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'synack-trace', scenario: 'json' });
  });

  it('a number past its limit: exit 2, the message names the limit, nothing run', async () => {
    const path = join(dir, 'long.yaml');
    writeFileSync(path, readFileSync(await starter('long-base'), 'utf8').replace('link: { latency: 1ms }', 'link: { latency: 86401 }'));
    const r = await capture(['run', path]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `synack: ${path}:12:18: expected a duration of at most 1 day (86400 s), found 86401\n` });
  });

  it('a prototype-named knob is an unknown knob (exit 2), not an internal error', async () => {
    const path = join(dir, 'proto.yaml');
    writeFileSync(path, readFileSync(await starter('proto-base'), 'utf8').replace('link: { latency: 1ms }', 'knobs: { constructor: 1 }'));
    const r = await capture(['run', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^synack: .*proto\.yaml:12:10: unknown knob "constructor"/);
  });

  it('a run stopped by its step budget: exit 2 with one line naming the budget, nothing printed', async () => {
    const path = join(dir, 'spin.yaml');
    const body = Array(10).fill('{ setsockopt: { socket: s, option: TCP_NODELAY, value: 1 } }').join(', ');
    writeFileSync(path, `summary: a loop that never blocks and never fails\nhosts:\n  a: { address: 10.0.0.1 }\n  b: { address: 10.0.0.2 }\nprograms:\n  - host: a\n    steps:\n      - socket: s\n      - repeat: { until: error, steps: [${body}] }\n`);
    const r = await capture(['run', path]);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `synack: ${path}: the run was stopped after 1000000 program steps (its budget): a scenario that never settles?\n` });
  }, 30_000);

  it('--pcap to a place that cannot be written is a user error', async () => {
    const r = await capture(['run', await starter('nowhere'), '--pcap', join(dir, 'no/such/dir/x.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`synack: cannot write ${join(dir, 'no/such/dir/x.pcap')}: ENOENT\n`);
  });
});
