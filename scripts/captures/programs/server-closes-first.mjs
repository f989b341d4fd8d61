// server-closes-first: the client sends "Hello, world"; the server echoes it and closes 20 ms later; the client
// closes 200 ms after the server's FIN, so the kernel ACKs that FIN on its own first.
//   client: SYN_SENT ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED
//   server: SYN_RECEIVED ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT
// Run: node server-closes-first.mjs (in a network namespace, with tcpdump on lo; see ../README.md).
import net from 'node:net';
import { once } from 'node:events';
import { mark, sleep } from './marks.mjs';

const PORT = 5000;

const serverClosed = new Promise((resolve) => {
  const server = net.createServer({ allowHalfOpen: true }, (conn) => {
    conn.once('data', (d) => {
      conn.write(d);
      setTimeout(() => conn.end(), 20);
    });
    conn.on('close', () => server.close(resolve));
  });
  server.listen(PORT, '127.0.0.1');
});
await sleep(10);

const client = net.connect({ port: PORT, host: '127.0.0.1', allowHalfOpen: true });
const clientEnded = once(client, 'end'); // listen now: it may come while a mark waits
await once(client, 'connect');
await mark('established');
client.write('Hello, world');
client.on('data', (d) => console.log(`client read: ${d}`));
await clientEnded;
await sleep(100); // the client has ACKed the server's FIN and not closed yet
await mark('half-closed');
await sleep(100);
client.end();
await once(client, 'close');
await serverClosed;
await sleep(20);
await mark('end');
process.exit(0);
