// The acknowledgment numbers an endpoint sent, the most recent ones only. The rst-out-of-window rule asks
// whether a RST's sequence number is one of them (a correct <SEQ=SEG.ACK> reply gone stale on the way,
// RFC 9293 3.10.7.1); a RST answers a segment sent within about a round trip, so a bounded window of
// the last distinct numbers is enough, and keeps a long connection's state from growing with it.
import type { Seq } from '../wire/seq.js';

/** How many distinct acknowledgment numbers are remembered. */
export const ACK_HISTORY_SIZE = 4096;

export class AckHistory {
  private readonly known = new Set<Seq>();
  private readonly ring: Seq[] = [];
  private next = 0;

  constructor(private readonly capacity = ACK_HISTORY_SIZE) {}

  get size(): number {
    return this.known.size;
  }

  has(ack: Seq): boolean {
    return this.known.has(ack);
  }

  /** Remembers `ack`; past the capacity the oldest number is forgotten. O(1). */
  add(ack: Seq): void {
    if (this.known.has(ack)) return;
    if (this.ring.length < this.capacity) {
      this.ring.push(ack);
    } else {
      this.known.delete(this.ring[this.next]!);
      this.ring[this.next] = ack;
      this.next = (this.next + 1) % this.capacity;
    }
    this.known.add(ack);
  }
}
