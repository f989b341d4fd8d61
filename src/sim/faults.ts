// Scripted faults: "drop the 1st SYN-ACK", "delay the 2nd FIN by 300 ms", "duplicate the 3rd data
// segment from the client".
//
// Semantics:
// - The simulator calls `FaultInjector.apply` once for every packet a host sends (retransmissions
//   included, before the link decides its random fate), not once per copy.
// - Every fault counts every packet its match accepts, independently of the other faults: with
//   "drop 1st SYN-ACK" and "drop 2nd SYN-ACK" the first two SYN-ACKs are both dropped.
// - A packet is acted on by the first fault (in list order) whose window, its nth .. nth+count-1
//   matches, contains the packet; later faults whose window also contains it still count it, but
//   that match of theirs has no effect.
import { FLAG_NAMES, flagsFromNames } from '../wire/segment.js';

export type FaultAction = 'drop' | 'delay' | 'duplicate';

export interface FaultMatch {
  /** The segment has exactly these flags (order-insensitive), e.g. ['SYN', 'ACK']. */
  flags?: string[];
  /** The segment has at least these flags. */
  hasFlags?: string[];
  /** Sender: host name, address, or "ip:port". */
  from?: string;
  /** Receiver: host name, address, or "ip:port". */
  to?: string;
  /** Exact (absolute) sequence number. */
  seq?: number;
  /** true: only packets carrying data; false: only packets without. */
  payload?: boolean;
  /** Default 'tcp'. UDP datagrams have no flags or sequence numbers. */
  proto?: 'tcp' | 'udp';
}

export interface Fault {
  action: FaultAction;
  match: FaultMatch;
  /** Which match the fault starts at, 1-based. Default 1. */
  nth?: number;
  /** How many consecutive matches from the nth on (Infinity: all of them). Default 1. */
  count?: number;
  /** Microseconds of extra delay; required for 'delay', not allowed otherwise. */
  delay?: number;
}

/** What the simulator tells the injector about a packet about to go on the wire. */
export interface FaultCandidate {
  proto: 'tcp' | 'udp';
  fromHost: string;
  toHost: string;
  /** "ip:port" of the sender. */
  src: string;
  /** "ip:port" of the receiver. */
  dst: string;
  flags: string[];
  seq: number;
  payloadLength: number;
}

export interface FaultEffect {
  action: FaultAction;
  /** Microseconds, for 'delay'. */
  delay?: number;
  /** For the trace, e.g. "fault: drop 1st SYN-ACK". */
  description: string;
}

export interface FaultStats {
  description: string;
  /** Packets the fault's match accepted. */
  matched: number;
  /** Packets the fault acted on. */
  applied: number;
}

const ACTIONS: readonly FaultAction[] = ['drop', 'delay', 'duplicate'];
const FAULT_KEYS: ReadonlySet<string> = new Set(['action', 'match', 'nth', 'count', 'delay']);
const MATCH_KEYS: ReadonlySet<string> = new Set(['flags', 'hasFlags', 'from', 'to', 'seq', 'payload', 'proto']);

/** A validated fault, flags as bit masks. */
interface Compiled {
  fault: Fault;
  description: string;
  nth: number;
  count: number;
  proto: 'tcp' | 'udp';
  exactMask?: number;
  hasMask?: number;
}

export class FaultInjector {
  private readonly compiled: Compiled[];
  private readonly matched: number[];
  private readonly applied: number[];

  /** Validates every fault; throws an Error naming the fault (#1, #2, ...) and the problem. */
  constructor(faults: Fault[]) {
    if (!Array.isArray(faults)) throw new Error(`faults must be an array, got ${describeValue(faults)}`);
    this.compiled = faults.map((f, i) => compile(f, `fault #${i + 1}`));
    this.matched = faults.map(() => 0);
    this.applied = faults.map(() => 0);
  }

  /** No faults: the simulator skips building a candidate for every packet. */
  get empty(): boolean {
    return this.compiled.length === 0;
  }

