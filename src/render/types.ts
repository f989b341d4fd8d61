// The ladder's options and the rows it draws, decided from the diagram model (src/render/diagram/) before any
// column is counted.
import type { Item } from './diagram/types.js';
import type { Micros } from '../sim/trace.js';

export interface LadderOptions {
  /** Columns; no line is longer. Default 80. */
  width?: number;
  /** Seq/ack relative to each direction's ISN, as Wireshark shows them. Default true. */
  relative?: boolean;
  /** Show fired protocol timers on their lane. Default false. */
  timers?: boolean;
  /** Idle time (µs) from which a `~ N s later ~` marker is drawn. Default 1 s. */
  gap?: Micros;
}

export type Side = 'left' | 'right';

/** One event of the model, or a long idle stretch between two. */
export type LadderRow = { kind: 'item'; item: Item } | { kind: 'gap'; idle: Micros };

/** A segment drawn across one span between two lifelines (draw-arrow.ts). */
export interface ArrowRow {
  /** Which way it travels on screen. */
  direction: 'right' | 'left';
  /** Label words, e.g. ["[SYN,ACK]", "seq=0", "ack=1", "win=65483"]; wrapped between words. */
  label: string[];
  /** Present when this copy was lost on the way: why ("loss", "fault: ..."). */
  lost?: string;
}

/** A drawn line before the time and arrival columns are added. */
export interface BodyLine {
  body: string;
  /** Time column (first line of an event). */
  time?: string;
  /** Arrival column. */
  arrival?: string;
}
