// A trace JSON file (docs/trace-format.md) read back for replay: checked with a schema so a damaged or
// hand-edited file gets a clear message naming the event and field, never a crash deep in the replay.
import * as z from 'zod';
import type { Trace } from '../sim/trace.js';

const uint32 = z.number().int().min(0).max(0xffffffff);
const endpoint = z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[0-9.]+):\d+$/, 'an endpoint "ip:port"');
const option = z.union([
  z.object({ kind: z.enum(['eol', 'nop', 'sackPermitted']) }),
  z.object({ kind: z.literal('mss'), mss: z.number().int() }),
  z.object({ kind: z.literal('windowScale'), shift: z.number().int() }),
  z.object({ kind: z.literal('sack'), blocks: z.array(z.tuple([uint32, uint32])) }),
  z.object({ kind: z.literal('timestamps'), tsVal: uint32, tsEcr: uint32 }),
  z.object({ kind: z.literal('unknown'), code: z.number().int(), data: z.string() }),
]);
const segment = z.object({
  t: z.number().min(0),
  kind: z.literal('segment'),
  id: z.number().int(),
  src: endpoint,
  dst: endpoint,
  flags: z.array(z.enum(['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'])),
  seq: uint32,
  ack: uint32,
  len: z.number().int().min(0),
  win: z.number().int().min(0).max(65535),
  options: z.array(option),
  fate: z.enum(['delivered', 'dropped', 'duplicated']),
  payload: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64').optional(),
});
/** Events other than segments are kept as they are; the replay reads only segments. */
const event = z.union([segment, z.object({ t: z.number(), kind: z.enum(['datagram', 'state', 'call', 'timer']) })]);
const trace = z.object({
  format: z.literal('synack-trace'),
  version: z.literal(1),
  scenario: z.string(),
  profile: z.string(),
  seed: z.number(),
  hosts: z.array(z.object({ name: z.string(), address: z.string() })),
  events: z.array(z.unknown()),
});

export class TraceFileError extends Error {}

/** Parses and checks a trace JSON document; throws TraceFileError with one line saying what is wrong and where. */
export function parseTraceJson(text: string): Trace {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TraceFileError(`not valid JSON: ${(e as Error).message}`);
  }
  return checkTraceDoc(doc);
}

/** checkTraceDoc for a document already parsed from JSON (the page parses it once to tell a trace from a scenario). */
export function checkTraceDoc(doc: unknown): Trace {
  const top = trace.safeParse(doc);
  if (!top.success) throw new TraceFileError(`not a synack trace: ${describe(top.error.issues[0]!)}`);
  top.data.events.forEach((ev, i) => {
    // The schema only when the quick check has a doubt: it alone words the message (a 10,000-segment trace
    // checked by zod event by event took a quarter of a second in the page).
    if (quickEvent(ev)) return;
    const r = event.safeParse(ev);
    if (!r.success) throw new TraceFileError(`event ${i + 1}: ${describe(r.error.issues[0]!)}`);
  });
  return doc as Trace;
}

const FLAGS = new Set(['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR']);
const FATES = new Set(['delivered', 'dropped', 'duplicated']);
const OTHER_KINDS = new Set(['datagram', 'state', 'call', 'timer']);
const ENDPOINT = /^(\[[0-9a-fA-F:.]+\]|[0-9.]+):\d+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isUint32 = (v: unknown): boolean => isInt(v) && v >= 0 && v <= 0xffffffff;

/**
 * True only for events the schema above accepts (never for one it refuses): the usual segment, every other
 * event kind. Anything unusual returns false and goes to the schema.
 */
export function quickEvent(ev: unknown): boolean {
  if (typeof ev !== 'object' || ev === null || Array.isArray(ev)) return false;
  const e = ev as Record<string, unknown>;
  if (typeof e.t !== 'number' || !Number.isFinite(e.t)) return false;
  if (e.kind !== 'segment') return typeof e.kind === 'string' && OTHER_KINDS.has(e.kind);
  if (e.t < 0 || !isInt(e.id) || !isUint32(e.seq) || !isUint32(e.ack)) return false;
  if (!isInt(e.len) || e.len < 0 || !isInt(e.win) || e.win < 0 || e.win > 65535) return false;
  if (typeof e.src !== 'string' || !ENDPOINT.test(e.src) || typeof e.dst !== 'string' || !ENDPOINT.test(e.dst)) return false;
  if (typeof e.fate !== 'string' || !FATES.has(e.fate)) return false;
  if (!Array.isArray(e.flags) || !e.flags.every((f) => typeof f === 'string' && FLAGS.has(f))) return false;
  if (!Array.isArray(e.options) || !e.options.every(quickOption)) return false;
  if (e.payload !== undefined && (typeof e.payload !== 'string' || !BASE64.test(e.payload))) return false;
  return true;
}

function quickOption(o: unknown): boolean {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  const x = o as Record<string, unknown>;
  switch (x.kind) {
    case 'eol':
    case 'nop':
    case 'sackPermitted':
      return true;
    case 'mss':
      return isInt(x.mss);
    case 'windowScale':
      return isInt(x.shift);
    case 'timestamps':
      return isUint32(x.tsVal) && isUint32(x.tsEcr);
    default:
      return false; // sack blocks, unknown options: the schema
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'invalid_union') return `${where}not a known event or option`;
  return `${where}${issue.message}`;
}
