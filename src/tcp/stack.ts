// One host's TCP: sockets, the port table, demultiplexing by 4-tuple, listeners with their SYN and
// accept queues, SYN cookies, TIME_WAIT reuse, and resets for segments that reach no socket.
// Pure and sans-IO like Connection: the owner feeds segments and time in and drains output and
// events. Linux is the model (net/ipv4/tcp_ipv4.c, tcp_input.c tcp_conn_request, tcp_minisocks.c);
// the rfc9293 profile switches the rules where the two differ.
import { ACK, RST, SYN, type Segment } from '../wire/segment.js';
import { seqAdd } from '../wire/seq.js';
import { ConnectPorts } from './connect-ports.js';
import { Connection, type AdmitDecision, type ConnectionOptions, type ConnectionOwner } from './connection.js';
import type { Errno } from './errno.js';
import { timeWaitAcceptsSyn } from './input.js';
import { initialSequenceNumber, keyedHash, timestampOffset } from './isn.js';
import { bindConflict, isLoopback, isWildcard, type PortOwner } from './ports.js';
import type { Profile } from './profile.js';
import { PortHolders, type PortHolder } from './port-holders.js';
import { isPureSyn, resetFor } from './reset.js';
import type { Rng } from './rng.js';
import { checkCookie, cookieSynAck, decodeCookieOptions, makeCookie } from './syncookie.js';
import type { TcpEventType, TcpState } from './states.js';
import type { ConnectionEvent, Endpoint, Outgoing } from './tcb.js';
import { TimerIndex, type TimerEntry } from './timer-index.js';
import { TupleTable, type TupleEntry } from './tuple-table.js';

/** A listening socket's queues (Linux icsk_accept_queue). */
export interface ListenQueues {
  /** listen()'s backlog after the somaxconn cap (sk_max_ack_backlog). */
  backlog: number;
  /** Children still in SYN_RECEIVED (request socks). */
  synQueue: Set<TcpSocket>;
  /** Established children waiting for accept(). */
  acceptQueue: TcpSocket[];
  /** When the SYN queue last overflowed; cookies are checked only for a while after (tcp_synq_no_recent_overflow). */
  lastOverflowAt: number | undefined;
  /** The local endpoint of the last child made: children reached at the same address share it (childLocal()). */
  childLocal: Endpoint | undefined;
}

/** SO_LINGER off, what every socket starts with (one object for all). */
const NO_LINGER = Object.freeze({ on: false, seconds: 0 });

// A socket's yes/no fields, one bit each of TcpSocket.bits (read and written through accessors of the same names).
const S_REUSE_ADDR = 1 << 0;
const S_NODELAY = 1 << 1;
const S_EXPLICITLY_BOUND = 1 << 2;
const S_OPEN = 1 << 3;
const S_WRITE_SHUTDOWN = 1 << 4;
const S_READ_SHUTDOWN = 1 << 5;
/** The descriptor number is kept above the bits: bits = id * ID_UNIT + the S_* bits. */
const ID_UNIT = 1 << 6;
const S_MASK = ID_UNIT - 1;

/**
 * A socket's fields that most sockets leave at their defaults (a listener's queues, an unaccepted child's
 * listener, socket options): one record, made when one is set otherwise and dropped when all are back.
 */
class SocketRareFields {
  linger: Readonly<{ on: boolean; seconds: number }> = NO_LINGER;
  sendBufferSize: number | undefined = undefined;
  listen: ListenQueues | undefined = undefined;
  parent: TcpSocket | undefined = undefined;
}

/** A TCP socket: what the application holds (or held), and the connection under it. */
export class TcpSocket implements PortHolder<TcpSocket> {
  /** The local address once bound (explicitly or by connect/listen). */
  local: Endpoint | undefined = undefined;
  conn: Connection | undefined = undefined;
  /** 0 while the stack does not track it (it holds no port or connection); else its place in the order the stack took sockets in. */
  trackOrder = 0;
  /** The stack's list of the sockets holding the same local port (PortHolders). */
  prevOnPort: TcpSocket | undefined = undefined;
  nextOnPort: TcpSocket | undefined = undefined;
  /**
   * The S_* bits, and the descriptor number above them (one field, not two): a small integer V8 keeps in the
   * field itself up to 2^25 descriptors; beyond, still exact (arithmetic, not 32-bit operators, on the whole).
   */
  private bits: number;
  private rare: SocketRareFields | undefined = undefined;

  constructor(id: number) {
    this.bits = id * ID_UNIT + S_OPEN;
  }

  /** The descriptor number (as fileno()). */
  get id(): number {
    return (this.bits - (this.bits & S_MASK)) / ID_UNIT;
  }

  private flag(bit: number, on: boolean): void {
    const was = this.bits & S_MASK;
    this.bits += (on ? was | bit : was & ~bit) - was;
  }

  /** Sets one of the rare fields: no record is made to hold a default, and none is kept once all are defaults. */
  private setRare<K extends keyof SocketRareFields>(key: K, value: SocketRareFields[K], byDefault: SocketRareFields[K]): void {
    if (this.rare === undefined && value === byDefault) return;
    (this.rare ??= new SocketRareFields())[key] = value;
    this.tidy();
  }

  /** Drops the rare fields' record once every field is back to its default. */
  private tidy(): void {
    const r = this.rare;
    if (r !== undefined && r.linger === NO_LINGER && r.sendBufferSize === undefined && r.listen === undefined && r.parent === undefined) this.rare = undefined;
  }

  get reuseAddr(): boolean { return (this.bits & S_REUSE_ADDR) !== 0; }
  set reuseAddr(v: boolean) { this.flag(S_REUSE_ADDR, v); }
  get nodelay(): boolean { return (this.bits & S_NODELAY) !== 0; }
  set nodelay(v: boolean) { this.flag(S_NODELAY, v); }
  /** bind() was called (ports chosen by connect() are not "bound" in this sense). */
  get explicitlyBound(): boolean { return (this.bits & S_EXPLICITLY_BOUND) !== 0; }
  set explicitlyBound(v: boolean) { this.flag(S_EXPLICITLY_BOUND, v); }
  /** The application holds a descriptor for it. */
  get open(): boolean { return (this.bits & S_OPEN) !== 0; }
  set open(v: boolean) { this.flag(S_OPEN, v); }
  /** shutdown(SHUT_WR) or close() was called. */
  get writeShutdown(): boolean { return (this.bits & S_WRITE_SHUTDOWN) !== 0; }
  set writeShutdown(v: boolean) { this.flag(S_WRITE_SHUTDOWN, v); }
  /** shutdown(SHUT_RD) or close(). */
  get readShutdown(): boolean { return (this.bits & S_READ_SHUTDOWN) !== 0; }
  set readShutdown(v: boolean) { this.flag(S_READ_SHUTDOWN, v); }

