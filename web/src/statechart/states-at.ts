// Where every socket of a trace is after a given event, and the edge that event took: what the state
// chart panel shows at one step of a run. Reads the trace format only (src/sim/trace.ts).
import type { StateEvent, Trace, TraceEvent, TraceHost } from '../../../src/sim/trace.js';

export interface SocketAt {
  /** "host#socket": unique in the trace (socket ids are per host). */
  key: string;
  /** The host's name (the trace's host field mapped through trace.hosts). */
  host: string;
  socket: number;
  endpoint: string;
  peer?: string;
  /** Short and unique: "client :53780", "server :80", "server :80<-53780". */
  label: string;
  state: string;
}

export interface EdgeAt {
  /** The socket that moved (its SocketAt key and label). */
  key: string;
  label: string;
  from: string;
  to: string;
  cause: string;
}

export interface StatesAt {
  /** Sockets seen so far, in order of first appearance. */
  sockets: SocketAt[];
  /** The transition made by the event at `step`, when it is a state event. */
  edge?: EdgeAt;
}

function hostName(hosts: readonly TraceHost[], host: string): string {
  return hosts.find((h) => h.name === host)?.name ?? hosts.find((h) => h.address === host)?.name ?? host;
}

/** "10.0.0.1:80" -> "80", "[::1]:80" -> "80"; the whole string when it has no port. */
function portOf(endpoint: string): string {
  const m = /^(?:\[.*\]|[^:]*):(\d+)$/.exec(endpoint);
  return m ? m[1]! : endpoint;
}

const keyOf = (host: string, socket: number) => `${host}#${socket}`;

/**
 * "client :53780"; a host already named by its endpoint (a replayed capture's "10.0.0.1:53780",
 * src/replay/to-trace.ts) is its own label, without the port a second time.
 */
function hostPort(host: string, port: string): string {
  return host.endsWith(`:${port}`) ? host : `${host} :${port}`;
}

/**
 * Labels for every socket in the trace, computed over the whole run so they do not change while
 * stepping: "host :port" (the host alone when its name already ends in that port), plus the peer's
 * port ("<-" passively opened, "->" actively) when the host has several sockets on that local port,
 * plus "#id" if that is still ambiguous.
 */
export function socketLabels(trace: Trace): Map<string, string> {
  interface Seen {
    host: string;
    socket: number;
    endpoint: string;
    peer?: string;
    passive: boolean;
  }
  const seen = new Map<string, Seen>();
  for (const ev of trace.events) {
    if (ev.kind !== 'state') continue;
    const host = hostName(trace.hosts, ev.host);
    const key = keyOf(host, ev.socket);
    const prior = seen.get(key);
    // Passive: a listener, or a connection born of one (first seen leaving LISTEN or entering SYN_RECEIVED).
    const passive = (prior?.passive ?? false) || ev.to === 'LISTEN' || (prior === undefined && (ev.from === 'LISTEN' || ev.to === 'SYN_RECEIVED'));
    seen.set(key, { host, socket: ev.socket, endpoint: ev.endpoint, peer: ev.peer ?? prior?.peer, passive });
  }
  const perPort = new Map<string, number>();
  for (const s of seen.values()) {
    const k = `${s.host} ${portOf(s.endpoint)}`;
    perPort.set(k, (perPort.get(k) ?? 0) + 1);
  }
  const labels = new Map<string, string>();
  for (const [key, s] of seen) {
    const port = portOf(s.endpoint);
    let label = hostPort(s.host, port);
    if ((perPort.get(`${s.host} ${port}`) ?? 0) > 1 && s.peer !== undefined) {
      label += `${s.passive ? '<-' : '->'}${portOf(s.peer)}`;
    }
    labels.set(key, label);
  }
  const count = new Map<string, number>();
  for (const l of labels.values()) count.set(l, (count.get(l) ?? 0) + 1);
  for (const [key, l] of labels) {
    if ((count.get(l) ?? 0) > 1) labels.set(key, `${l} #${seen.get(key)!.socket}`);
  }
  return labels;
}

