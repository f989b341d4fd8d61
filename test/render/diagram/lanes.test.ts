// One lifeline per endpoint, in a sensible order; a flood's spoofed sources in one lane; sockets without a port on
// their host's lane.
import { describe, expect, it } from 'vitest';
import { diagramModel } from '../../../src/render/diagram/model.js';
import { CLIENT, SERVER, call, makeTrace, segment, state } from '../trace-builders.js';
import { builtinTrace } from './run-builtin.js';

describe('lanes', () => {
  it('backlog-overflow: each client on its own lifeline, the listener last', async () => {
    const model = diagramModel(await builtinTrace('backlog-overflow'));
    expect(model.lanes.map((l) => l.title)).toEqual(['client1', 'client2', 'client3', 'client4', 'server']);
    expect(model.lanes[4]!.listener).toBe(true);
    expect(model.lanes[4]!.subtitle).toBe('10.0.0.2:9999 listening');
    // Every SYN client4 sent leaves client4's lane.
    const client4 = model.lanes.findIndex((l) => l.title === 'client4');
    const syns = model.items.filter((i) => i.kind === 'segment' && i.flags === 'SYN' && i.from === client4);
    expect(syns.length).toBeGreaterThanOrEqual(4);
    const others = model.items.filter((i) => i.kind === 'segment' && i.flags === 'SYN' && i.from !== client4);
    expect(new Set(others.map((i) => (i.kind === 'segment' ? i.from : -1)))).toEqual(new Set([0, 1, 2]));
  });

  it('the listener and the connections it accepted share one lifeline, on separate tracks while they overlap', async () => {
    const model = diagramModel(await builtinTrace('backlog-overflow'));
    const server = model.lanes.length - 1;
    expect(model.lanes[server]!.tracks).toBeGreaterThanOrEqual(3);
    const spans = model.states.filter((s) => s.lane === server);
    expect(spans.find((s) => s.state === 'LISTEN')?.track).toBe(0);
    expect(new Set(spans.filter((s) => s.state === 'ESTABLISHED').map((s) => s.track)).size).toBeGreaterThan(1);
  });

  it('tw-reuse: calls of sockets that never got a port are on their host lane, at their times', async () => {
    const trace = await builtinTrace('tw-reuse');
    const model = diagramModel(trace);
    const failed = model.items.filter((i) => i.kind === 'call' && i.text.includes('EADDRNOTAVAIL'));
    const inTrace = trace.events.filter((e) => e.kind === 'call' && e.result === 'EADDRNOTAVAIL');
    expect(failed.length).toBe(inTrace.length);
    expect(failed.length).toBeGreaterThan(5);
    for (const item of failed) {
      if (item.kind !== 'call') throw new Error('not a call');
      const lane = model.lanes[item.lane]!;
      expect(lane.kind).toBe('host');
      expect(lane.subtitle).toMatch(/\(no port\)$/);
      expect(item.t).toBe(trace.events[item.index]!.t);
    }
  });

  it('syn-flood: 36 spoofed addresses make one labelled lane on the left', async () => {
    const model = diagramModel(await builtinTrace('syn-flood'));
    expect(model.lanes[0]!.kind).toBe('outside');
    expect(model.lanes[0]!.title).toBe('spoofed sources');
    expect(model.lanes[0]!.subtitle).toMatch(/\(36 addresses\)$/);
    expect(model.lanes.map((l) => l.title)).toEqual(['spoofed sources', 'client', 'server']);
  });

  it('rst-in-window: forged segments come from an "injected" lane, not from the host whose address they carry', async () => {
    const model = diagramModel(await builtinTrace('rst-in-window'));
    const outside = model.lanes.findIndex((l) => l.kind === 'outside');
    expect(model.lanes[outside]!.title).toBe('injected');
    expect(model.lanes[outside]!.subtitle).toBe('forged as 10.0.0.2');
    const forged = model.items.filter((i) => i.kind === 'segment' && i.marks.includes('injected'));
    expect(forged.length).toBeGreaterThan(3);
    for (const f of forged) expect(f.kind === 'segment' && f.from).toBe(outside);
  });

  it('UDP sockets are placed on the endpoint their bind() names', async () => {
    const model = diagramModel(await builtinTrace('udp-contrast'));
    expect(model.lanes.map((l) => `${l.title} ${l.subtitle}`)).toEqual(['client 10.0.0.1:40000', 'server 10.0.0.2:9000']);
    const binds = model.items.filter((i) => i.kind === 'call' && i.text.startsWith('bind('));
    expect(binds.map((b) => (b.kind === 'call' ? b.lane : -1))).toEqual([1, 0]);
  });

  it('a replayed loopback capture: both lifelines are whole endpoints on one address', () => {
    const a = { name: '127.0.0.1:40000', address: '127.0.0.1:40000' };
    const b = { name: '127.0.0.1:8080', address: '127.0.0.1:8080' };
    const trace = makeTrace([segment(0, a.address, b.address, ['SYN'], 1, 0), segment(600, b.address, a.address, ['SYN', 'ACK'], 9, 2)], [a, b]);
    const model = diagramModel(trace);
    expect(model.lanes.map((l) => l.title)).toEqual(['127.0.0.1:40000', '127.0.0.1:8080']);
    const [syn, synAck] = model.items;
    expect(syn?.kind === 'segment' && [syn.from, syn.to]).toEqual([0, 1]);
    expect(synAck?.kind === 'segment' && [synAck.from, synAck.to]).toEqual([1, 0]);
  });

  it('a TCP self-connect is one lane with arrows to itself', () => {
    const self = { name: '127.0.0.1:5000', address: '127.0.0.1:5000' };
    const trace = makeTrace([segment(0, self.address, self.address, ['SYN'], 1, 0)], [self]);
    const model = diagramModel(trace);
    expect(model.lanes).toHaveLength(1);
    const [syn] = model.items;
    expect(syn?.kind === 'segment' && [syn.from, syn.to]).toEqual([0, 0]);
  });

  it('hosts that never listen come first, in trace order, then the listeners', () => {
    const trace = makeTrace(
      [
        state(0, 'server', 1, '0.0.0.0:80', 'CLOSED', 'LISTEN'),
        { ...call(0, 'server', 'listen', ['5'], 'ok'), socket: 1 },
        segment(10, '10.0.0.1:40000', '10.0.0.2:80', ['SYN'], 1, 0),
      ],
      [SERVER, CLIENT],
    );
    expect(diagramModel(trace).lanes.map((l) => l.title)).toEqual(['client', 'server']);
  });
});