  /** SO_LINGER; {on: true, seconds: 0} makes close() abort with RST. Replaced, never changed in place (shared). */
  get linger(): Readonly<{ on: boolean; seconds: number }> { return this.rare === undefined ? NO_LINGER : this.rare.linger; }
  set linger(v: Readonly<{ on: boolean; seconds: number }>) {
    this.setRare('linger', v, NO_LINGER);
  }
  /**
   * SO_SNDBUF as the kernel keeps it (Linux doubles the value given, sock_setsockopt), or undefined
   * for the profile's default. An accepted connection inherits its listener's (sk_clone).
   */
  get sendBufferSize(): number | undefined { return this.rare?.sendBufferSize; }
  set sendBufferSize(v: number | undefined) {
    this.setRare('sendBufferSize', v, undefined);
  }
  get listen(): ListenQueues | undefined { return this.rare?.listen; }
  set listen(v: ListenQueues | undefined) {
    this.setRare('listen', v, undefined);
  }
  /** For a child: the listener it came from, until accepted. */
  get parent(): TcpSocket | undefined { return this.rare?.parent; }
  set parent(v: TcpSocket | undefined) {
    this.setRare('parent', v, undefined);
  }
}

/** connect()'s port search toward one destination (from one local address). */
interface DestSearch {
  /** The key: local address, remote address and port. */
  readonly dest: string;
  /** Where the search starts: keyedHash(portOffset, dest), hashed once. */
  readonly hash: number;
  /** How far the search has moved on after each choice (Linux table_perturb). */
  perturb: number;
  /** The remote endpoint, shared by the connections to it. */
  readonly remote: Endpoint;
}

/** A segment for the wire, with addresses. */
export interface StackOutput {
  src: string;
  dst: string;
  segment: Segment;
  retransmit: boolean;
  note?: string;
}

/** Something that happened to a socket, for the trace. */
export type StackEvent = {
  socket: number;
  local: Endpoint;
  remote: Endpoint | undefined;
} & ConnectionEvent;

/** What takeOutput and takeEvents return when there is nothing: one list for all calls (a flush asks many times). */
const NOTHING: readonly never[] = Object.freeze([]);

export interface StackOptions {
  /** The host's addresses; the first is used for outgoing connections to non-loopback peers. */
  addresses: string[];
  profile: Profile;
  rng: Rng;
  /** Interface MTU: the MSS we advertise is MTU - 40 (IPv4 + TCP headers). */
  mtu: number;
  /**
   * Tests only: from how many connections toward one destination connect()'s search jumps over the
   * ports they hold (src/tcp/connect-ports.ts BITSET_THRESHOLD when not given). Never changes a choice.
   */
  connectPortIndexFrom?: number;
}

export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

/**
 * A connection as the stack files it: in the 4-tuple table and, while a timer is armed, in the timer heap
 * under its earliest deadline. The filing fields are the connection's own (no second object per connection),
 * and the stack is its owner (ConnectionOwner) while it is filed.
 */
class FiledConnection extends Connection implements TupleEntry, TimerEntry {
  /** Its place in the timer heap, -1 when not filed (the deadline it is filed under is the heap's). */
  pos = -1;
  /** When it entered the table (one that took over a 4-tuple keeps the old one's): same-instant timers fire in this order. */
  order = 0;

  constructor(
    options: ConnectionOptions,
    /** The socket it was made for. */
    readonly sock: TcpSocket,
  ) {
    super(options);
  }

  // The 4-tuple, read from the connection's endpoints (never changed in place) rather than copied.
  get localIp(): string {
    return this.local.ip;
  }

  get localPort(): number {
    return this.local.port;
  }

  get remoteIp(): string {
    return this.remote.ip;
  }

  get remotePort(): number {
    return this.remote.port;
  }

  /** Its port is counted as taken for connect() toward its destination (TcpStack.countPort): a bit of the connection's. */
  get portCounted(): boolean {
    return this.ownerMark;
  }

  set portCounted(v: boolean) {
    this.ownerMark = v;
  }

  /** Opened by connect() (the only ones counted in the connect() port index): a listener's child is passive from the start. */
  get active(): boolean {
    return !this.passive;
  }
}

export class TcpStack implements ConnectionOwner {
  readonly profile: Profile;
  readonly addresses: string[];
  readonly mtu: number;
  private readonly rng: Rng;
  /**
   * Told of every socket whose connection may have changed (state, buffers, error) and of its listener:
   * the socket layer re-tries only the blocked calls on those (readiness wake-ups, src/sim/host.ts).
   */
  onChange: ((sock: TcpSocket) => void) | undefined = undefined;
  private nextId = 3; // descriptors 0-2 are stdio, as on a real host
  /**
   * The sockets that hold a port or a connection are the tracked ones (TcpSocket.trackOrder, numbered from this
   * count): those with a local address are on their port's list of holders (byPort), the rest (a connect() that
   * failed after giving up its port) in `unplaced`. No Set entry per socket.
   */
  private trackedCount = 0;
  private readonly unplaced = new Set<TcpSocket>();
  /** Connections by 4-tuple, TIME_WAIT included (Linux ehash). */
  private readonly connections: TupleTable<FiledConnection>;
  /** How many connections have entered `connections` (the order same-instant timers fire in). */
  private filedCount = 0;
  /** The connections with an armed timer, by earliest deadline. */
  private readonly timerHeap = new TimerIndex<FiledConnection>();
  /**
   * Connections looked at to find or fire timers, for tests that guard the complexity: it grows with
   * the timers that fire, not with the connections the host holds.
   */
  timerVisits = 0;
  /** Sockets holding each local port (the bind and connect() port checks look at one port's). */
  private readonly byPort = new PortHolders<TcpSocket>();
  /** Listening sockets by port. */
  private readonly listeners = new Map<number, TcpSocket[]>();
  private readonly cookieSecret: number;
  private readonly portOffset: number;
  /** Key of the ISN and TSval-offset hashes (Linux net_secret / ts_secret). */
  private readonly isnSecret: number;
  /**
   * connect()'s port search per destination: where it starts, keyedHash(portOffset, dest) (hashed once), and
   * how far it has moved on after each choice (Linux table_perturb).
   */
  private readonly connectSearch = new Map<string, DestSearch>();
  /**
   * Per port, the sockets holding it that bind() or listen() made owners (a port owned so is not shared with
   * connect()): connect()'s exact check looks at these and at the one connection of the 4-tuple, not at every
   * socket on the port. May keep a socket that stopped listening (it is looked at again, never wrongly).
   */
  private readonly portOwners = new Map<number, Set<TcpSocket>>();
  /** Ports taken toward each destination, which connect()'s search jumps over (countPort keeps it right). */
  private readonly connectPorts: ConnectPorts;
  /** tcp_tw_reuse when the stack was made: the index marks TIME_WAIT ports by it (a change turns the index off). */
  private readonly twReuseAtStart: 0 | 1 | 2;
  /**
   * Whether anything reads the connections' events (state changes, timers, errors) from takeEvents(): the
   * trace does. False (a world with no trace) and the filed connections build none; the stack's own events
   * (a listener's state) are kept as before.
   */
  eventsWanted = true;
  /**
   * Ports connect() checked with its exact rule (connectPortUsable), for tests that guard the
   * complexity: it stays small per connect() however many ports a destination already holds.
   */
  connectPortChecks = 0;
  /** Sockets connect()'s exact check looked at (bind/listen owners, or every holder of a wildcard's port): for the same tests. */
  connectPortSocketsSeen = 0;
  /** Passes of connect()'s search skipped whole, every port of them known taken (for the same tests). */
  connectPassesSkipped = 0;
  private output: StackOutput[] = [];
  private dropReason: string | undefined;
  private events: StackEvent[] = [];

