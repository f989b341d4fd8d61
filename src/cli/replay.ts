// `synack replay FILE`: read a capture (pcap/pcapng) or a trace JSON, group its TCP packets into
// connections, infer both endpoints' states packet by packet, and flag what a correct stack would not do.
import { renderLadder, LadderWidthError } from '../render/ladder.js';
import { CaptureError, detectCapture } from '../pcap/index.js';
import { packetsFromCapture, type CapturePackets } from '../replay/from-capture.js';
import { packetsFromTrace, replayPackets, reportJson, type ObservedPacket, type ReplayReport } from '../replay/index.js';
import { parseTraceJson, TraceFileError } from '../replay/trace-json.js';
import { CheckFailed, UsageError } from './errors.js';
import { openInput } from './file-source.js';
import { connectionTrace } from './replay-ladder.js';
import { parseProfile, parseWidth } from './run-options.js';

/** A trace JSON bigger than this is refused (a capture is read in pieces, whatever its size). */
export const MAX_TRACE_BYTES = 256 * 1024 * 1024;

export interface ReplayFlags {
  json?: boolean;
  strict?: boolean;
  profile?: string;
  width?: string;
  absolute?: boolean;
  'max-packets'?: string;
}

export interface Input {
  packets: ObservedPacket[];
  warnings: string[];
  partial: boolean;
}

export function replayFile(path: string, flags: ReplayFlags, stdout: (s: string) => void): void {
  const profile = parseProfile(flags.profile);
  const width = parseWidth(flags.width);
  const maxFrames = parseMaxPackets(flags['max-packets']);
  const input = readInput(path, maxFrames);
  const report = replayPackets(input.packets, { profile });
  report.warnings.unshift(...input.warnings);
  if (flags.json) {
    const json = { ...(reportJson(report) as Record<string, unknown>), ...(input.partial ? { partial: true } : {}) };
    stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    stdout(formatReport(report, input, path, profile, width, !flags.absolute));
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
export function readInput(path: string, maxFrames: number | undefined): Input {
  const file = openInput(path);
  try {
    if (file.size === 0) throw new UsageError(`${path}: empty file (0 bytes): expected a pcap, a pcapng or a trace JSON`);
    const head = file.read(0, 16);
    if (detectCapture(head) !== undefined) {
      let got: CapturePackets;
      try {
        got = packetsFromCapture(file, maxFrames !== undefined ? { maxFrames } : {});
      } catch (err) {
        if (err instanceof CaptureError) throw new UsageError(`${path}: ${err.message}`);
        throw err;
      }
      const warnings = got.truncated ? [...got.warnings, `partial result: ${got.frames} frames read`] : got.warnings;
      return { packets: got.packets, warnings, partial: got.truncated };
    }
    if (/^\s*\{/.test(new TextDecoder().decode(head))) {
      if (file.size > MAX_TRACE_BYTES) throw new UsageError(`${path}: a trace JSON of ${file.size} bytes is more than synack reads (${MAX_TRACE_BYTES}); replay a pcap instead`);
      try {
        const trace = parseTraceJson(new TextDecoder().decode(file.read(0, file.size)));
        return { packets: packetsFromTrace(trace), warnings: [], partial: false };
      } catch (err) {
        if (err instanceof TraceFileError) throw new UsageError(`${path}: ${err.message}`);
        throw err;
      }
    }
    const hex = [...head.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new UsageError(`${path}: not a pcap, pcapng or trace JSON (it starts with ${hex})`);
  } finally {
    file.close();
  }
}

function formatReport(report: ReplayReport, input: Input, path: string, profile: string, width: number, relative: boolean): string {
  const byFrame = new Map(input.packets.map((p) => [p.frame, p]));
  const out: string[] = [];
  report.connections.forEach((conn, i) => {
    out.push(`Connection ${i + 1}: ${conn.a} -> ${conn.b}, ${conn.packets} packet${conn.packets === 1 ? '' : 's'}${conn.midstream ? ' (capture starts mid-connection)' : ''}`);
    try {
      out.push(renderLadder(connectionTrace(conn, byFrame, path, profile), { left: conn.a, right: conn.b, width, relative, timers: false }));
    } catch (err) {
      if (err instanceof LadderWidthError) throw new UsageError(err.message);
      throw err;
    }
    for (const endpoint of [conn.a, conn.b]) out.push(`  ${endpoint}: ${(conn.states[endpoint] ?? []).join(' -> ') || '(no state inferred)'}`);
    if (conn.violations.length === 0) out.push('  no violations');
    for (const v of conn.violations) out.push(`  VIOLATION frame ${v.packet}: ${v.rule}: ${v.detail}`);
    out.push('');
  });
  const violations = report.connections.reduce((n, c) => n + c.violations.length, 0);
  for (const w of report.warnings) out.push(`warning: ${w}`);
  out.push(`${report.connections.length} connection${report.connections.length === 1 ? '' : 's'}, ${report.packets} TCP packet${report.packets === 1 ? '' : 's'}, ${violations} violation${violations === 1 ? '' : 's'} (profile ${profile})${input.partial ? ' — PARTIAL: the input was cut short' : ''}`);
  return `${out.join('\n')}\n`;
}
