// reportJson (src/replay/to-json.ts): the --json form, exactly.
import { describe, expect, it } from 'vitest';
import { reportJson } from '../../src/replay/to-json.js';
import type { ConnectionReport, ReplayReport } from '../../src/replay/types.js';

const conn: ConnectionReport = {
  a: '10.0.0.1:40000',
  b: '10.0.0.2:80',
  packets: 2,
  frames: [1, 2],
  midstream: false,
  states: { '10.0.0.1:40000': ['SYN_SENT'], '10.0.0.2:80': ['SYN_RECEIVED'] },
  final: { '10.0.0.1:40000': 'SYN_SENT', '10.0.0.2:80': 'SYN_RECEIVED' },
  violations: [{ packet: 2, rule: 'synack-wrong-ack', detail: 'x' }],
  perPacket: [{ frame: 1, states: {} }],
};

describe('reportJson', () => {
  it('has exactly a, b, packets, states, final, violations per connection, in that order, and no warnings key when there are none', () => {
    const report: ReplayReport = { connections: [conn], packets: 2, warnings: [] };
    const json = reportJson(report);
    expect(JSON.stringify(json)).toBe(
      JSON.stringify({
        connections: [{ a: conn.a, b: conn.b, packets: 2, states: conn.states, final: conn.final, violations: conn.violations }],
      }),
    );
  });

  it('adds "midstream": true only when true, and the warnings when there are some', () => {
    const report: ReplayReport = { connections: [{ ...conn, midstream: true }], packets: 2, warnings: ['cut by snaplen'] };
    const json = reportJson(report) as { connections: Array<Record<string, unknown>>; warnings?: string[] };
    expect(Object.keys(json.connections[0]!)).toEqual(['a', 'b', 'packets', 'midstream', 'states', 'final', 'violations']);
    expect(json.connections[0]!.midstream).toBe(true);
    expect(json.warnings).toEqual(['cut by snaplen']);
  });
});
