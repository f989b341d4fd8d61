// One TCP connection: the transmission control block of RFC 9293 section 3.3.1 and the entry
// points that drive it. Sans-IO in the style of quinn-proto / smoltcp: the owner calls
//   handleSegment(now, seg), handleTimeout(now), and the user calls (send, read, close, ...)
// then drains takeOutput() (segments for the wire) and takeEvents() (state changes, timers, errors).
// The clock is passed in; randomness comes from the Rng given at construction. Every state change
// goes through setState, which consults the compiled statechart (transitions.ts).
import { seqAdd, seqDiff, type Seq } from '../wire/seq.js';
import type { Segment } from '../wire/segment.js';
import type { Errno } from './errno.js';
import type { Profile } from './profile.js';
import { ReceiveBuffer } from './receive-buffer.js';
import type { Rng } from './rng.js';
import { SendBuffer } from './send-buffer.js';
import type { TcpEventType, TcpState } from './states.js';
import type { ConnectionEvent, Endpoint, Outgoing } from './tcb.js';
import { TIMER_NAMES, type TimerDeadlines, type TimerName } from './timer-names.js';
import { applyEvent } from './transitions.js';
import { processSegment, takeSynOptions } from './input.js';
import { transmit, sendSyn, sendActiveReset } from './output.js';
import { onTimer } from './timers.js';
import { initialReceiveWindow, windowScaleFor } from './window.js';

/** What a passive connection's owner (the listener) decides when the handshake's last ACK arrives. */
export type AdmitDecision = 'accept' | 'drop' | 'reset';

export interface ConnectionOptions {
  profile: Profile;
  rng: Rng;
  local: Endpoint;
  remote: Endpoint;
  /** The MSS we advertise: interface MTU minus IP and TCP headers. */
  advertisedMss: number;
  nodelay?: boolean;
  /** Send buffer capacity in bytes (SO_SNDBUF as the kernel keeps it); the profile's when not given. */
  sendBuffer?: number;
  /** The first sequence number we use; drawn from rng when not given. */
  iss?: Seq;
  /** The offset of our TSval clock (Linux secure_tcp_ts_off); drawn from rng when not given. */
  tsOffset?: number;
}

/**
 * Whoever files the connection by its timers (TcpStack), told when its earliest deadline moves and when its
 * state changes. For a passively opened connection it also speaks for the listener. One owner for all the
 * connections it files (each call names the connection), rather than an object or closures per connection.
 */
export interface ConnectionOwner {
  deadlineChanged(conn: Connection): void;
  stateChanged(conn: Connection): void;
  /** False when nothing reads the connection's events (a world without a trace): they are not built. */
  readonly eventsWanted?: boolean;
  /**
   * A segment for the wire, handed over as the connection queues it (then takeOutput() has none): the owner
   * collects every connection's in one list, and the connection keeps no outbox of its own.
   */
  queueOutput?(conn: Connection, out: Outgoing): void;
  /**
   * The ACK completing the handshake arrived (Linux tcp_check_req / inet_csk_complete_hashdance):
   * the listener applies its accept queue limit.
   */
  admit?(conn: Connection): AdmitDecision;
  /** SYN-ACK retransmissions allowed now (Linux reqsk_timer_handler). */
  synAckRetryLimit?(conn: Connection): number;
}

/** What a connection holds while it has nothing to hand over: shared, never written. */
const NO_OUTPUT: Outgoing[] = Object.freeze([]) as unknown as Outgoing[];
const NO_EVENTS: ConnectionEvent[] = Object.freeze([]) as unknown as ConnectionEvent[];
/** The deadlines of a connection with no timer armed. */
const NO_TIMERS: Readonly<TimerDeadlines> = Object.freeze({ retransmit: undefined, delayedAck: undefined, timeWait: undefined, finWait2: undefined, synAck: undefined, persist: undefined });

/** Linux TCP_INFINITE_SSTHRESH: no slow-start threshold yet. */
const INFINITE_SSTHRESH = 0x7fffffff;

// The TCB's yes/no fields, one bit each of Connection.flags (one field, not thirteen); read and
// written through the accessors of the same names.
const F_PASSIVE = 1 << 0;
const F_WS_OK = 1 << 1;
const F_TS_OK = 1 << 2;
const F_SACK_OK = 1 << 3;
const F_FIN_QUEUED = 1 << 4;
const F_FIN_RECEIVED = 1 << 5;
const F_ORPHANED = 1 << 6;
const F_READ_SHUTDOWN = 1 << 7;
const F_NODELAY = 1 << 8;
const F_ACK_NOW = 1 << 9;
const F_PINGPONG = 1 << 10;
const F_ACK_OWED = 1 << 11;
const F_ACK_CHECK_PENDING = 1 << 12;
/** Not the TCB's: a mark its owner keeps on it (Connection.ownerMark), above the small numbers below. */
const F_OWNER_MARK = 1 << 26;
// Small numbers in the same field, above the bits: the window scale shifts (at most 14, RFC 7323 2.3)
// and Linux icsk_ack.quick (at most 16, tcp_incr_quickack). 13 + 4 + 4 + 5 bits.
const SND_WSCALE_SHIFT = 13;
const RCV_WSCALE_SHIFT = 17;
const QUICK_ACKS_SHIFT = 21;
const NIBBLE = 0xf;
const QUICK_ACKS_MASK = 0x1f;

/** The peer's segment size assumed until data arrives (Linux TCP_MSS_DEFAULT, RFC 9293 3.7.1). */
const DEFAULT_RCV_MSS = 536;

/**
 * What a connection that carries data keeps: the send and receive buffers, the receiver's ACK bookkeeping
 * (Linux icsk_ack: ato, lrcvtime, rcv_mss; bytes not yet ACKed) and the end of the last small segment sent
 * (snd_sml, ISS until one is). Made when data is written or arrives and
 * dropped when all are back to their defaults (Connection.releaseUnused): an idle connection that never
 * carried data holds none, and reads the defaults.
 */
