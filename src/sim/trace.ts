// The trace: the one record of a run. Its JSON form (`synack run NAME --json`) is a public format,
// documented in docs/trace-format.md. Renderers read this, never the simulator.
import type { FlagName, TcpOption } from '../wire/segment.js';

/** Microseconds of virtual time since the start of the run. */
export type Micros = number;

export type Fate = 'delivered' | 'dropped' | 'duplicated';

/** A TCP option as it appears in the trace (JSON-friendly: unknown option data as hex). */
export type TraceOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; mss: number }
  | { kind: 'windowScale'; shift: number }
  | { kind: 'sackPermitted' }
  | { kind: 'sack'; blocks: Array<[number, number]> }
  | { kind: 'timestamps'; tsVal: number; tsEcr: number }
  | { kind: 'unknown'; code: number; data: string };

/** A decoded option as the trace writes it (the simulator's recorder and a replayed capture alike). */
export function traceOption(o: TcpOption): TraceOption {
  switch (o.kind) {
    case 'sack':
      return { kind: 'sack', blocks: o.blocks.map(([a, b]) => [a, b]) };
    case 'unknown':
      return { kind: 'unknown', code: o.code, data: Array.from(o.data, (b) => b.toString(16).padStart(2, '0')).join('') };
    default:
      return { ...o };
  }
}

/** One TCP segment put on a link, and what became of that copy. */
export interface SegmentEvent {
  t: Micros;
  kind: 'segment';
  /** Numbers segments in the order they were sent; a duplicate copy shares its original's id. */
  id: number;
  src: string;
  dst: string;
  flags: FlagName[];
  seq: number;
  ack: number;
  /** Payload octets (not counting SYN/FIN). */
  len: number;
  /** The window field as sent (unscaled). */
  win: number;
  options: TraceOption[];
  fate: Fate;
  /** When this copy reached dst (delivered or duplicated copies only). */
  arrival?: Micros;
  /** Why the copy was dropped: "loss", "fault: …", "no route to host". */
  reason?: string;
  /** The sender had sent this sequence range before. */
  retransmit?: boolean;
  /** Why the stack sent it when it is not ordinary: "syncookie", "challenge ACK", "reset: no socket"… */
  note?: string;
  /** Put on the wire by the scenario (a forged or spoofed segment), not by a host's TCP. */
  injected?: boolean;
  /** Delivered, but the receiving host's TCP threw it away without a reply, and why: "SYN dropped: SYN queue full". */
  discarded?: string;
  /** Payload bytes, base64; present when len > 0. */
  payload?: string;
}

/** One UDP datagram put on a link. */
export interface DatagramEvent {
  t: Micros;
  kind: 'datagram';
  id: number;
  src: string;
  dst: string;
  len: number;
  fate: Fate;
  arrival?: Micros;
  reason?: string;
  payload?: string;
}

/** A connection changed state. */
export interface StateEvent {
  t: Micros;
  kind: 'state';
  host: string;
  /** The local endpoint, "ip:port". */
  endpoint: string;
  /** The remote endpoint when known, "ip:port". */
  peer?: string;
  /** The socket's id on its host (stable for the run). */
  socket: number;
  from: string;
  to: string;
  /** What caused it: the event name of the statechart, e.g. RCV_SYN_ACK. */
  cause: string;
}

/** A socket call made by a host's program, and its result. */
export interface CallEvent {
  t: Micros;
  kind: 'call';
  host: string;
  /** The program that made the call (its name in the scenario), when the host runs named programs. */
  program?: string;
  socket?: number;
  call: string;
  /** Arguments in readable form, e.g. ["10.0.0.2:80"] or ["5 bytes"]. */
  args?: string[];
  /** "ok" or an errno name such as ECONNREFUSED. */
  result: string;
  /** What an ok call returned, readable: "5 bytes", "fd 4 from 10.0.0.1:40000". */
  value?: string;
}

export type TimerName = 'retransmit' | 'delayedAck' | 'timeWait' | 'finWait2' | 'synAck' | 'persist';

/** A protocol timer was armed, fired or cancelled. */
export interface TimerEvent {
  t: Micros;
  kind: 'timer';
  host: string;
  endpoint: string;
  peer?: string;
  socket?: number;
  timer: TimerName;
  action: 'set' | 'fired' | 'cancelled';
  /** When a set timer will fire. */
  deadline?: Micros;
}

export type TraceEvent = SegmentEvent | DatagramEvent | StateEvent | CallEvent | TimerEvent;

export interface TraceHost {
  name: string;
  /** An IP address; or a whole "ip:port" endpoint when a trace made from a capture has two lifelines on one address (loopback). */
  address: string;
}

/** The whole JSON document. */
export interface Trace {
  format: 'synack-trace';
  version: 1;
  scenario: string;
  profile: string;
  seed: number;
  hosts: TraceHost[];
  events: TraceEvent[];
}
