// An idle ESTABLISHED connection holds little heap (issue 11: "a compact TCB", at most 1 KiB per
// connection): no timer records, no output or event arrays, no buffer arrays of its own, no closure
// per connection, and no field that V8 has to box (an unsigned 32-bit sequence number of 2^31 or
// more would be a heap number per field; they are kept as signed 32-bit). Structure, not time.
import { describe, expect, it, vi } from 'vitest';
import { findScenario } from '../../src/scenarios/index.js';
import { ReceiveBuffer } from '../../src/tcp/receive-buffer.js';
import { SendBuffer } from '../../src/tcp/send-buffer.js';
import { scenarioFromFile } from '../../src/scenarios/file/build.js';
import { parseScenarioText } from '../../src/scenarios/file/parse.js';

/** A connection made and closed by both ends, no byte of data either way. */
const CONNECT_AND_CLOSE = `
summary: connect, then both close
hosts:
  client: { address: 10.0.0.1 }
  server: { address: 10.0.0.2 }
programs:
  - host: server
    steps: [ socket: l, bind: { socket: l, port: 80 }, listen: { socket: l }, accept: { socket: l, as: c }, recvall: c, close: c ]
  - host: client
    start: 0.001
    steps: [ socket: s, connect: { socket: s, to: "server:80" }, close: s ]
`;
import { Connection } from '../../src/tcp/connection.js';
import { LINUX } from '../../src/tcp/profile.js';
import { TcpSocket, type TcpStack } from '../../src/tcp/stack.js';
import { CLIENT_IP, SERVER_IP, Wire, counterRng, listenOn } from './fixtures.js';

const A = { ip: '10.0.0.1', port: 40000 };
const B = { ip: '10.0.0.2', port: 80 };
/** Both ISSs above 2^31 (the client's wraps during the handshake), where a plain field would box them. */
const CLIENT_ISS = 0xfffffff0;
const SERVER_ISS = 0x80000001;

/** Two connections through the three-way handshake (RFC 9293 3.5), segments handed over directly. */
function establishedPair(): { client: Connection; server: Connection } {
  const client = new Connection({ profile: LINUX, rng: counterRng(1), local: A, remote: B, advertisedMss: 1460, iss: CLIENT_ISS });
  const server = new Connection({ profile: LINUX, rng: counterRng(2), local: B, remote: A, advertisedMss: 1460, iss: SERVER_ISS });
  client.open(0);
  server.acceptSyn(1000, client.takeOutput()[0]!.segment);
  client.handleSegment(2000, server.takeOutput()[0]!.segment);
  for (const out of client.takeOutput()) server.handleSegment(3000, out.segment);
  client.takeEvents();
  server.takeEvents();
  return { client, server };
}

/** The own data fields of an object (accessors on the prototype are not fields). */
function fields(o: object): Array<[string, unknown]> {
  return Object.entries(o);
}