class DataFields {
  sendBuf: SendBuffer | undefined = undefined;
  receiveBuf: ReceiveBuffer | undefined = undefined;
  ato = 0;
  lastDataReceivedAt = 0;
  rcvMss = DEFAULT_RCV_MSS;
  unackedBytes = 0;
  /** Linux snd_sml, as signed 32-bit (as the Connection's sequence numbers). */
  sndSml32: number;

  constructor(iss32: number) {
    this.sndSml32 = iss32;
  }

  unused(iss32: number): boolean {
    return this.sendBuf === undefined && this.receiveBuf === undefined && this.ato === 0 && this.lastDataReceivedAt === 0 && this.rcvMss === DEFAULT_RCV_MSS && this.unackedBytes === 0 && this.sndSml32 === iss32;
  }
}

/**
 * The TCB's rarely set fields (retransmission, probes, the timers' records, a pending error, ...), in one
 * record made when one of them is set to other than its default and dropped again when all are back to
 * theirs (Connection.releaseUnused): an idle connection holds none, and reads the defaults.
 */
class RareFields {
  pendingFin32: number | undefined = undefined;
  rttSample: { seq: Seq; sentAt: number } | undefined = undefined;
  retransmits = 0;
  retransmitSince: number | undefined = undefined;
  dupAcks = 0;
  probes = 0;
  lastOowAckAt: number | undefined = undefined;
  timeWaitSince: number | undefined = undefined;
  error: Errno | undefined = undefined;
  deadlines: TimerDeadlines | undefined = undefined;
  armedAt: Record<TimerName, number> | undefined = undefined;
  armings = 0;
  nextDeadline: number | undefined = undefined;
  ssthresh = INFINITE_SSTHRESH;
  /** Events not yet taken (only built when the owner wants them: a traced world); NO_EVENTS (shared) when none. */
  events: ConnectionEvent[] = NO_EVENTS;
  /** Segments not yet taken, when no owner takes them as they are queued; NO_OUTPUT (shared) when none. */
  outbox: Outgoing[] = NO_OUTPUT;

  /** Every field at its default: the record can go (armings counts only while a timer is armed). */
  unused(): boolean {
    return (
      this.deadlines === undefined &&
      this.nextDeadline === undefined &&
      this.events === NO_EVENTS &&
      this.outbox === NO_OUTPUT &&
      this.ssthresh === INFINITE_SSTHRESH &&
      this.rttSample === undefined &&
      this.retransmits === 0 &&
      this.dupAcks === 0 &&
      this.probes === 0 &&
      this.pendingFin32 === undefined &&
      this.retransmitSince === undefined &&
      this.lastOowAckAt === undefined &&
      this.timeWaitSince === undefined &&
      this.error === undefined
    );
  }
}

export class Connection {
  readonly profile: Profile;
  readonly local: Endpoint;
  readonly remote: Endpoint;

  /** The F_* bits: passive, wsOk, tsOk, ... and the window scales and quick ACKs above them (see the accessors). */
  private flags = 0;
  /** The current state; change it only through setState. */
  state: TcpState = 'CLOSED';
  /** The buffers and the receiver's ACK bookkeeping, undefined until data is written or arrives (and while all are at their defaults). */
  private data: DataFields | undefined = undefined;
  private dataFields(): DataFields {
    return (this.data ??= new DataFields(this.iss32));
  }
  /** The rarely set fields, undefined while all are at their defaults. */
  private rare: RareFields | undefined = undefined;
  private rareFields(): RareFields {
    return (this.rare ??= new RareFields());
  }
  /** A yes/no the owner keeps on the connection (TcpStack: its port is counted as taken for connect()). */
  protected get ownerMark(): boolean { return (this.flags & F_OWNER_MARK) !== 0; }
  protected set ownerMark(v: boolean) { this.flags = v ? this.flags | F_OWNER_MARK : this.flags & ~F_OWNER_MARK; }
  /** Opened by a listener (a passive open, RFC 9293 3.5) rather than by connect(). */
  get passive(): boolean { return (this.flags & F_PASSIVE) !== 0; }
  set passive(v: boolean) { this.flags = v ? this.flags | F_PASSIVE : this.flags & ~F_PASSIVE; }

  // Sequence numbers and other unsigned 32-bit values (RFC 9293 3.4) are kept as signed 32-bit
  // (`x | 0`, the field ending in 32) and read back unsigned (`>>> 0`) by the accessors below: V8 in
  // Node (no pointer compression) holds a signed 32-bit integer in the field itself, where a value of
  // 2^31 or more would cost a heap number per field per connection (with pointer compression, as in
  // Chrome, only values below 2^30 are held so). Everything outside sees plain Seq values.
  private readonly iss32: number;
  private sndUna32: number;
  private sndNxt32: number;
  private sndMax32: number;
  private sndWl1_32 = 0;
  private sndWl2_32 = 0;
  private irs32 = 0;
  private rcvNxt32 = 0;
  private rcvAdvEdge32 = 0;
  private tsRecent32 = 0;
  private readonly tsOffset32: number;

