// Behaviour profiles. `linux` is what a current Linux kernel does (its sysctl knobs are the fields
// with snake_case-like names in docs); `rfc9293` is the textbook behaviour of RFC 9293.
// Where the two differ the difference is written up in docs/linux-vs-rfc.md.

import type { BugName } from './bugs.js';

/** Microseconds. */
const MS = 1000;
const S = 1000 * MS;

export interface Profile {
  name: 'linux' | 'rfc9293';

  // --- retransmission (RFC 6298; Linux include/net/tcp.h) ---
  /** Initial RTO (TCP_TIMEOUT_INIT, RFC 6298 2.1). */
  initialRto: number;
  minRto: number;
  maxRto: number;
  /** tcp_syn_retries: retransmissions of a SYN before connect() fails with ETIMEDOUT. */
  synRetries: number;
  /** tcp_syn_linear_timeouts: first N SYN retransmissions keep the initial RTO (Linux >= 6.5). */
  synLinearTimeouts: number;
  /** tcp_synack_retries: SYN-ACK retransmissions before a request is dropped. */
  synAckRetries: number;
  /** tcp_retries2: retransmissions of data/FIN before the connection is dropped (ETIMEDOUT). */
  retries2: number;

  // --- listen queues (net/ipv4/tcp_input.c tcp_conn_request) ---
  /** net.core.somaxconn: listen() backlogs are capped to this. */
  somaxconn: number;
  /** tcp_max_syn_backlog: only matters with syncookies off. */
  maxSynBacklog: number;
  /** tcp_syncookies: 0 off, 1 when the SYN queue overflows, 2 always. */
  syncookies: 0 | 1 | 2;
  /** tcp_abort_on_overflow: RST the final ACK of a handshake when the accept queue is full. */
  abortOnOverflow: boolean;
  /**
   * How the accept queue limit applies: 'gt' (Linux sk_acceptq_is_full: full when
   * length > backlog, so listen(n) holds n+1) or 'ge' (full when length >= backlog).
   */
  acceptQueueRule: 'gt' | 'ge';

  // --- closing ---
  /** TIME_WAIT length (Linux TCP_TIMEWAIT_LEN, fixed 60 s; RFC 2*MSL). */
  timeWaitLength: number;
  /** tcp_fin_timeout: lifetime of an orphaned FIN_WAIT_2 socket (0 = wait forever, RFC). */
  finTimeout: number;
  /** tcp_tw_reuse: 0 off, 1 on, 2 loopback only. */
  twReuse: 0 | 1 | 2;
  /** close() with unread data sends RST (RFC 2525 2.17, Linux) instead of FIN. */
  rstOnCloseWithUnreadData: boolean;
  /** RFC 5961 challenge ACKs for in-window RST and SYN on synchronized connections. */
  challengeAcks: boolean;

  // --- options in the SYN (net/ipv4/tcp_output.c tcp_syn_options) ---
  sack: boolean;
  timestamps: boolean;
  windowScaling: boolean;

  // --- acknowledgment ---
  /** Delay ACKs (Linux quickack/pingpong with TCP_DELACK_MIN); false ACKs every segment at once. */
  delayedAck: boolean;
  /** Delayed ACK timeout (TCP_DELACK_MIN, 40 ms on Linux; RFC 9293 allows up to 500 ms). */
  delayedAckTimeout: number;

  // --- buffers ---
  /** Receive buffer per connection, in bytes (tcp_rmem default). */
  receiveBuffer: number;
  /** Send buffer per connection, in bytes (tcp_wmem default). */
  sendBuffer: number;
  /**
   * The largest receive buffer the stack may grow to (max of net.core.rmem_max and tcp_rmem[2]);
   * it sets the window scale we announce (Linux tcp_select_initial_window: ilog2(space) - 15).
   */
  rmemMax: number;
  /** Initial congestion window in segments (RFC 6928 / Linux TCP_INIT_CWND 10; RFC 5681 allows 2-4). */
  initialCwnd: number;

  // --- ports ---
  /** ip_local_port_range. */
  ephemeralPortRange: readonly [number, number];

  /** Test only: protocol bugs planted in the engine (bugs.ts); never set by a scenario file or a flag. */
  bugs?: ReadonlySet<BugName>;
}

export const LINUX: Profile = {
  name: 'linux',
  initialRto: 1 * S,
  minRto: 200 * MS,
  maxRto: 120 * S,
  synRetries: 6,
  synLinearTimeouts: 4,
  synAckRetries: 5,
  retries2: 15,
  somaxconn: 4096,
  maxSynBacklog: 2048,
  syncookies: 1,
  abortOnOverflow: false,
  acceptQueueRule: 'gt',
  timeWaitLength: 60 * S,
  finTimeout: 60 * S,
  twReuse: 2,
  rstOnCloseWithUnreadData: true,
  challengeAcks: true,
  sack: true,
  timestamps: true,
  windowScaling: true,
  delayedAck: true,
  delayedAckTimeout: 40 * MS,
  // Linux's default tcp_rmem[1] is 131072 bytes, about half of which is offered as window
  // (tcp_win_from_space with the default scaling_ratio); we model the usable half.
  receiveBuffer: 65536,
  sendBuffer: 16384,
  // tcp_rmem[2] has been 32 MB since Linux 6.16 (it was 6 MB): window scale 10.
  rmemMax: 33554432,
  initialCwnd: 10,
  ephemeralPortRange: [32768, 60999],
};

export const RFC9293: Profile = {
  name: 'rfc9293',
  initialRto: 1 * S,
  minRto: 1 * S,
  maxRto: 60 * S,
  // RFC 9293 3.8.3 (MUST-23): a SYN is retransmitted for at least 3 minutes: 1+2+...+32+60+60+60 s.
  synRetries: 8,
  synLinearTimeouts: 0,
  synAckRetries: 5,
  retries2: 8,
  somaxconn: 4096,
  maxSynBacklog: 4096,
  syncookies: 0,
  abortOnOverflow: false,
  acceptQueueRule: 'ge',
  timeWaitLength: 240 * S,
  finTimeout: 0,
  twReuse: 0,
  // RFC 9293 3.6.1 (from RFC 1122 4.2.2.13): a CLOSE with data still pending SHOULD send RST.
  rstOnCloseWithUnreadData: true,
  // RFC 9293 3.10.7.4 folds in RFC 5961's challenge ACKs.
  challengeAcks: true,
  sack: false,
  timestamps: false,
  windowScaling: false,
  delayedAck: false,
  delayedAckTimeout: 200 * MS,
  receiveBuffer: 65535,
  sendBuffer: 65535,
  rmemMax: 65535,
  initialCwnd: 3,
  ephemeralPortRange: [49152, 65535],
};

export const PROFILES = { linux: LINUX, rfc9293: RFC9293 } as const;
export type ProfileName = keyof typeof PROFILES;

/** A profile with some knobs changed, e.g. `withKnobs(LINUX, { syncookies: 0 })`. */
export function withKnobs(base: Profile, knobs: Partial<Omit<Profile, 'name'>>): Profile {
  return { ...base, ...knobs };
}
