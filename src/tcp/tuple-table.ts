// Connections by 4-tuple (Linux ehash), looked up for every segment: keyed by the port pair, a
// number, with the rare entries that share a port pair chained and told apart by address. No key
// string is built per segment.

export interface TupleEntry<E> {
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
  /** The next entry with the same port pair. */
  next: E | undefined;
}

/**
 * The port pair as one number: local port in the high 16 bits, as a signed 32-bit integer (V8 in Node keeps it
 * unboxed; local ports from 32768 up would make `localPort * 65536 + remotePort` a heap number per entry).
 */
function portPair(localPort: number, remotePort: number): number {
  return (localPort << 16) | remotePort;
}

export class TupleTable<E extends TupleEntry<E>> {
  private readonly byPorts = new Map<number, E>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(localIp: string, localPort: number, remoteIp: string, remotePort: number): E | undefined {
    for (let e = this.byPorts.get(portPair(localPort, remotePort)); e; e = e.next) {
      if (e.remoteIp === remoteIp && e.localIp === localIp) return e;
    }
    return undefined;
  }

  /** Adds `entry`, taking the place of an entry with the same 4-tuple; returns that entry, if any. */
  set(entry: E): E | undefined {
    const key = portPair(entry.localPort, entry.remotePort);
    const head = this.byPorts.get(key);
    let prev: E | undefined;
    for (let e = head; e; prev = e, e = e.next) {
      if (e.remoteIp !== entry.remoteIp || e.localIp !== entry.localIp) continue;
      entry.next = e.next;
      e.next = undefined;
      if (prev) prev.next = entry;
      else this.byPorts.set(key, entry);
      return e;
    }
    entry.next = head;
    this.byPorts.set(key, entry);
    this.count++;
    return undefined;
  }

  /** Removes `entry` if the table holds it. */
  delete(entry: E): boolean {
    const key = portPair(entry.localPort, entry.remotePort);
    let prev: E | undefined;
    for (let e = this.byPorts.get(key); e; prev = e, e = e.next) {
      if (e !== entry) continue;
      if (prev) prev.next = e.next;
      else if (e.next) this.byPorts.set(key, e.next);
      else this.byPorts.delete(key);
      e.next = undefined;
      this.count--;
      return true;
    }
    return false;
  }
}
