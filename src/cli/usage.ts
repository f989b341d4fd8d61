// Help texts, one per command.

export const MAIN_USAGE = `synack: a packet-level TCP simulator, drawn as ladder diagrams

Usage:
  synack list                  list the built-in scenarios
  synack run NAME|FILE [opts]  run a scenario (built-in or a .yaml/.json file) and draw it
  synack new NAME              write a commented starter scenario file, NAME.yaml
  synack replay FILE [opts]    check a capture (pcap, pcapng) or trace against the state machine
  synack diff A B [opts]       compare two runs (captures or traces) packet by packet
  synack serve [opts]          serve the web app (build it first: npm run build:web)
  synack schema scenario|trace print the JSON Schema of scenario files or of traces
  synack check [FILE] [opts]   hunt for protocol bugs: invariants over many random runs
  synack help [COMMAND]        show help for a command
  synack --version             print the version

Run "synack COMMAND --help" for the options of a command.
`;

export const LIST_USAGE = `Usage: synack list

Lists the built-in scenarios: name and what each one shows. Each is a scenario file in
scenarios/ (docs/scenario-format.md): read one, copy it, run your copy with "synack run FILE".

Options:
  -h, --help    show this help
`;

export const RUN_USAGE = `Usage: synack run NAME|FILE [options]

Runs the built-in scenario NAME (see "synack list") or a scenario FILE (.yaml, .yml or
.json; see docs/scenario-format.md) on the simulated network and draws it as a ladder
diagram, followed by a summary of final states and failed calls, and the scenario's
expectations. Exits 1 when an expectation fails, 2 for a bad flag or a bad file, 141
(as SIGPIPE would) when the reader of its output goes away, as "| head" does.

Options:
  --profile NAME   behaviour profile: linux (default) or rfc9293
  --seed N         random seed, an integer from 0 to 4294967295 (default 1)
  --width N        columns of the drawing (default 80)
  --json           print the trace as one JSON document instead (docs/trace-format.md)
  --mermaid        print a Mermaid sequenceDiagram instead (renders in GitHub markdown)
  --svg FILE       also write the run as an SVG sequence diagram (docs/diagrams.md)
  --html FILE      also write it as one self-contained HTML page: diagram and event list
  --theme NAME     colours of --svg/--html: light (SVG default), dark, or auto (HTML
                   default: follows the reader's system setting)
  --timers         also show protocol timers when they fire
  --absolute       raw sequence numbers instead of numbers relative to each ISN
  --pcap FILE      also write the packets as a pcap capture (Ethernet, for Wireshark/tshark)
  --pcapng FILE    also write them as a pcapng capture
  --invariants     also check the invariants "synack check" checks (exit 1 when one breaks)
  -h, --help       show this help

Reading the ladder: one lifeline per endpoint (host and port), clients first; time runs
down, one event per line, its time in the left column. An arrow is drawn on the line it
was sent; the right column, when it fits, says when it arrived. Labels give the flags,
seq/ack relative to each ISN, len, the window as the receiver scales it, and a SYN's
options. X marks a dropped copy where it was lost (with the reason), (rtx) a
retransmission, (dup) a duplicated copy, (injected)/(spoofed) a forged one; "~ 60.00 s
later ~" marks idle time. State changes and socket calls are written against their own
lifeline (with many lifelines, "*" marks it and the words go on the right).
`;

export const NEW_USAGE = `Usage: synack new NAME [options]

Writes NAME.yaml: a commented starter scenario (an echo exchange with expectations) that
runs as it is. Edit it, then "synack run NAME.yaml". docs/scenario-format.md has the rest.

Options:
  -o, --output FILE  write to FILE instead of NAME.yaml
  --force            overwrite the file if it exists
  -h, --help         show this help
`;