  // --- send sequence variables (RFC 9293 3.3.1) ---
  /** ISS: initial send sequence number (set once, when the connection is made). */
  get iss(): Seq { return this.iss32 >>> 0; }
  /** SND.UNA: oldest unacknowledged sequence number. */
  get sndUna(): Seq { return this.sndUna32 >>> 0; }
  set sndUna(v: Seq) { this.sndUna32 = v | 0; }
  /** SND.NXT: next sequence number to send (moved back to SND.UNA on a retransmission timeout). */
  get sndNxt(): Seq { return this.sndNxt32 >>> 0; }
  set sndNxt(v: Seq) { this.sndNxt32 = v | 0; }
  /** The highest sequence number sent so far plus one; SND.NXT never acknowledges beyond it. */
  get sndMax(): Seq { return this.sndMax32 >>> 0; }
  set sndMax(v: Seq) { this.sndMax32 = v | 0; }
  /** SND.WND: the peer's receive window in bytes (already scaled). */
  sndWnd = 0;
  /** SND.WL1 / SND.WL2: seq and ack of the segment that last updated SND.WND. */
  get sndWl1(): Seq { return this.sndWl1_32 >>> 0; }
  set sndWl1(v: Seq) { this.sndWl1_32 = v | 0; }
  get sndWl2(): Seq { return this.sndWl2_32 >>> 0; }
  set sndWl2(v: Seq) { this.sndWl2_32 = v | 0; }
  /** Peer's window scale shift (RFC 7323), applied to windows it sends. */
  get sndWscale(): number { return (this.flags >>> SND_WSCALE_SHIFT) & NIBBLE; }
  set sndWscale(v: number) { this.flags = (this.flags & ~(NIBBLE << SND_WSCALE_SHIFT)) | ((v & NIBBLE) << SND_WSCALE_SHIFT); }
  /** The largest window the peer has offered (for Nagle's "half the window" rule). */
  maxSndWnd = 0;

  // --- receive sequence variables ---
  /** IRS: the peer's initial sequence number. */
  get irs(): Seq { return this.irs32 >>> 0; }
  set irs(v: Seq) { this.irs32 = v | 0; }
  /** RCV.NXT: next sequence number expected. */
  get rcvNxt(): Seq { return this.rcvNxt32 >>> 0; }
  set rcvNxt(v: Seq) { this.rcvNxt32 = v | 0; }
  /** Our window scale shift, announced in our SYN. */
  get rcvWscale(): number { return (this.flags >>> RCV_WSCALE_SHIFT) & NIBBLE; }
  set rcvWscale(v: number) { this.flags = (this.flags & ~(NIBBLE << RCV_WSCALE_SHIFT)) | ((v & NIBBLE) << RCV_WSCALE_SHIFT); }
  /** The right edge of the window we last advertised; never moved left (RFC 9293 3.8.6). */
  get rcvAdvEdge(): Seq { return this.rcvAdvEdge32 >>> 0; }
  set rcvAdvEdge(v: Seq) { this.rcvAdvEdge32 = v | 0; }
  /** The window we aim to offer when the buffer is empty (Linux rcv_wnd after the handshake). */
  rcvWndTarget = 0;

  // --- negotiated options ---
  /** Both sides sent window scale. */
  get wsOk(): boolean { return (this.flags & F_WS_OK) !== 0; }
  set wsOk(v: boolean) { this.flags = v ? this.flags | F_WS_OK : this.flags & ~F_WS_OK; }
  /** Both sides sent timestamps (RFC 7323): every segment carries them. */
  get tsOk(): boolean { return (this.flags & F_TS_OK) !== 0; }
  set tsOk(v: boolean) { this.flags = v ? this.flags | F_TS_OK : this.flags & ~F_TS_OK; }
  /** Both sides sent SACK-permitted (RFC 2018). */
  get sackOk(): boolean { return (this.flags & F_SACK_OK) !== 0; }
  set sackOk(v: boolean) { this.flags = v ? this.flags | F_SACK_OK : this.flags & ~F_SACK_OK; }
  /** TS.Recent: the peer's latest timestamp value to echo. */
  get tsRecent(): number { return this.tsRecent32 >>> 0; }
  set tsRecent(v: number) { this.tsRecent32 = v | 0; }
  /** Offset added to our millisecond clock for TSval (Linux secure_tcp_ts_off). */
  get tsOffset(): number { return this.tsOffset32 >>> 0; }
  /** The MSS we advertise. */
  readonly advertisedMss: number;
  /** The peer's MSS option (536 when it sends none, RFC 9293 3.7.1). */
  peerMss = 536;

  // --- data ---
  /**
   * The buffers (in the data fields), made on first use and let go of again while they are as a new one would
   * be (empty, the send side never written, default sizes; see releaseUnused): an idle connection holds none.
   */
  get sendBuffer(): SendBuffer {
    const d = this.dataFields();
    return (d.sendBuf ??= new SendBuffer(this.profile.sendBuffer, seqAdd(this.iss, 1)));
  }
  get receiveBuffer(): ReceiveBuffer {
    const d = this.dataFields();
    return (d.receiveBuf ??= new ReceiveBuffer(this.profile.receiveBuffer));
  }
  private get sendBuf(): SendBuffer | undefined {
    return this.data?.sendBuf;
  }
  private get receiveBuf(): ReceiveBuffer | undefined {
    return this.data?.receiveBuf;
  }
  /** The application closed or shut down its sending side: a FIN follows the data. */
  get finQueued(): boolean { return (this.flags & F_FIN_QUEUED) !== 0; }
  set finQueued(v: boolean) { this.flags = v ? this.flags | F_FIN_QUEUED : this.flags & ~F_FIN_QUEUED; }
  /** The peer's FIN has been received (RCV.NXT covers it). */
  get finReceived(): boolean { return (this.flags & F_FIN_RECEIVED) !== 0; }
  set finReceived(v: boolean) { this.flags = v ? this.flags | F_FIN_RECEIVED : this.flags & ~F_FIN_RECEIVED; }
  /** A FIN that arrived ahead of missing data: processed when RCV.NXT reaches it. */
  get pendingFinSeq(): Seq | undefined {
    const v = this.rare?.pendingFin32;
    return v === undefined ? undefined : v >>> 0;
  }
  set pendingFinSeq(v: Seq | undefined) {
    if (v === undefined && this.rare === undefined) return;
    this.rareFields().pendingFin32 = v === undefined ? undefined : v | 0;
  }
  /** The application closed the socket entirely (orphaned, Linux SOCK_DEAD). */
  get orphaned(): boolean { return (this.flags & F_ORPHANED) !== 0; }
  set orphaned(v: boolean) { this.flags = v ? this.flags | F_ORPHANED : this.flags & ~F_ORPHANED; }
  /** The application shut down its receiving side. */
  get readShutdown(): boolean { return (this.flags & F_READ_SHUTDOWN) !== 0; }
  set readShutdown(v: boolean) { this.flags = v ? this.flags | F_READ_SHUTDOWN : this.flags & ~F_READ_SHUTDOWN; }
  /** TCP_NODELAY: Nagle's algorithm off. */
  get nodelay(): boolean { return (this.flags & F_NODELAY) !== 0; }
  set nodelay(v: boolean) { this.flags = v ? this.flags | F_NODELAY : this.flags & ~F_NODELAY; }
  /** End of the last small segment sent (Linux snd_sml, the Minshall variant of Nagle). */
  get sndSml(): Seq { return (this.data === undefined ? this.iss32 : this.data.sndSml32) >>> 0; }
  set sndSml(v: Seq) {
    const v32 = v | 0;
    if (v32 !== this.iss32 || this.data !== undefined) this.dataFields().sndSml32 = v32;
  }

