// send() against a full send buffer, in each socket mode, and SO_SNDBUF, as Python on Linux shows them
// (scripts/kernel/check_send_buffer_full.py, observed in scripts/kernel/observed/send_buffer_full.txt).
import { describe, expect, it } from 'vitest';
import type { CallEvent, Trace } from '../../src/sim/trace.js';
import { World } from '../../src/sim/world.js';
import { program, SocketError, type Net } from '../../src/socket/index.js';
import { LINUX, RFC9293, type Profile } from '../../src/tcp/profile.js';

type Body = (net: Net) => Promise<void>;

async function run(client: Body, server: Body, profile: Profile = LINUX): Promise<{ trace: Trace; world: World }> {
  const world = new World({ seed: 3, profile, link: { latency: 1000 } });
  world.addHost({ name: 'client', address: '10.0.0.1' });
  world.addHost({ name: 'server', address: '10.0.0.2' });
  program(world, 'server', 'srv', server);
  program(world, 'client', 'cli', client, 0.01);
  const trace = await world.run();
  expect(world.outcomes().filter((o) => o.status !== 'done')).toEqual([]);
  return { trace, world };
}

function callsOf(trace: Trace, host: string, call: string): CallEvent[] {
  return trace.events.filter((e): e is CallEvent => e.kind === 'call' && e.host === host && e.call === call);
}

async function errnoOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof SocketError) return e.errno;
    throw e;
  }
}

/** A server that accepts one connection, reads nothing until `readAt` seconds, then reads to EOF. */
function lazyServer(readAt: number, got: number[] = []): Body {
  return async (net) => {
    const l = net.tcp();
    l.bind(['', 80]);
    l.listen(5);
    const [conn] = await l.accept();
    await net.sleep(readAt - net.time());
    let n = 0;
    for (;;) {
      const d = await conn.recv(65536);
      if (d.length === 0) break;
      n += d.length;
    }
    got.push(n);
    conn.close();
  };
}

const MB = new Uint8Array(1 << 20);

describe('send() with a full send buffer', () => {
  // Kernel case C: a blocking send(1 MB) returned 1048576 only after the server started reading at 2 s.
  it('blocking (no timeout): waits until every byte is taken and returns the full count', async () => {
    let returned = -1;
    let at = 0;
    const got: number[] = [];
    const { trace } = await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      returned = await s.send(new Uint8Array(200_000));
      at = net.time();
      s.close();
    }, lazyServer(3, got));
    expect(returned).toBe(200_000);
    expect(at).toBeGreaterThan(3);
    expect(got).toEqual([200_000]);
    const sends = callsOf(trace, 'client', 'send');
    expect(sends.map((c) => [c.result, c.value])).toEqual([['ok', '200000 bytes']]);
  });

  // Kernel case A: a non-blocking send(1 MB) right after connect() returned part, the next one EAGAIN.
  it('setblocking(false): takes what fits in the send buffer now, then EAGAIN', async () => {
    const counts: Array<number | string> = [];
    await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      s.setblocking(false);
      counts.push(await s.send(MB));
      counts.push(await errnoOf(s.send(MB)));
      s.close();
    }, lazyServer(1));
    expect(counts).toEqual([LINUX.sendBuffer, 'EAGAIN']);
  });

  // Kernel case D: send() with settimeout(1.0) on a full buffer raised a timeout after 1.001 s.
  it('settimeout(1): on a buffer that stays full, fails with EAGAIN after 1 s', async () => {
    let result = '';
    let waited = 0;
    await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      s.setblocking(false);
      await s.send(MB);
      // Fill the buffer, let the server's window close, fill what that freed (as the kernel run did).
      while ((await errnoOf(s.send(MB))) === 'ok') await net.sleep(0.05);
      await net.sleep(1);
      while ((await errnoOf(s.send(MB))) === 'ok') await net.sleep(0.05);
      s.settimeout(1);
      const t = net.time();
      result = await errnoOf(s.send(MB));
      waited = net.time() - t;
      s.close();
    }, lazyServer(5));
    expect(result).toBe('EAGAIN');
    expect(waited).toBeCloseTo(1, 6);
  });

  it('settimeout(t): takes what fits as soon as there is room, fewer bytes than given', async () => {
    let n = 0;
    await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      s.settimeout(10);
      n = await s.send(MB);
      s.close();
    }, lazyServer(1));
    expect(n).toBe(LINUX.sendBuffer);
  });

  // Kernel case E: a blocking send(4 MB) waiting for room when the peer aborted returned the part it
  // had taken; the next send() reported the reset.
  it('blocking, and the peer resets the connection meanwhile: returns the bytes taken so far; the next send() fails', async () => {
    const results: Array<number | string> = [];
    await run(
      async (net) => {
        const s = net.tcp();
        await s.connect(['server', 80]);
        results.push(await s.send(new Uint8Array(4 << 20)));
        results.push(await errnoOf(s.send('z')));
        results.push(await errnoOf(s.send('z')));
        s.close();
      },
      async (net) => {
        const l = net.tcp();
        l.bind(['', 80]);
        l.listen(5);
        const [conn] = await l.accept();
        await net.sleep(1);
        conn.setsockopt('SO_LINGER', { onoff: 1, linger: 0 });
        conn.close();
      },
    );
    expect(typeof results[0]).toBe('number');
    expect(results[0]).toBeGreaterThan(0);
    expect(results[0]).toBeLessThan(4 << 20);
    expect(results.slice(1)).toEqual(['ECONNRESET', 'EPIPE']);
  });
});