  constructor(options: StackOptions) {
    this.profile = options.profile;
    this.addresses = options.addresses;
    this.rng = options.rng;
    this.mtu = options.mtu;
    this.cookieSecret = this.rng.u32();
    this.portOffset = this.rng.u32();
    this.isnSecret = this.rng.u32();
    // Keyed by a secret the stack already has (no draw of its own, so the random stream is as before), as
    // Linux keys inet_ehashfn with its ehash secret: peers cannot be picked to share one probe run.
    this.connections = new TupleTable<FiledConnection>(Math.imul(this.isnSecret ^ this.cookieSecret, 0x85ebca6b));
    this.twReuseAtStart = this.profile.twReuse;
    this.connectPorts = new ConnectPorts(options.connectPortIndexFrom);
  }

  get advertisedMss(): number {
    return this.mtu - 40;
  }

  // ------------------------------------------------------------------ socket calls

  /** A new descriptor number for this host (TCP and UDP sockets share the space). */
  newDescriptor(): number {
    return this.nextId++;
  }

  socket(): TcpSocket {
    return new TcpSocket(this.newDescriptor());
  }

  /** bind(): EINVAL if already bound, EADDRNOTAVAIL for a foreign address, EADDRINUSE on conflict. */
  bind(sock: TcpSocket, ip: string, port: number): Errno | undefined {
    if (sock.local) return 'EINVAL';
    if (!isWildcard(ip) && !this.ownsAddress(ip)) return 'EADDRNOTAVAIL';
    if (port === 0) {
      const chosen = this.pickEphemeralPort(ip, (p) => !this.portConflict(sock, ip, p));
      if (chosen === undefined) return 'EADDRINUSE';
      port = chosen;
    } else if (this.portConflict(sock, ip, port)) {
      return 'EADDRINUSE';
    }
    this.setLocal(sock, { ip, port });
    sock.explicitlyBound = true;
    this.track(sock);
    this.noteOwner(sock, port);
    return undefined;
  }

  /** listen(): backlog capped at somaxconn; a negative backlog means somaxconn (as unsigned). */
  listen(sock: TcpSocket, backlog: number): Errno | undefined {
    if (sock.conn) return 'EINVAL';
    // __sys_listen: if ((unsigned int)backlog > somaxconn) backlog = somaxconn
    const capped = backlog < 0 || backlog > this.profile.somaxconn ? this.profile.somaxconn : backlog;
    if (sock.listen) {
      sock.listen.backlog = capped;
      return undefined;
    }
    if (!sock.local) {
      const ip = '0.0.0.0';
      const port = this.pickEphemeralPort(ip, (p) => !this.portConflict(sock, ip, p));
      if (port === undefined) return 'EADDRINUSE';
      this.setLocal(sock, { ip, port });
      this.track(sock);
    } else if (this.portConflict(sock, sock.local.ip, sock.local.port)) {
      return 'EADDRINUSE';
    }
    sock.listen = { backlog: capped, synQueue: new Set(), acceptQueue: [], lastOverflowAt: undefined, childLocal: undefined };
    const port = sock.local!.port;
    this.noteOwner(sock, port);
    const onPort = this.listeners.get(port);
    if (onPort) onPort.push(sock);
    else this.listeners.set(port, [sock]);
    this.emit(sock, { kind: 'state', from: 'CLOSED', to: 'LISTEN', cause: 'PASSIVE_OPEN' });
    return undefined;
  }

  /** connect(): starts the handshake. Errors: EISCONN, EALREADY, EADDRNOTAVAIL, EINVAL. */
  connect(now: number, sock: TcpSocket, ip: string, port: number): Errno | undefined {
    // RFC 9293 3.10.2: a SEND with a foreign socket on a LISTEN connection makes it active (LISTEN -> SYN_SENT).
    // The rfc9293 profile takes connect() on a listener with nothing queued as that call; Linux refuses it
    // (inet_stream_connect: EISCONN), and so does a listener that holds connections.
    const fromListen = sock.listen !== undefined && this.profile.name !== 'linux' && sock.listen.synQueue.size === 0 && sock.listen.acceptQueue.length === 0;
    if (sock.listen && !fromListen) return 'EISCONN';
    if (fromListen) {
      if (port <= 0 || port > 65535) return 'EINVAL';
      this.leaveListen(sock);
    }
    if (sock.conn) {
      const st = sock.conn.state;
      if (st === 'SYN_SENT' || st === 'SYN_RECEIVED') return 'EALREADY';
      if (st !== 'CLOSED') return 'EISCONN';
      // A socket whose earlier connect failed may connect again (Linux: back to SS_UNCONNECTED);
      // a port connect() chose is given up (tcp_done -> inet_put_port) and a new one is chosen.
      const old = sock.conn;
      sock.conn = undefined;
      if (old instanceof FiledConnection && old.owner === this) this.countPort(old);
      if (!sock.explicitlyBound) this.setLocal(sock, undefined);
    }
    if (port <= 0 || port > 65535) return 'EINVAL';
    let remote: Endpoint = { ip, port };
    let localIp = sock.local && !isWildcard(sock.local.ip) ? sock.local.ip : this.sourceAddressFor(ip);
    let iss: number | undefined;
    let localPort: number;
    if (sock.local) {
      localPort = sock.local.port;
      const clash = this.connections.get(localIp, localPort, ip, port)?.sock;
      if (clash) {
        // An explicitly bound port takes over a TIME_WAIT 4-tuple at once whatever tcp_tw_reuse
        // says, if that connection used timestamps (tcp_twsk_unique with twp == NULL; observed).
        const reusable = clash.conn?.state === 'TIME_WAIT' && clash.conn.tsOk;
        if (!reusable) return 'EADDRNOTAVAIL';
        iss = this.killTimeWaitForReuse(now, clash);
      }
    } else {
      const search = this.destSearch(localIp, remote);
      remote = search.remote; // one object for the connections to one destination (endpoints are never changed in place)
      const chosen = this.pickConnectPort(search, (p) => this.connectPortUsable(now, localIp, p, remote));
      if (chosen === undefined) return 'EADDRNOTAVAIL';
      localPort = chosen;
      const clash = this.connections.get(localIp, localPort, ip, port)?.sock;
      if (clash) iss = this.killTimeWaitForReuse(now, clash);
    }
    const bound = { ip: sock.local?.ip ?? localIp, port: localPort };
    this.setLocal(sock, bound);
    localIp = isWildcard(bound.ip) ? localIp : bound.ip;
    // Endpoints are never changed in place: the connection shares the socket's when they agree.
    const local = bound.ip === localIp ? bound : { ip: localIp, port: localPort };
    const conn = new FiledConnection(
      {
        profile: this.profile,
        rng: this.rng,
        local,
        remote,
        advertisedMss: this.advertisedMss,
        nodelay: sock.nodelay,
        ...(sock.sendBufferSize !== undefined ? { sendBuffer: sock.sendBufferSize } : {}),
        iss: iss ?? initialSequenceNumber(this.profile, this.isnSecret, local, remote, now),
        tsOffset: timestampOffset(this.isnSecret, localIp, remote.ip),
      },
      sock,
    );
    sock.conn = conn;
    this.track(sock);
    this.file(conn);
    conn.open(now, fromListen);
    this.drain(sock);
    return undefined;
  }