  // --- retransmission (RFC 6298) ---
  /** Current retransmission timeout, microseconds. */
  rto: number;
  /** SRTT and RTTVAR in microseconds; undefined before the first sample. */
  srtt: number | undefined;
  rttvar = 0;
  /** The segment being timed for an RTT sample (Karn's algorithm: never a retransmitted one). */
  get rttSample(): { seq: Seq; sentAt: number } | undefined { return this.rare?.rttSample; }
  set rttSample(v: { seq: Seq; sentAt: number } | undefined) {
    if (v !== undefined || this.rare !== undefined) this.rareFields().rttSample = v;
  }
  /** Consecutive retransmission timeouts without progress. */
  get retransmits(): number { return this.rare === undefined ? 0 : this.rare.retransmits; }
  set retransmits(v: number) {
    if (v !== 0 || this.rare !== undefined) this.rareFields().retransmits = v;
  }
  /** When the data being retransmitted was first sent (Linux retrans_stamp); set at the first timeout. */
  get retransmitSince(): number | undefined { return this.rare?.retransmitSince; }
  set retransmitSince(v: number | undefined) {
    if (v !== undefined || this.rare !== undefined) this.rareFields().retransmitSince = v;
  }
  /** Congestion window in segments (RFC 5681; Linux starts at 10). */
  cwnd = 10;
  /** The slow-start threshold (RFC 5681), set at a loss: in the rare fields until then. */
  get ssthresh(): number { return this.rare === undefined ? INFINITE_SSTHRESH : this.rare.ssthresh; }
  set ssthresh(v: number) {
    if (v !== INFINITE_SSTHRESH || this.rare !== undefined) this.rareFields().ssthresh = v;
  }
  /** Duplicate ACKs in a row (fast retransmit after 3, RFC 5681 3.2). */
  get dupAcks(): number { return this.rare === undefined ? 0 : this.rare.dupAcks; }
  set dupAcks(v: number) {
    if (v !== 0 || this.rare !== undefined) this.rareFields().dupAcks = v;
  }

  // --- acknowledgment ---
  /** An ACK must go out at the end of this step. */
  get ackNow(): boolean { return (this.flags & F_ACK_NOW) !== 0; }
  set ackNow(v: boolean) { this.flags = v ? this.flags | F_ACK_NOW : this.flags & ~F_ACK_NOW; }
  /** Linux icsk_ack.quick: data segments still to ACK at once at the start of a connection. */
  get quickAcks(): number { return (this.flags >>> QUICK_ACKS_SHIFT) & QUICK_ACKS_MASK; }
  set quickAcks(v: number) { this.flags = (this.flags & ~(QUICK_ACKS_MASK << QUICK_ACKS_SHIFT)) | ((v & QUICK_ACKS_MASK) << QUICK_ACKS_SHIFT); }
  /** Linux pingpong mode: interactive traffic, ACKs delayed to ride on replies. */
  get pingpong(): boolean { return (this.flags & F_PINGPONG) !== 0; }
  set pingpong(v: boolean) { this.flags = v ? this.flags | F_PINGPONG : this.flags & ~F_PINGPONG; }
  /** Linux icsk_ack.ato: current delayed-ACK timeout; 0 before any data arrived. */
  get ato(): number { return this.data === undefined ? 0 : this.data.ato; }
  set ato(v: number) {
    if (v !== 0 || this.data !== undefined) this.dataFields().ato = v;
  }
  /** When data last arrived (Linux icsk_ack.lrcvtime). */
  get lastDataReceivedAt(): number { return this.data === undefined ? 0 : this.data.lastDataReceivedAt; }
  set lastDataReceivedAt(v: number) {
    if (v !== 0 || this.data !== undefined) this.dataFields().lastDataReceivedAt = v;
  }
  /** Received data is waiting for an ACK (Linux inet_csk_ack_scheduled). */
  get ackOwed(): boolean { return (this.flags & F_ACK_OWED) !== 0; }
  set ackOwed(v: boolean) { this.flags = v ? this.flags | F_ACK_OWED : this.flags & ~F_ACK_OWED; }
  /** Our estimate of the peer's segment size (Linux icsk_ack.rcv_mss). */
  get rcvMss(): number { return this.data === undefined ? DEFAULT_RCV_MSS : this.data.rcvMss; }
  set rcvMss(v: number) {
    if (v !== DEFAULT_RCV_MSS || this.data !== undefined) this.dataFields().rcvMss = v;
  }
  /** Bytes received since our last ACK (Linux rcv_nxt - rcv_wup). */
  get unackedBytes(): number { return this.data === undefined ? 0 : this.data.unackedBytes; }
  set unackedBytes(v: number) {
    if (v !== 0 || this.data !== undefined) this.dataFields().unackedBytes = v;
  }
  /**
   * In-order data arrived in the segment being processed: whether to ACK it now is decided after
   * its FIN, if any (Linux __tcp_ack_snd_check runs after tcp_data_queue, whose tcp_fin enters
   * pingpong mode, so data carrying a FIN is ACKed late even in quickack mode).
   */
  get ackCheckPending(): boolean { return (this.flags & F_ACK_CHECK_PENDING) !== 0; }
  set ackCheckPending(v: boolean) { this.flags = v ? this.flags | F_ACK_CHECK_PENDING : this.flags & ~F_ACK_CHECK_PENDING; }
  /**
   * The last challenge ACK (RFC 5961) or duplicate ACK for an out-of-window segment: Linux
   * last_oow_ack_time, one 500 ms rate limit for both.
   */
  get lastOowAckAt(): number | undefined { return this.rare?.lastOowAckAt; }
  set lastOowAckAt(v: number | undefined) {
    if (v !== undefined || this.rare !== undefined) this.rareFields().lastOowAckAt = v;
  }

