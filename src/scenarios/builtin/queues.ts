// The listen queues under pressure: listen(backlog) overflow, and SYN floods with and without
// SYN cookies (Linux tcp_conn_request, tcp_check_req, reqsk_timer_handler).
import { SYN } from '../../wire/segment.js';
import { defineScenario, recvAll, type ScenarioSetup } from '../define.js';

const CLIENTS = [1, 2, 3, 4].map((i) => ({ name: `client${i}`, address: `10.0.0.${10 + i}` }));

export const backlogOverflow = defineScenario({
  name: 'backlog-overflow',
  summary: 'listen(1), no accept() for 5 s: two connections queue, the next final ACK is dropped, a later SYN is dropped',
  lifelines: ['client3', 'server'],
  hosts: [...CLIENTS, { name: 'server', address: '10.0.0.2' }],
  setup({ program }) {
    program('server', 'server', async (net) => {
      const s = net.tcp();
      s.bind(['', 9999]);
      s.listen(1); // Linux holds backlog + 1 = 2 completed connections
      await net.sleep(5);
      for (let i = 0; i < CLIENTS.length; i++) {
        const [conn] = await s.accept();
        await conn.recv(1024);
        await conn.sendall('ok');
        conn.close();
      }
      s.close();
    });
    // client1 completes; client2 and client3 send their SYNs close together, so both are answered,
    // but client3's final ACK finds the accept queue full (2 > 1) and is dropped; client4 comes
    // later and its SYN is dropped outright. All of them are let in once accept() makes room.
    const starts = [0.001, 0.01, 0.0105, 0.5];
    CLIENTS.forEach((c, i) => {
      program(c.name, c.name, async (net) => {
        const s = net.tcp();
        await s.connect(['server', 9999]);
        await s.sendall('hi');
        await recvAll(s);
        s.close();
      }, starts[i]);
    });
  },
});


/** Spoofed SYNs from addresses that do not exist, so no RST ever clears the server's queue. */
function flood({ world }: ScenarioSetup, bursts: number[], perBurst: number): void {
  let n = 0;
  for (const at of bursts) {
    world.at(Math.round(at * 1e6), () => {
      for (let i = 0; i < perBurst; i++, n++) {
        const src = `198.51.100.${1 + (n % 250)}`;
        world.inject(src, '10.0.0.2', {
          srcPort: 1024 + n,
          dstPort: 80,
          seq: (0x5eed0000 + n * 7919) >>> 0,
          ack: 0,
          flags: SYN,
          window: 64240,
          urgentPointer: 0,
          options: [{ kind: 'mss', mss: 1460 }],
          payload: new Uint8Array(0),
        }, 'spoofed');
      }
    });
  }
}

function floodedServer(s: ScenarioSetup): void {
  s.program('server', 'server', async (net) => {
    const l = net.tcp();
    l.bind(['', 80]);
    l.listen(8);
    const [conn] = await l.accept();
    await conn.recv(1024);
    conn.close();
  });
  s.program('client', 'client', async (net) => {
    const c = net.tcp();
    await c.connect(['server', 80]);
    await c.sendall('GET /');
    c.close();
  }, 0.1);
}

export const synFlood = defineScenario({
  name: 'syn-flood',
  summary: 'spoofed SYNs fill the SYN queue (tcp_syncookies=0): the real client is dropped until old requests expire',
  
  knobs: { syncookies: 0 },
  setup(s) {
    flood(s, [0, 2, 4], 12);
    floodedServer(s);
  },
});

export const synFloodSyncookies = defineScenario({
  name: 'syn-flood-syncookies',
  summary: 'the same flood with tcp_syncookies=1: the server answers with a cookie and the client gets in at once',
  
  knobs: { syncookies: 1 },
  setup(s) {
    flood(s, [0, 2, 4], 12);
    floodedServer(s);
  },
});
