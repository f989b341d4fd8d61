// The sockets a stack lists (allSockets: those holding a port or a connection, as `ss` shows them), in the
// order the stack took them in, not the order they were made; a socket leaves the list when it lets go.
import { describe, expect, it } from 'vitest';
import { CLIENT_IP, SERVER_IP, Wire, listenOn } from './fixtures.js';

describe('the sockets a stack lists', () => {
  it('come in the order they took a port or connection, whatever their descriptor numbers', () => {
    const w = new Wire([{ ip: CLIENT_IP }, { ip: SERVER_IP }]);
    const client = w.stack(CLIENT_IP);
    const early = client.socket();
    const late = client.socket();
    expect(client.bind(late, CLIENT_IP, 5000)).toBeUndefined();
    expect(client.connect(w.now, early, SERVER_IP, 80)).toBeUndefined();
    const unbound = client.socket(); // never bound: not listed
    expect(client.allSockets()).toEqual([late, early]);
    expect(late.id).toBeGreaterThan(early.id);
    expect(client.allSockets()).not.toContain(unbound);
  });

  it('keep one whose second connect() failed after giving up its port, until it is closed', () => {
    const w = new Wire([{ ip: CLIENT_IP }, { ip: SERVER_IP }]);
    const client = w.stack(CLIENT_IP);
    const s = client.socket();
    expect(client.connect(w.now, s, SERVER_IP, 80)).toBeUndefined();
    w.pump(); // no listener at port 80: RST, the connection is CLOSED (Linux: back to SS_UNCONNECTED)
    expect(s.conn!.state).toBe('CLOSED');
    const listener = listenOn(client, 7000, 1);
    // Connecting again gives up the port connect() chose before; port 0 is refused after that (EINVAL).
    expect(client.connect(w.now, s, SERVER_IP, 0)).toBe('EINVAL');
    expect(s.local).toBeUndefined();
    expect(client.allSockets()).toEqual([s, listener]);
    client.close(w.now, s);
    expect(client.allSockets()).toEqual([listener]);
  });
});
