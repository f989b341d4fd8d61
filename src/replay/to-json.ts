// The JSON form of a replay report (`synack replay FILE --json`), documented in docs/reading-captures.md.
import type { ReplayReport } from './types.js';

export function reportJson(report: ReplayReport): object {
  return {
    connections: report.connections.map((c) => ({
      a: c.a,
      b: c.b,
      packets: c.packets,
      ...(c.midstream ? { midstream: true } : {}),
      states: c.states,
      final: c.final,
      violations: c.violations.map((v) => ({ packet: v.packet, rule: v.rule, detail: v.detail })),
    })),
    ...(report.warnings.length > 0 ? { warnings: [...report.warnings] } : {}),
  };
}