describe('an idle ESTABLISHED connection', () => {
  const { client, server } = establishedPair();

  it('is ESTABLISHED at both ends, sequence numbers read back unsigned', () => {
    expect([client.state, server.state]).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(client.iss).toBe(CLIENT_ISS);
    expect(client.sndUna).toBe(0xfffffff1);
    expect(client.rcvNxt).toBe(SERVER_ISS + 1);
    expect(server.irs).toBe(CLIENT_ISS);
    expect(server.rcvNxt).toBe(0xfffffff1);
    expect(server.sndUna).toBe(SERVER_ISS + 1);
    // TSval offsets and TS.Recent are unsigned 32-bit too (RFC 7323 3.2).
    expect(client.tsRecent).toBeGreaterThanOrEqual(0);
    expect(client.tsOffset).toBeGreaterThanOrEqual(0);
  });

  it('keeps every number field a signed 32-bit integer (unboxed in V8)', () => {
    for (const c of [client, server, client.sendBuffer, server.sendBuffer, client.receiveBuffer, server.receiveBuffer]) {
      for (const [name, v] of fields(c)) {
        if (typeof v === 'number') expect((v | 0) === v, `${c.constructor.name}.${name} = ${v}`).toBe(true);
      }
    }
  });

  it('has no timer armed and no timer record of its own', () => {
    expect(client.pollTimeout()).toBeUndefined();
    expect(Object.values(client.timers).every((d) => d === undefined)).toBe(true);
    // One shared, frozen record of "nothing armed" for every idle connection.
    expect(client.timers).toBe(server.timers);
    expect(Object.isFrozen(client.timers)).toBe(true);
    expect(fields(client).filter(([, v]) => v !== null && typeof v === 'object' && 'retransmit' in v)).toEqual([]);
  });

  it('holds no output or event array of its own', () => {
    const [out, events] = [client.takeOutput(), client.takeEvents()];
    expect(out).toEqual([]);
    expect(events).toEqual([]);
    expect(out).toBe(server.takeOutput());
    expect(events).toBe(server.takeEvents());
    expect(Object.isFrozen(out) && Object.isFrozen(events)).toBe(true);
  });

  it('holds no send or receive buffer memory of its own', () => {
    for (const buf of [client.sendBuffer, client.receiveBuffer, server.sendBuffer, server.receiveBuffer]) {
      for (const [name, v] of fields(buf)) {
        if (v instanceof Uint8Array) expect.fail(`${buf.constructor.name}.${name} holds ${v.length} bytes`);
        if (Array.isArray(v)) expect(v.length === 0 && Object.isFrozen(v), `${buf.constructor.name}.${name}`).toBe(true);
      }
    }
  });

  it('holds no closure and no yes/no field of its own (they are bits of one field)', () => {
    expect(fields(client).filter(([, v]) => typeof v === 'function' || typeof v === 'boolean').map(([k]) => k)).toEqual([]);
    expect(fields(server).filter(([, v]) => typeof v === 'function' || typeof v === 'boolean').map(([k]) => k)).toEqual([]);
    expect([client.wsOk, client.tsOk, client.sackOk, client.passive, server.passive]).toEqual([true, true, true, false, true]);
  });
});

