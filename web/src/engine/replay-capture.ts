// A capture (pcap, pcapng) or a trace JSON opened in the page: replayed with src/replay as
// `synack replay` does, then drawn as ONE trace of all its connections (a lifeline per endpoint,
// inferred states, violations noted on the packets that broke a rule).
import { readReplayInput, ReplayInputError } from '../../../src/replay/read-input.js';
import { replayPackets } from '../../../src/replay/replay.js';
import { captureTrace } from '../../../src/replay/to-trace.js';
import type { ReplayReport } from '../../../src/replay/types.js';
import type { Trace } from '../../../src/sim/trace.js';

export { ReplayInputError };

export interface ReplayedCapture {
  trace: Trace;
  /** Index in trace.events of each segment that broke a rule -> the rule ids (docs/reading-captures.md). */
  violations: Map<number, string[]>;
  /** The reader's and the replay's warnings, one line each. */
  warnings: string[];
  report: ReplayReport;
}

export interface ReplayCaptureOptions {
  /** Receivers are judged by this profile (default linux). */
  profile?: 'linux' | 'rfc9293';
  /** Stop after this many frames (a partial result, said in the warnings). */
  maxFrames?: number;
}

/** Bad input throws ReplayInputError with one line: "NAME: what is wrong". */
export function replayCapture(bytes: Uint8Array, source: string, options: ReplayCaptureOptions = {}): ReplayedCapture {
  const profile = options.profile ?? 'linux';
  let input: ReturnType<typeof readReplayInput>;
  try {
    input = readReplayInput(bytes, options.maxFrames);
  } catch (err) {
    if (err instanceof ReplayInputError) throw new ReplayInputError(`${source}: ${err.message}`);
    throw err;
  }
  const report = replayPackets(input.packets, { profile });
  const { trace, violations } = captureTrace(report, input.packets, source, profile);
  return { trace, violations, warnings: [...input.warnings, ...report.warnings], report };
}
