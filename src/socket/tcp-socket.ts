// A TCP socket handle: the BSD calls of the seed programs, with the errnos Linux gives.
import { SocketError, type Errno } from '../tcp/errno.js';
import { SHUT_RD, SHUT_RDWR, SHUT_WR, type TcpSocket } from '../tcp/stack.js';
import { formatEndpoint } from '../wire/address.js';
import { resolveAddress, type Address } from './address.js';
import { WOULD_BLOCK, type Attempt, type Net } from './net.js';

export { SHUT_RD, SHUT_WR, SHUT_RDWR };

export type SocketOption = 'SO_REUSEADDR' | 'SO_LINGER' | 'TCP_NODELAY' | 'SO_SNDBUF';

const encoder = new TextEncoder();

export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

const SYNCHRONIZED = new Set(['ESTABLISHED', 'CLOSE_WAIT', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'LAST_ACK', 'TIME_WAIT']);

/** settimeout() of the handles that set one (most never do, and hold no field for it): seconds; absent is null, blocking. */
const TIMEOUTS = new WeakMap<TcpSocketHandle, number>();

export class TcpSocketHandle {

  constructor(
    private readonly net: Net,
    readonly socket: TcpSocket,
  ) {}

  /** The descriptor number (as fileno()). */
  get fd(): number {
    return this.socket.id;
  }

  private get stack() {
    return this.net.host.tcp;
  }

  /** settimeout()'s value: null (blocking) unless set. */
  private get timeout(): number | null {
    return TIMEOUTS.get(this) ?? null;
  }

  /** close() was called: the stack's socket is no longer open (stack.close, run at once, is what clears it). */
  private get closed(): boolean {
    return !this.socket.open;
  }

  private get now(): number {
    return this.net.world.now;
  }

  private checkOpen(call: string): void {
    if (this.closed) {
      this.net.record(call, this.fd, [], 'EBADF');
      throw new SocketError('EBADF', `${call}() on a closed socket`);
    }
  }

  bind(address: Address): void {
    this.checkOpen('bind');
    const { ip, port } = this.parse(address, 'bind');
    this.net.immediate('bind', this.fd, [formatEndpoint(ip, port)], () => this.stack.bind(this.socket, ip, port) ?? { value: undefined });
  }

  /** listen(backlog): Python's default backlog is min(SOMAXCONN, 128). */
  listen(backlog = 128): void {
    this.checkOpen('listen');
    if (!Number.isInteger(backlog)) throw new SocketError('EINVAL', `listen(): backlog must be an integer, got ${backlog}`);
    this.net.immediate('listen', this.fd, [String(backlog)], () => this.stack.listen(this.socket, backlog) ?? { value: undefined });
  }

  async accept(): Promise<[TcpSocketHandle, Address]> {
    this.checkOpen('accept');
    return this.net.block({
      call: 'accept',
      socket: this.fd,
      watch: this.socket.id,
      args: [],
      timeout: this.timeout,
      timeoutErrno: 'EAGAIN',
      attempt: (): Attempt<[TcpSocketHandle, Address]> => {
        const r = this.stack.accept(this.socket);
        if (r === 'EAGAIN') return WOULD_BLOCK;
        if (typeof r === 'string') return { done: true, errno: r };
        const peer = r.conn!.remote;
        return { done: true, value: [new TcpSocketHandle(this.net, r), [peer.ip, peer.port]] };
      },
      describe: ([child, peer]) => `fd ${child.fd} from ${formatEndpoint(peer[0], peer[1])}`,
    });
  }

  /** connect(): resolves when ESTABLISHED; rejects with ECONNREFUSED, ETIMEDOUT, ... */
  async connect(address: Address): Promise<void> {
    this.checkOpen('connect');
    const { ip, port } = this.parse(address, 'connect');
    const target = formatEndpoint(ip, port);
    const err = this.stack.connect(this.now, this.socket, ip, port);
    this.net.world.flushHost(this.net.host);
    if (err) {
      this.net.record('connect', this.fd, [target], err);
      throw new SocketError(err, `connect(${target})`);
    }
    return this.net.block({
      call: 'connect',
      socket: this.fd,
      watch: this.socket.id,
      args: [target],
      timeout: this.timeout,
      timeoutErrno: 'EINPROGRESS',
      attempt: () => this.connectProgress(),
      describe: () => {
        const local = this.socket.conn?.local;
        return local ? `from ${formatEndpoint(local.ip, local.port)}` : undefined;
      },
    });
  }

