// The capture programs: which file runs, with which nft ruleset, and the TCP states each end passes through
// (written by hand from what Linux does; test/support/netns/programs.test.ts checks them against `ss` at the
// programs' marks, test/replay/real-captures.test.ts against synack's replay).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LoopbackRun } from '../../test/support/netns/run.js';

export interface CaptureSpec {
  name: string;
  summary: string;
  /** File in programs/: .mjs runs with node, .py with python3. */
  program: string;
  /** nft ruleset file in programs/, loaded in the namespace before the program runs. */
  nft?: string;
  /** The server's port (the client's is ephemeral). */
  port: number;
  /**
   * The states each end enters, in order, as synack names them. The state an end is in before its first packet
   * (CLOSED, or LISTEN for the server) is not listed; an end that never had a socket has [].
   */
  states: { client: string[]; server: string[] };
}

const ACTIVE_CLOSE = ['FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT'];
const PASSIVE_CLOSE = ['CLOSE_WAIT', 'LAST_ACK', 'CLOSED'];

export const CAPTURES: readonly CaptureSpec[] = [
  {
    name: 'echo',
    summary: 'connect, "Hello, world" echoed back, the client closes first',
    program: 'echo.mjs',
    port: 5000,
    states: {
      client: ['SYN_SENT', 'ESTABLISHED', ...ACTIVE_CLOSE],
      server: ['SYN_RECEIVED', 'ESTABLISHED', ...PASSIVE_CLOSE],
    },
  },
  {
    name: 'server-closes-first',
    summary: 'the server echoes and closes first; the client closes 200 ms after the server\'s FIN',
    program: 'server-closes-first.mjs',
    port: 5000,
    states: {
      client: ['SYN_SENT', 'ESTABLISHED', ...PASSIVE_CLOSE],
      server: ['SYN_RECEIVED', 'ESTABLISHED', ...ACTIVE_CLOSE],
    },
  },
  {
    name: 'connection-refused',
    summary: 'connect to a port nobody listens on: SYN, RST-ACK, ECONNREFUSED',
    program: 'connection-refused.mjs',
    port: 5000,
    states: { client: ['SYN_SENT', 'CLOSED'], server: [] },
  },
  {
    name: 'abort',
    summary: 'the client ends with socket.resetAndDestroy(): RST instead of FIN',
    program: 'abort.mjs',
    port: 5000,
    states: {
      client: ['SYN_SENT', 'ESTABLISHED', 'CLOSED'],
      server: ['SYN_RECEIVED', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'close-with-unread-data',
    summary: 'the server close()s with unread data in its receive queue: RST (python)',
    program: 'close-with-unread-data.py',
    port: 5000,
    states: {
      client: ['SYN_SENT', 'ESTABLISHED', 'CLOSED'],
      server: ['SYN_RECEIVED', 'ESTABLISHED', 'CLOSED'],
    },
  },
  {
    name: 'half-close',
    summary: 'the client shuts down its sending side; the server sends two more segments, then closes',
    program: 'half-close.mjs',
    port: 5000,
    states: {
      client: ['SYN_SENT', 'ESTABLISHED', ...ACTIVE_CLOSE],
      server: ['SYN_RECEIVED', 'ESTABLISHED', ...PASSIVE_CLOSE],
    },
  },
  {
    name: 'lost-syn-ack',
    summary: 'echo with the first SYN-ACK dropped after tcpdump saw it; SYN-ACK and SYN retransmitted after 1 s',
    program: 'echo.mjs',
    nft: 'lost-syn-ack.nft',
    port: 5000,
    states: {
      client: ['SYN_SENT', 'ESTABLISHED', ...ACTIVE_CLOSE],
      server: ['SYN_RECEIVED', 'ESTABLISHED', ...PASSIVE_CLOSE],
    },
  },
  {
    name: 'simultaneous-close',
    summary: 'both ends close before receiving the other\'s FIN (the client\'s first FIN is dropped after tcpdump saw it)',
    program: 'simultaneous-close.mjs',
    nft: 'simultaneous-close.nft',
    port: 5000,
    states: {
      client: ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT'],
      server: ['SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT'],
    },
  },
];

export const PROGRAMS_DIR = fileURLToPath(new URL('./programs/', import.meta.url));

export function captureSpec(name: string): CaptureSpec {
  const spec = CAPTURES.find((c) => c.name === name);
  if (!spec) throw new Error(`no capture program "${name}"; known: ${CAPTURES.map((c) => c.name).join(', ')}`);
  return spec;
}

/** The harness run for a capture program: its source, its nft ruleset, and a tcpdump filter on its port. */
export function loopbackRunFor(spec: CaptureSpec): LoopbackRun {
  const read = (file: string): string => readFileSync(PROGRAMS_DIR + file, 'utf8');
  const run: LoopbackRun = {
    program: spec.program.endsWith('.py')
      ? { lang: 'python', source: read(spec.program) }
      : { lang: 'node', source: read(spec.program), files: { 'marks.mjs': read('marks.mjs') } },
    port: spec.port,
  };
  if (spec.nft !== undefined) run.nft = read(spec.nft);
  return run;
}
