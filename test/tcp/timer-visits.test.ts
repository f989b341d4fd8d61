// A host finds its next timer and fires the due ones without looking at every connection it holds
// (issue 11: a scan of all connections, several times per segment, made 10,000 lifecycles with
// TIME_WAIT quadratic). This guards the complexity, not the time: the connections visited for one
// retransmission stay the same whether the host holds 100 or 10,000 connections in TIME_WAIT.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Connection } from '../../src/tcp/connection.js';
import { CLIENT_IP, MS, S, SERVER_IP, SYN, Wire, listenOn } from './fixtures.js';

/** `held` connections closed by the client (each left in TIME_WAIT for 60 s), then one SYN lost and retransmitted. */
function visitsForOneRetransmission(held: number): { visits: number; connectionPolls: number; timeWait: number; retransmitted: boolean } {
  const w = new Wire([{ ip: CLIENT_IP }, { ip: SERVER_IP }]);
  const client = w.stack(CLIENT_IP);
  const server = w.stack(SERVER_IP);
  const listener = listenOn(server, 80, 128);
  for (let i = 0; i < held; i++) {
    const s = client.socket();
    if (client.connect(w.now, s, SERVER_IP, 80)) throw new Error('connect failed');
    w.pump();
    const child = server.accept(listener);
    if (typeof child === 'string') throw new Error(`accept: ${child}`);
    client.close(w.now, s);
    w.pump();
    server.close(w.now, child);
    w.pump();
    w.now += MS;
  }
  const timeWait = client.allSockets().filter((s) => s.conn?.state === 'TIME_WAIT').length;

  const visitsBefore = client.timerVisits;
  const poll = vi.spyOn(Connection.prototype, 'pollTimeout');
  let dropped = false;
  w.drop = (seg) => {
    if (dropped || seg.seg.flags !== SYN) return false;
    dropped = true;
    return true;
  };
  const s = client.socket();
  client.connect(w.now, s, SERVER_IP, 80);
  const sent = w.advance(w.now + 1.5 * S); // the SYN's retransmission timeout (1 s) fires in here
  const connectionPolls = poll.mock.calls.length;
  poll.mockRestore();
  return {
    visits: client.timerVisits - visitsBefore,
    connectionPolls,
    timeWait,
    retransmitted: sent.some((x) => x.retransmit && x.seg.flags === SYN) && s.conn?.state === 'ESTABLISHED',
  };
}

afterEach(() => vi.restoreAllMocks());

describe('timers are found through one index, not a scan of the connections', () => {
  it('visits the same connections for one retransmission with 100 or 10,000 connections in TIME_WAIT', () => {
    const small = visitsForOneRetransmission(100);
    const large = visitsForOneRetransmission(10_000);
    expect(small.timeWait).toBe(100);
    expect(large.timeWait).toBe(10_000);
    expect(small.retransmitted && large.retransmitted).toBe(true);
    // The counter counts (the retransmission was found and fired through it) ...
    expect(small.visits).toBeGreaterThan(0);
    // ... and a scan would make these grow a hundredfold here.
    expect(large.visits).toBe(small.visits);
    expect(large.connectionPolls).toBe(small.connectionPolls);
    expect(large.visits).toBeLessThan(20);
  });
});
