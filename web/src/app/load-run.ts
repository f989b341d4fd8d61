// One run of the page: what was opened (a scenario's text, a trace JSON, a capture's bytes) turned into a
// trace to draw, with the settings applied: a scenario runs in the page's engine and the invariants of
// `synack run --invariants` are checked over it, a capture is replayed (its receivers judged by the chosen
// profile), a trace is drawn as it is.
import { runInvariants } from '../engine/run-invariants.js';
import { runScenarioText } from '../engine/run-scenario.js';
import { replayCapture } from '../engine/replay-capture.js';
import type { BugName } from '../../../src/tcp/bugs.js';
import { checkTraceDoc, TraceFileError } from '../../../src/replay/trace-json.js';
import type { Trace } from '../../../src/sim/trace.js';
import { parseJsonOnce } from './json-once.js';
import { perfMark } from './perf-marks.js';
import { runSettings, type Settings } from './settings.js';

export interface RunSource {
  kind: 'scenario' | 'trace' | 'capture';
  /** The title: a built-in's name or the file's name. */
  name: string;
  /** The scenario's file name, for its error messages ("scenarios/01-three-way-handshake.yaml"). */
  fileName: string;
  /** scenario and trace: the file's text. */
  text?: string;
  /** capture: the file's bytes. */
  bytes?: Uint8Array;
  /** A built-in's one-line summary. */
  summary?: string;
  /**
   * scenario, test only: protocol bugs planted in the page's engine (src/tcp/bugs.ts), set by nothing but a
   * `synack check` counterexample's link; a re-run keeps them, opening anything else drops them.
   */
  plant?: BugName[];
}

/** A broken invariant, for the heading's lines. */
export interface BrokenRule {
  invariant: string;
  rfc: string;
  message: string;
}

export interface Run {
  source: RunSource;
  settings: Settings;
  trace: Trace;
  /** Trace event index -> rule ids broken there (a replayed capture) or invariants broken there (a scenario run). */
  violations: Map<number, string[]>;
  /** A scenario run: each broken invariant with its message (empty for the others and when none broke). */
  broken: BrokenRule[];
  /** A scenario's expectations and whether they held. */
  checks: Array<{ what: string; ok: boolean; actual?: string }>;
  warnings: string[];
}

/** A scenario run with more trace events than this is not checked against the invariants (unless bugs are planted). */
export const MAX_CHECKED_EVENTS = 50_000;

/** Throws with a one-line (or per-problem lines) message on bad input. */
export async function loadRun(source: RunSource, settings: Settings): Promise<Run> {
  const run = await loadRunOf(source, settings);
  perfMark('synack:run-loaded');
  return run;
}

async function loadRunOf(source: RunSource, settings: Settings): Promise<Run> {
  switch (source.kind) {
    case 'scenario': {
      const plant = source.plant ?? [];
      const { trace, checks, file } = await runScenarioText(source.text ?? '', source.fileName, { ...runSettings(settings), bugs: plant });
      // The invariants take about as long as the run itself on a long transfer (a 14.5 MB transfer, 31,888
      // events: 0.6 s), so a much longer run skips them, unless bugs are planted: then they are the point.
      if (trace.events.length > MAX_CHECKED_EVENTS && plant.length === 0) {
        const note = `invariants not checked: ${trace.events.length} events is more than the page checks (${MAX_CHECKED_EVENTS}); "synack run FILE --invariants" checks them`;
        return { source, settings, trace, violations: new Map(), broken: [], checks, warnings: [note] };
      }
      const { violations, broken } = runInvariants(trace, file, settings.profile);
      const rules = broken.map(({ invariant, rfc, message }) => ({ invariant, rfc, message }));
      return { source, settings, trace, violations, broken: rules, checks, warnings: [] };
    }
    case 'trace': {
      const trace = checkTraceDoc(parseTraceJsonText(source.text ?? ''));
      return { source, settings, trace, violations: new Map(), broken: [], checks: [], warnings: [] };
    }
    case 'capture': {
      const got = replayCapture(source.bytes ?? new Uint8Array(), source.name, { profile: settings.profile });
      return { source, settings, trace: got.trace, violations: got.violations, broken: [], checks: [], warnings: got.warnings };
    }
  }
}

/** The trace file's JSON, parsed once with the check that told it was a trace (open-file.ts). */
function parseTraceJsonText(text: string): unknown {
  try {
    return parseJsonOnce(text);
  } catch (e) {
    throw new TraceFileError(`not valid JSON: ${(e as Error).message}`);
  }
}
