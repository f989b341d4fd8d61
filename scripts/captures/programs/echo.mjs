// echo: the client connects, sends "Hello, world", reads the echo and closes first; the server closes 200 ms
// after the client's FIN, so the kernel ACKs that FIN on its own first and the client passes FIN_WAIT_2.
//   client: SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT
//   server: SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED
// Run: node echo.mjs (in a network namespace, with tcpdump on lo; see ../README.md).
import net from 'node:net';
import { once } from 'node:events';
import { mark, sleep } from './marks.mjs';

const PORT = 5000;

const serverClosed = new Promise((resolve) => {
  const server = net.createServer({ allowHalfOpen: true }, (conn) => {
    conn.on('data', (d) => conn.write(d));
    conn.on('end', () => setTimeout(() => conn.end(), 200));
    conn.on('close', () => server.close(resolve));
  });
  server.listen(PORT, '127.0.0.1');
});
await sleep(10);

const client = net.connect(PORT, '127.0.0.1');
const clientClosed = once(client, 'close'); // listen now: it may come while a mark waits
await once(client, 'connect');
client.write('Hello, world');
const [echoed] = await once(client, 'data');
console.log(`echoed: ${echoed}`);
await mark('established');
client.end();
await sleep(100); // the server has ACKed the FIN and is still waiting
await mark('half-closed');
await clientClosed;
await serverClosed;
await sleep(20);
await mark('end');
process.exit(0);
