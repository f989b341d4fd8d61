// Runs capture programs of scripts/captures all at once and keeps each outcome, so one failing program fails its
// own tests (with its error) and the others still run to the end and clean up.
import { loopbackRunFor } from '../../../scripts/captures/catalog.js';
import type { CaptureSpec } from '../../../scripts/captures/catalog.js';
import { runOnLoopback } from './run.js';
import type { LoopbackResult } from './run.js';
import type { SsSocket } from './ss.js';
import type { TcpFrame } from './mutate.js';
import { ACK, SYN } from '../../../src/wire/segment.js';

export type CaptureOutcomes = Map<string, PromiseSettledResult<LoopbackResult>>;

export async function runCaptures(specs: readonly CaptureSpec[]): Promise<CaptureOutcomes> {
  const settled = await Promise.allSettled(specs.map((c) => runOnLoopback(loopbackRunFor(c))));
  return new Map(specs.map((c, i) => [c.name, settled[i] as PromiseSettledResult<LoopbackResult>]));
}

/** The result of `name`'s run; throws its error if it failed. */
export function captureResult(outcomes: CaptureOutcomes, name: string): LoopbackResult {
  const o = outcomes.get(name);
  if (!o) throw new Error(`capture program ${name} was not run`);
  if (o.status === 'rejected') throw o.reason instanceof Error ? o.reason : new Error(String(o.reason));
  return o.value;
}

/** The two ends of the (first) connection, "ip:port", from its first SYN: the client sent it. */
export function endpoints(frames: TcpFrame[]): { client: string; server: string } {
  const syn = frames.find((f) => (f.segment.flags & (SYN | ACK)) === SYN);
  if (!syn) throw new Error('the capture has no SYN');
  return { client: `${syn.src}:${syn.segment.srcPort}`, server: `${syn.dst}:${syn.segment.dstPort}` };
}

/** The state of `local`'s socket connected to `peer` in one ss listing; CLOSED when there is none. */
export function ssState(ss: SsSocket[], local: string, peer: string): string {
  return ss.find((s) => s.local === local && s.peer === peer)?.state ?? 'CLOSED';
}
