// The `synack` command line. main() returns the exit code: 0 done, 1 a check failed (an expectation of a
// scenario file, a violation under replay --strict), 2 user error (one line on stderr), 70 internal error
// (one line, plus the stack when SYNACK_DEBUG is set). It never throws.
import { CheckFailed, EXIT, UsageError } from './errors.js';
import { printable, printableText } from '../render/printable.js';
import { formatScenarioList } from './list.js';
import { parseCommandArgs } from './parse.js';
import { loadDefaultScenarios, scenariosOf, type Registry } from './registry.js';
import { runScenario } from './run.js';
import { didYouMean } from './suggest.js';
import { newScenario } from './new.js';
import { CHECK_USAGE, DIFF_USAGE, HELP_USAGE, LIST_USAGE, MAIN_USAGE, NEW_USAGE, REPLAY_USAGE, RUN_USAGE, SERVE_USAGE, SCHEMA_USAGE } from './usage.js';
import { schemaText } from './schema.js';
import { serve } from './serve.js';
import { packageVersion } from './version.js';
import { plantedBugs, plantedWarning } from './planted-bugs.js';
import type { PrintableBytes } from './json-out.js';

export type { Registry } from './registry.js';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /**
   * Bytes written as they are: only what src/cli/json-out.ts has shown to be printable ASCII (its type says so).
   * True when they are written, not queued: their buffer may then be filled again.
   */
  stdoutBytes?: (b: PrintableBytes) => boolean;
  /** While stdout holds more than it should of what is not yet written (a pipe to a slow reader): when it has room. */
  stdoutRoom?: () => Promise<void> | undefined;
}

/** What stdout may hold not yet written before a long output waits for it to drain. */
const STDOUT_HIGH_WATER = 16 * 1024 * 1024;

const processIo: CliIo = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  // A file is written at once (a SyncWriteStream); a pipe may queue the bytes, and keeps them until written.
  stdoutBytes: (b) => {
    process.stdout.write(b);
    return process.stdout.writableLength === 0;
  },
  stdoutRoom: () =>
    process.stdout.writableLength > STDOUT_HIGH_WATER ? new Promise<void>((resolve) => process.stdout.once('drain', resolve)) : undefined,
};

const USAGE: Record<string, string> = { list: LIST_USAGE, run: RUN_USAGE, new: NEW_USAGE, replay: REPLAY_USAGE, diff: DIFF_USAGE, serve: SERVE_USAGE, schema: SCHEMA_USAGE, check: CHECK_USAGE, help: HELP_USAGE };
const COMMANDS = Object.keys(USAGE);
const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;

function noExtraArguments(command: string, extra: readonly string[]): void {
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" for "${command}"`);
}

function usageOf(command: string): string {
  const usage = USAGE[command];
  if (usage !== undefined) return usage;
  const hint = didYouMean(command, COMMANDS);
  throw new UsageError(`unknown command "${command}"; ${hint || 'run "synack --help" for usage'}`);
}

