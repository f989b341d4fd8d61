// The commented starter file `synack new NAME` writes: a complete, valid scenario (an echo exchange) with
// the other things a file can say shown in comments. A test runs it and checks every expectation holds.

export function starterScenario(name: string): string {
  return `# ${name}: a synack scenario. Run it with:  synack run ${name}.yaml
# Reference: docs/scenario-format.md. Times are seconds (0.5) or strings with a unit ("200ms", "250us").
summary: "describe in one line what this scenario shows"

# Hosts by name. Each may pick a profile (linux, rfc9293) and change sysctl-style knobs:
#   server: { address: 10.0.0.2, knobs: { tcp_syncookies: 0, tcp_fin_timeout: 5 } }
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }

# The link between every pair of hosts, and per pair overrides (seed: a random stream of its own).
link: { latency: 1ms }
# links:
#   - { between: [client, server], latency: 20ms, jitter: 5ms, loss: "1%", duplicate: 0, reorder: 0, seed: 7 }

# Scripted faults, in words or as a map:
# faults:
#   - drop 1st SYN-ACK
#   - delay 2nd data from client by 300ms
#   - { action: duplicate, nth: 1, flags: FIN-ACK, from: server }

# Segments no socket sends (a forged RST, spoofed SYNs); seq may be relative to the receiving connection:
# inject:
#   - { at: 1.5, from: "server:7000", to: client, flags: RST, seq: "rcv.nxt+100" }

# One program per entry: socket calls in order, as Python's socket module makes them.
programs:
  - host: server
    name: echo server
    steps:
      - socket: s
      - setsockopt: { socket: s, option: SO_REUSEADDR, value: 1 }
      - bind: { socket: s, port: 7000 }
      - listen: { socket: s, backlog: 5 }
      - accept: { socket: s, as: conn }
      - repeat:                          # also: times: N, or until: error
          until: eof
          steps:
            - recv: { socket: conn, max: 1024, as: data }
            - sendall: { socket: conn, from: data }
      - close: conn
      - close: s
  - host: client
    start: 0.001                         # seconds after the run begins
    steps:
      - socket: c
      - connect: { socket: c, to: "server:7000" }
        expect: ok                       # or an errno (ECONNREFUSED), or { linux: ..., rfc9293: ... }
      - sendall: { socket: c, data: "Hello, world" }
      - recv: { socket: c, max: 1024 }
      - sleep: 0.1
      - close: c

# What must hold when the run ends; "synack run" prints each and exits 1 if one fails.
expect:
  - { host: client, socket: c, received: "Hello, world" }
  - { host: client, socket: c, states: [SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT, CLOSED] }
  - { host: server, socket: conn, state: CLOSED }
  - { host: client, socket: c, state: TIME_WAIT, at: 1 }
`;
}
