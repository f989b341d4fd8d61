// TcpStack: demultiplexing, resets for segments that reach no socket (RFC 9293 3.10.7.1-2, Linux
// tcp_v4_send_reset), listen queues (Linux tcp_conn_request, tcp_check_req), SYN cookies, ephemeral
// ports, TIME_WAIT handling and the bind rules of src/tcp/ports.ts. Kernel observations quoted
// from docs/linux-vs-rfc.md.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world.js';
import { program, SocketError } from '../../src/socket/index.js';
import { bindConflict, type PortOwner } from '../../src/tcp/ports.js';
import { LINUX, RFC9293, withKnobs, type Profile } from '../../src/tcp/profile.js';
import type { TcpSocket, TcpStack } from '../../src/tcp/stack.js';
import type { Segment, TcpOption } from '../../src/wire/segment.js';
import { ACK, CLIENT_IP, FIN, MS, RST, S, SERVER_IP, SYN, Wire, flagsOf, listenOn, seq } from './fixtures.js';

const C = CLIENT_IP;
const SV = SERVER_IP;
const enc = new TextEncoder();
const dec = new TextDecoder();

function pair(client: Profile = LINUX, server: Profile = client): Wire {
  return new Wire([
    { ip: C, profile: client },
    { ip: SV, profile: server },
  ]);
}

/** A client socket connect()ed to SV:port, with the handshake run to its end. */
function connect(w: Wire, port = 80): TcpSocket {
  const cs = w.stack(C);
  const s = cs.socket();
  const err = cs.connect(w.now, s, SV, port);
  if (err) throw new Error(`connect: ${err}`);
  w.pump();
  return s;
}

function accepted(stack: TcpStack, listener: TcpSocket): TcpSocket {
  const r = stack.accept(listener);
  if (typeof r === 'string') throw new Error(`accept: ${r}`);
  return r;
}

const established = (socks: TcpSocket[]) => socks.filter((s) => s.conn?.state === 'ESTABLISHED').length;

// Hand-made client segments to a server stack.
const MSS_1460: TcpOption[] = [{ kind: 'mss', mss: 1460 }];
function syn(w: Wire, port: number, isn: number, options: TcpOption[] = MSS_1460): Segment[] {
  return w.inject(C, SV, { srcPort: port, dstPort: 80, seq: isn, flags: SYN, window: 65535, options });
}
function ack(w: Wire, port: number, s: number, a: number, options: TcpOption[] = []): Segment[] {
  return w.inject(C, SV, { srcPort: port, dstPort: 80, seq: s, ack: a, flags: ACK, window: 65535, options });
}
const childFor = (stack: TcpStack, port: number) => stack.allSockets().find((s) => s.conn?.remote.port === port && s.conn.state !== 'CLOSED');

describe('demultiplexing by 4-tuple', () => {
  it('two clients of one listener: each child gets the bytes of its own 4-tuple', () => {
    const w = pair();
    const sv = w.stack(SV);
    const l = listenOn(sv, 80, 5);
    const a = connect(w);
    const b = connect(w);
    expect(a.conn!.local.port).not.toBe(b.conn!.local.port);
    const c1 = accepted(sv, l);
    const c2 = accepted(sv, l);
    w.stack(C).send(w.now, a, enc.encode('from-a'));
    w.stack(C).send(w.now, b, enc.encode('from-b!!'));
    w.pump();
    const byPort = new Map([c1, c2].map((c) => [c.conn!.remote.port, c]));
    const ra = sv.recv(w.now, byPort.get(a.conn!.local.port)!, 100);
    const rb = sv.recv(w.now, byPort.get(b.conn!.local.port)!, 100);
    expect(dec.decode(ra as Uint8Array)).toBe('from-a');
    expect(dec.decode(rb as Uint8Array)).toBe('from-b!!');
  });

  it('a segment whose 4-tuple matches no connection goes to the listener (ACK -> RST), not to a child', () => {
    const w = pair();
    const sv = w.stack(SV);
    listenOn(sv, 80, 5);
    const a = connect(w);
    const port = a.conn!.local.port;
    const out = w.inject(C, SV, { srcPort: port + 1, dstPort: 80, seq: 1, ack: 777, flags: ACK });
    expect(out.map(flagsOf)).toEqual(['RST']);
    expect(out[0]!.seq).toBe(777);
    expect(a.conn!.state).toBe('ESTABLISHED');
  });
});

