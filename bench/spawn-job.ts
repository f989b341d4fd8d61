// Runs one bench/child.ts job in a process of its own, with a wall-clock cap it cannot outlive.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job } from './child.js';

export interface JobOutcome<T> {
  /** ok: finished; capped: stopped itself at the cap; killed: did not even stop itself; error: threw or crashed. */
  status: 'ok' | 'capped' | 'killed' | 'error';
  result?: T;
  /** The last progress count it printed (lifecycles closed, connections set up). */
  progress: number;
  error?: string;
}

/** The child as compiled next to this file (dist-bench/bench/child.js), or through tsx when this is the .ts source. */
function childCommand(): string[] {
  const self = fileURLToPath(import.meta.url);
  return self.endsWith('.ts') ? ['--import', 'tsx', self.replace(/spawn-job\.ts$/, 'child.ts')] : [self.replace(/spawn-job\.js$/, 'child.js')];
}

export function runJob<T>(job: Job, nodeFlags: string[] = []): Promise<JobOutcome<T>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, ...childCommand(), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let progress = 0;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      for (const m of d.matchAll(/^PROGRESS (\d+)$/gm)) progress = Number(m[1]);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    // The child stops itself at capMs; a synchronous stretch can delay that, so a hard stop 30 s later.
    const kill = setTimeout(() => child.kill('SIGKILL'), job.capMs + 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      const line = /^RESULT (.*)$/m.exec(out)?.[1];
      if (!line) {
        const why = signal === 'SIGKILL' ? undefined : `exit ${code ?? signal}: ${err.trim().split('\n').slice(-3).join(' ')}`;
        resolve(why ? { status: 'error', progress, error: why } : { status: 'killed', progress });
        return;
      }
      const parsed = JSON.parse(line) as { capped?: boolean; progress?: number; error?: string };
      if (parsed.error !== undefined) resolve({ status: 'error', progress, error: parsed.error });
      else if (parsed.capped === true) resolve({ status: 'capped', progress: parsed.progress ?? progress });
      else resolve({ status: 'ok', result: parsed as T, progress });
    });
  });
}
