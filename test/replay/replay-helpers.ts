// Small helpers shared by the replay tests.
import { replayPackets } from '../../src/replay/replay.js';
import type { ConnectionReport, ObservedPacket, ReplayReport } from '../../src/replay/types.js';

/** The violations of a replay as [rule, frame] pairs, in order. */
export function violations(packets: ObservedPacket[], profile: 'linux' | 'rfc9293' = 'linux'): Array<[string, number]> {
  return replayPackets(packets, { profile }).connections.flatMap((c) => c.violations.map((v) => [v.rule, v.packet] as [string, number]));
}

/** The only connection of a replay (fails the test if there are several). */
export function onlyConnection(report: ReplayReport): ConnectionReport {
  if (report.connections.length !== 1) throw new Error(`expected one connection, got ${report.connections.length}`);
  return report.connections[0]!;
}
