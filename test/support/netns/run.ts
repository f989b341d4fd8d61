// Runs a real socket program (node:net, or python3's socket module) on lo in a fresh network namespace, with
// tcpdump capturing and `ss -tan` read at the moments the program asks for.
//
// The program protocol: it prints `MARK <name>` on stdout when it wants socket states recorded, then waits for a
// line on stdin ("go") before it continues, so ss runs while the program is paused. It must print `MARK end` right
// before it exits (with its connections settled), which gives the final socket states.
//
// Sequence: namespace, sysctls, nft ruleset, tcpdump (waited for), program, settle 100 ms, tcpdump stopped with
// SIGINT and waited for. The namespace and the temp directory are deleted afterwards whatever happened.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { constants, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns } from './namespace.js';
import type { Netns } from './namespace.js';
import { describeExit, run as runCommand, signalIfAlive, start, waitFor } from './proc.js';
import type { Exit, Running } from './proc.js';
import { parseSs } from './ss.js';
import type { SsSocket } from './ss.js';
import { startCapture } from './tcpdump.js';
import type { Capture } from './tcpdump.js';

export type { SsSocket } from './ss.js';

export interface LoopbackRun {
  /** The program (see the protocol above); `files` are more files written next to it (modules it imports, e.g. marks.mjs). */
  program: { lang: 'node' | 'python'; source: string; files?: Record<string, string> };
  /** Set inside the namespace before anything runs, e.g. { 'net.ipv4.tcp_fin_timeout': 5 }. Only net.* keys. */
  sysctls?: Record<string, string | number>;
  /** An nft ruleset (text, as for `nft -f`) loaded inside the namespace, for scripted loss. */
  nft?: string;
  /** Capture only TCP to/from this port (default: all TCP). */
  port?: number;
  /** Wall-clock limit for the program (default 10 000 ms). */
  timeoutMs?: number;
  /** Return the result of a program that exits non-zero instead of throwing (default false). */
  allowFailure?: boolean;
  /** The MTU of lo in the namespace (default: the kernel's, 65536); 1500 makes the kernel advertise MSS 1460. */
  loMtu?: number;
  /**
   * Stop the capture when the program prints `MARK end` (after `ss`, before the program is let go), so what the
   * program's exit does to its still-open sockets is not captured. Default false.
   */
  stopCaptureAtEnd?: boolean;
}

export interface LoopbackResult {
  /** The tcpdump file (classic pcap, link type Ethernet on Linux lo). */
  pcap: Uint8Array;
  /** `ss -tan` at each mark, by mark name; "end" is always there for a program that exited 0. */
  ss: Record<string, SsSocket[]>;
  stdout: string;
  stderr: string;
  exitCode: number;
  /** `uname -r`. */
  kernel: string;
}

/** A program failed, timed out or broke the protocol; the message includes its stderr. */
export class LoopbackError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'LoopbackError';
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;
const SETTLE_MS = 100;
const TOOLS: Array<[string, string[]]> = [
  ['ip', ['-V']],
  ['tcpdump', ['--version']],
  ['ss', ['-V']],
  ['unshare', ['--version']],
  ['nft', ['--version']],
  ['python3', ['--version']],
];
let availability: { ok: true } | { ok: false; why: string } | undefined;

/** Whether runOnLoopback can work here: root, the tools it runs, and a network namespace can be made. */
export function loopbackAvailable(): { ok: true } | { ok: false; why: string } {
  if (availability) return availability;
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push('Linux');
  if (process.getuid?.() !== 0) missing.push('root');
  for (const [tool, args] of TOOLS) {
    if (spawnSync(tool, args, { stdio: 'ignore' }).status !== 0) missing.push(tool);
  }
  if (missing.length === 0 && spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) {
    missing.push('permission to create network namespaces (unshare -n true failed)');
  }
  availability = missing.length === 0 ? { ok: true } : { ok: false, why: `missing: ${missing.join(', ')}` };
  return availability;
}

function validate(r: LoopbackRun): void {
  if (r.program.lang !== 'node' && r.program.lang !== 'python') {
    throw new Error(`program.lang must be 'node' or 'python', got ${JSON.stringify(r.program.lang)}`);
  }
  if (typeof r.program.source !== 'string' || r.program.source.trim() === '') throw new Error('program.source is empty');
  for (const [key, value] of Object.entries(r.sysctls ?? {})) {
    // Outside net.* a sysctl is global: setting it "in the namespace" would change the host.
    if (!/^net\.[A-Za-z0-9_.-]+$/.test(key)) throw new Error(`sysctl "${key}" is not a net.* key (only those are per-namespace)`);
    if (!/^[^\n=]+$/.test(String(value))) throw new Error(`sysctl ${key}: bad value ${JSON.stringify(value)}`);
  }
  if (r.port !== undefined && (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535)) {
    throw new Error(`port must be an integer in 1..65535, got ${String(r.port)}`);
  }
  if (r.loMtu !== undefined && !(Number.isInteger(r.loMtu) && r.loMtu >= 68 && r.loMtu <= 65536)) {
    throw new Error(`loMtu must be an integer in 68..65536, got ${String(r.loMtu)}`);
  }
  if (r.timeoutMs !== undefined && !(r.timeoutMs > 0)) {
    throw new Error(`timeoutMs must be positive, got ${String(r.timeoutMs)}`);
  }
}

function programArgv(lang: 'node' | 'python', file: string): string[] {
  return lang === 'node' ? [process.execPath, file] : ['python3', '-u', file];
}