describe('a stack’s idle ESTABLISHED connections', () => {
  /** `n` connections from the client stack to a listener on the server stack, all accepted. */
  function connected(n: number): { client: TcpStack; server: TcpStack; clients: TcpSocket[]; children: TcpSocket[] } {
    const w = new Wire([{ ip: CLIENT_IP }, { ip: SERVER_IP }]);
    const client = w.stack(CLIENT_IP);
    const server = w.stack(SERVER_IP);
    const listener = listenOn(server, 80, 128);
    const clients: TcpSocket[] = [];
    const children: TcpSocket[] = [];
    for (let i = 0; i < n; i++) {
      const s = client.socket();
      if (client.connect(w.now, s, SERVER_IP, 80)) throw new Error('connect failed');
      w.pump();
      const child = server.accept(listener);
      if (typeof child === 'string') throw new Error(`accept: ${child}`);
      clients.push(s);
      children.push(child);
    }
    return { client, server, clients, children };
  }

  const { client, server, clients, children } = connected(3);
  const stacks = { client, server };

  it('share endpoints: a connect()ed socket with its connection, a listener’s children among themselves', () => {
    for (const s of clients) expect(s.conn!.local).toBe(s.local);
    expect(children[1]!.conn!.local).toBe(children[0]!.conn!.local);
    expect(children[2]!.local).toBe(children[0]!.conn!.local);
    expect(children[0]!.conn!.local).toEqual({ ip: SERVER_IP, port: 80 });
  });

  it('share the remote endpoint among the connections a stack opened to one destination', () => {
    expect(clients[1]!.conn!.remote).toBe(clients[0]!.conn!.remote);
    expect(clients[2]!.conn!.remote).toEqual({ ip: SERVER_IP, port: 80 });
  });

  it('keep their yes/no fields as bits of one field, and no record of the rarely set ones (accepted: no listener kept)', () => {
    for (const s of [...clients, ...children]) {
      expect(fields(s).filter(([, v]) => typeof v === 'boolean').map(([k]) => k)).toEqual([]);
      // Its objects: the endpoint, the connection and the sockets next to it on its port's list of holders (no record).
      expect(fields(s).filter(([, v]) => v !== null && typeof v === 'object' && v !== s.local && v !== s.conn && !(v instanceof TcpSocket)).map(([k]) => k)).toEqual([]);
      expect([s.open, s.reuseAddr, s.explicitlyBound, s.writeShutdown, s.readShutdown, s.parent, s.listen, s.sendBufferSize]).toEqual([true, false, false, false, false, undefined, undefined, undefined]);
    }
  });

  it('are filed by their stack itself: the connection is its own entry in the 4-tuple table (no second object per connection)', () => {
    for (const s of clients) expect(s.conn!.owner).toBe(stacks.client);
    for (const s of children) expect(s.conn!.owner).toBe(stacks.server);
    for (const s of [...clients, ...children]) {
      const c = s.conn!;
      const own = fields(c).filter(([, v]) => v !== null && typeof v === 'object' && !Object.isFrozen(v) && v !== c.profile && v !== c.local && v !== c.remote && v !== c.owner && v !== s);
      // A connect()ed one's port counted for connect() is a bit of its flags, not a reference to the destination's count.
      expect(own.map(([k]) => k)).toEqual([]);
    }
  });

  it('keep of the timer heap only their place in it (-1: not filed), not the deadline, and no chain field of a table', () => {
    for (const s of [...clients, ...children]) {
      const c = s.conn! as unknown as { pos: number };
      expect(c.pos).toBe(-1);
      expect(fields(c).map(([k]) => k).filter((k) => k === 'at' || k === 'pos' || k === 'next')).toEqual(['pos']);
    }
  });

  it('keep no outbox: a segment goes to the stack’s output, with its addresses, as the connection makes it', () => {
    const w = new Wire([{ ip: CLIENT_IP }, { ip: SERVER_IP }]);
    const stack = w.stack(CLIENT_IP);
    const s = stack.socket();
    expect(stack.connect(w.now, s, SERVER_IP, 80)).toBeUndefined();
    expect(s.conn!.hasOutput()).toBe(false);
    expect(fields(s.conn!).map(([k]) => k)).not.toContain('outbox');
    const out = stack.takeOutput();
    expect(out.map((o) => [o.src, o.dst, o.segment.dstPort, o.retransmit])).toEqual([[CLIENT_IP, SERVER_IP, 80, false]]);
  });

  it('share the default SO_LINGER', () => {
    expect(clients[1]!.linger).toBe(clients[0]!.linger);
    expect(children[0]!.linger).toBe(clients[0]!.linger);
    expect(clients[0]!.linger).toEqual({ on: false, seconds: 0 });
  });

  it('hold no closure (a listener’s child asks its listener through the owner the stack files it by)', () => {
    for (const s of [...clients, ...children]) {
      for (const o of [s.conn!, s.conn!.owner!]) expect(fields(o).filter(([, v]) => typeof v === 'function').map(([k]) => k)).toEqual([]);
      expect(s.conn!.pollTimeout()).toBeUndefined();
    }
  });
});

