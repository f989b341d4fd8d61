// RFC 9293 3.8.6 (RFC 7323 2.2 scaling): no data past the right edge of the window the peer offered.
import { describe, expect, it } from 'vitest';
import { runScenario, windowRespected } from '../../../src/check/index.js';
import type { SegmentEvent } from '../../../src/sim/trace.js';
import { builtin, copy } from './traces.js';

const bulk = {
  summary: '200 kB one way: more than an unscaled 16-bit window',
  hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
  link: { latency: '10ms' },
  programs: [
    { host: 'server', steps: [{ socket: 's' }, { bind: { socket: 's', port: 80 } }, { listen: { socket: 's', backlog: 1 } }, { accept: { socket: 's', as: 'c' } }, { recvall: 'c' }, { close: 'c' }] },
    { host: 'client', steps: [{ socket: 's' }, { connect: { socket: 's', to: 'server:80' } }, { sendall: { socket: 's', bytes: 200000 } }, { close: 's' }] },
  ],
};

describe('window-respected', () => {
  it('holds on the echo and on a bulk transfer with scaled windows', async () => {
    expect(windowRespected((await builtin('echo')).trace)).toEqual([]);
    expect(windowRespected((await runScenario(bulk)).trace)).toEqual([]);
  });

  it('fails when the peer offered no window at all', async () => {
    const trace = copy((await builtin('echo')).trace);
    for (const e of trace.events) if (e.kind === 'segment' && e.src.startsWith('10.0.0.2')) e.win = 0;
    const data = trace.events.findIndex((e) => e.kind === 'segment' && e.len > 0 && e.src.startsWith('10.0.0.1'));
    const v = windowRespected(trace);
    expect(v.map((x) => x.events)).toEqual([[data]]);
    expect(v[0]!.message).toContain('12 past the right edge');
  });

  it('reads windows scaled: without the window-scale option in the SYNs the same bulk trace overruns', async () => {
    const { trace } = await runScenario(bulk);
    for (const e of trace.events) if (e.kind === 'segment' && e.flags.includes('SYN')) (e as SegmentEvent).options = e.options.filter((o) => o.kind !== 'windowScale');
    expect(windowRespected(trace).length).toBeGreaterThan(0);
  });

  it("holds when a SYN sent again crosses the SYN-ACK (the window stays scaled) — a long synack check's counterexample", async () => {
    // seed 202, run 351 of `synack check --runs 2000`: a forged ACK makes the client RST in SYN_SENT, its
    // SYN is sent again after the server's SYN-ACK, and the client's ACK (win=63, shift 10) offers 64512 bytes.
    const file = {
      summary: 'a retransmitted SYN after the SYN-ACK',
      hosts: { client: { address: '10.0.0.1' }, server: { address: '10.0.0.2' } },
      link: { latency: '10ms' },
      programs: [
        { host: 'server', steps: [{ socket: 's' }, { bind: { socket: 's', port: 80 } }, { listen: { socket: 's', backlog: 0 } }, { accept: { socket: 's', as: 'conn' } }, { sendall: { socket: 'conn', bytes: 64 } }, { close: 'conn' }] },
        { host: 'client', start: '48ms', steps: [{ socket: 's' }, { connect: { socket: 's', to: 'server:80' } }, { close: 's' }] },
      ],
      inject: [{ at: '49ms', from: 'server:80', to: 'client', flags: 'ACK', seq: 'rcv.nxt', ack: 'snd.nxt+65161' }],
    };
    const { trace } = await runScenario(file);
    const synsFromClient = trace.events.filter((e): e is SegmentEvent => e.kind === 'segment' && e.src.startsWith('10.0.0.1') && e.flags.join() === 'SYN');
    expect(synsFromClient).toHaveLength(2);
    expect(synsFromClient[1]!.seq).toBe(synsFromClient[0]!.seq);
    const data = trace.events.findIndex((e) => e.kind === 'segment' && e.len === 64);
    expect(data).toBeGreaterThan(0);
    expect(windowRespected(trace)).toEqual([]);
  });
});
