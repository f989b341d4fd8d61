// Fresh network namespaces for loopback experiments: `ip netns add synack-<pid>-<random>`, lo up, and deletion
// afterwards — also when the test fails, when the process exits, and (for namespaces left behind by a process
// that was killed) on the next run. Nothing here touches the host's own namespace.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { run } from './proc.js';

const PREFIX = 'synack-';
/** synack-<pid of the creating process>-<8 hex digits>; scripts/kernel uses synack-kc-N, which never matches. */
const OURS = /^synack-(\d+)-[0-9a-f]{8}$/;

const live = new Set<string>();
let exitHookInstalled = false;
let swept = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const name of live) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes namespaces this harness made in a process that no longer exists (a run killed with SIGKILL), after
 * killing the programs still running inside them (their pids come from `ip netns pids`).
 */
function sweepLeftovers(): void {
  if (swept) return;
  swept = true;
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  for (const line of (list.stdout ?? '').split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const m = OURS.exec(name);
    if (!m || pidAlive(Number(m[1]))) continue;
    const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' });
    for (const p of (pids.stdout ?? '').split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(p), 'SIGKILL');
      } catch {
        // gone already
      }
    }
    spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  }
}

export interface Netns {
  name: string;
  /** The argv that runs `argv` inside the namespace. */
  exec(argv: readonly string[]): string[];
  /** Deletes the namespace (idempotent; never throws). */
  remove(): Promise<void>;
}

/** Creates a uniquely named namespace with lo up. */
export async function createNetns(): Promise<Netns> {
  installExitHook();
  sweepLeftovers();
  const name = `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`;
  await run(['ip', 'netns', 'add', name]);
  live.add(name);
  const ns: Netns = {
    name,
    exec: (argv) => ['ip', 'netns', 'exec', name, ...argv],
    remove: async () => {
      if (!live.has(name)) return;
      live.delete(name);
      try {
        await run(['ip', 'netns', 'del', name]);
      } catch {
        // Deletion can only fail if someone else removed it; nothing is left to clean.
      }
    },
  };
  try {
    await run(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  } catch (e) {
    await ns.remove();
    throw e;
  }
  return ns;
}

/** Names of the namespaces this process has created and not yet deleted (for tests of the cleanup). */
export function liveNamespaces(): string[] {
  return [...live];
}
