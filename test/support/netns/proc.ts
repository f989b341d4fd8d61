// Child processes for the loopback harness: one-shot commands with a clear error on failure, and long-running
// ones whose output is collected and whose exit can be awaited with a deadline.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Running {
  child: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  out: { stdout: string; stderr: string };
  /** Resolves once the process has exited and its stdio is closed (never rejects). */
  closed: Promise<Exit>;
  /** True until `closed` has resolved. */
  alive: () => boolean;
}

export function describeExit(exit: Exit): string {
  return exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${String(exit.code)}`;
}

/** Children still running, killed if this process exits first (a worker torn down mid-run). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) {
      if (child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
  });
}

/** Starts `argv`; stdout and stderr are collected as text. A spawn error (no such program) counts as exit 127. */
export function start(argv: readonly string[], options: SpawnOptions = {}): Running {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('start: empty command line');
  killAllOnExit();
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...options });
  running.add(child);
  const out = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (s: string) => (out.stdout += s));
  child.stderr?.on('data', (s: string) => (out.stderr += s));
  // Writing to a program that already exited must not crash the harness.
  child.stdin?.on('error', () => undefined);
  let done = false;
  const closed = new Promise<Exit>((resolve) => {
    child.once('error', (e) => {
      out.stderr += `${argv.join(' ')}: ${e.message}\n`;
      done = true;
      running.delete(child);
      resolve({ code: 127, signal: null });
    });
    child.once('close', (code, signal) => {
      done = true;
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return { child, out, closed, alive: () => !done };
}

/** Resolves with the exit, or with undefined when `ms` pass first. */
export async function waitFor(p: Promise<Exit>, ms: number): Promise<Exit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `signal` to a process this harness started, if it is still running. */
export function signalIfAlive(r: Running, signal: NodeJS.Signals): void {
  if (r.alive() && r.child.pid !== undefined) {
    try {
      process.kill(r.child.pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Runs a command to completion and returns its stdout; throws an Error naming the command, its exit and its
 * stderr when it fails or takes longer than `timeoutMs`.
 */
export async function run(argv: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = start(argv);
  r.child.stdin?.end(opts.input ?? '');
  const exit = await waitFor(r.closed, opts.timeoutMs ?? 10_000);
  if (exit === undefined) {
    signalIfAlive(r, 'SIGKILL');
    await r.closed;
    throw new Error(`\`${argv.join(' ')}\` did not finish within ${opts.timeoutMs ?? 10_000} ms`);
  }
  if (exit.code !== 0) {
    const err = r.out.stderr.trim() || r.out.stdout.trim() || '(no output)';
    throw new Error(`\`${argv.join(' ')}\` failed (${describeExit(exit)}): ${err}`);
  }
  return r.out.stdout;
}
