// The scenarios that drive the engine along the statechart's paths (issue 12, transition coverage).
// Each is an ordinary scenario file (YAML) plus the sockets whose state chains are the paths it
// drives: a subject is named by host and ports, and its chain is read back from the trace. A
// passive child's chain is continued from its listener's CLOSED -> LISTEN (RFC 9293 3.10.7.2: the
// child starts as a clone of the LISTEN socket).
// Hosts: client 10.0.0.1 (port 50000), server 10.0.0.2 (port 9000); the default 1 ms link.
import type { ProfileName } from '../tcp/profile.js';

/** A socket whose state chain is a driven path: host, local port, and peer port (none: the listener). */
export interface Subject {
  readonly host: string;
  readonly port: number;
  readonly peer?: number;
}

export interface CoverageScenario {
  /** Name of the scenario (also its name in the trace). */
  readonly name: string;
  /** What it does, in TCP's words. */
  readonly summary: string;
  /** Hosts, knobs, faults, injections and programs (YAML, without name and summary). */
  readonly body: string;
  readonly subjects: readonly Subject[];
  /** Profiles it runs under; default both. */
  readonly profiles?: readonly ProfileName[];
}

const HOSTS = `hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
`;

const CLIENT: Subject = { host: 'client', port: 50000, peer: 9000 };
const CHILD: Subject = { host: 'server', port: 9000, peer: 50000 };
const LISTENER: Subject = { host: 'server', port: 9000 };

/** A listener on server:9000 that accepts one connection as `conn`, then runs `then` (YAML steps). */
function server(then: string): string {
  return `  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9000 }
      - listen: { socket: s, backlog: 5 }
      - accept: { socket: s, as: conn }
${then}`;
}

/** A client bound to port 50000 that connects to server:9000, then runs `then` (YAML steps). */
function client(then: string, start = 0.001): string {
  return `  - host: client
    start: ${start}
    steps:
      - socket: c
      - bind: { socket: c, port: 50000 }
      - connect: { socket: c, to: "server:9000" }
${then}`;
}

const LINGER0 = (sock: string) => `      - setsockopt: { socket: ${sock}, option: SO_LINGER, value: { onoff: 1, linger: 0 } }\n`;

