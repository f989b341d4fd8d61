// connection-refused: connect() to a port nobody listens on; the kernel answers the SYN with RST,ACK.
//   client: SYN_SENT CLOSED
// Run: node connection-refused.mjs (in a network namespace, with tcpdump on lo; see ../README.md).
import net from 'node:net';
import { once } from 'node:events';
import { mark, sleep } from './marks.mjs';

const PORT = 5000;

const client = net.connect(PORT, '127.0.0.1');
const [err] = await once(client, 'error').catch((e) => [e]);
console.log(`connect: ${err.code}`);
if (err.code !== 'ECONNREFUSED') throw new Error(`expected ECONNREFUSED, got ${err.code}`);
await mark('end');
process.exit(0);
