// A trace -> the sequence diagram's model (types.ts): lanes, one row per event in time order, state spans per
// socket, timer spans. Pure: no DOM, no pixels.
import type { DatagramEvent, SegmentEvent, TimerName, Trace, TraceEvent } from '../../sim/trace.js';
import { endpointAddress, endpointPort } from '../endpoint.js';
import { callText } from '../labels.js';
import { printableTrace } from '../printable-trace.js';
import { relativeNumbers } from '../relative-numbers.js';
import { buildLanes, type Lanes } from './lanes.js';
import { datagramDetail, numberWords, optionWords, segmentDetail } from './segment-words.js';
import { socketKey } from './sockets.js';
import { socketTracks } from './tracks.js';
import type { DiagramModel, DiagramOptions, Item, Loss, SegmentItem, StateSpan, TimerSpan } from './types.js';
import { scaledWindows } from '../../sim/trace-windows.js';

/** Timer names as a reader knows them (RFC 6298 RTO, RFC 9293 3.8.6.3 delayed ACK, 2MSL, …). */
export const TIMER_LABELS: Record<TimerName, string> = {
  retransmit: 'RTO',
  delayedAck: 'delayed ACK timer',
  timeWait: 'TIME_WAIT timer',
  finWait2: 'FIN_WAIT_2 timer',
  synAck: 'SYN-ACK timer',
  persist: 'persist timer',
};

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function conversation(ev: SegmentEvent | DatagramEvent): string {
  return ev.src < ev.dst ? `${ev.src} ${ev.dst}` : `${ev.dst} ${ev.src}`;
}

