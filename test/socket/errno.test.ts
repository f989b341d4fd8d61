// Bad input to the socket API gets the errno a Linux kernel gives (docs/linux-vs-rfc.md section 8,
// scripts/kernel/socket_errnos.py), as a SocketError, never a crash; and every call shows in the
// trace as a call event with that result.
import { describe, expect, it } from 'vitest';
import type { CallEvent, Trace } from '../../src/sim/trace.js';
import { World } from '../../src/sim/world.js';
import { program, SHUT_RDWR, SHUT_WR, SocketError, type Net } from '../../src/socket/index.js';
import { LINUX } from '../../src/tcp/profile.js';

type Body = (net: Net) => Promise<void>;

/** Runs a server program (optional) and a client program on two hosts 1 ms apart. */
async function run(client: Body, server?: Body, clientStart = 0.01): Promise<{ trace: Trace; world: World }> {
  const world = new World({ seed: 11, profile: LINUX, link: { latency: 1000 } });
  world.addHost({ name: 'client', address: '10.0.0.1' });
  world.addHost({ name: 'server', address: '10.0.0.2' });
  if (server) program(world, 'server', 'srv', server);
  program(world, 'client', 'cli', client, clientStart);
  const trace = await world.run();
  const crashed = world.outcomes().filter((o) => o.status === 'failed');
  expect(crashed, 'no program may die of an unexpected exception').toEqual([]);
  return { trace, world };
}

