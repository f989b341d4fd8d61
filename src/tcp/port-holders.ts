// The sockets holding each local port (Linux keeps them on the port's bind bucket, inet_bind_bucket's
// owners list): the bind and connect() port checks look at one port's. Each port's holders are a list
// threaded through the sockets themselves (two fields each), kept in the order they came, under a table
// indexed by port number in pages of 256 made on first use: no Map entry per port, no Set per shared port.

export interface PortHolder<S> {
  /** The previous holder of the same port; for the first, the last (the list is a ring that way); undefined when on no list. */
  prevOnPort: S | undefined;
  /** The next holder of the same port; undefined for the last. */
  nextOnPort: S | undefined;
}

const PAGE_BITS = 8;
const PAGE_SIZE = 1 << PAGE_BITS;

export class PortHolders<S extends PortHolder<S>> {
  /** Page p holds the first holder of ports p * 256 to p * 256 + 255. */
  private readonly pages: ((S | undefined)[] | undefined)[] = [];

  /** The first of `port`'s holders (follow nextOnPort for the others), if any. */
  first(port: number): S | undefined {
    return this.pages[port >>> PAGE_BITS]?.[port & (PAGE_SIZE - 1)];
  }

  /** `port`'s holders, in the order they came. */
  list(port: number): S[] {
    const out: S[] = [];
    for (let s = this.first(port); s !== undefined; s = s.nextOnPort) out.push(s);
    return out;
  }

  /** Every port's holders: by port, then in the order they came. */
  all(): S[] {
    const out: S[] = [];
    for (const page of this.pages) {
      if (page === undefined) continue;
      for (const first of page) for (let s = first; s !== undefined; s = s.nextOnPort) out.push(s);
    }
    return out;
  }

  /** Adds `s` (holding no port now) as the last holder of `port`; nothing if it is on a list already. */
  add(port: number, s: S): void {
    if (s.prevOnPort !== undefined) return;
    const page = (this.pages[port >>> PAGE_BITS] ??= new Array<S | undefined>(PAGE_SIZE).fill(undefined));
    const i = port & (PAGE_SIZE - 1);
    const head = page[i];
    s.nextOnPort = undefined;
    if (head === undefined) {
      s.prevOnPort = s;
      page[i] = s;
      return;
    }
    const tail = head.prevOnPort!;
    tail.nextOnPort = s;
    s.prevOnPort = tail;
    head.prevOnPort = s;
  }

  /** Takes `s` off `port`'s holders, if it is one. */
  remove(port: number, s: S): void {
    const prev = s.prevOnPort;
    if (prev === undefined) return;
    const page = this.pages[port >>> PAGE_BITS];
    const i = port & (PAGE_SIZE - 1);
    const head = page?.[i];
    if (page === undefined || head === undefined) return;
    const next = s.nextOnPort;
    if (s === head) {
      page[i] = next;
      if (next !== undefined) next.prevOnPort = prev; // the new first points at the last
    } else {
      prev.nextOnPort = next;
      if (next !== undefined) next.prevOnPort = prev;
      else head.prevOnPort = prev; // `s` was the last
    }
    s.prevOnPort = s.nextOnPort = undefined;
  }
}
