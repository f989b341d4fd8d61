// Layout: which events become which rows, on which side, with which words. Pure; no column is counted here.
import type {
  DatagramEvent,
  SegmentEvent,
  StateEvent,
  TimerEvent,
  Trace,
  TraceEvent,
  TraceHost,
} from '../sim/trace.js';
import { endpointAddress } from './endpoint.js';
import { addressName, findHost, lifelineHost } from './hosts.js';
import { callText, datagramLabel, segmentLabel, timerText } from './labels.js';
import { relativeNumbers } from './relative-numbers.js';
import { socketLabeler } from './socket-labels.js';
import type { ArrowRow, LadderLayout, LadderOptions, LadderRow, Side } from './types.js';

const DEFAULT_GAP = 1_000_000;

export function layoutLadder(trace: Trace, opts: LadderOptions): LadderLayout {
  const left = lifelineHost(trace.hosts, opts.left);
  const right = lifelineHost(trace.hosts, opts.right);
  if (left === right) throw new Error(`the two lifelines must be different hosts, both are "${left.name}"`);
  const gap = opts.gap ?? DEFAULT_GAP;
  const numbers = opts.relative === false ? undefined : relativeNumbers(trace.events);
  const socketPrefix = socketLabeler(trace.hosts, trace.events);
  const lifeline: Record<Side, TraceHost> = { left, right };
  const other = (side: Side): Side => (side === 'left' ? 'right' : 'left');

  /** "ESTABLISHED", or ":80<-:40000 ESTABLISHED" when the host has several sockets. */
  const socketNote = (ev: StateEvent | TimerEvent, side: Side, text: string): string => {
    const prefix = socketPrefix(ev, lifeline[other(side)]);
    return prefix ? `${prefix} ${text}` : text;
  };

  /** A lifeline's `address` may be a whole endpoint ("127.0.0.1:8080") when two share an address (a loopback capture). */
  const sideOfEndpoint = (endpoint: string): Side | undefined => {
    if (endpoint === left.address) return 'left';
    if (endpoint === right.address) return 'right';
    const address = endpointAddress(endpoint);
    return address === left.address ? 'left' : address === right.address ? 'right' : undefined;
  };
  const sideOfHost = (host: string): Side | undefined => {
    const found = findHost(trace.hosts, host);
    return found === left ? 'left' : found === right ? 'right' : undefined;
  };

  const arrow = (ev: SegmentEvent | DatagramEvent, label: string[]): ArrowRow | undefined => {
    const srcAddress = endpointAddress(ev.src);
    const dstAddress = endpointAddress(ev.dst);
    const srcSide = sideOfEndpoint(ev.src);
    const dstSide = sideOfEndpoint(ev.dst);
    const row: ArrowRow = { kind: 'arrow', t: ev.t, direction: 'right', label };
    if (srcSide !== undefined && dstSide !== undefined && srcSide !== dstSide) {
      row.direction = srcSide === 'left' ? 'right' : 'left';
    } else if (srcSide !== undefined) {
      // To a third host (or to itself): from the lifeline towards the lane, the receiver named at the head.
      row.direction = srcSide === 'left' ? 'right' : 'left';
      row.to = addressName(trace.hosts, dstAddress);
    } else if (dstSide !== undefined) {
      // From a third host (a flooder, a spoofed address): named at the tail, pointing at the lifeline.
      row.direction = dstSide === 'left' ? 'left' : 'right';
      row.from = addressName(trace.hosts, srcAddress);
    } else {
      return undefined; // between two hosts that are not drawn
    }
    if (ev.fate === 'dropped') row.lost = ev.reason ?? 'lost';
    else if (ev.arrival !== undefined) row.arrival = ev.arrival;
    return row;
  };

  const rowFor = (ev: TraceEvent): LadderRow | undefined => {
    switch (ev.kind) {
      case 'segment':
        return arrow(ev, segmentLabel(ev, numbers?.get(ev)));
      case 'datagram':
        return arrow(ev, datagramLabel(ev));
      case 'state': {
        const side = sideOfHost(ev.host);
        if (side === undefined) return undefined;
        return { kind: 'note', t: ev.t, side, text: socketNote(ev, side, ev.to) };
      }
      case 'call': {
        const side = sideOfHost(ev.host);
        return side === undefined ? undefined : { kind: 'note', t: ev.t, side, text: callText(ev) };
      }
      case 'timer': {
        const side = sideOfHost(ev.host);
        if (!opts.timers || ev.action !== 'fired' || side === undefined) return undefined;
        return { kind: 'note', t: ev.t, side, text: socketNote(ev, side, timerText(ev)) };
      }
    }
  };

  // Stable: events at the same instant keep the order the simulator recorded them in.
  const events = [...trace.events].sort((a, b) => a.t - b.t);
  const rows: LadderRow[] = [];
  let lastActivity: number | undefined;
  for (const ev of events) {
    const row = rowFor(ev);
    if (row === undefined) continue;
    if (lastActivity !== undefined && ev.t - lastActivity >= gap) {
      rows.push({ kind: 'gap', idle: ev.t - lastActivity });
    }
    rows.push(row);
    lastActivity = Math.max(lastActivity ?? 0, ev.t, (row.kind === 'arrow' && row.arrival) || 0);
  }
  return {
    left: { name: left.name, address: left.address },
    right: { name: right.name, address: right.address },
    rows,
  };
}
