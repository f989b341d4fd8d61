// A run's packets as capture files for download, and one packet's frame for the packet inspector's
// hex dump: the same records and writers as `synack run … --pcap` (src/replay/to-capture.ts, src/pcap).
import { ethernetFrame } from '../../../src/pcap/index.js';
import { captureBytes, traceRecordEvents } from '../../../src/replay/to-capture.js';
import type { Trace } from '../../../src/sim/trace.js';

export function pcapBytes(trace: Trace): Uint8Array {
  return captureBytes(trace, 'pcap');
}

export function pcapngBytes(trace: Trace): Uint8Array {
  return captureBytes(trace, 'pcapng');
}

/** Per trace: packet id -> the Ethernet frame the pcap export writes for it. */
const framesCache = new WeakMap<Trace, Map<number, Uint8Array>>();

function framesOf(trace: Trace): Map<number, Uint8Array> {
  let frames = framesCache.get(trace);
  if (!frames) {
    frames = new Map();
    for (const { event, record } of traceRecordEvents(trace)) {
      const ev = trace.events[event]!;
      if (ev.kind === 'segment' || ev.kind === 'datagram') frames.set(ev.id, ethernetFrame(record.packet, record.ipId ?? 0));
    }
    framesCache.set(trace, frames);
  }
  return frames;
}

/**
 * The bytes (Ethernet + IP + TCP/UDP) of the packet at trace.events[eventIndex], exactly as the pcap
 * export writes its frame; a duplicated copy shows its original's frame (the export writes it once).
 * undefined when that event is not a segment or datagram.
 */
export function frameBytes(trace: Trace, eventIndex: number): Uint8Array | undefined {
  const ev = trace.events[eventIndex];
  if (ev?.kind !== 'segment' && ev?.kind !== 'datagram') return undefined;
  return framesOf(trace).get(ev.id);
}