  /** accept(): the oldest established child, EAGAIN when none waits, EINVAL when not listening. */
  accept(sock: TcpSocket): TcpSocket | Errno {
    if (!sock.listen) return 'EINVAL';
    const child = sock.listen.acceptQueue.shift();
    if (!child) return 'EAGAIN';
    child.parent = undefined;
    child.open = true;
    return child;
  }

  /** send(): bytes accepted into the send buffer, or an errno (EAGAIN when the buffer is full). */
  send(now: number, sock: TcpSocket, data: Uint8Array): number | Errno {
    const conn = sock.conn;
    if (!conn) return 'EPIPE';
    const pending = this.takeError(sock);
    if (pending) return pending;
    if (sock.writeShutdown) return 'EPIPE';
    if (conn.state === 'SYN_SENT' || conn.state === 'SYN_RECEIVED') return 'EAGAIN';
    if (conn.state !== 'ESTABLISHED' && conn.state !== 'CLOSE_WAIT') return 'EPIPE';
    if (data.length === 0) return 0;
    const n = conn.send(now, data);
    this.drain(sock);
    return n === 0 ? 'EAGAIN' : n;
  }

  /** recv(): data, an empty array at end of stream, or an errno (EAGAIN when it would block). */
  recv(now: number, sock: TcpSocket, max: number): Uint8Array | Errno {
    const conn = sock.conn;
    if (!conn || sock.listen) return 'ENOTCONN';
    if (conn.unread() > 0 && !sock.readShutdown) {
      const data = conn.read(now, max);
      this.drain(sock);
      return data;
    }
    // Linux tcp_recvmsg checks SOCK_DONE (the peer's FIN was received) before sk_err: after FIN
    // and then a reset (CLOSE_WAIT -> EPIPE) recv() still reports end of stream.
    if (conn.finReceived) return new Uint8Array(0);
    const pending = this.takeError(sock);
    if (pending) return pending;
    if (sock.readShutdown || conn.state === 'CLOSED') return new Uint8Array(0);
    return 'EAGAIN';
  }

