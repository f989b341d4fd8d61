// The shareable link: what is open (a scenario's text, a trace, or a capture's bytes), the settings and the
// current row, as JSON compressed with deflate-raw (CompressionStream) and written in base64url into the URL's
// fragment, which browsers never send to a server. Opening a link decodes it with limits, so a hostile
// fragment gets a one-line message instead of exhausting memory: at most MAX_FRAGMENT characters, and at most
// MAX_SHARE_BYTES once inflated (the inflation stops as soon as it passes the cap).
import { isBugName, type BugName } from '../../../src/tcp/bugs.js';
import type { Settings } from './settings.js';

export const FRAGMENT_PREFIX = '#s1=';
export const MAX_SHARE_BYTES = 2 * 1024 * 1024;
export const MAX_FRAGMENT = 3 * 1024 * 1024;

export interface SharedRun {
  kind: 'scenario' | 'trace' | 'capture';
  /** Shown as the run's title: "three-way-handshake", "mine.pcap". */
  name: string;
  /** kind scenario: the file's text. */
  text?: string;
  /** kind trace: the trace JSON's text. */
  trace?: string;
  /** kind capture: the capture file's bytes, base64. */
  capture?: string;
  settings: Settings;
  /** Index into the diagram's rows. */
  row: number;
  /**
   * kind scenario, test only: protocol bugs to plant in the page's engine (src/tcp/bugs.ts), as `synack check`
   * writes into a counterexample's link when it ran with bugs planted. Absent otherwise.
   */
  plant?: BugName[];
}

export class ShareError extends Error {
  override name = 'ShareError';
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, cap: number): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel();
      throw new ShareError(`the link holds more than ${cap / 1024 / 1024} MB once unpacked; synack opens links up to that size`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function toBase64url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareError('the link is damaged: its fragment is not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  let bin: string;
  try {
    bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  } catch {
    throw new ShareError('the link is damaged: its fragment is not base64url');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The run as a URL fragment ("#s1=…"); a ShareError when it is too big for a link. */
export async function encodeShare(run: SharedRun): Promise<string> {
  // Its texts alone already too long (UTF-8 and JSON's escapes only lengthen them): said without encoding
  // them, which took a tenth of a second per step on a 17 MB trace.
  const least = (run.text?.length ?? 0) + (run.trace?.length ?? 0) + (run.capture?.length ?? 0);
  if (least > MAX_SHARE_BYTES) throw tooBig(`more than ${least}`);
  const json = new TextEncoder().encode(JSON.stringify(run));
  if (json.length > MAX_SHARE_BYTES) throw tooBig(String(json.length));
  const packed = await pipe(json, new CompressionStream('deflate-raw'), MAX_SHARE_BYTES);
  return FRAGMENT_PREFIX + toBase64url(packed);
}

function tooBig(bytes: string): ShareError {
  return new ShareError(`this run is too big to share as a link (${bytes} bytes; at most ${MAX_SHARE_BYTES}): export the file instead`);
}

/** Is this fragment one of ours (to be decoded), rather than empty or something else? */
export function isShareFragment(hash: string): boolean {
  return hash.startsWith(FRAGMENT_PREFIX);
}

/** A fragment back into a run; every problem is a ShareError with one line. */
export async function decodeShare(hash: string): Promise<SharedRun> {
  if (!isShareFragment(hash)) throw new ShareError('not a synack link (its fragment does not start with "s1=")');
  if (hash.length > MAX_FRAGMENT) throw new ShareError(`the link is too long (${hash.length} characters; at most ${MAX_FRAGMENT})`);
  const packed = fromBase64url(hash.slice(FRAGMENT_PREFIX.length));
  let json: Uint8Array;
  try {
    json = await pipe(packed, new DecompressionStream('deflate-raw'), MAX_SHARE_BYTES);
  } catch (err) {
    if (err instanceof ShareError) throw err;
    throw new ShareError('the link is damaged: its content does not unpack');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw new ShareError('the link is damaged: its content is not JSON');
  }
  return checkShared(doc);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkShared(doc: unknown): SharedRun {
  const bad = (what: string): never => {
    throw new ShareError(`the link is damaged: ${what}`);
  };
  if (!isRecord(doc)) return bad('expected an object');
  const { kind, name, text, trace, capture, settings, row, plant } = doc;
  if (kind !== 'scenario' && kind !== 'trace' && kind !== 'capture') return bad('unknown kind of run');
  if (typeof name !== 'string' || name.length > 200) return bad('bad name');
  if (kind === 'scenario' && typeof text !== 'string') return bad('a scenario link without the scenario');
  if (kind === 'trace' && typeof trace !== 'string') return bad('a trace link without the trace');
  if (kind === 'capture' && typeof capture !== 'string') return bad('a capture link without the capture');
  if (!Number.isSafeInteger(row) || (row as number) < 0) return bad('bad step');
  if (!isRecord(settings)) return bad('bad settings');
  const { profile, seed, latencyMs, lossPercent, knobs } = settings;
  if (profile !== 'linux' && profile !== 'rfc9293') return bad('bad profile');
  if (!Number.isSafeInteger(seed)) return bad('bad seed');
  if (latencyMs !== undefined && typeof latencyMs !== 'number') return bad('bad latency');
  if (lossPercent !== undefined && typeof lossPercent !== 'number') return bad('bad loss');
  if (knobs !== undefined && !isRecord(knobs)) return bad('bad knobs');
  const s: Settings = { profile, seed: seed as number, knobs: { ...(knobs ?? {}) } };
  if (latencyMs !== undefined) s.latencyMs = latencyMs;
  if (lossPercent !== undefined) s.lossPercent = lossPercent;
  const out: SharedRun = { kind, name, settings: s, row: row as number };
  if (kind === 'scenario') out.text = text as string;
  if (kind === 'trace') out.trace = trace as string;
  if (kind === 'capture') out.capture = capture as string;
  if (plant !== undefined) {
    if (kind !== 'scenario') return bad('planted bugs on a run that is not a scenario');
    const bugs = checkPlant(plant, bad);
    if (bugs.length > 0) out.plant = bugs;
  }
  return out;
}

/** The planted bugs' names, each known (src/tcp/bugs.ts BUG_NAMES) and once. */
function checkPlant(plant: unknown, bad: (what: string) => never): BugName[] {
  if (!Array.isArray(plant) || plant.length > 20) return bad('bad list of planted bugs');
  const bugs: BugName[] = [];
  for (const name of plant) {
    if (typeof name !== 'string') return bad('bad list of planted bugs');
    if (!isBugName(name)) return bad(`unknown planted bug "${name.slice(0, 60).replace(/[^\x20-\x7e]/g, '?')}"`);
    if (!bugs.includes(name)) bugs.push(name);
  }
  return bugs;
}
