// Opening and closing (src/scenarios/builtin/basics.ts): the expectations come from RFC 9293
// (section 3.5 figures 6, 7, 12, 13; section 3.10.7) and from Linux (linux-tcp-facts.md), and are
// written in terms of each run's own ISNs, never copied from a run.
import { describe, expect, it } from 'vitest';
import type { SegmentEvent } from '../../src/sim/trace.js';
import type { ProfileName } from '../../src/tcp/profile.js';
import { seqAdd } from '../../src/wire/seq.js';
import {
  MS,
  S,
  arrival,
  calls,
  enteredAt,
  payloadText,
  relative,
  runScenario,
  segments,
  stateEvents,
  statesOf,
  theCall,
  theSegment,
} from './trace-query.js';

const PROFILES: ProfileName[] = ['linux', 'rfc9293'];
/** TIME_WAIT: Linux TCP_TIMEWAIT_LEN is a fixed 60 s; RFC 9293 3.10.8 says 2 MSL with MSL = 2 minutes. */
const TIME_WAIT = { linux: 60 * S, rfc9293: 240 * S } as const;
/** Linux TCP_DELACK_MIN: a lone FIN is ACKed 40 ms later; the rfc9293 profile ACKs at once. */
const FIN_ACK_DELAY = { linux: 40 * MS, rfc9293: 0 } as const;

