// RFC 9293 3.10.1: every connect() ends ESTABLISHED or with an errno.
import { describe, expect, it } from 'vitest';
import { connectOutcome } from '../../../src/check/index.js';
import type { CallEvent } from '../../../src/sim/trace.js';
import { builtin, copy } from './traces.js';

const connectCall = (e: { kind: string; call?: string }) => e.kind === 'call' && e.call === 'connect';

describe('connect-outcome', () => {
  it('holds for a connect that succeeds and one refused', async () => {
    expect(connectOutcome((await builtin('echo')).trace)).toEqual([]);
    const refused = (await builtin('connection-refused')).trace;
    expect(refused.events.some((e) => e.kind === 'call' && e.call === 'connect' && e.result === 'ECONNREFUSED')).toBe(true);
    expect(connectOutcome(refused)).toEqual([]);
  });

  it('fails when a refused connect() claims ok', async () => {
    const trace = copy((await builtin('connection-refused')).trace);
    const i = trace.events.findIndex(connectCall);
    (trace.events[i] as CallEvent).result = 'ok';
    expect(connectOutcome(trace).map((v) => v.events)).toEqual([[i]]);
  });

  it('fails on a result that is no errno', async () => {
    const trace = copy((await builtin('connection-refused')).trace);
    const i = trace.events.findIndex(connectCall);
    (trace.events[i] as CallEvent).result = 'EMAYBE';
    expect(connectOutcome(trace).map((v) => v.message)).toEqual([expect.stringContaining('ended with "EMAYBE"')]);
  });

  it('fails when the socket got ESTABLISHED but connect() never returned', async () => {
    const trace = copy((await builtin('echo')).trace);
    trace.events.splice(trace.events.findIndex(connectCall), 1);
    expect(connectOutcome(trace).map((v) => v.message)).toEqual([expect.stringContaining('connect() never returned')]);
  });
});