describe('send and receive buffers, made on first use', () => {
  it('an idle ESTABLISHED connection holds neither (the handshake carried no data)', () => {
    const { client, server } = establishedPair();
    expect([client.holdsBuffers(), server.holdsBuffers()]).toEqual([false, false]);
    // What the buffers would say is still said: all of the receive buffer free, data ending at ISS + 1.
    expect(client.unread()).toBe(0);
    expect(client.sendCapacity).toBe(LINUX.sendBuffer);
    expect(client.dataEnd()).toBe((CLIENT_ISS + 1) >>> 0);
    expect(server.dataEnd()).toBe(SERVER_ISS + 1);
    // No small segment sent yet: snd_sml reads ISS (Linux tcp_minshall_check then finds none in flight).
    expect([client.sndSml, server.sndSml]).toEqual([CLIENT_ISS, SERVER_ISS]);
  });

  it('the sender keeps its send buffer once written; the receiver lets go of its receive buffer once read', () => {
    const { client, server } = establishedPair();
    expect(client.send(4000, new Uint8Array(100).fill(7))).toBe(100);
    expect(client.holdsBuffers()).toBe(true);
    // A segment smaller than the MSS went out: its end is snd_sml (Linux tcp_minshall_update).
    expect(client.sndSml).toBe((CLIENT_ISS + 101) >>> 0);
    for (const out of client.takeOutput()) server.handleSegment(5000, out.segment);
    expect(server.unread()).toBe(100);
    expect(server.holdsBuffers()).toBe(true);
    expect(server.read(6000, 1000)).toEqual(new Uint8Array(100).fill(7));
    expect(server.holdsBuffers()).toBe(false);
    // Acknowledged, the client's send buffer is empty but starts past ISS + 1 now: kept.
    server.handleTimeout(server.pollTimeout()!);
    for (const out of server.takeOutput()) client.handleSegment(300_000, out.segment);
    expect(client.sndUna).toBe((CLIENT_ISS + 101) >>> 0);
    expect(client.dataEnd()).toBe((CLIENT_ISS + 101) >>> 0);
    expect(client.holdsBuffers()).toBe(true);
  });

  it('a connection that carries no data uses no buffer, even for its SACK option, the ACKs of its SYN and FIN, and its FIN', async () => {
    const asked = [
      vi.spyOn(ReceiveBuffer.prototype, 'sackBlocks'),
      vi.spyOn(SendBuffer.prototype, 'acknowledge'),
      vi.spyOn(SendBuffer.prototype, 'read'),
    ];
    try {
      // A handshake and a close both ways, SACK negotiated (linux), no byte of data.
      const { trace } = await findScenario('three-way-handshake')!.execute!({ profile: 'linux', seed: 1 });
      expect(trace.events.some((e) => e.kind === 'segment' && e.flags.includes('SYN'))).toBe(true);
      const closeOnly = scenarioFromFile(parseScenarioText(CONNECT_AND_CLOSE, 'close.yaml'), 'close', 'test');
      const closed = await closeOnly.execute!({ profile: 'linux', seed: 1 });
      const segments = closed.trace.events.filter((e) => e.kind === 'segment');
      expect(segments.filter((e) => e.flags.includes('FIN'))).toHaveLength(2);
      expect(segments.every((e) => e.len === 0)).toBe(true);
      for (const spy of asked) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of asked) spy.mockRestore();
    }
  });

  it('a send buffer of another size than the profile’s (SO_SNDBUF) is made at once and kept', () => {
    const c = new Connection({ profile: LINUX, rng: counterRng(3), local: A, remote: B, advertisedMss: 1460, sendBuffer: 8192 });
    c.open(0);
    expect(c.holdsBuffers()).toBe(true);
    expect(c.sendCapacity).toBe(8192);
  });
});

describe('the rarely set fields (retransmission, probes, timers, errors)', () => {
  it('an idle ESTABLISHED connection reads their defaults and holds no record of them', () => {
    const { client, server } = establishedPair();
    for (const c of [client, server]) {
      expect([c.retransmits, c.dupAcks, c.probes, c.rttSample, c.retransmitSince, c.error, c.timeWaitSince, c.lastOowAckAt, c.pendingFinSeq]).toEqual([0, 0, 0, undefined, undefined, undefined, undefined, undefined, undefined]);
      // Its own objects are the profile and the endpoints (shared) and the frozen "nothing pending" arrays.
      const own = fields(c).filter(([, v]) => v !== null && typeof v === 'object' && !Object.isFrozen(v) && v !== c.profile && v !== c.local && v !== c.remote);
      expect(own.map(([k]) => k)).toEqual([]);
    }
  });

  it('data in flight makes the record (an RTT sample, the retransmission timer); the ACK of all of it lets it go', () => {
    const { client, server } = establishedPair();
    client.send(4000, new Uint8Array(10));
    expect(client.rttSample).toBeDefined();
    expect(client.timers.retransmit).toBeDefined();
    expect(fields(client).filter(([, v]) => v instanceof Object && 'retransmits' in v)).toHaveLength(1);
    for (const out of client.takeOutput()) server.handleSegment(5000, out.segment);
    server.handleTimeout(server.pollTimeout()!);
    for (const out of server.takeOutput()) client.handleSegment(300_000, out.segment);
    expect([client.rttSample, client.pollTimeout()]).toEqual([undefined, undefined]);
    client.takeEvents(); // events not yet taken are kept with the rare fields (an owner that wants none never has any)
    expect(fields(client).filter(([, v]) => v instanceof Object && 'retransmits' in v)).toEqual([]);
  });

  it('the ACK that ends an episode of retransmissions clears its start (retransmitSince), as Linux clears retrans_stamp', () => {
    const { client, server } = establishedPair();
    client.send(4000, new Uint8Array(10));
    client.takeOutput(); // lost
    client.handleTimeout(client.pollTimeout()!); // RTO: retransmits 1, retransmitSince set (Linux retrans_stamp)
    expect(client.retransmits).toBe(1);
    expect(client.retransmitSince).toBeDefined();
    for (const out of client.takeOutput()) server.handleSegment(300_000, out.segment);
    server.handleTimeout(server.pollTimeout()!);
    for (const out of server.takeOutput()) client.handleSegment(600_000, out.segment);
    expect([client.retransmits, client.retransmitSince, client.pollTimeout()]).toEqual([0, undefined, undefined]);
    // The loss set ssthresh (RFC 5681 3.1), which stays: the record is kept for it alone.
    expect(client.ssthresh).toBe(2);
  });

  it('the window scales and quick ACKs share the yes/no bits’ field and read back as set', () => {
    const { client } = establishedPair();
    client.sndWscale = 14;
    client.rcvWscale = 7;
    client.quickAcks = 16;
    client.sackOk = false;
    expect([client.sndWscale, client.rcvWscale, client.quickAcks, client.sackOk, client.tsOk, client.wsOk]).toEqual([14, 7, 16, false, true, true]);
    client.quickAcks -= 1;
    expect([client.sndWscale, client.rcvWscale, client.quickAcks]).toEqual([14, 7, 15]);
  });
});

