// Hand-made traces for renderer and CLI tests: small builders with every field spelled out by the test.
import type {
  CallEvent,
  DatagramEvent,
  SegmentEvent,
  StateEvent,
  TimerEvent,
  Trace,
  TraceEvent,
  TraceHost,
} from '../../src/sim/trace.js';

export const CLIENT: TraceHost = { name: 'client', address: '10.0.0.1' };
export const SERVER: TraceHost = { name: 'server', address: '10.0.0.2' };

export function makeTrace(events: TraceEvent[], hosts: TraceHost[] = [CLIENT, SERVER]): Trace {
  return { format: 'synack-trace', version: 1, scenario: 'hand-made', profile: 'linux', seed: 7, hosts, events };
}

let nextId = 1;

/** A delivered segment arriving 500 µs after it was sent, unless `more` says otherwise. */
export function segment(
  t: number,
  src: string,
  dst: string,
  flags: SegmentEvent['flags'],
  seq: number,
  ack: number,
  more: Partial<SegmentEvent> = {},
): SegmentEvent {
  return {
    t,
    kind: 'segment',
    id: nextId++,
    src,
    dst,
    flags,
    seq,
    ack,
    len: 0,
    win: 64240,
    options: [],
    fate: 'delivered',
    arrival: t + 500,
    ...more,
  };
}

export function datagram(t: number, src: string, dst: string, len: number, more: Partial<DatagramEvent> = {}): DatagramEvent {
  return { t, kind: 'datagram', id: nextId++, src, dst, len, fate: 'delivered', arrival: t + 500, ...more };
}

export function state(
  t: number,
  host: string,
  socket: number,
  endpoint: string,
  from: string,
  to: string,
  peer?: string,
): StateEvent {
  return { t, kind: 'state', host, endpoint, socket, from, to, cause: 'TEST', ...(peer ? { peer } : {}) };
}

export function call(t: number, host: string, name: string, args: string[], result: string, value?: string): CallEvent {
  return { t, kind: 'call', host, call: name, args, result, ...(value ? { value } : {}) };
}

export function timer(t: number, host: string, endpoint: string, name: TimerEvent['timer'], action: TimerEvent['action']): TimerEvent {
  return { t, kind: 'timer', host, endpoint, timer: name, action };
}

/** The text between the two lifelines of a ladder line (or the gap markers), without them. */
export function laneOf(line: string): string {
  const open = line.search(/[|~]/);
  const close = Math.max(line.lastIndexOf('|'), line.lastIndexOf('~'));
  return line.slice(open + 1, close);
}

/** The ladder line containing `text`; fails the test when there is not exactly one. */
export function lineWith(ladder: string, text: string): string {
  const lines = ladder.split('\n').filter((l) => l.includes(text));
  if (lines.length !== 1) throw new Error(`expected one line with "${text}", found ${lines.length}:\n${ladder}`);
  return lines[0] as string;
}

/** The words (shaft left out) of the arrow drawn on lines[index] and its continuation lines (those with no time). */
export function arrowText(lines: readonly string[], index: number): string {
  const parts = [laneOf(lines[index] as string)];
  for (let i = index + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!/^ *\|/.test(line) || /^ *\| *\|$/.test(line)) break;
    parts.push(laneOf(line));
  }
  // Without the shaft: runs of dashes standing alone as words (ending in a head or a receiver's X).
  return parts.join(' ').replace(/(^|\s)-+[>X]?(?=\s|$)/g, ' ').replace(/\s+/g, ' ').trim();
}
