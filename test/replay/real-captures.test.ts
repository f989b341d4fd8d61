// Real Linux captures replay cleanly: the programs of scripts/captures run on lo in a fresh network namespace
// (test/support/netns), tcpdump records them and `ss -tan` gives the kernel's own socket states. The replay must
// find no violation, infer the states Linux went through (written out by hand in scripts/captures/catalog.ts) and
// end each endpoint in the state ss showed at the end. Then single frames of those captures are mutated, and
// each mutation must raise exactly its rule, at the mutated frame.
import { beforeAll, expect, it } from 'vitest';
import { CAPTURES, captureSpec } from '../../scripts/captures/catalog.js';
import { bytesSource, decodeFrame, openCapture } from '../../src/pcap/index.js';
import { packetsFromCapture } from '../../src/replay/from-capture.js';
import { replayPackets } from '../../src/replay/replay.js';
import type { ConnectionReport, ReplayReport, Violation } from '../../src/replay/types.js';
import { ackOfUnsent, dataAfterFin, rstOutOfWindow, tcpFrames, wrongSynAckAck } from '../support/netns/mutate.js';
import type { Mutation, TcpFrame } from '../support/netns/mutate.js';
import { captureResult, endpoints, runCaptures, ssState } from '../support/netns/run-captures.js';
import type { CaptureOutcomes } from '../support/netns/run-captures.js';
import { loopbackAvailable } from '../support/netns/run.js';
import { describeWithTool } from '../support/requires-tool.js';

const available = loopbackAvailable();
const describeLoopback = describeWithTool('root + tcpdump + ip netns', available.ok);

/**
 * The states an endpoint entered, without the one it was in before the capture's first packet: the replay may
 * or may not list that (CLOSED for a client, LISTEN or CLOSED for a server); the catalog never does.
 */
function entered(states: string[] | undefined): string[] {
  const s = states ?? [];
  return s[0] === 'CLOSED' || s[0] === 'LISTEN' ? s.slice(1) : s;
}

function replay(pcap: Uint8Array): ReplayReport {
  return replayPackets(packetsFromCapture(pcap).packets);
}

describeLoopback('real Linux captures', () => {
  let outcomes: CaptureOutcomes = new Map();
  beforeAll(async () => {
    // All programs at once, each in its own namespace: the slowest (lost-syn-ack, 1 s of SYN-ACK timer) sets the pace.
    outcomes = await runCaptures(CAPTURES);
  }, 20_000);
  const pcapOf = (name: string): Uint8Array => captureResult(outcomes, name).pcap;

  for (const spec of CAPTURES) {
    it(`${spec.name}: src/pcap decodes every frame as the independent decoder does (lo checksums read as bad)`, () => {
      const pcap = pcapOf(spec.name);
      const mine = tcpFrames(pcap);
      const frames = [...openCapture(bytesSource(pcap)).frames()];
      expect(frames).toHaveLength(mine.length);
      frames.forEach((frame, i) => {
        const decoded = decodeFrame(frame);
        const expected = mine[i] as TcpFrame;
        expect(frame.index).toBe(expected.index + 1);
        if (decoded.kind !== 'packet') throw new Error(`frame ${frame.index} skipped: ${decoded.reason}`);
        expect(decoded.truncated).toBe(false);
        // Offloaded checksums (only the pseudo-header sum) are wrong on the wire, and must be reported so.
        expect(decoded.checksum, `frame ${frame.index}`).toBe(expected.checksum === 'correct' ? 'ok' : 'bad');
        expect(decoded.packet).toMatchObject({ proto: 'tcp', src: expected.src, dst: expected.dst, segment: expected.segment });
      });
    });

    it(`${spec.name}: replays with no violation, through the states Linux went through, to the states ss showed`, () => {
      const r = captureResult(outcomes, spec.name);
      const { client, server } = endpoints(tcpFrames(r.pcap));
      const { packets } = packetsFromCapture(r.pcap);
      expect(packets).toHaveLength(tcpFrames(r.pcap).length);
      const report: ReplayReport = replayPackets(packets);
      expect(report.connections).toHaveLength(1);
      const conn = report.connections[0];
      if (!conn) return;
      expect(conn.violations).toEqual([]);
      expect([conn.a, conn.b].sort()).toEqual([client, server].sort());
      expect({ client: entered(conn.states[client]), server: entered(conn.states[server]) }).toEqual(spec.states);
      const end = r.ss.end ?? [];
      expect({ client: conn.final[client], server: conn.final[server] }).toEqual({
        client: ssState(end, client, server),
        server: ssState(end, server, client),
      });
      // Nothing ss still shows (besides listeners) is missing from the replay.
      const known = new Set(report.connections.flatMap((c: ConnectionReport) => [`${c.a} ${c.b}`, `${c.b} ${c.a}`]));
      expect(end.filter((s) => s.state !== 'LISTEN' && !known.has(`${s.local} ${s.peer}`))).toEqual([]);
    });
  }

  const MUTATIONS: Array<{ rule: string; mutate: (pcap: Uint8Array) => Mutation; captures: string[] }> = [
    {
      rule: 'synack-wrong-ack',
      mutate: wrongSynAckAck,
      captures: ['echo', 'server-closes-first', 'abort', 'close-with-unread-data', 'half-close', 'simultaneous-close'],
    },
    { rule: 'data-after-fin', mutate: dataAfterFin, captures: ['echo', 'server-closes-first', 'half-close'] },
    { rule: 'rst-out-of-window', mutate: rstOutOfWindow, captures: ['abort', 'close-with-unread-data'] },
    {
      rule: 'ack-of-unsent',
      mutate: ackOfUnsent,
      captures: ['echo', 'server-closes-first', 'abort', 'close-with-unread-data', 'half-close'],
    },
  ];
  for (const { rule, mutate, captures } of MUTATIONS) {
    for (const name of captures) {
      captureSpec(name); // a typo in the table fails at collection
      it(`${name} mutated for ${rule}: exactly that violation, at the mutated frame`, () => {
        const m = mutate(pcapOf(name));
        const violations: Violation[] = replay(m.pcap).connections.flatMap((c) => c.violations);
        expect(
          violations.map((v) => ({ rule: v.rule, frame: v.packet })),
          `${m.what}; violations: ${JSON.stringify(violations)}`,
        ).toEqual([{ rule, frame: m.frame + 1 }]);
      });
    }
  }
});
