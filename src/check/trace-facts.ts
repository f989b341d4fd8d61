// Facts the invariants share, read from the trace alone: sockets and their states, segments by direction,
// counts in call results, sequence-space arithmetic (RFC 9293 3.4: modulo 2^32).
import type { CallEvent, SegmentEvent, StateEvent, Trace } from '../sim/trace.js';

/** One socket's life: every state event of (host, socket id), in trace order with their indexes. */
export interface SocketLife {
  host: string;
  socket: number;
  /** Its local endpoint and peer (from its last state event that names a peer). */
  endpoint: string;
  peer?: string;
  states: Array<{ index: number; event: StateEvent }>;
}

export function socketKey(host: string, socket: number): string {
  return `${host}#${socket}`;
}

export function socketLives(trace: Trace): Map<string, SocketLife> {
  const lives = new Map<string, SocketLife>();
  trace.events.forEach((ev, index) => {
    if (ev.kind !== 'state') return;
    const key = socketKey(ev.host, ev.socket);
    let life = lives.get(key);
    if (!life) {
      life = { host: ev.host, socket: ev.socket, endpoint: ev.endpoint, states: [] };
      lives.set(key, life);
    }
    if (ev.peer !== undefined) {
      life.endpoint = ev.endpoint;
      life.peer = ev.peer;
    }
    life.states.push({ index, event: ev });
  });
  return lives;
}

type Indexed<T> = ReadonlyArray<{ index: number } & T>;

/**
 * A trace's segments by direction and calls by socket, made in one pass: an invariant makes one when it starts
 * and asks it per connection (a pass over the whole trace per connection was quadratic in the connections).
 * What it returns is shared: read it, never change it.
 */
export interface TraceIndex {
  /** Segments from `src` to `dst` (endpoints "ip:port"), with their indexes, in trace order. */
  segmentsFrom(src: string, dst: string): Indexed<{ seg: SegmentEvent }>;
  /** Calls of one socket, with their indexes, in trace order. */
  callsOf(host: string, socket: number): Indexed<{ call: CallEvent }>;
}

const NONE: readonly never[] = Object.freeze([]);

export function indexTrace(trace: Trace): TraceIndex {
  const segments = new Map<string, Array<{ index: number; seg: SegmentEvent }>>();
  const calls = new Map<string, Array<{ index: number; call: CallEvent }>>();
  trace.events.forEach((ev, index) => {
    if (ev.kind === 'segment') {
      const key = `${ev.src} ${ev.dst}`;
      const list = segments.get(key);
      if (list) list.push({ index, seg: ev });
      else segments.set(key, [{ index, seg: ev }]);
    } else if (ev.kind === 'call' && ev.socket !== undefined) {
      const key = socketKey(ev.host, ev.socket);
      const list = calls.get(key);
      if (list) list.push({ index, call: ev });
      else calls.set(key, [{ index, call: ev }]);
    }
  });
  return {
    segmentsFrom: (src, dst) => segments.get(`${src} ${dst}`) ?? NONE,
    callsOf: (host, socket) => calls.get(socketKey(host, socket)) ?? NONE,
  };
}

/** A copy that reached its destination (delivered, or a duplicated copy). */
export function arrived(seg: SegmentEvent): boolean {
  return seg.fate !== 'dropped' && seg.arrival !== undefined;
}

/** The byte count in a call's value: "12 bytes" -> 12, "EOF (0 bytes)" -> 0; undefined when there is none. */
export function byteCount(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /(\d+) bytes/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** b - a in sequence space, as a signed 32-bit distance (RFC 9293 3.4). */
export function seqDelta(a: number, b: number): number {
  return (b - a) | 0;
}

/** a + n modulo 2^32. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** Base64 payload -> bytes (atob: the same in Node and a browser). */
export function payloadBytes(seg: SegmentEvent): Uint8Array {
  if (seg.payload === undefined) return new Uint8Array(0);
  const text = atob(seg.payload);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
