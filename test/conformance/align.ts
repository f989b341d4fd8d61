// Anchoring the kernel's packet times to the calls that sent them. On a loaded machine a runner's program can make a
// call late (its sleep ends late, the event loop is busy): the kernel then sends that call's FIN late too, and every
// packet of the connection after it, by the same amount. That lateness is the machine's, not the kernel's, so it
// is taken out before the times are compared. Per call that sends a segment: its lateness = when the runner made it
// (the CALL line's "made", on the runner's clock, which starts with the model's) minus when the model made it (never below 0: a runner cannot be early, it waits for the planned time), and from
// the segment it sent on, the connection's kernel segments are moved back by it. Both sides' times count from their
// first packet, so the first packet's own lateness (that of the call that sent it, a client that started late) is
// added back: a run late from its first packet on moves nothing, and a call made on time (`at:`) after a late start
// is no longer early. Gaps the protocol makes after the call (an RTO, a delayed ACK) are compared unchanged, and so
// is everything before the first such call.
import type { CallEvent, SegmentEvent, Trace } from '../../src/sim/trace.js';
import { streams } from '../../src/diff/diff.js';
import type { Normalised } from '../../src/diff/normalise.js';
import type { CallLine } from './runners/runner-output.js';

/** Calls that send a segment when they are made: the SYN of connect, the FIN or RST of close/shutdown, send's data. */
const SENDING_CALLS = new Set(['connect', 'close', 'shutdown', 'send', 'sendall']);
const nameOf = (call: string): string => (call === 'connect_ex' ? 'connect' : call);
const whoOf = (e: { host: string; program?: string }): string => `${e.host}/${e.program ?? e.host}`;

export interface CallAnchor {
  /** The program, as "host/program". */
  who: string;
  call: string;
  /** The segment the call sent, by its place in the stream (the diff pairs segments by this place). */
  conn: string;
  from: string;
  index: number;
  /** How far the kernel's segments are moved back from this call on, µs: the call's lateness minus the first packet's. */
  lag: number;
}

/** The segment of the model the call sent: a connect's first SYN; the others' own segment, at the call's instant. */
function sentBy(call: CallEvent, segment: SegmentEvent): boolean {
  if (segment.retransmit) return false;
  switch (nameOf(call.call)) {
    case 'connect':
      return segment.flags.includes('SYN') && !segment.flags.includes('ACK');
    case 'close':
    case 'shutdown':
      return segment.t === call.t && (segment.flags.includes('FIN') || segment.flags.includes('RST'));
    default:
      return segment.t === call.t && segment.len > 0;
  }
}

/**
 * Pairs each program's sending calls on both sides (in order, by name) and finds the segment the model's call sent:
 * in the trace, a call's segments are those its host sent since its previous call (recorded before the call, which
 * is recorded when it returns). The first packet's own lateness is that of the call that sent it; when no paired
 * call sent it, nothing is anchored (the two clocks could not be lined up).
 */
export function callAnchors(trace: Trace, model: Normalised, kernelCalls: readonly CallLine[]): CallAnchor[] {
  const hostOf = new Map(trace.hosts.map((h) => [h.address, h.name]));
  const byFrame = new Map(model.segments.map((s) => [s.frame, s]));
  const modelStreams = streams(model);
  // When the kernel's program made each sending call, per program in order: a CALL line without "made" anchors nothing.
  const kernel = new Map<string, CallLine[]>();
  for (const c of kernelCalls) if (c.result === 'ok' && SENDING_CALLS.has(nameOf(c.call))) kernel.set(whoOf(c), [...(kernel.get(whoOf(c)) ?? []), c]);
  const used = new Map<string, number>();
  const since = new Map<string, Array<{ e: SegmentEvent; frame: number }>>();
  const found: Array<CallAnchor & { late: number; first: boolean }> = [];
  let frame = 0;
  for (const e of trace.events) {
    if (e.kind === 'segment') {
      frame += 1;
      const host = hostOf.get(e.src.slice(0, e.src.lastIndexOf(':')));
      if (host !== undefined) since.set(host, [...(since.get(host) ?? []), { e, frame }]);
      continue;
    }
    if (e.kind !== 'call') continue;
    const sent = since.get(e.host) ?? [];
    since.set(e.host, []);
    if (e.result !== 'ok' || !SENDING_CALLS.has(nameOf(e.call))) continue;
    const who = whoOf(e);
    const i = used.get(who) ?? 0;
    used.set(who, i + 1);
    const k = kernel.get(who)?.[i];
    const hit = sent.find((x) => sentBy(e, x.e));
    const seg = hit && byFrame.get(hit.frame);
    if (k?.made === undefined || nameOf(k.call) !== nameOf(e.call) || !hit || !seg) continue;
    const index = modelStreams.get(seg.conn)!.get(seg.from)!.indexOf(seg);
    found.push({ who, call: e.call, conn: seg.conn, from: seg.from, index, lag: 0, late: Math.max(0, k.made - hit.e.t), first: seg === model.segments[0] });
  }
  const opener = found.find((a) => a.first);
  if (!opener) return [];
  return found.map(({ late, first: _first, ...a }) => ({ ...a, lag: late - opener.late }));
}

/**
 * The kernel's segments with each anchored connection moved back by the lag of its latest anchor: from the kernel
 * segment at the anchor's place on, both directions. Returns the moved copy and how many anchors moved it.
 */
export function alignToCalls(kernel: Normalised, anchors: readonly CallAnchor[]): { normal: Normalised; anchored: number } {
  const kernelStreams = streams(kernel);
  /** Per connection: (kernel time of the call's segment, lag), in time order. */
  const shifts = new Map<string, Array<{ from: number; lag: number }>>();
  for (const a of anchors) {
    const seg = kernelStreams.get(a.conn)?.get(a.from)?.[a.index];
    if (!seg) continue;
    shifts.set(a.conn, [...(shifts.get(a.conn) ?? []), { from: seg.t, lag: a.lag }]);
  }
  for (const list of shifts.values()) list.sort((x, y) => x.from - y.from);
  let anchored = 0;
  for (const list of shifts.values()) anchored += list.filter((s) => s.lag !== 0).length;
  const segments = kernel.segments.map((s) => {
    const list = shifts.get(s.conn);
    if (!list) return s;
    let lag = 0;
    for (const x of list) if (x.from <= s.t) lag = x.lag;
    return lag !== 0 ? { ...s, t: s.t - lag } : s;
  });
  return { normal: { segments, roles: kernel.roles }, anchored };
}