  /** When TIME_WAIT began (tcp_tw_reuse needs it to be more than 1 s old). */
  get timeWaitSince(): number | undefined { return this.rare?.timeWaitSince; }
  set timeWaitSince(v: number | undefined) {
    if (v !== undefined || this.rare !== undefined) this.rareFields().timeWaitSince = v;
  }

  // Timers as data (in the rare fields): `deadlines`, the deadline of each armed timer (smoltcp style),
  // undefined when not armed, one fixed shape (never `delete`d from), so reading it stays a fast property
  // access; made when a timer is armed and dropped when none is (an idle connection holds none; `timers`
  // reads NO_TIMERS then). `armedAt`: when each armed timer was armed (`armings` counts them): timers due
  // together fire, and are cancelled, oldest armed first; re-arming an armed timer keeps its place.
  /** The earliest armed deadline (what pollTimeout returns), kept as timers change (in the rare fields). */
  private get nextDeadline(): number | undefined {
    return this.rare?.nextDeadline;
  }
  private set nextDeadline(v: number | undefined) {
    if (v !== undefined || this.rare !== undefined) this.rareFields().nextDeadline = v;
  }
  /**
   * Whoever files this connection (a TcpStack), told when the earliest deadline changes (TcpStack files
   * all its connections' timers in one heap, so it finds the next one without looking at each).
   */
  owner: ConnectionOwner | undefined;
  /** Zero-window probes sent since the window closed. */
  get probes(): number { return this.rare === undefined ? 0 : this.rare.probes; }
  set probes(v: number) {
    if (v !== 0 || this.rare !== undefined) this.rareFields().probes = v;
  }

  /** The error to report on the socket (ECONNREFUSED, ECONNRESET, ETIMEDOUT...). */
  get error(): Errno | undefined { return this.rare?.error; }
  set error(v: Errno | undefined) {
    if (v !== undefined || this.rare !== undefined) this.rareFields().error = v;
  }

  constructor(options: ConnectionOptions) {
    this.profile = options.profile;
    this.local = options.local;
    this.remote = options.remote;
    this.advertisedMss = options.advertisedMss;
    this.nodelay = options.nodelay ?? false;
    // The Rng is drawn from here only (kept by no field): ISS first, then the TSval offset.
    const iss = options.iss ?? options.rng.u32();
    this.tsOffset32 = (this.profile.timestamps ? (options.tsOffset ?? options.rng.u32()) : 0) | 0;
    this.iss32 = this.sndUna32 = this.sndNxt32 = this.sndMax32 = iss | 0;
    this.rto = this.profile.initialRto;
    this.cwnd = this.profile.initialCwnd;
    this.rcvWscale = this.profile.windowScaling ? windowScaleFor(this.profile) : 0;
    // A send buffer of another size than the profile's (SO_SNDBUF) is made now and kept.
    if (options.sendBuffer !== undefined && options.sendBuffer !== this.profile.sendBuffer) this.dataFields().sendBuf = new SendBuffer(options.sendBuffer, seqAdd(iss, 1));
  }

  // ------------------------------------------------------------------ opening

  /**
   * connect(): CLOSED -> SYN_SENT, sending the SYN (RFC 9293 3.10.1); or, from a listener (`fromListen`), the
   * SEND that makes a LISTEN connection active: LISTEN -> SYN_SENT (3.10.2).
   */
  open(now: number, fromListen = false): void {
    if (fromListen) {
      this.state = 'LISTEN'; // the listener's state: it has no Connection of its own until now
      this.setState('SEND');
    } else {
      this.setState('ACTIVE_OPEN');
    }
    this.rcvWndTarget = initialReceiveWindow(this.profile, this.advertisedMss);
    sendSyn(this, now, false);
    this.setTimer('retransmit', now + this.rto);
  }

  /**
   * A listener's child answering a SYN (RFC 9293 3.10.7.2, Linux tcp_conn_request): the child
   * starts as a clone of the LISTEN socket and moves to SYN_RECEIVED, sending its SYN-ACK.
   */
  acceptSyn(now: number, syn: Segment): void {
    this.passive = true;
    this.state = 'LISTEN'; // a clone of the listener, not a state change
    takeSynOptions(this, syn);
    this.irs = syn.seq;
    this.rcvNxt = seqAdd(syn.seq, 1);
    this.rcvAdvEdge = this.rcvNxt;
    this.sndWnd = syn.window;
    this.maxSndWnd = syn.window;
    this.sndWl1 = syn.seq;
    this.rcvWndTarget = initialReceiveWindow(this.profile, this.advertisedMss - (this.tsOk ? 12 : 0));
    this.setState('RCV_SYN');
    sendSyn(this, now, true);
    this.setTimer('synAck', now + this.rto);
  }