  /** Counts the packet against every fault and returns what the first fault in window does to it. */
  apply(c: FaultCandidate): FaultEffect | undefined {
    const mask = c.proto === 'tcp' ? flagsFromNames(c.flags) : 0;
    let effect: FaultEffect | undefined;
    this.compiled.forEach((f, i) => {
      if (!matches(f, c, mask)) return;
      const k = ++this.matched[i]!;
      if (effect !== undefined || k < f.nth || k - f.nth >= f.count) return;
      this.applied[i]!++;
      const which = f.count === 1 ? '' : ` (${ordinal(k)} match)`;
      effect = { action: f.fault.action, description: `fault: ${f.description}${which}` };
      if (f.fault.action === 'delay') effect.delay = f.fault.delay!;
    });
    return effect;
  }

  /** Per fault, in the order given: how often it matched and acted (e.g. to warn about faults that never fired). */
  stats(): FaultStats[] {
    return this.compiled.map((f, i) => ({
      description: f.description,
      matched: this.matched[i]!,
      applied: this.applied[i]!,
    }));
  }
}

/** "drop 1st SYN-ACK", "delay 2nd FIN from client by 300ms". Throws on an invalid fault. */
export function describeFault(f: Fault): string {
  return compile(f, 'fault').description;
}

function matches(f: Compiled, c: FaultCandidate, mask: number): boolean {
  const m = f.fault.match;
  if (c.proto !== f.proto) return false;
  if (f.exactMask !== undefined && mask !== f.exactMask) return false;
  if (f.hasMask !== undefined && (mask & f.hasMask) !== f.hasMask) return false;
  if (m.from !== undefined && !endpointMatches(m.from, c.fromHost, c.src)) return false;
  if (m.to !== undefined && !endpointMatches(m.to, c.toHost, c.dst)) return false;
  if (m.seq !== undefined && c.seq >>> 0 !== m.seq) return false;
  if (m.payload !== undefined && c.payloadLength > 0 !== m.payload) return false;
  return true;
}

/** `want` names the host, its address, or the exact "ip:port". */
function endpointMatches(want: string, host: string, endpoint: string): boolean {
  if (want === host || want === endpoint) return true;
  const colon = endpoint.lastIndexOf(':');
  return colon >= 0 && want === endpoint.slice(0, colon);
}

// ---------------------------------------------------------------- validation

function compile(f: Fault, name: string): Compiled {
  const fail: (msg: string) => never = (msg) => {
    throw new Error(`${name}: ${msg}`);
  };
  if (typeof f !== 'object' || f === null || Array.isArray(f)) fail(`must be an object, got ${describeValue(f)}`);
  for (const key of Object.keys(f)) {
    if (!FAULT_KEYS.has(key)) fail(`unknown field "${key}" (known: ${[...FAULT_KEYS].join(', ')})`);
  }
  if (!ACTIONS.includes(f.action)) {
    fail(`action must be one of ${ACTIONS.join(', ')}, got ${describeValue(f.action)}`);
  }
  const nth = f.nth ?? 1;
  if (!Number.isSafeInteger(nth) || nth < 1) fail(`nth must be an integer >= 1 (1 = the first match), got ${describeValue(nth)}`);
  const count = f.count ?? 1;
  if (!(Number.isSafeInteger(count) || count === Infinity) || count < 1) {
    fail(`count must be an integer >= 1 or Infinity, got ${describeValue(count)}`);
  }
  if (f.action === 'delay') {
    if (f.delay === undefined) fail(`a 'delay' fault needs delay (microseconds)`);
    if (!Number.isSafeInteger(f.delay) || f.delay! <= 0) {
      fail(`delay must be a positive integer number of microseconds, got ${describeValue(f.delay)}`);
    }
  } else if (f.delay !== undefined) {
    fail(`delay only applies to action 'delay', not '${f.action}'`);
  }

  const m = f.match;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) fail(`match must be an object, got ${describeValue(m)}`);
  for (const key of Object.keys(m)) {
    if (!MATCH_KEYS.has(key)) fail(`unknown match field "${key}" (known: ${[...MATCH_KEYS].join(', ')})`);
  }
  const proto = m.proto ?? 'tcp';
  if (proto !== 'tcp' && proto !== 'udp') fail(`match.proto must be 'tcp' or 'udp', got ${describeValue(m.proto)}`);
  if (proto === 'udp' && (m.flags !== undefined || m.hasFlags !== undefined || m.seq !== undefined)) {
    fail('UDP datagrams have no flags or sequence numbers to match');
  }
  const exactMask = m.flags === undefined ? undefined : flagMask(m.flags, 'match.flags', fail);
  const hasMask = m.hasFlags === undefined ? undefined : flagMask(m.hasFlags, 'match.hasFlags', fail);
  if (exactMask !== undefined && hasMask !== undefined && (exactMask & hasMask) !== hasMask) {
    fail('match.hasFlags names a flag that match.flags excludes, so the fault could never match');
  }
  for (const key of ['from', 'to'] as const) {
    const v = m[key];
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '')) {
      fail(`match.${key} must be a host name, address or "ip:port", got ${describeValue(v)}`);
    }
  }
  if (m.seq !== undefined && (!Number.isInteger(m.seq) || m.seq < 0 || m.seq >= 2 ** 32)) {
    fail(`match.seq must be an integer in [0, 2^32), got ${describeValue(m.seq)}`);
  }
  if (m.payload !== undefined && typeof m.payload !== 'boolean') {
    fail(`match.payload must be true or false, got ${describeValue(m.payload)}`);
  }

  const compiled: Compiled = { fault: f, description: '', nth, count, proto };
  if (exactMask !== undefined) compiled.exactMask = exactMask;
  if (hasMask !== undefined) compiled.hasMask = hasMask;
  compiled.description = describeCompiled(compiled);
  return compiled;
}

