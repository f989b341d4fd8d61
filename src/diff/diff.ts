// Two normalised runs compared: connection by connection (matched by key), and within a connection each
// direction as its own ordered stream. Segments going opposite ways may swap places between two correct
// runs (who sends first after a shared instant is a race), but one end's segments come in the order it
// sent them, so element k of A's stream is compared with element k of B's.
import type { NormalSegment, Normalised } from './normalise.js';

export interface DiffOptions {
  /** Allowed |tA - tB| for a segment at time t (µs). Default: 30 ms + 3% of t. */
  tolerance?: (t: number) => number;
  /** Compare times at all (default true). */
  time?: boolean;
}

export type DivergenceField = 'missing' | 'extra' | 'flags' | 'seq' | 'ack' | 'len' | 'options' | 'win' | 'time' | 'connection';

export interface Divergence {
  /** Which stream: the connection key and the role of the sender. */
  conn: string;
  from: string;
  /** 0-based position in that direction's stream. */
  index: number;
  /** 'missing': A has the segment, B does not; 'extra': B has it, A does not; 'connection': the connection is on one side only. */
  field: DivergenceField;
  a?: NormalSegment;
  b?: NormalSegment;
  /** One readable line with the numbers, e.g. "ack: A 1, B 6". */
  detail: string;
}

/** 30 ms for scheduling and wake-up jitter, plus 3% for timers that run a little late (HZ, slack). */
export const DEFAULT_TOLERANCE = (t: number): number => 30_000 + 0.03 * t;

/** Seconds with 3 decimals: 1_003_000 -> "1.003". */
export function seconds(t: number): string {
  return (t / 1e6).toFixed(3);
}

/** "SYN-ACK seq 0 ack 1 len 0 at 0.001 s". */
export function describeSegment(s: NormalSegment): string {
  return `${s.flags} seq ${s.seq}${s.ack !== undefined ? ` ack ${s.ack}` : ''} len ${s.len}${s.retransmit ? ' (retransmission)' : ''} at ${seconds(s.t)} s`;
}

/** Segments of each connection, per direction, in input order; connections and directions in order of first appearance. */
export function streams(n: Normalised): Map<string, Map<string, NormalSegment[]>> {
  const out = new Map<string, Map<string, NormalSegment[]>>();
  for (const s of n.segments) {
    let conn = out.get(s.conn);
    if (!conn) out.set(s.conn, (conn = new Map()));
    let dir = conn.get(s.from);
    if (!dir) conn.set(s.from, (dir = []));
    dir.push(s);
  }
  return out;
}

/** When a divergence can first be seen: the earlier of the two segments. */
export function divergenceTime(d: Divergence): number {
  return Math.min(d.a?.t ?? Number.POSITIVE_INFINITY, d.b?.t ?? Number.POSITIVE_INFINITY);
}

const show = (v: number | undefined): string => (v === undefined ? 'none' : String(v));

/** The first field in which two segments at the same place of a stream differ, with its detail line. */
function compareSegments(a: NormalSegment, b: NormalSegment, options: DiffOptions): Pick<Divergence, 'field' | 'detail'> | undefined {
  if (a.flags !== b.flags) return { field: 'flags', detail: `flags: A ${a.flags}, B ${b.flags}` };
  if (a.seq !== b.seq) return { field: 'seq', detail: `seq: A ${a.seq}, B ${b.seq}` };
  if (a.ack !== b.ack) return { field: 'ack', detail: `ack: A ${show(a.ack)}, B ${show(b.ack)}` };
  if (a.len !== b.len) return { field: 'len', detail: `len: A ${a.len}, B ${b.len}` };
  if (a.options !== b.options) return { field: 'options', detail: `options: A ${a.options || '(none)'}, B ${b.options || '(none)'}` };
  if (a.win !== b.win) return { field: 'win', detail: `win: A ${show(a.win)}, B ${show(b.win)}` };
  if (options.time !== false) {
    const tolerance = (options.tolerance ?? DEFAULT_TOLERANCE)(Math.max(a.t, b.t));
    if (Math.abs(a.t - b.t) > tolerance) {
      return { field: 'time', detail: `time: A ${seconds(a.t)} s, B ${seconds(b.t)} s (tolerance ±${seconds(tolerance)} s)` };
    }
  }
  return undefined;
}

/** The first divergence of one direction's stream, if any. */
function compareStreams(conn: string, from: string, as: readonly NormalSegment[], bs: readonly NormalSegment[], options: DiffOptions): Divergence | undefined {
  for (let k = 0; k < Math.max(as.length, bs.length); k++) {
    const a = as[k];
    const b = bs[k];
    if (a && b) {
      const found = compareSegments(a, b, options);
      if (found) return { conn, from, index: k, field: found.field, a, b, detail: found.detail };
    } else if (a) {
      return { conn, from, index: k, field: 'missing', a, detail: `missing: A sent ${describeSegment(a)}; B sent nothing more from ${from}` };
    } else if (b) {
      return { conn, from, index: k, field: 'extra', b, detail: `extra: B sent ${describeSegment(b)}; A sent nothing more from ${from}` };
    }
  }
  return undefined;
}

function onlyOnOneSide(conn: string, side: 'A' | 'B', segments: Map<string, NormalSegment[]>, otherUnmatched: string[]): Divergence {
  const all = [...segments.values()].flat().sort((x, y) => x.t - y.t);
  const first = all[0]!;
  const others = otherUnmatched.length === 0
    ? `${side === 'A' ? 'B' : 'A'} has no connection left unmatched`
    : `${side === 'A' ? 'B' : 'A'} has ${otherUnmatched.slice(0, 3).join(', ')}${otherUnmatched.length > 3 ? ` and ${otherUnmatched.length - 3} more` : ''}`;
  return {
    conn,
    from: first.from,
    index: 0,
    field: 'connection',
    ...(side === 'A' ? { a: first } : { b: first }),
    detail: `connection: ${conn} only in ${side} (${all.length} segment${all.length === 1 ? '' : 's'} from ${seconds(first.t)} s); ${others}`,
  };
}

/** Every stream's first divergence, sorted by time (first divergence first); [] when A and B are the same. */
export function diffNormalised(a: Normalised, b: Normalised, options: DiffOptions = {}): Divergence[] {
  const sa = streams(a);
  const sb = streams(b);
  const onlyA = [...sa.keys()].filter((k) => !sb.has(k));
  const onlyB = [...sb.keys()].filter((k) => !sa.has(k));
  const found: Divergence[] = [];
  for (const conn of onlyA) found.push(onlyOnOneSide(conn, 'A', sa.get(conn)!, onlyB));
  for (const conn of onlyB) found.push(onlyOnOneSide(conn, 'B', sb.get(conn)!, onlyA));
  for (const [conn, dirsA] of sa) {
    const dirsB = sb.get(conn);
    if (!dirsB) continue;
    const directions = [...new Set([...dirsA.keys(), ...dirsB.keys()])];
    for (const from of directions) {
      const d = compareStreams(conn, from, dirsA.get(from) ?? [], dirsB.get(from) ?? [], options);
      if (d) found.push(d);
    }
  }
  // A stable sort: divergences at one instant keep the order of their connections and directions.
  return found.sort((x, y) => divergenceTime(x) - divergenceTime(y));
}