describe('segment for no socket (RFC 9293 3.10.7.1, Linux tcp_v4_send_reset)', () => {
  const closedPort = () => new Wire([{ ip: SV }]);
  const to = { srcPort: 40000, dstPort: 80 };

  it('CLOSED port + SYN: RST|ACK <SEQ=0><ACK=ISN+1>, window 0, no options', () => {
    const out = closedPort().inject(C, SV, { ...to, seq: 1000, flags: SYN, window: 65535, options: MSS_1460 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: 0, ack: 1001, flags: RST | ACK, window: 0, options: [], srcPort: 80, dstPort: 40000 });
  });

  it('CLOSED port + ACK (with or without data): RST <SEQ=SEG.ACK>, no ACK flag', () => {
    for (const payload of [new Uint8Array(0), new Uint8Array(10)]) {
      const out = closedPort().inject(C, SV, { ...to, seq: 1000, ack: 5000, flags: ACK, payload });
      expect(out).toHaveLength(1);
      expect(out[0]).toMatchObject({ seq: 5000, flags: RST, window: 0 });
    }
  });

  it('CLOSED port + segments without ACK: RST|ACK with ack = SEG.SEQ + SEG.LEN (10 bytes, FIN, no flags)', () => {
    const data = closedPort().inject(C, SV, { ...to, seq: 1000, flags: 0, payload: new Uint8Array(10) });
    expect(data[0]).toMatchObject({ seq: 0, ack: 1010, flags: RST | ACK });
    const fin = closedPort().inject(C, SV, { ...to, seq: 1000, flags: FIN });
    expect(fin[0]).toMatchObject({ seq: 0, ack: 1001, flags: RST | ACK });
    const bare = closedPort().inject(C, SV, { ...to, seq: 1000, flags: 0 });
    expect(bare[0]).toMatchObject({ seq: 0, ack: 1000, flags: RST | ACK });
  });

  it('CLOSED port + RST or RST|ACK: nothing', () => {
    expect(closedPort().inject(C, SV, { ...to, seq: 1000, flags: RST })).toEqual([]);
    expect(closedPort().inject(C, SV, { ...to, seq: 1000, ack: 5, flags: RST | ACK })).toEqual([]);
  });

  it('connect() to a closed port: the client gets ECONNREFUSED and is CLOSED', () => {
    const w = pair();
    const s = connect(w);
    expect(s.conn!.state).toBe('CLOSED');
    expect(w.stack(C).takeError(s)).toBe('ECONNREFUSED');
  });
});

describe('LISTEN + segments other than SYN (RFC 9293 3.10.7.2)', () => {
  const listener = () => {
    const w = new Wire([{ ip: SV }]);
    listenOn(w.stack(SV), 80, 5);
    return w;
  };
  const to = { srcPort: 40000, dstPort: 80 };

  it('LISTEN + bare ACK: RST <SEQ=SEG.ACK>, no ACK flag', () => {
    const out = listener().inject(C, SV, { ...to, seq: 1000, ack: 5000, flags: ACK });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: 5000, flags: RST, window: 0 });
  });

  it('LISTEN + SYN|ACK or ACK with data: RST <SEQ=SEG.ACK>', () => {
    expect(listener().inject(C, SV, { ...to, seq: 1000, ack: 5000, flags: SYN | ACK })[0]).toMatchObject({ seq: 5000, flags: RST });
    expect(listener().inject(C, SV, { ...to, seq: 1000, ack: 5000, flags: ACK, payload: new Uint8Array(3) })[0]).toMatchObject({ seq: 5000, flags: RST });
  });

  it('LISTEN + RST, or a segment without flags: nothing', () => {
    expect(listener().inject(C, SV, { ...to, seq: 1000, flags: RST })).toEqual([]);
    expect(listener().inject(C, SV, { ...to, seq: 1000, flags: 0 })).toEqual([]);
  });
});

