// The simulator is the replay's oracle: every built-in scenario, both profiles, several seeds. The
// packets of a run (as captures at the sending hosts would hold them) must replay with no violation
// and with, per connection and endpoint, the states the engine recorded — minus only what no packet
// can show (trace-oracle.ts names those kinds). The few endpoints a capture genuinely cannot get right
// are listed below, each with its reason, and what the replay makes of them is pinned down instead.
import { describe, expect, it } from 'vitest';
import type { SegmentEvent, Trace } from '../../src/sim/trace.js';
import { SCENARIOS } from '../../src/scenarios/index.js';
import { packetsFromTrace } from '../../src/replay/from-trace.js';
import { replayPackets } from '../../src/replay/replay.js';
import type { ConnectionReport, ReplayReport } from '../../src/replay/types.js';
import { compareWithTrace } from './trace-oracle.js';

const SEEDS = [1, 2, 3];
const PROFILES = ['linux', 'rfc9293'] as const;

/** An endpoint whose states the packets cannot show as the engine recorded them, and why. */
interface NotInPackets {
  scenario: string;
  /** Which endpoint of which connection. */
  matches(c: ConnectionReport, endpoint: string): boolean;
  /** What the replay infers for it instead (pinned, so a change is noticed): one of these. */
  replay: string[][];
  why: string;
}

const SPOOFED = /^198\.51\.100\.\d+:\d+$/;

const NOT_IN_PACKETS: NotInPackets[] = [
  ...['syn-flood', 'syn-flood-syncookies'].map((scenario) => ({
    scenario,
    matches: (_c: ConnectionReport, endpoint: string) => SPOOFED.test(endpoint),
    replay: [['SYN_SENT', 'CLOSED']],
    why:
      'spoofed SYNs (inject from addresses no host owns): no socket sent them, but on the wire a SYN ' +
      "is a client's SYN, so the replay puts the sender in SYN_SENT; it never retransmits, so the " +
      'replay ends it with a give-up',
  })),
  {
    scenario: 'syn-flood-syncookies',
    matches: (c, endpoint) => endpoint === '10.0.0.2:80' && SPOOFED.test(c.a === endpoint ? c.b : c.a),
    replay: [['SYN_RECEIVED', 'CLOSED'], ['SYN_RECEIVED']],
    why:
      'a SYN-cookie SYN-ACK leaves no socket behind (Linux tcp_conn_request, want_cookie) and looks ' +
      "like any SYN-ACK on the wire (docs/linux-vs-rfc.md section 2): the replay sees a listener's " +
      'child in SYN_RECEIVED, which never retransmits and so is ended with a give-up once the capture ' +
      'runs on past when the retransmission was due',
  },
];

function exceptionFor(scenario: string, c: ConnectionReport, endpoint: string): NotInPackets | undefined {
  return NOT_IN_PACKETS.find((x) => x.scenario === scenario && x.matches(c, endpoint));
}

/**
 * rst-in-window forges segments with the server's address and port (inject): a capture cannot tell
 * them from the server's own. The replay must still get every state right; what it flags is the
 * forgeries the client must ignore (RSTs outside its window as last announced) and the server
 * talking on after RSTs bearing its name (segment-after-reset) — nothing else.
 */
function checkForgeries(trace: Trace, report: ReplayReport): void {
  const segments = trace.events.filter((e): e is SegmentEvent => e.kind === 'segment');
  const isForged = (s: SegmentEvent | undefined): boolean => /^forged|^out-of-window ACK$|^RST at exactly RCV\.NXT$/.test(s?.note ?? '');
  const segment = (frame: number): SegmentEvent | undefined => segments[frame - 1];
  const violations = report.connections.flatMap((c) => c.violations);
  for (const v of violations) {
    const s = segment(v.packet);
    if (v.rule === 'rst-out-of-window') {
      expect(isForged(s), `frame ${v.packet}: ${v.detail}`).toBe(true);
    } else if (v.rule === 'segment-after-reset') {
      // From the server's address, after a forged RST that carried it.
      const forgedRstBefore = segments.slice(0, v.packet - 1).some((e) => isForged(e) && e.src === s?.src && (e.flags as string[]).includes('RST'));
      expect(forgedRstBefore, `frame ${v.packet}: ${v.detail}`).toBe(true);
    } else {
      expect.fail(`unexpected ${v.rule} at frame ${v.packet}: ${v.detail}`);
    }
  }
  const flagged = new Set(violations.filter((v) => v.rule === 'rst-out-of-window').map((v) => segment(v.packet)?.note));
  expect(flagged).toContain('forged RST past the window');
  expect(flagged).toContain('forged RST before the window');
  expect(violations.some((v) => v.rule === 'segment-after-reset')).toBe(true);
}

describe.each(PROFILES)('every built-in scenario replays as the engine ran it (%s)', (profile) => {
  for (const scenario of SCENARIOS) {
    it.each(SEEDS)(`${scenario.name}, seed %i`, async (seed) => {
      const trace = await scenario.run({ profile, seed });
      const packets = packetsFromTrace(trace);
      const report = replayPackets(packets, { profile });
      const skipped: string[] = [];
      const cmp = compareWithTrace(trace, packets, report, (c, endpoint) => {
        const x = exceptionFor(scenario.name, c, endpoint);
        if (!x) return false;
        expect(x.replay, `${endpoint}: ${x.why}`).toContainEqual(c.states[endpoint]);
        skipped.push(endpoint);
        return true;
      });
      expect(cmp.mismatches).toEqual([]);
      expect(cmp.unmatched).toEqual([]);
      // Built-in scenarios lose packets only on purpose; the one thing a capture never shows is a
      // timer running out after its last packet.
      expect(cmp.excused.filter((e) => !e.endsWith(': timer-after-capture'))).toEqual([]);
      if (scenario.name === 'rst-in-window') checkForgeries(trace, report);
      else expect(cmp.violations).toEqual([]);
      if (NOT_IN_PACKETS.some((x) => x.scenario === scenario.name)) expect(skipped.length).toBeGreaterThan(0);
    });
  }
});

describe('the list of what packets cannot show', () => {
  it('names only scenarios that exist', () => {
    const names = new Set(SCENARIOS.map((s) => s.name));
    for (const x of NOT_IN_PACKETS) expect(names.has(x.scenario), x.scenario).toBe(true);
  });
});