describe('a socket’s rarely set fields', () => {
  it('read back as set, and as defaults once set back', () => {
    const w = new Wire([{ ip: CLIENT_IP }, { ip: SERVER_IP }]);
    const s = w.stack(CLIENT_IP).socket();
    const linger = { on: true, seconds: 0 };
    s.linger = linger;
    s.sendBufferSize = 8192;
    s.reuseAddr = true;
    s.open = false;
    expect([s.linger, s.sendBufferSize, s.reuseAddr, s.open, s.nodelay]).toEqual([linger, 8192, true, false, false]);
    s.linger = { on: false, seconds: 0 };
    s.sendBufferSize = undefined;
    expect([s.linger, s.sendBufferSize]).toEqual([{ on: false, seconds: 0 }, undefined]);
  });
});

describe('the receiver’s ACK bookkeeping (Linux icsk_ack: ato, lrcvtime, rcv_mss)', () => {
  it('reads its defaults while no data has arrived, and is kept once data has', () => {
    const { client, server } = establishedPair();
    expect([server.ato, server.lastDataReceivedAt, server.rcvMss, server.unackedBytes]).toEqual([0, 0, 536, 0]);
    client.send(4000, new Uint8Array(1000));
    for (const out of client.takeOutput()) server.handleSegment(5000, out.segment);
    server.read(6000, 1000);
    // tcp_event_data_recv: ato starts at the minimum (40 ms), rcv_mss follows the segment (1000 of it).
    expect([server.ato, server.lastDataReceivedAt, server.rcvMss]).toEqual([LINUX.delayedAckTimeout, 5000, 1000]);
    expect(server.holdsBuffers()).toBe(false);
  });
});

describe('a socket’s descriptor number, kept with its yes/no bits in one field', () => {
  it('reads back exactly with every bit set and cleared, small or beyond 2^31', () => {
    for (const id of [3, 1000, 2 ** 25 + 1, 2 ** 40 + 5]) {
      const s = new TcpSocket(id);
      expect([s.id, s.open]).toEqual([id, true]);
      s.reuseAddr = s.nodelay = s.explicitlyBound = s.writeShutdown = s.readShutdown = true;
      s.open = false;
      expect([s.id, s.open, s.reuseAddr, s.nodelay, s.explicitlyBound, s.writeShutdown, s.readShutdown]).toEqual([id, false, true, true, true, true, true]);
      s.reuseAddr = s.readShutdown = false;
      s.nodelay = true; // set again: no change
      expect([s.id, s.reuseAddr, s.nodelay, s.explicitlyBound, s.readShutdown]).toEqual([id, false, true, true, false]);
      expect(fields(s).map(([k]) => k)).not.toContain('id');
    }
  });
});
