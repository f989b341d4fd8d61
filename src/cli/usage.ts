// Help texts, one per command.

export const MAIN_USAGE = `synack: a packet-level TCP simulator, drawn as ladder diagrams

Usage:
  synack list                  list the built-in scenarios
  synack run NAME [options]    run a scenario and draw it as a ladder
  synack help [COMMAND]        show help for a command
  synack --version             print the version

Run "synack COMMAND --help" for the options of a command.
`;

export const LIST_USAGE = `Usage: synack list

Lists the built-in scenarios: name and what each one shows.

Options:
  -h, --help    show this help
`;

export const RUN_USAGE = `Usage: synack run NAME [options]

Runs the built-in scenario NAME (see "synack list") on the simulated network and draws
it as a ladder diagram, followed by a one-line summary of final states and failed calls.

Options:
  --profile NAME   behaviour profile: linux (default) or rfc9293
  --seed N         random seed, an integer from 0 to 4294967295 (default 1)
  --width N        columns of the drawing (default 80)
  --json           print the trace as one JSON document instead (docs/trace-format.md)
  --timers         also show protocol timers when they fire
  --absolute       raw sequence numbers instead of numbers relative to each ISN
  -h, --help       show this help

Reading the ladder: time runs down, one instant per line, given in the left column.
An arrow is drawn on the line it was sent; the right column says when it arrived.
X marks a dropped copy (with the reason), (rtx) a retransmission, (dup) a duplicated
copy; "~ 60.00 s later ~" marks idle time. State changes and socket calls are written
against their host's lifeline.
`;

export const HELP_USAGE = `Usage: synack help [COMMAND]

Shows the usage of COMMAND (list, run, help), or of synack itself.
`;
