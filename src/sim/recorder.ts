// Turns what hosts and links report into trace events (src/sim/trace.ts, the public format).
// Three modes (WorldOptions.trace): true keeps every event; 'count' keeps only how many events of each
// kind there were; false keeps nothing. The events of a traced run are built with little work per
// segment: endpoints and flag lists are formatted once and shared, payloads encoded a chunk at a time.
// (A payload kept by reference and encoded on first read, through a getter, was measured: no faster to
// record, and 2.5 times slower to JSON.stringify, which then takes the slow path for accessors.)
import { flagNames, type FlagName, type Segment, type TcpOption } from '../wire/segment.js';
import type { StackEvent } from '../tcp/stack.js';
import { traceOption, type TraceOption, type CallEvent, type Fate, type SegmentEvent, type DatagramEvent, type Trace, type TraceEvent, type TraceHost } from './trace.js';
import { formatEndpoint } from '../wire/address.js';

/** What the trace of a run keeps: every event (true), a count of events by kind ('count'), or nothing (false). */
export type TraceMode = boolean | 'count';

/** How many events of each kind a run made (kept in the 'count' and true modes; all zero when the trace is off). */
export type TraceCounts = Record<TraceEvent['kind'], number>;

// Base64 without Node's Buffer, so the trace code also runs in a browser (RFC 4648 4, with padding). Three
// bytes make four characters, written two at a time from a table of every 12-bit value into a scratch
// buffer that one native decode turns into the string: a traced 64 MB transfer encodes each payload
// about three times faster than building a "binary string" for btoa.
const ALPHABET = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const PAD = 0x3d; // '='
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The two characters of each 12-bit value, as one 16-bit unit laid out in memory in the order they are read. */
const PAIRS = new Uint16Array(4096);
for (let v = 0; v < 4096; v++) {
  const first = ALPHABET[v >> 6]!;
  const second = ALPHABET[v & 63]!;
  PAIRS[v] = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
}
/** Only ASCII is ever decoded, which UTF-8 reads as it is (and every build of Node and browser has UTF-8). */
const ASCII = new TextDecoder();
let scratch = new Uint16Array(2048);

export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const units = Math.ceil(n / 3) * 2;
  if (scratch.length < units) scratch = new Uint16Array(Math.max(units, scratch.length * 2));
  const pairs = scratch;
  let i = 0;
  let j = 0;
  for (; i + 2 < n; i += 3, j += 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    pairs[j] = PAIRS[v >>> 12]!;
    pairs[j + 1] = PAIRS[v & 4095]!;
  }
  const chars = new Uint8Array(pairs.buffer, 0, units * 2);
  if (i < n) {
    // One or two bytes left: two or three characters, then padding.
    const two = i + 1 < n;
    const v = (bytes[i]! << 16) | (two ? bytes[i + 1]! << 8 : 0);
    let k = j * 2;
    chars[k++] = ALPHABET[v >>> 18]!;
    chars[k++] = ALPHABET[(v >>> 12) & 63]!;
    chars[k++] = two ? ALPHABET[(v >>> 6) & 63]! : PAD;
    chars[k] = PAD;
  }
  return ASCII.decode(chars);
}

/**
 * An option of a sent segment as the trace keeps it: the engine's own object where the two forms are the same
 * (it never changes an option once built, src/tcp/output.ts), so a traced segment allocates no copies of its
 * NOPs and timestamps; SACK blocks and unknown options are converted (traceOption).
 */
function recordedOption(o: TcpOption): TraceOption {
  return o.kind === 'sack' || o.kind === 'unknown' ? traceOption(o) : o;
}

/** The option list of a segment without options: shared by every such event, never written. */
const NO_OPTIONS: TraceOption[] = Object.freeze([]) as unknown as TraceOption[];

/**
 * A sent segment's option list as the trace keeps it: the segment's own list when every option is kept as it
 * is (the engine never changes a list once a segment is built), else a converted copy.
 */
function recordedOptions(options: TcpOption[]): TraceOption[] {
  if (options.length === 0) return NO_OPTIONS;
  for (const o of options) if (o.kind === 'sack' || o.kind === 'unknown') return options.map(recordedOption);
  return options as TraceOption[];
}

/** Flag lists by flags byte: one frozen array per distinct value, shared by every event that has it. */
const FLAG_LISTS: Array<FlagName[] | undefined> = [];

function flagList(flags: number): FlagName[] {
  return (FLAG_LISTS[flags] ??= Object.freeze(flagNames(flags)) as FlagName[]);
}

const OFF = 0;
const COUNT = 1;
const RECORD = 2;

