// The capture programs of scripts/captures run for real: each exits cleanly, its hand-written state sequences
// agree with what `ss` showed at every mark, its capture decodes frame by frame with src/wire, and the mutation
// helpers change exactly the frame they name. Also records kernel facts the replay depends on.
import { beforeAll, expect, it } from 'vitest';
import { CAPTURES, captureSpec } from '../../../scripts/captures/catalog.js';
import type { CaptureSpec } from '../../../scripts/captures/catalog.js';
import { ACK, FIN, RST, SYN } from '../../../src/wire/segment.js';
import { seqAdd } from '../../../src/wire/seq.js';
import { describeWithTool } from '../requires-tool.js';
import { ackOfUnsent, dataAfterFin, rstOutOfWindow, tcpFrames, wrongSynAckAck } from './mutate.js';
import type { Mutation, TcpFrame } from './mutate.js';
import { readPcap } from './pcap-file.js';
import { loopbackAvailable } from './run.js';
import type { LoopbackResult } from './run.js';
import { captureResult, endpoints, runCaptures, ssState } from './run-captures.js';
import type { CaptureOutcomes } from './run-captures.js';

const available = loopbackAvailable();
const describeLoopback = describeWithTool('root + tcpdump + ip netns', available.ok);

/** True when `seen` (with repeats) follows the order of `sequence`. */
function followsInOrder(seen: string[], sequence: string[]): boolean {
  let at = 0;
  for (const s of seen) {
    while (at < sequence.length && sequence[at] !== s) at++;
    if (at === sequence.length) return false;
  }
  return true;
}