describe('listen backlog and the accept queue', () => {
  // Linux sk_acceptq_is_full: length > backlog, so listen(n) holds n + 1 (observed for n = 0..3).
  for (const n of [0, 1, 2, 3]) {
    it(`listen(${n}) (linux): ${n + 1} connections complete; the next SYN is dropped silently, even with syncookies`, () => {
      const w = pair();
      const sv = w.stack(SV);
      const l = listenOn(sv, 80, n);
      const clients: TcpSocket[] = [];
      for (let i = 0; i < n + 1; i++) clients.push(connect(w));
      expect(established(clients)).toBe(n + 1);
      expect(l.listen!.acceptQueue).toHaveLength(n + 1);
      const socketsBefore = sv.allSockets().length;
      const late = connect(w);
      expect(late.conn!.state).toBe('SYN_SENT');
      const answers = w.log.filter((x) => x.src === SV && x.seg.dstPort === late.conn!.local.port);
      expect(answers).toEqual([]);
      expect(sv.allSockets()).toHaveLength(socketsBefore);
    });
  }

  it('listen(n) (rfc9293 profile): n connections complete, the next SYN is dropped', () => {
    for (const n of [1, 2, 3]) {
      const w = pair(RFC9293);
      const l = listenOn(w.stack(SV), 80, n);
      const clients: TcpSocket[] = [];
      for (let i = 0; i < n + 1; i++) clients.push(connect(w));
      expect(established(clients)).toBe(n);
      expect(l.listen!.acceptQueue).toHaveLength(n);
      expect(clients[n]!.conn!.state).toBe('SYN_SENT');
    }
  });

  it('full accept queue, then accept(): the waiting client gets in with its next SYN retransmission (1 s)', () => {
    const w = pair();
    const sv = w.stack(SV);
    const l = listenOn(sv, 80, 0);
    connect(w);
    const late = connect(w);
    expect(late.conn!.state).toBe('SYN_SENT');
    accepted(sv, l);
    w.advance(999 * MS);
    expect(late.conn!.state).toBe('SYN_SENT');
    w.advance(1 * S);
    expect(late.conn!.state).toBe('ESTABLISHED');
    expect(l.listen!.acceptQueue).toHaveLength(1);
  });

  it('listen(-1) means somaxconn; listen(5000) is capped at somaxconn (4096)', () => {
    const w = pair();
    const sv = w.stack(SV);
    const a = listenOn(sv, 80, -1);
    const b = listenOn(sv, 81, 5000);
    expect(a.listen!.backlog).toBe(4096);
    expect(b.listen!.backlog).toBe(4096);
  });

  it('somaxconn=2 (linux): listen(10) holds 3 connections (capped backlog 2, + 1)', () => {
    const w = pair(LINUX, withKnobs(LINUX, { somaxconn: 2 }));
    const l = listenOn(w.stack(SV), 80, 10);
    const clients = [connect(w), connect(w), connect(w), connect(w)];
    expect(established(clients)).toBe(3);
    expect(l.listen!.acceptQueue).toHaveLength(3);
  });

  // listen(1), linux: A completes; B and C both get SYN-ACKs while A alone is queued; B's ACK fills
  // the queue (2 = n + 1); C's ACK then meets a full queue.
  function overflow(profile: Profile) {
    const w = new Wire([{ ip: SV, profile }]);
    const sv = w.stack(SV);
    const l = listenOn(sv, 80, 1);
    const [a] = syn(w, 1001, 100);
    expect(ack(w, 1001, 101, seq(a!.seq, 1))).toEqual([]);
    const [b] = syn(w, 1002, 200);
    const [c] = syn(w, 1003, 300);
    expect(flagsOf(b!)).toBe('SYN|ACK');
    expect(flagsOf(c!)).toBe('SYN|ACK');
    expect(ack(w, 1002, 201, seq(b!.seq, 1))).toEqual([]);
    expect(l.listen!.acceptQueue).toHaveLength(2);
    return { w, sv, l, c: c! };
  }

  it('tcp_abort_on_overflow=0: the final ACK meeting a full accept queue is dropped; the SYN-ACK is repeated at 1 s', () => {
    const { w, sv, l, c } = overflow(LINUX);
    expect(ack(w, 1003, 301, seq(c.seq, 1))).toEqual([]);
    expect(childFor(sv, 1003)!.conn!.state).toBe('SYN_RECEIVED');
    const again = w.advance(1 * S).filter((x) => x.seg.dstPort === 1003);
    expect(again).toHaveLength(1);
    expect(again[0]!.t).toBe(1 * S);
    expect(again[0]!.seg).toMatchObject({ seq: c.seq, flags: SYN | ACK });
    // accept() makes room; the client's ACK of the repeated SYN-ACK now completes the handshake.
    accepted(sv, l);
    expect(ack(w, 1003, 301, seq(c.seq, 1))).toEqual([]);
    expect(childFor(sv, 1003)!.conn!.state).toBe('ESTABLISHED');
    expect(l.listen!.acceptQueue.map((s) => s.conn!.remote.port)).toEqual([1002, 1003]);
  });

  it('tcp_abort_on_overflow=1: the final ACK meeting a full accept queue gets RST <SEQ=SEG.ACK>, the request is gone', () => {
    const { w, sv, c } = overflow(withKnobs(LINUX, { abortOnOverflow: true }));
    const out = ack(w, 1003, 301, seq(c.seq, 1));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(c.seq, 1), flags: RST });
    expect(childFor(sv, 1003)).toBeUndefined();
  });

  it('tcp_abort_on_overflow=1 (World + sockets): the third client is reset, its recv() fails with ECONNRESET', async () => {
    const world = new World({ seed: 3, profile: LINUX, link: { latency: 1000 } });
    world.addHost({ name: 'client', address: C });
    world.addHost({ name: 'server', address: SV, profile: withKnobs(LINUX, { abortOnOverflow: true }) });
    program(world, 'server', 'srv', async (net) => {
      const s = net.tcp();
      s.bind(['', 80]);
      s.listen(1);
      await net.sleep(5); // never accepts in time
    });
    const results: Record<string, string> = {};
    const client = (name: string, start: number) =>
      program(
        world,
        'client',
        name,
        async (net) => {
          const s = net.tcp();
          s.settimeout(3);
          await s.connect(['server', 80]);
          try {
            await s.recv(10);
            results[name] = 'data';
          } catch (e) {
            results[name] = e instanceof SocketError ? e.errno : String(e);
          }
        },
        start,
      );
    client('a', 0);
    client('b', 0.5);
    client('c', 0.5005); // its SYN reaches the server before b's ACK fills the queue
    await world.run();
    expect(results).toEqual({ a: 'EAGAIN', b: 'EAGAIN', c: 'ECONNRESET' });
  });
});

