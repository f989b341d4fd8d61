// Lost segments and the timers that repair them (src/scenarios/builtin/loss.ts). Timings come from
// RFC 6298 (initial RTO 1 s, 2.1; minimum 1 s, 2.4; restart on new ACK, 5.3) and Linux
// (TCP_TIMEOUT_INIT 1 s, TCP_RTO_MIN 200 ms added to SRTT by tcp_set_rto, reqsk_timer_handler).
import { describe, expect, it } from 'vitest';
import type { ProfileName } from '../../src/tcp/profile.js';
import { seqAdd } from '../../src/wire/seq.js';
import {
  MS,
  S,
  arrival,
  enteredAt,
  firstSegment,
  runScenario,
  segments,
  socketsOf,
  stateAt,
  stateBefore,
  statesOf,
  theCall,
  theSegment,
} from './trace-query.js';

const PROFILES: ProfileName[] = ['linux', 'rfc9293'];
/** Initial RTO before any RTT sample: RFC 6298 2.1 and Linux TCP_TIMEOUT_INIT. */
const INITIAL_RTO = 1 * S;

const CLIENT_PATH = ['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED'];
const SERVER_PATH = ['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED'];

describe('lost-syn', () => {
  it.each(PROFILES)('%s: the SYN is retransmitted with the same seq when the 1 s initial RTO expires', async (profile) => {
    const trace = await runScenario('lost-syn', profile);
    const syns = segments(trace, { from: 'client', flags: ['SYN'] });
    expect(syns).toHaveLength(2);
    const [first, second] = syns as [(typeof syns)[number], (typeof syns)[number]];
    expect(first.fate).toBe('dropped');
    expect(second.fate).toBe('delivered');
    expect(second.retransmit).toBe(true);
    expect(second.seq).toBe(first.seq);
    expect(second.t - first.t).toBe(INITIAL_RTO);

    // The server learns of the connection only from the retransmission.
    expect(enteredAt(trace, 'server', 'SYN_RECEIVED', { peer: 'client' })).toBe(arrival(second));
    const synAck = theSegment(trace, { flags: ['SYN', 'ACK'] });
    expect(synAck.ack).toBe(seqAdd(first.seq, 1));
    expect(synAck.t).toBe(arrival(second));
    expect(enteredAt(trace, 'client', 'ESTABLISHED')).toBe(arrival(synAck));
    expect(theCall(trace, 'client', 'connect').result).toBe('ok');

    // After the repair the exchange runs normally to the end.
    expect(statesOf(trace, 'client')).toEqual(CLIENT_PATH);
    expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(SERVER_PATH);
  });
});

describe('lost-syn-ack', () => {
  it.each(PROFILES)('%s: at 1 s the client resends its SYN and the server resends its SYN-ACK; one connection results', async (profile) => {
    const trace = await runScenario('lost-syn-ack', profile);
    const syn = firstSegment(trace, { from: 'client', flags: ['SYN'] });
    const firstSynAck = firstSegment(trace, { flags: ['SYN', 'ACK'] });
    expect(firstSynAck.fate).toBe('dropped');

    // The client heard nothing: its SYN timer (initial RTO 1 s) resends the same SYN.
    const synRtx = segments(trace, { from: 'client', flags: ['SYN'], retransmit: true });
    expect(synRtx).toHaveLength(1);
    expect(synRtx[0]!.seq).toBe(syn.seq);
    expect(synRtx[0]!.t - syn.t).toBe(INITIAL_RTO);

    // The server, in SYN_RECEIVED, resends the same SYN-ACK 1 s after the first (its SYN-ACK
    // timer; the client's repeated SYN arrives at that same moment and also asks for one).
    const synAckRtx = segments(trace, { from: 'server', flags: ['SYN', 'ACK'], retransmit: true });
    expect(synAckRtx.length).toBeGreaterThanOrEqual(1);
    for (const s of synAckRtx) {
      expect(s.seq).toBe(firstSynAck.seq);
      expect(s.ack).toBe(seqAdd(syn.seq, 1));
      expect(s.t - firstSynAck.t).toBe(INITIAL_RTO);
    }
    expect(stateBefore(trace, 'server', synAckRtx[0]!.t, { peer: 'client' })).toBe('SYN_RECEIVED');

    // The repeated SYN does not open a second connection: one child socket for the client.
    expect(socketsOf(trace, 'server', { peer: 'client' })).toHaveLength(1);
    expect(enteredAt(trace, 'client', 'ESTABLISHED')).toBe(arrival(synAckRtx[0]!));
    expect(statesOf(trace, 'client')).toEqual(CLIENT_PATH);
    expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(SERVER_PATH);
  });
});

