// `synack replay FILE`: read a capture (pcap/pcapng) or a trace JSON, group its TCP packets into
// connections, infer both endpoints' states packet by packet, and flag what a correct stack would not do.
import { renderLadder, LadderWidthError } from '../render/ladder.js';
import { printable } from '../render/printable.js';
import { replayPackets, reportJson, type ReplayReport } from '../replay/index.js';
import { readReplayInput, ReplayInputError, type ReplayInput } from '../replay/read-input.js';
import { connectionTrace } from '../replay/to-trace.js';
import { CheckFailed, UsageError } from './errors.js';
import { openInput } from './file-source.js';
import { memoryGuard } from './memory-guard.js';
import { parseProfile, parseWidth } from './run-options.js';

export { MAX_TRACE_BYTES } from '../replay/read-input.js';

export interface ReplayFlags {
  json?: boolean;
  strict?: boolean;
  profile?: string;
  width?: string;
  absolute?: boolean;
  'max-packets'?: string;
}

export type Input = ReplayInput;

export function replayFile(path: string, flags: ReplayFlags, stdout: (s: string) => void): void {
  const profile = parseProfile(flags.profile);
  const width = parseWidth(flags.width);
  const maxFrames = parseMaxPackets(flags['max-packets']);
  // One guard for the whole command: reading, replaying and drawing (docs/reading-captures.md, Limits).
  const guard = memoryGuard();
  const input = readInput(path, maxFrames, (n) => guard(n, 'frames read'));
  const report = replayPackets(input.packets, { profile, onProgress: (n) => guard(n, 'packets replayed') });
  report.warnings.unshift(...input.warnings);
  if (flags.json) {
    const json = { ...(reportJson(report) as Record<string, unknown>), ...(input.partial ? { partial: true } : {}) };
    stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    stdout(formatReport(report, input, path, profile, width, !flags.absolute, (n) => guard(n, 'packets drawn')));
  }
  const violations = report.connections.reduce((n, c) => n + c.violations.length, 0);
  if (flags.strict && violations > 0) throw new CheckFailed(`${violations} violation${violations === 1 ? '' : 's'} in ${path} (--strict)`);
}

function parseMaxPackets(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`bad --max-packets "${text}": expected a whole number of at least 1`);
  return Number(text);
}

/** Reads a pcap, a pcapng or a trace JSON, told apart by their first bytes (also `synack diff`'s reader). */
export function readInput(path: string, maxFrames: number | undefined, onProgress?: (frames: number) => void): Input {
  const file = openInput(path);
  try {
    return readReplayInput(file, maxFrames, onProgress);
  } catch (err) {
    if (err instanceof ReplayInputError) throw new UsageError(`${path}: ${err.message}`);
    throw err;
  } finally {
    file.close();
  }
}

function formatReport(report: ReplayReport, input: Input, path: string, profile: string, width: number, relative: boolean, guard: (drawn: number) => void): string {
  const byFrame = new Map(input.packets.map((p) => [p.frame, p]));
  const out: string[] = [];
  let drawn = 0;
  report.connections.forEach((conn, i) => {
    out.push(`Connection ${i + 1}: ${conn.a} -> ${conn.b}, ${conn.packets} packet${conn.packets === 1 ? '' : 's'}${conn.midstream ? ' (capture starts mid-connection)' : ''}`);
    drawn += conn.perPacket.length;
    guard(drawn);
    try {
      out.push(renderLadder(connectionTrace(conn, byFrame, path, profile), { width, relative, timers: false }));
    } catch (err) {
      if (err instanceof LadderWidthError) throw new UsageError(err.message);
      throw err;
    }
    if (conn.perPacket.length < conn.packets) out.push(`  (the ladder stops after the first ${conn.perPacket.length} of ${conn.packets} packets; --json has the states of all)`);
    for (const endpoint of new Set([conn.a, conn.b])) out.push(`  ${endpoint}: ${(conn.states[endpoint] ?? []).join(' -> ') || '(no state inferred)'}`);
    if (conn.violations.length === 0) out.push('  no violations');
    for (const v of conn.violations) out.push(`  VIOLATION frame ${v.packet}: ${v.rule}: ${v.detail}`);
    out.push('');
  });
  const violations = report.connections.reduce((n, c) => n + c.violations.length, 0);
  for (const w of report.warnings) out.push(`warning: ${printable(w)}`); // a warning may quote the input's text (issue 10)
  out.push(`${report.connections.length} connection${report.connections.length === 1 ? '' : 's'}, ${report.packets} TCP packet${report.packets === 1 ? '' : 's'}, ${violations} violation${violations === 1 ? '' : 's'} (profile ${profile})${input.partial ? ' — PARTIAL: the input was cut short' : ''}`);
  return `${out.join('\n')}\n`;
}