  /** connect_ex(): like connect but returns 0 or the errno name instead of throwing. */
  async connectEx(address: Address): Promise<0 | Errno> {
    try {
      await this.connect(address);
      return 0;
    } catch (e) {
      if (e instanceof SocketError) return e.errno;
      throw e;
    }
  }

  private connectProgress(): Attempt<void> {
    const conn = this.socket.conn;
    if (!conn) return { done: true, errno: 'ECONNREFUSED' };
    if (SYNCHRONIZED.has(conn.state)) return { done: true, value: undefined };
    if (conn.state === 'CLOSED') return { done: true, errno: this.stack.takeError(this.socket) ?? 'ECONNREFUSED' };
    return WOULD_BLOCK;
  }

  /**
   * send(): how much it takes depends on the socket's mode, as with Python on Linux.
   * - Blocking (no timeout): waits until every byte is in the send buffer and returns the full
   *   count (Linux tcp_sendmsg sleeps in sk_stream_wait_memory); only an error after some bytes
   *   were taken makes it return fewer, and the error is left for the next call (tcp_sendmsg's
   *   do_error: "if (copied) goto out").
   * - settimeout(0) / setblocking(false): takes what fits now; EAGAIN when nothing does.
   * - settimeout(t > 0): waits up to t for room, then takes what fits (Python polls for
   *   writability, then makes one send()); EAGAIN when no room came in time.
   */
  async send(data: Uint8Array | string): Promise<number> {
    this.checkOpen('send');
    const bytes = toBytes(data);
    let offset = 0;
    const blocking = this.timeout === null;
    return this.net.block({
      call: 'send',
      socket: this.fd,
      watch: this.socket.id,
      args: [`${bytes.length} bytes`],
      timeout: this.timeout,
      timeoutErrno: 'EAGAIN',
      attempt: (): Attempt<number> => {
        for (;;) {
          // A pending error (a reset) after part of the data was taken: return the part, keep the error.
          if (offset > 0 && this.socket.conn?.error !== undefined) return { done: true, value: offset };
          const r = this.stack.send(this.now, this.socket, bytes.subarray(offset));
          if (r === 'EAGAIN') return offset > 0 && !blocking ? { done: true, value: offset } : WOULD_BLOCK;
          if (typeof r === 'string') return offset > 0 ? { done: true, value: offset } : { done: true, errno: r };
          offset += r;
          if (!blocking || offset >= bytes.length) return { done: true, value: offset };
        }
      },
      describe: (n) => `${n} bytes`,
    });
  }

  /** sendall(): sends everything, waiting for buffer space as often as needed. */
  async sendall(data: Uint8Array | string): Promise<void> {
    this.checkOpen('sendall');
    const bytes = toBytes(data);
    let offset = 0;
    return this.net.block({
      call: 'sendall',
      socket: this.fd,
      watch: this.socket.id,
      args: [`${bytes.length} bytes`],
      timeout: this.timeout,
      timeoutErrno: 'EAGAIN',
      attempt: (): Attempt<void> => {
        while (offset < bytes.length) {
          const r = this.stack.send(this.now, this.socket, bytes.subarray(offset));
          if (r === 'EAGAIN') return WOULD_BLOCK;
          if (typeof r === 'string') return { done: true, errno: r };
          offset += r;
        }
        return { done: true, value: undefined };
      },
      describe: () => `${bytes.length} bytes`,
    });
  }

  /** recv(max): at least one byte, or an empty array at end of stream. */
  async recv(max = 65536): Promise<Uint8Array> {
    this.checkOpen('recv');
    if (!Number.isInteger(max) || max < 0) throw new SocketError('EINVAL', `recv(): bufsize must be a non-negative integer`);
    return this.net.block({
      call: 'recv',
      socket: this.fd,
      watch: this.socket.id,
      args: [String(max)],
      timeout: this.timeout,
      timeoutErrno: 'EAGAIN',
      attempt: (): Attempt<Uint8Array> => {
        const r = this.stack.recv(this.now, this.socket, max);
        if (r === 'EAGAIN') return WOULD_BLOCK;
        if (typeof r === 'string') return { done: true, errno: r };
        return { done: true, value: r };
      },
      describe: (d) => (d.length === 0 ? 'EOF (0 bytes)' : `${d.length} bytes`),
    });
  }