/** 'ok' or the errno of a SocketError; any other exception is a crash and is reported as such. */
async function attempt(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    if (e instanceof SocketError) return e.errno;
    return `CRASH: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

function callEvents(trace: Trace, host: string, call: string): CallEvent[] {
  return trace.events.filter((e): e is CallEvent => e.kind === 'call' && e.host === host && e.call === call);
}

/** The trace has a call event for `call` on `host` with this result. */
function expectTraced(trace: Trace, host: string, call: string, result: string): void {
  const results = callEvents(trace, host, call).map((e) => e.result);
  expect(results, `${host} ${call}() in the trace`).toContain(result);
}

/** A server that listens on 80 and accepts (and holds) every connection. */
const listener =
  (backlog = 5, port = 80): Body =>
  async (net) => {
    const s = net.tcp();
    s.bind(['', port]);
    s.listen(backlog);
    for (;;) await s.accept();
  };

describe('bind()', () => {
  it('bind() twice on the same socket: EINVAL (same or another address)', async () => {
    const r: string[] = [];
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      r.push(await attempt(() => s.bind(['', 5000])));
      r.push(await attempt(() => s.bind(['', 5000])));
      r.push(await attempt(() => s.bind(['', 5001])));
    });
    expect(r).toEqual(['ok', 'EINVAL', 'EINVAL']);
    expectTraced(trace, 'client', 'bind', 'EINVAL');
  });

  it('bind() to a port held by a listener: EADDRINUSE, with or without SO_REUSEADDR', async () => {
    const r: string[] = [];
    const { trace } = await run(async (net) => {
      const l = net.tcp();
      l.setsockopt('SO_REUSEADDR', 1);
      l.bind(['', 80]);
      l.listen(5);
      const a = net.tcp();
      r.push(await attempt(() => a.bind(['', 80])));
      const b = net.tcp();
      b.setsockopt('SO_REUSEADDR', 1);
      r.push(await attempt(() => b.bind(['10.0.0.1', 80])));
    });
    expect(r).toEqual(['EADDRINUSE', 'EADDRINUSE']);
    expectTraced(trace, 'client', 'bind', 'EADDRINUSE');
  });

  it('bind() on a connected socket: EINVAL', async () => {
    let r = '';
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      r = await attempt(() => s.bind(['', 6000]));
    }, listener());
    expect(r).toBe('EINVAL');
    expectTraced(trace, 'client', 'bind', 'EINVAL');
  });

  it('port out of range (70000, -1, 1.5) in bind() and connect(): EINVAL, not a crash', async () => {
    const r: string[] = [];
    const { trace } = await run(async (net) => {
      for (const port of [70000, -1, 1.5]) {
        r.push(await attempt(() => net.tcp().bind(['', port])));
        r.push(await attempt(() => net.tcp().connect(['server', port])));
      }
    });
    expect(r).toEqual(Array(6).fill('EINVAL'));
    expect(callEvents(trace, 'client', 'bind').map((e) => e.result)).toEqual(['EINVAL', 'EINVAL', 'EINVAL']);
    expect(callEvents(trace, 'client', 'connect').map((e) => e.result)).toEqual(['EINVAL', 'EINVAL', 'EINVAL']);
  });
});

describe('listen()', () => {
  it('listen() on a connected socket: EINVAL', async () => {
    let r = '';
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      r = await attempt(() => s.listen(5));
    }, listener());
    expect(r).toBe('EINVAL');
    expectTraced(trace, 'client', 'listen', 'EINVAL');
  });

  it('listen() again on a listening socket: ok; listen() on an unbound socket: ok, on an ephemeral port', async () => {
    const r: string[] = [];
    let port = 0;
    await run(async (net) => {
      const s = net.tcp();
      s.bind(['', 80]);
      r.push(await attempt(() => s.listen(5)));
      r.push(await attempt(() => s.listen(10)));
      const u = net.tcp();
      r.push(await attempt(() => u.listen(5)));
      port = u.getsockname()[1];
    });
    expect(r).toEqual(['ok', 'ok', 'ok']);
    expect(port).toBeGreaterThanOrEqual(32768);
    expect(port).toBeLessThanOrEqual(60999);
  });

  it('listen(0) works and holds 1 connection (linux): a second client waits until accept() makes room', async () => {
    let queuedBeforeAccept = -1;
    const connectedAt: Record<string, number> = {};
    const world = new World({ seed: 5, profile: LINUX, link: { latency: 1000 } });
    world.addHost({ name: 'client', address: '10.0.0.1' });
    world.addHost({ name: 'server', address: '10.0.0.2' });
    program(world, 'server', 'srv', async (net) => {
      const s = net.tcp();
      s.bind(['', 80]);
      s.listen(0);
      await net.sleep(2.2);
      queuedBeforeAccept = s.socket.listen!.acceptQueue.length;
      await s.accept();
      await s.accept();
    });
    for (const [name, start] of [
      ['a', 0.01],
      ['b', 0.5],
    ] as const) {
      program(
        world,
        'client',
        name,
        async (net) => {
          await net.tcp().connect(['server', 80]);
          connectedAt[name] = net.time();
        },
        start,
      );
    }
    await world.run();
    expect(world.outcomes().every((o) => o.status === 'done')).toBe(true);
    expect(queuedBeforeAccept).toBe(1);
    expect(connectedAt.a!).toBeLessThan(0.1);
    // b's SYNs at 0.5 and 1.5 s are dropped; its retransmission at 2.5 s, after the accept(), gets in.
    expect(connectedAt.b!).toBeGreaterThan(2.5);
    expect(connectedAt.b!).toBeLessThan(2.6);
  });

  it('listen(-1) means somaxconn (4096): ok, and many connections queue without accept()', async () => {
    let backlog = 0;
    let result = '';
    const world = new World({ seed: 6, profile: LINUX, link: { latency: 1000 } });
    world.addHost({ name: 'client', address: '10.0.0.1' });
    world.addHost({ name: 'server', address: '10.0.0.2' });
    program(world, 'server', 'srv', async (net) => {
      const s = net.tcp();
      s.bind(['', 80]);
      result = await attempt(() => s.listen(-1));
      backlog = s.socket.listen?.backlog ?? -1;
      await net.sleep(1);
    });
    const done: string[] = [];
    for (let i = 0; i < 8; i++) {
      program(
        world,
        'client',
        `c${i}`,
        async (net) => {
          await net.tcp().connect(['server', 80]);
          done.push(`c${i}`);
        },
        0.01 + i * 0.01,
      );
    }
    const trace = await world.run();
    expect(result).toBe('ok');
    expect(backlog).toBe(4096);
    expect(done).toHaveLength(8);
    expectTraced(trace, 'server', 'listen', 'ok');
  });
});

describe('connect()', () => {
  it('connect() on a listening socket: EISCONN', async () => {
    let r = '';
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      s.bind(['', 7000]);
      s.listen(5);
      r = await attempt(() => s.connect(['server', 80]));
    }, listener());
    expect(r).toBe('EISCONN');
    expectTraced(trace, 'client', 'connect', 'EISCONN');
  });

  it('connect() again after a successful connect (same or another peer): EISCONN', async () => {
    const r: string[] = [];
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      r.push(await attempt(() => s.connect(['server', 80])));
      r.push(await attempt(() => s.connect(['server', 80])));
      r.push(await attempt(() => s.connect(['server', 81])));
    }, listener());
    expect(r).toEqual(['ok', 'EISCONN', 'EISCONN']);
    expect(callEvents(trace, 'client', 'connect').map((e) => e.result)).toEqual(['ok', 'EISCONN', 'EISCONN']);
  });

  it('connect_ex() returns the errno name instead of throwing (ECONNREFUSED), and 0 on success', async () => {
    const r: Array<string | number> = [];
    const { trace } = await run(async (net) => {
      r.push(await net.tcp().connectEx(['server', 81]));
      r.push(await net.tcp().connectEx(['server', 80]));
    }, listener());
    expect(r).toEqual(['ECONNREFUSED', 0]);
    expectTraced(trace, 'client', 'connect', 'ECONNREFUSED');
  });

  it('a second connect() after ECONNREFUSED on the same socket works once a listener is there', async () => {
    const r: string[] = [];
    const { trace } = await run(
      async (net) => {
        const s = net.tcp();
        r.push(await attempt(() => s.connect(['server', 80])));
        await net.sleep(1);
        r.push(await attempt(() => s.connect(['server', 80])));
      },
      async (net) => {
        await net.sleep(0.5);
        await listener()(net);
      },
    );
    expect(r).toEqual(['ECONNREFUSED', 'ok']);
    expect(callEvents(trace, 'client', 'connect').map((e) => e.result)).toEqual(['ECONNREFUSED', 'ok']);
  });
});

describe('accept(), recv(), send(), shutdown() on sockets in the wrong state', () => {
  it('accept() on a fresh socket and on a connected socket: EINVAL', async () => {
    const r: string[] = [];
    const { trace } = await run(async (net) => {
      r.push(await attempt(() => net.tcp().accept()));
      const s = net.tcp();
      await s.connect(['server', 80]);
      r.push(await attempt(() => s.accept()));
    }, listener());
    expect(r).toEqual(['EINVAL', 'EINVAL']);
    expectTraced(trace, 'client', 'accept', 'EINVAL');
  });

  it('recv() on a never-connected socket: ENOTCONN', async () => {
    let r = '';
    const { trace } = await run(async (net) => {
      r = await attempt(() => net.tcp().recv(10));
    });
    expect(r).toBe('ENOTCONN');
    expectTraced(trace, 'client', 'recv', 'ENOTCONN');
  });

  it('send() on a never-connected socket: EPIPE', async () => {
    let r = '';
    const { trace } = await run(async (net) => {
      r = await attempt(() => net.tcp().send('x'));
    });
    expect(r).toBe('EPIPE');
    expectTraced(trace, 'client', 'send', 'EPIPE');
  });

  it('send() after shutdown(SHUT_WR): EPIPE', async () => {
    const r: string[] = [];
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      r.push(await attempt(() => s.shutdown(SHUT_WR)));
      r.push(await attempt(() => s.send('late')));
    }, listener());
    expect(r).toEqual(['ok', 'EPIPE']);
    expectTraced(trace, 'client', 'shutdown', 'ok');
    expectTraced(trace, 'client', 'send', 'EPIPE');
  });

  it('shutdown() and getpeername() on a never-connected socket: ENOTCONN', async () => {
    const r: string[] = [];
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      r.push(await attempt(() => s.shutdown(SHUT_WR)));
      r.push(await attempt(() => s.shutdown(SHUT_RDWR)));
      r.push(await attempt(() => s.getpeername()));
    });
    expect(r).toEqual(['ENOTCONN', 'ENOTCONN', 'ENOTCONN']);
    expectTraced(trace, 'client', 'shutdown', 'ENOTCONN');
  });

  // Observed (docs/linux-vs-rfc.md section 8): once both FINs are exchanged the socket is CLOSE
  // (the 4-tuple lives on in a TIME_WAIT mini-socket) and shutdown() says ENOTCONN.
  it('shutdown(SHUT_RDWR) after both FINs (our side in TIME_WAIT): ENOTCONN', async () => {
    let r = '';
    await run(
      async (net) => {
        const s = net.tcp();
        await s.connect(['server', 80]);
        s.shutdown(SHUT_WR);
        await s.recv(10); // EOF: the server closed too
        await net.sleep(0.1);
        r = await attempt(() => s.shutdown(SHUT_RDWR));
      },
      async (net) => {
        const l = net.tcp();
        l.bind(['', 80]);
        l.listen(5);
        const [c] = await l.accept();
        await c.recv(10);
        c.close();
      },
    );
    expect(r).toBe('ENOTCONN');
  });

  it('settimeout() expiry on recv(): EAGAIN, exactly when the timeout runs out', async () => {
    let r = '';
    let waited = 0;
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      s.settimeout(0.25);
      const t0 = net.time();
      r = await attempt(() => s.recv(10));
      waited = net.time() - t0;
    }, listener());
    expect(r).toBe('EAGAIN');
    expect(waited).toBeCloseTo(0.25, 6);
    expectTraced(trace, 'client', 'recv', 'EAGAIN');
  });

  it("after the peer's RST: the first recv() says ECONNRESET, then send() EPIPE, then recv() end of stream", async () => {
    const r: string[] = [];
    await run(
      async (net) => {
        const s = net.tcp();
        await s.connect(['server', 80]);
        r.push(await attempt(() => s.recv(10)));
        r.push(await attempt(() => s.send('x')));
        r.push(await s.recv(10).then((d) => (d.length === 0 ? 'EOF' : 'data'), (e: SocketError) => e.errno));
      },
      async (net) => {
        const l = net.tcp();
        l.bind(['', 80]);
        l.listen(5);
        const [c] = await l.accept();
        c.setsockopt('SO_LINGER', { onoff: 1, linger: 0 });
        c.close(); // RST
      },
    );
    expect(r).toEqual(['ECONNRESET', 'EPIPE', 'EOF']);
  });
});

describe('calls on a closed socket', () => {
  it('send(), recv() and the other calls after close(): EBADF; close() twice is fine', async () => {
    const r: string[] = [];
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      r.push(await attempt(() => s.close()));
      r.push(await attempt(() => s.close()));
      r.push(await attempt(() => s.send('x')));
      r.push(await attempt(() => s.recv(10)));
      r.push(await attempt(() => s.sendall('x')));
      r.push(await attempt(() => s.shutdown(SHUT_WR)));
      r.push(await attempt(() => s.bind(['', 9000])));
      r.push(await attempt(() => s.listen(1)));
      r.push(await attempt(() => s.accept()));
      r.push(await attempt(() => s.connect(['server', 80])));
      r.push(await attempt(() => s.setsockopt('TCP_NODELAY', 1)));
    }, listener());
    expect(r).toEqual(['ok', 'ok', ...Array(9).fill('EBADF')]);
    expect(callEvents(trace, 'client', 'close').map((e) => e.result)).toEqual(['ok']);
    for (const call of ['send', 'recv', 'sendall', 'shutdown', 'bind', 'listen', 'accept', 'connect', 'setsockopt']) {
      expectTraced(trace, 'client', call, 'EBADF');
    }
  });
});
