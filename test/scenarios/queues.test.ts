// The listen queues under pressure (src/scenarios/builtin/queues.ts), against Linux:
// sk_acceptq_is_full (length > backlog), inet_csk_reqsk_queue_is_full (length > backlog since
// 6.14 / 6.1.125, "tcp/dccp: allow a connection when sk_max_ack_backlog is zero"),
// tcp_conn_request, tcp_check_req with tcp_abort_on_overflow = 0, reqsk_timer_handler,
// tcp_syn_linear_timeouts. These are Linux mechanisms, so the checks run under the linux profile.
import { describe, expect, it } from 'vitest';
import type { SegmentEvent, Trace } from '../../src/sim/trace.js';
import { seqAdd } from '../../src/wire/seq.js';
import {
  MS,
  S,
  arrival,
  calls,
  enteredAt,
  firstSegment,
  payloadText,
  runScenario,
  segments,
  stateAt,
  stateEvents,
  statesOf,
  theCall,
} from './trace-query.js';

const ACCEPT_STARTS = 5 * S; // the backlog-overflow server sleeps 5 s before its first accept()
const CLIENTS = ['client1', 'client2', 'client3', 'client4'] as const;

/** Gaps between consecutive times. */
function gaps(times: number[]): number[] {
  return times.slice(1).map((t, i) => t - times[i]!);
}

describe('backlog-overflow', () => {
  it('linux: listen(1) holds two completed connections before accept(); the third completes only later', async () => {
    const trace = await runScenario('backlog-overflow', 'linux');
    // Linux: the accept queue is full when its length > backlog, so listen(1) holds 2.
    const establishedEarly = CLIENTS.filter((c) => {
      const e = stateEvents(trace, 'server', { peer: c }).find((s) => s.to === 'ESTABLISHED');
      return e !== undefined && e.t < ACCEPT_STARTS;
    });
    expect(establishedEarly).toEqual(['client1', 'client2']);
    // client3 got its SYN-ACK at once (the SYN queue had room) and believes it is connected.
    for (const c of ['client1', 'client2', 'client3']) {
      const connect = theCall(trace, c, 'connect');
      expect(connect.result).toBe('ok');
      expect(connect.t).toBeLessThan(100 * MS);
    }
    expect(stateAt(trace, 'client3', ACCEPT_STARTS)).toBe('ESTABLISHED');
    expect(stateAt(trace, 'server', ACCEPT_STARTS, { peer: 'client3' })).toBe('SYN_RECEIVED');
  });

  it("linux: client3's final ACK is dropped while the accept queue is full; the SYN-ACK is resent 1 s and 3 s later", async () => {
    const trace = await runScenario('backlog-overflow', 'linux');
    const syn = firstSegment(trace, { from: 'client3', flags: ['SYN'] });
    const finalAck = firstSegment(trace, { from: 'client3', flags: ['ACK'] });
    expect(finalAck.fate).toBe('delivered');
    // It reached the server, but with client1 and client2 queued the request is not promoted.
    expect(stateAt(trace, 'server', arrival(finalAck), { peer: 'client3' })).toBe('SYN_RECEIVED');

    // tcp_abort_on_overflow = 0: no RST; the request's timer keeps resending the SYN-ACK at
    // 1, 2, 4 s intervals (TCP_TIMEOUT_INIT doubled): 1 s and 3 s after the first, before accept().
    expect(segments(trace, { to: 'client3', hasFlags: ['RST'] })).toEqual([]);
    const synAcks = segments(trace, { from: 'server', to: 'client3', flags: ['SYN', 'ACK'], before: ACCEPT_STARTS });
    expect(synAcks.map((s) => s.t - synAcks[0]!.t)).toEqual([0, 1 * S, 3 * S]);
    for (const s of synAcks) {
      expect(s.seq).toBe(synAcks[0]!.seq);
      expect(s.ack).toBe(seqAdd(syn.seq, 1));
    }
    expect(synAcks.slice(1).every((s) => s.retransmit)).toBe(true);
    // Only after accept() has made room does the server's side of client3 become ESTABLISHED.
    expect(enteredAt(trace, 'server', 'ESTABLISHED', { peer: 'client3' })).toBeGreaterThan(ACCEPT_STARTS);
  });

  it("linux: client4's SYNs get no answer while the accept queue is full and are resent at 1 s intervals", async () => {
    const trace = await runScenario('backlog-overflow', 'linux');
    const early = segments(trace, { from: 'client4', flags: ['SYN'], before: ACCEPT_STARTS });
    // SYN at 0.5 s, then tcp_syn_linear_timeouts keeps the first retransmissions 1 s apart.
    expect(early.map((s) => s.t)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5].map((x) => x * S));
    expect(new Set(early.map((s) => s.seq)).size).toBe(1);
    expect(early.every((s) => s.fate === 'delivered')).toBe(true);
    expect(gaps(early.map((s) => s.t)).every((g) => g === 1 * S)).toBe(true);
    // Dropped silently: nothing at all goes back to client4 before accept() starts.
    expect(segments(trace, { to: 'client4', before: ACCEPT_STARTS })).toEqual([]);
    expect(stateEvents(trace, 'server', { peer: 'client4' }).filter((e) => e.t < ACCEPT_STARTS)).toEqual([]);

    // The first SYN after accept() (still 1 s after the last: the fifth retransmission) is answered.
    const answered = firstSegment(trace, { from: 'server', to: 'client4', flags: ['SYN', 'ACK'] });
    const synAnswered = segments(trace, { from: 'client4', flags: ['SYN'] }).find((s) => arrival(s) === answered.t);
    expect(synAnswered?.t).toBe(5.5 * S);
    expect(answered.ack).toBe(seqAdd(early[0]!.seq, 1));
  });

  it('linux: once accept() starts at 5 s all four clients get in and are served', async () => {
    const trace = await runScenario('backlog-overflow', 'linux');
    const accepts = calls(trace, 'server', 'accept');
    expect(accepts).toHaveLength(4);
    expect(accepts.every((a) => a.result === 'ok' && a.t >= ACCEPT_STARTS)).toBe(true);
    for (const c of CLIENTS) {
      expect(theCall(trace, c, 'connect').result).toBe('ok');
      const reply = firstSegment(trace, { from: 'server', to: c, payload: true });
      expect(payloadText(reply)).toBe('ok');
      expect(reply.t).toBeGreaterThanOrEqual(ACCEPT_STARTS);
      expect(statesOf(trace, c).at(-1)).toBe('CLOSED');
      expect(statesOf(trace, 'server', { peer: c }).slice(0, 3)).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED']);
    }
    expect(segments(trace, { hasFlags: ['RST'] })).toEqual([]);
  });
});

