// Property: a connection whose sequence numbers cross 2^32 works (RFC 9293 3.4: all arithmetic is
// modulo 2^32). Two Connection objects with initial sequence numbers just below 2^32 exchange
// data both ways through the test Pair (the World draws ISNs from its PRNG, so it cannot place
// them). Whatever the loss, delay and the receiver's reading pace:
//   - the bytes arrive intact, in order, once, both ways, and both ends close cleanly;
//   - SND.UNA <= SND.NXT <= SND.MAX at every step, SND.UNA and RCV.NXT only move forward (in
//     sequence space), and the final SND.UNA is ISS + 1 + bytes + 1 (SYN and FIN), wrapped;
//   - the ACK numbers a side sends never go backwards and never acknowledge unsent data;
//   - the right edge of the advertised window (ACK + scaled window) never moves left (RFC 9293
//     3.8.6), and the sender never sends beyond the largest edge it was offered.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LINUX, RFC9293, type Profile } from '../../src/tcp/profile.js';
import { ACK, FIN, RST, SYN } from '../../src/wire/segment.js';
import { seqAdd, seqDiff, seqGe, seqLe, type Seq } from '../../src/wire/seq.js';
import { concatBytes, fcOptions, firstDifference, patternBytes, probabilityArb } from './harness.js';
import { Pair, type Fate, type Side } from './pair.js';

const TWO_32 = 2 ** 32;

interface WrapCase {
  profile: Profile;
  /** ISS = 2^32 - before: the SYN or the data crosses the wrap. */
  clientBefore: number;
  serverBefore: number;
  /** Bytes client -> server and server -> client (each at least `before`, so the data wraps). */
  up: number;
  down: number;
  latency: number;
  lossRate: number;
  delayRate: number;
  /** Seeds the drop/delay decisions. */
  faultSeed: number;
  /** How much each send() call offers. */
  writeChunk: number;
  /** The chance that the server reads after a step, and how much it reads (a slow reader closes the window). */
  readChance: number;
  readMax: number;
}

const beforeArb = fc.oneof(fc.constantFrom(1, 2, 16, 1448, 1449, 65535), fc.integer({ min: 1, max: 8000 }));

const caseArb: fc.Arbitrary<WrapCase> = fc
  .record({
    profile: fc.constantFrom(LINUX, RFC9293),
    clientBefore: beforeArb,
    serverBefore: beforeArb,
    upExtra: fc.integer({ min: 0, max: 120_000 }),
    downExtra: fc.integer({ min: 0, max: 20_000 }),
    latency: fc.integer({ min: 100, max: 30_000 }),
    lossRate: probabilityArb(0.15),
    delayRate: probabilityArb(0.2),
    faultSeed: fc.integer({ min: 1, max: 0x7fffffff }),
    writeChunk: fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 70_000 })),
    readChance: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 100 }).map((k) => k / 100)),
    readMax: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 70_000 })),
  })
  .map(({ upExtra, downExtra, ...c }) => ({ ...c, up: c.clientBefore + upExtra, down: c.serverBefore + downExtra }));

/** A small deterministic stream of numbers in [0, 1) for the fault and reading decisions. */
function stream(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / TWO_32;
  };
}

interface Run {
  pair: Pair;
  upData: Uint8Array;
  downData: Uint8Array;
  upGot: Uint8Array;
  downGot: Uint8Array;
  /** Invariant violations seen while driving. */
  problems: string[];
}

