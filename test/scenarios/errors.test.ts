// Refusals and resets (src/scenarios/builtin/errors.ts), checked against RFC 9293 3.10.7.1 and
// 3.10.5, RFC 2525 2.17, RFC 1122 4.2.2.13 and Linux's tcp_v4_send_reset / __tcp_close.
import { describe, expect, it } from 'vitest';
import type { ProfileName } from '../../src/tcp/profile.js';
import { seqAdd } from '../../src/wire/seq.js';
import {
  arrival,
  calls,
  enteredAt,
  payloadText,
  relative,
  runScenario,
  segments,
  stateBefore,
  stateEvents,
  statesOf,
  theCall,
  theSegment,
} from './trace-query.js';

const PROFILES: ProfileName[] = ['linux', 'rfc9293'];

describe('connection-refused', () => {
  it.each(PROFILES)('%s: a SYN to a closed port gets RST,ACK <SEQ=0><ACK=ISS+1> and connect() fails with ECONNREFUSED', async (profile) => {
    const trace = await runScenario('connection-refused', profile);
    const syn = theSegment(trace, { from: 'client', flags: ['SYN'] });
    expect(syn.dst).toBe('10.0.0.2:8080');
    // RFC 9293 3.10.7.1 (CLOSED): the SYN has no ACK bit, so the reset is
    // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, and the SYN counts one in SEG.LEN.
    const rst = theSegment(trace, { from: 'server' });
    expect([...rst.flags].sort()).toEqual(['ACK', 'RST']);
    expect(rst.seq).toBe(0);
    expect(rst.ack).toBe(seqAdd(syn.seq, 1));
    expect(rst.src).toBe(syn.dst);
    expect(rst.dst).toBe(syn.src);
    expect(rst.len).toBe(0);
    expect(rst.win).toBe(0);
    expect(rst.options).toEqual([]); // tcp_v4_send_reset: no socket, no options
    expect(rst.t).toBe(arrival(syn));

    // Nothing else on the wire: no SYN-ACK, and the refused client does not retry.
    expect(segments(trace)).toHaveLength(2);
    // The RST is acceptable in SYN_SENT (it ACKs the SYN): the connection is refused and closed.
    expect(statesOf(trace, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'CLOSED']);
    expect(enteredAt(trace, 'client', 'CLOSED')).toBe(arrival(rst));
    const connect = theCall(trace, 'client', 'connect');
    expect(connect.result).toBe('ECONNREFUSED');
    expect(connect.t).toBe(arrival(rst));
    // No socket on the server ever changed state.
    expect(stateEvents(trace, 'server')).toEqual([]);
  });
});

