// What the replay knows about one endpoint of a connection. Two kinds of facts, kept apart:
// - what the endpoint SENT (its own packets are in the capture, so these are certain): its ISN,
//   the highest sequence number it used, its FIN, the acknowledgments and windows it announced;
// - what it has RECEIVED and processed (inferred): the peer's ISN, how far its RCV.NXT got, and
//   its connection state, which receive-driven transitions move only once the evidence is in
//   (see endpoint-tracker.ts).
import type { Seq } from '../wire/seq.js';
import type { TcpState } from '../tcp/states.js';
import { AckHistory } from './ack-history.js';

export interface EndpointModel {
  /** "ip:port". */
  readonly name: string;

  // --- state ---
  state: TcpState;
  /** The states entered, in order. The passive side's implicit LISTEN is not listed. */
  states: TcpState[];
  /** Opened by a SYN from the peer (the listener's child), not by sending its own SYN. */
  passive: boolean;
  /** When TIME_WAIT was (last) entered, microseconds. */
  timeWaitSince: number | undefined;
  /** The endpoint's TCB is gone because it sent a RST that ended it (ABORT). */
  abortedByOwnReset: boolean;

  // --- what it sent ---
  /** Index (in the connection's packet list) and time of its last packet; -1 before any. */
  lastSentIndex: number;
  lastSentTime: number;
  /** ISS: the sequence number of its SYN or SYN-ACK. */
  iss: Seq | undefined;
  /** One past the highest sequence number it has sent (SYN and FIN count), i.e. its SND.MAX. */
  sndMax: Seq | undefined;
  /** Sequence number of its FIN, once sent. */
  finSeq: Seq | undefined;
  /** Payload bytes its SYN carried (TCP Fast Open, RFC 7413), 0 without. */
  synDataLength: number;
  /** Window scale shift it offered in its SYN (undefined: no option, or no SYN seen). */
  wscaleOffered: number | undefined;
  /** Its SYN (or SYN-ACK) was seen. */
  sentSyn: boolean;
  /** Times its SYN / SYN-ACK went out (first and retransmissions), for the give-up timer. */
  synTimes: number[];
  /** The highest acknowledgment number it sent (with the ACK flag): its RCV.NXT at that moment. */
  lastAck: Seq | undefined;
  /** Index of its last packet that carried an acknowledgment; -1 before any. */
  lastAckIndex: number;
  /**
   * The acknowledgment numbers it sent, the last ACK_HISTORY_SIZE distinct ones (a RST answering one of
   * its segments carries one of these). Bounded, and shared, never copied, by cloneModel.
   */
  readonly acksSent: AckHistory;
  /** The furthest right edge of the receive window it announced (RCV.NXT + RCV.WND). */
  rightEdge: Seq | undefined;
  /** The window of its SYN (unscaled; it applies from the peer's ISS + 1 on). */
  synWindow: number | undefined;
  /** When it last sent a pure ACK (a challenge ACK candidate). */
  lastPureAckTime: number | undefined;

  // --- what it has received (inferred) ---
  /** RCV.NXT: how far in-order data (and SYN/FIN) has been processed. */
  rcvNxt: Seq | undefined;
  /** Where the peer's FIN sits, once a FIN from it was taken in (it waits for the data before it). */
  peerFinSeq: Seq | undefined;
  /** The peer's FIN has been processed. */
  peerFinProcessed: boolean;
}

export function newEndpoint(name: string): EndpointModel {
  return {
    name,
    state: 'CLOSED',
    states: [],
    passive: false,
    timeWaitSince: undefined,
    abortedByOwnReset: false,
    lastSentIndex: -1,
    lastSentTime: 0,
    iss: undefined,
    sndMax: undefined,
    finSeq: undefined,
    wscaleOffered: undefined,
    synDataLength: 0,
    sentSyn: false,
    synTimes: [],
    lastAck: undefined,
    lastAckIndex: -1,
    acksSent: new AckHistory(),
    rightEdge: undefined,
    synWindow: undefined,
    lastPureAckTime: undefined,
    rcvNxt: undefined,
    peerFinSeq: undefined,
    peerFinProcessed: false,
  };
}

/** The endpoint has (had) a TCB: it entered some state. An untouched endpoint is not "closed", it is unknown. */
export function hasOpened(m: EndpointModel): boolean {
  return m.states.length > 0;
}
