// The benchmark's workloads at a tiny size (not timed): each must do what its row claims, so
// `npm run bench` cannot silently measure nothing. Runs them on the sources, as the bench runs them on dist/.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world.js';
import { LINUX } from '../../src/tcp/profile.js';
import { program } from '../../src/socket/index.js';
import { flagsFromNames } from '../../src/wire/segment.js';
import type { Trace, SegmentEvent } from '../../src/sim/trace.js';
import { bulk, flood, idle, lifecycle } from '../../bench/workloads.js';
import type { Engine } from '../../bench/engine-api.js';

const engine: Engine = { World, LINUX, program, flagsFromNames };

const segments = (t: Trace) => t.events.filter((e): e is SegmentEvent => e.kind === 'segment');
const states = (t: Trace, host: string, to: string) => t.events.filter((e) => e.kind === 'state' && e.host === host && e.to === to).length;

describe('lifecycle workload', () => {
  it('closes every one of 10 sequential connections, the client in TIME_WAIT, 100 bytes each way', async () => {
    const r = await lifecycle(engine, { trace: true, connections: 10, concurrency: 1, keepTrace: true });
    expect(r.clientClosed).toBe(10);
    expect(r.serverClosed).toBe(10);
    const segs = segments(r.trace!);
    expect(r.segments).toBe(segs.length);
    // Each connection: one SYN without ACK, one FIN from each end, 100 payload bytes each way.
    expect(segs.filter((s) => s.flags.includes('SYN') && !s.flags.includes('ACK'))).toHaveLength(10);
    expect(segs.filter((s) => s.flags.includes('FIN'))).toHaveLength(20);
    expect(segs.reduce((sum, s) => sum + s.len, 0)).toBe(2000);
    // RFC 9293 3.6: the end that closes first waits in TIME_WAIT.
    expect(states(r.trace!, 'client', 'TIME_WAIT')).toBe(10);
    expect(states(r.trace!, 'server', 'TIME_WAIT')).toBe(0);
    // At least SYN, SYN-ACK, ACK, two data segments, two FINs and the last ACK per connection.
    expect(segs.length).toBeGreaterThanOrEqual(80);
  });

  it('sends the same segments per connection whatever the count: 10 lifecycles send 10 times what one does', async () => {
    const one = await lifecycle(engine, { trace: true, connections: 1, concurrency: 1 });
    const ten = await lifecycle(engine, { trace: true, connections: 10, concurrency: 1 });
    expect(ten.segments).toBe(10 * one.segments!);
  });

  it('runs 100 at a time: 250 connections all closed', async () => {
    const r = await lifecycle(engine, { trace: true, connections: 250, concurrency: 100, keepTrace: true });
    expect([r.clientClosed, r.serverClosed]).toEqual([250, 250]);
    expect(states(r.trace!, 'client', 'TIME_WAIT')).toBe(250);
  });
});

describe('bulk workload', () => {
  it('delivers every byte', async () => {
    const r = await bulk(engine, { trace: true, bytes: 200_000 });
    expect(r.received).toBe(200_000);
    // 200,000 bytes need at least 200,000 / 1460 full-sized segments.
    expect(r.segments).toBeGreaterThan(137);
  });
});

describe('idle workload', () => {
  it('leaves 150 connections ESTABLISHED at both ends', async () => {
    const r = await idle(engine, { trace: true, connections: 150, keepTrace: true });
    expect([r.clientEstablished, r.serverEstablished]).toEqual([150, 150]);
    expect(states(r.trace!, 'client', 'ESTABLISHED')).toBe(150);
    expect(states(r.trace!, 'server', 'ESTABLISHED')).toBe(150);
    expect(r.trace!.events.filter((e) => e.kind === 'state' && e.from === 'ESTABLISHED')).toHaveLength(0);
  });
});

describe('flood workload', () => {
  it('injects every spoofed SYN and lets every client in once the SYN queue has overflowed', async () => {
    const r = await flood(engine, { trace: true, syns: 2000, clients: 20, keepTrace: true });
    expect(r.synsInjected).toBe(2000);
    expect([r.connected, r.gotIn]).toEqual([20, 20]);
    const segs = segments(r.trace!);
    expect(segs.filter((s) => s.injected && s.flags.includes('SYN'))).toHaveLength(2000);
    // Spoofed sources are nobody's: their SYN-ACKs have no route.
    expect(segs.filter((s) => s.fate === 'dropped' && s.flags.includes('SYN') && s.flags.includes('ACK')).length).toBeGreaterThan(0);
    // Linux tcp_syncookies=1: cookies once the SYN queue is full (net/ipv4/tcp_input.c tcp_conn_request).
    expect(segs.filter((s) => s.note === 'syncookie').length).toBeGreaterThan(0);
  });
});