describe('SYN cookies (Linux syncookies.c, RFC 4987 3.6)', () => {
  const TS = (tsVal: number, tsEcr: number): TcpOption => ({ kind: 'timestamps', tsVal, tsEcr });
  const fullSyn = (tsVal: number): TcpOption[] => [{ kind: 'mss', mss: 1460 }, { kind: 'sackPermitted' }, TS(tsVal, 0), { kind: 'nop' }, { kind: 'windowScale', shift: 7 }];

  /** listen(0) with one request already pending in SYN_RECEIVED: the SYN queue is full. */
  function fullSynQueue(profile: Profile = LINUX) {
    const w = new Wire([{ ip: SV, profile }]);
    const sv = w.stack(SV);
    const l = listenOn(sv, 80, 0);
    expect(syn(w, 1001, 100).map(flagsOf)).toEqual(['SYN|ACK']);
    return { w, sv, l };
  }

  it('syncookies=1, SYN queue full: a SYN-ACK is still sent (a cookie), but no state is kept', () => {
    const { w, sv } = fullSynQueue();
    const before = sv.allSockets().length;
    const out = syn(w, 1002, 200, fullSyn(5000));
    expect(out.map(flagsOf)).toEqual(['SYN|ACK']);
    expect(out[0]!.ack).toBe(201);
    expect(sv.allSockets()).toHaveLength(before);
    // With timestamps the cookie keeps SACK and window scale: the option list looks normal (observed).
    expect(out[0]!.options.map((o) => o.kind).filter((k) => k !== 'nop')).toEqual(['mss', 'sackPermitted', 'timestamps', 'windowScale']);
  });

  it('syncookies=1: the ACK returning a valid cookie creates an ESTABLISHED child in the accept queue', () => {
    const { w, sv, l } = fullSynQueue();
    const [sa] = syn(w, 1002, 200, fullSyn(5000));
    const ts = sa!.options.find((o) => o.kind === 'timestamps') as { tsVal: number };
    expect(ack(w, 1002, 201, seq(sa!.seq, 1), [{ kind: 'nop' }, { kind: 'nop' }, TS(5001, ts.tsVal)])).toEqual([]);
    expect(l.listen!.acceptQueue).toHaveLength(1);
    const child = l.listen!.acceptQueue[0]!;
    expect(child.conn!.state).toBe('ESTABLISHED');
    expect(child.conn!.remote.port).toBe(1002);
    expect(child.conn!.sndNxt).toBe(seq(sa!.seq, 1));
    expect(child.conn!.rcvNxt).toBe(201);
    expect(sv.allSockets()).toContain(child);
  });

  it('syncookies=1, peer without timestamps, MSS 1400: SYN-ACK carries only MSS; the child sends 1300-byte segments (msstab)', () => {
    const { w, sv, l } = fullSynQueue();
    const [sa] = syn(w, 1002, 200, [{ kind: 'mss', mss: 1400 }, { kind: 'sackPermitted' }, { kind: 'nop' }, { kind: 'windowScale', shift: 7 }]);
    expect(sa!.options.map((o) => o.kind)).toEqual(['mss']);
    ack(w, 1002, 201, seq(sa!.seq, 1));
    const child = accepted(sv, l);
    sv.send(w.now, child, new Uint8Array(3000));
    const sizes = w.advance(w.now).filter((x) => x.seg.dstPort === 1002 && x.seg.payload.length > 0).map((x) => x.seg.payload.length);
    expect(sizes).toEqual([1300, 1300, 400]);
  });

  it('syncookies=1, after an overflow: an ACK with a wrong cookie is answered like any ACK to a listener (RST <SEQ=SEG.ACK>)', () => {
    const { w } = fullSynQueue();
    const [sa] = syn(w, 1002, 200, fullSyn(5000));
    const out = ack(w, 1002, 201, seq(sa!.seq, 1000));
    expect(out.map(flagsOf)).toEqual(['RST']);
    expect(out[0]!.seq).toBe(seq(sa!.seq, 1000));
  });

  it('syncookies=2: even the first SYN is answered with a cookie (no state); its ACK creates the child', () => {
    const w = new Wire([{ ip: SV, profile: withKnobs(LINUX, { syncookies: 2 }) }]);
    const sv = w.stack(SV);
    const l = listenOn(sv, 80, 5);
    const before = sv.allSockets().length;
    const [sa] = syn(w, 1001, 100);
    expect(flagsOf(sa!)).toBe('SYN|ACK');
    expect(sv.allSockets()).toHaveLength(before);
    ack(w, 1001, 101, seq(sa!.seq, 1));
    expect(l.listen!.acceptQueue).toHaveLength(1);
    expect(l.listen!.acceptQueue[0]!.conn!.state).toBe('ESTABLISHED');
  });

  it('syncookies=0, SYN queue full: the SYN is dropped, nothing sent', () => {
    const { w } = fullSynQueue(withKnobs(LINUX, { syncookies: 0 }));
    expect(syn(w, 1002, 200)).toEqual([]);
  });
});