function runWrap(c: WrapCase): Run {
  const faults = stream(c.faultSeed);
  const fate = (): Fate => {
    const lose = faults() < c.lossRate;
    const delay = faults() < c.delayRate;
    const amount = Math.floor(faults() * 3 * c.latency);
    return lose ? { kind: 'drop' } : { kind: 'deliver', extraDelay: delay ? amount : 0 };
  };
  const pair = new Pair({ profile: c.profile, clientIss: TWO_32 - c.clientBefore, serverIss: TWO_32 - c.serverBefore, latency: c.latency, fate });
  const upData = patternBytes(c.up, c.faultSeed);
  const downData = patternBytes(c.down, c.faultSeed ^ 0xabcdef);
  const reads = stream(c.faultSeed ^ 0x1234567);
  const got: Record<Side, Uint8Array[]> = { client: [], server: [] };
  const written: Record<Side, number> = { client: 0, server: 0 };
  const toSend: Record<Side, Uint8Array> = { client: upData, server: downData };
  const problems: string[] = [];
  const last: Record<Side, { sndUna: Seq; rcvNxt: Seq } | undefined> = { client: undefined, server: undefined };

  // The server reads at most readMax bytes at a time (at least 1/1000 of the transfer, to bound the
  // number of steps), after a step with probability readChance, and 5 ms after data was left unread.
  const readMax = Math.max(c.readMax, Math.ceil(c.up / 1000));
  const serverRead = () => {
    const chunk = pair.server.read(pair.now, readMax);
    if (chunk.length > 0) got.server.push(chunk);
  };
  let wakePending = false;
  const app = () => {
    for (const side of ['client', 'server'] as const) {
      const conn = pair.conn(side);
      const now = pair.now;
      // Write while the send buffer takes data, then close (a FIN after the data).
      if (conn.state === 'ESTABLISHED' || conn.state === 'CLOSE_WAIT') {
        const data = toSend[side];
        // At most ~2000 send() calls per direction: the send buffer keeps each write as a chunk
        // and walks them to read, so a 100 KB transfer written a byte at a time is slow to simulate.
        const chunk = Math.max(c.writeChunk, Math.ceil(data.length / 2000));
        while (written[side] < data.length) {
          const n = conn.send(now, data.subarray(written[side], written[side] + chunk));
          if (n === 0) break;
          written[side] += n;
        }
        if (written[side] === data.length) conn.closeWrite(now);
      }
      // Read: the client always, the server at its pace. A reader with data waiting comes back
      // later even if nothing happens on the wire (an application polling its socket).
      if (side === 'client') {
        for (let chunk = conn.read(now, 65536); chunk.length > 0; chunk = conn.read(now, 65536)) got.client.push(chunk);
      } else if (reads() < c.readChance) {
        serverRead();
      }
      if (side === 'server' && conn.receiveBuffer.readable > 0 && !wakePending) {
        wakePending = true;
        pair.at(now + 5_000, () => {
          wakePending = false;
          serverRead();
        });
      }
      // Invariants of the send and receive sequence variables, modulo 2^32.
      const where = `${side} at t=${now}`;
      if (!seqLe(conn.sndUna, conn.sndNxt) || !seqLe(conn.sndNxt, conn.sndMax)) {
        problems.push(`${where}: SND.UNA ${conn.sndUna} <= SND.NXT ${conn.sndNxt} <= SND.MAX ${conn.sndMax} broken`);
      }
      const prev = last[side];
      if (prev && conn.state !== 'CLOSED' && conn.state !== 'SYN_SENT') {
        if (!seqGe(conn.sndUna, prev.sndUna)) problems.push(`${where}: SND.UNA went back from ${prev.sndUna} to ${conn.sndUna}`);
        if (!seqGe(conn.rcvNxt, prev.rcvNxt)) problems.push(`${where}: RCV.NXT went back from ${prev.rcvNxt} to ${conn.rcvNxt}`);
      }
      if (conn.state !== 'CLOSED' && conn.state !== 'SYN_SENT' && conn.state !== 'LISTEN') last[side] = { sndUna: conn.sndUna, rcvNxt: conn.rcvNxt };
    }
  };

  pair.connect();
  pair.drive({ afterStep: app, until: 2_000_000_000 });
  return { pair, upData, downData, upGot: concatBytes(got.server), downGot: concatBytes(got.client), problems };
}

/** Checks the ACK numbers and advertised windows one side sent. */
function wireProblems(r: Run, side: Side, peerIss: Seq, peerBytes: number): string[] {
  const problems: string[] = [];
  const me = r.pair.conn(side);
  const shift = me.wsOk ? me.rcvWscale : 0;
  const peerEnd = seqAdd(peerIss, peerBytes + 2); // SYN + data + FIN
  let lastAck: Seq | undefined;
  let lastEdge: Seq | undefined;
  for (const w of r.pair.sentBy(side)) {
    const s = w.segment;
    if (!(s.flags & ACK) || s.flags & RST) continue;
    if (!seqLe(s.ack, peerEnd) || !seqGe(s.ack, seqAdd(peerIss, 1))) {
      problems.push(`${side} t=${w.t}: ACK ${s.ack} outside [${seqAdd(peerIss, 1)}, ${peerEnd}]`);
    }
    if (lastAck !== undefined && !seqGe(s.ack, lastAck)) problems.push(`${side} t=${w.t}: ACK went back from ${lastAck} to ${s.ack}`);
    lastAck = s.ack;
    const edge = seqAdd(s.ack, s.flags & SYN ? s.window : s.window * 2 ** shift);
    if (lastEdge !== undefined && !seqGe(edge, lastEdge)) {
      problems.push(`${side} t=${w.t}: window right edge moved left from ${lastEdge} to ${edge} (ack ${s.ack}, win ${s.window})`);
    }
    lastEdge = lastEdge === undefined || seqGe(edge, lastEdge) ? edge : lastEdge;
  }
  return problems;
}