describe('lost-final-ack', () => {
  it.each(PROFILES)('%s: the client is ESTABLISHED while the server waits in SYN_RECEIVED and resends its SYN-ACK after 1 s', async (profile) => {
    const trace = await runScenario('lost-final-ack', profile);
    const syn = theSegment(trace, { flags: ['SYN'] });
    const synAcks = segments(trace, { flags: ['SYN', 'ACK'] });
    const synAck = synAcks[0]!;
    const lostAck = firstSegment(trace, { from: 'client', flags: ['ACK'] });
    expect(lostAck.fate).toBe('dropped');
    expect(lostAck.seq).toBe(seqAdd(syn.seq, 1));
    expect(lostAck.ack).toBe(seqAdd(synAck.seq, 1));

    // The client is ESTABLISHED as soon as it has the SYN-ACK; connect() returns then.
    expect(enteredAt(trace, 'client', 'ESTABLISHED')).toBe(arrival(synAck));
    expect(theCall(trace, 'client', 'connect').t).toBe(arrival(synAck));
    // ... while the server still waits for the ACK of its SYN.
    expect(stateAt(trace, 'server', synAck.t + INITIAL_RTO - 1, { peer: 'client' })).toBe('SYN_RECEIVED');

    // The server's SYN-ACK timer fires after the initial 1 s: the same SYN-ACK again, once
    // (the next would be 2 s later, by which time the connection is established).
    expect(synAcks).toHaveLength(2);
    const rtx = synAcks[1]!;
    expect(rtx.retransmit).toBe(true);
    expect(rtx.t - synAck.t).toBe(INITIAL_RTO);
    expect(rtx.seq).toBe(synAck.seq);
    expect(rtx.ack).toBe(synAck.ack);

    // The ESTABLISHED client answers the old SYN-ACK with an ACK <SEQ=SND.NXT><ACK=RCV.NXT>
    // (RFC 9293 3.10.7.4, RFC 5961 4), which completes the server's side.
    const reAck = theSegment(trace, { from: 'client', flags: ['ACK'], after: arrival(rtx), before: arrival(rtx) + 1 });
    expect(reAck.seq).toBe(seqAdd(syn.seq, 1));
    expect(reAck.ack).toBe(seqAdd(synAck.seq, 1));
    expect(enteredAt(trace, 'server', 'ESTABLISHED', { peer: 'client' })).toBe(arrival(reAck));
    const accept = theCall(trace, 'server', 'accept');
    expect(accept.t).toBe(arrival(reAck));
    // All before the client, which sleeps 2 s after connect(), sends its data.
    expect(accept.t).toBeLessThan(firstSegment(trace, { from: 'client', payload: true }).t);

    expect(statesOf(trace, 'client')).toEqual(CLIENT_PATH);
    expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(SERVER_PATH);
  });
});

describe('lost-fin', () => {
  it.each(PROFILES)('%s: the FIN is retransmitted one RTO after the last ACK, and the close completes', async (profile) => {
    const trace = await runScenario('lost-fin', profile);
    const syn = theSegment(trace, { flags: ['SYN'] });
    const synAck = theSegment(trace, { flags: ['SYN', 'ACK'] });
    const data = theSegment(trace, { from: 'client', payload: true });
    const fins = segments(trace, { from: 'client', hasFlags: ['FIN'] });
    expect(fins).toHaveLength(2);
    const [lost, rtx] = fins as [(typeof fins)[number], (typeof fins)[number]];
    expect(lost.fate).toBe('dropped');
    expect(rtx.retransmit).toBe(true);
    expect(rtx.seq).toBe(lost.seq);
    expect(rtx.seq).toBe(seqAdd(syn.seq, 1 + data.len)); // the FIN follows the 5 data bytes
    expect([...rtx.flags].sort()).toEqual(['ACK', 'FIN']);

    // RFC 6298 5.3: the ACK of the data restarts the retransmission timer for the FIN.
    const dataAck = theSegment(trace, { from: 'server', flags: ['ACK'], before: rtx.t });
    expect(dataAck.ack).toBe(lost.seq);
    const rtt = arrival(synAck) - syn.t; // 2 x 1 ms link latency; every sample is the same
    // linux: RTO = SRTT + max(RTTVAR, TCP_RTO_MIN) = rtt + 200 ms (tcp_set_rto); "about 200 ms + RTT".
    // rfc9293: RFC 6298 2.4 rounds anything below 1 s up to 1 s.
    const rto = profile === 'linux' ? 200 * MS + rtt : 1 * S;
    expect(rtx.t - arrival(dataAck)).toBe(rto);

    // The server sees the FIN only when the retransmission arrives; the client waits in FIN_WAIT_1.
    expect(stateBefore(trace, 'server', arrival(rtx), { peer: 'client' })).toBe('ESTABLISHED');
    expect(enteredAt(trace, 'server', 'CLOSE_WAIT', { peer: 'client' })).toBe(arrival(rtx));
    expect(stateBefore(trace, 'client', rtx.t)).toBe('FIN_WAIT_1');
    expect(statesOf(trace, 'client')).toEqual(CLIENT_PATH);
    expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(SERVER_PATH);
  });
});