const FLOODER = /^198\.51\.100\./;
const BACKLOG = 8; // floodedServer: listen(8)

function spoofedSynAcks(trace: Trace, before: number): SegmentEvent[] {
  return segments(trace, { from: 'server', flags: ['SYN', 'ACK'], retransmit: false, before }).filter((s) => FLOODER.test(s.dst));
}

describe('syn-flood', () => {
  it('linux, tcp_syncookies=0: the SYN queue takes backlog+1 spoofed requests and drops the rest, without cookies', async () => {
    const trace = await runScenario('syn-flood', 'linux');
    const firstBurst = spoofedSynAcks(trace, 1 * S);
    expect(firstBurst).toHaveLength(BACKLOG + 1);
    expect(firstBurst.every((s) => s.fate === 'dropped')).toBe(true); // nobody lives at the spoofed addresses
    expect(segments(trace).some((s) => s.note === 'syncookie')).toBe(false);
    // The later bursts (2 s, 4 s) find the queue still full: no new request at all.
    expect(spoofedSynAcks(trace, 10 * S)).toHaveLength(BACKLOG + 1);
  });

  it("linux, tcp_syncookies=0: the real client's SYNs are dropped while the SYN queue is full; it gets in only after old requests expire", async () => {
    const trace = await runScenario('syn-flood', 'linux');
    const clientSyns = segments(trace, { from: 'client', flags: ['SYN'] });
    // connect() at 0.1 s; SYN timeouts 1,1,1,1,1 s (tcp_syn_linear_timeouts) then 2 s.
    expect(clientSyns.map((s) => s.t)).toEqual([0.1, 1.1, 2.1, 3.1, 4.1, 5.1, 7.1].map((x) => Math.round(x * S)));
    const synAck = firstSegment(trace, { from: 'server', to: 'client', flags: ['SYN', 'ACK'] });
    const answered = clientSyns.filter((s) => segments(trace, { to: 'client', flags: ['SYN', 'ACK'] }).some((a) => a.t === arrival(s)));
    expect(answered.map((s) => s.t)).toEqual([Math.round(7.1 * S)]);

    // reqsk_timer_handler: the queue is more than half full, so requests that never got young
    // again are given up after two retransmissions (at 1 s and 3 s): at their third timeout,
    // 7 s after the SYN-ACK, until the queue is no more than half of max(8, backlog): 9 -> 4.
    const expired = stateEvents(trace, 'server').filter((e) => e.peer !== undefined && FLOODER.test(e.peer) && e.from === 'SYN_RECEIVED' && e.to === 'CLOSED');
    const firstExpiry = Math.min(...expired.map((e) => e.t));
    expect(firstExpiry).toBe(spoofedSynAcks(trace, 1 * S)[0]!.t + 7 * S);
    expect(expired.filter((e) => e.t === firstExpiry)).toHaveLength(5);
    expect(synAck.t).toBeGreaterThan(firstExpiry);

    const connect = theCall(trace, 'client', 'connect');
    expect(connect.result).toBe('ok');
    expect(connect.t).toBe(arrival(synAck));
    expect(theCall(trace, 'server', 'accept').result).toBe('ok');
  });
});

