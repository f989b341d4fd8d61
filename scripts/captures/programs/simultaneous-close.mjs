// simultaneous-close: both ends close before either has received the other's FIN. Loopback delivers at once, so
// simultaneous-close.nft drops the client's first FIN (after tcpdump has seen it); the server closes 20 ms later
// and its FIN, acknowledging nothing of the client's FIN, meets a client in FIN_WAIT_1. The client's FIN arrives
// with its retransmission (RTO, about 200 ms on loopback).
//   client: SYN_SENT ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT
//   server: SYN_RECEIVED ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT
// Run: nft -f simultaneous-close.nft; node simultaneous-close.mjs (in a network namespace; see ../README.md).
import net from 'node:net';
import { once } from 'node:events';
import { mark, sleep } from './marks.mjs';

const PORT = 5000;

let serverConn;
const accepted = new Promise((resolve) => {
  const server = net.createServer({ allowHalfOpen: true }, (conn) => {
    serverConn = conn;
    conn.resume();
    server.close();
    resolve();
  });
  server.listen(PORT, '127.0.0.1');
});
await sleep(10);

const client = net.connect({ port: PORT, host: '127.0.0.1', allowHalfOpen: true });
client.resume();
await once(client, 'connect');
await accepted;
await sleep(20);
await mark('established');
const clientClosed = once(client, 'close');
const serverClosed = once(serverConn, 'close');
await new Promise((resolve) => client.end(resolve)); // called once shutdown(SHUT_WR) has sent the FIN
await sleep(20);
serverConn.end();
await sleep(20);
await mark('crossed');
await clientClosed;
await serverClosed;
await sleep(20);
await mark('end');
process.exit(0);