/** Runs the program; answers each MARK after recording `ss -tan`. Throws LoopbackError on any failure. */
async function driveProgram(
  ns: Netns,
  argv: string[],
  cwd: string,
  timeoutMs: number,
  ss: Map<string, SsSocket[]>,
  atEnd?: () => Promise<void>,
) {
  const prog: Running = start(ns.exec(argv), { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  const fail = (why: string): LoopbackError =>
    new LoopbackError(
      [
        why,
        '--- program stderr ---',
        prog.out.stderr.trim() || '(empty)',
        '--- program stdout ---',
        prog.out.stdout.trim() || '(empty)',
      ].join('\n'),
      prog.out.stdout,
      prog.out.stderr,
    );
  let problem: string | undefined;
  let pending = Promise.resolve();
  let buffered = '';
  prog.child.stdout?.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!/^MARK\b/.test(line)) continue;
      const m = /^MARK\s+(\S+)$/.exec(line);
      const mark = m?.[1];
      // Marks are answered one at a time, in order.
      pending = pending.then(async () => {
        if (problem) return;
        if (mark === undefined) {
          problem = `bad mark line "${line}": expected "MARK <name>" with a name without spaces`;
          signalIfAlive(prog, 'SIGKILL');
          return;
        }
        if (ss.has(mark)) {
          problem = `the program printed "MARK ${mark}" twice`;
          signalIfAlive(prog, 'SIGKILL');
          return;
        }
        try {
          ss.set(mark, parseSs(await runCommand(ns.exec(['ss', '-tan']))));
        } catch (e) {
          problem = `ss at mark "${mark}" failed: ${(e as Error).message}`;
          signalIfAlive(prog, 'SIGKILL');
          return;
        }
        if (mark === 'end' && atEnd) {
          try {
            await atEnd();
          } catch (e) {
            problem = (e as Error).message;
            signalIfAlive(prog, 'SIGKILL');
            return;
          }
        }
        prog.child.stdin?.write('go\n');
      });
    }
  });
  const exit: Exit | undefined = await waitFor(prog.closed, timeoutMs);
  if (exit === undefined) {
    signalIfAlive(prog, 'SIGKILL');
    await prog.closed;
    const marks = [...ss.keys()];
    const answered = marks.length ? marks.join(', ') : 'none';
    throw fail(`the program did not finish within ${timeoutMs} ms (marks answered: ${answered})`);
  }
  await pending;
  if (problem) throw fail(problem);
  return { exit, prog, fail };
}

export async function runOnLoopback(run: LoopbackRun): Promise<LoopbackResult> {
  validate(run);
  const available = loopbackAvailable();
  if (!available.ok) throw new Error(`runOnLoopback cannot run here: ${available.why}`);
  const timeoutMs = run.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const dir = await mkdtemp(join(tmpdir(), 'synack-netns-'));
  let ns: Netns | undefined;
  let capture: Capture | undefined;
  try {
    ns = await createNetns();
    if (run.loMtu !== undefined) await runCommand(['ip', '-n', ns.name, 'link', 'set', 'lo', 'mtu', String(run.loMtu)]);
    for (const [key, value] of Object.entries(run.sysctls ?? {})) {
      // Written from inside the namespace: /proc/sys/net is the opening process's namespace's.
      const file = `/proc/sys/${key.replaceAll('.', '/')}`;
      const write = ns.exec(['sh', '-c', 'printf "%s\\n" "$1" > "$2"', 'sh', String(value), file]);
      await runCommand(write).catch((e: Error) => {
        throw new Error(`cannot set sysctl ${key}=${String(value)} in the namespace (${file}): ${e.message}`);
      });
    }
    if (run.nft !== undefined) {
      const rules = join(dir, 'rules.nft');
      await writeFile(rules, run.nft);
      await runCommand(ns.exec(['nft', '-f', rules])).catch((e: Error) => {
        throw new Error(`cannot load the nft ruleset: ${e.message}`);
      });
    }
    const pcapFile = join(dir, 'capture.pcap');
    capture = await startCapture(ns, pcapFile, run.port);
    const programFile = join(dir, run.program.lang === 'node' ? 'program.mjs' : 'program.py');
    await writeFile(programFile, run.program.source);
    for (const [name, text] of Object.entries(run.program.files ?? {})) await writeFile(join(dir, name), text);
    const ss = new Map<string, SsSocket[]>();
    const started = capture;
    let stopped: Promise<void> | undefined;
    const stopCapture = (): Promise<void> => (stopped ??= started.stop());
    const atEnd = run.stopCaptureAtEnd ? stopCapture : undefined;
    const { exit, prog, fail } = await driveProgram(ns, programArgv(run.program.lang, programFile), dir, timeoutMs, ss, atEnd);
    if (exit.code !== 0 && !run.allowFailure) throw fail(`the program failed (${describeExit(exit)})`);
    if (exit.code === 0 && !ss.has('end')) throw fail('the program exited without printing "MARK end"');
    if (!stopped) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await stopCapture();
    return {
      pcap: new Uint8Array(await readFile(pcapFile)),
      ss: Object.fromEntries(ss),
      stdout: prog.out.stdout,
      stderr: prog.out.stderr,
      exitCode: exit.code ?? 128 + (exit.signal ? (constants.signals[exit.signal] ?? 0) : 0),
      kernel: release(),
    };
  } finally {
    capture?.kill();
    await ns?.remove();
    await rm(dir, { recursive: true, force: true });
  }
}
