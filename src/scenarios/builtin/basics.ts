// Opening and closing: the handshake, the seeds' echo programs, who closes first, and the
// simultaneous open and close of RFC 9293 figures 7 and 13.
import { defineScenario, recvAll } from '../define.js';

export const threeWayHandshake = defineScenario({
  name: 'three-way-handshake',
  summary: 'connect() and accept(): SYN, SYN-ACK, ACK, and both sides ESTABLISHED',
  setup({ program }) {
    program('server', 'server', async (net) => {
      const s = net.tcp();
      s.bind(['', 8898]);
      s.listen(5);
      await s.accept();
    });
    program('client', 'client', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 8898]);
    }, 0.001);
  },
});

export const echo = defineScenario({
  name: 'echo',
  summary: "the seeds' echo server and client: connect, sendall, recv the echo, close",
  setup({ program }) {
    program('server', 'echo server', async (net) => {
      const s = net.tcp();
      s.setsockopt('SO_REUSEADDR', 1);
      s.bind(['', 50007]);
      s.listen(1);
      const [conn] = await s.accept();
      for (;;) {
        const data = await conn.recv(1024);
        if (data.length === 0) break;
        await conn.sendall(data);
      }
      conn.close();
      s.close();
    });
    program('client', 'echo client', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 50007]);
      await s.sendall('Hello, world');
      await s.recv(1024);
      s.close();
    }, 0.001);
  },
});

export const clientClosesFirst = defineScenario({
  name: 'client-closes-first',
  summary: 'the client closes first: four-way close, and TIME_WAIT on the client',
  setup({ program }) {
    program('server', 'server', async (net) => {
      const s = net.tcp();
      s.bind(['', 9999]);
      s.listen(5);
      const [conn] = await s.accept();
      await recvAll(conn);
      await net.sleep(0.5); // the server takes its time: its ACK of the FIN goes out alone
      conn.close();
      s.close();
    });
    program('client', 'client', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 9999]);
      await s.sendall('hello');
      s.close();
    }, 0.001);
  },
});

export const serverClosesFirst = defineScenario({
  name: 'server-closes-first',
  summary: 'the server closes first: TIME_WAIT lands on the server, holding its port',
  setup({ program }) {
    program('server', 'server', async (net) => {
      const s = net.tcp();
      s.bind(['', 9999]);
      s.listen(5);
      const [conn] = await s.accept();
      await conn.recv(1024);
      await conn.sendall('HELLO');
      conn.close();
      s.close();
    });
    program('client', 'client', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 9999]);
      await s.sendall('hello');
      await recvAll(s);
      await net.sleep(0.5);
      s.close();
    }, 0.001);
  },
});

export const simultaneousOpen = defineScenario({
  name: 'simultaneous-open',
  summary: 'both ends connect() to each other at once: SYN_SENT -> SYN_RECEIVED -> ESTABLISHED on both',
  lifelines: ['a', 'b'],
  hosts: [
    { name: 'a', address: '10.0.0.1' },
    { name: 'b', address: '10.0.0.2' },
  ],
  setup({ program }) {
    program('a', 'peer a', async (net) => {
      const s = net.tcp();
      s.bind(['', 7001]);
      await s.connect(['b', 7002]);
    });
    program('b', 'peer b', async (net) => {
      const s = net.tcp();
      s.bind(['', 7002]);
      await s.connect(['a', 7001]);
    });
  },
});

export const simultaneousClose = defineScenario({
  name: 'simultaneous-close',
  summary: 'both ends close at once: FIN_WAIT_1 -> CLOSING -> TIME_WAIT on both',
  setup({ program }) {
    program('server', 'server', async (net) => {
      const s = net.tcp();
      s.bind(['', 9999]);
      s.listen(5);
      const [conn] = await s.accept();
      await conn.recv(1024);
      await net.sleep(1 - net.time());
      conn.close();
    });
    program('client', 'client', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 9999]);
      await s.sendall('ping');
      await net.sleep(1 - net.time());
      s.close();
    }, 0.001);
  },
});
