// The simulator as the replay's oracle: what a trace says each endpoint of each connection went
// through (its `state` events), matched to the replay's connections, with the changes a capture
// cannot show removed — each kind named, with the reason, so a test can list what it excused.
import type { SegmentEvent, Trace } from '../../src/sim/trace.js';
import { connectionKey } from '../../src/replay/connections.js';
import { traceStatesByConnection, type TraceSocketStates } from '../../src/replay/from-trace.js';
import type { ConnectionReport, ObservedPacket, ReplayReport } from '../../src/replay/types.js';
import type { TcpEventType, TcpState } from '../../src/tcp/states.js';
import { nextState } from '../../src/tcp/transitions.js';

/** Why a trace state change is not expected from the packets. */
export type Unobservable =
  /** A timer ran out (TIME_WAIT, orphaned FIN_WAIT_2, retransmission give-up) after the capture's last packet. */
  | 'timer-after-capture'
  /** CLOSE queued a FIN behind unsent data and the FIN never went out: FIN_WAIT_1/LAST_ACK left no trace on the wire. */
  | 'close-without-fin'
  /**
   * CLOSE queued a FIN behind unsent data and the FIN went out only after the peer's FIN was taken
   * in: on the wire the close shows where the FIN does (CLOSE_WAIT then LAST_ACK, not FIN_WAIT_1
   * then CLOSING).
   */
  | 'close-shows-at-fin'
  /**
   * The peer's ACK of our FIN overtook the peer's own earlier FIN on the link: we went FIN_WAIT_2 then
   * TIME_WAIT, but in the order sent (all a capture shows) the FIN came first: CLOSING then TIME_WAIT.
   */
  | 'ack-overtook-fin'
  /**
   * The same with data instead of the FIN: the peer's ACK of our FIN overtook its earlier data, which
   * then found our socket closed and we reset (ABORT from FIN_WAIT_2). In the order sent, the data
   * came first: ABORT from FIN_WAIT_1.
   */
  | 'ack-overtook-data'
  /**
   * The last segment to this endpoint was a RST lost on the link, and the endpoint sent nothing after
   * it: a capture at the sender shows the RST leave and nothing that says it did not arrive.
   */
  | 'last-rst-lost'
  /**
   * The peer sent its FIN at sequence number S, then a RST at S; the FIN was lost and the RST reset
   * us. Had the FIN arrived, Linux would have reset us all the same (tcp_reset_check takes a RST at
   * RCV.NXT - 1 after a FIN), so the capture cannot tell whether CLOSE_WAIT (or CLOSING) came first;
   * the replay takes the FIN as delivered before the RST, as on a loopback capture.
   */
  | 'fin-lost-before-reset';

export interface ExpectedEndpoint {
  endpoint: string;
  peer: string;
  /** Acceptable state lists: the trace's, adjusted; more than one only for 'last-rst-lost'. */
  accept: string[][];
  excused: Unobservable[];
}

const TIMERS = new Set(['TIMEOUT_2MSL', 'FIN_WAIT_2_TIMEOUT', 'RETRANSMIT_GIVE_UP']);

function segmentsOf(trace: Trace): SegmentEvent[] {
  return trace.events.filter((e): e is SegmentEvent => e.kind === 'segment');
}

function hasFlag(s: SegmentEvent, flag: string): boolean {
  return (s.flags as string[]).includes(flag);
}

/** The copies of segment `id` that reached their destination. */
function arrivals(segs: SegmentEvent[], id: number): number[] {
  return segs.filter((s) => s.id === id && s.fate !== 'dropped' && s.arrival !== undefined).map((s) => s.arrival!);
}

/** The segment (first copy) from `from` to `to` that arrived at time `t` and matches `pred`. */
function arrivedAt(segs: SegmentEvent[], from: string, to: string, t: number, pred: (s: SegmentEvent) => boolean): SegmentEvent | undefined {
  return segs.find((s) => s.src === from && s.dst === to && s.fate !== 'dropped' && s.arrival === t && pred(s));
}

interface Step {
  cause: string;
  t: number;
  /** Position in trace.events (orders events at the same instant). */
  pos: number;
  to: string;
}

/** Runs the causes through the statechart again from `initial` (after steps were moved or removed). */
function rerun(initial: string, steps: Step[]): Step[] {
  let state = initial as TcpState;
  return steps.map((st) => {
    const to = nextState(state, st.cause as TcpEventType) ?? (st.to as TcpState);
    state = to;
    return { ...st, to };
  });
}

