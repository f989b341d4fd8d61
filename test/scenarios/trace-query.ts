// Small queries over a Trace so scenario tests read like the TCP they check:
//   segments(trace, { from: 'client', flags: ['SYN'] }), relative(trace, seg).seq,
//   statesOf(trace, 'server', { peer: 'client' }), calls(trace, 'client', 'connect').
// Hosts may be named by host name ('client'), IP address ('10.0.0.1') or exact endpoint ('10.0.0.1:40000').
import { findScenario } from '../../src/scenarios/index.js';
import type {
  CallEvent,
  DatagramEvent,
  Fate,
  SegmentEvent,
  StateEvent,
  Trace,
  TraceEvent,
} from '../../src/sim/trace.js';
import type { ProfileName } from '../../src/tcp/profile.js';
import type { FlagName } from '../../src/wire/segment.js';
import { seqDiff } from '../../src/wire/seq.js';

/** Microseconds per millisecond and per second (trace times are integer microseconds). */
export const MS = 1000;
export const S = 1_000_000;

/** A host name, an IPv4 address, or an exact "ip:port" endpoint. */
export type Who = string;

const traces = new Map<string, Promise<Trace>>();

/** Runs a built-in scenario (memoised per name/profile/seed within a test file). */
export function runScenario(name: string, profile: ProfileName = 'linux', seed = 1): Promise<Trace> {
  const scenario = findScenario(name);
  if (!scenario) throw new Error(`no built-in scenario named "${name}"`);
  const key = `${name}/${profile}/${seed}`;
  let trace = traces.get(key);
  if (!trace) {
    trace = scenario.run({ profile, seed });
    traces.set(key, trace);
  }
  return trace;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function ipOf(endpoint: string): string {
  const colon = endpoint.lastIndexOf(':');
  return colon < 0 ? endpoint : endpoint.slice(0, colon);
}

/** Does `endpoint` ("ip:port") belong to `who`? */
export function isAt(trace: Trace, who: Who, endpoint: string): boolean {
  if (who.includes(':')) return endpoint === who;
  const host = trace.hosts.find((h) => h.name === who);
  if (host) return ipOf(endpoint) === host.address;
  if (!IPV4.test(who)) {
    throw new Error(`"${who}" is neither a host of this trace (${trace.hosts.map((h) => h.name).join(', ')}) nor an address`);
  }
  return ipOf(endpoint) === who;
}

/** The host name owning an endpoint's address, or the address itself when no host has it (spoofed). */
export function hostOf(trace: Trace, endpoint: string): string {
  const ip = ipOf(endpoint);
  return trace.hosts.find((h) => h.address === ip)?.name ?? ip;
}

export interface SegmentFilter {
  from?: Who;
  to?: Who;
  /** Exactly these flags, in any order. */
  flags?: readonly FlagName[];
  /** At least these flags. */
  hasFlags?: readonly FlagName[];
  /** None of these flags. */
  without?: readonly FlagName[];
  fate?: Fate;
  retransmit?: boolean;
  /** Carries payload (len > 0) or not. */
  payload?: boolean;
  /** Sent at or after this time (µs). */
  after?: number;
  /** Sent strictly before this time (µs). */
  before?: number;
}

function sameFlags(a: readonly FlagName[], b: readonly FlagName[]): boolean {
  return a.length === b.length && a.every((f) => b.includes(f));
}

/** TCP segments in the order they were sent, optionally filtered. */
export function segments(trace: Trace, filter: SegmentFilter = {}): SegmentEvent[] {
  return trace.events.filter((e): e is SegmentEvent => {
    if (e.kind !== 'segment') return false;
    if (filter.from !== undefined && !isAt(trace, filter.from, e.src)) return false;
    if (filter.to !== undefined && !isAt(trace, filter.to, e.dst)) return false;
    if (filter.flags && !sameFlags(e.flags, filter.flags)) return false;
    if (filter.hasFlags && !filter.hasFlags.every((f) => e.flags.includes(f))) return false;
    if (filter.without && filter.without.some((f) => e.flags.includes(f))) return false;
    if (filter.fate !== undefined && e.fate !== filter.fate) return false;
    if (filter.retransmit !== undefined && (e.retransmit ?? false) !== filter.retransmit) return false;
    if (filter.payload !== undefined && e.len > 0 !== filter.payload) return false;
    if (filter.after !== undefined && e.t < filter.after) return false;
    if (filter.before !== undefined && e.t >= filter.before) return false;
    return true;
  });
}

/** The single segment matching `filter`; throws (listing what matched) unless exactly one does. */
export function theSegment(trace: Trace, filter: SegmentFilter): SegmentEvent {
  const found = segments(trace, filter);
  if (found.length !== 1) {
    throw new Error(`expected exactly one segment matching ${JSON.stringify(filter)}, found ${found.length}: ${found.map((s) => describeSegment(trace, s)).join(' | ')}`);
  }
  return found[0]!;
}

/** The first segment matching `filter`; throws when there is none. */
export function firstSegment(trace: Trace, filter: SegmentFilter): SegmentEvent {
  const found = segments(trace, filter)[0];
  if (!found) throw new Error(`no segment matches ${JSON.stringify(filter)}`);
  return found;
}

/** When a delivered copy reached its destination; throws for a dropped one. */
export function arrival(seg: SegmentEvent | DatagramEvent): number {
  if (seg.arrival === undefined) throw new Error(`segment ${seg.id} (${seg.src} -> ${seg.dst}) never arrived (${seg.fate}${seg.reason ? `: ${seg.reason}` : ''})`);
  return seg.arrival;
}

export function datagrams(trace: Trace, filter: { from?: Who; to?: Who; fate?: Fate } = {}): DatagramEvent[] {
  return trace.events.filter((e): e is DatagramEvent => {
    if (e.kind !== 'datagram') return false;
    if (filter.from !== undefined && !isAt(trace, filter.from, e.src)) return false;
    if (filter.to !== undefined && !isAt(trace, filter.to, e.dst)) return false;
    if (filter.fate !== undefined && e.fate !== filter.fate) return false;
    return true;
  });
}

/** Decodes a segment's or datagram's payload as text ('' when it has none). */
export function payloadText(e: SegmentEvent | DatagramEvent): string {
  return e.payload === undefined ? '' : Buffer.from(e.payload, 'base64').toString('utf8');
}

// ------------------------------------------------------------------ sequence numbers

/** The initial sequence number of the direction src -> dst (exact endpoints): the seq of its first SYN. */
export function isnOf(trace: Trace, src: string, dst: string): number | undefined {
  const syn = trace.events.find((e): e is SegmentEvent => e.kind === 'segment' && e.src === src && e.dst === dst && e.flags.includes('SYN'));
  return syn?.seq;
}

export interface RelativeNumbers {
  /** seq - ISN of the sender's direction (undefined when that direction never sent a SYN). */
  seq: number | undefined;
  /** ack - ISN of the opposite direction, for segments with the ACK flag. */
  ack: number | undefined;
}

/** seq and ack relative to each direction's ISN, as Wireshark shows them (modulo 2^32). */
export function relative(trace: Trace, seg: SegmentEvent): RelativeNumbers {
  const own = isnOf(trace, seg.src, seg.dst);
  const peer = isnOf(trace, seg.dst, seg.src);
  return {
    seq: own === undefined ? undefined : seqDiff(seg.seq, own),
    ack: seg.flags.includes('ACK') && peer !== undefined ? seqDiff(seg.ack, peer) : undefined,
  };
}

/** "client>server SYN,ACK seq=0 ack=1 len=0" with relative numbers; for readable failure messages and lists. */
export function describeSegment(trace: Trace, seg: SegmentEvent): string {
  const r = relative(trace, seg);
  const ack = r.ack === undefined ? '' : ` ack=${r.ack}`;
  return `${hostOf(trace, seg.src)}>${hostOf(trace, seg.dst)} ${[...seg.flags].sort().join(',')} seq=${r.seq ?? seg.seq}${ack} len=${seg.len}`;
}

// ------------------------------------------------------------------ states

export interface ConnectionFilter {
  /** The remote end (host name, address or endpoint). */
  peer?: Who;
  /** The socket id on its host. */
  socket?: number;
  /** The local endpoint, exactly ("0.0.0.0:80" for a listener). */
  endpoint?: string;
  /** Only sockets that never had a peer (listeners). */
  listener?: boolean;
}

/** State events of one host, optionally narrowed to some sockets. */
export function stateEvents(trace: Trace, host: string, filter: ConnectionFilter = {}): StateEvent[] {
  if (!trace.hosts.some((h) => h.name === host)) throw new Error(`no host "${host}" in this trace`);
  return trace.events.filter((e): e is StateEvent => {
    if (e.kind !== 'state' || e.host !== host) return false;
    if (filter.socket !== undefined && e.socket !== filter.socket) return false;
    if (filter.endpoint !== undefined && e.endpoint !== filter.endpoint) return false;
    if (filter.peer !== undefined && (e.peer === undefined || !isAt(trace, filter.peer, e.peer))) return false;
    if (filter.listener !== undefined && (e.peer === undefined) !== filter.listener) return false;
    return true;
  });
}

/** Socket ids of a host that changed state (and match the filter), in order of first appearance. */
export function socketsOf(trace: Trace, host: string, filter: ConnectionFilter = {}): number[] {
  return [...new Set(stateEvents(trace, host, filter).map((e) => e.socket))];
}

function oneSocket(trace: Trace, host: string, filter: ConnectionFilter): StateEvent[] {
  const events = stateEvents(trace, host, filter);
  const sockets = [...new Set(events.map((e) => e.socket))];
  if (sockets.length > 1) {
    throw new Error(`host ${host} has state changes on sockets ${sockets.join(', ')} matching ${JSON.stringify(filter)}; pass {peer}, {socket} or {listener} to pick one`);
  }
  return events;
}

/**
 * The states one endpoint passed through: the first event's `from`, then every `to`
 * (["CLOSED", "SYN_SENT", "ESTABLISHED"]). Throws if the filter matches several sockets.
 */
export function statesOf(trace: Trace, host: string, filter: ConnectionFilter = {}): string[] {
  const events = oneSocket(trace, host, filter);
  if (events.length === 0) return [];
  return [events[0]!.from, ...events.map((e) => e.to)];
}

/** When the endpoint first entered `state`; throws if it never did. */
export function enteredAt(trace: Trace, host: string, state: string, filter: ConnectionFilter = {}): number {
  const e = oneSocket(trace, host, filter).find((s) => s.to === state);
  if (!e) throw new Error(`${host} ${JSON.stringify(filter)} never entered ${state} (went ${statesOf(trace, host, filter).join(' -> ')})`);
  return e.t;
}

/** The endpoint's state at time t, after every state event at or before t (its first `from` before any). */
export function stateAt(trace: Trace, host: string, t: number, filter: ConnectionFilter = {}): string | undefined {
  const events = oneSocket(trace, host, filter);
  let state = events[0]?.from;
  for (const e of events) if (e.t <= t) state = e.to;
  return state;
}

/** The endpoint's state just before time t: what a segment arriving at t finds. */
export function stateBefore(trace: Trace, host: string, t: number, filter: ConnectionFilter = {}): string | undefined {
  return stateAt(trace, host, t - 1, filter);
}

// ------------------------------------------------------------------ calls

/** Socket calls made by a host's programs, optionally only those named `call`. */
export function calls(trace: Trace, host: string, call?: string): CallEvent[] {
  if (!trace.hosts.some((h) => h.name === host)) throw new Error(`no host "${host}" in this trace`);
  return trace.events.filter((e): e is CallEvent => e.kind === 'call' && e.host === host && (call === undefined || e.call === call));
}

/** The one call named `call` made on `host`; throws unless there is exactly one. */
export function theCall(trace: Trace, host: string, call: string): CallEvent {
  const found = calls(trace, host, call);
  if (found.length !== 1) throw new Error(`expected one ${call}() on ${host}, found ${found.length}`);
  return found[0]!;
}

/** Events of a kind, for the odd query the helpers above do not cover. */
export function eventsOfKind<K extends TraceEvent['kind']>(trace: Trace, kind: K): Extract<TraceEvent, { kind: K }>[] {
  return trace.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}
