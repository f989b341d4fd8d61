// Linux sk_acceptq_is_full: a listener holds at most backlog+1 completed connections.
import { describe, expect, it } from 'vitest';
import { backlogLimit } from '../../../src/check/index.js';
import type { CallEvent } from '../../../src/sim/trace.js';
import { builtin, copy } from './traces.js';

describe('backlog-limit', () => {
  it('holds on the backlog overflow, where listen(1) queues two', async () => {
    const { trace, context } = await builtin('backlog-overflow');
    expect(backlogLimit(trace, context)).toEqual([]);
  });

  it('fails when the same queue had been listen(0): two waiting, at most one allowed', async () => {
    const { trace: real, context } = await builtin('backlog-overflow');
    const trace = copy(real);
    const i = trace.events.findIndex((e) => e.kind === 'call' && e.call === 'listen');
    (trace.events[i] as CallEvent).args = ['0'];
    const v = backlogLimit(trace, context);
    expect(v).toHaveLength(1);
    expect(v[0]!.message).toMatch(/^server: the listener \(socket 3, listen\(0\)\) holds 2 connections waiting for accept\(\), more than 1/);
  });

  it('counts by the profile\'s rule: the RFC profile\'s "ge" allows only the backlog', async () => {
    const { trace } = await builtin('backlog-overflow', 'linux');
    const { context } = await builtin('backlog-overflow', 'rfc9293');
    expect(backlogLimit(trace, context).length).toBeGreaterThan(0);
  });
});
