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
  readonly waiters = new Set<Waiter>();
  /** The queue handle and deadline of this host's next TCP timer event. */
  timerHandle: number | undefined;
  timerAt: number | undefined;

  constructor(config: HostConfig, rng: Rng) {
    this.name = config.name;
    this.address = config.address;
    this.profile = config.profile;
    this.tcp = new TcpStack({ addresses: [config.address], profile: config.profile, rng, mtu: config.mtu ?? 1500 });
  }

  /** Settles every waiter whose condition now holds; returns how many settled. */
  wakeWaiters(): number {
    let settled = 0;
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.delete(w);
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
