// Turns what hosts and links report into trace events (src/sim/trace.ts, the public format).
import { flagNames, type Segment } from '../wire/segment.js';
import type { StackEvent } from '../tcp/stack.js';
import { traceOption, type CallEvent, type Fate, type SegmentEvent, type DatagramEvent, type Trace, type TraceEvent, type TraceHost } from './trace.js';
import { formatEndpoint } from '../wire/address.js';

/** Base64 without Node's Buffer, so the trace code also runs in a browser. */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  private nextSegmentId = 1;

  segmentId(): number {
    return this.nextSegmentId++;
  }

  segment(
    t: number,
    id: number,
    src: string,
    dst: string,
    seg: Segment,
    fate: Fate,
    extra: { arrival?: number; reason?: string; retransmit?: boolean; note?: string; injected?: boolean },
  ): SegmentEvent {
    const ev: SegmentEvent = {
      t,
      kind: 'segment',
      id,
      src: formatEndpoint(src, seg.srcPort),
      dst: formatEndpoint(dst, seg.dstPort),
      flags: flagNames(seg.flags),
      seq: seg.seq,
      ack: seg.ack,
      len: seg.payload.length,
      win: seg.window,
      options: seg.options.map(traceOption),
      fate,
      ...(extra.arrival !== undefined ? { arrival: extra.arrival } : {}),
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.retransmit ? { retransmit: true } : {}),
      ...(extra.note ? { note: extra.note } : {}),
      ...(extra.injected ? { injected: true } : {}),
      ...(seg.payload.length > 0 ? { payload: toBase64(seg.payload) } : {}),
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
    extra: { arrival?: number; reason?: string },
  ): DatagramEvent {
    const ev: DatagramEvent = {
      t,
      kind: 'datagram',
      id,
      src,
      dst,
      len: payload.length,
      fate,
      ...(extra.arrival !== undefined ? { arrival: extra.arrival } : {}),
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(payload.length > 0 ? { payload: toBase64(payload) } : {}),
    };
    this.events.push(ev);
    return ev;
  }

  /** A state change or timer change reported by a host's TCP stack. Errors are not trace events. */
  stackEvent(t: number, host: string, ev: StackEvent): void {
    const endpoint = formatEndpoint(ev.local.ip, ev.local.port);
    const peer = ev.remote ? { peer: formatEndpoint(ev.remote.ip, ev.remote.port) } : {};
    if (ev.kind === 'state') {
      this.events.push({ t, kind: 'state', host, endpoint, ...peer, socket: ev.socket, from: ev.from, to: ev.to, cause: ev.cause });
    } else if (ev.kind === 'timer') {
      this.events.push({
        t,
        kind: 'timer',
        host,
        endpoint,
        ...peer,
        socket: ev.socket,
        timer: ev.timer,
        action: ev.action,
        ...(ev.deadline !== undefined ? { deadline: ev.deadline } : {}),
      });
    }
  }

  call(ev: CallEvent): void {
    this.events.push(ev);
  }

  toTrace(meta: { scenario: string; profile: string; seed: number; hosts: TraceHost[] }): Trace {
    return { format: 'synack-trace', version: 1, ...meta, events: this.events };
  }
}
