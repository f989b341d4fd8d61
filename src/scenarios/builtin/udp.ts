// UDP beside TCP: no handshake, no ACK, no retransmission, message boundaries kept.
import { defineScenario } from '../define.js';

export const udpContrast = defineScenario({
  name: 'udp-contrast',
  summary: 'UDP sendto/recvfrom: datagrams go out at once with no handshake, ACK or close, and a lost one stays lost',
  world: { faults: [{ action: 'drop', match: { proto: 'udp', from: 'client' }, nth: 2 }] },
  setup({ program }) {
    program('server', 'udp server', async (net) => {
      const s = net.udp();
      s.bind(['', 9000]);
      s.settimeout(1);
      for (;;) {
        let msg: Uint8Array;
        let addr: readonly [string, number];
        try {
          [msg, addr] = await s.recvfrom(1024);
        } catch {
          break; // nothing for a second: done
        }
        await s.sendto(msg, addr);
      }
      s.close();
    });
    program('client', 'udp client', async (net) => {
      const s = net.udp();
      s.settimeout(0.5);
      for (const text of ['hello', 'lost on the way', 'world']) {
        await s.sendto(text, ['server', 9000]);
        try {
          await s.recvfrom(1024);
        } catch {
          // no reply: UDP does not retransmit
        }
      }
      s.close();
    }, 0.001);
  },
});