/** Runs one command line, writing to io.stdout; user errors are thrown as UsageError. */
async function dispatch(argv: string[], io: CliIo, registry: Registry, terminal = false): Promise<void> {
  const [command, ...rest] = argv;
  const scenarios = () => scenariosOf(registry);
  switch (command) {
    case undefined:
      throw new UsageError('no command given; run "synack --help" for usage');
    case 'list': {
      const { values, positionals } = parseCommandArgs('list', rest, HELP_FLAG);
      if (values.help) return io.stdout(LIST_USAGE);
      noExtraArguments('list', positionals);
      return io.stdout(formatScenarioList(await scenarios()));
    }
    case 'run': {
      const { values, positionals } = parseCommandArgs('run', rest, {
        ...HELP_FLAG,
        profile: { type: 'string' },
        seed: { type: 'string' },
        width: { type: 'string' },
        json: { type: 'boolean' },
        timers: { type: 'boolean' },
        absolute: { type: 'boolean' },
        pcap: { type: 'string' },
        pcapng: { type: 'string' },
        svg: { type: 'string' },
        html: { type: 'string' },
        mermaid: { type: 'boolean' },
        theme: { type: 'string' },
        invariants: { type: 'boolean' },
      });
      if (values.help) return io.stdout(RUN_USAGE);
      const [name, ...extra] = positionals;
      if (name === undefined) throw new UsageError('"run" needs a scenario name or file; run "synack list" to see them');
      noExtraArguments('run', extra);
      const bugs = plantedBugs();
      if (bugs) io.stderr(plantedWarning(bugs));
      return runScenario(scenarios, name, values, { text: io.stdout, bytes: io.stdoutBytes, room: io.stdoutRoom }, bugs);
    }
    case 'replay': {
      const { values, positionals } = parseCommandArgs('replay', rest, {
        ...HELP_FLAG,
        json: { type: 'boolean' },
        strict: { type: 'boolean' },
        profile: { type: 'string' },
        width: { type: 'string' },
        absolute: { type: 'boolean' },
        'max-packets': { type: 'string' },
      });
      if (values.help) return io.stdout(REPLAY_USAGE);
      const [file, ...extra] = positionals;
      if (file === undefined) throw new UsageError('"replay" needs a file: a pcap, a pcapng or a trace JSON');
      noExtraArguments('replay', extra);
      // replay, diff and check are loaded when used: `synack run` starts without them (issue 11, the CLI target).
      const { replayFile } = await import('./replay.js');
      return replayFile(file, values, io.stdout);
    }
    case 'diff': {
      const { values, positionals } = parseCommandArgs('diff', rest, {
        ...HELP_FLAG,
        json: { type: 'boolean' },
        'no-time': { type: 'boolean' },
        tolerance: { type: 'string' },
        width: { type: 'string' },
      });
      if (values.help) return io.stdout(DIFF_USAGE);
      const [fileA, fileB, ...extra] = positionals;
      if (fileA === undefined || fileB === undefined) throw new UsageError('"diff" needs two files, A and B: each a pcap, a pcapng or a trace JSON');
      noExtraArguments('diff', extra);
      const { diffFiles } = await import('./diff.js');
      return diffFiles(fileA, fileB, values, io.stdout);
    }
    case 'new': {
      const { values, positionals } = parseCommandArgs('new', rest, { ...HELP_FLAG, output: { type: 'string', short: 'o' }, force: { type: 'boolean' } });
      if (values.help) return io.stdout(NEW_USAGE);
      const [name, ...extra] = positionals;
      if (name === undefined) throw new UsageError('"new" needs a name, e.g. "synack new my-scenario"');
      noExtraArguments('new', extra);
      return io.stdout(newScenario(name, values));
    }
    case 'serve': {
      const { values, positionals } = parseCommandArgs('serve', rest, {
        ...HELP_FLAG,
        port: { type: 'string' },
        host: { type: 'string' },
        dir: { type: 'string' },
      });
      if (values.help) return io.stdout(SERVE_USAGE);
      noExtraArguments('serve', positionals);
      return serve(values, io); // resolves when the server has closed, on SIGINT or SIGTERM
    }
    case 'schema': {
      const { values, positionals } = parseCommandArgs('schema', rest, HELP_FLAG);
      if (values.help) return io.stdout(SCHEMA_USAGE);
      const [kind, ...extra] = positionals;
      noExtraArguments('schema', extra);
      return io.stdout(schemaText(kind));
    }
    case 'check': {
      const { values, positionals } = parseCommandArgs('check', rest, {
        ...HELP_FLAG,
        runs: { type: 'string' },
        seed: { type: 'string' },
        profile: { type: 'string' },
        loss: { type: 'string' },
        'time-budget': { type: 'string' },
      });
      if (values.help) return io.stdout(CHECK_USAGE);
      const [file, ...extra] = positionals;
      noExtraArguments('check', extra);
      const bugs = plantedBugs();
      if (bugs) io.stderr(plantedWarning(bugs));
      // The bar is drawn on the terminal itself (its \r would be escaped by printableIo); plain lines otherwise.
      const { checkCommand } = await import('./check.js');
      return checkCommand(file, values, { stdout: io.stdout, ...(bugs ? { bugs } : {}), ...(terminal ? { progress: process.stdout } : {}) });
    }
    case 'help': {
      const { values, positionals } = parseCommandArgs('help', rest, HELP_FLAG);
      if (values.help) return io.stdout(HELP_USAGE);
      const [topic, ...extra] = positionals;
      noExtraArguments('help', extra);
      return io.stdout(topic === undefined ? MAIN_USAGE : usageOf(topic));
    }
    default: {
      if (!command.startsWith('-')) usageOf(command); // throws: unknown command
      // Flags before any command: --help [COMMAND], --version.
      const { values, positionals } = parseCommandArgs(undefined, argv, {
        ...HELP_FLAG,
        version: { type: 'boolean', short: 'V' },
      });
      if (values.version) {
        noExtraArguments('--version', positionals);
        return io.stdout(`${await packageVersion()}\n`);
      }
      const [topic, ...extra] = positionals;
      noExtraArguments('--help', extra);
      if (values.help) return io.stdout(topic === undefined ? MAIN_USAGE : usageOf(topic));
      throw new UsageError('no command given; run "synack --help" for usage');
    }
  }
}

