// A simulated host: a name, an address, a TCP stack, a UDP port table, and the programs' blocked
// calls waiting for something to happen on it.
import { TcpStack } from '../tcp/stack.js';
import type { Profile } from '../tcp/profile.js';
import type { Rng } from '../tcp/rng.js';

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
  /** The host's change count when it was last checked (set by the host). */
  seen?: number;
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
  /** Blocked calls in the order they blocked: the order they are checked in, as before readiness wake-ups. */
  readonly waiters = new Set<Waiter>();
  /** Counts socket changes; a watched socket's entry in `changedAt` is the count at its last change. */
  private changes = 0;
  private readonly changedAt = new Map<number, number>();
  /** Waiters per watched socket (entries only while a call waits on it). */
  private readonly watchers = new Map<number, number>();
  /** How many times a waiter's check ran (for tests of the cost per event). */
  checks = 0;
  /** The queue handle and deadline of this host's next TCP timer event. */
  timerHandle: number | undefined;
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
    if (this.changedAt.has(id)) this.changedAt.set(id, ++this.changes);
  }

  addWaiter(w: Waiter): void {
    this.waiters.add(w);
    if (w.socket === undefined) return;
    const n = this.watchers.get(w.socket) ?? 0;
    this.watchers.set(w.socket, n + 1);
    if (n === 0) this.changedAt.set(w.socket, this.changes);
  }

  removeWaiter(w: Waiter): void {
    if (!this.waiters.delete(w) || w.socket === undefined) return;
    const n = this.watchers.get(w.socket)! - 1;
    if (n > 0) {
      this.watchers.set(w.socket, n);
    } else {
      this.watchers.delete(w.socket);
      this.changedAt.delete(w.socket);
    }
  }

  /**
   * Settles every waiter whose condition now holds; returns how many settled. In the order they blocked; one whose
   * socket has not changed since its last check is skipped: its check would fail again and change nothing.
   * (A check never adds a waiter, as the calls it settles continue later, so the set is walked as it is.)
   */
  wakeWaiters(): number {
    let settled = 0;
    for (const w of this.waiters) {
      if (w.socket !== undefined) {
        if (w.seen !== undefined && this.changedAt.get(w.socket)! <= w.seen) continue;
        w.seen = this.changes;
      }
      this.checks++;
      if (w.check()) {
        this.removeWaiter(w);
        settled++;
      }
    }
    return settled;
  }

  /** A free UDP port from the ephemeral range. */
  freeUdpPort(): number | undefined {
    const [low, high] = this.profile.ephemeralPortRange;
    for (let p = low; p <= high; p++) if (!this.udp.has(p)) return p;
    return undefined;
  }
}
