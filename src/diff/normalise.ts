// A run's packets with everything random taken out, so the simulator's run and the kernel's run of one
// scenario can be compared field by field: endpoints become roles (roles.ts), sequence numbers become
// offsets from each direction's ISN (RFC 9293 3.4: ISNs are random, RFC 6528), timestamps' values are
// dropped, times start at the first packet, and connections are keyed by the roles of their two ends.
// Packets are grouped into connections and incarnations by the replay (src/replay/connections.ts).
import { replayPackets, type ObservedPacket } from '../replay/index.js';
import { formatEndpoint } from '../wire/address.js';
import { ACK, FIN, RST, SYN, flagNames } from '../wire/segment.js';
import { seqAdd, seqDiff, seqLt, seqMax, type Seq } from '../wire/seq.js';
import { optionsText } from './options-text.js';
import { assignRoles, canonicalNames } from './roles.js';

export interface NormaliseOptions {
  /** address -> host name to use in roles (the harness passes {"10.0.0.1":"client","127.0.0.11":"client",...}). */
  names?: Record<string, string>;
}

export interface NormalSegment {
  /** The input packet's frame number (for pointing the user at it). */
  frame: number;
  /** µs since the first packet of the input. */
  t: number;
  /** Connection key built from roles: "client:eph1>server:9999", "#2" appended for a later incarnation of the same role pair. */
  conn: string;
  /** Endpoint roles, e.g. "server:9999", "client:eph1". */
  from: string;
  to: string;
  /** Canonical dash-joined like the ladder prints: "SYN", "SYN-ACK", "PSH-ACK", "FIN-ACK", "RST-ACK", "ACK". */
  flags: string;
  /** Relative to this direction's ISN (the SYN's seq; without a SYN seen: the first seq seen in that direction). */
  seq: number;
  /** Relative to the other direction's ISN; undefined when the ACK flag is off. */
  ack?: number;
  /** Payload length (ObservedPacket.payloadLength). */
  len: number;
  /** Option kinds in order, values only where deterministic: "mss=1460,sackOK,ts,nop,ws=7". */
  options: string;
  /** The window field, only on SYN segments (elsewhere it depends on autotuning and is not compared). */
  win?: number;
  /** This direction already sent this seq range (or this SYN/FIN) earlier. */
  retransmit: boolean;
}

export interface Normalised {
  segments: NormalSegment[];
  /** "ip:port" -> role. */
  roles: Map<string, string>;
}

const senderOf = (p: ObservedPacket): string => formatEndpoint(p.src, p.segment.srcPort);
const has = (p: ObservedPacket, flag: number): boolean => (p.segment.flags & flag) !== 0;

/** SEG.LEN (RFC 9293 3.4): payload octets plus one each for SYN and FIN. */
const seqLength = (p: ObservedPacket): number => p.payloadLength + (has(p, SYN) ? 1 : 0) + (has(p, FIN) ? 1 : 0);

/** Flags as the ladder orders them (wire/segment.ts FLAG_NAMES), joined with dashes; "none" for no flag. */
export function flagsText(flags: number): string {
  return flagNames(flags).join('-') || 'none';
}

/** Where one direction's sequence numbers count from. */
function isnOf(mine: readonly ObservedPacket[], theirs: readonly ObservedPacket[]): Seq | undefined {
  const syn = mine.find((p) => has(p, SYN));
  if (syn) return syn.segment.seq;
  // A SYN-ACK acknowledges our SYN (SND.ISS + 1) even when our SYN belongs to an earlier incarnation.
  const synAck = theirs.find((p) => has(p, SYN) && has(p, ACK) && !has(p, RST));
  if (synAck) return seqAdd(synAck.segment.ack, -1);
  return mine[0]?.segment.seq;
}

/** Where the acks of a direction count from: the peer's ISN; with nothing seen from the peer, one below the first ack. */
function ackBaseOf(mine: readonly ObservedPacket[], peerIsn: Seq | undefined): Seq | undefined {
  if (peerIsn !== undefined) return peerIsn;
  const first = mine.find((p) => has(p, ACK));
  return first === undefined ? undefined : seqAdd(first.segment.ack, -1);
}

export function normalise(packets: readonly ObservedPacket[], options: NormaliseOptions = {}): Normalised {
  if (!Array.isArray(packets)) throw new Error('normalise: expected an array of packets');
  // The replay checks every packet (a clear error for a malformed one). Its report names packets by
  // frame number: here by position, so frame numbers that repeat (hand-made input) cannot confuse it.
  const report = replayPackets(packets.map((p, i) => ({ ...p, frame: i + 1 })));
  const roles = assignRoles(packets, canonicalNames(options.names));
  const role = (endpoint: string): string => roles.get(endpoint)!;
  const t0 = packets[0]?.t ?? 0;
  const out: Array<NormalSegment | undefined> = new Array(packets.length);
  const incarnations = new Map<string, number>();

  for (const conn of report.connections) {
    const members = conn.frames.map((f) => packets[f - 1]!);
    const opener = members.find((p) => (p.segment.flags & (SYN | ACK | RST)) === SYN);
    const initiator = opener ? senderOf(opener) : conn.a;
    const responder = initiator === conn.a ? conn.b : conn.a;
    const base = `${role(initiator)}>${role(responder)}`;
    const n = (incarnations.get(base) ?? 0) + 1;
    incarnations.set(base, n);
    const key = n === 1 ? base : `${base}#${n}`;

    const byDirection = new Map<string, ObservedPacket[]>([[conn.a, []], [conn.b, []]]);
    for (const p of members) byDirection.get(senderOf(p))?.push(p);
    const isn = new Map<string, Seq | undefined>();
    for (const [endpoint, mine] of byDirection) {
      const theirs = byDirection.get(endpoint === conn.a ? conn.b : conn.a) ?? [];
      isn.set(endpoint, isnOf(mine, theirs));
    }
    const ackBase = new Map<string, Seq | undefined>();
    for (const [endpoint, mine] of byDirection) ackBase.set(endpoint, ackBaseOf(mine, isn.get(endpoint === conn.a ? conn.b : conn.a)));
    /** One past the highest sequence number each direction has sent (SND.MAX). */
    const sndMax = new Map<string, Seq>();

    for (const f of conn.frames) {
      const p = packets[f - 1]!;
      const from = senderOf(p);
      const to = from === conn.a ? conn.b : conn.a;
      const s = p.segment;
      const myIsn = isn.get(from) ?? s.seq;
      const peerBase = ackBase.get(from) ?? seqAdd(s.ack, -1);
      const occupies = seqLength(p);
      let retransmit = false;
      if (occupies > 0) {
        const max = sndMax.get(from);
        retransmit = max !== undefined && seqLt(s.seq, max);
        const end = seqAdd(s.seq, occupies);
        sndMax.set(from, max === undefined ? end : seqMax(max, end));
      }
      const segment: NormalSegment = {
        frame: p.frame,
        t: p.t - t0,
        conn: key,
        from: role(from),
        to: role(to),
        flags: flagsText(s.flags),
        seq: seqDiff(s.seq, myIsn),
        ...(has(p, ACK) ? { ack: seqDiff(s.ack, peerBase) } : {}),
        len: p.payloadLength,
        options: optionsText(s.options, (v) => seqDiff(v, peerBase)),
        ...(has(p, SYN) ? { win: s.window } : {}),
        retransmit,
      };
      out[f - 1] = segment;
    }
  }
  return { segments: out.filter((s): s is NormalSegment => s !== undefined), roles };
}