  /**
   * A child rebuilt from a SYN cookie when the handshake's ACK arrives (Linux cookie_v4_check):
   * the SYN's sequence number and options come back from the ACK and the cookie.
   */
  restoreFromCookie(ack: Segment, mss: number, wscale: number | undefined, sack: boolean): void {
    this.passive = true;
    this.state = 'LISTEN';
    this.irs = seqAdd(ack.seq, -1);
    this.rcvNxt = ack.seq;
    this.sndNxt = seqAdd(this.iss, 1);
    this.sndMax = this.sndNxt;
    this.peerMss = mss;
    const ts = ack.options.find((o) => o.kind === 'timestamps');
    this.tsOk = this.profile.timestamps && ts !== undefined;
    if (ts && ts.kind === 'timestamps') this.tsRecent = ts.tsVal;
    this.wsOk = this.tsOk && wscale !== undefined && this.profile.windowScaling;
    this.sndWscale = this.wsOk ? wscale! : 0;
    if (!this.wsOk) this.rcvWscale = 0;
    this.sackOk = this.tsOk && sack && this.profile.sack;
    this.rcvWndTarget = initialReceiveWindow(this.profile, this.advertisedMss - (this.tsOk ? 12 : 0));
    this.rcvAdvEdge = seqAdd(this.rcvNxt, this.rcvWndTarget);
    this.setState('RCV_SYN');
  }

  // ------------------------------------------------------------------ entry points

  /** A segment for this connection arrived (RFC 9293 3.10.7). */
  handleSegment(now: number, seg: Segment): void {
    processSegment(this, now, seg);
    this.flush(now);
  }

  /** Fire every timer whose deadline is at or before `now`. */
  handleTimeout(now: number): void {
    // The timers armed when this starts, oldest armed first; one armed while firing waits for the next call.
    for (const name of this.armedTimers()) {
      const deadline = this.timers[name];
      if (deadline !== undefined && deadline <= now && this.state !== 'CLOSED') {
        this.disarm(name);
        if (this.eventsWanted) this.emit({ kind: 'timer', timer: name, action: 'fired' });
        onTimer(this, now, name);
      }
    }
    this.flush(now);
  }

  /**
   * Lets go of the rare fields' record when all are at their defaults, and of a buffer that is as a new one would be: the receive buffer when empty, the send buffer when
   * empty, never written (its first byte is still ISS + 1) and of the profile's size. The getters make
   * an equal one when it is next used, so nothing the connection does changes.
   */
  private releaseUnused(): void {
    if (this.rare !== undefined && this.rare.unused()) this.rare = undefined;
    const d = this.data;
    if (d === undefined) return;
    const r = d.receiveBuf;
    if (r !== undefined && r.readable === 0 && r.heldOutOfOrder === 0) d.receiveBuf = undefined;
    const s = d.sendBuf;
    if (s !== undefined && s.size === 0 && s.startSeq === seqAdd(this.iss, 1) && s.capacity === this.profile.sendBuffer) d.sendBuf = undefined;
    if (d.unused(this.iss32)) this.data = undefined;
  }

  /** Bytes the application can read now (recv() would return them). */
  unread(): number {
    return this.receiveBuf === undefined ? 0 : this.receiveBuf.readable;
  }

  /** Bytes held out of order (0 while there is no receive buffer: none is made to say so). */
  heldOutOfOrder(): number {
    return this.receiveBuf === undefined ? 0 : this.receiveBuf.heldOutOfOrder;
  }

  /**
   * Lets go of the sent bytes acknowledged up to `ackSeq`. Without a send buffer nothing was ever written (one
   * is made on the first write, and let go of only while as new), so there is nothing to let go of and none is
   * made: the ACK of a SYN or a FIN makes no buffer.
   */
  acknowledgeSent(ackSeq: Seq): void {
    this.sendBuf?.acknowledge(ackSeq);
  }

  /** The send buffer's capacity (SO_SNDBUF as the kernel keeps it). */
  get sendCapacity(): number {
    return this.sendBuf === undefined ? this.profile.sendBuffer : this.sendBuf.capacity;
  }

  set sendCapacity(bytes: number) {
    this.sendBuffer.capacity = bytes;
  }

  /** Whether the connection holds a send or receive buffer object now (an idle one holds neither). */
  holdsBuffers(): boolean {
    return this.sendBuf !== undefined || this.receiveBuf !== undefined;
  }

  /** Each timer's deadline, undefined when it is not armed. */
  get timers(): Readonly<TimerDeadlines> {
    return this.rare?.deadlines ?? NO_TIMERS;
  }

  /** The earliest timer deadline, if any timer is armed. */
  pollTimeout(): number | undefined {
    return this.nextDeadline;
  }

  /** Segments are waiting in takeOutput(). */
  hasOutput(): boolean {
    return this.rare !== undefined && this.rare.outbox.length > 0;
  }

  /** Events are waiting in takeEvents(). */
  hasEvents(): boolean {
    return this.rare !== undefined && this.rare.events.length > 0;
  }

  /** Segments to put on the wire, oldest first. */
  takeOutput(): readonly Outgoing[] {
    const rare = this.rare;
    if (rare === undefined) return NO_OUTPUT;
    const out = rare.outbox;
    rare.outbox = NO_OUTPUT;
    if (rare.unused()) this.rare = undefined;
    return out;
  }

  /** State changes, timer changes and errors since the last call. */
  takeEvents(): readonly ConnectionEvent[] {
    const rare = this.rare;
    if (rare === undefined) return NO_EVENTS;
    const out = rare.events;
    rare.events = NO_EVENTS;
    if (rare.unused()) this.rare = undefined;
    return out;
  }

  // ------------------------------------------------------------------ user calls

