// One run of the page: what was opened (a scenario's text, a trace JSON, a capture's bytes) turned into a
// trace to draw, with the settings applied: a scenario runs in the page's engine, a capture is replayed
// (its receivers judged by the chosen profile), a trace is drawn as it is.
import { runScenarioText } from '../engine/run-scenario.js';
import { replayCapture } from '../engine/replay-capture.js';
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
}

export interface Run {
  source: RunSource;
  settings: Settings;
  trace: Trace;
  /** Trace event index -> rule ids broken there (a replayed capture). */
  violations: Map<number, string[]>;
  /** A scenario's expectations and whether they held. */
  checks: Array<{ what: string; ok: boolean; actual?: string }>;
  warnings: string[];
}

/** Throws with a one-line (or per-problem lines) message on bad input. */
export async function loadRun(source: RunSource, settings: Settings): Promise<Run> {
  const run = await loadRunOf(source, settings);
  perfMark('synack:run-loaded');
  return run;
}

async function loadRunOf(source: RunSource, settings: Settings): Promise<Run> {
  switch (source.kind) {
    case 'scenario': {
      const { trace, checks } = await runScenarioText(source.text ?? '', source.fileName, runSettings(settings));
      return { source, settings, trace, violations: new Map(), checks, warnings: [] };
    }
    case 'trace': {
      const trace = checkTraceDoc(parseTraceJsonText(source.text ?? ''));
      return { source, settings, trace, violations: new Map(), checks: [], warnings: [] };
    }
    case 'capture': {
      const got = replayCapture(source.bytes ?? new Uint8Array(), source.name, { profile: settings.profile });
      return { source, settings, trace: got.trace, violations: got.violations, checks: [], warnings: got.warnings };
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
