// Capture replay: the TCP packets of a capture (or of a simulated trace) grouped into connections,
// the states of both endpoints inferred packet by packet, and the packets a correct stack would not
// send or a receiver must not accept flagged. docs/reading-captures.md explains the method.
import { PROFILES } from '../tcp/profile.js';
import { ConnectionTable } from './connections.js';
import { MAX_PER_PACKET, PROGRESS_EVERY, type ObservedPacket, type ReplayOptions, type ReplayReport } from './types.js';

function checkPacket(p: unknown, i: number): asserts p is ObservedPacket {
  const where = `replay: packet ${i + 1}`;
  if (typeof p !== 'object' || p === null) throw new Error(`${where} is not an object`);
  const o = p as Partial<ObservedPacket>;
  if (typeof o.frame !== 'number' || typeof o.t !== 'number' || !Number.isFinite(o.t)) {
    throw new Error(`${where} needs a numeric frame and time t (got frame ${String(o.frame)}, t ${String(o.t)})`);
  }
  if (typeof o.src !== 'string' || typeof o.dst !== 'string') throw new Error(`${where} (frame ${o.frame}) needs src and dst addresses`);
  const s = o.segment;
  if (typeof s !== 'object' || s === null || typeof s.seq !== 'number' || typeof s.flags !== 'number' || !(s.payload instanceof Uint8Array)) {
    throw new Error(`${where} (frame ${o.frame}) has no valid TCP segment`);
  }
  if (typeof o.payloadLength !== 'number' || o.payloadLength < s.payload.length) {
    throw new Error(`${where} (frame ${o.frame}): payloadLength ${String(o.payloadLength)} is less than the ${s.payload.length} payload bytes present`);
  }
}

export function replayPackets(packets: ObservedPacket[], options: ReplayOptions = {}): ReplayReport {
  if (!Array.isArray(packets)) throw new Error('replay: expected an array of packets');
  const profileName = options.profile ?? 'linux';
  const profile = PROFILES[profileName];
  if (!profile) throw new Error(`replay: unknown profile "${String(profileName)}" (expected linux or rfc9293)`);
  const maxPerPacket = options.maxPerPacket ?? MAX_PER_PACKET;
  const table = new ConnectionTable(profile, maxPerPacket);
  const warnings: string[] = [];
  let backwards = 0;
  let lastT = Number.NEGATIVE_INFINITY;
  packets.forEach((p, i) => {
    checkPacket(p, i);
    if (p.t < lastT) backwards++;
    lastT = Math.max(lastT, p.t);
    table.advanceTo(p.t);
    const c = table.route(p);
    c.add(p);
    table.touched(c);
    if (options.onProgress && (i + 1) % PROGRESS_EVERY === 0) options.onProgress(i + 1);
  });
  if (backwards > 0) {
    warnings.push(`${backwards} packet${backwards === 1 ? ' has a timestamp' : 's have timestamps'} earlier than the packet before; timers were judged in capture order`);
  }
  for (const c of table.all) warnings.push(...c.gapWarnings);
  const reports = table.all.map((c) => c.report());
  for (const r of reports) {
    if (r.perPacket.length < r.packets) warnings.push(`the report of connection ${r.a} -> ${r.b} keeps the states of its first ${r.perPacket.length} of ${r.packets} packets: its ladder stops there`);
  }
  const oneSided = table.all.filter((c) => c.oneSided());
  if (oneSided.length > 0) {
    const names = oneSided.slice(0, 3).map((c) => `${c.a.model.name} -> ${c.b.model.name}`);
    const more = oneSided.length > 3 ? ` and ${oneSided.length - 3} more` : '';
    warnings.push(`only one direction was captured for ${names.join(', ')}${more}: the other end's states are guesses`);
  }
  return { connections: reports, packets: packets.length, warnings };
}
