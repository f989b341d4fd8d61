// half-close: the client sends "request" and shuts down its sending side (end(): FIN); the server goes on
// sending after that FIN ("reply 1", "reply 2", 100 ms apart) and then closes; the client reads both.
//   client: SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT
//   server: SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED
// Run: node half-close.mjs (in a network namespace, with tcpdump on lo; see ../README.md).
import net from 'node:net';
import { once } from 'node:events';
import { mark, sleep } from './marks.mjs';

const PORT = 5000;

const serverClosed = new Promise((resolve) => {
  const server = net.createServer({ allowHalfOpen: true }, (conn) => {
    conn.resume();
    conn.on('end', async () => {
      await sleep(100);
      conn.write('reply 1');
      await sleep(100);
      conn.write('reply 2');
      await sleep(100);
      conn.end();
    });
    conn.on('close', () => server.close(resolve));
  });
  server.listen(PORT, '127.0.0.1');
});
await sleep(10);

const client = net.connect(PORT, '127.0.0.1');
const clientClosed = once(client, 'close'); // listen now: it may come while a mark waits
await once(client, 'connect');
await sleep(10);
await mark('established');
let received = '';
client.on('data', (d) => (received += d));
client.end('request');
await sleep(50);
await mark('half-closed');
await clientClosed;
console.log(`client read: ${received}`);
if (received !== 'reply 1reply 2') throw new Error(`client read "${received}"`);
await serverClosed;
await sleep(20);
await mark('end');
process.exit(0);
