// RFC 9293 3.10 (and 3.1: a reliable, in-order byte stream): the bytes a program reads are the bytes its
// peer's program sent, in order, exactly once. From the trace:
// - the stream on the wire: every copy the sender put on the wire (any fate) places its payload (base64)
//   at offset seq - ISS - 1; two copies must never disagree about an offset's byte, and a payload's length
//   must be its `len`;
// - what arrived: the copies delivered to the receiver, assembled from offset 0; its recv() calls' counts
//   ("N bytes") add up to no more than the contiguous prefix that had arrived by each call (nothing read
//   before it arrived, nothing read twice);
// - what was sent: the sender's ok send()/sendall() counts; the receiver never reads more, and once it read
//   end-of-file ("EOF (0 bytes)") after every send had returned ok, it has read exactly that many, unless
//   the connection was torn down first (a RST, a give-up or an abort: Linux's recv() returns 0 after the
//   ECONNRESET, an end of file that says nothing about the stream).
// Connections are the pairs of sockets (one on each host) whose endpoints name each other; a 4-tuple used
// by more than one socket on a side (TIME_WAIT reuse) is left out, as its incarnations cannot be told apart here.
import type { SegmentEvent, Trace } from '../../sim/trace.js';
import { ByteSpace } from '../byte-space.js';
import { at, type Violation } from '../violation.js';
import { arrived, byteCount, indexTrace, payloadBytes, seqDelta, socketLives, type SocketLife, type TraceIndex } from '../trace-facts.js';

const NAME = 'bytes-delivered';
const RFC = 'RFC 9293 3.10';

export function bytesDelivered(trace: Trace): Violation[] {
  const out: Violation[] = [];
  const fail = (message: string, events: number[]) => out.push({ invariant: NAME, rfc: RFC, message, events });
  const facts = indexTrace(trace);
  const byTuple = new Map<string, SocketLife[]>();
  for (const life of socketLives(trace).values()) {
    if (life.peer === undefined) continue;
    const key = `${life.endpoint} ${life.peer}`;
    byTuple.set(key, [...(byTuple.get(key) ?? []), life]);
  }
  for (const [key, lives] of byTuple) {
    const [src, dst] = key.split(' ') as [string, string];
    const receivers = byTuple.get(`${dst} ${src}`);
    if (lives.length !== 1 || receivers?.length !== 1) continue;
    direction(trace, facts, lives[0]!, receivers[0]!, fail);
  }
  return out;
}

function direction(trace: Trace, facts: TraceIndex, sender: SocketLife, receiver: SocketLife, fail: (m: string, e: number[]) => void): void {
  const all = facts.segmentsFrom(sender.endpoint, receiver.endpoint).filter((s) => !s.seg.injected);
  // The stream starts at the ISN of the sender's last SYN: a listener may answer a SYN twice with different
  // ISNs (a SYN cookie's SYN-ACK lost, then a SYN-ACK from a request sock after the SYN was sent again).
  const syns = all.filter((s) => s.seg.flags.includes('SYN'));
  if (syns.length === 0) return;
  const iss = syns[syns.length - 1]!.seg.seq;
  const from = syns.find((s) => s.seg.seq === iss)!.index;
  const segs = all.filter((s) => s.index >= from);
  // The stream on the wire, as the sender wrote it.
  const stream = new ByteSpace();
  for (const { index, seg } of segs) {
    if (seg.len === 0) continue;
    const bytes = payloadBytes(seg);
    if (seg.payload !== undefined && bytes.length !== seg.len) {
      fail(`${seg.src}: a segment says len ${seg.len} but carries ${bytes.length} bytes (${at(trace, index)})`, [index]);
      continue;
    }
    if (seg.payload === undefined) continue;
    const offset = seqDelta((iss + 1) >>> 0, seg.seq);
    if (offset < 0) continue;
    const o = stream.writeOrCompare(offset, bytes);
    if (o >= 0) {
      const first = firstWriter(segs, iss, o);
      fail(`${seg.src}: byte ${o} of the stream was sent as ${stream.get(o)} (${at(trace, first)}) and again as ${bytes[o - offset]} (${at(trace, index)})`, [first, index]);
      return;
    }
  }
  // Arrivals, in time order, and the receiver's reads against them.
  const arrivals = segs.filter((s) => arrived(s.seg) && s.seg.len > 0).sort((a, b) => a.seg.arrival! - b.seg.arrival! || a.index - b.index);
  const have = new ByteSpace();
  let contiguous = 0;
  let next = 0;
  let read = 0;
  let eof: number | undefined;
  for (const { index, call } of facts.callsOf(receiver.host, receiver.socket)) {
    if (call.call !== 'recv' || call.result !== 'ok') continue;
    for (; next < arrivals.length && arrivals[next]!.seg.arrival! <= call.t; next++) {
      const { seg } = arrivals[next]!;
      const offset = seqDelta((iss + 1) >>> 0, seg.seq);
      have.mark(offset, offset + seg.len);
      contiguous = have.firstGap(contiguous);
    }
    const n = byteCount(call.value) ?? 0;
    if (n === 0) {
      eof ??= index;
      continue;
    }
    read += n;
    if (read > contiguous) {
      fail(`${receiver.host} ${receiver.endpoint}: recv() has returned ${read} bytes in all by ${at(trace, index)}, but only ${contiguous} had arrived in order from ${sender.endpoint}`, [index]);
      return;
    }
  }
  const sends = facts.callsOf(sender.host, sender.socket).filter((c) => c.call.call === 'send' || c.call.call === 'sendall');
  const sent = sends.reduce((sum, c) => sum + (c.call.result === 'ok' ? (byteCount(c.call.value) ?? 0) : 0), 0);
  const allOk = sends.every((c) => c.call.result === 'ok');
  if (read > sent) {
    fail(`${receiver.host} ${receiver.endpoint} read ${read} bytes but ${sender.host}'s program sent ${sent} (${sends.map((c) => at(trace, c.index)).join(', ') || 'no send calls'})`, sends.map((c) => c.index));
  } else if (eof !== undefined && allOk && read !== sent && sends.every((c) => c.index < eof) && !tornDownBefore(receiver, eof)) {
    fail(`${receiver.host} ${receiver.endpoint} read end-of-file (${at(trace, eof)}) after ${read} bytes, but ${sender.host}'s program sent ${sent}`, [eof]);
  }
}

/**
 * The first segment, in trace order, that put a byte at stream offset `o`: one that carried its payload, of the
 * length it says (the loop above skips the others). Looked for only when a byte disagrees.
 */
function firstWriter(segs: ReadonlyArray<{ index: number; seg: SegmentEvent }>, iss: number, o: number): number {
  for (const { index, seg } of segs) {
    if (seg.payload === undefined || seg.len === 0 || payloadBytes(seg).length !== seg.len) continue;
    const offset = seqDelta((iss + 1) >>> 0, seg.seq);
    if (offset >= 0 && offset <= o && o < offset + seg.len) return index;
  }
  return -1;
}

/** The receiving socket's connection ended by a RST, a give-up or an abort before trace event `index`. */
function tornDownBefore(receiver: SocketLife, index: number): boolean {
  return receiver.states.some(({ index: i, event }) => i < index && TORN_DOWN.has(event.cause));
}

const TORN_DOWN: ReadonlySet<string> = new Set(['RCV_RST', 'RETRANSMIT_GIVE_UP', 'ABORT']);
