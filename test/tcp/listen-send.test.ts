// RFC 9293 3.10.2, SEND in LISTEN with a foreign socket: the connection becomes active (LISTEN -> SYN_SENT). The
// rfc9293 profile takes connect() on a listener with nothing queued as that call; Linux refuses it (EISCONN,
// inet_stream_connect), and so does rfc9293 when the listener holds connections.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/sim/world.js';
import { program } from '../../src/socket/index.js';
import { PROFILES, type ProfileName } from '../../src/tcp/profile.js';
import type { StateEvent } from '../../src/sim/trace.js';

async function listenThenConnect(profile: ProfileName, queued: boolean) {
  const world = new World({ seed: 1, profile: PROFILES[profile], link: { latency: 1000 } });
  world.addHost({ name: 'a', address: '10.0.0.1' });
  world.addHost({ name: 'b', address: '10.0.0.2' });
  let result = '';
  program(world, 'a', 'a', async (net) => {
    const s = net.tcp();
    s.bind(['', 9000]);
    s.listen(5);
    await net.sleep(0.01);
    result = String(await s.connectEx(['b', 50000]));
  });
  program(world, 'b', 'b', async (net) => {
    const l = net.tcp();
    l.bind(['', 50000]);
    l.listen(5);
    if (queued) {
      const c = net.tcp();
      await c.connectEx(['a', 9000]); // sits in a's accept queue
    }
    await l.accept();
  });
  const trace = await world.run();
  const states = trace.events.filter((e): e is StateEvent => e.kind === 'state' && e.host === 'a' && e.endpoint.endsWith(':9000'));
  return { result, states: states.map((e) => `${e.from} ${e.cause} ${e.to}`) };
}

describe('connect() on a listening socket', () => {
  it('rfc9293: a listener with nothing queued becomes active, LISTEN + SEND -> SYN_SENT, and connects', async () => {
    const { result, states } = await listenThenConnect('rfc9293', false);
    expect(result).toBe('0');
    expect(states.slice(0, 3)).toEqual(['CLOSED PASSIVE_OPEN LISTEN', 'LISTEN SEND SYN_SENT', 'SYN_SENT RCV_SYN_ACK ESTABLISHED']);
  });

  it('linux: EISCONN, and the socket goes on listening', async () => {
    const { result, states } = await listenThenConnect('linux', false);
    expect(result).toBe('EISCONN');
    expect(states).toEqual(['CLOSED PASSIVE_OPEN LISTEN']);
  });

  it('rfc9293: a listener holding a connection refuses too (EISCONN)', async () => {
    const { result } = await listenThenConnect('rfc9293', true);
    expect(result).toBe('EISCONN');
  });
});
