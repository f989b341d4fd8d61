// UDP beside TCP (src/scenarios/builtin/udp.ts): RFC 768 has no connection, no ACK and no
// retransmission, and keeps message boundaries.
import { describe, expect, it } from 'vitest';
import type { ProfileName } from '../../src/tcp/profile.js';
import { arrival, calls, datagrams, eventsOfKind, payloadText, runScenario, segments } from './trace-query.js';

describe('udp-contrast', () => {
  it.each<ProfileName>(['linux', 'rfc9293'])('%s: datagrams only, no handshake, and the lost one is never sent again', async (profile) => {
    const trace = await runScenario('udp-contrast', profile);
    // No TCP at all: no segments, no connection states, no TCP timers.
    expect(segments(trace)).toEqual([]);
    expect(eventsOfKind(trace, 'state')).toEqual([]);
    expect(eventsOfKind(trace, 'timer')).toEqual([]);

    const fromClient = datagrams(trace, { from: 'client' });
    // Message boundaries are kept: one datagram per sendto(), sized as sent.
    expect(fromClient.map(payloadText)).toEqual(['hello', 'lost on the way', 'world']);
    expect(fromClient.map((d) => d.len)).toEqual([5, 15, 5]);
    // The very first packet is data: no handshake before it.
    expect(trace.events.find((e) => e.kind === 'datagram' || e.kind === 'segment')).toBe(fromClient[0]);

    // The second datagram is lost and stays lost: exactly one copy of it, and no echo for it.
    const lost = fromClient[1]!;
    expect(lost.fate).toBe('dropped');
    expect(fromClient.filter((d) => payloadText(d) === 'lost on the way')).toHaveLength(1);
    const echoes = datagrams(trace, { from: 'server' });
    expect(echoes.map(payloadText)).toEqual(['hello', 'world']);
    for (const echo of echoes) expect(echo.t).toBe(arrival(fromClient.find((d) => payloadText(d) === payloadText(echo))!));

    // The client's wait for the lost echo times out (settimeout 0.5 s); the others are received.
    expect(calls(trace, 'client', 'recvfrom').map((c) => c.result)).toEqual(['ok', 'EAGAIN', 'ok']);
    expect(calls(trace, 'client', 'sendto').every((c) => c.result === 'ok')).toBe(true);
  });
});
