// The scenario file of issue 11's CLI target: N sequential lifecycles in `repeat` loops, for
// `synack run FILE --json`. The server accepts, reads the 100-byte request, answers 100 bytes, reads to end
// of stream and closes; the client connects, sends 100 bytes, reads the answer and closes first, so each
// lifecycle ends in TIME_WAIT at the client (RFC 9293 3.6), holding its ephemeral port for 60 s of virtual
// time (Linux TCP_TIMEWAIT_LEN). 8,000 of them fit in one server port: the client's ports (32768-60999) are
// all different 4-tuples.

/** Lifecycles one file may hold: a `repeat` loop runs at most 100,000 rounds (docs/scenario-format.md, Limits). */
export const MAX_CLI_LIFECYCLES = 100_000;

/** The YAML text of a scenario of `n` sequential lifecycles (connect, 100 B each way, the client closes first). */
export function lifecycleScenarioYaml(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CLI_LIFECYCLES) throw new RangeError(`lifecycles: expected an integer from 1 to ${MAX_CLI_LIFECYCLES}, found ${n}`);
  return `# Written by bench/cli-scenario.ts for \`npm run bench\` (issue 11, the CLI target): ${n} sequential lifecycles.
summary: "${n} sequential lifecycles: connect, 100 bytes each way, the client closes first (TIME_WAIT at the client)"
until: "1440min"                     # a day: no size this file allows runs out of virtual time
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps:
      - socket: s
      - bind: { socket: s, port: 9000 }
      - listen: { socket: s, backlog: 128 }
      - repeat:
          times: ${n}
          steps:
            - accept: { socket: s, as: conn }
            - recv: { socket: conn, max: 100 }
            - sendall: { socket: conn, bytes: 100 }
            - recvall: conn                  # to the client's FIN
            - close: conn
      - close: s
  - host: client
    start: 0.001
    steps:
      - repeat:
          times: ${n}
          steps:
            - socket: c
            - connect: { socket: c, to: "server:9000" }
            - sendall: { socket: c, bytes: 100 }
            - recv: { socket: c, max: 100 }
            - close: c
`;
}