describe('three-way-handshake', () => {
  describe.each(PROFILES)('%s', (profile) => {
    it('opens with SYN (seq = ISS_c), SYN,ACK (ack = ISS_c+1), ACK (seq = ISS_c+1, ack = ISS_s+1)', async () => {
      const trace = await runScenario('three-way-handshake', profile);
      const all = segments(trace);
      // Nobody sends data or closes: the handshake is the whole conversation.
      expect(all).toHaveLength(3);
      const [syn, synAck, ack] = all as [SegmentEvent, SegmentEvent, SegmentEvent];

      expect(syn.flags).toEqual(['SYN']);
      expect(syn.src.startsWith('10.0.0.1:')).toBe(true);
      expect(syn.dst).toBe('10.0.0.2:8898');
      const issC = syn.seq;

      expect([...synAck.flags].sort()).toEqual(['ACK', 'SYN']);
      expect(synAck.src).toBe(syn.dst);
      expect(synAck.dst).toBe(syn.src);
      expect(synAck.ack).toBe(seqAdd(issC, 1));
      const issS = synAck.seq;

      expect(ack.flags).toEqual(['ACK']);
      expect(ack.src).toBe(syn.src);
      expect(ack.seq).toBe(seqAdd(issC, 1));
      expect(ack.ack).toBe(seqAdd(issS, 1));
      expect(ack.len).toBe(0);

      // Each is sent only once the previous one has arrived.
      expect(synAck.t).toBe(arrival(syn));
      expect(ack.t).toBe(arrival(synAck));
      expect(all.every((s) => s.fate === 'delivered' && !s.retransmit)).toBe(true);
    });

    it('moves the client CLOSED -> SYN_SENT -> ESTABLISHED and the server LISTEN -> SYN_RECEIVED -> ESTABLISHED', async () => {
      const trace = await runScenario('three-way-handshake', profile);
      const synAck = theSegment(trace, { flags: ['SYN', 'ACK'] });
      const ack = theSegment(trace, { from: 'client', flags: ['ACK'] });

      expect(statesOf(trace, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED']);
      expect(statesOf(trace, 'server', { listener: true })).toEqual(['CLOSED', 'LISTEN']);
      expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED']);

      // The client is ESTABLISHED when the SYN-ACK arrives, the server when the ACK arrives.
      expect(enteredAt(trace, 'client', 'ESTABLISHED')).toBe(arrival(synAck));
      expect(enteredAt(trace, 'server', 'ESTABLISHED', { peer: 'client' })).toBe(arrival(ack));
      expect(theCall(trace, 'client', 'connect').result).toBe('ok');
      expect(theCall(trace, 'client', 'connect').t).toBe(arrival(synAck));
      expect(theCall(trace, 'server', 'accept').result).toBe('ok');
      expect(theCall(trace, 'server', 'accept').t).toBe(arrival(ack));
    });
  });

  it('linux: SYN options are mss 1460, sackPermitted, timestamps, nop, windowScale; windows 64240 and 65160', async () => {
    const trace = await runScenario('three-way-handshake', 'linux');
    const syn = theSegment(trace, { flags: ['SYN'] });
    const synAck = theSegment(trace, { flags: ['SYN', 'ACK'] });
    const kinds = ['mss', 'sackPermitted', 'timestamps', 'nop', 'windowScale'];
    expect(syn.options.map((o) => o.kind)).toEqual(kinds);
    expect(synAck.options.map((o) => o.kind)).toEqual(kinds);
    expect(syn.options[0]).toEqual({ kind: 'mss', mss: 1460 });
    expect(synAck.options[0]).toEqual({ kind: 'mss', mss: 1460 });
    // RFC 7323 3.2: the SYN's TSecr is 0; the SYN-ACK echoes the SYN's TSval.
    const synTs = syn.options[2]!;
    const synAckTs = synAck.options[2]!;
    if (synTs.kind !== 'timestamps' || synAckTs.kind !== 'timestamps') throw new Error('timestamps expected');
    expect(synTs.tsEcr).toBe(0);
    expect(synAckTs.tsEcr).toBe(synTs.tsVal);
    // 65535 rounded down to MSS multiples: 44 x 1460 = 64240 in the SYN; the SYN-ACK expects
    // 1460 - 12 (timestamp option) = 1448-byte segments: 45 x 1448 = 65160.
    expect(syn.win).toBe(64240);
    expect(synAck.win).toBe(65160);
    // Timestamps were negotiated, so the third segment carries them too.
    const ack = theSegment(trace, { from: 'client', flags: ['ACK'] });
    expect(ack.options.some((o) => o.kind === 'timestamps')).toBe(true);
  });

  // Linux commit 572be9bf9d0d ("tcp: increase tcp_rmem[2] to 32 MB", 6.16): on 6.18
  // tcp_select_initial_window gives ilog2(32 MiB) - 15 = 10; scripts/kernel/observed/syn_options.txt
  // shows `wscale 10` on the 1500-MTU veth (docs/linux-vs-rfc.md §7).
  it('linux: the SYN and SYN-ACK announce window scale 10, as Linux 6.18 does', async () => {
    const trace = await runScenario('three-way-handshake', 'linux');
    for (const s of segments(trace, { hasFlags: ['SYN'] })) {
      expect(s.options.find((o) => o.kind === 'windowScale')).toEqual({ kind: 'windowScale', shift: 10 });
    }
  });

  it('rfc9293: the SYN and SYN-ACK carry only the MSS option; no window scaling', async () => {
    const trace = await runScenario('three-way-handshake', 'rfc9293');
    const syn = theSegment(trace, { flags: ['SYN'] });
    const synAck = theSegment(trace, { flags: ['SYN', 'ACK'] });
    expect(syn.options).toEqual([{ kind: 'mss', mss: 1460 }]);
    expect(synAck.options).toEqual([{ kind: 'mss', mss: 1460 }]);
    expect(syn.win).toBeLessThanOrEqual(65535);
    expect(theSegment(trace, { from: 'client', flags: ['ACK'] }).options).toEqual([]);
  });
});

describe('echo', () => {
  it.each(PROFILES)('%s: the server sends back exactly the bytes it received, then both close', async (profile) => {
    const trace = await runScenario('echo', profile);
    const request = theSegment(trace, { from: 'client', payload: true });
    const reply = theSegment(trace, { from: 'server', payload: true });
    expect(payloadText(request)).toBe('Hello, world');
    expect(payloadText(reply)).toBe('Hello, world');
    // First data byte of each direction is ISN + 1; the reply acknowledges the whole request.
    expect(relative(trace, request)).toEqual({ seq: 1, ack: 1 });
    expect(relative(trace, reply)).toEqual({ seq: 1, ack: 13 });
    expect(reply.t).toBeGreaterThanOrEqual(arrival(request));

    // The client closes after reading the echo: its FIN follows its 12 bytes.
    const clientFin = theSegment(trace, { from: 'client', hasFlags: ['FIN'] });
    const serverFin = theSegment(trace, { from: 'server', hasFlags: ['FIN'] });
    expect(relative(trace, clientFin).seq).toBe(13);
    expect(clientFin.t).toBeGreaterThanOrEqual(arrival(reply));
    expect(relative(trace, serverFin)).toEqual({ seq: 13, ack: 14 });

    expect(calls(trace, 'client', 'recv').map((c) => c.result)).toEqual(['ok']);
    expect(statesOf(trace, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });
});

/** The close sequence of RFC 9293 figure 12, with `closer` sending the first FIN. */
async function checkOrderlyClose(profile: ProfileName, scenario: string, closer: 'client' | 'server', other: 'client' | 'server') {
  const trace = await runScenario(scenario, profile);
  const closerFilter = closer === 'server' ? { peer: 'client' } : {};
  const otherFilter = other === 'server' ? { peer: 'client' } : {};
  const fins = segments(trace, { hasFlags: ['FIN'] });
  expect(fins).toHaveLength(2);
  const [firstFin, secondFin] = fins as [SegmentEvent, SegmentEvent];
  expect(firstFin.src.startsWith(closer === 'client' ? '10.0.0.1:' : '10.0.0.2:')).toBe(true);
  expect(secondFin.src).toBe(firstFin.dst);
  // The second FIN is sent only after the first has been received (the program sleeps 0.5 s).
  expect(secondFin.t).toBeGreaterThan(arrival(firstFin));

  // The other side ACKs the FIN (ack = FIN seq + 1) in a segment of its own, before its own FIN:
  // after 40 ms under Linux (delayed ACK), at once under the rfc9293 profile.
  const finAck = segments(trace, { from: other, after: arrival(firstFin) }).find((s) => s.ack === seqAdd(firstFin.seq, 1));
  expect(finAck, 'the FIN is acknowledged').toBeDefined();
  expect(finAck!.flags).toEqual(['ACK']);
  expect(finAck!.t - arrival(firstFin)).toBe(FIN_ACK_DELAY[profile]);
  expect(finAck!.t).toBeLessThan(secondFin.t);

  // The closer's last ACK acknowledges the second FIN: seq = its FIN + 1, ack = second FIN + 1.
  const lastAck = segments(trace, { from: closer, after: arrival(secondFin), flags: ['ACK'] })[0];
  expect(lastAck).toBeDefined();
  expect(lastAck!.seq).toBe(seqAdd(firstFin.seq, 1));
  expect(lastAck!.ack).toBe(seqAdd(secondFin.seq, 1));

  // RFC 9293 figure 12: the active closer goes through FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT;
  // the passive one through CLOSE_WAIT and LAST_ACK, and never waits in TIME_WAIT.
  expect(statesOf(trace, closer, closerFilter).slice(-5)).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
  expect(statesOf(trace, other, otherFilter).slice(-4)).toEqual(['ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  expect(stateEvents(trace, other).some((e) => e.to === 'TIME_WAIT')).toBe(false);

  // TIME_WAIT starts when the second FIN arrives and lasts 60 s (linux) / 2 MSL = 240 s (rfc9293).
  const timeWaitStart = enteredAt(trace, closer, 'TIME_WAIT', closerFilter);
  expect(timeWaitStart).toBe(arrival(secondFin));
  const closed = stateEvents(trace, closer, closerFilter).find((e) => e.from === 'TIME_WAIT');
  expect(closed?.to).toBe('CLOSED');
  expect(closed!.t - timeWaitStart).toBe(TIME_WAIT[profile]);
}

describe('client-closes-first', () => {
  it.each(PROFILES)('%s: the client ends in TIME_WAIT, the server ACKs the lone FIN before its own FIN', async (profile) => {
    await checkOrderlyClose(profile, 'client-closes-first', 'client', 'server');
  });
});

describe('server-closes-first', () => {
  it.each(PROFILES)('%s: TIME_WAIT lands on the server, the client ACKs the lone FIN before its own FIN', async (profile) => {
    await checkOrderlyClose(profile, 'server-closes-first', 'server', 'client');
  });
});

describe('simultaneous-open', () => {
  it.each(PROFILES)('%s: crossing SYNs, each answered by SYN,ACK, both SYN_SENT -> SYN_RECEIVED -> ESTABLISHED (figure 7)', async (profile) => {
    const trace = await runScenario('simultaneous-open', profile);
    const synA = theSegment(trace, { from: 'a', flags: ['SYN'] });
    const synB = theSegment(trace, { from: 'b', flags: ['SYN'] });
    expect(synA.src).toBe('10.0.0.1:7001');
    expect(synA.dst).toBe('10.0.0.2:7002');
    expect(synB.src).toBe('10.0.0.2:7002');
    expect(synB.dst).toBe('10.0.0.1:7001');
    // Simultaneous: each SYN leaves before the other one has arrived.
    expect(synA.t).toBeLessThan(arrival(synB));
    expect(synB.t).toBeLessThan(arrival(synA));

    // RFC 9293 figure 7 lines 5-7: each side answers with SYN,ACK <SEQ=own ISS><ACK=peer ISS+1>.
    const synAckA = theSegment(trace, { from: 'a', flags: ['SYN', 'ACK'] });
    const synAckB = theSegment(trace, { from: 'b', flags: ['SYN', 'ACK'] });
    expect(synAckA.seq).toBe(synA.seq);
    expect(synAckA.ack).toBe(seqAdd(synB.seq, 1));
    expect(synAckB.seq).toBe(synB.seq);
    expect(synAckB.ack).toBe(seqAdd(synA.seq, 1));
    expect(synAckA.t).toBe(arrival(synB));
    expect(synAckB.t).toBe(arrival(synA));
    expect(segments(trace, { hasFlags: ['RST'] })).toEqual([]);

    for (const [host, synAckIn] of [['a', synAckB], ['b', synAckA]] as const) {
      expect(statesOf(trace, host)).toEqual(['CLOSED', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED']);
      expect(enteredAt(trace, host, 'ESTABLISHED')).toBe(arrival(synAckIn));
      expect(theCall(trace, host, 'connect').result).toBe('ok');
    }
  });
});

describe('simultaneous-close', () => {
  it.each(PROFILES)('%s: crossing FINs, both FIN_WAIT_1 -> CLOSING -> TIME_WAIT (figure 13)', async (profile) => {
    const trace = await runScenario('simultaneous-close', profile);
    const finC = theSegment(trace, { from: 'client', hasFlags: ['FIN'] });
    const finS = theSegment(trace, { from: 'server', hasFlags: ['FIN'] });
    // Both close at t = 1 s: each FIN leaves before the other arrives.
    expect(finC.t).toBe(1 * S);
    expect(finS.t).toBe(1 * S);
    expect(finC.t).toBeLessThan(arrival(finS));
    expect(finS.t).toBeLessThan(arrival(finC));
    // Figure 13 line 2: <SEQ=x><ACK=y><CTL=FIN,ACK> both ways, where each ACKs all the other's data.
    expect([...finC.flags].sort()).toEqual(['ACK', 'FIN']);
    expect(finC.ack).toBe(finS.seq);
    expect(finS.ack).toBe(finC.seq);
    expect(relative(trace, finC).seq).toBe(1 + 4); // after the 4-byte "ping"
    // Line 3: each ACKs the other's FIN: <SEQ=x+1><ACK=y+1><CTL=ACK>.
    const ackC = theSegment(trace, { from: 'client', flags: ['ACK'], after: arrival(finS) });
    const ackS = theSegment(trace, { from: 'server', flags: ['ACK'], after: arrival(finC) });
    expect(ackC.seq).toBe(seqAdd(finC.seq, 1));
    expect(ackC.ack).toBe(seqAdd(finS.seq, 1));
    expect(ackS.seq).toBe(seqAdd(finS.seq, 1));
    expect(ackS.ack).toBe(seqAdd(finC.seq, 1));

    for (const [host, filter, ackIn] of [['client', {}, ackS], ['server', { peer: 'client' }, ackC]] as const) {
      expect(statesOf(trace, host, filter).slice(-5)).toEqual(['ESTABLISHED', 'FIN_WAIT_1', 'CLOSING', 'TIME_WAIT', 'CLOSED']);
      const tw = enteredAt(trace, host, 'TIME_WAIT', filter);
      expect(tw).toBe(arrival(ackIn));
      expect(enteredAt(trace, host, 'CLOSED', filter) - tw).toBe(TIME_WAIT[profile]);
    }
  });
});