export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  readonly counts: TraceCounts = { segment: 0, datagram: 0, state: 0, call: 0, timer: 0 };
  private readonly mode: typeof OFF | typeof COUNT | typeof RECORD;
  private nextSegmentId = 1;
  /** "ip:port" texts by address, then port: formatEndpoint validates, so each endpoint is formatted once. */
  private readonly endpoints = new Map<string, Map<number, string>>();

  constructor(mode: TraceMode = true) {
    if (mode !== true && mode !== false && mode !== 'count') throw new Error(`trace must be true, false or "count", got ${JSON.stringify(mode)}`);
    this.mode = mode === true ? RECORD : mode === 'count' ? COUNT : OFF;
  }

  /** Whether events are kept (trace: true). Callers skip building what would only go into an event. */
  get recording(): boolean {
    return this.mode === RECORD;
  }

  /** Whether state and timer events are read at all (kept, or counted): with the trace off they need not be made. */
  get wantsEvents(): boolean {
    return this.mode !== OFF;
  }

  segmentId(): number {
    return this.nextSegmentId++;
  }

  /** "ip:port" as formatEndpoint writes it, formatted once per endpoint. */
  endpoint(ip: string, port: number): string {
    let ports = this.endpoints.get(ip);
    if (ports === undefined) {
      ports = new Map();
      this.endpoints.set(ip, ports);
    }
    let text = ports.get(port);
    if (text === undefined) {
      text = formatEndpoint(ip, port);
      ports.set(port, text);
    }
    return text;
  }

  /** Records one copy of a segment; returns its event when the trace keeps events. */
  segment(
    t: number,
    id: number,
    src: string,
    dst: string,
    seg: Segment,
    fate: Fate,
    arrival: number | undefined,
    reason: string | undefined,
    retransmit: boolean,
    note: string | undefined,
    injected: boolean,
  ): SegmentEvent | undefined {
    if (this.mode !== RECORD) {
      if (this.mode === COUNT) this.counts.segment++;
      return undefined;
    }
    this.counts.segment++;
    // One literal with every field in the order of the JSON form, an absent one undefined (JSON.stringify
    // leaves it out): all in the object itself, where assignments one by one spilled past V8's in-object
    // slots into a second array. `discarded` is set later, by the world, when the receiver drops it.
    const ev: SegmentEvent = {
      t,
      kind: 'segment',
      id,
      src: this.endpoint(src, seg.srcPort),
      dst: this.endpoint(dst, seg.dstPort),
      flags: flagList(seg.flags),
      seq: seg.seq,
      ack: seg.ack,
      len: seg.payload.length,
      win: seg.window,
      options: recordedOptions(seg.options),
      fate,
      arrival,
      reason: reason || undefined,
      retransmit: retransmit || undefined,
      note: note || undefined,
      injected: injected || undefined,
      payload: seg.payload.length > 0 ? toBase64(seg.payload) : undefined,
      discarded: undefined,
    };
    this.events.push(ev);
    return ev;
  }

  datagram(
    t: number,
    id: number,
    src: string,
    dst: string,
    payload: Uint8Array,
    fate: Fate,
    arrival: number | undefined,
    reason: string | undefined,
  ): void {
    if (this.mode !== RECORD) {
      if (this.mode === COUNT) this.counts.datagram++;
      return;
    }
    this.counts.datagram++;
    const ev = {} as DatagramEvent;
    ev.t = t;
    ev.kind = 'datagram';
    ev.id = id;
    ev.src = src;
    ev.dst = dst;
    ev.len = payload.length;
    ev.fate = fate;
    if (arrival !== undefined) ev.arrival = arrival;
    if (reason) ev.reason = reason;
    if (payload.length > 0) ev.payload = toBase64(payload);
    this.events.push(ev);
  }

  /** A state change or timer change reported by a host's TCP stack. Errors are not trace events. */
  stackEvent(t: number, host: string, ev: StackEvent): void {
    if (ev.kind !== 'state' && ev.kind !== 'timer') return;
    if (this.mode !== RECORD) {
      if (this.mode === COUNT) this.counts[ev.kind]++;
      return;
    }
    this.counts[ev.kind]++;
    const endpoint = this.endpoint(ev.local.ip, ev.local.port);
    const peer = ev.remote ? this.endpoint(ev.remote.ip, ev.remote.port) : undefined;
    // Literals in the order of the JSON form, as for segments.
    if (ev.kind === 'state') {
      this.events.push({ t, kind: 'state', host, endpoint, peer, socket: ev.socket, from: ev.from, to: ev.to, cause: ev.cause });
    } else {
      this.events.push({ t, kind: 'timer', host, endpoint, peer, socket: ev.socket, timer: ev.timer, action: ev.action, deadline: ev.deadline });
    }
  }

  /** Counts a socket call without its event (the socket layer builds the event only when `recording`). */
  countCall(): void {
    if (this.mode === COUNT) this.counts.call++;
  }

  call(ev: CallEvent): void {
    if (this.mode !== RECORD) {
      this.countCall();
      return;
    }
    this.counts.call++;
    this.events.push(ev);
  }

  toTrace(meta: { scenario: string; profile: string; seed: number; hosts: TraceHost[] }): Trace {
    return { format: 'synack-trace', version: 1, ...meta, events: this.events };
  }
}
