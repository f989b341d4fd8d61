// statesAt (web/src/statechart/states-at.ts): each socket's state after an event of a trace, and the
// edge that event took. The real trace comes from the engine (Node-side: findScenario reads files).
import { describe, expect, it } from 'vitest';
import { findScenario } from '../../../src/scenarios/index.js';
import type { StateEvent, Trace, TraceEvent } from '../../../src/sim/trace.js';
import { socketLabels, statesAt } from '../../../web/src/statechart/states-at.js';
import { pcapBytes } from '../../../web/src/engine/capture-bytes.js';
import { replayCapture } from '../../../web/src/engine/replay-capture.js';

function state(host: string, socket: number, endpoint: string, from: string, to: string, cause: string, peer?: string): StateEvent {
  return { t: 0, kind: 'state', host, socket, endpoint, from, to, cause, ...(peer === undefined ? {} : { peer }) };
}

function trace(events: TraceEvent[]): Trace {
  return {
    format: 'synack-trace',
    version: 1,
    scenario: 'test',
    profile: 'linux',
    seed: 1,
    hosts: [
      { name: 'client', address: '10.0.0.1' },
      { name: 'server', address: '10.0.0.2' },
    ],
    events,
  };
}

describe('statesAt on a real three-way handshake', async () => {
  const run = await findScenario('three-way-handshake')!.run({ profile: 'linux', seed: 1 });
  const clientEvents = run.events.flatMap((e, i) => (e.kind === 'state' && e.host === 'client' ? [{ e, i }] : []));

  it('ends with the client ESTABLISHED, the listener in LISTEN and the accepted socket ESTABLISHED', () => {
    const end = statesAt(run, run.events.length - 1);
    const client = end.sockets.filter((s) => s.host === 'client');
    expect(client.map((s) => s.state)).toEqual(['ESTABLISHED']);
    expect(client[0]!.label).toMatch(/^client :\d+$/);
    const server = end.sockets.filter((s) => s.host === 'server').map((s) => [s.state, s.label]);
    // Two server sockets on one port: the accepted one names its peer's port.
    expect(server).toContainEqual(['LISTEN', expect.stringMatching(/^server :\d+$/)]);
    expect(server).toContainEqual(['ESTABLISHED', expect.stringMatching(/^server :\d+<-\d+$/)]);
  });

  it('gives the edge taken at the client SYN,ACK: SYN_SENT -> ESTABLISHED on RCV_SYN_ACK', () => {
    const synAck = clientEvents.find(({ e }) => e.kind === 'state' && e.to === 'ESTABLISHED')!;
    const at = statesAt(run, synAck.i);
    expect(at.edge).toMatchObject({ from: 'SYN_SENT', to: 'ESTABLISHED', cause: 'RCV_SYN_ACK' });
    expect(at.edge!.label).toMatch(/^client :/);
    // One event earlier the client was still in SYN_SENT.
    const before = statesAt(run, synAck.i - 1);
    expect(before.sockets.find((s) => s.host === 'client')?.state).toBe('SYN_SENT');
  });

  it('has no sockets before the first event and no edge for an event that is not a state change', () => {
    expect(statesAt(run, -1)).toEqual({ sockets: [] });
    const segment = run.events.findIndex((e) => e.kind === 'segment');
    expect(statesAt(run, segment).edge).toBeUndefined();
  });
});