function flagMask(names: unknown, field: string, fail: (msg: string) => never): number {
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
    fail(`${field} must be an array of flag names, got ${describeValue(names)}`);
  }
  try {
    return flagsFromNames(names as string[]);
  } catch {
    const known = FLAG_NAMES.map(([, n]) => n).join(', ');
    return fail(`${field}: unknown flag in ${JSON.stringify(names)} (known: ${known})`);
  }
}

// ---------------------------------------------------------------- description

/** Flags in tcpdump order joined by '-': SYN-ACK, FIN-ACK, PSH-ACK. */
function flagWord(mask: number): string {
  return FLAG_NAMES.filter(([bit]) => (mask & bit) !== 0)
    .map(([, n]) => n)
    .join('-');
}

function isSingle(mask: number, ...names: string[]): boolean {
  return names.some((n) => mask === flagsFromNames([n]));
}

function describeCompiled(c: Compiled): string {
  const { fault: f, nth, count } = c;
  const m = f.match;
  let which: string;
  if (count === 1) which = ordinal(nth);
  else if (count === Infinity) which = nth === 1 ? 'every' : `${ordinal(nth)} and later`;
  else which = `${ordinal(nth)} to ${ordinal(nth + count - 1)}`;

  // The noun; `payloadSaid` records whether it already says whether there is data.
  let noun: string;
  let payloadSaid = false;
  const flagAcks = flagsFromNames(['ACK']);
  if (c.proto === 'udp') {
    noun = 'datagram';
  } else if (c.exactMask !== undefined) {
    if (c.exactMask === 0) noun = 'flagless segment';
    else if (c.exactMask === flagAcks && m.payload === false) {
      noun = 'pure ACK';
      payloadSaid = true;
    } else if (isSingle(c.exactMask, 'FIN', 'RST')) noun = `bare ${flagWord(c.exactMask)}`;
    else noun = flagWord(c.exactMask);
  } else if (c.hasMask !== undefined && c.hasMask !== 0) {
    if (isSingle(c.hasMask, 'FIN', 'RST')) noun = flagWord(c.hasMask);
    else noun = `segment with ${flagWord(c.hasMask).split('-').join(' and ')}`;
  } else if (m.payload === true) {
    noun = 'data segment';
    payloadSaid = true;
  } else {
    noun = 'segment';
  }

  let text = `${f.action} ${which} ${noun}`;
  if (m.payload !== undefined && !payloadSaid) text += m.payload ? ' with data' : ' without data';
  if (m.from !== undefined) text += ` from ${m.from}`;
  if (m.to !== undefined) text += ` to ${m.to}`;
  if (m.seq !== undefined) text += ` at seq ${m.seq}`;
  if (f.delay !== undefined) text += ` by ${formatDuration(f.delay)}`;
  return text;
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, ... */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  const mod10 = n % 10;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : mod10 === 1 ? 'st' : mod10 === 2 ? 'nd' : mod10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function formatDuration(us: number): string {
  if (us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us % 1000 === 0) return `${us / 1000}ms`;
  return `${us}us`;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return JSON.stringify(v);
  return String(v);
}
