// What a file opened in the page is, from its first bytes and its name: a capture (pcap/pcapng magic), a
// trace JSON ("format": "synack-trace"), or a scenario (YAML, or JSON without that format). Nothing in it is
// ever run as code: a scenario is parsed by the scenario loader, the rest by the replay's readers.
import { detectCapture } from '../../../src/pcap/index.js';
import { parseJsonOnce } from './json-once.js';
import { perfMark } from './perf-marks.js';

export type FileKind = 'scenario' | 'trace' | 'capture';

/** Files bigger than these are refused with a message rather than read. */
export const MAX_CAPTURE_BYTES = 256 * 1024 * 1024;
/** A trace JSON carries every payload in base64: a 10,000-segment bulk transfer is some 17 MB. */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

export interface OpenedFile {
  kind: FileKind;
  name: string;
  bytes: Uint8Array;
  /** Decoded text (scenario, trace). */
  text?: string;
}

export class OpenFileError extends Error {
  override name = 'OpenFileError';
}

export function classifyFile(name: string, bytes: Uint8Array): OpenedFile {
  perfMark('synack:file-read');
  if (bytes.length === 0) throw new OpenFileError(`${name}: the file is empty`);
  if (detectCapture(bytes.subarray(0, 16)) !== undefined) {
    if (bytes.length > MAX_CAPTURE_BYTES) throw new OpenFileError(`${name}: a capture of ${bytes.length} bytes is more than the page opens (${MAX_CAPTURE_BYTES})`);
    return { kind: 'capture', name, bytes };
  }
  if (/\.(pcap|pcapng|cap)$/i.test(name)) throw new OpenFileError(`${name}: not a pcap or pcapng capture (its first bytes are not a capture's magic number)`);
  if (bytes.length > MAX_TEXT_BYTES) throw new OpenFileError(`${name}: ${bytes.length} bytes is more than the page opens as a scenario or trace (${MAX_TEXT_BYTES})`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OpenFileError(`${name}: not a scenario (.yaml, .json), a trace JSON or a capture (.pcap, .pcapng): it is neither text nor a capture`);
  }
  return { kind: isTraceJson(text) ? 'trace' : 'scenario', name, bytes, text };
}

/** A JSON object whose "format" is "synack-trace" (docs/trace-format.md); a scenario JSON has no such field. */
function isTraceJson(text: string): boolean {
  if (!/^\s*\{/.test(text)) return false;
  try {
    const doc = parseJsonOnce(text);
    return typeof doc === 'object' && doc !== null && (doc as { format?: unknown }).format === 'synack-trace';
  } catch {
    return false;
  }
}