  /** Queues data for sending; returns how many bytes fitted in the send buffer (RFC 9293 3.10.2). */
  send(now: number, data: Uint8Array): number {
    const n = this.sendBuffer.write(data);
    this.flush(now);
    return n;
  }

  /** Reads up to `max` bytes the peer sent. May open the window and send a window update. */
  read(now: number, max: number): Uint8Array {
    const data = this.readData(now, max);
    this.releaseUnused();
    return data;
  }

  private readData(now: number, max: number): Uint8Array {
    const windowBefore = this.receiveWindow();
    const data = this.receiveBuffer.read(max);
    // Linux tcp_cleanup_rbuf: a non-interactive receiver that drains its queue sends the owed ACK now.
    if (data.length > 0 && this.ackOwed && !this.pingpong && this.receiveBuffer.readable === 0 && this.timers.delayedAck !== undefined) {
      this.ackNow = true;
      this.flush(now);
      return data;
    }
    // Linux tcp_cleanup_rbuf: announce a window that has at least doubled (and was below half).
    if (data.length > 0 && this.state !== 'CLOSED' && windowBefore * 2 <= this.rcvWndTarget) {
      const after = this.receiveWindow();
      if (after >= 2 * Math.max(windowBefore, 1) && after >= this.effectiveMss()) {
        this.ackNow = true;
        this.flush(now);
      }
    }
    return data;
  }

  /** close() or shutdown(SHUT_WR): queue a FIN after the data (RFC 9293 3.10.4). */
  closeWrite(now: number): void {
    switch (this.state) {
      case 'SYN_SENT':
        this.setState('CLOSE');
        this.clearTimers();
        return;
      case 'SYN_RECEIVED':
      case 'ESTABLISHED':
      case 'CLOSE_WAIT':
        if (this.finQueued) return;
        this.finQueued = true;
        this.setState('CLOSE');
        this.flush(now);
        return;
      default:
        return;
    }
  }

  /** The socket was closed by the application: it now lives on only to finish the protocol. */
  orphan(now: number): void {
    this.orphaned = true;
    this.readShutdown = true;
    if (this.state === 'FIN_WAIT_2') this.armFinWait2(now);
  }

  /** Drops the connection without a segment (a request the listener forgets, a killed TIME_WAIT). */
  discard(now: number, cause: 'ABORT' | 'RCV_SYN' = 'ABORT'): void {
    if (this.state === 'CLOSED') return;
    this.setState(cause);
    this.flush(now);
  }

  /** ABORT (RFC 9293 3.10.5): send RST if synchronized, drop everything, go to CLOSED. */
  abort(now: number, errno?: Errno): void {
    if (this.state === 'CLOSED') return;
    if (this.state !== 'LISTEN' && this.state !== 'SYN_SENT' && this.state !== 'TIME_WAIT') {
      sendActiveReset(this, now);
    }
    if (errno) this.fail(errno);
    this.setState('ABORT');
    this.flush(now);
  }

  // ------------------------------------------------------------------ helpers used by input/output/timers

  /** Every state change goes through here: the compiled statechart names the next state. */
  setState(event: TcpEventType): void {
    const from = this.state;
    const to = applyEvent(from, event);
    this.state = to;
    if (to !== from) {
      if (this.eventsWanted) this.emit({ kind: 'state', from, to, cause: event });
      this.owner?.stateChanged(this);
    }
    if (to === 'CLOSED') this.clearTimers();
  }

  setTimer(name: TimerName, deadline: number): void {
    const rare = this.rareFields();
    if (rare.deadlines === undefined || rare.armedAt === undefined) {
      rare.deadlines = { retransmit: undefined, delayedAck: undefined, timeWait: undefined, finWait2: undefined, synAck: undefined, persist: undefined };
      rare.armedAt = { retransmit: 0, delayedAck: 0, timeWait: 0, finWait2: 0, synAck: 0, persist: 0 };
    }
    const was = rare.deadlines[name];
    if (was === deadline) return;
    if (was === undefined) rare.armedAt[name] = ++rare.armings;
    rare.deadlines[name] = deadline;
    if (this.eventsWanted) this.emit({ kind: 'timer', timer: name, action: 'set', deadline });
    if (this.nextDeadline === undefined || deadline < this.nextDeadline) this.deadlineChanged(deadline);
    else if (was === this.nextDeadline) this.deadlineChanged(this.earliestDeadline());
  }

  cancelTimer(name: TimerName): void {
    if (this.timers[name] === undefined) return;
    this.disarm(name);
    if (this.eventsWanted) this.emit({ kind: 'timer', timer: name, action: 'cancelled' });
  }

  clearTimers(): void {
    if (this.nextDeadline === undefined) return;
    for (const name of this.armedTimers()) this.cancelTimer(name);
  }

  /** The armed timers, oldest armed first. */
  private armedTimers(): TimerName[] {
    const names: TimerName[] = [];
    const rare = this.rare;
    if (rare === undefined) return names;
    const { deadlines, armedAt } = rare;
    if (deadlines === undefined || armedAt === undefined) return names;
    for (const name of TIMER_NAMES) {
      if (deadlines[name] === undefined) continue;
      let i = names.length;
      while (i > 0 && armedAt[names[i - 1]!] > armedAt[name]) i--;
      names.splice(i, 0, name);
    }
    return names;
  }

  private disarm(name: TimerName): void {
    const rare = this.rare;
    const deadlines = rare?.deadlines;
    if (rare === undefined || deadlines === undefined) return;
    const was = deadlines[name];
    deadlines[name] = undefined;
    if (was === this.nextDeadline) this.deadlineChanged(this.earliestDeadline());
    // None armed: let go of the records (an idle connection keeps none); the count starts again (only the
    // order of the timers armed together matters).
    if (this.nextDeadline === undefined) {
      rare.deadlines = rare.armedAt = undefined;
      rare.armings = 0;
    }
  }

