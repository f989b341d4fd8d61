// tcpdump on lo inside a namespace, written to a file: started and waited for ("listening on"), then stopped with
// SIGINT and waited for, so the file is complete. Refuses a capture in which the kernel dropped packets.
import type { Netns } from './namespace.js';
import { describeExit, signalIfAlive, start, waitFor } from './proc.js';
import type { Running } from './proc.js';

export interface Capture {
  /** Stops the capture (SIGINT), waits for tcpdump to exit, and checks that nothing was dropped. */
  stop(): Promise<void>;
  /** Kills tcpdump if it still runs (cleanup after a failure). */
  kill(): void;
}

const START_TIMEOUT_MS = 5000;
const STOP_TIMEOUT_MS = 5000;

/** The BPF filter: all TCP, or TCP to/from one port. */
export function tcpFilter(port?: number): string[] {
  return port === undefined ? ['tcp'] : ['tcp', 'port', String(port)];
}

async function listening(r: Running): Promise<boolean> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (r.out.stderr.includes('listening on')) return true;
    if (!r.alive()) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return false;
}

export async function startCapture(ns: Netns, file: string, port?: number): Promise<Capture> {
  // -U: write each packet as it arrives; --immediate-mode: no buffering in libpcap's ring, so nothing is left
  // behind at SIGINT; -s 65600: whole packets on lo (MTU up to 65536, plus the Ethernet header); -B 32768: a
  // 32 MiB ring. The ring holds buffer / slot-size packets and a slot is as big as the snap length: with -s 0
  // (262144) and the default 2 MiB, about 8, and a burst of small segments on lo overflowed it ("10 packets
  // dropped by kernel"). -Z root: keep writing into the harness's root-owned temp directory.
  const options = ['-i', 'lo', '-n', '-U', '--immediate-mode', '-s', '65600', '-B', '32768', '-Z', 'root', '-w', file];
  const argv = ns.exec(['tcpdump', ...options, ...tcpFilter(port)]);
  const r = start(argv);
  if (!(await listening(r))) {
    signalIfAlive(r, 'SIGKILL');
    const exit = await r.closed;
    throw new Error(`tcpdump did not start (${describeExit(exit)}): ${r.out.stderr.trim() || '(no output)'}`);
  }
  return {
    kill: () => signalIfAlive(r, 'SIGKILL'),
    stop: async () => {
      signalIfAlive(r, 'SIGINT');
      const exit = await waitFor(r.closed, STOP_TIMEOUT_MS);
      if (exit === undefined) {
        signalIfAlive(r, 'SIGKILL');
        throw new Error(`tcpdump did not stop within ${STOP_TIMEOUT_MS} ms of SIGINT`);
      }
      if (exit.code !== 0) throw new Error(`tcpdump failed (${describeExit(exit)}): ${r.out.stderr.trim()}`);
      const dropped = /(\d+) packets? dropped by kernel/.exec(r.out.stderr);
      if (dropped && Number(dropped[1]) > 0) {
        throw new Error(`tcpdump lost packets, the capture is incomplete: ${r.out.stderr.trim()}`);
      }
    },
  };
}