describe('half-close', () => {
  it.each(PROFILES)('%s: after shutdown(SHUT_WR) the client still receives the reply in FIN_WAIT_2', async (profile) => {
    const trace = await runScenario('half-close', profile);
    const request = theSegment(trace, { from: 'client', payload: true });
    expect(payloadText(request)).toBe('the whole request');
    // The FIN follows the 17 request bytes.
    const clientFin = theSegment(trace, { from: 'client', hasFlags: ['FIN'] });
    expect(relative(trace, clientFin).seq).toBe(1 + 17);
    expect(theCall(trace, 'client', 'shutdown').result).toBe('ok');

    // The reply travels server -> client after the client's FIN has arrived, and ACKs that FIN.
    const reply = theSegment(trace, { from: 'server', payload: true });
    expect(payloadText(reply)).toBe('got 17 bytes');
    expect(reply.t).toBeGreaterThan(arrival(clientFin));
    expect(reply.ack).toBe(seqAdd(clientFin.seq, 1));
    expect(relative(trace, reply).seq).toBe(1);

    // The half-closed client is in FIN_WAIT_2 (its FIN ACKed, the peer still sending) when the
    // reply arrives, and acknowledges it: RFC 9293 3.10.7.4, FIN-WAIT-2 still processes text.
    expect(stateBefore(trace, 'client', arrival(reply))).toBe('FIN_WAIT_2');
    const replyEnd = seqAdd(reply.seq, reply.len);
    const acked = segments(trace, { from: 'client', after: arrival(reply) }).find((s) => s.ack === replyEnd || s.ack === seqAdd(replyEnd, 1));
    expect(acked, 'the client acknowledges the reply').toBeDefined();
    const recvs = calls(trace, 'client', 'recv');
    expect(recvs.map((c) => c.result)).toEqual(['ok', 'ok']); // the reply, then EOF
    expect(recvs[0]!.t).toBe(arrival(reply));

    // Then the server closes: it went CLOSE_WAIT -> LAST_ACK, the client ends in TIME_WAIT.
    const serverFin = theSegment(trace, { from: 'server', hasFlags: ['FIN'] });
    expect(relative(trace, serverFin).seq).toBe(1 + 12);
    expect(statesOf(trace, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
    expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
  });
});

describe('abort-rst', () => {
  it.each(PROFILES)('%s: SO_LINGER {1, 0} then close() sends RST <SEQ=SND.NXT>, no FIN, and skips TIME_WAIT', async (profile) => {
    const trace = await runScenario('abort-rst', profile);
    const synAck = theSegment(trace, { flags: ['SYN', 'ACK'] });
    const syn = theSegment(trace, { flags: ['SYN'] });
    const rst = theSegment(trace, { from: 'client', hasFlags: ['RST'] });
    // The client never sent data: SND.NXT = ISS + 1 (RFC 9293 3.10.5 ABORT: <SEQ=SND.NXT><CTL=RST>).
    expect(rst.seq).toBe(seqAdd(syn.seq, 1));
    expect(rst.flags).not.toContain('FIN');
    if (profile === 'linux') {
      // Linux tcp_send_active_reset: RST|ACK with ack = RCV.NXT.
      expect([...rst.flags].sort()).toEqual(['ACK', 'RST']);
      expect(rst.ack).toBe(seqAdd(synAck.seq, 1));
    }
    expect(segments(trace, { hasFlags: ['FIN'] })).toEqual([]);
    // close() came 0.1 s after connect() returned.
    const connect = theCall(trace, 'client', 'connect');
    expect(rst.t - connect.t).toBe(100_000);

    // The aborting side goes straight to CLOSED: no FIN_WAIT, no TIME_WAIT.
    expect(statesOf(trace, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'CLOSED']);
    expect(enteredAt(trace, 'client', 'CLOSED')).toBe(rst.t);
    // The peer is reset: ESTABLISHED -> CLOSED on arrival, recv() fails with ECONNRESET.
    expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSED']);
    expect(enteredAt(trace, 'server', 'CLOSED', { peer: 'client' })).toBe(arrival(rst));
    expect(theCall(trace, 'server', 'recv').result).toBe('ECONNRESET');
    // A RST is never answered, and nothing follows it.
    expect(segments(trace, { after: rst.t }).map((s) => s.id)).toEqual([rst.id]);
  });

  // Linux sends the abortive RST through tcp_send_active_reset -> tcp_transmit_skb, i.e. as a segment
  // of the connection: with the timestamps option and the current window (docs/linux-vs-rfc.md §4
  // measured "RST,ACK (seq SND.NXT, ack RCV.NXT, TS, win 64)" for SO_LINGER {1, 0}). Only resets for
  // segments that match no socket (tcp_v4_send_reset) have win 0 and no options.
  it('linux: the RST carries the timestamps option and the current window, like any segment of the connection', async () => {
    const trace = await runScenario('abort-rst', 'linux');
    const rst = theSegment(trace, { from: 'client', hasFlags: ['RST'] });
    const before = segments(trace, { from: 'client', before: rst.t }).at(-1)!;
    expect(rst.options.map((o) => o.kind)).toEqual(['nop', 'nop', 'timestamps']);
    // Nothing arrived since the client's previous segment, so its window is unchanged.
    expect(rst.win).toBeGreaterThan(0);
    expect(rst.win).toBe(before.win);
  });

  // RFC 9293 3.10.5 (ABORT in SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT) sends
  // <SEQ=SND.NXT><CTL=RST>, without ACK.
  it('rfc9293: the abort is <SEQ=SND.NXT><CTL=RST> without the ACK bit (RFC 9293 3.10.5)', async () => {
    const trace = await runScenario('abort-rst', 'rfc9293');
    const rst = theSegment(trace, { from: 'client', hasFlags: ['RST'] });
    expect(rst.flags).toEqual(['RST']);
  });
});

describe('close-with-unread-data', () => {
  it('linux: close() with unread bytes sends RST,ACK <SEQ=SND.NXT><ACK=RCV.NXT> instead of FIN; the client sees ECONNRESET then EPIPE', async () => {
    const trace = await runScenario('close-with-unread-data', 'linux');
    const syn = theSegment(trace, { flags: ['SYN'] });
    const synAck = theSegment(trace, { flags: ['SYN', 'ACK'] });
    const request = theSegment(trace, { from: 'client', payload: true });
    expect(request.len).toBe('a request nobody reads'.length);

    // RFC 2525 2.17 / Linux __tcp_close: data left unread turns close() into a reset.
    expect(segments(trace, { from: 'server', hasFlags: ['FIN'] })).toEqual([]);
    const rst = theSegment(trace, { from: 'server', hasFlags: ['RST'] });
    expect([...rst.flags].sort()).toEqual(['ACK', 'RST']);
    expect(rst.seq).toBe(seqAdd(synAck.seq, 1)); // SND.NXT: the server sent nothing
    expect(rst.ack).toBe(seqAdd(syn.seq, 1 + request.len)); // RCV.NXT: the request was received (not read)
    expect(rst.t).toBeGreaterThan(arrival(request));

    expect(statesOf(trace, 'server', { peer: 'client' })).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'CLOSED']);
    expect(statesOf(trace, 'client')).toEqual(['CLOSED', 'SYN_SENT', 'ESTABLISHED', 'CLOSED']);
    expect(enteredAt(trace, 'client', 'CLOSED')).toBe(arrival(rst));

    // The reset is reported once, to the first call (recv: ECONNRESET); later writes get EPIPE.
    const recv = theCall(trace, 'client', 'recv');
    const send = theCall(trace, 'client', 'send');
    expect(recv.result).toBe('ECONNRESET');
    expect(send.result).toBe('EPIPE');
    expect(recv.t).toBeLessThanOrEqual(send.t);
    expect(calls(trace, 'client').indexOf(recv)).toBeLessThan(calls(trace, 'client').indexOf(send));
    // The EPIPE write put nothing on the wire.
    expect(segments(trace, { from: 'client', after: rst.t })).toEqual([]);
  });

  // As in abort-rst, Linux (__tcp_close -> tcp_send_active_reset) sends the reset as a segment of the
  // connection; docs/linux-vs-rfc.md §4 measured it with "the TS option and the current (scaled)
  // window (win 64), not 0".
  it('linux: the RST carries the timestamps option and the current window', async () => {
    const trace = await runScenario('close-with-unread-data', 'linux');
    const rst = theSegment(trace, { from: 'server', hasFlags: ['RST'] });
    const before = segments(trace, { from: 'server', before: rst.t }).at(-1)!;
    expect(rst.options.map((o) => o.kind)).toEqual(['nop', 'nop', 'timestamps']);
    // The server's last ACK already counted the unread request; nothing arrived since.
    expect(rst.win).toBeGreaterThan(0);
    expect(rst.win).toBe(before.win);
  });
});