/** The sender never sends data beyond the largest right edge it had received from the receiver. */
function senderWithinWindow(r: Run, sender: Side): string[] {
  const receiver: Side = sender === 'client' ? 'server' : 'client';
  const shift = r.pair.conn(receiver).wsOk ? r.pair.conn(receiver).rcvWscale : 0;
  const offers = r.pair
    .sentBy(receiver)
    .filter((w) => w.segment.flags & ACK && !(w.segment.flags & RST) && w.arrival !== undefined)
    .map((w) => ({ at: w.arrival!, edge: seqAdd(w.segment.ack, w.segment.flags & SYN ? w.segment.window : w.segment.window * 2 ** shift) }));
  const problems: string[] = [];
  for (const w of r.pair.sentBy(sender)) {
    const s = w.segment;
    if (s.payload.length === 0) continue;
    let maxEdge: Seq | undefined;
    for (const o of offers) if (o.at <= w.t && (maxEdge === undefined || seqGe(o.edge, maxEdge))) maxEdge = o.edge;
    const end = seqAdd(s.seq, s.payload.length);
    if (maxEdge === undefined || !seqLe(end, maxEdge)) {
      problems.push(`${sender} t=${w.t}: data [${s.seq}, ${end}) beyond the largest edge received so far (${maxEdge ?? 'none'})`);
    }
  }
  return problems;
}

function check(c: WrapCase, r: Run): void {
  const { pair } = r;
  const context = `case ${JSON.stringify({ ...c, profile: c.profile.name })}; client ${pair.stateChanges('client').join(' ')}; server ${pair.stateChanges('server').join(' ')}`;
  expect(r.problems, context).toEqual([]);
  for (const [name, sent, got] of [
    ['client -> server', r.upData, r.upGot],
    ['server -> client', r.downData, r.downGot],
  ] as const) {
    const at = firstDifference(sent, got);
    if (at !== -1) throw new Error(`${name}: sent ${sent.length} bytes, got ${got.length}; first difference at byte ${at}\n${context}`);
  }
  // All acknowledged, SYN and FIN included, across the wrap.
  const clientIss = TWO_32 - c.clientBefore;
  const serverIss = TWO_32 - c.serverBefore;
  expect(pair.client.sndUna, context).toBe(seqAdd(clientIss, c.up + 2));
  expect(pair.server.sndUna, context).toBe(seqAdd(serverIss, c.down + 2));
  expect(pair.client.sndUna < clientIss, 'the client sequence numbers wrapped').toBe(true);
  expect(pair.server.sndUna < serverIss, 'the server sequence numbers wrapped').toBe(true);
  expect(pair.client.rcvNxt).toBe(pair.server.sndUna);
  expect(pair.server.rcvNxt).toBe(pair.client.sndUna);
  expect([pair.client.state, pair.server.state], context).toEqual(['CLOSED', 'CLOSED']);
  expect(pair.stateChanges('client').concat(pair.stateChanges('server')), context).toContain('TIME_WAIT->CLOSED');
  expect(wireProblems(r, 'server', clientIss, c.up), context).toEqual([]);
  expect(wireProblems(r, 'client', serverIss, c.down), context).toEqual([]);
  expect(senderWithinWindow(r, 'client'), context).toEqual([]);
  expect(senderWithinWindow(r, 'server'), context).toEqual([]);
  // Every data segment's sequence range lies within what was sent (no segment from nowhere).
  for (const w of pair.wire) {
    const s = w.segment;
    if (s.payload.length === 0) continue;
    const iss = w.from === 'client' ? clientIss : serverIss;
    const bytes = w.from === 'client' ? c.up : c.down;
    const offset = seqDiff(s.seq, seqAdd(iss, 1));
    expect(offset >= 0 && offset + s.payload.length <= bytes, `${w.from} segment seq ${s.seq} len ${s.payload.length}`).toBe(true);
  }
  // Each FIN takes the sequence number right after its side's data, wrapped.
  for (const [side, iss, bytes] of [
    ['client', clientIss, c.up],
    ['server', serverIss, c.down],
  ] as const) {
    const fins = pair.sentBy(side).filter((w) => w.segment.flags & FIN);
    expect(fins.length, `${side} sent a FIN`).toBeGreaterThan(0);
    for (const w of fins) expect(seqAdd(w.segment.seq, w.segment.payload.length), `${side} FIN`).toBe(seqAdd(iss, 1 + bytes));
  }
}

describe('sequence numbers across 2^32: a transfer whose sequence space wraps works', () => {
  it('ISNs 0xfffffff0: 100 KB one way, 5 KB back, clean link, both profiles', () => {
    for (const profile of [LINUX, RFC9293]) {
      const c: WrapCase = {
        profile,
        clientBefore: 16,
        serverBefore: 16,
        up: 100_000,
        down: 5_000,
        latency: 1000,
        lossRate: 0,
        delayRate: 0,
        faultSeed: 1,
        writeChunk: 8192,
        readChance: 1,
        readMax: 65536,
      };
      const r = runWrap(c);
      check(c, r);
      // The ACKs the server sent cross the wrap: some above 2^31, later ones below.
      const acks = r.pair.sentBy('server').map((w) => w.segment.ack);
      const high = acks.findIndex((a) => a >= 0xfffffff0);
      const low = acks.findIndex((a) => a > 0 && a < 0x80000000);
      expect(high).toBeGreaterThanOrEqual(0);
      expect(low).toBeGreaterThan(high);
    }
  });

  it('random ISNs below 2^32, sizes, loss, delay, write chunks and a slow reader', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        check(c, runWrap(c));
      }),
      fcOptions(300),
    );
  });
});
