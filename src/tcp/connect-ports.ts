// The ports connect() need not look at (issue 11): for each (local address, destination), the local
// ports that a connection to that destination definitely holds. connect()'s search (Linux
// __inet_hash_connect, RFC 6056 algorithm 3) still runs its exact check, in its own order, on every
// port not known taken; this only lets it jump over the taken ones, 16 of one parity per 32-bit word.
// A port marked here must be one the exact check refuses (a stale mark would change the choice); a
// port missing here only costs a visit.

/** Below this many connections a destination keeps its ports in a plain list; from it on, in a bitset. */
export const BITSET_THRESHOLD = 128;

/** The ports held toward one destination from one local address, counted per connection. */
export class DestPorts {
  /** Connections counted (a port held by two counts twice). */
  count = 0;
  /** The ports, one entry per connection, until the bitset exists. */
  list: number[] | undefined = [];
  /** Bit (port - 32 * wordBase) is set when at least one counted connection holds the port. */
  bits: Uint32Array | undefined = undefined;
  wordBase = 0;
  /** Ports held by more than one counted connection: how many beyond the first. */
  extra: Map<number, number> | undefined = undefined;
  /**
   * Marked ports of the range (low + j, j < span), by the parity of j: when a pass's class is all marked, the
   * pass can find nothing and is skipped whole (allTaken). Only for a range of even size (span 0 otherwise):
   * then each of connect()'s two passes visits exactly one class; with an odd size, which ports a pass visits
   * depends on where it starts.
   */
  private readonly markedByParity = [0, 0];
  private low = 0;
  private span = 0;

  constructor(
    readonly key: string,
    /** From this many connections on, a bitset. */
    private readonly threshold: number,
  ) {}

  /** Is `port` known taken? Only answers once the bitset exists (false before). */
  has(port: number): boolean {
    const bits = this.bits;
    if (bits === undefined) return false;
    const w = (port >>> 5) - this.wordBase;
    return w >= 0 && w < bits.length && (bits[w]! & (1 << (port & 31))) !== 0;
  }

  /**
   * Are all the ports of one pass known taken? For a range of `size` ports from `low`, even in size, a pass
   * visits the ports low + j with j of the given parity.
   */
  allTaken(low: number, size: number, parity: number): boolean {
    return this.span !== 0 && low === this.low && size === this.span && this.markedByParity[parity & 1] === size >>> 1;
  }

  /**
   * The first port q from `port` on, of the same parity, that is not known taken, if q <= last;
   * otherwise the first port of that parity after `last`.
   */
  nextClear(port: number, last: number): number {
    const bits = this.bits;
    const beyond = port + ((last - port) & ~1) + 2;
    if (bits === undefined) return port <= last ? port : beyond;
    const parity = port & 1 ? 0xaaaaaaaa : 0x55555555;
    let p = port;
    while (p <= last) {
      const w = (p >>> 5) - this.wordBase;
      if (w < 0 || w >= bits.length) return p;
      const free = ~bits[w]! & parity & (-1 << (p & 31));
      if (free !== 0) {
        const q = (p & ~31) + 31 - Math.clz32(free & -free);
        return q <= last ? q : beyond;
      }
      p = (p & ~31) + 32 + (port & 1);
    }
    return beyond;
  }

  add(port: number, range: readonly [number, number]): void {
    this.count++;
    if (this.list !== undefined) {
      this.list.push(port);
      if (this.count >= this.threshold) this.toBits(range);
      return;
    }
    this.mark(port);
  }

  remove(port: number): void {
    this.count--;
    if (this.list !== undefined) {
      const i = this.list.lastIndexOf(port);
      if (i >= 0) {
        this.list[i] = this.list[this.list.length - 1]!;
        this.list.pop();
      }
      return;
    }
    const bits = this.bits!;
    const w = (port >>> 5) - this.wordBase;
    if (w < 0 || w >= bits.length) return; // outside the range the bitset covers: never marked
    const more = this.extra?.get(port);
    if (more !== undefined) {
      if (more > 1) this.extra!.set(port, more - 1);
      else this.extra!.delete(port);
      return;
    }
    bits[w] = bits[w]! & ~(1 << (port & 31));
    this.counted(port, -1);
  }

  /** Keeps markedByParity: `port`'s mark was set (+1) or cleared (-1). */
  private counted(port: number, by: number): void {
    const j = port - this.low;
    if (j >= 0 && j < this.span) this.markedByParity[j & 1]! += by;
  }

  /** From the list to a bitset over the words that cover `range` (ports outside it are left to the exact check). */
  private toBits([low, high]: readonly [number, number]): void {
    this.wordBase = low >>> 5;
    this.bits = new Uint32Array((high >>> 5) - this.wordBase + 1);
    const size = high - low + 1;
    this.low = low;
    this.span = size % 2 === 0 ? size : 0;
    const list = this.list!;
    this.list = undefined;
    for (const port of list) this.mark(port);
  }

  private mark(port: number): void {
    const bits = this.bits!;
    const w = (port >>> 5) - this.wordBase;
    if (w < 0 || w >= bits.length) return;
    const bit = 1 << (port & 31);
    if (bits[w]! & bit) {
      this.extra ??= new Map();
      this.extra.set(port, (this.extra.get(port) ?? 0) + 1);
    } else {
      bits[w] = bits[w]! | bit;
      this.counted(port, 1);
    }
  }
}

/** Every destination's DestPorts; one dropped when its last connection is. */
export class ConnectPorts {
  private readonly byDest = new Map<string, DestPorts>();

  constructor(private readonly threshold = BITSET_THRESHOLD) {}

  get(key: string): DestPorts | undefined {
    return this.byDest.get(key);
  }

  /** Counts one connection holding `port` toward `key`; returns the entry. */
  add(key: string, port: number, range: readonly [number, number]): DestPorts {
    let d = this.byDest.get(key);
    if (d === undefined) {
      d = new DestPorts(key, this.threshold);
      this.byDest.set(key, d);
    }
    d.add(port, range);
    return d;
  }

  /** Takes off one connection holding `port` toward `key` (one that add() counted). */
  remove(key: string, port: number): void {
    const d = this.byDest.get(key);
    if (d === undefined) return;
    d.remove(port);
    if (d.count === 0) this.byDest.delete(key);
  }
}