describe('recv() and send() after a reset', () => {
  /** An accepted server socket and its client; the client has sent `data` and, if `fin`, closed. */
  function serverChild(fin: boolean) {
    const w = pair();
    const sv = w.stack(SV);
    const l = listenOn(sv, 80, 5);
    const cl = connect(w);
    const child = accepted(sv, l);
    if (fin) w.stack(C).close(w.now, cl);
    w.pump();
    return { w, sv, cl, child };
  }
  const resetChild = (w: Wire, child: TcpSocket) =>
    w.inject(C, SV, { srcPort: child.conn!.remote.port, dstPort: 80, seq: child.conn!.rcvNxt, flags: RST });

  // Kernel: scripts/kernel/observed/fin_wait_2_timeout.txt, cases A and D (the server in CLOSE_WAIT
  // gets a RST for its late data): recv -> b'', send -> EPIPE. tcp_recvmsg tests SOCK_DONE (FIN
  // received) before sk_err (EPIPE, set by tcp_reset in CLOSE_WAIT).
  it('CLOSE_WAIT + RST (linux): recv() still returns end of stream; send() fails with EPIPE, twice', () => {
    const { w, sv, child } = serverChild(true);
    expect(child.conn!.state).toBe('CLOSE_WAIT');
    resetChild(w, child);
    expect(child.conn!.state).toBe('CLOSED');
    const r = sv.recv(w.now, child, 100);
    expect(r).toBeInstanceOf(Uint8Array);
    expect((r as Uint8Array).length).toBe(0);
    expect(sv.send(w.now, child, enc.encode('x'))).toBe('EPIPE');
    expect(sv.send(w.now, child, enc.encode('x'))).toBe('EPIPE');
  });

  it('ESTABLISHED + RST: recv() reports ECONNRESET once, then end of stream', () => {
    const { w, sv, child } = serverChild(false);
    resetChild(w, child);
    expect(sv.recv(w.now, child, 100)).toBe('ECONNRESET');
    expect((sv.recv(w.now, child, 100) as Uint8Array).length).toBe(0);
  });
});

