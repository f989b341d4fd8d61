// Packets sent by the peer that an endpoint may or may not have processed yet. A capture shows when
// a packet was SENT; whether and when it arrived shows only in what the receiver sends afterwards.
// The queue answers: which of these packets does the receiver's acknowledgment prove it processed?
import { seqLe, type Seq } from '../wire/seq.js';
import { ACK, FIN, RST, SYN } from '../wire/segment.js';
import { finSeqOf, has, seqEnd, seqLen } from './packet-facts.js';
import type { ObservedPacket } from './types.js';

export interface PendingPacket {
  /** Index in the connection's packet list. */
  index: number;
  packet: ObservedPacket;
}

/**
 * Copies of a SYN, a SYN-ACK or a FIN are the same piece of sequence space carrying the same
 * information; a key names them. (A SYN and the SYN-ACK of a simultaneous open are not copies.)
 */
function copyKey(p: ObservedPacket): string | undefined {
  if (has(p, SYN)) return `${has(p, ACK) ? 'synack' : 'syn'}:${p.segment.seq}`;
  if (has(p, FIN)) return `fin:${finSeqOf(p)}`;
  return undefined;
}

/** What an acknowledgment proves: packets to process, in order, and copies lost on the way. */
export interface ProofPlan {
  apply: PendingPacket[];
  drop: PendingPacket[];
}

export class PendingQueue {
  private list: PendingPacket[] = [];
  /** How many pending packets occupy sequence space, and how many are RSTs: most calls find none, in O(1). */
  private withSpace = 0;
  private resets = 0;

  private get items(): PendingPacket[] {
    return this.list;
  }

  private set items(next: PendingPacket[]) {
    this.list = next;
    this.withSpace = 0;
    this.resets = 0;
    for (const it of next) this.count(it, 1);
  }

  private count(it: PendingPacket, d: number): void {
    if (seqLen(it.packet) > 0) this.withSpace += d;
    if (has(it.packet, RST)) this.resets += d;
  }

  get length(): number {
    return this.items.length;
  }

  /** Some pending packet is a RST. */
  get hasReset(): boolean {
    return this.resets > 0;
  }

  all(): readonly PendingPacket[] {
    return this.items;
  }

  push(item: PendingPacket): void {
    this.list.push(item);
    this.count(item, 1);
  }

  /**
   * The receiver acknowledged everything before `ack`: every pending packet whose sequence space
   * ends at or before it was received, in some copy. The plan (nothing is removed yet):
   * - of several copies of the same SYN, SYN-ACK or FIN, the last one sent is taken and the earlier
   *   ones dropped as lost: had an earlier one arrived, the receiver would have answered it before
   *   the sender's retransmission timer ran out;
   * - packets without sequence space (pure ACKs, RSTs) sent before the last packet taken come with
   *   it: what they say, the later packet says too (acknowledgments are cumulative);
   * - packets whose sequence space is not covered stay.
   */
  proofPlan(ack: Seq): ProofPlan {
    if (this.withSpace === 0) return { apply: [], drop: [] };
    const covered = this.items.filter((it) => seqLen(it.packet) > 0 && seqLe(seqEnd(it.packet), ack));
    if (covered.length === 0) return { apply: [], drop: [] };
    const lastOfKey = new Map<string, PendingPacket>();
    for (const it of covered) {
      const key = copyKey(it.packet);
      if (key !== undefined) lastOfKey.set(key, it);
    }
    const drop = covered.filter((it) => {
      const key = copyKey(it.packet);
      return key !== undefined && lastOfKey.get(key) !== it;
    });
    const dropped = new Set(drop);
    const coveredSet = new Set(covered);
    const last = covered.filter((it) => !dropped.has(it)).pop()!.index;
    const apply = this.items.filter((it) => !dropped.has(it) && it.index <= last && (coveredSet.has(it) || seqLen(it.packet) === 0));
    return { apply, drop };
  }

  /** Removes these packets from the queue. */
  remove(items: Iterable<PendingPacket>): void {
    const gone = new Set(items);
    if (gone.size === 0) return;
    this.items = this.items.filter((it) => !gone.has(it));
  }

  /** Takes the packets up to and including `target`, leaving packets with sequence space not yet proven. */
  takeThrough(target: PendingPacket): PendingPacket[] {
    const taken: PendingPacket[] = [];
    const keep: PendingPacket[] = [];
    for (const it of this.items) {
      if (it.index <= target.index && (it === target || seqLen(it.packet) === 0)) taken.push(it);
      else keep.push(it);
    }
    this.items = keep;
    return taken;
  }

  /** Removes packets sent before `index` that match `what` (they were lost: the receiver acted as if they never came). */
  dropBefore(index: number, what: (p: ObservedPacket) => boolean): void {
    if (this.list.length === 0) return;
    this.items = this.items.filter((it) => !(it.index < index && what(it.packet)));
  }

  /** Removes and returns the packets matching `what`, in order. */
  takeWhere(what: (it: PendingPacket) => boolean): PendingPacket[] {
    const taken = this.items.filter(what);
    this.items = this.items.filter((it) => !what(it));
    return taken;
  }

  /** Removes and returns everything. */
  takeAll(): PendingPacket[] {
    const all = this.items;
    this.items = [];
    return all;
  }
}

/** A pure ACK: what it says is cumulative, so losing it is repaired by the next one. */
export function isSilentAck(p: ObservedPacket): boolean {
  return seqLen(p) === 0 && !has(p, RST);
}

export function isReset(p: ObservedPacket): boolean {
  return has(p, RST);
}
