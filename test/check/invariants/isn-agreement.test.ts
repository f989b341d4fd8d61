// RFC 9293 3.4: after a handshake both sides agree on each other's ISN.
import { describe, expect, it } from 'vitest';
import { isnAgreement } from '../../../src/check/index.js';
import type { SegmentEvent } from '../../../src/sim/trace.js';
import { builtin, copy } from './traces.js';

describe('isn-agreement', () => {
  it('holds on a handshake and on a simultaneous open', async () => {
    expect(isnAgreement((await builtin('echo')).trace)).toEqual([]);
    expect(isnAgreement((await builtin('simultaneous-open')).trace)).toEqual([]);
  });

  it('fails when the SYN-ACK acknowledges something other than the client\'s ISN+1', async () => {
    const trace = copy((await builtin('echo')).trace);
    const i = trace.events.findIndex((e) => e.kind === 'segment' && e.flags.join() === 'SYN,ACK');
    (trace.events[i] as SegmentEvent).ack += 1;
    const v = isnAgreement(trace);
    expect(v).toHaveLength(1);
    expect(v[0]!.events).toContain(i);
    expect(v[0]!.message).toMatch(/^client 10\.0\.0\.1:\d+: its ISN is \d+ but no segment/);
  });

  it('fails when the client\'s first ACK does not acknowledge the server\'s ISN', async () => {
    const trace = copy((await builtin('echo')).trace);
    const syn = trace.events.findIndex((e) => e.kind === 'segment' && e.flags.join() === 'SYN,ACK');
    const ack = trace.events.findIndex((e, j) => j > syn && e.kind === 'segment' && e.src.startsWith('10.0.0.1') && e.flags.join() === 'ACK');
    (trace.events[ack] as SegmentEvent).ack -= 1;
    const v = isnAgreement(trace);
    expect(v.some((x) => x.events.includes(ack) && x.message.includes("the peer's ISN"))).toBe(true);
  });
});
