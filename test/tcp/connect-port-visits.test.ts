// connect() finds a free ephemeral port without checking every port already taken toward the same
// destination (issue 11: once a destination held more than half of the range, each connect() walked
// every port of the first parity, ~14,000 checks at 20,000 connections: quadratic set-up). This guards
// the complexity, not the time: the ports checked with the exact rule per connect() stay a small
// constant whether the destination holds 100 or 20,000 connections, alive or in TIME_WAIT.
import { describe, expect, it } from 'vitest';
import { LINUX } from '../../src/tcp/profile.js';
import { TcpStack } from '../../src/tcp/stack.js';
import { CLIENT_IP, MS, SERVER_IP, Wire, counterRng, listenOn } from './fixtures.js';

/** Exact port checks per connect() for `probe` connects, once `held` connections (SYN_SENT: never answered) hold ports toward 10.0.0.2:80. */
function checksWithOpenConnections(held: number, probe: number): { perConnect: number; held: number } {
  const stack = new TcpStack({ addresses: [CLIENT_IP], profile: LINUX, rng: counterRng(99), mtu: 1500 });
  const connect = () => {
    const err = stack.connect(0, stack.socket(), SERVER_IP, 80);
    if (err) throw new Error(`connect: ${err}`);
    stack.takeOutput();
  };
  for (let i = 0; i < held; i++) connect();
  const before = stack.connectPortChecks;
  for (let i = 0; i < probe; i++) connect();
  const alive = stack.allSockets().filter((s) => s.conn?.state === 'SYN_SENT').length;
  return { perConnect: (stack.connectPortChecks - before) / probe, held: alive - probe };
}

/** The same with `held` connections each closed by the client first and left in TIME_WAIT (60 s, not reusable: not loopback). */
function checksWithTimeWaits(held: number, probe: number): { perConnect: number; timeWait: number } {
  const w = new Wire([{ ip: CLIENT_IP }, { ip: SERVER_IP }]);
  const client = w.stack(CLIENT_IP);
  const server = w.stack(SERVER_IP);
  const listener = listenOn(server, 80, 4096);
  const lifecycle = () => {
    const s = client.socket();
    if (client.connect(w.now, s, SERVER_IP, 80)) throw new Error('connect failed');
    w.pump();
    const child = server.accept(listener);
    if (typeof child === 'string') throw new Error(`accept: ${child}`);
    client.close(w.now, s);
    w.pump();
    server.close(w.now, child);
    w.pump();
    w.now += MS / 10;
  };
  for (let i = 0; i < held; i++) lifecycle();
  const timeWait = client.allSockets().filter((s) => s.conn?.state === 'TIME_WAIT').length;
  const before = client.connectPortChecks;
  for (let i = 0; i < probe; i++) lifecycle();
  return { perConnect: (client.connectPortChecks - before) / probe, timeWait };
}

describe("connect()'s port search jumps over the ports a destination already holds", () => {
  it('checks about one port per connect() with 100 or 20,000 connections open to the destination', () => {
    const small = checksWithOpenConnections(100, 1000);
    const large = checksWithOpenConnections(20_000, 1000);
    expect(large.held).toBe(20_000);
    // Each connect() checks at least the port it takes (the counter counts) ...
    expect(small.perConnect).toBeGreaterThanOrEqual(1);
    // ... and not the thousands of ports of the first parity a plain scan walks past at 20,000.
    expect(large.perConnect).toBeLessThan(2);
  });

  it('the same with 20,000 connections in TIME_WAIT toward the destination', () => {
    const large = checksWithTimeWaits(20_000, 200);
    expect(large.timeWait).toBe(20_000);
    expect(large.perConnect).toBeGreaterThanOrEqual(1);
    expect(large.perConnect).toBeLessThan(2);
  });

  it("looks at no socket of other destinations that share the port: one table lookup, whatever the sharing", () => {
    // 40 destinations and a 64-port range: each local port ends up held by a connection to each destination,
    // so a check that looked at every socket on the port would see ~40 of them (Linux __inet_check_established
    // looks the 4-tuple up instead).
    const profile = { ...LINUX, ephemeralPortRange: [40000, 40063] as [number, number] };
    const stack = new TcpStack({ addresses: [CLIENT_IP], profile, rng: counterRng(7), mtu: 1500 });
    let connects = 0;
    for (let port = 1; port <= 40; port++) {
      for (let i = 0; i < 60; i++) {
        if (stack.connect(0, stack.socket(), SERVER_IP, port)) throw new Error('connect failed');
        stack.takeOutput();
        connects++;
      }
    }
    const shared = new Map<number, number>();
    for (const s of stack.allSockets()) if (s.local) shared.set(s.local.port, (shared.get(s.local.port) ?? 0) + 1);
    expect(Math.max(...shared.values())).toBeGreaterThanOrEqual(30);
    expect(stack.connectPortChecks).toBeGreaterThanOrEqual(connects);
    expect(stack.connectPortSocketsSeen).toBe(0); // no bind()/listen() owner on those ports
  });
});
