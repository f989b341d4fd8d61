// The sequence diagram's model: what is drawn, decided from the trace alone (docs/trace-format.md), before any
// pixel or column is counted. The SVG chart, the HTML page, the Mermaid text and the ASCII ladder all read this.
import type { Micros, TimerName } from '../../sim/trace.js';

/**
 * One lifeline. Normally an endpoint of a host ("client 10.0.0.1:53780"); a host's sockets that never had a port
 * (a connect() that failed with EADDRNOTAVAIL) share a lane of the host itself; segments no host sent (spoofed
 * sources, forged packets) share one lane of their own.
 */
export interface Lane {
  /** Stable key: "client:53780", "client", "~outside". */
  key: string;
  kind: 'endpoint' | 'host' | 'outside';
  /** Host name ("" for the outside lane). */
  host: string;
  /** Title on top: the host's name, or "spoofed sources" / "injected". */
  title: string;
  /** Second line: "10.0.0.1:53780", "10.0.0.2:8898 (listening)", "198.51.100.1 … .36 (36 addresses)". */
  subtitle: string;
  /** A socket listened on this endpoint. */
  listener: boolean;
  /** Socket tracks drawn beside the lifeline: sockets whose lives overlap get separate tracks. */
  tracks: number;
}

/** Why a segment did not arrive, and where that happened. */
export interface Loss {
  /** "fault: drop 1st SYN", "loss", "no route to host", "SYN dropped: accept queue full". */
  reason: string;
  /** On the link, at the sender (no route) or at the receiver (its TCP discarded it). */
  where: 'link' | 'sender' | 'receiver';
  /** When: for a link loss an estimate (halfway through the usual transit time). */
  t: Micros;
}

export interface SegmentItem {
  kind: 'segment';
  /** Index of the event in trace.events. */
  index: number;
  t: Micros;
  proto: 'tcp' | 'udp';
  /** Segment id from the trace (a duplicate copy shares its original's id). */
  id: number;
  from: number;
  to: number;
  /** When it reached the receiver (delivered, duplicated, and discarded-at-receiver copies). */
  arrival?: Micros;
  loss?: Loss;
  /** "SYN", "SYN,ACK", "PSH,ACK", "UDP". */
  flags: string;
  /** Words after the flags: "seq=0", "ack=1", "len=5", "win=64256". */
  numbers: string[];
  /** Options of a SYN as words: "mss=1460", "sackOK", "TS", "wscale=7"; empty otherwise. */
  options: string[];
  /** Marks: "rtx", "dup", "injected", "spoofed", a note such as "challenge ACK". */
  marks: string[];
  /** Every header field with absolute numbers, one "name: value" per line (hover, inspector, text alternative). */
  detail: string[];
  /** The connection it belongs to (sorted endpoint pair), for highlighting one conversation. */
  conversation: string;
}

export interface StateItem {
  kind: 'state';
  index: number;
  t: Micros;
  lane: number;
  track: number;
  /** "host#socket" */
  socket: string;
  from: string;
  to: string;
  cause: string;
  /** ":8898<-:53780" when the lane holds several sockets, else "". */
  who: string;
}

export interface CallItem {
  kind: 'call';
  index: number;
  t: Micros;
  lane: number;
  /** "connect(10.0.0.2:8898) = from 10.0.0.1:53780" */
  text: string;
  ok: boolean;
  program?: string;
}

export interface TimerItem {
  kind: 'timer';
  index: number;
  t: Micros;
  lane: number;
  timer: TimerName;
  /** "retransmit timer fired" */
  text: string;
}

/** A row of the diagram: one event at one instant. */
export type Item = SegmentItem | StateItem | CallItem | TimerItem;

/** A socket in one state over a stretch of time, on one track of its lane. */
export interface StateSpan {
  lane: number;
  track: number;
  socket: string;
  state: string;
  from: Micros;
  /** When it left the state; the end of the run if it never did. */
  to: Micros;
}

/** A protocol timer armed over a stretch of time. */
export interface TimerSpan {
  lane: number;
  track: number;
  socket: string;
  timer: TimerName;
  from: Micros;
  to: Micros;
  /** How it ended: it fired, it was cancelled, or the run ended with it armed. */
  end: 'fired' | 'cancelled' | 'pending';
  /** Trace index of the event that armed it. */
  index: number;
}

export interface DiagramModel {
  scenario: string;
  profile: string;
  seed: number;
  lanes: Lane[];
  /** Rows in time order (events at one instant in trace order). Timer set/cancel events are spans, not rows. */
  items: Item[];
  states: StateSpan[];
  timers: TimerSpan[];
  /** First and last instant of the run. */
  start: Micros;
  end: Micros;
  /** Typical one-way transit time of a delivered segment (median), used to scale time; 0 when none moved. */
  transit: Micros;
}

export interface DiagramOptions {
  /** Seq/ack relative to each direction's ISN, as Wireshark shows them. Default true. */
  relative?: boolean;
  /** Rows for fired timers, and timer spans. Default true. */
  timers?: boolean;
}
