// A trace JSON file (docs/trace-format.md) read back for replay: checked with a schema so a damaged or
// hand-edited file gets a clear message naming the event and field, never a crash deep in the replay.
import * as z from 'zod';
import type { Trace } from '../sim/trace.js';
import { hexBytes, packetFieldIssue, type PacketFields } from './trace-values.js';

/** The largest `len`: an IP packet's 16-bit length. */
export const MAX_LEN = 65535;
/** The latest packet time: a capture's 32-bit seconds field (src/pcap/write-common.ts), in microseconds. */
export const MAX_PACKET_T = 2 ** 32 * 1_000_000 - 1;
/** A packet's time: whole microseconds (docs/trace-format.md), as a capture records them. */
const packetT = z.number().int().min(0).max(MAX_PACKET_T);
const uint32 = z.number().int().min(0).max(0xffffffff);
// Option fields in the ranges their wire encoding holds (src/wire/options.ts): a capture can be written from them.
const option = z.union([
  z.object({ kind: z.enum(['eol', 'nop', 'sackPermitted']) }),
  z.object({ kind: z.literal('mss'), mss: z.number().int().min(0).max(65535) }),
  z.object({ kind: z.literal('windowScale'), shift: z.number().int().min(0).max(255) }),
  z.object({ kind: z.literal('sack'), blocks: z.array(z.tuple([uint32, uint32])).min(1).max(4) }),
  z.object({ kind: z.literal('timestamps'), tsVal: uint32, tsEcr: uint32 }),
  z.object({
    kind: z.literal('unknown'),
    code: z.number().int().min(2).max(255),
    data: z.string().max(76).refine((d) => hexBytes(d) !== undefined, 'hex digits in pairs'),
  }),
]);
/** Endpoints and payload checked by the parsers the replay uses (trace-values.ts), not by a look-alike pattern. */
const packetFields = (e: PacketFields, ctx: z.RefinementCtx): void => {
  const issue = packetFieldIssue(e);
  if (issue) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
};
/** A payload's octets: at most what an IP packet holds (a capture's IP total length is 16 bits). */
const length = z.number().int().min(0).max(MAX_LEN);
const fate = z.enum(['delivered', 'dropped', 'duplicated']);
const segment = z
  .object({
    t: packetT,
    kind: z.literal('segment'),
    id: z.number().int(),
    src: z.string(),
    dst: z.string(),
    flags: z.array(z.enum(['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'])),
    seq: uint32,
    ack: uint32,
    len: length,
    win: z.number().int().min(0).max(65535),
    options: z.array(option),
    fate,
    payload: z.string().optional(),
  })
  .superRefine(packetFields);
/** Datagrams are not replayed, but a capture written from the trace holds them (to-capture.ts). */
const datagram = z
  .object({ t: packetT, kind: z.literal('datagram'), id: z.number().int(), src: z.string(), dst: z.string(), len: length, fate, payload: z.string().optional() })
  .superRefine(packetFields);
/** Other events are kept as they are; the replay reads only segments. */
const event = z.union([segment, datagram, z.object({ t: z.number(), kind: z.enum(['state', 'call', 'timer']) })]);
const trace = z.object({
  format: z.literal('synack-trace'),
  version: z.literal(1),
  scenario: z.string(),
  profile: z.string(),
  seed: z.number().int(), // a capture written from the trace seeds its IP ids with it (to-capture.ts)
  hosts: z.array(z.object({ name: z.string(), address: z.string() })),
  events: z.array(z.unknown()),
});

/** The whole document with its events, for the JSON Schema (`synack schema trace`); readers check events one by one. */
export const traceSchema = trace.extend({ events: z.array(event) });

/** The trace format as a JSON Schema (draft 2020-12), generated from the schema above (docs/trace-format.md). */
export function traceJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(traceSchema, { io: 'input' }) as Record<string, unknown>;
  return { $schema, title: 'synack trace', description: 'A run of the synack TCP simulator, as "synack run --json" writes it (docs/trace-format.md).', ...rest };
}

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
const OTHER_KINDS = new Set(['state', 'call', 'timer']);
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
  if (e.kind === 'datagram') return quickPacket(e);
  if (e.kind !== 'segment') return typeof e.kind === 'string' && OTHER_KINDS.has(e.kind);
  if (!isUint32(e.seq) || !isUint32(e.ack) || !isInt(e.win) || e.win < 0 || e.win > 65535) return false;
  if (!Array.isArray(e.flags) || !e.flags.every((f) => typeof f === 'string' && FLAGS.has(f))) return false;
  if (!Array.isArray(e.options) || !e.options.every(quickOption)) return false;
  return quickPacket(e);
}

/** The fields segments and datagrams share, and the schema's own refinement (packetFieldIssue). */
function quickPacket(e: Record<string, unknown>): boolean {
  if (!isInt(e.t) || e.t < 0 || e.t > MAX_PACKET_T || !isInt(e.id) || !isInt(e.len) || e.len < 0 || e.len > MAX_LEN) return false;
  if (typeof e.src !== 'string' || typeof e.dst !== 'string') return false;
  if (typeof e.fate !== 'string' || !FATES.has(e.fate)) return false;
  if (e.payload !== undefined && typeof e.payload !== 'string') return false;
  return packetFieldIssue(e as unknown as PacketFields) === undefined;
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
      return isInt(x.mss) && x.mss >= 0 && x.mss <= 65535;
    case 'windowScale':
      return isInt(x.shift) && x.shift >= 0 && x.shift <= 255;
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