describe('SO_SNDBUF', () => {
  // Kernel case A: setsockopt(SO_SNDBUF, 4096 / 16384 / 65536) -> getsockopt 8192 / 32768 / 131072.
  it('linux doubles the value given (sock_setsockopt), at least 4608; getsockopt reports it', async () => {
    const seen: number[] = [];
    await run(async (net) => {
      for (const v of [4096, 16384, 65536, 1000]) {
        const s = net.tcp();
        s.setsockopt('SO_SNDBUF', v);
        seen.push(s.getsockopt('SO_SNDBUF'));
        s.close();
      }
      seen.push(net.tcp().getsockopt('SO_SNDBUF'));
    }, async () => {});
    expect(seen).toEqual([8192, 32768, 131072, 4608, LINUX.sendBuffer]);
  });

  it('rfc9293 keeps the value given', async () => {
    let seen = 0;
    await run(async (net) => {
      const s = net.tcp();
      s.setsockopt('SO_SNDBUF', 4096);
      seen = s.getsockopt('SO_SNDBUF');
      s.close();
    }, async () => {}, RFC9293);
    expect(seen).toBe(4096);
  });

  it('bounds the bytes a non-blocking send() takes (payload only: Linux also counts its overhead)', async () => {
    const counts: Array<number | string> = [];
    await run(async (net) => {
      const s = net.tcp();
      s.setsockopt('SO_SNDBUF', 4096);
      await s.connect(['server', 80]);
      s.setblocking(false);
      counts.push(await s.send(MB));
      counts.push(await errnoOf(s.send(MB)));
      s.close();
    }, lazyServer(1));
    expect(counts).toEqual([8192, 'EAGAIN']);
  });

  it('an accepted socket inherits the listener\'s SO_SNDBUF', async () => {
    let seen = 0;
    await run(async (net) => {
      const s = net.tcp();
      await s.connect(['server', 80]);
      await net.sleep(0.1);
      s.close();
    }, async (net) => {
      const l = net.tcp();
      l.setsockopt('SO_SNDBUF', 10000);
      l.bind(['', 80]);
      l.listen(5);
      const [conn] = await l.accept();
      seen = conn.getsockopt('SO_SNDBUF');
      conn.close();
    });
    expect(seen).toBe(20000);
  });

  it('SO_SNDBUF with a bad value: EINVAL', async () => {
    let r = '';
    await run(async (net) => {
      const s = net.tcp();
      r = await errnoOf(Promise.resolve().then(() => s.setsockopt('SO_SNDBUF', -1)));
      s.close();
    }, async () => {});
    expect(r).toBe('EINVAL');
  });
});
