// RFC 9293 3.6: TIME_WAIT lasts the profile's 2MSL (Linux 60 s, the RFC profile 240 s).
import { describe, expect, it } from 'vitest';
import { timeWaitLength } from '../../../src/check/index.js';
import { RFC9293 } from '../../../src/tcp/profile.js';
import { builtin, copy } from './traces.js';

describe('time-wait-length', () => {
  it('holds on Linux (60 s) and on the RFC profile (240 s)', async () => {
    const linux = await builtin('client-closes-first', 'linux');
    const rfc = await builtin('client-closes-first', 'rfc9293');
    expect(timeWaitLength(linux.trace)).toEqual([]);
    expect(timeWaitLength(rfc.trace)).toEqual([]);
    // The lost final ACK: the FIN sent again restarts the timer (3.10.7.4).
    expect(timeWaitLength((await builtin('lost-final-ack')).trace)).toEqual([]);
  });

  it('fails when TIME_WAIT ends a second late', async () => {
    const trace = copy((await builtin('client-closes-first')).trace);
    const i = trace.events.findIndex((e) => e.kind === 'state' && e.cause === 'TIMEOUT_2MSL');
    trace.events[i]!.t += 1_000_000;
    const v = timeWaitLength(trace);
    expect(v.map((x) => x.events[1])).toEqual([i]);
    expect(v[0]!.message).toContain("lasted 61 s; the profile's is 60 s");
  });

  it('fails when a Linux trace is judged by the RFC profile (60 s is not 240 s)', async () => {
    const { trace } = await builtin('client-closes-first');
    expect(timeWaitLength(trace, { profile: RFC9293 }).map((v) => v.message)).toEqual([expect.stringContaining("lasted 60 s; the profile's is 240 s")]);
  });
});