describeLoopback('capture programs on a real kernel', () => {
  let outcomes: CaptureOutcomes = new Map();
  beforeAll(async () => {
    outcomes = await runCaptures(CAPTURES);
  }, 20_000);
  const result = (c: CaptureSpec): LoopbackResult => captureResult(outcomes, c.name);

  for (const c of CAPTURES) {
    it(`${c.name}: ss at every mark agrees with the expected state sequences`, () => {
      const r = result(c);
      const { client, server } = endpoints(tcpFrames(r.pcap));
      expect(server).toBe(`127.0.0.1:${c.port}`);
      const marks = Object.keys(r.ss);
      expect(marks.at(-1)).toBe('end');
      const seenClient = marks.map((m) => ssState(r.ss[m] ?? [], client, server));
      const seenServer = marks.map((m) => ssState(r.ss[m] ?? [], server, client));
      const detail = `marks ${marks.join(', ')}: client ${seenClient.join(', ')}; server ${seenServer.join(', ')}`;
      expect(followsInOrder(seenClient, ['CLOSED', ...c.states.client]), detail).toBe(true);
      expect(followsInOrder(seenServer, ['CLOSED', ...c.states.server]), detail).toBe(true);
      expect(seenClient.at(-1), detail).toBe(c.states.client.at(-1) ?? 'CLOSED');
      expect(seenServer.at(-1), detail).toBe(c.states.server.at(-1) ?? 'CLOSED');
    });
  }

  it('every captured frame is TCP on port 5000 and decodes; lo leaves the checksums of socket output offloaded', () => {
    for (const c of CAPTURES) {
      const r = result(c);
      const file = readPcap(r.pcap);
      const frames = tcpFrames(r.pcap);
      expect(file.linkType).toBe(1);
      expect(frames).toHaveLength(file.records.length);
      for (const f of frames) {
        expect([f.segment.srcPort, f.segment.dstPort], c.name).toContain(c.port);
        // A socket's segments carry only the pseudo-header sum, which lo never completes (CHECKSUM_PARTIAL);
        // the RST for a port without a socket comes from the namespace's control socket
        // (tcp_v4_send_reset() -> ip_send_unicast_reply()), whose checksum is computed in software.
        const noSocketRst = c.name === 'connection-refused' && (f.segment.flags & RST) !== 0;
        expect(f.checksum, `${c.name} frame ${f.index}`).toBe(noSocketRst ? 'correct' : 'offloaded');
      }
    }
  });

  it('connection-refused: the RST-ACK has seq 0, acks the SYN, and window 0', () => {
    const [syn, rst, ...rest] = tcpFrames(result(captureSpec('connection-refused')).pcap);
    expect(rest).toEqual([]);
    expect(rst?.segment).toMatchObject({ flags: RST | ACK, seq: 0, ack: seqAdd(syn?.segment.seq ?? 0, 1), window: 0 });
  });

  it('lost-syn-ack: the dropped SYN-ACK is in the capture, and the same SYN-ACK comes again about 1 s later', () => {
    const frames = tcpFrames(result(captureSpec('lost-syn-ack')).pcap);
    const file = readPcap(result(captureSpec('lost-syn-ack')).pcap);
    const synAcks = frames.filter((f) => (f.segment.flags & (SYN | ACK)) === (SYN | ACK));
    const syns = frames.filter((f) => (f.segment.flags & (SYN | ACK)) === SYN);
    expect(synAcks.length).toBeGreaterThanOrEqual(2);
    expect(syns.length).toBeGreaterThanOrEqual(2);
    expect(new Set(synAcks.map((f) => f.segment.seq)).size).toBe(1);
    const time = (f: TcpFrame): number => {
      const rec = file.records[f.index];
      return rec ? rec.seconds + rec.fraction / 1e6 : NaN;
    };
    const gap = time(synAcks[1] as TcpFrame) - time(synAcks[0] as TcpFrame);
    expect(gap).toBeGreaterThan(0.99);
    expect(gap).toBeLessThan(1.5);
  });

  it('simultaneous-close: both FINs are sent before either end has seen the other\'s', () => {
    const frames = tcpFrames(result(captureSpec('simultaneous-close')).pcap);
    const fins = frames.filter((f) => (f.segment.flags & FIN) !== 0);
    const [first, second] = fins;
    expect(first && second && first.src === second.src && first.segment.srcPort === second.segment.srcPort).toBe(false);
    // The second FIN does not acknowledge the first: its sender had not received it.
    expect(second?.segment.ack).toBe(first?.segment.seq);
  });

  const mutations: Array<[string, (p: Uint8Array) => Mutation, (before: TcpFrame, after: TcpFrame) => void]> = [
    ['wrongSynAckAck', wrongSynAckAck, (b, a) => expect(a.segment.ack).toBe(seqAdd(b.segment.ack, 1000))],
    ['dataAfterFin', dataAfterFin, (b, a) => expect(new TextDecoder().decode(a.segment.payload)).toBe('oops')],
    ['ackOfUnsent', ackOfUnsent, (b, a) => expect(a.segment.ack).toBe(seqAdd(b.segment.ack, 100000))],
  ];
  for (const [name, mutate, check] of mutations) {
    it(`${name} changes one frame of the echo capture, with correct checksums, and leaves the others alone`, () => {
      const original = result(captureSpec('echo')).pcap;
      const m = mutate(original);
      const before = tcpFrames(original);
      const after = tcpFrames(m.pcap);
      expect(after).toHaveLength(before.length);
      after.forEach((f, i) => {
        const b = before[i] as TcpFrame;
        if (f.index === m.frame) {
          check(b, f);
          expect(f.checksum).toBe('correct');
        } else {
          expect(f).toEqual(b);
        }
      });
    });
  }

  it('rstOutOfWindow moves the abort capture\'s RST 2^30 ahead', () => {
    const original = result(captureSpec('abort')).pcap;
    const m = rstOutOfWindow(original);
    const b = tcpFrames(original)[m.frame] as TcpFrame;
    const a = tcpFrames(m.pcap)[m.frame] as TcpFrame;
    expect(b.segment.flags & RST).toBe(RST);
    expect(a.segment.seq).toBe(seqAdd(b.segment.seq, 0x40000000));
    expect({ ...a.segment, seq: 0 }).toEqual({ ...b.segment, seq: 0 });
  });
});
