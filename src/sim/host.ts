// A simulated host: a name, an address, a TCP stack, a UDP port table, and the programs' blocked
// calls waiting for something to happen on it.
import { TcpStack } from '../tcp/stack.js';
import type { Profile } from '../tcp/profile.js';
import type { Rng } from '../tcp/rng.js';
import { EventQueue, type QueueEntry } from './event-queue.js';

/** A UDP datagram waiting in a socket's receive queue. */
export interface QueuedDatagram {
  from: { ip: string; port: number };
  payload: Uint8Array;
}

/** A bound UDP socket's receive side. */
export interface UdpPort {
  ip: string;
  port: number;
  queue: QueuedDatagram[];
  /** Receive buffer limit in datagrams; more are dropped (as SO_RCVBUF overflow). */
  limit: number;
}

/** A blocked socket call: `check` settles it and returns true when it can proceed. */
export interface Waiter {
  check(): boolean;
  /**
   * The TCP socket (its id) whose changes alone can let the call proceed: the waiter is re-checked only after
   * that socket changed (readiness). Undefined: checked at every visit of the host (UDP).
   */
  readonly socket?: number;
  /** The host's record of it while it is blocked there (set by addWaiter; the caller leaves it alone). */
  blocked?: unknown;
}

/** The host's bookkeeping of one waiter, kept on the waiter itself (no table from waiters to records). */
interface Blocked {
  readonly waiter: Waiter;
  /** When it blocked, in the host's count of blocked calls: the order waiters are checked in. */
  readonly order: number;
  /** Its socket changed (or it just blocked) since its last check: the next visit checks it. */
  due: boolean;
  /** In `dueQueue` now. */
  queued: boolean;
  /** Removed (settled, or timed out): skipped if it is still in `dueQueue`. */
  removed: boolean;
}

export interface HostConfig {
  name: string;
  address: string;
  profile: Profile;
  /** Interface MTU; 1500 (Ethernet) unless given. */
  mtu?: number;
}

export class Host {
  readonly name: string;
  readonly address: string;
  readonly profile: Profile;
  readonly tcp: TcpStack;
  readonly udp = new Map<number, UdpPort>();
  /** Calls blocked now. */
  blockedCalls = 0;
  /**
   * Blocked TCP calls per socket id (entries only while a call waits on it), in the order they blocked: the
   * one call itself when it is alone (most sockets have at most one), else a list.
   */
  private readonly watchers = new Map<number, Blocked | Blocked[]>();
  /** Blocked calls with no socket to watch (UDP): checked at every visit. */
  private readonly unwatched = new Set<Blocked>();
  /** The due waiters, by `order`: a visit checks these and no others. */
  private readonly dueQueue = new EventQueue<Blocked>();
  private blockedCount = 0;
  /** How many times a waiter's check ran, and how many waiters a visit looked at (for tests of the cost per event). */
  checks = 0;
  waitersLooked = 0;
  /** Its place among the world's hosts: the order a drain visits hosts in (set by World.addHost). */
  position = 0;
  /** Marked for the world's next visit of hosts (World.markToVisit), and in the world's list of them. */
  toVisit = false;
  listed = false;
  /** The queue handle and deadline of this host's next TCP timer event. */
  timerHandle: QueueEntry<unknown> | undefined;
  timerAt: number | undefined;

  constructor(config: HostConfig, rng: Rng) {
    this.name = config.name;
    this.address = config.address;
    this.profile = config.profile;
    this.tcp = new TcpStack({ addresses: [config.address], profile: config.profile, rng, mtu: config.mtu ?? 1500 });
    this.tcp.onChange = (sock) => this.touch(sock.id);
  }

  /** Socket `id` changed (the stack says so, or a call was made on it): its waiters are checked at the next visit. */
  touch(id: number): void {
    const watching = this.watchers.get(id);
    if (watching === undefined) return;
    if (Array.isArray(watching)) for (const b of watching) this.makeDue(b);
    else this.makeDue(watching);
  }

  private makeDue(b: Blocked): void {
    b.due = true;
    if (!b.queued) {
      b.queued = true;
      this.dueQueue.push(b.order, b);
    }
  }

  addWaiter(w: Waiter): void {
    const b: Blocked = { waiter: w, order: this.blockedCount++, due: false, queued: false, removed: false };
    w.blocked = b;
    this.blockedCalls++;
    if (w.socket === undefined) {
      this.unwatched.add(b);
      return;
    }
    const watching = this.watchers.get(w.socket);
    if (watching === undefined) this.watchers.set(w.socket, b);
    else if (Array.isArray(watching)) watching.push(b);
    else this.watchers.set(w.socket, [watching, b]);
    this.makeDue(b); // a new waiter is checked at the next visit
  }

  removeWaiter(w: Waiter): void {
    const b = w.blocked as Blocked | undefined;
    if (b === undefined || b.removed) return;
    b.removed = true;
    w.blocked = undefined;
    this.blockedCalls--;
    b.due = false; // left in dueQueue if there: skipped when it comes out
    if (w.socket === undefined) {
      this.unwatched.delete(b);
      return;
    }
    const watching = this.watchers.get(w.socket)!;
    if (!Array.isArray(watching)) {
      this.watchers.delete(w.socket);
      return;
    }
    watching.splice(watching.indexOf(b), 1);
    if (watching.length === 1) this.watchers.set(w.socket, watching[0]!);
  }

  /**
   * Settles every waiter whose condition now holds; returns how many settled. Only due waiters are checked (their
   * socket changed since their last check: the check of any other would fail again and change nothing), in the
   * order they blocked. A waiter that becomes due during the visit is checked in it if it comes later in that
   * order, else at the next visit. (A check never adds a waiter, as the calls it settles continue later.)
   */
  wakeWaiters(): number {
    for (const b of this.unwatched) this.makeDue(b);
    let settled = 0;
    let cursor = -1;
    let later: Blocked[] | undefined;
    for (let next = this.dueQueue.pop(); next !== undefined; next = this.dueQueue.pop()) {
      this.waitersLooked++;
      const b = next.item;
      b.queued = false;
      if (!b.due || b.removed) continue;
      if (b.order <= cursor) {
        (later ??= []).push(b); // became due again behind the cursor: the next visit
        continue;
      }
      cursor = b.order;
      b.due = false;
      this.checks++;
      if (b.waiter.check()) {
        this.removeWaiter(b.waiter);
        settled++;
      }
    }
    if (later) for (const b of later) this.makeDue(b);
    return settled;
  }

  /** A free UDP port from the ephemeral range. */
  freeUdpPort(): number | undefined {
    const [low, high] = this.profile.ephemeralPortRange;
    for (let p = low; p <= high; p++) if (!this.udp.has(p)) return p;
    return undefined;
  }
}
