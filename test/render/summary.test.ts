import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../../src/render/summary.js';
import { call, makeTrace, state } from './trace-builders.js';

describe('summarizeTrace', () => {
  const trace = makeTrace([
    state(0, 'server', 1, '10.0.0.2:80', 'CLOSED', 'LISTEN'),
    state(1, 'client', 1, '10.0.0.1:40000', 'CLOSED', 'SYN_SENT'),
    state(2, 'server', 2, '10.0.0.2:80', 'LISTEN', 'SYN_RECEIVED'),
    state(3, 'server', 3, '10.0.0.2:80', 'LISTEN', 'SYN_RECEIVED'),
    state(4, 'client', 1, '10.0.0.1:40000', 'SYN_SENT', 'CLOSED'),
    call(4, 'client', 'connect', ['10.0.0.2:80'], 'ETIMEDOUT'),
    call(5, '10.0.0.1', 'connect', ['10.0.0.2:80'], 'ETIMEDOUT'),
    call(6, 'server', 'listen', ['80'], 'ok'),
  ]);

  it('lists final states per host (hosts in trace order) and failed calls, counting repeats', () => {
    expect(summarizeTrace(trace)).toBe(
      'final: client CLOSED; server LISTEN, SYN_RECEIVED x2 | failed calls: client connect() ETIMEDOUT x2',
    );
  });

  it('says when nothing failed', () => {
    expect(summarizeTrace(makeTrace([]))).toBe('final: no sockets | failed calls: none');
  });

  it('fits the width', () => {
    expect(summarizeTrace(trace, 40)).toHaveLength(40);
  });
});