describe('statesAt labels and steps', () => {
  const events: TraceEvent[] = [
    state('server', 3, '0.0.0.0:80', 'CLOSED', 'LISTEN', 'PASSIVE_OPEN'),
    state('10.0.0.2', 4, '10.0.0.2:80', 'LISTEN', 'SYN_RECEIVED', 'RCV_SYN', '10.0.0.1:40001'),
    state('server', 5, '10.0.0.2:80', 'LISTEN', 'SYN_RECEIVED', 'RCV_SYN', '10.0.0.1:40002'),
    state('client', 3, '10.0.0.1:40001', 'SYN_SENT', 'ESTABLISHED', 'RCV_SYN_ACK', '10.0.0.2:80'),
    state('server', 4, '10.0.0.2:80', 'SYN_RECEIVED', 'ESTABLISHED', 'RCV_ACK_OF_SYN', '10.0.0.1:40001'),
  ];
  const t = trace(events);

  it('names a host given by address, and tells sockets on one port apart by peer port', () => {
    expect([...socketLabels(t).values()]).toEqual(['server :80', 'server :80<-40001', 'server :80<-40002', 'client :40001']);
  });

  it('keeps first-appearance order and applies events up to and including the step', () => {
    const at = statesAt(t, 3);
    expect(at.sockets.map((s) => [s.label, s.state])).toEqual([
      ['server :80', 'LISTEN'],
      ['server :80<-40001', 'SYN_RECEIVED'],
      ['server :80<-40002', 'SYN_RECEIVED'],
      ['client :40001', 'ESTABLISHED'],
    ]);
    expect(at.edge).toEqual({ key: 'client#3', label: 'client :40001', from: 'SYN_SENT', to: 'ESTABLISHED', cause: 'RCV_SYN_ACK' });
  });

  it('clamps a step past the end to the last event', () => {
    expect(statesAt(t, 99)).toEqual(statesAt(t, events.length - 1));
    expect(statesAt(t, 99).sockets.find((s) => s.key === 'server#4')?.state).toBe('ESTABLISHED');
  });

  it('adds the socket id when host, port and peer are all the same (a reused 4-tuple)', () => {
    const reused = trace([
      state('client', 3, '10.0.0.1:40001', 'CLOSED', 'SYN_SENT', 'ACTIVE_OPEN', '10.0.0.2:80'),
      state('client', 4, '10.0.0.1:40001', 'CLOSED', 'SYN_SENT', 'ACTIVE_OPEN', '10.0.0.2:80'),
    ]);
    expect([...socketLabels(reused).values()]).toEqual(['client :40001->80 #3', 'client :40001->80 #4']);
  });

  it('rejects a step that is not a number', () => {
    expect(() => statesAt(t, Number.NaN)).toThrow(/step must be a number/);
  });
});

describe('socketLabels for a replayed capture, whose hosts are named by endpoint (src/replay/to-trace.ts)', () => {
  it('does not repeat the port of a host named "address:port"', () => {
    const byEndpoint: Trace = {
      ...trace([
        state('10.0.0.1:53780', 1, '10.0.0.1:53780', 'CLOSED', 'SYN_SENT', 'inferred', '10.0.0.2:8898'),
        state('[::1]:8898', 2, '[::1]:8898', 'CLOSED', 'SYN_RECEIVED', 'inferred', '[::1]:53780'),
      ]),
      hosts: [
        { name: '10.0.0.1:53780', address: '10.0.0.1:53780' },
        { name: '[::1]:8898', address: '[::1]:8898' },
      ],
    };
    expect([...socketLabels(byEndpoint).values()]).toEqual(['10.0.0.1:53780', '[::1]:8898']);
    expect(statesAt(byEndpoint, 1).sockets.map((s) => s.label)).toEqual(['10.0.0.1:53780', '[::1]:8898']);
  });

  it('still adds the port to a host whose name ends in another number ("host:80" listening on 8080)', () => {
    const other: Trace = { ...trace([state('web:80', 1, '10.0.0.2:8080', 'CLOSED', 'LISTEN', 'PASSIVE_OPEN')]), hosts: [{ name: 'web:80', address: '10.0.0.2' }] };
    expect([...socketLabels(other).values()]).toEqual(['web:80 :8080']);
  });

  it('labels each end of a replayed handshake by its endpoint alone', async () => {
    const run = await findScenario('three-way-handshake')!.run({ profile: 'linux', seed: 1 });
    const replayed = replayCapture(pcapBytes(run), 'hs.pcap').trace;
    const labels = [...socketLabels(replayed).values()].sort();
    expect(labels).toEqual(replayed.hosts.map((h) => h.name).sort());
    expect(labels.every((l) => /^\d+\.\d+\.\d+\.\d+:\d+$/.test(l))).toBe(true);
  });
});
