// Lost segments and the timers that repair them: retransmitted SYN, SYN-ACK, FIN, and the final ACK.
import { defineScenario, recvAll } from '../define.js';
import type { ScenarioSetup } from '../define.js';

/** A server that accepts one connection, reads to EOF and closes; a client that connects, sends, closes. */
function exchange({ program }: ScenarioSetup, clientPause = 0): void {
  program('server', 'server', async (net) => {
    const s = net.tcp();
    s.bind(['', 9999]);
    s.listen(5);
    const [conn] = await s.accept();
    await recvAll(conn);
    conn.close();
  });
  program('client', 'client', async (net) => {
    const s = net.tcp();
    await s.connect(['server', 9999]);
    if (clientPause > 0) await net.sleep(clientPause);
    await s.sendall('hello');
    s.close();
  }, 0.001);
}

export const lostSyn = defineScenario({
  name: 'lost-syn',
  summary: 'the first SYN is lost: the client retransmits it when its 1 s RTO expires',
  world: { faults: [{ action: 'drop', match: { flags: ['SYN'] }, nth: 1 }] },
  setup: (s) => exchange(s),
});

export const lostSynAck = defineScenario({
  name: 'lost-syn-ack',
  summary: 'the SYN-ACK is lost: the client retransmits its SYN while the server retransmits its SYN-ACK',
  world: { faults: [{ action: 'drop', match: { flags: ['SYN', 'ACK'] }, nth: 1 }] },
  setup: (s) => exchange(s),
});

export const lostFinalAck = defineScenario({
  name: 'lost-final-ack',
  summary: 'the handshake ACK is lost: the client is ESTABLISHED, the server waits in SYN_RECEIVED and resends SYN-ACK',
  world: { faults: [{ action: 'drop', match: { flags: ['ACK'], from: 'client', payload: false }, nth: 1 }] },
  setup: (s) => exchange(s, 2),
});

export const lostFin = defineScenario({
  name: 'lost-fin',
  summary: "the client's FIN is lost: it is retransmitted after the RTO and the close completes",
  world: { faults: [{ action: 'drop', match: { hasFlags: ['FIN'], from: 'client' }, nth: 1 }] },
  setup: (s) => exchange(s),
});
