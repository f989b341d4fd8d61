// The conformance cases: scenario files that run both in the simulator (linux profile) and on the kernel, and must
// give the same packets, call results and socket states. Built-in scenarios are used as they are where the kernel
// can run them; test/conformance/cases/ holds the files written for a kernel (short timers through sysctls,
// crossings made with a dropped packet instead of a long link).

export interface ConformanceCase {
  name: string;
  /** Scenario file, relative to the repository root. */
  scenario: string;
  /** Extra moments (seconds) at which `ss -tan` is compared with the model's states. */
  marks?: number[];
  /** Stop the real run here (seconds) instead of just after the model's last packet or call. */
  end?: number;
  /** Force a runner; by default node:net, python when node:net cannot express the program (node-support.ts). */
  runner?: 'node' | 'python';
  why?: string;
  /** Time tolerance override (µs allowed at time t µs). */
  tolerance?: (t: number) => number;
}

const CASES_DIR = 'test/conformance/cases';

export const CASES: readonly ConformanceCase[] = [
  { name: 'handshake', scenario: 'scenarios/01-three-way-handshake.yaml', marks: [0.1] },
  { name: 'echo', scenario: 'scenarios/02-echo.yaml' },
  { name: 'client-closes-first', scenario: 'scenarios/03-client-closes-first.yaml' },
  { name: 'server-closes-first', scenario: 'scenarios/04-server-closes-first.yaml' },
  { name: 'simultaneous-close', scenario: `${CASES_DIR}/simultaneous-close.yaml` },
  { name: 'connection-refused', scenario: 'scenarios/07-connection-refused.yaml' },
  { name: 'abort-rst', scenario: 'scenarios/09-abort-rst.yaml' },
  { name: 'close-with-unread-data', scenario: 'scenarios/10-close-with-unread-data.yaml' },
  { name: 'half-close', scenario: 'scenarios/08-half-close.yaml' },
  { name: 'lost-syn', scenario: 'scenarios/11-lost-syn.yaml' },
  { name: 'lost-syn-ack', scenario: 'scenarios/12-lost-syn-ack.yaml' },
  { name: 'lost-final-ack', scenario: 'scenarios/13-lost-final-ack.yaml' },
  { name: 'lost-fin', scenario: 'scenarios/14-lost-fin.yaml' },
  { name: 'backlog-overflow', scenario: `${CASES_DIR}/backlog-overflow.yaml`, marks: [0.5] },
  { name: 'time-wait-rebind-plain', scenario: `${CASES_DIR}/time-wait-rebind-plain.yaml` },
  { name: 'time-wait-rebind-old-reuse', scenario: `${CASES_DIR}/time-wait-rebind-old-reuse.yaml` },
  { name: 'time-wait-rebind-new-reuse', scenario: `${CASES_DIR}/time-wait-rebind-new-reuse.yaml` },
  { name: 'time-wait-rebind-both-reuse', scenario: `${CASES_DIR}/time-wait-rebind-both-reuse.yaml` },
  { name: 'orphaned-fin-wait-2', scenario: `${CASES_DIR}/orphaned-fin-wait-2.yaml` },
  { name: 'many-sequential-clients', scenario: `${CASES_DIR}/many-sequential-clients.yaml` },
  { name: 'iterative-server', scenario: 'scenarios/20-many-clients.yaml', marks: [0.25, 0.75, 1.25] },
  { name: 'byte-stream-coalescing', scenario: 'scenarios/21-byte-stream-coalescing.yaml' },
  { name: 'syn-to-time-wait', scenario: 'scenarios/26-syn-to-time-wait.yaml' },
];
