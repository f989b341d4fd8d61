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
  const top = trace.safeParse(doc);
  if (!top.success) throw new TraceFileError(`not a synack trace: ${describe(top.error.issues[0]!)}`);
  top.data.events.forEach((ev, i) => {
    const r = event.safeParse(ev);
    if (!r.success) throw new TraceFileError(`event ${i + 1}: ${describe(r.error.issues[0]!)}`);
  });
  return doc as Trace;
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'invalid_union') return `${where}not a known event or option`;
  return `${where}${issue.message}`;
}
