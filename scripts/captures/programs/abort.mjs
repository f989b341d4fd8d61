// abort: after an echo of "Hello, world" the client calls socket.resetAndDestroy() (SO_LINGER 0 and close), which
// sends RST instead of FIN; the server's read fails with ECONNRESET.
//   client: SYN_SENT ESTABLISHED CLOSED
//   server: SYN_RECEIVED ESTABLISHED CLOSED
// Run: node abort.mjs (in a network namespace, with tcpdump on lo; see ../README.md).
import net from 'node:net';
import { once } from 'node:events';
import { mark, sleep } from './marks.mjs';

const PORT = 5000;

const serverClosed = new Promise((resolve) => {
  const server = net.createServer((conn) => {
    conn.on('data', (d) => conn.write(d));
    conn.on('error', (e) => console.log(`server: ${e.code}`));
    conn.on('close', () => server.close(resolve));
  });
  server.listen(PORT, '127.0.0.1');
});
await sleep(10);

const client = net.connect(PORT, '127.0.0.1');
await once(client, 'connect');
client.write('Hello, world');
await once(client, 'data');
await sleep(50); // let the client's ACK of the echo go out first
await mark('established');
client.resetAndDestroy();
await once(client, 'close');
await serverClosed;
await sleep(20);
await mark('end');
process.exit(0);