function adjust(
  socket: TraceSocketStates | undefined,
  endpoint: string,
  peer: string,
  conn: { segs: SegmentEvent[]; lastT: number; position: Map<object, number> },
): ExpectedEndpoint {
  const excused = new Set<Unobservable>();
  const initial = socket?.events[0]?.from ?? 'CLOSED';
  let steps: Step[] = (socket?.events ?? []).map((e) => ({ cause: e.cause, t: e.t, pos: conn.position.get(e)!, to: e.to }));
  const before = steps.length;
  steps = steps.filter((e) => !(TIMERS.has(e.cause) && e.t > conn.lastT));
  if (steps.length < before) excused.add('timer-after-capture');

  const fromHere = conn.segs.filter((s) => s.src === endpoint && s.dst === peer);
  const toHere = conn.segs.filter((s) => s.src === peer && s.dst === endpoint);
  const close = steps.find((e) => e.cause === 'CLOSE' && (e.to === 'FIN_WAIT_1' || e.to === 'LAST_ACK'));
  if (close) {
    const fin = fromHere.find((s) => hasFlag(s, 'FIN'));
    if (!fin) {
      steps = rerun(initial, steps.filter((e) => e !== close));
      excused.add('close-without-fin');
    } else {
      const finPos = conn.position.get(fin)!;
      const between = steps.filter((e) => e.pos > close.pos && e.pos < finPos);
      if (between.length > 0) {
        const moved = { ...close, pos: finPos - 0.5 };
        steps = rerun(initial, [...steps.filter((e) => e !== close), moved].sort((x, y) => x.pos - y.pos));
        excused.add('close-shows-at-fin');
      }
    }
  }

  let states = steps.map((e) => e.to);
  // FIN_WAIT_1 -RCV_ACK_OF_FIN-> FIN_WAIT_2, then the effect of a segment the peer sent BEFORE that
  // ACK but that arrived after it: RCV_FIN (-> TIME_WAIT) or, for data reaching a closed socket, ABORT.
  const ourFin = fromHere.find((s) => hasFlag(s, 'FIN'));
  // (A segment that itself acknowledges our FIN takes us through FIN_WAIT_2 in any order.)
  const acksOurFin = (s: SegmentEvent): boolean => ourFin !== undefined && hasFlag(s, 'ACK') && ((s.ack - (ourFin.seq + ourFin.len)) | 0) > 0;
  for (let i = 0; i + 1 < steps.length; i++) {
    const ack = steps[i]!;
    const next = steps[i + 1]!;
    if (ack.cause !== 'RCV_ACK_OF_FIN' || ack.to !== 'FIN_WAIT_2') continue;
    const ackSeg = arrivedAt(conn.segs, peer, endpoint, ack.t, (s) => !hasFlag(s, 'RST') && acksOurFin(s));
    if (!ackSeg) continue;
    if (next.cause === 'RCV_FIN' && next.to === 'TIME_WAIT') {
      const finSeg = arrivedAt(conn.segs, peer, endpoint, next.t, (s) => hasFlag(s, 'FIN'));
      if (finSeg && finSeg.id < ackSeg.id && !acksOurFin(finSeg)) {
        states = [...states.slice(0, i), 'CLOSING', ...states.slice(i + 1)];
        excused.add('ack-overtook-fin');
      }
    } else if (next.cause === 'ABORT' && next.to === 'CLOSED') {
      const dataSeg = arrivedAt(conn.segs, peer, endpoint, next.t, (s) => s.len > 0);
      if (dataSeg && dataSeg.id < ackSeg.id && !acksOurFin(dataSeg)) {
        states = [...states.slice(0, i), ...states.slice(i + 1)];
        excused.add('ack-overtook-data');
      }
    }
  }

  const accept = [states];
  // The final RST at the very sequence number of a FIN of the peer's that was lost.
  const last = steps[steps.length - 1];
  if (last && last.cause === 'RCV_RST' && last.to === 'CLOSED') {
    const rst = arrivedAt(conn.segs, peer, endpoint, last.t, (s) => hasFlag(s, 'RST'));
    const lostFin = rst && toHere.find((s) => hasFlag(s, 'FIN') && s.id < rst.id && ((s.seq + s.len) >>> 0) === rst.seq && arrivals(conn.segs, s.id).length === 0);
    const before = steps.length >= 2 ? steps[steps.length - 2]!.to : initial;
    const afterFin = nextState(before as TcpState, 'RCV_FIN');
    if (lostFin && afterFin && afterFin !== before) {
      accept.push([...states.slice(0, -1), afterFin, 'CLOSED']);
      excused.add('fin-lost-before-reset');
    }
  }
  // The last thing sent to this endpoint is a RST that was lost, and it sent nothing after.
  const lastTo = toHere[toHere.length - 1];
  const lastFrom = fromHere[fromHere.length - 1];
  if (lastTo && hasFlag(lastTo, 'RST') && arrivals(conn.segs, lastTo.id).length === 0 && (!lastFrom || lastFrom.t <= lastTo.t) && states[states.length - 1] !== 'CLOSED') {
    accept.push([...states, 'CLOSED']);
    excused.add('last-rst-lost');
  }
  return { endpoint, peer, accept, excused: [...excused] };
}