export const REPLAY_USAGE = `Usage: synack replay FILE [options]

Reads FILE, a capture (pcap or pcapng: Ethernet, Linux cooked v1/v2, raw IP or BSD
loopback; IPv4 and IPv6) or a trace JSON from "synack run --json", groups its TCP
packets into connections, and draws each as a ladder with the states of both endpoints
inferred packet by packet. Every packet a correct stack would not send, or a receiver
must not accept, is flagged with the rule it breaks (docs/reading-captures.md).

Options:
  --json             print { "connections": [ { a, b, packets, states, final, violations } ] }
  --strict           exit 1 when any violation is found
  --profile NAME     judge by linux (default) or rfc9293
  --width N          columns of the drawing (default 80)
  --absolute         raw sequence numbers instead of relative ones
  --max-packets N    read at most N frames (default 1000000); more is a partial result, marked
  -h, --help         show this help
`;

export const DIFF_USAGE = `Usage: synack diff A B [options]

Compares two runs of one scenario packet by packet: A and B are each a trace JSON from
"synack run --json" or a capture (pcap, pcapng), e.g. the simulator's run and tcpdump's
capture of the real kernel. What is random in a run is normalised away first: sequence
numbers count from each direction's ISN, ephemeral ports become eph1, eph2, ..., hosts
host1, host2, ... in order of appearance, timestamp values are left out. Each direction
of each connection is then compared segment by segment: flags, seq, ack, len, options,
the window of SYNs, and the time (docs/diff.md). Prints the first divergence with a
side-by-side of its connection; exits 0 when A and B are the same, 1 when they differ,
2 for a bad flag or a file that is not a capture or a trace.

Options:
  --json             print { "same", "divergences": [...], "a": {...}, "b": {...} }
  --no-time          do not compare times
  --tolerance MS     allowed time difference in milliseconds (default 30 ms + 3% of the time)
  --width N          columns of the report (default 120)
  -h, --help         show this help
`;

export const HELP_USAGE = `Usage: synack help [COMMAND]

Shows the usage of COMMAND (list, run, new, replay, diff, serve, schema, check, help), or of synack itself.
`;

export const SERVE_USAGE = `Usage: synack serve [options]

Serves the web app, built by "npm run build:web" into dist/web/, and prints its URL;
runs until Ctrl-C (SIGINT) or SIGTERM. "npm start" builds everything, then runs this.
Only the files of the build are served (GET and HEAD), under a strict
Content-Security-Policy; nothing leaves the machine: the simulator runs in the page.

Options:
  --port N       TCP port, 0 to 65535 (default 8470; 0 picks any free port)
  --host ADDR    address to listen on (default 127.0.0.1, this machine only; any other
                 address makes the app reachable from the network)
  --dir DIR      serve DIR instead of the built app in dist/web/
  -h, --help     show this help
`;

export const SCHEMA_USAGE = `Usage: synack schema scenario|trace

Prints the JSON Schema (draft 2020-12) of a scenario file (docs/scenario-format.md) or of a
trace from "synack run --json" (docs/trace-format.md), generated from the schemas synack
reads them with. Save it and point your editor at it, e.g. with a first line
"# yaml-language-server: $schema=scenario.schema.json" in a scenario file.

Options:
  -h, --help    show this help
`;

export const CHECK_USAGE = `Usage: synack check [FILE] [options]

Hunts for protocol bugs. Without FILE, runs the invariants of synack/check (docs/api.md: ISNs
agree, bytes arrive in order exactly once, TIME_WAIT on the right side and for its length,
only chart edges, windows respected, backlog limits, sequence space, ...) over random
scenarios: two hosts, random programs, link conditions, scripted faults and forged segments.
With FILE (a .yaml/.json scenario or a built-in name), runs that file's expectations and the
invariants across many seeds and, with --loss, loss rates of its default link. fast-check
picks the runs; the same --seed checks the same runs. Exits 0 when all held, 1 when a
property failed, 2 for a bad flag or file.

On a failure it shrinks the run to a smallest counterexample, draws it as a ladder, writes
it as counterexample-NAME-SEED.yaml in the current directory, and prints the command that
replays it (synack run ... --invariants) and a link that opens it in the web app.

Options:
  --runs N          how many runs (default 200)
  --seed N          fast-check's seed, an integer from 0 to 4294967295 (default 1)
  --profile NAME    behaviour profile: linux (default) or rfc9293
  --loss RANGE      loss of the default link, e.g. 2% or 0..5% (default: as generated, or
                    the file's own)
  --time-budget S   stop after S seconds; what ran held
  -h, --help        show this help
`;