describe('ephemeral ports (ip_local_port_range)', () => {
  function ports(profile: Profile, n: number): Array<number | string> {
    const w = new Wire([{ ip: C, profile }]);
    const cs = w.stack(C);
    const out: Array<number | string> = [];
    for (let i = 0; i < n; i++) {
      const s = cs.socket();
      const err = cs.connect(w.now, s, SV, 80);
      out.push(err ?? s.conn!.local.port);
    }
    return out;
  }

  it('linux: concurrent connects to one destination get distinct ports in 32768-60999', () => {
    const p = ports(LINUX, 50) as number[];
    expect(new Set(p).size).toBe(50);
    for (const port of p) {
      expect(port).toBeGreaterThanOrEqual(32768);
      expect(port).toBeLessThanOrEqual(60999);
    }
  });

  it('rfc9293 profile: ports in the IANA dynamic range 49152-65535 (RFC 6056)', () => {
    const p = ports(RFC9293, 50) as number[];
    expect(new Set(p).size).toBe(50);
    for (const port of p) expect(port).toBeGreaterThanOrEqual(49152);
  });

  // scripts/kernel/observed/tw_reuse.txt: with ip_local_port_range "50000 50002" connect() used
  // 50000, then 50001, and never 50002 (__inet_hash_connect: remaining &= ~1, low parity first).
  it('linux, a range of 3 ports: connect() uses only 2 of them (the range is cut to an even size), even first', () => {
    const p = ports(withKnobs(LINUX, { ephemeralPortRange: [40000, 40002] }), 3);
    expect(p).toEqual([40000, 40001, 'EADDRNOTAVAIL']);
  });

  it('linux, a range of 4 ports: all 4, the two of the low end\'s parity first', () => {
    const p = ports(withKnobs(LINUX, { ephemeralPortRange: [40000, 40003] }), 5);
    expect([...p.slice(0, 2)].sort()).toEqual([40000, 40002]);
    expect([...p.slice(2, 4)].sort()).toEqual([40001, 40003]);
    expect(p[4]).toBe('EADDRNOTAVAIL');
  });

  it('a range of 1 port: that port (docs/linux-vs-rfc.md section 9, "47000 47000")', () => {
    expect(ports(withKnobs(LINUX, { ephemeralPortRange: [47000, 47000] }), 2)).toEqual([47000, 'EADDRNOTAVAIL']);
  });

  // Kernel runs (check_many_clients.py, check_byte_stream_coalescing.py): successive connect()s to
  // one destination got even ports, increasing (60456, 60468, 60474).
  it('linux: successive connects to one destination get distinct ports of the low end\'s parity (32768: even)', () => {
    const p = ports(LINUX, 5) as number[];
    expect(new Set(p).size).toBe(5);
    expect(p.map((x) => x % 2)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('TIME_WAIT in the stack', () => {
  /** Client closes first: the client ends in TIME_WAIT. */
  function clientTimeWait() {
    const w = pair();
    const sv = w.stack(SV);
    const l = listenOn(sv, 80, 5);
    const cl = connect(w);
    const child = accepted(sv, l);
    w.stack(C).close(w.now, cl);
    w.advance(w.now + 50 * MS); // the server's (delayed) ACK of the FIN
    sv.close(w.now, child);
    w.pump();
    expect(cl.conn!.state).toBe('TIME_WAIT');
    return { w, cl, child };
  }

  /** Server closes first: the server's child ends in TIME_WAIT; the listener stays open. */
  function serverTimeWait(profile: Profile = LINUX, listenerReuse = false, port = 80) {
    const w = pair(profile);
    const sv = w.stack(SV);
    const l = listenOn(sv, port, 5, { reuseAddr: listenerReuse });
    const cl = connect(w, port);
    const child = accepted(sv, l);
    sv.close(w.now, child);
    w.advance(w.now + 50 * MS);
    w.stack(C).close(w.now, cl);
    w.pump();
    expect(child.conn!.state).toBe('TIME_WAIT');
    return { w, sv, l, cl, child };
  }

  it('TIME_WAIT + RST with seq = RCV.NXT: the TIME_WAIT is gone at once (assassination, tcp_rfc1337=0)', () => {
    const { w, cl } = clientTimeWait();
    const tw = cl.conn!;
    const out = w.inject(SV, C, { srcPort: 80, dstPort: tw.local.port, seq: tw.rcvNxt, flags: RST });
    expect(out).toEqual([]);
    expect(tw.state).toBe('CLOSED');
  });

  it('TIME_WAIT + in-window RST not at RCV.NXT: ignored (observed on 6.18)', () => {
    const { w, cl } = clientTimeWait();
    const tw = cl.conn!;
    expect(w.inject(SV, C, { srcPort: 80, dstPort: tw.local.port, seq: seq(tw.rcvNxt, 10), flags: RST })).toEqual([]);
    expect(tw.state).toBe('TIME_WAIT');
  });

  it('SYN to a TIME_WAIT 4-tuple with seq above RCV.NXT: accepted, new ISN = old SND.NXT + 65537, TIME_WAIT gone', () => {
    const { w, cl, child } = serverTimeWait();
    const tw = child.conn!;
    const oldSndNxt = tw.sndNxt;
    const isn = seq(tw.rcvNxt, 1000);
    const out = w.inject(C, SV, { srcPort: cl.local!.port, dstPort: 80, seq: isn, flags: SYN, window: 65535, options: MSS_1460 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ seq: seq(oldSndNxt, 65537), ack: seq(isn, 1), flags: SYN | ACK });
    expect(tw.state).toBe('CLOSED');
  });

  it('SYN without timestamp to a TIME_WAIT 4-tuple, seq below RCV.NXT: bare ACK <ACK=RCV.NXT>, TIME_WAIT stays', () => {
    const { w, cl, child } = serverTimeWait(); // the hand-made SYN carries no timestamp
    const tw = child.conn!;
    const out = w.inject(C, SV, { srcPort: cl.local!.port, dstPort: 80, seq: seq(tw.rcvNxt, -1000), flags: SYN, window: 65535, options: MSS_1460 });
    expect(out.map(flagsOf)).toEqual(['ACK']);
    expect(out[0]!.ack).toBe(tw.rcvNxt);
    expect(tw.state).toBe('TIME_WAIT');
  });

  // Linux inet_bind_conflict: no conflict only when both sockets have SO_REUSEADDR and the owner is
  // not listening; the TIME_WAIT keeps the flag its socket inherited from the listener (observed).
  const combos: Array<[boolean, boolean]> = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ];
  for (const [oldReuse, newReuse] of combos) {
    const linuxOk = oldReuse && newReuse;
    it(`bind() over a server TIME_WAIT (linux), SO_REUSEADDR old=${oldReuse} new=${newReuse}: ${linuxOk ? 'ok' : 'EADDRINUSE'}`, () => {
      const { w, sv, l, child } = serverTimeWait(LINUX, oldReuse, 8080);
      sv.close(w.now, l);
      const s = sv.socket();
      s.reuseAddr = newReuse;
      expect(sv.bind(s, '0.0.0.0', 8080)).toBe(linuxOk ? undefined : 'EADDRINUSE');
      if (linuxOk) expect(sv.listen(s, 5)).toBeUndefined();
      expect(child.conn!.state).toBe('TIME_WAIT');
    });
    const bsdOk = newReuse;
    it(`bind() over a server TIME_WAIT (rfc9293 / BSD rule), SO_REUSEADDR old=${oldReuse} new=${newReuse}: ${bsdOk ? 'ok' : 'EADDRINUSE'}`, () => {
      const { w, sv, l } = serverTimeWait(RFC9293, oldReuse, 8080);
      sv.close(w.now, l);
      const s = sv.socket();
      s.reuseAddr = newReuse;
      expect(sv.bind(s, '0.0.0.0', 8080)).toBe(bsdOk ? undefined : 'EADDRINUSE');
    });
  }

  it('bind() to a port held by a LISTEN socket: EADDRINUSE even with SO_REUSEADDR on both (any address overlap)', () => {
    for (const profile of [LINUX, RFC9293]) {
      const w = pair(profile);
      const sv = w.stack(SV);
      listenOn(sv, 80, 5, { reuseAddr: true });
      for (const ip of ['0.0.0.0', SV]) {
        const s = sv.socket();
        s.reuseAddr = true;
        expect(sv.bind(s, ip, 80)).toBe('EADDRINUSE');
      }
    }
  });
});

describe('tcp_tw_reuse: connect() choosing a port whose TIME_WAIT holds the 4-tuple', () => {
  /**
   * A reconnect storm as in scripts/kernel/check_tw_reuse.py: ip_local_port_range 50000-50002,
   * a connect() every 0.3 s; each connection is closed by the client first (its side ends in
   * TIME_WAIT about 50 ms later, when the server closes too). Returns each connect()'s local port
   * or errno.
   */
  function storm(twReuse: 0 | 1 | 2, serverIp: string, n = 7): Array<number | string> {
    const profile = withKnobs(LINUX, { twReuse, ephemeralPortRange: [50000, 50002] });
    const w = serverIp === '127.0.0.1' ? new Wire([{ ip: serverIp, profile }]) : pair(profile);
    const cs = w.stack(serverIp === '127.0.0.1' ? serverIp : C);
    const sv = w.stack(serverIp);
    const l = listenOn(sv, 80, 16);
    const out: Array<number | string> = [];
    for (let i = 0; i < n; i++) {
      w.advance(i * 300 * MS);
      const s = cs.socket();
      const err = cs.connect(w.now, s, serverIp, 80);
      out.push(err ?? s.conn!.local.port);
      if (err) continue;
      w.pump();
      const child = accepted(sv, l);
      cs.close(w.now, s);
      w.advance(w.now + 50 * MS);
      sv.close(w.now, child);
      w.pump();
      expect(s.conn!.state).toBe('TIME_WAIT');
    }
    return out;
  }

  // scripts/kernel/observed/tw_reuse.txt, part A (10.0.0.1 -> 10.0.0.2).
  it('tcp_tw_reuse=0: once both usable ports are in TIME_WAIT, connect() fails with EADDRNOTAVAIL', () => {
    expect(storm(0, SV)).toEqual([50000, 50001, 'EADDRNOTAVAIL', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL']);
  });

  it('tcp_tw_reuse=1: a TIME_WAIT more than 1 s old is taken over (at 1.2 s and 1.5 s), a younger one is not', () => {
    expect(storm(1, SV)).toEqual([50000, 50001, 'EADDRNOTAVAIL', 'EADDRNOTAVAIL', 50000, 50001, 'EADDRNOTAVAIL']);
  });

  it('tcp_tw_reuse=2 between non-loopback addresses: as 0', () => {
    expect(storm(2, SV)).toEqual([50000, 50001, 'EADDRNOTAVAIL', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL']);
  });

  // Part B (127.0.0.1 -> 127.0.0.1).
  it('tcp_tw_reuse=2 on loopback: as 1', () => {
    expect(storm(2, '127.0.0.1')).toEqual([50000, 50001, 'EADDRNOTAVAIL', 'EADDRNOTAVAIL', 50000, 50001, 'EADDRNOTAVAIL']);
  });

  it('the SYN that takes over a TIME_WAIT starts at the old SND.NXT + 65537 (tcp_twsk_unique)', () => {
    const profile = withKnobs(LINUX, { twReuse: 1, ephemeralPortRange: [50000, 50000] });
    const w = pair(profile);
    const cs = w.stack(C);
    const sv = w.stack(SV);
    const l = listenOn(sv, 80, 16);
    const first = cs.socket();
    cs.connect(w.now, first, SV, 80);
    w.pump();
    const child = accepted(sv, l);
    cs.close(w.now, first);
    w.advance(w.now + 50 * MS);
    sv.close(w.now, child);
    w.pump();
    const oldSndNxt = first.conn!.sndNxt;
    w.advance(2 * S);
    const again = cs.socket();
    expect(cs.connect(w.now, again, SV, 80)).toBeUndefined();
    expect(again.conn!.local.port).toBe(50000);
    expect(again.conn!.iss).toBe(seq(oldSndNxt, 65537));
    expect(first.conn!.state).toBe('CLOSED');
  });
});

describe('bind rules (src/tcp/ports.ts bindConflict)', () => {
  const owner = (o: Partial<PortOwner>): PortOwner => ({ ip: '0.0.0.0', port: 80, reuseAddr: false, state: 'TIME_WAIT', ...o });

  it('linux, TIME_WAIT owner: only SO_REUSEADDR on both avoids the conflict', () => {
    expect(bindConflict(LINUX, '0.0.0.0', 80, false, owner({ reuseAddr: false }))).toBe(true);
    expect(bindConflict(LINUX, '0.0.0.0', 80, true, owner({ reuseAddr: false }))).toBe(true);
    expect(bindConflict(LINUX, '0.0.0.0', 80, false, owner({ reuseAddr: true }))).toBe(true);
    expect(bindConflict(LINUX, '0.0.0.0', 80, true, owner({ reuseAddr: true }))).toBe(false);
  });

  it('rfc9293 (BSD), TIME_WAIT owner: SO_REUSEADDR on the new socket alone suffices', () => {
    expect(bindConflict(RFC9293, '0.0.0.0', 80, true, owner({ reuseAddr: false }))).toBe(false);
    expect(bindConflict(RFC9293, '0.0.0.0', 80, false, owner({ reuseAddr: true }))).toBe(true);
  });

  it('a LISTEN owner always conflicts, under both profiles', () => {
    for (const p of [LINUX, RFC9293]) expect(bindConflict(p, '0.0.0.0', 80, true, owner({ reuseAddr: true, state: 'LISTEN' }))).toBe(true);
  });

  it('no conflict on another port, or on a different specific address; the wildcard overlaps every address', () => {
    expect(bindConflict(LINUX, '0.0.0.0', 81, false, owner({ state: 'LISTEN' }))).toBe(false);
    expect(bindConflict(LINUX, '127.0.0.1', 80, false, owner({ ip: '10.0.0.2', state: 'LISTEN' }))).toBe(false);
    expect(bindConflict(LINUX, '127.0.0.1', 80, false, owner({ ip: '0.0.0.0', state: 'LISTEN' }))).toBe(true);
    expect(bindConflict(LINUX, '0.0.0.0', 80, false, owner({ ip: '10.0.0.2', state: 'CLOSED' }))).toBe(true);
  });
});
