// A TcpSocketHandle is what an application keeps per connection (issue 11: heap per idle connection): it
// holds its Net and the stack's socket only; settimeout() is kept aside for the few handles that call it,
// and close() is read off the socket (the stack clears its open bit).
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world.js';
import { program, SocketError, type TcpSocketHandle } from '../../src/socket/index.js';
import { LINUX } from '../../src/tcp/profile.js';

describe('a TCP socket handle', () => {
  it('holds its Net and its socket only; gettimeout() reads back settimeout(), null again after settimeout(null)', async () => {
    const world = new World({ seed: 1, profile: LINUX });
    world.addHost({ name: 'a', address: '10.0.0.1' });
    const seen: unknown[] = [];
    let fields: string[] = [];
    program(world, 'a', 'p', async (net) => {
      const s: TcpSocketHandle = net.tcp();
      fields = Object.keys(s);
      seen.push(s.gettimeout());
      s.settimeout(2.5);
      seen.push(s.gettimeout());
      s.setblocking(false);
      seen.push(s.gettimeout());
      s.settimeout(null);
      seen.push(s.gettimeout());
      s.close();
      s.close(); // twice is allowed (Python)
      try {
        s.listen();
        seen.push('listen after close: ok');
      } catch (e) {
        seen.push(e instanceof SocketError ? e.errno : String(e));
      }
    });
    await world.run();
    expect(fields.sort()).toEqual(['net', 'socket']);
    expect(seen).toEqual([null, 2.5, 0, null, 'EBADF']);
  });
});
