// Refusals and resets: no listener, half-close, abortive close, and close with unread data.
import { SHUT_WR } from '../../socket/index.js';
import { defineScenario, expectError, recvAll } from '../define.js';

export const connectionRefused = defineScenario({
  name: 'connection-refused',
  summary: 'connect() to a port nobody listens on: RST,ACK and ECONNREFUSED (connect_ex returns it)',
  setup({ program }) {
    program('client', 'client', async (net) => {
      const s = net.tcp();
      await s.connectEx(['server', 8080]);
    });
  },
});

export const halfClose = defineScenario({
  name: 'half-close',
  summary: 'shutdown(SHUT_WR): the client stops sending but still receives the reply',
  setup({ program }) {
    program('server', 'server', async (net) => {
      const s = net.tcp();
      s.bind(['', 9999]);
      s.listen(5);
      const [conn] = await s.accept();
      const request = await recvAll(conn); // until the client's FIN
      await net.sleep(0.2);
      await conn.sendall(`got ${request.length} bytes`);
      conn.close();
    });
    program('client', 'client', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 9999]);
      await s.sendall('the whole request');
      s.shutdown(SHUT_WR);
      await recvAll(s);
      s.close();
    }, 0.001);
  },
});

export const abortRst = defineScenario({
  name: 'abort-rst',
  summary: 'SO_LINGER {on, 0} then close(): an abortive close with RST, no FIN and no TIME_WAIT',
  setup({ program }) {
    program('server', 'server', async (net) => {
      const s = net.tcp();
      s.bind(['', 9999]);
      s.listen(5);
      const [conn] = await s.accept();
      await expectError(conn.recv(1024)); // ECONNRESET
      conn.close();
    });
    program('client', 'client', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 9999]);
      s.setsockopt('SO_LINGER', { onoff: 1, linger: 0 });
      await net.sleep(0.1);
      s.close();
    }, 0.001);
  },
});

export const closeWithUnreadData = defineScenario({
  name: 'close-with-unread-data',
  summary: 'the server close()s with unread bytes in its receive buffer: RST instead of FIN (RFC 2525 2.17)',
  setup({ program }) {
    program('server', 'server', async (net) => {
      const s = net.tcp();
      s.bind(['', 9999]);
      s.listen(5);
      const [conn] = await s.accept();
      await net.sleep(0.1); // the request arrives but is never read
      conn.close();
    });
    program('client', 'client', async (net) => {
      const s = net.tcp();
      await s.connect(['server', 9999]);
      await s.sendall('a request nobody reads');
      await net.sleep(0.2);
      await expectError(s.recv(1024)); // ECONNRESET
      await expectError(s.send('more')); // EPIPE after the reset was reported
      s.close();
    }, 0.001);
  },
});
