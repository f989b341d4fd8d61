// RFC 9293 3.6: only the side that sent its FIN first enters TIME_WAIT (both in a simultaneous close).
import { describe, expect, it } from 'vitest';
import { timeWaitSide } from '../../../src/check/index.js';
import type { StateEvent } from '../../../src/sim/trace.js';
import { builtin, copy } from './traces.js';

describe('time-wait-side', () => {
  it('holds when the client closes first, when the server does, and in a simultaneous close', async () => {
    for (const name of ['client-closes-first', 'server-closes-first', 'simultaneous-close']) {
      expect(timeWaitSide((await builtin(name)).trace)).toEqual([]);
    }
  });

  it('fails when the side that received the FIN first enters TIME_WAIT', async () => {
    const trace = copy((await builtin('client-closes-first')).trace);
    const i = trace.events.findIndex((e) => e.kind === 'state' && e.host === 'server' && e.to === 'LAST_ACK');
    const last = trace.events[i] as StateEvent;
    trace.events[i] = { ...last, to: 'TIME_WAIT', cause: 'RCV_FIN' };
    const v = timeWaitSide(trace);
    expect(v).toHaveLength(1);
    expect(v[0]!.events).toContain(i);
    expect(v[0]!.message).toMatch(/^server 10\.0\.0\.2:9999 entered TIME_WAIT .* but the peer closed first/);
  });
});
