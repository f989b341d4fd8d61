// "Address already in use" (src/scenarios/builtin/ports.ts): bind() over the server's own
// TIME_WAIT connection. Linux inet_bind_conflict allows sharing only when BOTH sockets set
// SO_REUSEADDR, and the TIME_WAIT socket keeps the flag its listener had (src/tcp/ports.ts);
// BSD semantics (the rfc9293 profile) need it on the new socket only.
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../src/sim/trace.js';
import type { ProfileName } from '../../src/tcp/profile.js';
import { S, calls, enteredAt, runScenario, stateAt, stateEvents, statesOf } from './trace-query.js';

const TIME_WAIT = { linux: 60 * S, rfc9293: 240 * S } as const;

/** The server's connection to the client: it closed first, so it holds port 8898 in TIME_WAIT. */
function timeWait(trace: Trace, profile: ProfileName): { start: number; end: number } {
  const path = statesOf(trace, 'server', { peer: 'client' });
  expect(path).toEqual(['LISTEN', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT', 'CLOSED']);
  const start = enteredAt(trace, 'server', 'TIME_WAIT', { peer: 'client' });
  const end = enteredAt(trace, 'server', 'CLOSED', { peer: 'client' });
  expect(end - start).toBe(TIME_WAIT[profile]);
  return { start, end };
}

/** SO_REUSEADDR was set on the socket of this call before it. */
function reuseAddrSet(trace: Trace, socket: number | undefined, before: number): boolean {
  return calls(trace, 'server', 'setsockopt').some((c) => c.socket === socket && c.t <= before && c.args?.[0] === 'SO_REUSEADDR' && c.result === 'ok');
}

describe('time-wait-rebind', () => {
  it('linux: EADDRINUSE without SO_REUSEADDR, EADDRINUSE with it on the new socket only, success once TIME_WAIT ends', async () => {
    const trace = await runScenario('time-wait-rebind', 'linux');
    const tw = timeWait(trace, 'linux');
    const binds = calls(trace, 'server', 'bind');
    expect(binds.map((b) => b.args?.[0])).toEqual(Array(4).fill('0.0.0.0:8898'));
    const [first, plain, reuseNewOnly, afterTw] = binds as [(typeof binds)[number], (typeof binds)[number], (typeof binds)[number], (typeof binds)[number]];
    expect(first.result).toBe('ok');

    // The old listener is gone: only the TIME_WAIT connection still holds the port.
    const listenerClosed = stateEvents(trace, 'server', { listener: true, endpoint: '0.0.0.0:8898' }).find((e) => e.from === 'LISTEN' && e.to === 'CLOSED');
    expect(listenerClosed).toBeDefined();
    for (const b of [plain, reuseNewOnly]) {
      expect(b.t).toBeGreaterThan(listenerClosed!.t);
      expect(stateAt(trace, 'server', b.t, { peer: 'client' })).toBe('TIME_WAIT');
    }
    expect(reuseAddrSet(trace, plain.socket, plain.t)).toBe(false);
    expect(plain.result).toBe('EADDRINUSE');
    // The TIME_WAIT socket inherited SO_REUSEADDR = 0 from the first listener: still refused.
    expect(reuseAddrSet(trace, reuseNewOnly.socket, reuseNewOnly.t)).toBe(true);
    expect(reuseNewOnly.result).toBe('EADDRINUSE');
    // After the 60 s TIME_WAIT the port is free again, and the new server can listen.
    expect(afterTw.t).toBeGreaterThanOrEqual(tw.end);
    expect(afterTw.result).toBe('ok');
    const listens = calls(trace, 'server', 'listen');
    expect(listens.at(-1)?.socket).toBe(afterTw.socket);
    expect(listens.at(-1)?.result).toBe('ok');
  });

  it('rfc9293 (BSD semantics): SO_REUSEADDR on the new socket alone may bind over TIME_WAIT', async () => {
    const trace = await runScenario('time-wait-rebind', 'rfc9293');
    timeWait(trace, 'rfc9293');
    const binds = calls(trace, 'server', 'bind');
    expect(binds).toHaveLength(4);
    const [first, plain, reuseNewOnly, afterTw] = binds as Array<(typeof binds)[number]> as [(typeof binds)[number], (typeof binds)[number], (typeof binds)[number], (typeof binds)[number]];
    expect(first.result).toBe('ok');
    expect(stateAt(trace, 'server', plain.t, { peer: 'client' })).toBe('TIME_WAIT');
    expect(reuseAddrSet(trace, plain.socket, plain.t)).toBe(false);
    expect(plain.result).toBe('EADDRINUSE');
    expect(stateAt(trace, 'server', reuseNewOnly.t, { peer: 'client' })).toBe('TIME_WAIT');
    expect(reuseAddrSet(trace, reuseNewOnly.socket, reuseNewOnly.t)).toBe(true);
    expect(reuseNewOnly.result).toBe('ok');
    // The program goes on to wait out TIME_WAIT (240 s, 2 MSL, here) and binds again.
    expect(stateAt(trace, 'server', afterTw.t, { peer: 'client' })).toBe('CLOSED');
    expect(afterTw.result).toBe('ok');
  });
});
