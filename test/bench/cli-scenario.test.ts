// The scenario file of the CLI benchmark (bench/cli-scenario.ts) at a tiny size (not timed): it must be a valid
// file that `synack run --json` runs to the end, with one connection per lifecycle, or the bench's CLI row
// would time something else.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { lifecycleScenarioYaml } from '../../bench/cli-scenario.js';

interface Ev {
  kind: string;
  host?: string;
  to?: string;
  flags?: string[];
  len?: number;
  src?: string;
}

const dir = mkdtempSync(join(tmpdir(), 'synack-cli-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runJson(n: number): Promise<{ code: number; events: Ev[]; stderr: string }> {
  const file = join(dir, `life-${n}.yaml`);
  writeFileSync(file, lifecycleScenarioYaml(n));
  let out = '';
  let stderr = '';
  const code = await main(['run', file, '--json'], { stdout: (s) => (out += s), stderr: (s) => (stderr += s) });
  return { code, events: code === 0 ? (JSON.parse(out) as { events: Ev[] }).events : [], stderr };
}

describe('the CLI benchmark scenario file', () => {
  it('runs 3 lifecycles: 3 connections, each 100 bytes each way, the client closing first into TIME_WAIT', async () => {
    const { code, events, stderr } = await runJson(3);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const segs = events.filter((e) => e.kind === 'segment');
    // One connection per lifecycle: one SYN without ACK, from a port of its own.
    const syns = segs.filter((s) => s.flags!.includes('SYN') && !s.flags!.includes('ACK'));
    expect(syns).toHaveLength(3);
    expect(new Set(syns.map((s) => s.src)).size).toBe(3);
    // 100 bytes each way per connection.
    const bytesFrom = (host: string) => segs.filter((s) => s.src!.startsWith(host)).reduce((sum, s) => sum + s.len!, 0);
    expect(bytesFrom('10.0.0.1:')).toBe(300);
    expect(bytesFrom('10.0.0.2:')).toBe(300);
    // RFC 9293 3.6: the end that closes first waits in TIME_WAIT; here the client, every time.
    const entered = (host: string, to: string) => events.filter((e) => e.kind === 'state' && e.host === host && e.to === to).length;
    expect(entered('client', 'TIME_WAIT')).toBe(3);
    expect(entered('server', 'TIME_WAIT')).toBe(0);
    expect(entered('server', 'LAST_ACK')).toBe(3);
  });

  it('grows by lifecycles, not by anything else: 6 lifecycles send twice the segments of 3', async () => {
    const three = (await runJson(3)).events.filter((e) => e.kind === 'segment').length;
    const six = (await runJson(6)).events.filter((e) => e.kind === 'segment').length;
    expect(three).toBeGreaterThan(0);
    expect(six).toBe(2 * three);
  });

  it('refuses a count that a repeat loop cannot hold', () => {
    expect(() => lifecycleScenarioYaml(0)).toThrow(RangeError);
    expect(() => lifecycleScenarioYaml(100_001)).toThrow(/1 to 100000/);
  });
});