describe('syn-flood-syncookies', () => {
  it('linux, tcp_syncookies=1: once the SYN queue is full, SYNs are answered with cookie SYN-ACKs', async () => {
    const trace = await runScenario('syn-flood-syncookies', 'linux');
    const firstBurst = spoofedSynAcks(trace, 1 * S);
    expect(firstBurst).toHaveLength(12); // every spoofed SYN of the first burst is answered
    expect(firstBurst.map((s) => s.note ?? '')).toEqual([...Array(BACKLOG + 1).fill(''), 'syncookie', 'syncookie', 'syncookie']);
  });

  it("linux, tcp_syncookies=1: the client's SYN gets a cookie SYN-ACK at once and connect() succeeds at once", async () => {
    const trace = await runScenario('syn-flood-syncookies', 'linux');
    const syns = segments(trace, { from: 'client', flags: ['SYN'] });
    expect(syns).toHaveLength(1); // never retransmitted
    const syn = syns[0]!;
    const synAck = firstSegment(trace, { from: 'server', to: 'client', flags: ['SYN', 'ACK'] });
    expect(synAck.note).toBe('syncookie');
    expect(synAck.t).toBe(arrival(syn));
    expect(synAck.ack).toBe(seqAdd(syn.seq, 1));
    // The client offered timestamps, so the cookie can carry SACK and window scale (in TSval):
    // the SYN-ACK keeps the options of an ordinary one.
    expect(synAck.options.map((o) => o.kind)).toEqual(['mss', 'sackPermitted', 'timestamps', 'nop', 'windowScale']);

    const connect = theCall(trace, 'client', 'connect');
    expect(connect.result).toBe('ok');
    expect(connect.t).toBe(arrival(synAck));
    // The server kept no state for the SYN: its connection is rebuilt from the cookie when the ACK arrives.
    const ack = firstSegment(trace, { from: 'client', flags: ['ACK'] });
    expect(enteredAt(trace, 'server', 'SYN_RECEIVED', { peer: 'client' })).toBe(arrival(ack));
    expect(enteredAt(trace, 'server', 'ESTABLISHED', { peer: 'client' })).toBe(arrival(ack));
    expect(theCall(trace, 'server', 'accept').result).toBe('ok');
    const request = firstSegment(trace, { from: 'client', payload: true });
    expect(payloadText(request)).toBe('GET /');
  });
});