  private earliestDeadline(): number | undefined {
    const t = this.timers;
    let earliest: number | undefined;
    for (const name of TIMER_NAMES) {
      const d = t[name];
      if (d !== undefined && (earliest === undefined || d < earliest)) earliest = d;
    }
    return earliest;
  }

  private deadlineChanged(next: number | undefined): void {
    if (next === this.nextDeadline) return;
    this.nextDeadline = next;
    this.owner?.deadlineChanged(this);
  }

  /** Records an error for the socket (first one wins, as Linux sk_err). */
  fail(errno: Errno): void {
    this.error ??= errno;
    if (this.eventsWanted) this.emit({ kind: 'error', errno });
  }

  /** A segment for the wire: to the owner at once if it takes them so, else kept for takeOutput() (in the rare fields). */
  queue(out: Outgoing): void {
    const owner = this.owner;
    if (owner !== undefined && owner.queueOutput !== undefined) {
      owner.queueOutput(this, out);
      return;
    }
    const rare = this.rareFields();
    if (rare.outbox === NO_OUTPUT) rare.outbox = [out];
    else rare.outbox.push(out);
  }

  /**
   * Whether anyone reads this connection's events (state changes, timers, errors: only the trace does). Its
   * owner says no for a world that keeps no trace (World({ trace: false })), so none are built; unfiled, yes.
   */
  private get eventsWanted(): boolean {
    return this.owner?.eventsWanted !== false;
  }

  private emit(ev: ConnectionEvent): void {
    const rare = this.rareFields();
    if (rare.events === NO_EVENTS) rare.events = [ev];
    else rare.events.push(ev);
  }

  /** The listener's answer to the ACK completing the handshake (its owner's; accepted when it has none). */
  admit(): AdmitDecision {
    return this.owner?.admit ? this.owner.admit(this) : 'accept';
  }

  /** SYN-ACK retransmissions a listener's child may send now (its owner's; the profile's when it has none). */
  synAckRetryLimit(): number {
    return this.owner?.synAckRetryLimit ? this.owner.synAckRetryLimit(this) : this.profile.synAckRetries;
  }

  /**
   * The orphaned FIN_WAIT_2 lifetime: Linux tcp_fin_time() = max(tcp_fin_timeout, 3.5 RTO). Up to
   * TCP_TIMEWAIT_LEN (60 s) it is spent as a FIN_WAIT_2 mini-socket. Beyond it, Linux keeps the full
   * socket for (tmo - 60 s) on the keepalive timer, then (tcp_keepalive_timer) makes the mini-socket
   * with tcp_fin_time() - 60 s again: 2 * (tmo - 60 s) in all, so 65 s lasts 10 s and 90 s lasts
   * 60 s (scripts/kernel/observed/fin_wait_2_lifetime.txt).
   */
  armFinWait2(now: number): void {
    if (this.profile.finTimeout <= 0 || !this.orphaned) return;
    const rtoFloor = Math.floor((this.rto * 7) / 2);
    const tmo = Math.max(this.profile.finTimeout, rtoFloor);
    const twLen = this.profile.timeWaitLength;
    const lifetime = this.profile.name === 'linux' && tmo > twLen ? tmo - twLen + Math.max(tmo - twLen, rtoFloor) : tmo;
    this.setTimer('finWait2', now + lifetime);
  }

  /** Bytes of window we can offer now: free buffer space, capped at the target, never shrinking. */
  receiveWindow(): number {
    // No receive buffer: an empty one, all of it free.
    let free = Math.min(this.receiveBuf === undefined ? this.profile.receiveBuffer : this.receiveBuf.free, this.rcvWndTarget);
    // Receiver silly-window avoidance (RFC 9293 3.8.6.2.2; Linux __tcp_select_window): do not
    // offer a window smaller than a segment; offer nothing until that much is free.
    const rcvMss = this.advertisedMss - (this.tsOk ? 12 : 0);
    if (free < Math.min(Math.floor(this.rcvWndTarget / 2), rcvMss)) free = 0;
    const promised = Math.max(0, seqDiff(this.rcvAdvEdge, this.rcvNxt));
    return Math.max(free, promised);
  }

  /** The payload size of a full segment: the peer's MSS less our options (timestamps take 12). */
  effectiveMss(): number {
    const mss = Math.min(this.peerMss, this.advertisedMss) - (this.tsOk ? 12 : 0);
    // Linux tcp_bound_to_half_wnd: never more than half the largest window the peer offered.
    const cutoff = this.maxSndWnd > 536 ? Math.floor(this.maxSndWnd / 2) : this.maxSndWnd;
    return cutoff > 0 && mss > cutoff ? Math.max(cutoff, 68 - 20 - (this.tsOk ? 12 : 0)) : mss;
  }

  /** The sequence number just past our data (and where our FIN goes). */
  dataEnd(): Seq {
    // No send buffer: nothing was ever written, the data ends where it starts (ISS + 1).
    return this.sendBuf === undefined ? seqAdd(this.iss, 1) : this.sendBuf.endSeq;
  }

  /** Our FIN has been sent at some point. */
  finSent(): boolean {
    return this.finQueued && seqDiff(this.sndMax, this.dataEnd()) > 0;
  }

  /** Our FIN has been acknowledged. */
  finAcked(): boolean {
    return this.finQueued && seqDiff(this.sndUna, this.dataEnd()) > 0;
  }

  /** The millisecond timestamp clock (Linux tcp_clock_ms) plus this connection's offset. */
  tsVal(now: number): number {
    return (Math.floor(now / 1000) + this.tsOffset32) >>> 0;
  }

  /** Transmit data/FIN/ACK as allowed, then hand back. */
  flush(now: number): void {
    if (this.state === 'CLOSED' || this.state === 'LISTEN') {
      this.ackNow = false;
    } else {
      transmit(this, now);
    }
    this.releaseUnused();
  }
}
