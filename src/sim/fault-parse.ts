// A one-line English form of a scripted fault, the same words `describeFault` prints:
//
//   <drop|delay|duplicate> [the] <which> <what> [with data|without data] [from X] [to X] [at seq N] [by D]
//
//   which: 1st, 2nd, third, ...; "2nd to 4th"; "3rd and later"; "every"
//   what:  a dash-joined flag list means exactly those flags (SYN, SYN-ACK, FIN-ACK, PSH-ACK), except
//          that a lone FIN or RST means any segment carrying it (FINs nearly always carry ACK too);
//          "bare FIN" is a FIN alone; "pure ACK" is an ACK without data; "data" / "data segment" is
//          any segment with data; "segment with SYN and ECE" needs at least those flags; "segment"
//          is any TCP segment; "flagless segment" has no flags; "datagram" is any UDP datagram.
//   X:     host name, address or ip:port.  D: 300ms, 1.5s, 250us (or "300 ms").
//
// parseFault("drop 1st SYN-ACK"), parseFault("delay 2nd FIN by 300ms"),
// parseFault("duplicate 3rd data from client"). A leading "fault:" is ignored.
import { FLAG_NAMES } from '../wire/segment.js';
import { describeFault } from './faults.js';
import type { Fault, FaultAction, FaultMatch } from './faults.js';

const ACTIONS: readonly FaultAction[] = ['drop', 'delay', 'duplicate'];
const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const FLAG_SET: ReadonlySet<string> = new Set(FLAG_NAMES.map(([, n]) => n));
const UNIT_MICROS: Readonly<Record<string, number>> = { us: 1, µs: 1, ms: 1000, s: 1_000_000 };