export interface Comparison {
  /** One line per endpoint whose replayed states match none of the acceptable lists. */
  mismatches: string[];
  /** One line per violation the replay raised. */
  violations: string[];
  /** Trace sockets with state changes that no replayed connection accounts for. */
  unmatched: string[];
  /** What was excused, per endpoint ("ip:port: reason"). */
  excused: string[];
}

/**
 * Compares the replay of `trace` with the trace's own states. `packets` are packetsFromTrace(trace).
 * Each replayed connection takes the trace sockets of its 4-tuple whose first state change falls in
 * its time span (from its first packet to the first packet of the next connection on the 4-tuple).
 * `skip(report, endpoint)` leaves an endpoint out (for the documented spoofed and SYN-cookie cases).
 */
export function compareWithTrace(
  trace: Trace,
  packets: ObservedPacket[],
  report: ReplayReport,
  skip: (c: ConnectionReport, endpoint: string) => boolean = () => false,
): Comparison {
  const out: Comparison = { mismatches: [], violations: [], unmatched: [], excused: [] };
  const byFrame = new Map(packets.map((p) => [p.frame, p]));
  const segs = segmentsOf(trace);
  const lastT = packets.length > 0 ? packets[packets.length - 1]!.t : 0;
  const sockets = traceStatesByConnection(trace);
  const position = new Map<object, number>(trace.events.map((e, i) => [e, i]));
  const used = new Set<TraceSocketStates>();
  report.connections.forEach((c, i) => {
    const key = connectionKey(c.a, c.b);
    const t0 = byFrame.get(c.frames[0]!)!.t;
    const next = report.connections.slice(i + 1).find((d) => connectionKey(d.a, d.b) === key);
    const t1 = next ? byFrame.get(next.frames[0]!)!.t : Number.POSITIVE_INFINITY;
    const conn = { segs: connSegsOf(segs, c), lastT, position };
    for (const [endpoint, peer] of [
      [c.a, c.b],
      [c.b, c.a],
    ] as const) {
      const candidates = (sockets.get(key) ?? []).filter((s) => s.endpoint === endpoint && s.peer === peer && s.events[0]!.t >= t0 && s.events[0]!.t < t1);
      candidates.forEach((s) => used.add(s));
      if (skip(c, endpoint)) continue;
      if (candidates.length > 1) {
        out.mismatches.push(`${endpoint}: ${candidates.length} trace sockets in one replayed connection`);
        continue;
      }
      const expected = adjust(candidates[0], endpoint, peer, conn);
      for (const why of expected.excused) out.excused.push(`${endpoint}: ${why}`);
      const got = c.states[endpoint] ?? [];
      if (!expected.accept.some((a) => JSON.stringify(a) === JSON.stringify(got))) {
        out.mismatches.push(`${endpoint} (peer ${peer}): trace ${expected.accept.map((a) => a.join(',')).join(' or ')} | replay ${got.join(',')}`);
      }
    }
    for (const v of c.violations) out.violations.push(`${c.a} <-> ${c.b} frame ${v.packet} ${v.rule}: ${v.detail}`);
  });
  for (const list of sockets.values()) {
    for (const s of list) {
      if (!used.has(s)) out.unmatched.push(`${s.host} ${s.endpoint} peer ${s.peer}: ${s.events.map((e) => e.to).join(',')}`);
    }
  }
  return out;
}

/** The segment events (every copy) of one replayed connection: those whose first copy is one of its frames. */
function connSegsOf(segs: SegmentEvent[], c: ConnectionReport): SegmentEvent[] {
  const frames = new Set(c.frames);
  const ids = new Set<number>();
  segs.forEach((s, k) => {
    if (frames.has(k + 1)) ids.add(s.id);
  });
  return segs.filter((s) => ids.has(s.id));
}
