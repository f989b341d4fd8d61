// The public shapes of capture replay: the packets it reads and the report it writes.
// docs/reading-captures.md describes them for users; the CLI (`synack replay`) codes against them.
import type { Segment } from '../wire/segment.js';

/** One TCP packet of a capture (a pcap frame) or of a simulated trace (a segment event). */
export interface ObservedPacket {
  /** 1-based frame number in the file (Wireshark's frame.number); for traces, 1-based index among the trace's segment events. */
  frame: number;
  /** Microseconds since the first packet of the capture. */
  t: number;
  /** IP addresses, canonical text (wire/address.ts formatting). */
  src: string;
  dst: string;
  /** The TCP segment; its payload may be shorter than payloadLength when the capture was cut by snaplen. */
  segment: Segment;
  /** The true payload length. */
  payloadLength: number;
}

/** A packet a correct stack would not send, or one a receiver must not accept. */
export interface Violation {
  /** The frame number of the offending packet. */
  packet: number;
  /** Kebab-case rule id, e.g. "synack-wrong-ack" (docs/reading-captures.md lists them). */
  rule: string;
  /** One readable line, with the numbers. */
  detail: string;
}

/** One connection (one incarnation of a 4-tuple) and what the replay inferred about it. */
export interface ConnectionReport {
  /** "ip:port" of the endpoint that sent the first packet seen (the SYN sender normally). */
  a: string;
  /** "ip:port" of the other endpoint. */
  b: string;
  packets: number;
  /** Frame numbers of its packets, in order. */
  frames: number[];
  /** The capture started after the handshake. */
  midstream: boolean;
  /** Per endpoint, the states it entered, in order (names as in src/tcp/states.ts). */
  states: Record<string, string[]>;
  /** Per endpoint, the state at the end of the capture. */
  final: Record<string, string>;
  violations: Violation[];
  /**
   * The state of both endpoints after each packet (for the ladder): of the first ReplayOptions.maxPerPacket
   * packets only, so fewer than `packets` in a connection longer than that.
   */
  perPacket: Array<{ frame: number; states: Record<string, string> }>;
}

export interface ReplayReport {
  connections: ConnectionReport[];
  /** TCP packets read. */
  packets: number;
  /** Things the reader should know that are not violations (e.g. payloads cut by snaplen). */
  warnings: string[];
}

export interface ReplayOptions {
  /** The behaviour profile receivers are judged by (timers, Linux-only acceptance rules). Default linux. */
  profile?: 'linux' | 'rfc9293';
  /** Per connection, the packets whose states are kept for the ladder (ConnectionReport.perPacket). Default MAX_PER_PACKET. */
  maxPerPacket?: number;
  /** Called every PROGRESS_EVERY packets with the number replayed so far (the CLI's memory guard); may throw to stop. */
  onProgress?: (packets: number) => void;
}

/** ReplayOptions.maxPerPacket's default: a connection's per-packet states are kept for its first 100,000 packets. */
export const MAX_PER_PACKET = 100_000;
/** How often ReplayOptions.onProgress is called, in packets. */
export const PROGRESS_EVERY = 10_000;