export function diagramModel(trace: Trace, options: DiagramOptions = {}): DiagramModel {
  trace = printableTrace(trace); // user strings drawn as text, never as control characters (issue 10)
  const withTimers = options.timers !== false;
  const events = trace.events;
  const lanes: Lanes = buildLanes(trace);
  const numbers = options.relative === false ? undefined : relativeNumbers(events);
  const windows = scaledWindows(events);
  const hostAddresses = new Set(trace.hosts.map((h) => endpointAddress(h.address)));

  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  const transits: number[] = [];
  const transitByPath = new Map<string, number[]>();
  for (const ev of events) {
    start = Math.min(start, ev.t);
    end = Math.max(end, ev.t);
    if ((ev.kind === 'segment' || ev.kind === 'datagram') && ev.arrival !== undefined) {
      end = Math.max(end, ev.arrival);
      const transit = ev.arrival - ev.t;
      transits.push(transit);
      const path = `${endpointAddress(ev.src)}>${endpointAddress(ev.dst)}`;
      const list = transitByPath.get(path);
      if (list) list.push(transit);
      else transitByPath.set(path, [transit]);
    }
  }
  if (!Number.isFinite(start)) start = 0;
  const transit = median(transits.filter((t) => t > 0));

  const lives = socketTracks(trace, (host, socket) => lanes.ofSocket(host, socket), end);
  const trackOf = (host: string, socket: number | undefined) => lives.get(socketKey(host, socket))?.track ?? 0;
  const laneSockets = new Map<number, number>();
  for (const life of lives.values()) {
    laneSockets.set(life.lane, (laneSockets.get(life.lane) ?? 0) + 1);
    const lane = lanes.lanes[life.lane]!;
    lane.tracks = Math.max(lane.tracks, life.track + 1);
  }

  const usualTransit = new Map<string, number>();
  /** Where and when a copy that never arrived was lost. */
  const lossOf = (ev: SegmentEvent | DatagramEvent): Loss | undefined => {
    if (ev.kind === 'segment' && ev.discarded && ev.arrival !== undefined) {
      return { reason: ev.discarded, where: 'receiver', t: ev.arrival };
    }
    if (ev.fate !== 'dropped') return undefined;
    const reason = ev.reason ?? 'lost';
    if (reason === 'no route to host') return { reason, where: 'sender', t: ev.t };
    const key = `${endpointAddress(ev.src)}>${endpointAddress(ev.dst)}`;
    let usual = usualTransit.get(key);
    if (usual === undefined) {
      const path = transitByPath.get(key);
      usual = path ? median(path) : transit;
      usualTransit.set(key, usual);
    }
    return { reason, where: 'link', t: ev.t + Math.round(usual / 2) };
  };

  const segmentItem = (ev: SegmentEvent | DatagramEvent, index: number): SegmentItem => {
    const injected = ev.kind === 'segment' && ev.injected === true;
    const marks: string[] = [];
    const loss = lossOf(ev);
    if (ev.kind === 'segment') {
      if (ev.retransmit) marks.push('rtx');
      if (ev.fate === 'duplicated') marks.push('dup');
      if (injected) marks.push(hostAddresses.has(endpointAddress(ev.src)) ? 'injected' : 'spoofed');
      if (ev.note && ev.note !== ev.discarded && !marks.includes(ev.note)) marks.push(ev.note);
    } else if (ev.fate === 'duplicated') {
      marks.push('dup');
    }
    const window = ev.kind === 'segment' ? windows.get(ev) : undefined;
    let detail: string[] | undefined;
    const item: SegmentItem = {
      kind: 'segment',
      index,
      t: ev.t,
      proto: ev.kind === 'segment' ? 'tcp' : 'udp',
      id: ev.id,
      from: lanes.ofEndpoint(ev.src, injected),
      to: lanes.ofEndpoint(ev.dst),
      flags: ev.kind === 'segment' ? ev.flags.join(',') || 'none' : 'UDP',
      numbers: ev.kind === 'segment' ? numberWords(ev, numbers?.get(ev) ?? ev, window) : [`len=${ev.len}`],
      options: ev.kind === 'segment' && ev.flags.includes('SYN') ? optionWords(ev.options) : [],
      marks,
      // Worded when first read (hover text of a row on screen, the inspector): most rows of a long run never are.
      get detail() {
        detail ??= ev.kind === 'segment' ? segmentDetail(ev, window) : datagramDetail(ev);
        return detail;
      },
      conversation: conversation(ev),
    };
    if (ev.arrival !== undefined) item.arrival = ev.arrival;
    if (loss) item.loss = loss;
    return item;
  };

  const items: Item[] = [];
  const states: StateSpan[] = [];
  const timers: TimerSpan[] = [];
  const openState = new Map<string, StateSpan>();
  const openTimer = new Map<string, TimerSpan>();
  const order = events.map((ev, index) => ({ ev, index })).sort((a, b) => a.ev.t - b.ev.t || a.index - b.index);
  for (const { ev, index } of order) {
    switch (ev.kind) {
      case 'segment':
      case 'datagram':
        items.push(segmentItem(ev, index));
        break;
      case 'state': {
        const lane = lanes.ofSocket(ev.host, ev.socket);
        const socket = socketKey(ev.host, ev.socket);
        const track = trackOf(ev.host, ev.socket);
        const many = (laneSockets.get(lane) ?? 0) > 1;
        items.push({ kind: 'state', index, t: ev.t, lane, track, socket, from: ev.from, to: ev.to, cause: ev.cause, who: many ? whoOf(trace, ev.peer) : '' });
        const open = openState.get(socket);
        if (open) open.to = ev.t;
        if (ev.to === 'CLOSED') {
          openState.delete(socket);
        } else {
          const span: StateSpan = { lane, track, socket, state: ev.to, from: ev.t, to: end };
          states.push(span);
          openState.set(socket, span);
        }
        break;
      }
      case 'call':
        items.push({
          kind: 'call',
          index,
          t: ev.t,
          lane: lanes.ofSocket(ev.host, ev.socket),
          text: callText(ev),
          ok: ev.result === 'ok',
          ...(ev.program !== undefined ? { program: ev.program } : {}),
        });
        break;
      case 'timer': {
        if (!withTimers) break;
        const lane = lanes.ofSocket(ev.host, ev.socket);
        const socket = socketKey(ev.host, ev.socket);
        const key = `${socket} ${ev.timer}`;
        const open = openTimer.get(key);
        if (ev.action === 'set') {
          if (!open) {
            const span: TimerSpan = { lane, track: trackOf(ev.host, ev.socket), socket, timer: ev.timer, from: ev.t, to: end, end: 'pending', index };
            timers.push(span);
            openTimer.set(key, span);
          }
        } else {
          if (open) {
            open.to = ev.t;
            open.end = ev.action === 'fired' ? 'fired' : 'cancelled';
            openTimer.delete(key);
          }
          if (ev.action === 'fired') items.push({ kind: 'timer', index, t: ev.t, lane, timer: ev.timer, text: `${TIMER_LABELS[ev.timer]} fired` });
        }
        break;
      }
    }
  }
  return {
    scenario: trace.scenario,
    profile: trace.profile,
    seed: trace.seed,
    lanes: lanes.lanes,
    items,
    states,
    timers,
    start,
    end,
    transit,
  };
}

/** A peer as a short name on a shared lane: "10.0.0.1:42564" (the address's host name when it has one is added by the caller). */
function whoOf(trace: Trace, peer: string | undefined): string {
  if (peer === undefined) return 'listener';
  const address = endpointAddress(peer);
  const host = trace.hosts.find((h) => h.address === address || h.address === peer);
  const port = endpointPort(peer);
  return host ? `${host.name}${port && host.address !== peer ? `:${port}` : ''}` : peer;
}

export type { TraceEvent };