  shutdown(how: number): void {
    this.checkOpen('shutdown');
    const name = how === SHUT_RD ? 'SHUT_RD' : how === SHUT_WR ? 'SHUT_WR' : how === SHUT_RDWR ? 'SHUT_RDWR' : String(how);
    this.net.immediate('shutdown', this.fd, [name], () => this.stack.shutdown(this.now, this.socket, how) ?? { value: undefined });
  }

  close(): void {
    if (this.closed) return; // Python allows close() twice
    this.net.immediate('close', this.fd, [], () => {
      this.stack.close(this.now, this.socket);
      return { value: undefined };
    });
  }

  setsockopt(option: SocketOption, value: number | boolean | { onoff: boolean | number; linger: number }): void {
    this.checkOpen('setsockopt');
    this.net.immediate('setsockopt', this.fd, [option, JSON.stringify(value)], () => {
      switch (option) {
        case 'SO_SNDBUF':
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return 'EINVAL';
          this.stack.setSendBufferSize(this.socket, value);
          break;
        case 'SO_REUSEADDR':
          this.socket.reuseAddr = Boolean(value);
          break;
        case 'TCP_NODELAY':
          this.socket.nodelay = Boolean(value);
          if (this.socket.conn) this.socket.conn.nodelay = Boolean(value);
          break;
        case 'SO_LINGER': {
          if (typeof value !== 'object' || value === null || !Number.isInteger(value.linger) || value.linger < 0) return 'EINVAL';
          this.socket.linger = { on: Boolean(value.onoff), seconds: value.linger };
          break;
        }
        default:
          return 'EINVAL';
      }
      return { value: undefined };
    });
  }

  /**
   * getsockopt(): SO_SNDBUF (the size the kernel keeps: Linux doubles what setsockopt was given),
   * SO_REUSEADDR and TCP_NODELAY (0 or 1).
   */
  getsockopt(option: Exclude<SocketOption, 'SO_LINGER'>): number {
    this.checkOpen('getsockopt');
    return this.net.immediate('getsockopt', this.fd, [option], () => {
      switch (option) {
        case 'SO_SNDBUF':
          return { value: this.stack.sendBufferSizeOf(this.socket) };
        case 'SO_REUSEADDR':
          return { value: this.socket.reuseAddr ? 1 : 0 };
        case 'TCP_NODELAY':
          return { value: this.socket.nodelay ? 1 : 0 };
        default:
          return 'EINVAL';
      }
    }, (v) => String(v));
  }

  /** setblocking(flag): Python's shorthand for settimeout(null) (true) or settimeout(0) (false). */
  setblocking(flag: boolean): void {
    this.settimeout(flag ? null : 0);
  }

  /** settimeout(seconds | null): how long blocking calls wait before failing with EAGAIN. */
  settimeout(seconds: number | null): void {
    if (seconds !== null && !(seconds >= 0)) throw new SocketError('EINVAL', `settimeout(): timeout must be >= 0 or null`);
    if (seconds === null) TIMEOUTS.delete(this);
    else TIMEOUTS.set(this, seconds);
  }

  gettimeout(): number | null {
    return this.timeout;
  }

  getsockname(): Address {
    const local = this.stack.localEndpoint(this.socket);
    return local ? [local.ip, local.port] : ['0.0.0.0', 0];
  }

  getpeername(): Address {
    const conn = this.socket.conn;
    if (!conn || conn.state === 'CLOSED' || conn.state === 'SYN_SENT') throw new SocketError('ENOTCONN', 'getpeername()');
    return [conn.remote.ip, conn.remote.port];
  }

  /** The TCP state of the connection (or LISTEN / CLOSED), as `ss` would show it. */
  get state(): string {
    if (this.socket.listen) return 'LISTEN';
    return this.socket.conn?.state ?? 'CLOSED';
  }

  private parse(address: Address, call: string): { ip: string; port: number } {
    try {
      return resolveAddress(address, this.net.resolve, call);
    } catch (e) {
      if (e instanceof SocketError) this.net.record(call, this.fd, [JSON.stringify(address)], e.errno);
      throw e;
    }
  }
}