export function parseFault(text: string): Fault {
  if (typeof text !== 'string') throw new Error(`parseFault: expected a string, got ${String(text)}`);
  const fail = (msg: string): never => {
    throw new Error(`cannot parse fault "${text}": ${msg}`);
  };
  const tokens = text.trim().replace(/^fault:\s*/i, '').split(/\s+/).filter((t) => t !== '');
  let i = 0;
  const peek = (offset = 0): string | undefined => tokens[i + offset];
  const lower = (offset = 0): string => (tokens[i + offset] ?? '').toLowerCase();
  const next = (expected: string): string => tokens[i++] ?? fail(`expected ${expected} at the end`);

  // action
  const action = next('drop, delay or duplicate').toLowerCase() as FaultAction;
  if (!ACTIONS.includes(action)) fail(`expected drop, delay or duplicate, got "${tokens[0]}"`);
  if (lower() === 'the') i++;

  // which
  let nth = 1;
  let count = 1;
  const whichToken = next('which one (1st, 2nd, every, ...)');
  if (whichToken.toLowerCase() === 'every') {
    count = Infinity;
  } else {
    nth = parseOrdinal(whichToken) ?? fail(`expected an ordinal such as 1st, 2nd or "every" after "${action}", got "${whichToken}"`);
    if (lower() === 'to' && parseOrdinal(peek(1) ?? '') !== undefined) {
      const last = parseOrdinal(tokens[i + 1]!)!;
      if (last < nth) fail(`the range ${whichToken} to ${tokens[i + 1]} runs backwards`);
      count = last - nth + 1;
      i += 2;
    } else if (lower() === 'and' && lower(1) === 'later') {
      count = Infinity;
      i += 2;
    }
  }

  // what
  const match: FaultMatch = {};
  const what = next('what to match (SYN-ACK, FIN, data, ...)');
  const whatLower = what.toLowerCase();
  const isSegmentWord = (w: string): boolean => w === 'segment' || w === 'segments';
  if (whatLower === 'pure') {
    const ack = next('ACK after "pure"');
    if (parseFlagWord(ack)?.join('-') !== 'ACK') fail(`expected ACK after "pure", got "${ack}"`);
    match.flags = ['ACK'];
    match.payload = false;
  } else if (whatLower === 'bare') {
    const word = next('a flag after "bare"');
    match.flags = parseFlagWord(word) ?? fail(`expected flags after "bare", got "${word}"`);
  } else if (whatLower === 'data') {
    match.payload = true;
    if (isSegmentWord(lower())) i++;
  } else if (whatLower === 'flagless') {
    if (!isSegmentWord(lower())) fail(`expected "segment" after "flagless"`);
    i++;
    match.flags = [];
  } else if (whatLower === 'datagram' || whatLower === 'datagrams') {
    match.proto = 'udp';
  } else if (isSegmentWord(whatLower)) {
    if (lower() === 'with' && parseFlagWord(peek(1) ?? '') !== undefined) {
      i++;
      const names = [...parseFlagWord(next('a flag'))!];
      while (lower() === 'and' && parseFlagWord(peek(1) ?? '') !== undefined) {
        i++;
        names.push(...parseFlagWord(next('a flag'))!);
      }
      match.hasFlags = names;
    }
  } else {
    const names =
      parseFlagWord(what) ??
      fail(`expected what to match (SYN, SYN-ACK, FIN, RST, pure ACK, data, segment, datagram), got "${what}"`);
    if (names.length === 1 && (names[0] === 'FIN' || names[0] === 'RST')) match.hasFlags = names;
    else match.flags = names;
  }

  // modifiers
  let delay: number | undefined;
  while (i < tokens.length) {
    const word = lower();
    const token = tokens[i++]!;
    if (word === 'with' || word === 'without') {
      const d = next('"data"');
      if (d.toLowerCase() !== 'data') fail(`expected "data" after "${token}", got "${d}"`);
      if (match.payload !== undefined) fail('says twice whether the segment carries data');
      match.payload = word === 'with';
    } else if (word === 'from' || word === 'to') {
      if (match[word] !== undefined) fail(`gives "${word}" twice`);
      match[word] = next(`a host, address or ip:port after "${word}"`);
    } else if (word === 'at' || word === 'seq') {
      if (word === 'at' && next('"seq"').toLowerCase() !== 'seq') fail('expected "seq" after "at"');
      const n = next('a sequence number');
      if (!/^\d+$/.test(n)) fail(`expected a sequence number, got "${n}"`);
      match.seq = Number(n);
    } else if (word === 'by') {
      let d = next('a duration such as 300ms');
      if (/^\d+(\.\d+)?$/.test(d) && Object.hasOwn(UNIT_MICROS, lower())) d += tokens[i++];
      delay = parseDuration(d) ?? fail(`expected a duration such as 300ms, 1.5s or 250us, got "${d}"`);
    } else {
      fail(`unexpected "${token}"`);
    }
  }
  if (action === 'delay' && delay === undefined) fail('a delay needs a duration, e.g. "by 300ms"');
  if (action !== 'delay' && delay !== undefined) fail(`"by" only applies to delay, not ${action}`);

  const fault: Fault = { action, match, nth, count };
  if (delay !== undefined) fault.delay = delay;
  try {
    describeFault(fault); // the full validation
  } catch (e) {
    fail((e as Error).message.replace(/^fault: /, ''));
  }
  return fault;
}

/** "3rd" or "third" -> 3. */
function parseOrdinal(token: string): number | undefined {
  const t = token.toLowerCase();
  const word = ORDINAL_WORDS.indexOf(t);
  if (word >= 0) return word + 1;
  const m = /^(\d+)(st|nd|rd|th)$/.exec(t);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/** "SYN-ACK", "syn+ack", "SYN/ACK", "SYNACK", "FINs" -> flag names; undefined if not flags. */
function parseFlagWord(token: string): string[] | undefined {
  const parse = (t: string): string[] | undefined => {
    const up = t.toUpperCase();
    const parts = up === 'SYNACK' ? ['SYN', 'ACK'] : up.split(/[-+/]/);
    return parts.length > 0 && parts.every((p) => FLAG_SET.has(p)) ? parts : undefined;
  };
  return parse(token) ?? (/s$/i.test(token) ? parse(token.slice(0, -1)) : undefined);
}

/** "300ms" -> 300000; undefined unless a positive whole number of microseconds. */
function parseDuration(token: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(us|µs|ms|s)$/i.exec(token);
  if (!m) return undefined;
  const us = Number(m[1]) * UNIT_MICROS[m[2]!.toLowerCase()]!;
  const rounded = Math.round(us);
  return Math.abs(us - rounded) < 1e-6 && rounded > 0 ? rounded : undefined;
}
