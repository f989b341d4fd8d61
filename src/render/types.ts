// The ladder's options and its layout: what to draw, decided from the trace before any column is counted.
import type { Micros } from '../sim/trace.js';

export interface LadderOptions {
  /** Host drawn as the left lifeline: a name from trace.hosts, or its address. */
  left: string;
  /** Host drawn as the right lifeline. */
  right: string;
  /** Columns; no line is longer. Default 80. */
  width?: number;
  /** Seq/ack relative to each direction's ISN, as Wireshark shows them. Default true. */
  relative?: boolean;
  /** Show fired protocol timers on their host's side. Default false. */
  timers?: boolean;
  /** Idle time (µs) from which a `~ N s later ~` marker is drawn. Default 1 s. */
  gap?: Micros;
}

export type Side = 'left' | 'right';

/** A segment or datagram crossing the lane. */
export interface ArrowRow {
  kind: 'arrow';
  /** Send time: the arrow is drawn on this line. */
  t: Micros;
  /** When it reached its receiver (delivered and duplicated copies). */
  arrival?: Micros;
  /** Which way it travels on screen. */
  direction: 'right' | 'left';
  /** Sender's name when the sender is not a lifeline (drawn at the arrow's tail). */
  from?: string;
  /** Receiver's name when the receiver is not a lifeline (drawn at the arrow's head). */
  to?: string;
  /** Label words, e.g. ["[SYN,ACK]", "seq=0", "ack=1", "win=65483"]; wrapped between words. */
  label: string[];
  /** Present when this copy was dropped: why ("loss", "fault: …"). */
  lost?: string;
}

/** A state change, call or timer written against one lifeline. */
export interface NoteRow {
  kind: 'note';
  t: Micros;
  side: Side;
  text: string;
}

/** Nothing happened for `idle` µs. */
export interface GapRow {
  kind: 'gap';
  idle: Micros;
}

export type LadderRow = ArrowRow | NoteRow | GapRow;

export interface LadderLayout {
  left: { name: string; address: string };
  right: { name: string; address: string };
  rows: LadderRow[];
}