export const COVERAGE_SCENARIOS: readonly CoverageScenario[] = [
  {
    name: 'active-close',
    summary: 'the client closes first: FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT; the server passes CLOSE_WAIT and LAST_ACK',
    body: `${HOSTS}programs:
${server(`      - recvall: conn
      - close: conn
      - close: s
`)}${client(`      - sendall: { socket: c, data: "hello" }
      - close: c
`)}`,
    subjects: [CLIENT, CHILD, LISTENER],
  },
  {
    name: 'simultaneous-open-and-close',
    summary: 'both ends connect() at once (SYN_SENT -> SYN_RECEIVED) and close at once (FIN_WAIT_1 -> CLOSING)',
    body: `${HOSTS}programs:
  - host: client
    steps:
      - socket: c
      - bind: { socket: c, port: 50000 }
      - connect: { socket: c, to: "server:9000" }
      - close: c
        at: 1
  - host: server
    steps:
      - socket: c
      - bind: { socket: c, port: 9000 }
      - connect: { socket: c, to: "client:50000" }
      - close: c
        at: 1
`,
    subjects: [CLIENT],
  },
  {
    name: 'syn-sent-close',
    summary: 'every SYN is lost; a non-blocking connect() is closed in SYN_SENT',
    body: `${HOSTS}faults:
  - drop every SYN
programs:
  - host: client
    steps:
      - socket: c
      - bind: { socket: c, port: 50000 }
      - settimeout: { socket: c, seconds: 0 }
      - connect_ex: { socket: c, to: "server:9000" }
        expect: EINPROGRESS
      - sleep: 0.5
      - close: c
`,
    subjects: [CLIENT],
  },
  {
    name: 'syn-sent-abort',
    summary: 'every SYN is lost; SO_LINGER {1, 0} then close() aborts in SYN_SENT',
    body: `${HOSTS}faults:
  - drop every SYN
programs:
  - host: client
    steps:
      - socket: c
      - bind: { socket: c, port: 50000 }
      - settimeout: { socket: c, seconds: 0 }
      - connect_ex: { socket: c, to: "server:9000" }
        expect: EINPROGRESS
      - sleep: 0.5
${LINGER0('c')}      - close: c
`,
    subjects: [CLIENT],
  },
  {
    name: 'connection-refused',
    summary: 'no listener: the SYN is answered with RST,ACK (SYN_SENT, rcv RST)',
    body: `${HOSTS}programs:
  - host: client
    steps:
      - socket: c
      - bind: { socket: c, port: 50000 }
      - connect: { socket: c, to: "server:9000" }
        expect: ECONNREFUSED
      - close: c
`,
    subjects: [CLIENT],
  },
  {
    name: 'syn-sent-give-up',
    summary: 'every SYN is lost: connect() gives up with ETIMEDOUT',
    body: `${HOSTS}faults:
  - drop every SYN
programs:
  - host: client
    steps:
      - socket: c
      - bind: { socket: c, port: 50000 }
      - connect: { socket: c, to: "server:9000" }
        expect: ETIMEDOUT
      - close: c
`,
    subjects: [CLIENT],
  },
  {
    name: 'syn-received-close',
    summary: 'simultaneous open with every SYN-ACK lost; close() in SYN_RECEIVED sends FIN',
    body: `${HOSTS}faults:
  - drop every SYN-ACK
programs:
  - host: client
    steps:
      - socket: c
      - bind: { socket: c, port: 50000 }
      - settimeout: { socket: c, seconds: 0 }
      - connect_ex: { socket: c, to: "server:9000" }
        expect: EINPROGRESS
      - sleep: 0.5
      - close: c
  - host: server
    steps:
      - socket: c
      - bind: { socket: c, port: 9000 }
      - settimeout: { socket: c, seconds: 0 }
      - connect_ex: { socket: c, to: "client:50000" }
        expect: EINPROGRESS
      - sleep: 0.5
${LINGER0('c')}      - close: c
`,
    subjects: [CLIENT],
  },
  {
    name: 'syn-received-rst',
    summary: 'a SYN from a client with no socket: its RST answers the SYN-ACK (SYN_RECEIVED, rcv RST)',
    body: `${HOSTS}inject:
  - { at: 0.01, from: "client:50000", to: "server:9000", flags: SYN, seq: 1000 }
programs:
${server('')}`,
    subjects: [CHILD],
  },
  {
    name: 'syn-received-abort',
    summary: 'every SYN-ACK is lost; the listener is closed and forgets its request (SYN_RECEIVED, ABORT)',
    body: `${HOSTS}faults:
  - drop every SYN-ACK
inject:
  - { at: 0.01, from: "client:50000", to: "server:9000", flags: SYN, seq: 1000 }
programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9000 }
      - listen: { socket: s, backlog: 5 }
      - sleep: 0.5
      - close: s
`,
    subjects: [CHILD],
  },
  {
    name: 'syn-received-give-up',
    summary: 'every SYN-ACK is lost: the request gives up after the SYN-ACK retries',
    body: `${HOSTS}faults:
  - drop every SYN-ACK
inject:
  - { at: 0.01, from: "client:50000", to: "server:9000", flags: SYN, seq: 1000 }
programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9000 }
      - listen: { socket: s, backlog: 5 }
      - sleep: 300
      - close: s
`,
    subjects: [CHILD],
  },
  {
    name: 'established-abort',
    summary: 'the client aborts an established connection (SO_LINGER {1, 0}); the server gets the RST',
    body: `${HOSTS}programs:
${server(`      - recv: { socket: conn, max: 1024 }
        expect: ECONNRESET
      - close: conn
`)}${client(`      - sleep: 0.1
${LINGER0('c')}      - close: c
`)}`,
    subjects: [CLIENT, CHILD],
  },
  {
    name: 'established-give-up',
    summary: 'after the handshake everything from the server is lost: the client retransmits its data and gives up',
    body: `${HOSTS}knobs: { tcp_retries2: 3 }
faults:
  - drop 2nd and later segment from server
programs:
${server(`      - sleep: 600
      - close: conn
`)}${client(`      - send: { socket: c, data: "hello" }
      - recv: { socket: c, max: 1024 }
        expect: ETIMEDOUT
      - close: c
`)}`,
    subjects: [CLIENT],
  },
  {
    name: 'fin-wait-1-rst',
    summary: "the client's FIN is lost (FIN_WAIT_1); the server aborts and its RST arrives there",
    body: `${HOSTS}faults:
  - drop every FIN from client
programs:
${server(`      - sleep: 0.5
${LINGER0('conn')}      - close: conn
`)}${client(`      - shutdown: { socket: c, how: SHUT_WR }
      - recv: { socket: c, max: 1024 }
        expect: ECONNRESET
      - close: c
`)}`,
    subjects: [CLIENT],
  },
  {
    name: 'fin-wait-1-abort',
    summary: "the client's FIN is lost (FIN_WAIT_1) and the client aborts",
    body: `${HOSTS}faults:
  - drop every FIN from client
programs:
${server(`      - recv: { socket: conn, max: 1024 }
        expect: ECONNRESET
      - close: conn
`)}${client(`      - shutdown: { socket: c, how: SHUT_WR }
      - sleep: 0.5
${LINGER0('c')}      - close: c
`)}`,
    subjects: [CLIENT],
  },
  {
    name: 'fin-wait-1-give-up',
    summary: "after the handshake everything from the server is lost: the client's FIN is retransmitted until it gives up",
    body: `${HOSTS}knobs: { tcp_retries2: 3 }
faults:
  - drop 2nd and later segment from server
programs:
${server(`      - sleep: 600
      - close: conn
`)}${client(`      - shutdown: { socket: c, how: SHUT_WR }
      - recv: { socket: c, max: 1024 }
        expect: ETIMEDOUT
      - close: c
`)}`,
    subjects: [CLIENT],
  },
  {
    name: 'half-close-then-rst',
    summary: 'the client half-closes (FIN_WAIT_2); the server, in CLOSE_WAIT, aborts: its RST reaches FIN_WAIT_2',
    body: `${HOSTS}programs:
${server(`      - recvall: conn
      - sleep: 0.5
${LINGER0('conn')}      - close: conn
`)}${client(`      - shutdown: { socket: c, how: SHUT_WR }
      - recv: { socket: c, max: 1024 }
        expect: ECONNRESET
      - close: c
`)}`,
    subjects: [CLIENT, CHILD],
  },
  {
    name: 'half-close-then-abort',
    summary: 'the client half-closes (FIN_WAIT_2) and then aborts: its RST reaches the server in CLOSE_WAIT',
    body: `${HOSTS}programs:
${server(`      - recvall: conn
      - sleep: 1
      - close: conn
`)}${client(`      - shutdown: { socket: c, how: SHUT_WR }
      - sleep: 0.5
${LINGER0('c')}      - close: c
`)}`,
    subjects: [CLIENT, CHILD],
  },
  {
    name: 'listen-then-send',
    summary: 'a listener with nothing queued connects out: RFC 9293 3.10.2 SEND in LISTEN, LISTEN -> SYN_SENT (rfc9293 only; Linux refuses with EISCONN)',
    body: `${HOSTS}programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9000 }
      - listen: { socket: s, backlog: 5 }
      - sleep: 0.01
      - { connect: { socket: s, to: "client:50000" }, expect: ok }
  - host: client
    steps:
      - socket: l
      - bind: { socket: l, port: 50000 }
      - listen: { socket: l, backlog: 5 }
      - accept: { socket: l, as: conn }
`,
    subjects: [{ host: 'server', port: 9000, peer: 50000 }],
    profiles: ['rfc9293'],
  },
  {
    name: 'fin-wait-2-timeout',
    summary: 'an orphaned FIN_WAIT_2 is dropped after tcp_fin_timeout (Linux)',
    body: `${HOSTS}programs:
${server(`      - recvall: conn
      - sleep: 120
      - close: conn
`)}${client(`      - close: c
`)}`,
    subjects: [CLIENT],
    profiles: ['linux'],
  },
  {
    name: 'close-wait-give-up',
    summary: 'the client half-closes, then everything from it is lost: the server, in CLOSE_WAIT, gives up on its data',
    body: `${HOSTS}knobs: { tcp_retries2: 3 }
faults:
  - drop 4th and later segment from client
programs:
${server(`      - recvall: conn
      - send: { socket: conn, data: "late reply" }
      - sleep: 600
      - close: conn
`)}${client(`      - shutdown: { socket: c, how: SHUT_WR }
      - sleep: 600
      - close: c
`)}`,
    subjects: [CHILD],
  },
  {
    name: 'closing-abort',
    summary: 'both ends half-close at once and every ACK of a FIN is lost (CLOSING); the client aborts, the server gets the RST',
    body: `${HOSTS}faults:
  - drop 2nd and later pure ACK from client
  - drop every pure ACK from server
programs:
${server(`      - shutdown: { socket: conn, how: SHUT_WR }
        at: 1
      - recv: { socket: conn, max: 1024 }
      - sleep: 1
      - close: conn
`)}${client(`      - shutdown: { socket: c, how: SHUT_WR }
        at: 1
      - recv: { socket: c, max: 1024 }
      - sleep: 0.5
${LINGER0('c')}      - close: c
`)}`,
    subjects: [CLIENT, CHILD],
  },
  {
    name: 'closing-give-up',
    summary: 'both ends half-close at once and every ACK of a FIN is lost: both give up in CLOSING',
    body: `${HOSTS}knobs: { tcp_retries2: 3 }
faults:
  - drop 2nd and later pure ACK from client
  - drop every pure ACK from server
programs:
${server(`      - shutdown: { socket: conn, how: SHUT_WR }
        at: 1
      - recv: { socket: conn, max: 1024 }
      - sleep: 600
      - close: conn
`)}${client(`      - shutdown: { socket: c, how: SHUT_WR }
        at: 1
      - recv: { socket: c, max: 1024 }
      - sleep: 600
      - close: c
`)}`,
    subjects: [CLIENT],
  },
  {
    name: 'last-ack-rst',
    summary: "the client's last ACK is lost (LAST_ACK); a RST at RCV.NXT reaches the server",
    body: `${HOSTS}faults:
  - drop 2nd and later pure ACK from client
inject:
  - { at: 0.5, from: "client:50000", to: "server:9000", flags: RST, seq: rcv.nxt, ack: 0, note: RST in LAST_ACK }
programs:
${server(`      - recvall: conn
      - close: conn
      - close: s
`)}${client(`      - close: c
`)}`,
    subjects: [CHILD],
  },
  {
    name: 'last-ack-abort',
    summary: "the client's last ACK is lost (LAST_ACK); the server, which only shut down, aborts",
    body: `${HOSTS}faults:
  - drop 2nd and later pure ACK from client
programs:
${server(`      - recvall: conn
      - shutdown: { socket: conn, how: SHUT_WR }
      - sleep: 0.5
${LINGER0('conn')}      - close: conn
`)}${client(`      - close: c
`)}`,
    subjects: [CHILD],
  },
  {
    name: 'last-ack-give-up',
    summary: "every last ACK from the client is lost: the server's FIN is retransmitted until it gives up in LAST_ACK",
    body: `${HOSTS}knobs: { tcp_retries2: 3 }
faults:
  - drop 2nd and later pure ACK from client
programs:
${server(`      - recvall: conn
      - close: conn
      - close: s
`)}${client(`      - close: c
`)}`,
    subjects: [CHILD],
  },
  {
    name: 'time-wait-repeated-fin',
    summary: "the client's ACK of the server's FIN is lost: the repeated FIN is ACKed again in TIME_WAIT, restarting 2MSL",
    body: `${HOSTS}faults:
  - drop 2nd pure ACK from client
programs:
${server(`      - recvall: conn
      - close: conn
      - close: s
`)}${client(`      - close: c
`)}`,
    subjects: [CLIENT],
  },
  {
    name: 'time-wait-rst',
    summary: 'a RST at exactly RCV.NXT kills a TIME_WAIT (tcp_rfc1337 = 0; RFC 1337 "TIME-WAIT assassination")',
    body: `${HOSTS}inject:
  - { at: 0.5, from: "server:9000", to: "client:50000", flags: RST, seq: rcv.nxt, ack: 0, note: RST in TIME_WAIT }
programs:
${server(`      - recvall: conn
      - close: conn
      - close: s
`)}${client(`      - close: c
`)}`,
    subjects: [CLIENT],
  },
  {
    name: 'time-wait-new-syn',
    summary: "a new SYN for the server's TIME_WAIT 4-tuple ends it (RFC 6191, Linux tcp_timewait_state_process)",
    body: `${HOSTS}programs:
  - host: server
    steps:
      - socket: s
      - setsockopt: { socket: s, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: s, port: 9000 }
      - listen: { socket: s, backlog: 5 }
      - accept: { socket: s, as: conn }
      - close: conn
      - accept: { socket: s, as: conn2 }
      - close: conn2
      - close: s
  - host: client
    start: 0.001
    steps:
      - socket: c
      - setsockopt: { socket: c, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: c, port: 50000 }
      - connect: { socket: c, to: "server:9000" }
      - recvall: c
      - close: c
      - sleep: 0.3
      - socket: c2
      - setsockopt: { socket: c2, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: c2, port: 50000 }
      - connect: { socket: c2, to: "server:9000" }
      - recvall: c2
      - close: c2
`,
    subjects: [CHILD],
  },
  {
    name: 'time-wait-reuse',
    summary: "connect() from the same bound port takes over the client's TIME_WAIT 4-tuple (timestamps on)",
    body: `${HOSTS}knobs: { tcp_timestamps: 1 }
programs:
  - host: server
    steps:
      - socket: s
      - setsockopt: { socket: s, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: s, port: 9000 }
      - listen: { socket: s, backlog: 5 }
      - accept: { socket: s, as: conn }
      - recvall: conn
      - close: conn
      - accept: { socket: s, as: conn2 }
      - recvall: conn2
      - close: conn2
      - close: s
  - host: client
    start: 0.001
    steps:
      - socket: c
      - setsockopt: { socket: c, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: c, port: 50000 }
      - connect: { socket: c, to: "server:9000" }
      - close: c
      - sleep: 0.3
      - socket: c2
      - setsockopt: { socket: c2, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: c2, port: 50000 }
      - connect: { socket: c2, to: "server:9000" }
      - close: c2
`,
    subjects: [CLIENT],
  },
  {
    name: 'listen-abort',
    summary: 'SO_LINGER {1, 0} then close() on a listener: ABORT in LISTEN (RFC 9293 3.10.5)',
    body: `${HOSTS}programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9000 }
      - listen: { socket: s, backlog: 5 }
${LINGER0('s')}      - close: s
`,
    subjects: [LISTENER],
  },
];