/**
 * The state of each socket after trace.events[step] (step -1: before the first event; past the end:
 * after the last), and the edge taken if that event is a state event. Stepping through a long run asks this
 * at every row: the trace's state events are read once (statesTimeline) and each call replays at most
 * CHECKPOINT_EVERY of them, never the whole trace.
 */
export function statesAt(trace: Trace, step: number, labels?: Map<string, string>): StatesAt {
  if (!Number.isFinite(step)) throw new Error(`statesAt: step must be a number, got ${String(step)}`);
  const last = Math.min(Math.floor(step), trace.events.length - 1);
  const line = statesTimeline(trace, labels);
  // The last state event at or before `last` (binary search over their trace indices).
  let lo = 0;
  let hi = line.indices.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (line.indices[mid]! <= last) lo = mid + 1;
    else hi = mid;
  }
  const upTo = lo; // state events [0, upTo) have happened
  if (upTo === 0) return { sockets: [] };
  const from = Math.floor((upTo - 1) / CHECKPOINT_EVERY);
  const sockets = new Map(line.checkpoints[from]!);
  let at: SocketAt | undefined;
  for (let k = from * CHECKPOINT_EVERY; k < upTo; k++) at = line.apply(sockets, line.events[k]!);
  const result = [...sockets.values()].map((s) => ({ ...s }));
  const ev = line.events[upTo - 1]!;
  if (line.indices[upTo - 1] !== last || !at) return { sockets: result };
  return { sockets: result, edge: { key: at.key, label: at.label, from: ev.from, to: ev.to, cause: ev.cause } };
}

/** State events replayed at most per statesAt call; the sockets are kept before every this many. */
export const CHECKPOINT_EVERY = 32;

interface StatesTimeline {
  events: StateEvent[];
  /** Each state event's index in trace.events. */
  indices: number[];
  /** checkpoints[c]: the sockets before state event c * CHECKPOINT_EVERY. */
  checkpoints: Array<Map<string, SocketAt>>;
  apply(sockets: Map<string, SocketAt>, ev: StateEvent): SocketAt;
}

const timelines = new WeakMap<Trace, { events: readonly TraceEvent[]; length: number; labels?: Map<string, string>; line: StatesTimeline }>();

/**
 * The trace's state events, read once per trace (and labels): kept until the trace is garbage, rebuilt if
 * its event list changed. Without labels, socketLabels(trace) names the sockets.
 */
export function statesTimeline(trace: Trace, labels?: Map<string, string>): StatesTimeline {
  const cached = timelines.get(trace);
  if (cached && cached.events === trace.events && cached.length === trace.events.length && cached.labels === labels) return cached.line;
  const names = labels ?? socketLabels(trace);
  const apply = (sockets: Map<string, SocketAt>, ev: StateEvent): SocketAt => {
    const host = hostName(trace.hosts, ev.host);
    const key = keyOf(host, ev.socket);
    const prior = sockets.get(key);
    const peer = ev.peer ?? prior?.peer;
    const at: SocketAt = {
      key,
      host,
      socket: ev.socket,
      endpoint: ev.endpoint,
      ...(peer === undefined ? {} : { peer }),
      label: names.get(key) ?? hostPort(host, portOf(ev.endpoint)),
      state: ev.to,
    };
    // Map.set keeps an existing key's place: the order stays that of first appearance.
    sockets.set(key, at);
    return at;
  };
  const line: StatesTimeline = { events: [], indices: [], checkpoints: [], apply };
  const sockets = new Map<string, SocketAt>();
  trace.events.forEach((ev, i) => {
    if (ev.kind !== 'state') return;
    if (line.events.length % CHECKPOINT_EVERY === 0) line.checkpoints.push(new Map(sockets));
    line.events.push(ev);
    line.indices.push(i);
    apply(sockets, ev);
  });
  timelines.set(trace, { events: trace.events, length: trace.events.length, ...(labels ? { labels } : {}), line });
  return line;
}
