// Issue 11's CLI target as a user sees it: the wall time of the whole process `node bin/synack.js run FILE --json`,
// its stdout written to a file, for a scenario file of N sequential lifecycles (bench/cli-scenario.ts).
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lifecycleScenarioYaml } from './cli-scenario.js';
import type { Measured } from './measure.js';
import { selfTimes, type CpuProfile, type SelfTime } from './profile-summary.js';

export interface CliRun extends Measured {
  /** Bytes of trace JSON the run wrote. */
  outBytes?: number;
}

/** How many times `needle` occurs in `text`. */
export function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Runs the CLI once on a fresh file of `n` lifecycles, killed after `capMs`; ok only when it exits 0 and its
 * trace shows `n` clients entering TIME_WAIT (each lifecycle closed, the client first).
 */
export async function timeCliRun(root: string, n: number, capMs: number, nodeFlags: string[] = []): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'synack-cli-'));
  try {
    const file = join(dir, `lifecycles-${n}.yaml`);
    const out = join(dir, 'trace.json');
    writeFileSync(file, lifecycleScenarioYaml(n));
    const fd = openSync(out, 'w');
    let r: { code: number | null; signal: NodeJS.Signals | null; ms: number; stderr: string };
    try {
      r = await new Promise((resolve) => {
        const start = performance.now();
        const child = spawn(process.execPath, [...nodeFlags, join(root, 'bin/synack.js'), 'run', file, '--json'], { cwd: dir, stdio: ['ignore', fd, 'pipe'] });
        let stderr = '';
        child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const kill = setTimeout(() => child.kill('SIGKILL'), capMs);
        child.on('close', (code, signal) => {
          clearTimeout(kill);
          resolve({ code, signal, ms: performance.now() - start, stderr });
        });
      });
    } finally {
      closeSync(fd);
    }
    if (r.signal === 'SIGKILL') return { status: 'capped', note: `did not finish in ${capMs / 1000} s` };
    if (r.code !== 0) return { status: 'error', note: `exit ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
    const outBytes = statSync(out).size;
    // The trace as JSON.stringify(trace, null, 2) writes it: each state event entering TIME_WAIT holds "to": "TIME_WAIT" once.
    const timeWaits = occurrences(readFileSync(out, 'utf8'), '"to": "TIME_WAIT"');
    if (timeWaits !== n) return { status: 'error', note: `${timeWaits} of ${n} lifecycles reached TIME_WAIT in the trace` };
    return { status: 'ok', ms: r.ms, done: n, outBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One more run of `n` lifecycles under `node --cpu-prof`: its top functions by self time. */
export async function profileCliRun(root: string, n: number, capMs: number, top = 15): Promise<SelfTime[] | string> {
  const dir = mkdtempSync(join(tmpdir(), 'synack-cli-prof-'));
  try {
    const m = await timeCliRun(root, n, capMs, ['--cpu-prof', '--cpu-prof-dir', dir]);
    if (m.status !== 'ok') return `no profile: ${m.note ?? m.status}`;
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    return file ? selfTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, root, top) : 'no profile written';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
