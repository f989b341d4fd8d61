// Grouping packets into connections: by 4-tuple, in either direction, and by incarnation: a new SYN
// on a 4-tuple whose previous connection is over starts the next one (port reuse).
import type { Profile } from '../tcp/profile.js';
import { ConnectionTracker, receiverOf, senderOf } from './connection-tracker.js';
import { seqAdd } from '../wire/seq.js';
import { hasOpened } from './endpoint.js';
import { isPureSyn, isSynAck } from './packet-facts.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { ObservedPacket } from './types.js';

/** The same key for both directions of a 4-tuple: "ip:port|ip:port", the smaller endpoint first. */
export function connectionKey(e1: string, e2: string): string {
  return e1 < e2 ? `${e1}|${e2}` : `${e2}|${e1}`;
}

/**
 * Does this SYN start a new incarnation of the 4-tuple rather than belong to `current`? Never if it
 * carries its sender's ISN (a retransmission); otherwise if
 * - both ends are done (CLOSED or TIME_WAIT);
 * - or the SYN carries a new ISN (it is not a retransmission) and either end is done, or its sender
 *   is still in SYN_SENT (a fresh connect() after the last attempt failed);
 * - or it is a SYN-ACK with an ISN other than its sender's.
 */
export function startsIncarnation(current: ConnectionTracker, p: ObservedPacket): boolean {
  if (isSynAck(p)) {
    // A connection keeps its ISN: a SYN-ACK with another one answers a SYN that came late (a delayed
    // duplicate, RFC 9293 3.4), for which the listener made a new connection.
    const sender = current.tracker(senderOf(p)).model;
    return sender.iss !== undefined && p.segment.seq !== sender.iss;
  }
  if (!isPureSyn(p)) return false;
  const from = senderOf(p);
  const to = receiverOf(p);
  const sender = current.tracker(from).model;
  const receiver = current.tracker(to).model;
  const senderDone = current.endpointDone(from);
  const receiverDone = current.endpointDone(to) || (receiver.state === 'CLOSED' && !hasOpened(receiver));
  // The same ISN again is a retransmission of this incarnation's SYN, whatever became of it.
  if (sender.iss !== undefined && p.segment.seq === sender.iss) return false;
  const newIsn = sender.iss !== undefined;
  if (newIsn && (senderDone || receiverDone || sender.state === 'SYN_SENT')) return true;
  return senderDone && receiverDone;
}

export class ConnectionTable {
  /** Every connection, in the order its first packet was seen. */
  readonly all: ConnectionTracker[] = [];
  private readonly current = new Map<string, ConnectionTracker>();
  private readonly deadlines = new DeadlineQueue<ConnectionTracker>();

  /** `maxPerPacket`: per connection, the packets whose states are kept (ConnectionTracker.perPacket). */
  constructor(
    private readonly profile: Profile,
    private readonly maxPerPacket = Number.POSITIVE_INFINITY,
  ) {}

  /** The connection `p` belongs to, started if need be. */
  route(p: ObservedPacket): ConnectionTracker {
    const key = connectionKey(senderOf(p), receiverOf(p));
    const current = this.current.get(key);
    if (current && !startsIncarnation(current, p)) return current;
    let carried: { iss: number } | undefined;
    if (current && isSynAck(p)) {
      current.finishNow();
      // The SYN it answers belongs to the last incarnation: its sender's ISN carries over.
      const asker = current.tracker(receiverOf(p)).model;
      if (asker.iss !== undefined && p.segment.ack === seqAdd(asker.iss, 1)) carried = { iss: asker.iss };
    } else if (current) {
      current.supersede(senderOf(p), p);
    }
    if (current) this.deadlines.set(current, Number.POSITIVE_INFINITY);
    const fresh = new ConnectionTracker(p, this.profile, carried, this.maxPerPacket);
    this.current.set(key, fresh);
    this.all.push(fresh);
    return fresh;
  }

  /** Lets time reach `t` on every connection that has a timer due by then. */
  advanceTo(t: number): void {
    for (const c of this.deadlines.takeDue(t)) {
      c.advanceTo(t);
      this.deadlines.set(c, c.nextDeadline());
    }
  }

  /** After a packet was added to `c`, its timers may have moved. */
  touched(c: ConnectionTracker): void {
    this.deadlines.set(c, c.nextDeadline());
  }
}