  /** shutdown(how): ENOTCONN unless connected. */
  shutdown(now: number, sock: TcpSocket, how: number): Errno | undefined {
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) return 'EINVAL';
    const conn = sock.conn;
    // A socket whose connection has finished (CLOSED, or handed to a TIME_WAIT) is TCP_CLOSE to Linux.
    if (!conn || conn.state === 'CLOSED' || conn.state === 'SYN_SENT' || conn.state === 'TIME_WAIT') return 'ENOTCONN';
    if (how === SHUT_RD || how === SHUT_RDWR) {
      sock.readShutdown = true;
      conn.readShutdown = true;
    }
    if (how === SHUT_WR || how === SHUT_RDWR) {
      sock.writeShutdown = true;
      conn.closeWrite(now);
    }
    this.drain(sock);
    return undefined;
  }

  /** close(): release the descriptor; the connection lives on to finish the protocol. */
  close(now: number, sock: TcpSocket): void {
    sock.open = false;
    sock.writeShutdown = true;
    sock.readShutdown = true;
    if (sock.listen) {
      // SO_LINGER {1, 0} makes it the ABORT call (RFC 9293 3.10.5: in LISTEN, delete the TCB);
      // the effect is the same as CLOSE (Linux tcp_close -> inet_csk_listen_stop either way).
      this.closeListener(now, sock, sock.linger.on && sock.linger.seconds === 0 ? 'ABORT' : 'CLOSE');
      return;
    }
    const conn = sock.conn;
    if (!conn) {
      this.untrack(sock);
      return;
    }
    const unread = conn.unread() > 0;
    if (sock.linger.on && sock.linger.seconds === 0) {
      conn.abort(now); // SO_LINGER {1, 0}: RST, no TIME_WAIT
    } else if (unread && this.profile.rstOnCloseWithUnreadData) {
      conn.abort(now); // RFC 2525 2.17; Linux tcp_close "data_was_unread"
    } else {
      conn.closeWrite(now);
      conn.orphan(now);
    }
    this.drain(sock);
  }

  /**
   * setsockopt(SO_SNDBUF, value). Linux (sock_setsockopt) keeps twice the value, capped by
   * net.core.wmem_max (212992) and at least SOCK_MIN_SNDBUF (4608), because it counts the kernel's
   * per-buffer overhead against it; the rfc9293 profile (BSD) keeps the value. Here the result
   * bounds the bytes of payload held, so the overhead Linux adds is not modelled. Returns what
   * getsockopt(SO_SNDBUF) then reports.
   */
  setSendBufferSize(sock: TcpSocket, value: number): number {
    const size = this.profile.name === 'linux' ? Math.max(4608, 2 * Math.min(value, 212992)) : Math.max(1, value);
    sock.sendBufferSize = size;
    if (sock.conn) sock.conn.sendCapacity = size;
    return size;
  }

  /** getsockopt(SO_SNDBUF): the send buffer size in force. */
  sendBufferSizeOf(sock: TcpSocket): number {
    return sock.conn?.sendCapacity ?? sock.sendBufferSize ?? this.profile.sendBuffer;
  }

  /** The local and peer endpoints, as getsockname()/getpeername() give them. */
  localEndpoint(sock: TcpSocket): Endpoint | undefined {
    return sock.conn?.local ?? sock.local;
  }

  // ------------------------------------------------------------------ the network side

  /** A TCP segment arrived for one of our addresses. */
  receive(now: number, src: string, dst: string, seg: Segment): void {
    const sock = this.connections.get(dst, seg.dstPort, src, seg.srcPort)?.sock;
    if (sock?.conn) {
      const conn = sock.conn;
      if (conn.state === 'TIME_WAIT' && isPureSyn(seg)) {
        const listener = this.findListener(dst, seg.dstPort);
        if (listener && timeWaitAcceptsSyn(conn, seg)) {
          // A new incarnation (RFC 6191; Linux TCP_TW_SYN): ISN = old SND.NXT + 65537. Both profiles: RFC 1122
          // 4.2.2.13 lets TIME_WAIT accept such a SYN only with an ISN above the old incarnation's, which this is.
          const iss = seqAdd(conn.sndNxt, 65537);
          conn.discard(now, 'RCV_SYN');
          this.drain(sock);
          this.listenerSegment(now, listener, src, dst, seg, iss);
          return;
        }
      }
      conn.handleSegment(now, seg);
      this.drain(sock);
      return;
    }
    const listener = this.findListener(dst, seg.dstPort);
    if (listener) {
      this.listenerSegment(now, listener, src, dst, seg);
      return;
    }
    this.replyReset(src, dst, seg, 'reset: no socket');
  }

  /** Fire due timers. */
  handleTimeout(now: number): void {
    // Only the connections due, in the order they entered the 4-tuple table (as a scan of it would go).
    for (const conn of this.timerHeap.takeDue(now)) {
      this.timerVisits++;
      const due = conn.pollTimeout();
      if (due !== undefined && due <= now) {
        conn.handleTimeout(now);
        this.drain(conn.sock);
      }
      // Filed again under its next deadline (firing moved it, unless nothing fired).
      if (conn.pos < 0 && conn.owner === this) this.deadlineChanged(conn);
    }
  }

  /** The earliest timer deadline of any connection. */
  pollTimeout(): number | undefined {
    if (this.timerHeap.size > 0) this.timerVisits++;
    return this.timerHeap.next();
  }

  /** Output or events are waiting to be taken. */
  hasPending(): boolean {
    return this.output.length > 0 || this.events.length > 0;
  }

  /** Segments to put on the wire, oldest first (a shared empty list when there are none: read it, never change it). */
  takeOutput(): readonly StackOutput[] {
    const out = this.output;
    if (out.length === 0) return NOTHING;
    this.output = [];
    return out;
  }

  /** State changes, timer changes and errors since the last call (a shared empty list when there are none). */
  takeEvents(): readonly StackEvent[] {
    const out = this.events;
    if (out.length === 0) return NOTHING;
    this.events = [];
    return out;
  }

  /** All sockets holding a port or a connection (for ss-like listings and tests). */
  allSockets(): TcpSocket[] {
    const all = this.byPort.all();
    for (const s of this.unplaced) all.push(s);
    return all.sort((a, b) => a.trackOrder - b.trackOrder);
  }

  // ------------------------------------------------------------------ listeners

  private findListener(ip: string, port: number): TcpSocket | undefined {
    const onPort = this.listeners.get(port);
    if (!onPort) return undefined;
    let wildcard: TcpSocket | undefined;
    for (const s of onPort) {
      if (!s.listen || !s.local || s.local.port !== port) continue;
      if (s.local.ip === ip) return s;
      if (isWildcard(s.local.ip)) wildcard = s;
    }
    return wildcard;
  }

  private queueFull(length: number, backlog: number): boolean {
    // Planted bug 'backlog-off-by-one' (src/tcp/bugs.ts, tests only): one more than the backlog allows.
    if (this.profile.bugs?.has('backlog-off-by-one')) backlog += 1;
    return this.profile.acceptQueueRule === 'gt' ? length > backlog : length >= backlog;
  }

  /** A segment for a listening socket (RFC 9293 3.10.7.2; Linux tcp_v4_rcv -> tcp_conn_request). */
  private listenerSegment(now: number, listener: TcpSocket, src: string, dst: string, seg: Segment, iss?: number): void {
    const q = listener.listen!;
    if (seg.flags & RST) return; // a reset for a listener is ignored
    if (seg.flags & ACK) {
      if (!(seg.flags & SYN) && this.tryCookie(now, listener, src, dst, seg)) return;
      this.replyReset(src, dst, seg, 'reset: ACK to a listening socket');
      return;
    }
    if (!(seg.flags & SYN)) return; // neither SYN nor ACK nor RST: drop
    const p = this.profile;
    let wantCookie = p.syncookies === 2;
    if (this.queueFull(q.synQueue.size, q.backlog)) {
      q.lastOverflowAt = now;
      if (p.syncookies === 0) return this.dropped(listener, 'SYN dropped: SYN queue full');
      wantCookie = true;
    }
    // Linux: a SYN is dropped while the accept queue is full, cookies or not (ListenOverflows).
    if (this.queueFull(q.acceptQueue.length, q.backlog)) return this.dropped(listener, 'SYN dropped: accept queue full');
    if (!wantCookie && p.syncookies === 0 && p.maxSynBacklog - q.synQueue.size < p.maxSynBacklog >> 2) {
      return this.dropped(listener, 'SYN dropped: tcp_max_syn_backlog');
    }
    const local = this.childLocal(listener, dst);
    const remote = { ip: src, port: seg.srcPort };
    if (wantCookie) {
      this.sendCookieSynAck(now, local, remote, seg);
      return;
    }
    const child = this.makeChild(listener, local, remote, iss ?? initialSequenceNumber(this.profile, this.isnSecret, local, remote, now));
    q.synQueue.add(child);
    child.conn!.acceptSyn(now, seg);
    this.drain(child);
  }

  /** A listener's child's local endpoint: `ip` and the listener's port, one object for the children at one address. */
  private childLocal(listener: TcpSocket, ip: string): Endpoint {
    const q = listener.listen!;
    if (q.childLocal?.ip !== ip) q.childLocal = { ip, port: listener.local!.port };
    return q.childLocal;
  }

  private makeChild(listener: TcpSocket, local: Endpoint, remote: Endpoint, iss: number): TcpSocket {
    const child = this.socket();
    child.open = false;
    child.reuseAddr = listener.reuseAddr; // sk_clone copies sk_reuse
    child.nodelay = listener.nodelay;
    child.sendBufferSize = listener.sendBufferSize;
    child.linger = listener.linger; // never changed in place: sharing it is copying it
    child.parent = listener;
    child.local = local;
    const conn = new FiledConnection(
      {
        profile: this.profile,
        rng: this.rng,
        local,
        remote,
        advertisedMss: this.advertisedMss,
        nodelay: listener.nodelay,
        ...(listener.sendBufferSize !== undefined ? { sendBuffer: listener.sendBufferSize } : {}),
        iss,
        tsOffset: timestampOffset(this.isnSecret, local.ip, remote.ip),
      },
      child,
    );
    conn.passive = true; // a listener's child from the start (acceptSyn / restoreFromCookie say so too): never counted by connect()
    child.conn = conn;
    this.track(child);
    this.file(conn);
    return child;
  }

  /** The handshake's last ACK reached a child: is there room in the accept queue? */
  private admitChild(child: TcpSocket): AdmitDecision {
    const listener = child.parent;
    if (!listener?.listen) return 'reset';
    if (this.queueFull(listener.listen.acceptQueue.length, listener.listen.backlog)) {
      if (this.profile.abortOnOverflow) return 'reset';
      this.dropped(listener, 'ACK dropped: accept queue full');
      return 'drop';
    }
    return 'accept';
  }

  /**
   * Linux reqsk_timer_handler: when more than half the queue (at least 8) is taken, requests that
   * have already been retransmitted get fewer retries, down to 2, keeping room for young ones.
   */
  private synAckRetriesFor(listener: TcpSocket | undefined): number {
    let max = this.profile.synAckRetries;
    const q = listener?.listen;
    if (!q || this.profile.name !== 'linux') return max;
    const qlen = q.synQueue.size;
    if (qlen * 2 > Math.max(8, q.backlog)) {
      let young = 0;
      for (const child of q.synQueue) if (child.conn && child.conn.retransmits === 0) young++;
      young *= 2;
      while (max > 2) {
        if (qlen < young) break;
        max--;
        young *= 2;
      }
    }
    return max;
  }

  private sendCookieSynAck(now: number, local: Endpoint, remote: Endpoint, syn: Segment): void {
    let peerMss = 536;
    for (const o of syn.options) if (o.kind === 'mss') peerMss = o.mss;
    const tuple = { srcIp: remote.ip, srcPort: remote.port, dstIp: local.ip, dstPort: local.port };
    const cookie = makeCookie(tuple, this.cookieSecret, now, syn.seq, peerMss);
    const segment = cookieSynAck({
      profile: this.profile,
      advertisedMss: this.advertisedMss,
      localPort: local.port,
      remotePort: remote.port,
      syn,
      cookie,
      tsOffset: this.profile.timestamps ? timestampOffset(this.isnSecret, local.ip, remote.ip) : 0,
      now,
    });
    this.output.push({ src: local.ip, dst: remote.ip, segment, retransmit: false, note: 'syncookie' });
  }

  /** A bare ACK to a listener after a recent overflow: maybe it completes a cookie handshake. */
  private tryCookie(now: number, listener: TcpSocket, src: string, dst: string, seg: Segment): boolean {
    const q = listener.listen!;
    if (this.profile.syncookies === 0 || seg.flags & (SYN | RST)) return false;
    // tcp_synq_no_recent_overflow: cookies are only checked within 2 minutes of an overflow.
    if (this.profile.syncookies === 1 && (q.lastOverflowAt === undefined || now - q.lastOverflowAt > 120_000_000)) return false;
    const tuple = { srcIp: src, srcPort: seg.srcPort, dstIp: dst, dstPort: listener.local!.port };
    const mss = checkCookie(tuple, this.cookieSecret, now, seg.seq, seg.ack);
    if (mss === undefined) return false;
    if (this.queueFull(q.acceptQueue.length, q.backlog)) {
      this.dropped(listener, 'cookie ACK dropped: accept queue full');
      return true;
    }
    const ts = seg.options.find((o) => o.kind === 'timestamps');
    const opts = ts && ts.kind === 'timestamps' ? decodeCookieOptions(ts.tsEcr) : { wscale: undefined, sack: false };
    const local = this.childLocal(listener, dst);
    const child = this.makeChild(listener, local, { ip: src, port: seg.srcPort }, seqAdd(seg.ack, -1));
    q.synQueue.add(child);
    child.conn!.restoreFromCookie(seg, mss, opts.wscale, opts.sack);
    child.conn!.handleSegment(now, seg);
    this.drain(child);
    return true;
  }

  /** The socket stops listening (its queues are empty): out of the listener index, no state change of its own. */
  private leaveListen(sock: TcpSocket): void {
    sock.listen = undefined;
    const onPort = this.listeners.get(sock.local!.port);
    if (onPort) {
      const i = onPort.indexOf(sock);
      if (i >= 0) onPort.splice(i, 1);
      if (onPort.length === 0) this.listeners.delete(sock.local!.port);
    }
  }

  private closeListener(now: number, sock: TcpSocket, cause: 'CLOSE' | 'ABORT' = 'CLOSE'): void {
    const q = sock.listen!;
    // Linux inet_csk_listen_stop: requests are forgotten, unaccepted connections are reset.
    for (const child of [...q.synQueue]) {
      child.conn?.discard(now);
      this.drain(child);
    }
    for (const child of [...q.acceptQueue]) {
      child.conn?.abort(now);
      this.drain(child);
    }
    q.synQueue.clear();
    q.acceptQueue.length = 0;
    this.leaveListen(sock);
    this.emit(sock, { kind: 'state', from: 'LISTEN', to: 'CLOSED', cause });
    this.untrack(sock);
  }

  /**
   * The listener drops the segment without a reply, as Linux does (counted in ListenOverflows /
   * ListenDrops). The reason is kept for the trace: takeDropReason().
   */
  private dropped(_listener: TcpSocket, why: string): void {
    this.dropReason = why;
  }

  /** Why the last segment given to receive() was dropped by a listener, if it was. */
  takeDropReason(): string | undefined {
    const why = this.dropReason;
    this.dropReason = undefined;
    return why;
  }

  // ------------------------------------------------------------------ ports

  private ownsAddress(ip: string): boolean {
    return this.addresses.includes(ip) || isLoopback(ip);
  }

  private sourceAddressFor(dst: string): string {
    if (isLoopback(dst)) return dst === '::1' ? '::1' : '127.0.0.1';
    return this.addresses[0] ?? '0.0.0.0';
  }

  /** The sockets holding `port`, as the bind rules see them. */
  private owners(except: TcpSocket, port: number): PortOwner[] {
    const out: PortOwner[] = [];
    for (const s of this.holders(port)) {
      if (s === except || !s.local) continue;
      const state: TcpState = s.listen ? 'LISTEN' : (s.conn?.state ?? 'CLOSED');
      if (s.conn && state === 'CLOSED' && !s.open) continue;
      out.push({ ip: s.conn?.local.ip ?? s.local.ip, port: s.local.port, reuseAddr: s.reuseAddr, state });
    }
    return out;
  }

  private portConflict(sock: TcpSocket, ip: string, port: number): boolean {
    return this.owners(sock, port).some((o) => bindConflict(this.profile, ip, port, sock.reuseAddr, o));
  }

  /** Can connect() use this local port toward `remote`? (Linux __inet_check_established) */
  private connectPortUsable(now: number, ip: string, port: number, remote: Endpoint): boolean {
    this.connectPortChecks++;
    if (isWildcard(ip)) return this.connectPortUsableScan(now, ip, port, remote);
    // The port's owners by bind() or listen(), then the one live connection a 4-tuple can have (the table's):
    // the same answer as looking at every socket on the port, in time that does not grow with them.
    const owners = this.portOwners.get(port);
    if (owners !== undefined) {
      for (const s of owners) {
        this.connectPortSocketsSeen++;
        if (s.local?.port === port && (s.explicitlyBound || s.listen)) return false;
      }
    }
    const c = this.connections.get(ip, port, remote.ip, remote.port);
    if (c === undefined || c.state === 'CLOSED') return true;
    return c.state === 'TIME_WAIT' && this.timeWaitReusable(now, c);
  }

  /** connectPortUsable looking at every socket on the port (a wildcard local address). */
  private connectPortUsableScan(now: number, ip: string, port: number, remote: Endpoint): boolean {
    for (const s of this.holders(port)) {
      this.connectPortSocketsSeen++;
      if (!s.local || s.local.port !== port) continue;
      if (s.explicitlyBound || s.listen) return false; // ports owned by bind() are not shared
      const c = s.conn;
      if (!c || c.remote.ip !== remote.ip || c.remote.port !== remote.port) continue;
      if (c.local.ip !== ip && !isWildcard(ip)) continue;
      if (c.state === 'CLOSED') continue;
      if (c.state === 'TIME_WAIT' && this.timeWaitReusable(now, c)) continue;
      return false;
    }
    return true;
  }

  /**
   * Linux tcp_twsk_unique: tcp_tw_reuse lets connect() take over a TIME_WAIT 4-tuple when choosing
   * its own port: 1 always, 2 when either address is loopback; the old connection must have used
   * timestamps and its TIME_WAIT be more than tcp_tw_reuse_delay (1000 ms) old.
   */
  private timeWaitReusable(now: number, tw: Connection): boolean {
    const mode = this.profile.twReuse;
    if (mode === 0) return false;
    if (mode === 2 && !(isLoopback(tw.local.ip) || isLoopback(tw.remote.ip))) return false;
    if (!tw.tsOk || tw.timeWaitSince === undefined) return false;
    return now - tw.timeWaitSince > 1_000_000;
  }

  /**
   * Could timeWaitReusable ever say yes for this TIME_WAIT (now or later)? Everything it reads but
   * the clock: when not, connect() can count the port as taken until the TIME_WAIT ends.
   */
  private timeWaitMayBeReusable(tw: Connection): boolean {
    const mode = this.twReuseAtStart; // the index is used only while the profile still says this
    if (mode === 0) return false;
    if (mode === 2 && !(isLoopback(tw.local.ip) || isLoopback(tw.remote.ip))) return false;
    return tw.tsOk;
  }

  /** Ends a TIME_WAIT so its 4-tuple can be used again; returns the ISN the new connection takes. */
  private killTimeWaitForReuse(now: number, tw: TcpSocket): number | undefined {
    const conn = tw.conn;
    if (!conn || conn.state !== 'TIME_WAIT') return undefined;
    const iss = seqAdd(conn.sndNxt, 65537); // tcp_twsk_unique: write_seq = tw_snd_nxt + 65535 + 2
    conn.discard(now);
    this.drain(tw);
    return iss;
  }

  /**
   * connect()'s choice of a local port (Linux __inet_hash_connect, RFC 6056 algorithm 3): the range
   * is cut to an even number of ports ("50000 50002" gives 50000 and 50001 only), searched from a
   * per-destination offset, first the ports of the range's low parity, then the others; after a
   * choice the destination's offset moves on (table_perturb, less its random jump). Ports known taken
   * toward the destination (connectPorts) are jumped over without the exact check: they would fail it.
   */
  private pickConnectPort(search: DestSearch, usable: (port: number) => boolean): number | undefined {
    const [low, high] = this.profile.ephemeralPortRange;
    const count = high - low + 1;
    const remaining = count > 1 ? count & ~1 : count;
    const dest = search.dest;
    const perturb = search.perturb;
    let offset = ((search.hash + perturb) >>> 0) % remaining;
    offset &= ~1;
    const known = this.profile.twReuse === this.twReuseAtStart ? this.connectPorts.get(dest) : undefined;
    const taken = known?.bits !== undefined ? known : undefined;
    for (;;) {
      // A pass whose every port is known taken finds nothing: skip it (its exact checks would all refuse).
      const start = taken !== undefined && taken.allTaken(low, count, offset) ? remaining : 0;
      if (start !== 0) this.connectPassesSkipped++;
      for (let i = start; i < remaining; ) {
        let port = low + offset + i;
        const wrapped = port > high;
        if (wrapped) port -= remaining;
        if (taken !== undefined && taken.has(port)) {
          // Up to where the ports stop rising (the wrap, or the end of the pass), the next one not known taken.
          const lastI = wrapped ? remaining - 1 : Math.min(remaining - 1, high - low - offset);
          i += taken.nextClear(port, port + (lastI - i)) - port;
          continue;
        }
        if (usable(port)) {
          search.perturb = perturb + i + 2;
          return port;
        }
        i += 2;
      }
      offset++;
      if (!(offset & 1) || remaining <= 1) return undefined;
    }
  }

  /** connect()'s search record for the destination `remote` from local address `ip`, made on first use. */
  private destSearch(ip: string, remote: Endpoint): DestSearch {
    const dest = `${ip}>${remote.ip}:${remote.port}`;
    let search = this.connectSearch.get(dest);
    if (search === undefined) {
      search = { dest, hash: keyedHash(this.portOffset, dest), perturb: 0, remote };
      this.connectSearch.set(dest, search);
    }
    return search;
  }

  /** bind(port 0) and listen()'s choice: ip_local_port_range searched from a seeded offset. */
  private pickEphemeralPort(_ip: string, usable: (port: number) => boolean): number | undefined {
    const [low, high] = this.profile.ephemeralPortRange;
    const range = high - low + 1;
    const offset = this.portOffset % range;
    for (let i = 0; i < range; i++) {
      const port = low + ((offset + i) % range);
      if (usable(port)) return port;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ plumbing

  /** Takes the pending socket error, as SO_ERROR / sock_error() does (it is cleared). */
  takeError(sock: TcpSocket): Errno | undefined {
    const conn = sock.conn;
    if (!conn?.error) return undefined;
    const errno = conn.error;
    conn.error = undefined;
    return errno;
  }

  private replyReset(src: string, dst: string, seg: Segment, note: string): void {
    const rst = resetFor(seg);
    if (rst) this.output.push({ src: dst, dst: src, segment: rst, retransmit: false, note });
  }

  /** A listener's own state change (listeners have no Connection). */
  private emit(sock: TcpSocket, ev: { kind: 'state'; from: TcpState; to: TcpState; cause: TcpEventType }): void {
    const local = sock.local ?? { ip: '0.0.0.0', port: 0 };
    this.events.push({ socket: sock.id, local, remote: undefined, ...ev });
  }

  /** Collects a connection's output and events, and tidies up after state changes. */
  private drain(sock: TcpSocket): void {
    const conn = sock.conn;
    if (!conn) return;
    if (this.onChange !== undefined) {
      this.onChange(sock);
      if (sock.parent) this.onChange(sock.parent); // its accept queue may change below
    }
    // The connection hands its output (a filed one's came through queueOutput already) and events over and
    // keeps no reference to them: each becomes the stack's by plain assignment of what it lacks, not by a copy.
    if (conn.hasOutput()) {
      for (const out of conn.takeOutput()) {
        const o = out as StackOutput;
        o.src = conn.local.ip;
        o.dst = conn.remote.ip;
        this.output.push(o);
      }
    }
    if (conn.hasEvents()) {
      for (const ev of conn.takeEvents()) {
        const e = ev as StackEvent;
        e.socket = sock.id;
        e.local = conn.local;
        e.remote = conn.remote;
        this.events.push(e);
      }
    }
    const listener = sock.parent;
    // A child that got past SYN_RECEIVED joins the accept queue, whatever state the same segment
    // took it on to (ACK and FIN together: ESTABLISHED then CLOSE_WAIT; accept() still returns it).
    if (listener?.listen && conn.state !== 'SYN_RECEIVED' && conn.state !== 'CLOSED' && listener.listen.synQueue.has(sock)) {
      listener.listen.synQueue.delete(sock);
      listener.listen.acceptQueue.push(sock);
    }
    if (conn.state === 'CLOSED') {
      if (conn instanceof FiledConnection && conn.owner === this && conn.sock === sock) this.unfile(conn);
      if (listener?.listen) {
        listener.listen.synQueue.delete(sock);
        const i = listener.listen.acceptQueue.indexOf(sock);
        if (i >= 0) listener.listen.acceptQueue.splice(i, 1);
      }
      if (!sock.open) this.untrack(sock);
    }
  }

  /** Files a new connection in the 4-tuple table and (with its timers) in the timer heap. */
  private file(conn: FiledConnection): void {
    const { local, remote } = conn;
    // One that takes over a 4-tuple takes its place in the table's order too (as Map.set would).
    const taken = this.connections.get(local.ip, local.port, remote.ip, remote.port);
    conn.order = taken ? taken.order : ++this.filedCount;
    if (taken) this.unfile(taken);
    this.connections.set(conn);
    conn.owner = this;
    this.deadlineChanged(conn);
    this.countPort(conn);
  }

  /** Takes a connection out of the 4-tuple table and the timer heap. */
  private unfile(conn: FiledConnection): void {
    this.connections.delete(conn);
    this.timerHeap.schedule(conn, undefined);
    if (conn.owner === this) conn.owner = undefined;
    this.countPort(conn); // no longer told of state changes: no longer counted
  }

  // ------------------------------------------------------------------ owner of the filed connections

  /**
   * ConnectionOwner: a filed connection's segment, straight into the stack's output with its addresses (the
   * connection keeps no outbox; every call that makes a segment is followed by drain(), so the order is drain's).
   * The segment becomes the stack's by plain assignment of what it lacks, not by a copy.
   */
  queueOutput(conn: Connection, out: Outgoing): void {
    const o = out as StackOutput;
    o.src = conn.local.ip;
    o.dst = conn.remote.ip;
    this.output.push(o);
  }

  /** ConnectionOwner: a filed connection's earliest deadline moved; it is re-filed in the timer heap under it. */
  deadlineChanged(conn: Connection): void {
    this.timerHeap.schedule(conn as FiledConnection, conn.pollTimeout());
  }

  /** ConnectionOwner: a filed connection's state changed: its port may have become taken or free for connect(). */
  stateChanged(conn: Connection): void {
    this.countPort(conn as FiledConnection);
  }

  /** ConnectionOwner: only a listener's child (not one opened by connect(), even in a simultaneous open) asks its listener. */
  admit(conn: Connection): AdmitDecision {
    const c = conn as FiledConnection;
    return c.active ? 'accept' : this.admitChild(c.sock);
  }

  /** ConnectionOwner: SYN-ACK retransmissions a listener's child may send now. */
  synAckRetryLimit(conn: Connection): number {
    const c = conn as FiledConnection;
    return this.synAckRetriesFor(c.active ? undefined : c.sock.parent);
  }

  /**
   * Keeps connectPorts right for one connection opened by connect(): its port is counted as taken
   * toward its destination only while connectPortUsable refuses the port for that reason (never
   * longer): the connection is its socket's, filed, the socket holds the port, and the state keeps
   * the 4-tuple (not CLOSED; TIME_WAIT only if tcp_tw_reuse can never take it over, so a TIME_WAIT
   * that might become reusable is refused but left uncounted: the exact check decides it). Called wherever one
   * of these facts changes: file/unfile, track/untrack/setLocal, sock.conn cleared, state changes.
   */
  private countPort(filed: FiledConnection): void {
    if (!filed.active) return;
    const { sock } = filed;
    const conn = filed;
    let taken = conn.owner === this && sock.conn === conn && sock.local?.port === filed.localPort && conn.state !== 'CLOSED';
    if (taken && conn.state === 'TIME_WAIT' && this.timeWaitMayBeReusable(conn)) taken = false;
    if (taken && sock.trackOrder === 0) taken = false;
    if (taken === filed.portCounted) return;
    // The destination's key, from the connection's endpoints (never changed in place): the same when taken off.
    const dest = `${filed.localIp}>${filed.remoteIp}:${filed.remotePort}`;
    if (taken) this.connectPorts.add(dest, filed.localPort, this.profile.ephemeralPortRange);
    else this.connectPorts.remove(dest, filed.localPort);
    filed.portCounted = taken;
  }

  /** The connect() port index may have to change for the socket's connection (its port or tracking changed). */
  private countSocketPort(sock: TcpSocket): void {
    const conn = sock.conn;
    if (conn instanceof FiledConnection && conn.owner === this) this.countPort(conn);
  }

  /** Tracks a socket (it holds a port or a connection now): numbered, and on its port's list of holders if it has a local address. */
  private track(sock: TcpSocket): void {
    if (sock.trackOrder !== 0) return;
    sock.trackOrder = ++this.trackedCount;
    if (sock.local) this.holdPort(sock, sock.local.port);
    else this.unplaced.add(sock);
    this.countSocketPort(sock);
  }

  private untrack(sock: TcpSocket): void {
    if (sock.trackOrder === 0) return;
    sock.trackOrder = 0;
    if (sock.local) this.releasePort(sock, sock.local.port);
    else this.unplaced.delete(sock);
    this.countSocketPort(sock);
  }

  /** Changes a socket's local address, keeping the port index right. */
  private setLocal(sock: TcpSocket, local: Endpoint | undefined): void {
    const tracked = sock.trackOrder !== 0;
    if (tracked && sock.local) this.releasePort(sock, sock.local.port);
    sock.local = local;
    if (tracked && local) this.holdPort(sock, local.port);
    if (tracked) {
      if (local) this.unplaced.delete(sock);
      else this.unplaced.add(sock);
    }
    this.countSocketPort(sock);
  }

  /** The sockets holding `port`. */
  private holders(port: number): TcpSocket[] {
    return this.byPort.list(port);
  }

  /** `sock`, holding `port`, owns it by bind() or listen(). */
  private noteOwner(sock: TcpSocket, port: number): void {
    if (sock.trackOrder !== 0) this.addOwner(sock, port); // not holding it yet: holdPort notes it
  }

  private addOwner(sock: TcpSocket, port: number): void {
    const owners = this.portOwners.get(port);
    if (owners) owners.add(sock);
    else this.portOwners.set(port, new Set([sock]));
  }

  private holdPort(sock: TcpSocket, port: number): void {
    if (sock.explicitlyBound || sock.listen) this.addOwner(sock, port);
    this.byPort.add(port, sock);
  }

  private releasePort(sock: TcpSocket, port: number): void {
    const owners = this.portOwners.get(port);
    if (owners?.delete(sock) && owners.size === 0) this.portOwners.delete(port);
    this.byPort.remove(port, sock);
  }
}
