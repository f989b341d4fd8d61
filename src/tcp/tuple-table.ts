// Connections by 4-tuple (Linux ehash), looked up for every segment: an open-addressing hash table
// (linear probing) of the entries themselves, hashed by the port pair and the remote address with a key
// (as Linux inet_ehashfn hashes the whole 4-tuple with a secret: many peers on one port pair, a spoofed SYN
// flood from one source port, must not share one probe run). No key string is built per segment, and an entry costs
// one slot (no Map entry, no chain field in the entry).

export interface TupleEntry {
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
}

/** FNV-1a of an address's text, from a keyed start: a number for the hash, made without a string built per segment. */
function addressHash(ip: string, key: number): number {
  let h = 0x811c9dc5 ^ key;
  for (let i = 0; i < ip.length; i++) h = Math.imul(h ^ ip.charCodeAt(i), 0x01000193);
  return h;
}

/** The fewest slots the table keeps (a power of two). */
const MIN_SLOTS = 16;

export class TupleTable<E extends TupleEntry> {
  /** A power of two in length; at most half of the slots are used, so every probe run ends at an empty slot. */
  private slots: (E | undefined)[] = new Array<E | undefined>(MIN_SLOTS).fill(undefined);
  /** 32 - log2(slots.length): the hash's top bits pick the home slot. */
  private shift = Math.clz32(MIN_SLOTS) + 1;
  private count = 0;
  /** Entries looked at by get() since the table was made (for tests of the cost per lookup). */
  probes = 0;

  /** `key`: a secret mixed into every hash (Linux keys inet_ehashfn with a random secret). */
  constructor(private readonly key = 0) {}

  get size(): number {
    return this.count;
  }

  /**
   * The home slot of a 4-tuple: Fibonacci hashing (Knuth 6.4) of local port << 16 | remote port mixed with
   * the remote address's hash, whose top bits spread ports that differ only in their low bits (consecutive
   * ephemeral ports). The local address is left out: a host has few.
   */
  private home(localPort: number, remotePort: number, remoteIp: string): number {
    return Math.imul(((localPort << 16) | remotePort) ^ addressHash(remoteIp, this.key), 0x9e3779b1) >>> this.shift;
  }

  get(localIp: string, localPort: number, remoteIp: string, remotePort: number): E | undefined {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = this.home(localPort, remotePort, remoteIp); ; i = (i + 1) & mask) {
      const e = slots[i];
      if (e === undefined) return undefined;
      this.probes++;
      if (e.localPort === localPort && e.remotePort === remotePort && e.remoteIp === remoteIp && e.localIp === localIp) return e;
    }
  }

  /** Adds `entry`, taking the place of an entry with the same 4-tuple; returns that entry, if any. */
  set(entry: E): E | undefined {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = this.home(entry.localPort, entry.remotePort, entry.remoteIp);
    for (let e = slots[i]; e !== undefined; i = (i + 1) & mask, e = slots[i]) {
      if (e.localPort === entry.localPort && e.remotePort === entry.remotePort && e.remoteIp === entry.remoteIp && e.localIp === entry.localIp) {
        slots[i] = entry;
        return e;
      }
    }
    slots[i] = entry;
    this.count++;
    if (this.count * 2 > slots.length) this.resize(slots.length * 2);
    return undefined;
  }

  /** Removes `entry` if the table holds it. */
  delete(entry: E): boolean {
    const slots = this.slots;
    const mask = slots.length - 1;
    let hole = this.home(entry.localPort, entry.remotePort, entry.remoteIp);
    for (;;) {
      const e = slots[hole];
      if (e === undefined) return false;
      if (e === entry) break;
      hole = (hole + 1) & mask;
    }
    // Backward-shift deletion (no tombstones): each later entry of the run whose home slot does not lie
    // between the hole and itself moves into the hole, so every entry stays reachable from its home.
    for (let j = (hole + 1) & mask; ; j = (j + 1) & mask) {
      const e = slots[j];
      if (e === undefined) break;
      const home = this.home(e.localPort, e.remotePort, e.remoteIp);
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        slots[hole] = e;
        hole = j;
      }
    }
    slots[hole] = undefined;
    this.count--;
    if (this.count * 8 < slots.length && slots.length > MIN_SLOTS) this.resize(slots.length / 2);
    return true;
  }

  /** Re-files every entry into `size` slots (a power of two). */
  private resize(size: number): void {
    const old = this.slots;
    const slots = new Array<E | undefined>(size).fill(undefined);
    this.slots = slots;
    this.shift = Math.clz32(size) + 1;
    const mask = size - 1;
    for (const e of old) {
      if (e === undefined) continue;
      let i = this.home(e.localPort, e.remotePort, e.remoteIp);
      while (slots[i] !== undefined) i = (i + 1) & mask;
      slots[i] = e;
    }
  }
}