/**
 * The output boundary (issue 10): whatever a command writes, no control character but newline reaches the terminal.
 * The pictures and messages already escape user strings (src/render/printable.ts); this is the last line of defence.
 * Its escapes (\uHHHH past C0) are JSON's own, and JSON.stringify escapes C0 itself, so --json stays the same JSON.
 * The one way past it, stdoutBytes, takes only PrintableBytes: --json's pieces of plain ASCII, which json-out.ts
 * checks without a scan of every character (an 8,000-lifecycle trace is 120 MB); its other pieces come here as text.
 */
function printableIo(io: CliIo): CliIo {
  const safe: CliIo = { stdout: (s) => io.stdout(safeText(s)), stderr: (s) => io.stderr(safeText(s)) };
  if (io.stdoutBytes) safe.stdoutBytes = io.stdoutBytes;
  if (io.stdoutRoom) safe.stdoutRoom = io.stdoutRoom;
  return safe;
}

/** Nothing but printable ASCII and newline: none of it is escaped, so a long text (a --json trace) skips the Unicode scan. */
const NOT_PLAIN = /[^\n\x20-\x7e]/;
const safeText = (s: string) => (NOT_PLAIN.test(s) ? printableText(s) : s);

/** An error's message on one line, a user string's newline included, unless it is meant as several lines. */
function oneMessage(err: Error & { lines?: boolean }): string {
  return err.lines ? err.message.split('\n').map(printable).join('\n') : printable(err.message);
}

/** SIGPIPE's exit status (128 + 13), as a Unix tool killed by it would end. */
const EXIT_BROKEN_PIPE = 141;
let pipeGuarded = false;

/**
 * The reader of stdout went away (`synack run X --json | head`): end quietly, as a tool killed by SIGPIPE does,
 * not with Node's "Unhandled 'error' event" stack trace. Any other error on stdout or stderr is one line.
 */
function guardProcessStreams(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && stream === process.stdout) process.stderr.write(`synack: cannot write the output: ${printable(err.message)}\n`);
      process.exit(err.code === 'EPIPE' ? EXIT_BROKEN_PIPE : EXIT.internal);
    });
  }
}

export async function main(argv: string[], rawIo: CliIo = processIo, registry: Registry = loadDefaultScenarios): Promise<number> {
  if (rawIo === processIo) guardProcessStreams();
  const io = printableIo(rawIo);
  try {
    await dispatch(argv, io, registry, rawIo === processIo && process.stdout.isTTY === true);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`synack: ${oneMessage(err)}\n`);
      return EXIT.usage;
    }
    if (err instanceof CheckFailed) {
      io.stderr(`synack: ${oneMessage(err)}\n`);
      return EXIT.checkFailed;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`synack: internal error: ${printable(message.split('\n')[0]!)}\n`);
    if (process.env.SYNACK_DEBUG) io.stderr(`${err instanceof Error ? err.stack : String(err)}\n`);
    else io.stderr('Re-run with SYNACK_DEBUG=1 to see the stack trace.\n');
    return EXIT.internal;
  }
}
